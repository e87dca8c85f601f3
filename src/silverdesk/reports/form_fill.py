"""Fill a province's (or city's) own Excel form whose cells are marked with placeholders.

A clerk types ``{{本期活动场次}}``, ``{{统计时段}}``, ``{{表1.合计.活动}}`` … into the form's cells and
``{{表1.rows}}`` into the first cell of the row where the unit rows go; :func:`fill_form` writes the
report's figures there and keeps the form's own styles, merges and print setup.  The vocabulary is
:data:`SCALARS` / :data:`ROW_TABLES` below, documented for users in
``resources/layouts/PLACEHOLDERS.md``.  Unknown placeholders are refused, all of them listed.

Row expansion: the row holding ``{{表1.rows}}`` is the template.  Its cells may name columns
(``{{表1.单位}}``, ``{{表1.活动}}`` …); if none do, the default column order of the layout is
written rightwards from the marker's cell.  One row is written per unit, copying the template
row's style and height; rows are inserted so that everything below moves down (merged cells,
row heights and formula references below are moved too).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from openpyxl import load_workbook
from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from silverdesk.domain.safe_cells import set_cell
from silverdesk.errors import UserError, with_reason
from silverdesk.reports.layout import Layout, default_layout
from silverdesk.reports.model import ReportData, Totals
from silverdesk.reports.narrative import fmt_hours, narrative_paragraphs

_TOTALS = {
    "活动场次": "activities",
    "参与人次": "participations",
    "服务时长": "hours",
    "受益群众": "beneficiaries",
    "志愿服务队数": "teams",
    "志愿者人数": "volunteers",
}

#: Scalar placeholders: Chinese key → dotted path into ReportData ("()" marks computed values).
SCALARS: dict[str, str] = {
    "标题": "title",
    "填报单位": "issuer",
    "统计范围": "scope",
    "统计时段": "period.range_text",
    "报告期": "period.label",
    "开始日期": "period.start",
    "结束日期": "period.end",
    "情况说明": "narrative()",
    **{k: f"current.{v}" for k, v in _TOTALS.items()},
    **{f"本期{k}": f"current.{v}" for k, v in _TOTALS.items()},
    **{f"上期{k}": f"previous.{v}" for k, v in _TOTALS.items()},
    **{f"去年同期{k}": f"last_year.{v}" for k, v in _TOTALS.items()},
    **{f"年度累计{k}": f"year_to_date.{v}" for k, v in _TOTALS.items()},
    "活动场次同比增长率": "growth(last_year)",
    "活动场次环比增长率": "growth(previous)",
    "党组织数": "table3.party_orgs",
    "党员数": "table3.party_members",
    "共建协议数": "table3.agreements",
    "社区报到人数": "table3.registered",
    "社区任职人数": "table3.community_role_people",
    "阵地数": "table3.places",
    "资源条目": "table4.resources",
    "需求条目": "table4.demands",
    "对接次数": "table4.matches",
    "签约订单": "table4.orders_signed",
    "完成订单": "table4.orders_completed",
    **{k: f"footer({k})" for k in ("单位负责人", "审核人", "填表人", "联系电话", "报送日期")},
}
#: ``{{社区任职.楼长}}`` etc.: people holding that community role (0 when nobody does).
ROLE_PREFIX = "社区任职."

_T1_COLUMNS = {
    "序号": "seq",
    "单位": "unit",
    "志愿服务队": "teams",
    "服务队": "teams",
    "志愿者": "volunteers",
    "党员": "party_members",
    "活动": "activities",
    "参与": "participations",
    "服务时长": "hours",
    "受益": "beneficiaries",
    "受益群众": "beneficiaries",
    "累计活动": "ytd_activities",
    "累计受益": "ytd_beneficiaries",
    "备注": "note",
}
_T2_COLUMNS = {
    "服务领域": "category",
    "类别": "category",
    "活动": "activities",
    "参与": "participations",
    "服务时长": "hours",
    "受益": "beneficiaries",
    "受益群众": "beneficiaries",
    "占比": "share",
}
#: Row tables: ``{{表1.rows}}``, column keys ``{{表1.单位}}`` (template row only), totals ``{{表1.合计.活动}}``.
ROW_TABLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "表1": ("table1", "table1_total", _T1_COLUMNS),
    "表2": ("table2", "table2_total", _T2_COLUMNS),
}

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_ONE_REF = re.compile(r"(\$?[A-Z]{1,3})(\$?)(\d+)")
_REF = re.compile(
    r"(?P<sheet>(?:'(?:[^']|'')+'|[A-Za-z_\u4e00-\u9fff][\w.\u4e00-\u9fff]*)!)?"
    r"(?<![A-Za-z_\d.])(?P<a>\$?[A-Z]{1,3}\$?\d+)(?::(?P<b>\$?[A-Z]{1,3}\$?\d+))?(?![\d(A-Za-z_])"
)


@dataclass(frozen=True)
class _Template:
    table: str
    row: int
    columns: dict[int, str]  # column index → field
    cells: dict[int, str]  # column index → template text (for cells mixing text and a column)


#: Figures the statistics service worked out for placeholders of the query model's grammar
#: (``{{星级志愿者人数}}``, ``{{阵地数.驿站}}``, ``{{月度主题}}``): placeholder → value.
Figures = Mapping[str, Any]
#: Called with the placeholders this module does not know; returns the figures of those it can answer and
#: the vocabulary (every placeholder it could answer) the nearest valid ones are suggested from.
FigureSource = Callable[[Sequence[str]], tuple[Figures, Sequence[str]]]


def _split_key(key: str, figures: Figures | None = None) -> tuple[str, str | None, str | None]:
    """(kind, table, rest): kind is "scalar" | "rows" | "column" | "total" | "cell" | "role" | "figure" |
    "unknown"; a "cell" (``表2.理论宣讲.活动``) has rest "label.column"."""
    if key in SCALARS:
        return "scalar", None, None
    if key.startswith(ROLE_PREFIX) and len(key) > len(ROLE_PREFIX):
        return "role", None, key[len(ROLE_PREFIX) :]
    table, dot, rest = key.partition(".")
    if dot and table in ROW_TABLES:
        columns = ROW_TABLES[table][2]
        if rest == "rows":
            return "rows", table, None
        if rest.startswith("合计.") and rest[3:] in columns:
            return "total", table, rest[3:]
        if rest in columns:
            return "column", table, rest
        label, dot2, column = rest.rpartition(".")
        if dot2 and label and column in columns:
            return "cell", table, rest
    if figures is not None and key in figures:
        return "figure", None, None
    return "unknown", None, None


def _row(data: ReportData, table: str, label: str) -> Any:
    """The row of 表1 (by unit) or 表2 (by 服务领域) named ``label``; None when there is none."""
    for record in getattr(data, ROW_TABLES[table][0]):
        if label in (getattr(record, "unit", None), getattr(record, "category", None)):
            return record
    return None


def _row_labels(data: ReportData, table: str) -> list[str]:
    return [
        str(getattr(r, "unit", None) or getattr(r, "category", ""))
        for r in getattr(data, ROW_TABLES[table][0])
    ]


def vocabulary(data: ReportData) -> list[str]:
    """Every placeholder this module fills for ``data`` (the nearest valid ones are suggested from it)."""
    out = list(SCALARS)
    out += [f"{ROLE_PREFIX}{name}" for name, _ in data.table3.community_roles]
    for table, (_source, _total, columns) in ROW_TABLES.items():
        out += [f"{table}.rows", *(f"{table}.合计.{c}" for c in columns)]
        out += [f"{table}.{label}.{c}" for label in _row_labels(data, table) for c in ("活动", "受益")]
    return out


def _resolve(data: ReportData, path: str) -> Any:
    if path == "narrative()":
        return "\n".join("　　" + p for p in narrative_paragraphs(data))
    if path.startswith("footer("):
        return dict(data.footer).get(path[7:-1], "")
    if path.startswith("growth("):
        base: Totals | None = getattr(data, path[7:-1])
        if base is None or base.activities == 0:
            return None
        return round((data.current.activities - base.activities) / base.activities, 4)
    value: Any = data
    for part in path.split("."):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _scalar(data: ReportData, key: str, figures: Figures | None = None) -> Any:
    kind, table, rest = _split_key(key, figures)
    if kind == "scalar":
        return _resolve(data, SCALARS[key])
    if kind == "role":
        return dict(data.table3.community_roles).get(rest or "", 0)
    if kind == "total" and table and rest:
        _source, total, columns = ROW_TABLES[table]
        return getattr(getattr(data, total), columns[rest])
    if kind == "cell" and table and rest:
        label, _, column = rest.rpartition(".")
        record = _row(data, table, label)
        return None if record is None else getattr(record, ROW_TABLES[table][2][column])
    if kind == "figure" and figures is not None:
        return figures[key]
    raise KeyError(key)


def _lookup(data: ReportData, key: str, figures: Figures | None = None) -> tuple[Any, str]:
    """A scalar placeholder's value and the DTO field it comes from (for formatting)."""
    kind, table, rest = _split_key(key, figures)
    field = ""
    if kind == "total" and table and rest:
        field = ROW_TABLES[table][2][rest]
    elif kind == "cell" and table and rest:
        field = ROW_TABLES[table][2][rest.rpartition(".")[2]]
    return _scalar(data, key, figures), field


