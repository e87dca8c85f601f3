"""The report layout: a JSON file that says what the workbook and the PDF contain.

``resources/layouts/default.json`` is the default; a bureau can ship its own file in the same
format.  :func:`load_layout` reads and validates one and raises :class:`UserError` naming the
problem (``tables[0].columns[3].field: …``) rather than failing later in a writer.

Format (version 1), in brief::

    {"format": "silverdesk-report-layout", "version": 1, "name": "…",
     "title": "{title}", "subtitle": "（{period_label}）",             # templates, see TEMPLATE_VARS
     "header": {"left": "填报单位（盖章）：{issuer}", "center": "…", "right": "统计时段：{range_text}"},
     "xlsx_fonts": {"body": "仿宋", "title": "宋体"},
     "footer": ["单位负责人", "审核人", "填表人", "联系电话", "报送日期"],  # labels of ReportData.footer
     "narrative": {"sheet": "说明", "caption": "…", "notes_caption": "编报说明",
                   "charts": [{"field": "activities", "title": "…"}]},  # TrendPoint fields
     "tables": [{"id": "表1", "sheet": "…", "caption": "…", "kind": "rows" | "record",
                 "source": "table1", "total": "table1_total", "landscape": true,
                 "columns": [{"field": "activities", "header": ["本期", "活动（场次）"],
                              "width": 10, "format": "#,##0", "align": "center"}],
                 "items": [...record tables only...], "notes": ["注：…"]},
                {"title": "人才库分类统计", "measures": ["人才数"], "rows": ["人才库类别"],  # a measure ×
                 "columns": []}],                     # dimension table of the statistics query model
     "pdf_order": ["narrative", "表1", …, "notes", "footer"]}

A column's ``header`` is its path of header labels from the top; adjacent columns sharing a
prefix get merged group cells ("本期" over four columns) and shorter paths are merged downwards.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from types import EllipsisType
from typing import Any, overload

from silverdesk.errors import UserError, with_reason
from silverdesk.reports.model import CategoryRow, OrgFigures, SupplyDemand, UnitRow
from silverdesk.resources import resource_path

LAYOUT_FORMAT = "silverdesk-report-layout"
LAYOUT_VERSION = 1

TEMPLATE_VARS = ("title", "issuer", "scope", "period_label", "range_text", "generated")
NUMBER_FORMATS = ("@", "0", "#,##0", "0.0", "#,##0.0", "0.00", "#,##0.00", "0.0%", "0.00%")
ALIGNS = ("left", "center", "right")
ROW_SOURCES: dict[str, tuple[type, str]] = {
    "table1": (UnitRow, "table1_total"),
    "table2": (CategoryRow, "table2_total"),
}
RECORD_SOURCES: dict[str, type] = {"table3": OrgFigures, "table4": SupplyDemand}
RECORD_COLUMNS = ("seq", "label", "unit", "value")
EXPANDABLE = {"community_roles": "role"}  # tuple-of-pairs fields → the name of their key in labels
TREND_FIELDS = ("activities", "beneficiaries")
PDF_SECTIONS = ("narrative", "notes", "footer")
_BAD_SHEET_CHARS = set("[]:*?/\\")


@dataclass(frozen=True)
class Column:
    field: str
    header: tuple[str, ...]
    width: float  # Excel character widths; the PDF uses them as proportions
    number_format: str
    align: str


@dataclass(frozen=True)
class RecordItem:
    label: str  # may contain "{role}" when ``expand`` is set
    unit: str
    field: str | None  # a numeric field of the record, or None with ``expand``
    expand: str | None  # a tuple-of-pairs field that gives one row per pair
    number_format: str
    indent: int


@dataclass(frozen=True)
class TableLayout:
    id: str
    sheet: str
    caption: str
    kind: str  # "rows" | "record" | "model"
    source: str
    total: str | None
    landscape: bool
    columns: tuple[Column, ...]
    items: tuple[RecordItem, ...]
    notes: tuple[str, ...]
    #: kind "model": a table of the statistics query model — measures × row (and column) dimensions,
    #: as ``silverdesk stats`` names them; filled by the statistics service (its columns come from the answer)
    measures: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    across: tuple[str, ...] = ()

    @property
    def header_depth(self) -> int:
        return max(len(c.header) for c in self.columns)


@dataclass(frozen=True)
class ChartLayout:
    field: str
    title: str


@dataclass(frozen=True)
class NarrativeLayout:
    sheet: str
    caption: str
    notes_caption: str
    charts: tuple[ChartLayout, ...]


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    subtitle: str
    header_left: str
    header_center: str
    header_right: str
    xlsx_body_font: str
    xlsx_title_font: str
    footer: tuple[str, ...]
    narrative: NarrativeLayout
    tables: tuple[TableLayout, ...]
    pdf_order: tuple[str, ...]

    def table(self, table_id: str) -> TableLayout:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)


class _Reader:
    """Typed access to a JSON object that reports problems with their path."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, problem: str) -> UserError:
        return UserError(f"报表版式文件 {self.origin} 有误：{where}：{problem}", code="bad_layout")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "应为 JSON 对象 {…}")
        return value

    def get(
        self, obj: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...], default: Any = ...
    ) -> Any:
        if key not in obj:
            if default is ...:
                raise self.fail(f"{where}.{key}" if where else key, "缺少此项")
            return default
        value = obj[key]
        ok = isinstance(value, kind) and not (isinstance(value, bool) and kind in (int, float, (int, float)))
        if not ok:
            names = {
                str: "文字",
                int: "整数",
                float: "数字",
                bool: "true/false",
                list: "列表 […]",
                dict: "对象 {…}",
            }
            kinds = kind if isinstance(kind, tuple) else (kind,)
            raise self.fail(
                f"{where}.{key}" if where else key,
                f"应为{'或'.join(names.get(k, k.__name__) for k in kinds)}",
            )
        return value

    @overload
    def text(self, obj: dict[str, Any], key: str, where: str, default: str | EllipsisType = ...) -> str: ...
    @overload
    def text(self, obj: dict[str, Any], key: str, where: str, default: None) -> str | None: ...
    def text(
        self, obj: dict[str, Any], key: str, where: str, default: str | EllipsisType | None = ...
    ) -> str | None:
        value: str | None = self.get(obj, key, where, str, default)
        return value

    def template(self, obj: dict[str, Any], key: str, where: str, default: str | EllipsisType = ...) -> str:
        text = self.text(obj, key, where, default)
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        except ValueError as exc:
            raise self.fail(
                f"{where}.{key}", f"模板写法有误{with_reason(exc)}；大括号本身请写成 {{{{ 或 }}}}"
            ) from exc
        unknown = [n for n in names if n not in TEMPLATE_VARS]
        if unknown:
            raise self.fail(
                f"{where}.{key}", f"未知的变量 {{{unknown[0]}}}；可用：{'、'.join(TEMPLATE_VARS)}"
            )
        return text


