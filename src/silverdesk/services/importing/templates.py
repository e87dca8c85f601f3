"""Blank import forms (模板) for units to fill: what to write, where, and in which words.

A template has a data sheet (first, so it is the one read) whose header marks the required
columns (“姓名（必填）”) and is protected (the data cells are not), an instructions sheet (说明),
drop-down lists taken from the database's own lists (units, categories, 政治面貌 …), ID-number and phone columns formatted
as text (so Excel never turns 370102195603011234 into 3.70102E+17), date columns as
``yyyy-mm-dd``, and an example row whose 序号 cell says 示例 — the reader skips it, so a filled
template imports as it is.  Lists too long for Excel's 255-character inline limit go to a hidden
sheet and are referenced by range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from silverdesk.domain import enums
from silverdesk.domain.idcard import make_id_number
from silverdesk.services.importing.fields import KindSpec, kind_spec
from silverdesk.services.org.themes import MONTH_NAMES

DATA_ROWS = 2000
"""Rows below the header that get validations (Excel applies them to the whole range at once)."""
INLINE_LIMIT = 255
EXAMPLE_MARK = "示例"
LISTS_SHEET = "_lists"
REQUIRED_FILL = PatternFill("solid", start_color="FFFCE4D6", end_color="FFFCE4D6")
HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
EXAMPLE_FONT = Font(italic=True, color="FF808080")


@dataclass
class TemplateLists:
    """The choices offered as drop-downs, from the database (or given directly in tests)."""

    units: list[str] = field(default_factory=list)
    communities: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    activity_categories: list[str] = field(default_factory=list)
    resource_majors: list[str] = field(default_factory=list)
    resource_minors: list[str] = field(default_factory=list)
    community_roles: list[str] = field(default_factory=list)
    talents: list[str] = field(default_factory=list)
    ranks: list[str] = field(default_factory=list)

    @classmethod
    def from_services(cls, ctx: Any) -> TemplateLists:
        from silverdesk.services.org.groups import TeamService
        from silverdesk.services.org.lookups import LookupService
        from silverdesk.services.org.units import UnitService

        lookups = LookupService(ctx)
        nodes = UnitService(ctx).tree()
        categories = lookups.items("resource_category")
        return cls(
            units=[n.name for n in nodes if n.kind not in ("社区", "村")],
            communities=[n.name for n in nodes if n.kind in ("社区", "村")],
            teams=[str(t["name"]) for t in TeamService(ctx).list()],
            activity_categories=lookups.names("activity_category"),
            resource_majors=[i.name for i in categories if i.parent_id is None],
            resource_minors=[i.name for i in categories if i.parent_id is not None],
            community_roles=lookups.names("community_role"),
            talents=lookups.names("talent_category"),
            ranks=lookups.names("rank"),
        )


@dataclass(frozen=True)
class _Col:
    key: str
    choices: Sequence[str] = ()
    strict: bool = True  # refuse other values (False: the list is a suggestion, e.g. several roles)
    example: Any = None


def _columns(kind: str, lists: TemplateLists) -> list[_Col]:
    example_id = make_id_number("370102", dt.date(1956, 3, 1), 123)
    if kind == "roster":
        return [
            _Col("name", example="张建国"), _Col("gender", enums.GENDERS, example="男"),
            _Col("ethnicity", enums.ETHNICITIES_COMMON, strict=False, example="汉族"),
            _Col("birth_date", example=dt.date(1956, 3, 1)), _Col("id_number", example=example_id),
            _Col("political_status", enums.POLITICAL_STATUSES, example="中共党员"),
            _Col("education", enums.EDUCATION_LEVELS, strict=False, example="大学本科"),
            _Col("retirement_type", enums.RETIREMENT_TYPES, example="退休"),
            _Col("retired_on", example=dt.date(2016, 3, 1)), _Col("former_employer", example="县教育局"),
            _Col("former_post", example="副局长"), _Col("rank", lists.ranks, strict=False, example=(lists.ranks or [""])[0]),
            _Col("phone", example="13812345678"),
            _Col("community", lists.communities, strict=False, example=(lists.communities or [""])[0]),
            _Col("address", example="幸福路8号"), _Col("registered_on", example=dt.date(2024, 5, 1)),
            _Col("community_roles", lists.community_roles, strict=False, example=(lists.community_roles or [""])[0]),
            _Col("talents", lists.talents, strict=False, example=(lists.talents or [""])[0]),
            _Col("health", ("良好", "一般", "较差"), strict=False, example="良好"),
            _Col("status", enums.PERSON_STATUSES, example="在册"),
            _Col("unit", lists.units, strict=False), _Col("teams", lists.teams, strict=False), _Col("notes"),
        ]  # fmt: skip
    if kind == "activities":
        return [
            _Col("date", example=dt.date(2026, 10, 15)), _Col("title", example="重阳节敬老志愿服务"),
            _Col("unit", lists.units, strict=False), _Col("teams", lists.teams, strict=False),
            _Col("category", lists.activity_categories, example=(lists.activity_categories or [""])[0]),
            _Col("place", example="幸福社区活动室"),
            _Col("community", lists.communities, strict=False), _Col("sessions", example=1),
            _Col("participants", example=12), _Col("hours", example=24), _Col("beneficiaries", example=150),
            _Col("participant_names"), _Col("description", example="为社区老人义诊、理发"), _Col("notes"),
        ]  # fmt: skip
    if kind == "themes":
        return [_Col("year", example=2027), _Col("month", MONTH_NAMES, strict=False, example="1月"),
                _Col("name", example="银龄暖冬")]  # fmt: skip
    if kind == "resources":
        return [
            _Col("category", lists.resource_majors, example=(lists.resource_majors or [""])[0]),
            _Col("subcategory", lists.resource_minors, strict=False), _Col("title", example="党史宣讲"),
            _Col("content", example="面向社区党员讲授党史，每次约1小时"), _Col("provider", example="夕阳红宣讲队"),
            _Col("area", lists.units + lists.communities, strict=False), _Col("available", example="每周三下午"),
            _Col("capacity", example="50"), _Col("contact_phone", example="13812345678"), _Col("notes"),
        ]  # fmt: skip
    return [
        _Col("category", lists.resource_majors, example=(lists.resource_majors or [""])[0]),
        _Col("subcategory", lists.resource_minors, strict=False), _Col("title", example="老年人智能手机培训"),
        _Col("content", example="教社区老人使用健康码、视频通话"),
        _Col("requester", lists.communities + lists.units, strict=False, example="幸福社区"),
        _Col("contact_name", example="李红"), _Col("contact_phone", example="13900001111"),
        _Col("wanted_by", example=dt.date(2026, 12, 31)), _Col("urgency", enums.URGENCIES, example="一般"),
        _Col("notes"),
    ]  # fmt: skip


def header_label(spec: KindSpec, key: str) -> str:
    f = spec.field(key)
    return f"{f.label}（必填）" if f.required else f.label


def write_template(kind: str, out: Path, lists: TemplateLists) -> Path:
    """Write the blank form for ``kind`` (roster | activities | resources | demands) to ``out``."""
    spec = kind_spec(kind)
    cols = _columns(kind, lists)
    wb = Workbook()
    ws = wb.active  # first: the reader takes the first visible sheet
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = spec.label
    guide = wb.create_sheet("说明")
    lists_ws = wb.create_sheet(LISTS_SHEET)
    lists_ws.sheet_state = "hidden"
    ws.cell(row=1, column=1, value="序号")
    for n, col in enumerate(cols, start=2):
        ws.cell(row=1, column=n, value=header_label(spec, col.key))
    last_row = DATA_ROWS + 1
    list_col = 0
    for n, col in enumerate(cols, start=2):
        letter = get_column_letter(n)
        f = spec.field(col.key)
        dim = ws.column_dimensions[letter]
        dim.width = max(10, min(30, 2.2 * len(f.label) + 4))
        dim.protection = Protection(locked=False)
        if f.type in ("id_number", "phone") or col.key in ("contact_phone", "capacity"):
            dim.number_format = "@"
            dim.width = 22 if f.type == "id_number" else 15
        elif f.type == "date":
            dim.number_format = "yyyy-mm-dd"
            dim.width = 13
        choices = [c for c in dict.fromkeys(col.choices) if c]
        if not choices:
            continue
        inline = ",".join(choices)
        if len(inline) <= INLINE_LIMIT and not any("," in c or '"' in c for c in choices):
            formula = f'"{inline}"'
        else:
            list_col += 1
            list_letter = get_column_letter(list_col)
            lists_ws.cell(row=1, column=list_col, value=f.label)
            for r, choice in enumerate(choices, start=2):
                lists_ws.cell(row=r, column=list_col, value=choice)
            formula = f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:${list_letter}${len(choices) + 1}"
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=col.strict,
                            errorTitle="请从下拉列表中选择", error=f"{f.label}请从下拉列表中选择",
                            promptTitle=f.label, prompt="请从下拉列表中选择" + ("" if col.strict else "，也可直接填写"),
                            showInputMessage=True)  # fmt: skip
        dv.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(dv)
    ws.column_dimensions["A"].protection = Protection(locked=False)
    ws.column_dimensions["A"].width = 6
    _style_header(ws, spec, cols)
    _example_row(ws, cols, spec)
    ws.freeze_panes = "B2"
    ws.protection.sheet = True
    for option in (
        "formatColumns",
        "formatRows",
        "formatCells",
        "insertRows",
        "deleteRows",
        "sort",
        "autoFilter",
    ):
        setattr(ws.protection, option, False)  # False: the clerk may do this on the protected sheet
    _guide(guide, spec, cols)
    wb.active = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _style_header(ws: Any, spec: KindSpec, cols: list[_Col]) -> None:
    for n in range(1, len(cols) + 2):
        cell = ws.cell(row=1, column=n)
        required = n > 1 and spec.field(cols[n - 2].key).required
        cell.font = Font(bold=True, color="FFC00000" if required else "FF000000")
        cell.fill = REQUIRED_FILL if required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.protection = Protection(locked=True)
    ws.row_dimensions[1].height = 30


def _example_row(ws: Any, cols: list[_Col], spec: KindSpec) -> None:
    first = ws.cell(row=2, column=1, value=EXAMPLE_MARK)
    first.font = EXAMPLE_FONT
    first.protection = Protection(locked=False)
    for n, col in enumerate(cols, start=2):
        cell = ws.cell(row=2, column=n, value=col.example if col.example not in ("", None) else None)
        cell.font = EXAMPLE_FONT
        cell.protection = Protection(locked=False)
        f = spec.field(col.key)
        if f.type == "date":
            cell.number_format = "yyyy-mm-dd"
        elif f.type in ("id_number", "phone") or col.key in ("contact_phone", "capacity"):
            cell.number_format = "@"


def _guide(ws: Any, spec: KindSpec, cols: list[_Col]) -> None:
    lines = [
        f"{spec.label}导入模板 — 填写说明",
        "",
        f"1. 请在“{spec.label}”工作表中填写，每行一条记录；第 1 行为表头，请勿修改（表头已锁定）。",
        f"2. 第 2 行为填写示例（序号一栏写着“{EXAMPLE_MARK}”），导入时自动跳过，可保留也可删除。",
        "3. 表头中标有“（必填）”的列必须填写，否则该行会被退回。",
        "4. 带下拉箭头的列请从列表中选择；可多选的项目（如社区任职、特长、服务队）用顿号“、”分隔。",
        "5. 身份证号、电话号码列已设为文本格式，请直接输入，不要改成数字格式（否则末几位会丢失）。",
        "6. 日期请写成 2026-10-01 的形式。",
        "7. 不要合并单元格，不要在表格中间插入空行；表格下方可写“填表人：”“审核人：”。",
        "",
        "各列说明：",
    ]
    for col in cols:
        f = spec.field(col.key)
        hint = "必填" if f.required else "选填"
        if f.required and (fed_by := [spec.field(k).label for k in f.stand_ins if not k.startswith("@")]):
            hint += f"（不填时按“{'、'.join(fed_by)}”的第一句推导，导入预览中可改）"
        extra = {"date": "，日期", "id_number": "，18位", "phone": "，手机11位或“区号-号码”", "list": "，可填多项，用“、”分隔",
                 "count": "，整数", "hours": "，小时数，可带小数"}.get(f.type, "")  # fmt: skip
        lines.append(f"  {f.label}：{hint}{extra}")
    for r, text in enumerate(lines, start=1):
        ws.cell(row=r, column=1, value=text)
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 100