def _as_text(value: Any, field: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value * 100:.1f}%" if field == "share" else fmt_hours(value)
    return str(value)


def _fill_cell(cell: Any, text: str, lookup: Any) -> None:
    """Replace the placeholders of ``text`` via ``lookup(key) -> (value, field)``; a lone one keeps its type."""
    whole = _PLACEHOLDER.fullmatch(text.strip())
    if whole:
        value, _field = lookup(whole.group(1))
        set_cell(cell, value if value != "" else None)  # a unit called "=…" stays text
        return
    filled = _PLACEHOLDER.sub(lambda m: _as_text(*lookup(m.group(1))), text)
    if text.startswith("="):
        cell.value = filled  # the form's own formula around a placeholder
    else:
        set_cell(cell, filled)


def shift_formula(formula: str, after_row: int, by: int, sheet: str = "") -> str:
    """Move A1 references to rows below ``after_row`` down by ``by``; grow ranges ending on it.

    References qualified with another sheet's name are left alone; string literals too.
    """
    if by == 0:
        return formula

    def move_ref(ref: str, is_range_end: bool) -> str:
        m = _ONE_REF.fullmatch(ref)
        if not m:
            return ref
        row = int(m.group(3))
        if row > after_row or (row == after_row and is_range_end):
            row += by
        return f"{m.group(1)}{m.group(2)}{row}"

    def move(m: re.Match[str]) -> str:
        qualifier = m.group("sheet")
        if qualifier:
            name = qualifier[:-1]
            name = name[1:-1].replace("''", "'") if name.startswith("'") else name
            if name != sheet:
                return m.group(0)
        first, second = m.group("a"), m.group("b")
        moved = move_ref(first, False) + (":" + move_ref(second, True) if second else "")
        return (qualifier or "") + moved

    out: list[str] = []
    for i, part in enumerate(re.split(r"(\"[^\"]*\")", formula)):
        out.append(part if i % 2 else _REF.sub(move, part))
    return "".join(out)