def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _column(r: _Reader, raw: Any, where: str, allowed: tuple[str, ...], table_id: str) -> Column:
    obj = r.obj(raw, where)
    field = r.text(obj, "field", where)
    if field not in allowed:
        raise r.fail(f"{where}.field", f"“{field}”不是{table_id}的字段；可用：{'、'.join(allowed)}")
    header = r.get(obj, "header", where, list)
    if not header or not all(isinstance(h, str) and h.strip() for h in header) or len(header) > 3:
        raise r.fail(f"{where}.header", '应为 1–3 个非空文字的列表，自上而下，如 ["本期", "活动（场次）"]')
    width = r.get(obj, "width", where, (int, float), 10)
    if not 2 <= width <= 80:
        raise r.fail(f"{where}.width", "列宽应在 2 到 80 之间")
    fmt = r.text(obj, "format", where, "@")
    if fmt not in NUMBER_FORMATS:
        raise r.fail(f"{where}.format", f"不支持的数字格式“{fmt}”；可用：{'  '.join(NUMBER_FORMATS)}")
    align = r.text(obj, "align", where, "center" if fmt == "@" else "right")
    if align not in ALIGNS:
        raise r.fail(f"{where}.align", f"应为 {'、'.join(ALIGNS)} 之一")
    return Column(field, tuple(h.strip() for h in header), float(width), fmt, align)


