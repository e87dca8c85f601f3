"""Find the table inside a sheet: title and 填报单位 rows above, header (one or two rows),
records, and the 合计/填表人 rows below that are not records.

Units fill forms by hand, so nothing is assumed about positions: the header is the row (or
merged row pair) that looks most like a header for the kind; everything above it is mined for
metadata; every row below it is a record unless it is blank, a repeated header, the 1-2-3
column-number row some forms have, or a footer — those are listed in ``skipped`` with the
reason, so a clerk can see that nothing vanished.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from silverdesk.domain.dates import DateError, parse_date
from silverdesk.domain.text import clean, to_halfwidth
from silverdesk.domain.titles import section_category
from silverdesk.errors import UserError
from silverdesk.services.importing.bulk import gc_paused
from silverdesk.services.importing.fields import KINDS
from silverdesk.services.importing.files import Grid
from silverdesk.services.importing.mapping import header_score, normalize_label

HEADER_SEARCH_ROWS = 60
"""The header must start within the first this-many non-empty rows."""
MIN_HEADER_SCORE = 2.0
ONE_COLUMN_KINDS = frozenset({"themes"})
"""Kinds whose sheet may have a single column (a 年度主题 list of “1月 银龄暖冬”): one known label is a header
when the kind is given."""


class LayoutError(UserError):
    code = "no_header"


@dataclass(frozen=True)
class Column:
    index: int  # 0-based sheet column
    label: str  # leaf label as written
    group: str = ""  # merged group label above it in a two-row header ("基本信息")
    hidden: bool = False

    @property
    def letter(self) -> str:
        n, out = self.index + 1, ""
        while n:
            n, rem = divmod(n - 1, 26)
            out = chr(65 + rem) + out
        return out


@dataclass(slots=True)
class RawRow:
    """One record row.  ``values`` is the sheet row as read: index it with ``Column.index``
    (it may be shorter than the header; missing cells are empty)."""

    row_number: int  # Excel row number (1-based)
    values: list[Any]
    hidden: bool = False

    def get(self, index: int) -> Any:
        return self.values[index] if index < len(self.values) else None


@dataclass
class Table:
    header_row_numbers: tuple[int, ...]  # Excel row numbers of the header row(s)
    columns: list[Column]
    rows: list[RawRow]
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (Excel row number, reason)
    meta: dict[str, Any] = field(
        default_factory=dict
    )  # title, unit, report_date, report_date_text, blank_rows
    sheet_name: str = ""
    warnings: list[str] = field(default_factory=list)
    merged_filled: dict[str, int] = field(default_factory=dict)  # column label → cells filled from a merge
    sections: list[tuple[int, str]] = field(default_factory=list)
    """Section rows (“一、助老服务类”: not records, listed in ``skipped`` too): (Excel row number, text)."""
    merged_cells: list[tuple[int, int]] = field(default_factory=list)  # (Excel row, column index) filled


def unfill_merged(table: Table) -> Table:
    """``table`` as if its merged data cells had not been filled (the clerk unticked 填入合并单元格的值).

    A copy: the cells a merge spans are empty again and nothing is counted; ``table`` stays as read.
    """
    if not table.merged_cells:
        return table
    cleared: dict[int, list[int]] = {}
    for row_number, index in table.merged_cells:
        cleared.setdefault(row_number, []).append(index)
    rows = []
    for row in table.rows:
        if row.row_number in cleared:
            values = list(row.values)
            for index in cleared[row.row_number]:
                values[index] = None
            row = RawRow(row.row_number, values, row.hidden)
        rows.append(row)
    return replace(table, rows=rows, merged_filled={}, merged_cells=[])


# ---- cells -------------------------------------------------------------------------------
def _text(v: Any) -> str:
    return clean(v) if isinstance(v, str) else ""


_UNIT_RE = re.compile(
    r"(?:(?:填报|报送|填表)?单位|(?:填报|报送|填表)社区)(?:名称)?(?:\(盖章\))?[:：]\s*(.*?)(?=\s{2,}|\s*(?:填报|填表|报送|统计)|$)"
)
_DATE_RE = re.compile(
    r"(?:填报|报送|填表|制表)(?:日期|时间)[:：]\s*(.*?)(?=\s{2,}|\s*(?:填报|填表|报送|单位)|$)"
)
_PERIOD_RE = re.compile(r"统计(?:时段|期间|时间)[:：]\s*(.*?)(?=\s{2,}|$)")
_TOTAL_RE = re.compile(r"^(?:总合计|合计|总计|小计|共计|累计|全[县市区]合计)")
_SIGN_RE = re.compile(
    r"^(?:单位负责人|主要负责人|分管领导|负责人|填表人|填报人|制表人|审核人|审批人|联系人|联系电话|填报日期|填表日期|制表日期|报送日期)"
    r"(?:\(签字\)|\(签名\))?[:：]"
)
_NOTE_RE = re.compile(r"^(?:填报说明|填表说明|说明|备注|注|附注|注意)(?:\d|[:：])")
_SIGN_FIRST = frozenset("单主分负填制审联报")
_EXAMPLE_MARKS = frozenset({"示例", "例", "填写示例", "(示例)"})  # the 序号 cell of a template's example row


def _expand_merged(grid: Grid, limit: int) -> dict[tuple[int, int], tuple[str, int, int]]:
    """(row, col) inside a merge within the first ``limit`` rows → (top-left text, first_row, span_cols)."""
    out: dict[tuple[int, int], tuple[str, int, int]] = {}
    for r0, c0, r1, c1 in grid.merged:
        if r0 >= limit or (r1 - r0 + 1) * (c1 - c0 + 1) > 5000:
            continue
        row = grid.rows[r0] if r0 < len(grid.rows) else []
        text = _text(row[c0]) if c0 < len(row) else ""
        for r in range(r0, min(r1, limit) + 1):
            for c in range(c0, c1 + 1):
                out[(r, c)] = (text, r0, c1 - c0 + 1)
    return out


def _cells(grid: Grid, r: int) -> list[str]:
    return [_text(v) for v in grid.rows[r]] if r < len(grid.rows) else []


@gc_paused()
def find_table(grid: Grid, kind: str | None = None, *, header_row: int | None = None) -> Table:
    """Locate header, records and footer in ``grid``.

    ``kind`` narrows header scoring to one import kind (``None``: any).  ``header_row`` is an
    Excel row number the clerk chose when detection failed (the leaf row of a two-row header).
    Raises :class:`LayoutError` if no header can be found.
    """
    kinds = [kind] if kind else list(KINDS)
    limit = min(len(grid.rows), HEADER_SEARCH_ROWS + 20)
    merged = _expand_merged(grid, limit + 2)
    width = grid.width

    def leaves(r: int, pair: bool) -> tuple[list[str], list[str]]:
        top = [t or merged.get((r, c), (t, r, 1))[0] for c, t in enumerate(_pad(_cells(grid, r), width))]
        if not pair:
            return top, [""] * width
        below = _pad(_cells(grid, r + 1), width)
        labels, groups = [], []
        for c in range(width):
            m = merged.get((r, c))
            if below[c] and not (
                m and m[1] == r and (r + 1, c) in merged and merged[(r + 1, c)][1] == r and m[2] == 1
            ):
                labels.append(below[c])
                groups.append(top[c] if top[c] != below[c] else "")
            else:
                labels.append(top[c])
                groups.append("")
        return labels, groups

    def has_group_merge(r: int) -> bool:
        return any(m[1] == r and m[2] > 1 and m[0] for (rr, _c), m in merged.items() if rr == r)

    best: tuple[float, int, bool] | None = None
    if header_row is not None:
        r = header_row - 1
        pair = r > 0 and has_group_merge(r - 1)
        best = (99.0, r - 1 if pair else r, pair)
    else:
        seen = 0
        for r in range(limit):
            cells = _cells(grid, r)
            if not any(cells):
                continue
            seen += 1
            if seen > HEADER_SEARCH_ROWS:
                break
            cands = [(header_score(leaves(r, False)[0], kinds), r, False)]
            if r + 1 < len(grid.rows) and has_group_merge(r):
                cands.append((header_score(leaves(r, True)[0], kinds) + 0.01, r, True))
            for cand in cands:
                if best is None or cand[0] > best[0]:
                    best = cand
        least = 1.0 if kind in ONE_COLUMN_KINDS else MIN_HEADER_SCORE
        if best is None or best[0] < least:
            raise LayoutError(
                f"工作表“{grid.sheet_name}”中没有找到表头行（应包含“姓名”“活动日期”等列名）；请在预览中指定表头所在的行"
            )
    _score, start, pair = best
    labels, groups = leaves(start, pair)
    end = start + 1 if pair else start
    columns = [Column(c, labels[c], groups[c], c in grid.hidden_cols) for c in range(width) if labels[c]]
    table = Table(
        header_row_numbers=tuple(range(start + 1, end + 2)),
        columns=columns,
        rows=[],
        sheet_name=grid.sheet_name,
        warnings=list(grid.warnings),
    )
    table.meta.update(_meta_above(grid, start, merged))
    _collect_rows(grid, table, end + 1, {normalize_label(lb) for lb in labels if lb})
    _fill_merged(grid, table, end + 1)
    return table


def _pad(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells)) if len(cells) < width else cells


def _meta_above(
    grid: Grid, start: int, merged: dict[tuple[int, int], tuple[str, int, int]]
) -> dict[str, Any]:
    """Title, 填报单位, 填报日期 and 统计时段 from the rows above the header."""
    meta: dict[str, Any] = {}
    for r in range(start):
        cells = [t for t in _cells(grid, r) if t]
        if not cells:
            continue
        line = "  ".join(cells)
        flat = to_halfwidth(line)
        found = False
        if m := _UNIT_RE.search(flat):
            unit = m.group(1).strip() or _next_cell(cells, "单位") or _next_cell(cells, "社区")
            if unit:
                meta["unit"] = unit
            found = True
        if m := _DATE_RE.search(flat):
            raw = m.group(1).strip() or _next_cell(cells, "日期")
            if raw:
                meta["report_date_text"] = raw
                try:
                    parsed = parse_date(raw.replace(" ", ""))
                    if parsed:
                        meta["report_date"] = parsed.value
                except DateError:
                    pass
            found = True
        if m := _PERIOD_RE.search(flat):
            meta["period_text"] = m.group(1).strip()
            found = True
        if not found and "title" not in meta and len(cells) == 1:
            meta["title"] = cells[0]
    return meta


def _next_cell(cells: list[str], word: str) -> str:
    for i, t in enumerate(cells[:-1]):
        if word in t and t.rstrip().endswith((":", "：")):
            return cells[i + 1]
    return ""


def _collect_rows(grid: Grid, table: Table, first: int, header_norm: set[str]) -> None:
    hidden_rows = grid.hidden_rows
    skipped = table.skipped
    out = table.rows
    blank = 0
    checked_numbering = False
    threshold = max(2, int(0.6 * len(header_norm)))
    rows = grid.rows
    for r in range(first, len(rows)):
        row = rows[r]
        filled = [v for v in row if v is not None and (not isinstance(v, str) or v.strip())]
        if not filled:
            blank += 1
            continue
        if not checked_numbering:
            checked_numbering = True
            if _is_numbering_row(filled):
                skipped.append((r + 1, "表头下方的列序号行（1、2、3…），不是记录"))
                continue
        reason = _footer_reason(filled, header_norm, threshold)
        if reason:
            skipped.append((r + 1, reason))
            continue
        if (
            len(filled) == 1
            and filled[0].__class__ is str
            and (section := _section(grid, r, first, filled[0]))
        ):
            skipped.append((r + 1, f"分类标题行（“{section}”），不是记录"))
            table.sections.append((r + 1, section))
            continue
        out.append(RawRow(r + 1, row, r in hidden_rows))
    table.meta["blank_rows"] = blank


def _section(grid: Grid, r: int, first: int, text: str) -> str:
    """The row's text if it is a section row (“一、助老服务类”, see :func:`section_category`), else ``""``.

    A row inside a merge that started above it is a record whose other cells the merge fills.
    """
    if section_category(text) is None:
        return ""
    if any(first <= r0 < r <= r1 for r0, _c0, r1, _c1 in grid.merged):
        return ""
    return clean(text)


def _fill_merged(grid: Grid, table: Table, first: int) -> None:
    """Give a merged data cell's value to every record row it spans (only the top row holds it).

    Units merge a column over consecutive rows when the value repeats (the date of several
    activities, the 原工作单位 of several people).  Only merges that start in the record area
    count; the value goes into the merge's first column of each spanned record row (a merge over
    several columns does not copy into the others, which are other fields).  A blank cell
    outside any merge is left blank; rows that are otherwise empty, skipped rows and merges
    whose top row is not a record are left alone.  The cells filled are counted per column and
    listed (:func:`unfill_merged` empties them again).
    """
    if not grid.merged or not table.rows:
        return
    labels = {col.index: col.label for col in table.columns}
    by_number = {row.row_number: i for i, row in enumerate(table.rows)}
    budget = len(grid.rows) * max(len(labels), 1)  # overlapping hostile merges cannot blow up
    filled = table.merged_filled
    for r0, c0, r1, _c1 in sorted(grid.merged):
        if r0 < first or r1 <= r0 or c0 not in labels or (r0 + 1) not in by_number:
            continue
        value = table.rows[by_number[r0 + 1]].get(c0)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        for r in range(r0 + 1, min(r1, len(grid.rows) - 1) + 1):
            budget -= 1
            if budget < 0:
                return
            i = by_number.get(r + 1)
            if i is None:
                continue
            row = table.rows[i]
            if row.get(c0) == value:
                continue
            values = list(row.values)
            if len(values) <= c0:
                values.extend([None] * (c0 + 1 - len(values)))
            values[c0] = value
            row.values = values
            filled[labels[c0]] = filled.get(labels[c0], 0) + 1
            table.merged_cells.append((row.row_number, c0))


def _is_numbering_row(filled: list[Any]) -> bool:
    nums = []
    for v in filled:
        if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer():
            nums.append(int(v))
        elif isinstance(v, str) and to_halfwidth(v.strip()).isdigit():
            nums.append(int(to_halfwidth(v.strip())))
        elif isinstance(v, str) and v.strip() in "甲乙丙丁戊":
            continue
        else:
            return False
    return len(nums) >= 3 and nums == list(range(nums[0], nums[0] + len(nums)))


def _squeeze(text: str) -> str:
    return to_halfwidth(text).replace(" ", "").replace("\u3000", "")


def _footer_reason(filled: list[Any], header_norm: set[str], threshold: int) -> str:
    """Why a row is not a record, or ``""``.  Runs on every row, so dense rows only look at
    their first cell; sparse rows (footers are sparse) get every text cell checked."""
    head = filled[0]
    if isinstance(head, str):
        first = _squeeze(head)
        if first in _EXAMPLE_MARKS:
            return "填写示例行（模板自带），不是记录"
        if _TOTAL_RE.match(first):
            return f"合计行（“{first[:10]}”），不是记录"
        if first[:1] in _SIGN_FIRST and _SIGN_RE.match(first):
            return f"签字/落款行（“{first[:12]}”），不是记录"
        if _NOTE_RE.match(first):
            return f"说明文字行（“{first[:12]}…”），不是记录"
        if normalize_label(first) in header_norm:
            texts = [normalize_label(v) for v in filled if isinstance(v, str)]
            if sum(1 for t in texts if t in header_norm) >= threshold:
                return "重复的表头行（分页打印时重复的标题），不是记录"
    if len(filled) <= 6:
        for v in filled[1:]:
            if isinstance(v, str):
                t = _squeeze(v)
                if t[:1] in _SIGN_FIRST and _SIGN_RE.match(t):
                    return f"签字/落款行（“{t[:12]}”），不是记录"
    return ""