def _insert_rows(ws: Worksheet, after_row: int, count: int) -> None:
    """Insert ``count`` rows below ``after_row``, moving merges, heights and formulas along."""
    if count <= 0:
        return
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row > after_row:
            rng.shift(0, count)
        elif rng.max_row > after_row:
            rng.expand(down=count)
    heights = {r: d.height for r, d in ws.row_dimensions.items() if r > after_row and d.height is not None}
    ws.insert_rows(after_row + 1, count)
    for r in sorted(heights, reverse=True):
        ws.row_dimensions[r].height = None
    for r, h in heights.items():
        ws.row_dimensions[r + count].height = h
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.value = shift_formula(cell.value, after_row, count, ws.title)
    area = ws.print_area
    if area:
        text = area if isinstance(area, str) else ",".join(area)
        moved = shift_formula(text, after_row, count, ws.title)
        ws.print_area = ",".join(part.split("!")[-1] for part in moved.split(","))


def _keys(wb: Any) -> list[str]:
    """Every placeholder of the workbook, once each, in reading order."""
    found: dict[str, None] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    found.update(dict.fromkeys(_PLACEHOLDER.findall(c.value)))
    return list(found)


def _nearest(key: str, words: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, list(dict.fromkeys(words)), n=4, cutoff=0.4)
    return f"（最接近的有：{'、'.join('{{' + w + '}}' for w in close)}）" if close else ""