def _item(r: _Reader, raw: Any, where: str, record: type, table_id: str) -> RecordItem:
    obj = r.obj(raw, where)
    label = r.text(obj, "label", where)
    unit = r.text(obj, "unit", where, "")
    field = r.text(obj, "field", where, None)
    expand = r.text(obj, "expand", where, None)
    if (field is None) == (expand is None):
        raise r.fail(where, "应有 field 或 expand 二者之一")
    numeric = tuple(f.name for f in fields(record) if f.name not in EXPANDABLE)
    if field is not None and field not in numeric:
        raise r.fail(f"{where}.field", f"“{field}”不是{table_id}的字段；可用：{'、'.join(numeric)}")
    if expand is not None:
        if expand not in EXPANDABLE or expand not in _field_names(record):
            raise r.fail(f"{where}.expand", f"“{expand}”不能展开；可用：{'、'.join(EXPANDABLE)}")
        if "{" + EXPANDABLE[expand] + "}" not in label:
            raise r.fail(f"{where}.label", f"展开行的标题应含 {{{EXPANDABLE[expand]}}}")
    fmt = r.text(obj, "format", where, "#,##0")
    if fmt not in NUMBER_FORMATS:
        raise r.fail(f"{where}.format", f"不支持的数字格式“{fmt}”")
    indent = r.get(obj, "indent", where, int, 0)
    return RecordItem(label, unit, field, expand, fmt, max(0, min(indent, 4)))


def _names(r: _Reader, obj: dict[str, Any], key: str, where: str, required: bool) -> tuple[str, ...]:
    raw = r.get(obj, key, where, list, ...) if required else r.get(obj, key, where, list, [])
    if (required and not raw) or not all(isinstance(n, str) and n.strip() for n in raw):
        raise r.fail(f"{where}.{key}", '应为非空文字的列表，如 ["场次", "受益人次"]')
    return tuple(n.strip() for n in raw)


def _model_table(r: _Reader, obj: dict[str, Any], where: str) -> TableLayout:
    """A measure × dimension table: {"title": "人才库分类统计", "measures": ["人才数"], "rows": ["人才库类别"]}
    (optional: "columns" — dimensions across —, "id", "sheet", "caption", "landscape", "notes")."""
    title = r.text(obj, "title", where, None) or r.text(obj, "caption", where, None)
    if not title or not title.strip():
        raise r.fail(f"{where}.title", "分组统计表应有标题，如“人才库分类统计”")
    sheet = r.text(obj, "sheet", where, "".join(ch for ch in title if ch not in _BAD_SHEET_CHARS)[:31])
    if not sheet.strip() or len(sheet) > 31 or _BAD_SHEET_CHARS & set(sheet):
        raise r.fail(f"{where}.sheet", "工作表名应为 1–31 个字，且不含 [ ] : * ? / \\")
    notes = r.get(obj, "notes", where, list, [])
    if not all(isinstance(n, str) for n in notes):
        raise r.fail(f"{where}.notes", "应为文字列表")
    return TableLayout(
        id=r.text(obj, "id", where, title),
        sheet=sheet,
        caption=r.text(obj, "caption", where, title),
        kind="model",
        source="model",
        total=None,
        landscape=r.get(obj, "landscape", where, bool, False),
        columns=(),
        items=(),
        notes=tuple(notes),
        measures=_names(r, obj, "measures", where, True),
        rows=_names(r, obj, "rows", where, False),
        across=_names(r, obj, "columns", where, False),
    )


