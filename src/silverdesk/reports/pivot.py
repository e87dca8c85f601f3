"""A 分组统计 table as it is shown, printed and exported: header lines, rows with their labels, 合计.

Made from a statistics question's answer by ``services/statistics/query/pivot.py``; the screen's
table model, ``silverdesk stats`` and the xlsx/PDF writers all read this one shape, so what the clerk
sees is what is written.
"""

from __future__ import annotations

from dataclasses import dataclass

Number = int | float

TOTAL = "合计"


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

    @property
    def heading(self) -> str:
        """One line: the column labels, then the measure with its unit ("女 · 志愿者数（人）")."""
        return " · ".join((*self.labels, f"{self.measure}（{self.unit}）"))


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

    def header_lines(self) -> list[list[str]]:
        """The header as lines of cells over the data columns: one line per column dimension, then the
        measures; the row-header cells lead each line (blank above the last)."""
        lead = len(self.row_headers) or 1
        lines: list[list[str]] = []
        for depth in range(len(self.column_dimensions)):
            lines.append(
                [""] * lead + [c.labels[depth] if depth < len(c.labels) else "" for c in self.columns]
            )
        names = list(self.row_headers) or [""]
        lines.append(names + [f"{c.measure}（{c.unit}）" for c in self.columns])
        return lines