def _scan(
    wb: Any, layout: Layout, data: ReportData, figures: Figures, words: Sequence[str]
) -> tuple[dict[str, list[_Template]], list[str]]:
    """Template rows per sheet, and the unknown or misplaced placeholders as "表!B3 {{…}}" (with the
    nearest valid ones from ``words``)."""
    templates: dict[str, list[_Template]] = {}
    problems: list[str] = []
    for ws in wb.worksheets:
        found: list[_Template] = []
        for row in ws.iter_rows():
            keys = [(c, k) for c in row if isinstance(c.value, str) for k in _PLACEHOLDER.findall(c.value)]
            kinds = [(c, k, *_split_key(k, figures)) for c, k in keys]
            for c, k, kind, t, r in kinds:
                if kind == "unknown":
                    problems.append(f"{ws.title}!{c.coordinate} {{{{{k}}}}}{_nearest(k, words)}")
                elif kind == "cell" and t and r and _row(data, t, r.rpartition(".")[0]) is None:
                    label = r.rpartition(".")[0]
                    labels = "、".join(_row_labels(data, t)) or "（本期没有）"
                    problems.append(
                        f"{ws.title}!{c.coordinate} {{{{{k}}}}}（{t}没有“{label}”这一行；有：{labels}）"
                    )
            markers = [(c, t) for c, _k, kind, t, _r in kinds if kind == "rows"]
            tables = {t for _c, t in markers}
            for c, k, kind, t, _r in kinds:
                if kind == "column" and t not in tables:
                    problems.append(
                        f"{ws.title}!{c.coordinate} {{{{{k}}}}}（列占位符只能写在 {{{{{t}.rows}}}} 所在行）"
                    )
            if len(markers) > 1:
                problems.append(f"{ws.title}!{markers[1][0].coordinate} 同一行只能有一个 {{{{….rows}}}}")
                continue
            if markers:
                marker_cell, table = markers[0]
                assert table is not None
                columns = {
                    c.column: ROW_TABLES[table][2][r]
                    for c, _k, kind, t, r in kinds
                    if kind == "column" and t == table and r
                }
                cells = {
                    c.column: c.value
                    for c in row
                    if isinstance(c.value, str)
                    and any(_split_key(k)[0] == "column" for k in _PLACEHOLDER.findall(c.value))
                }
                if not columns:
                    columns = {
                        marker_cell.column + i: f for i, f in enumerate(_default_fields(table, layout))
                    }
                found.append(_Template(table, marker_cell.row, columns, cells))
        templates[ws.title] = found
    return templates, problems


def _default_fields(table: str, layout: Layout) -> list[str]:
    """The layout's column order of the row table ``table`` (used when a template names no columns)."""
    source = ROW_TABLES[table][0]
    for t in layout.tables:
        if t.kind == "rows" and t.source == source:
            return [c.field for c in t.columns]
    return list(dict.fromkeys(ROW_TABLES[table][2].values()))