def _table(r: _Reader, raw: Any, where: str) -> TableLayout:
    obj = r.obj(raw, where)
    if "measures" in obj or obj.get("kind") == "model":
        return _model_table(r, obj, where)
    table_id = r.text(obj, "id", where)
    sheet = r.text(obj, "sheet", where)
    if not sheet.strip() or len(sheet) > 31 or _BAD_SHEET_CHARS & set(sheet):
        raise r.fail(f"{where}.sheet", "工作表名应为 1–31 个字，且不含 [ ] : * ? / \\")
    kind = r.text(obj, "kind", where)
    source = r.text(obj, "source", where)
    items: tuple[RecordItem, ...] = ()
    total: str | None = None
    if kind == "rows":
        if source not in ROW_SOURCES:
            raise r.fail(f"{where}.source", f"明细表的数据应为 {'、'.join(ROW_SOURCES)} 之一")
        row_cls, total_name = ROW_SOURCES[source]
        allowed = _field_names(row_cls)
        total = r.text(obj, "total", where, None)
        if total not in (None, total_name):
            raise r.fail(f"{where}.total", f"{source} 的合计行应为“{total_name}”，不要合计行则删去此项")
    elif kind == "record":
        if source not in RECORD_SOURCES:
            raise r.fail(f"{where}.source", f"指标表的数据应为 {'、'.join(RECORD_SOURCES)} 之一")
        allowed = RECORD_COLUMNS
        raw_items = r.get(obj, "items", where, list)
        if not raw_items:
            raise r.fail(f"{where}.items", "至少要有一行")
        items = tuple(
            _item(r, it, f"{where}.items[{i}]", RECORD_SOURCES[source], table_id)
            for i, it in enumerate(raw_items)
        )
    else:
        raise r.fail(f"{where}.kind", "应为 rows（明细表）或 record（指标表）")
    raw_columns = r.get(obj, "columns", where, list)
    if not raw_columns:
        raise r.fail(f"{where}.columns", "至少要有一列")
    columns = tuple(
        _column(r, c, f"{where}.columns[{i}]", allowed, table_id) for i, c in enumerate(raw_columns)
    )
    notes = r.get(obj, "notes", where, list, [])
    if not all(isinstance(n, str) for n in notes):
        raise r.fail(f"{where}.notes", "应为文字列表")
    return TableLayout(
        id=table_id,
        sheet=sheet,
        caption=r.text(obj, "caption", where, table_id),
        kind=kind,
        source=source,
        total=total,
        landscape=r.get(obj, "landscape", where, bool, False),
        columns=columns,
        items=items,
        notes=tuple(notes),
    )


