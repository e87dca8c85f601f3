"""A 分组统计 table as it is shown, printed and exported: header lines, rows with their labels, 合计.

Made from a statistics question's answer by ``services/statistics/query/pivot.py``; the screen's
table model, ``silverdesk stats`` and the xlsx/PDF writers all read this one shape, so what the clerk
sees is what is written.
"""

from __future__ import annotations

from dataclasses import dataclass

Number = int | float

TOTAL = "合计"
#: the columns of a measure compared with a base period (同比/环比), in order: 本期, the base (上期 for 环比,
#: 去年同期 for 同比), 增减 and 增长率
CURRENT = "本期"
BASE_NAMES = {"环比": "上期", "同比": "去年同期"}
DIFFERENCE = "增减"
RATIO = "增长率"


@dataclass(frozen=True)
class PivotRow:
    labels: tuple[str, ...]  # one per row dimension ("合计" in the total row)
    values: tuple[Number | None, ...]  # one per data column; None: no figure (e.g. 同比 without a base)
    keys: tuple[object, ...] = ()  # the row dimensions' values (ids, codes), for drill-down
    total: bool = False


@dataclass(frozen=True)
class DataColumn:
    measure: str  # the measure's name (场次)
    unit: str  # its unit (场, 小时)
    decimals: int
    labels: tuple[str, ...]  # the column dimensions' labels of this column ("合计" for the margin)
    keys: tuple[object, ...] = ()  # the column dimensions' values; empty for the margin
    total: bool = False
    part: str = ""  # compared with a base period: 本期, 上期/去年同期, 增减 or 增长率; "" otherwise

    @property
    def heading(self) -> str:
        """One line: the column labels, then the measure with its unit ("女 · 志愿者数（人）"), then the part
        when compared ("场次（场） · 增长率")."""
        return " · ".join(
            (*self.labels, f"{self.measure}（{self.unit}）", *((self.part,) if self.part else ()))
        )

    @property
    def figure(self) -> bool:
        """The measure's own figure (本期 when compared), not the base, the change or the rate: the chart
        draws these and a drill-down lists their records."""
        return self.part in ("", CURRENT)


@dataclass(frozen=True)
class PivotTable:
    title: str
    scope: str  # 统计范围
    period: str  # 统计时段, as a clerk reads it
    row_headers: tuple[str, ...]  # the row dimensions' names
    column_dimensions: tuple[str, ...]  # the column dimensions' names
    columns: tuple[DataColumn, ...]
    rows: tuple[PivotRow, ...]  # the body; the last row is 合计 when there are row dimensions
    notes: tuple[str, ...] = ()  # the counting rules of the measures and dimensions used
    filters: tuple[str, ...] = ()  # "服务领域=理论宣讲", as asked
    #: 同比/环比: what the figures are compared with ("环比：本期 2026年1月，上期 2025年12月；…"), or why
    #: no comparison applies (a 累计 span's 同比); "" when not compared
    comparison: str = ""

    @property
    def compared(self) -> bool:
        """The columns carry 本期, the base, 增减 and 增长率 (:attr:`DataColumn.part`)."""
        return any(c.part for c in self.columns)

    def header_lines(self) -> list[list[str]]:
        """The header as lines of cells over the data columns: one line per column dimension, then the
        measures, then (compared) 本期 / 上期 / 增减 / 增长率; the row-header cells lead each line (blank
        above the last)."""
        lead = len(self.row_headers) or 1
        lines: list[list[str]] = []
        for depth in range(len(self.column_dimensions)):
            lines.append(
                [""] * lead + [c.labels[depth] if depth < len(c.labels) else "" for c in self.columns]
            )
        names = list(self.row_headers) or [""]
        if self.compared:
            lines.append([""] * lead + [f"{c.measure}（{c.unit}）" for c in self.columns])
            lines.append(names + [c.part for c in self.columns])
        else:
            lines.append(names + [f"{c.measure}（{c.unit}）" for c in self.columns])
        return lines