def _expand(ws: Worksheet, tpl: _Template, data: ReportData, figures: Figures) -> None:
    source = getattr(data, ROW_TABLES[tpl.table][0])
    columns = ROW_TABLES[tpl.table][2]
    rows = list(source)
    # (a MergedCell's column may be None to the stubs; never on a row of a sheet)
    template_cells = {c.column: c for c in ws[tpl.row] if c.column is not None}
    # _style: openpyxl's private style array, the only way to copy a cell's whole style (not in the stubs)
    styles = {col: copy(cell._style) for col, cell in template_cells.items()}  # type: ignore[union-attr]
    height = ws.row_dimensions[tpl.row].height
    _insert_rows(ws, tpl.row, len(rows) - 1)
    marker = re.compile(r"\{\{\s*" + re.escape(tpl.table) + r"\.rows\s*\}\}")
    for i, record in enumerate(rows or [None]):
        r = tpl.row + i
        for col, style in styles.items():
            ws.cell(row=r, column=col)._style = copy(style)  # type: ignore[union-attr]
        if height is not None:
            ws.row_dimensions[r].height = height
        for col, cell in template_cells.items():
            if (
                isinstance(cell.value, str)
                and marker.search(cell.value)
                and col not in tpl.columns
                and i == 0
            ):
                cell.value = marker.sub("", cell.value) or None
        for col, field in tpl.columns.items():
            target = cast(Cell, ws.cell(row=r, column=col))  # holds a placeholder: no merge covers it
            if record is None:
                target.value = None
                continue
            text = marker.sub("", tpl.cells.get(col, "")).strip()
            if text:

                def row_lookup(key: str, rec: Any = record) -> tuple[Any, str]:
                    kind, _table, rest = _split_key(key, figures)
                    if kind != "column":
                        return _lookup(data, key, figures)
                    f = columns[rest or ""]
                    return getattr(rec, f), f

                _fill_cell(target, text, row_lookup)
            else:
                set_cell(target, getattr(record, field))


def fill_form(
    data: ReportData,
    form_path: str | Path,
    out_path: str | Path,
    layout: Layout | None = None,
    source: FigureSource | None = None,
) -> Path:
    """Fill the placeholders of the workbook ``form_path`` from ``data`` and save it as ``out_path``.

    ``source`` answers the placeholders of the statistics query model (a measure's total, a measure by a
    dimension's value, the month's theme): it is called once with every placeholder not of this module's
    own grammar. Raises :class:`UserError` (code ``bad_form``) listing every unknown or misplaced
    placeholder with the nearest valid ones, or when the form cannot be read or the result cannot be
    written.
    """
    form_path, out_path = Path(form_path), Path(out_path)
    if form_path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserError(
            f"表样 {form_path.name} 须为 .xlsx 文件（.xls 请先用 Excel/WPS 另存为 .xlsx）", code="bad_form"
        )
    try:
        wb = load_workbook(form_path, keep_vba=form_path.suffix.lower() == ".xlsm")
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise UserError(f"无法读取表样 {form_path.name}{with_reason(exc)}", code="bad_form") from exc
    unknown = [k for k in _keys(wb) if _split_key(k)[0] == "unknown"]
    figures: Figures = {}
    words = vocabulary(data)
    if source is not None and unknown:
        figures, more = source(unknown)
        words += list(more)
    templates, problems = _scan(wb, layout or default_layout(), data, figures, words)
    if problems:
        raise UserError(
            "表样中有无法识别的占位符："
            + "；".join(problems)
            + "。可用的占位符见《占位符说明》（PLACEHOLDERS.md），统计指标和分组见 silverdesk stats --list",
            code="bad_form",
        )

    for ws in wb.worksheets:
        template_rows = {t.row for t in templates[ws.title]}
        for row in ws.iter_rows():
            for cell in row:
                if (
                    cell.row not in template_rows
                    and isinstance(cell.value, str)
                    and _PLACEHOLDER.search(cell.value)
                ):
                    _fill_cell(cell, cell.value, lambda key: _lookup(data, key, figures))
        for tpl in sorted(templates[ws.title], key=lambda t: -t.row):
            _expand(ws, tpl, data, figures)
    try:
        wb.save(out_path)
    except PermissionError as exc:
        raise UserError(
            f"无法写入 {out_path.name}：文件可能正在 Excel/WPS 中打开，请关闭后重试", code="bad_form"
        ) from exc
    except OSError as exc:
        raise UserError(f"无法写入 {out_path.name}{with_reason(exc)}", code="bad_form") from exc
    return out_path