def parse_layout(raw: Any, origin: str = "(内存)") -> Layout:
    """Validate an already-decoded layout object."""
    r = _Reader(origin)
    top = r.obj(raw, "文件")
    if top.get("format") != LAYOUT_FORMAT:
        raise r.fail("format", f"应为“{LAYOUT_FORMAT}”（这不是 silverdesk 报表版式文件）")
    version = r.get(top, "version", "", int)
    if version > LAYOUT_VERSION:
        raise r.fail("version", f"版本 {version} 比本程序支持的 {LAYOUT_VERSION} 新，请升级 silverdesk")
    header = r.obj(top.get("header", {}), "header")
    fonts = r.obj(top.get("xlsx_fonts", {}), "xlsx_fonts")
    footer = r.get(top, "footer", "", list, [])
    if not all(isinstance(f, str) and f.strip() for f in footer):
        raise r.fail("footer", '应为文字列表，如 ["填表人", "联系电话"]')
    nar = r.obj(r.get(top, "narrative", "", dict), "narrative")
    nar_sheet = r.text(nar, "sheet", "narrative")
    charts = []
    for i, raw_chart in enumerate(r.get(nar, "charts", "narrative", list, [])):
        c = r.obj(raw_chart, f"narrative.charts[{i}]")
        field = r.text(c, "field", f"narrative.charts[{i}]")
        if field not in TREND_FIELDS:
            raise r.fail(f"narrative.charts[{i}].field", f"应为 {'、'.join(TREND_FIELDS)} 之一")
        charts.append(ChartLayout(field, r.text(c, "title", f"narrative.charts[{i}]", "")))
    raw_tables = r.get(top, "tables", "", list)
    tables = tuple(_table(r, t, f"tables[{i}]") for i, t in enumerate(raw_tables))
    ids = [t.id for t in tables]
    sheets = [nar_sheet, *(t.sheet for t in tables)]
    for names, what in ((ids, "表格 id"), (sheets, "工作表名")):
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise r.fail("tables", f"{what}重复：{'、'.join(dupes)}")
    if "_silverdesk" in sheets:
        raise r.fail("tables", "工作表名 _silverdesk 为程序保留")
    order = r.get(top, "pdf_order", "", list, [*PDF_SECTIONS[:1], *ids, *PDF_SECTIONS[1:]])
    for i, entry in enumerate(order):
        if entry not in ids and entry not in PDF_SECTIONS:
            raise r.fail(f"pdf_order[{i}]", f"“{entry}”既不是表格 id 也不是 {'、'.join(PDF_SECTIONS)}")
    order = _with_model_tables(list(order), tables)
    return Layout(
        name=r.text(top, "name", "", ""),
        title=r.template(top, "title", ""),
        subtitle=r.template(top, "subtitle", "", ""),
        header_left=r.template(header, "left", "header", ""),
        header_center=r.template(header, "center", "header", ""),
        header_right=r.template(header, "right", "header", ""),
        xlsx_body_font=r.text(fonts, "body", "xlsx_fonts", "仿宋"),
        xlsx_title_font=r.text(fonts, "title", "xlsx_fonts", "宋体"),
        footer=tuple(footer),
        narrative=NarrativeLayout(
            nar_sheet,
            r.text(nar, "caption", "narrative", ""),
            r.text(nar, "notes_caption", "narrative", "编报说明"),
            tuple(charts),
        ),
        tables=tables,
        pdf_order=tuple(order),
    )


def _with_model_tables(order: list[str], tables: tuple[TableLayout, ...]) -> list[str]:
    """A pdf_order that leaves out a measure × dimension table prints it after the last table it lists."""
    missing = [t.id for t in tables if t.kind == "model" and t.id not in order]
    if not missing:
        return order
    ids = {t.id for t in tables}
    after = max((i for i, entry in enumerate(order) if entry in ids), default=-1)
    if after < 0:
        after = order.index("narrative") if "narrative" in order else -1
    return [*order[: after + 1], *missing, *order[after + 1 :]]


def model_tables(layout: Layout) -> tuple[TableLayout, ...]:
    """The layout's measure × dimension tables (filled by the statistics service)."""
    return tuple(t for t in layout.tables if t.kind == "model")


def load_layout(path: str | Path) -> Layout:
    """Read and validate a layout file; :class:`UserError` (code ``bad_layout``) if it is wrong."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise UserError(f"找不到报表版式文件 {path.name}", code="bad_layout") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"无法读取报表版式文件 {path.name}{with_reason(exc)}", code="bad_layout") from exc
    except json.JSONDecodeError as exc:
        raise UserError(
            f"报表版式文件 {path.name} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列附近有误"
            "（常见的是少了逗号、引号或括号）",
            code="bad_layout",
        ) from exc
    return parse_layout(raw, path.name)


@cache
def default_layout() -> Layout:
    """The shipped ``resources/layouts/default.json``."""
    return load_layout(resource_path("layouts", "default.json"))
