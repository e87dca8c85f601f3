"""Forms and layouts on the query model, the clerk's way: a real form .xlsx with each placeholder family is
filled through ``ReportService.write`` and the figure read back equals ``QueryService.ask``'s; an unknown
placeholder is refused naming the nearest valid ones; a layout's measure × dimension table is written to
xlsx and PDF and read back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from silverdesk.errors import UserError
from silverdesk.services.hub import Services
from silverdesk.services.statistics.periods import month
from silverdesk.services.statistics.query import Filter, QueryService, Question
from silverdesk.services.statistics.reporting import ReportService
from tests.unit.statistics.test_query import _records

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def _form(path: Path, cells: dict[str, str]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "省表"
    for ref, text in cells.items():
        ws[ref] = text
    wb.save(path)
    return path


def _fill(s: Services, tmp_path: Path, cells: dict[str, str], unit: int | None = None) -> dict[str, object]:
    reports = ReportService(s.ctx)
    data = reports.build(month(2026, 10), unit)
    out = reports.write(data, tmp_path / "out.xlsx", form=_form(tmp_path / "form.xlsx", cells), unit_id=unit)
    ws = load_workbook(out)["省表"]
    return {ref: ws[ref].value for ref in cells}


def _ask(s: Services, measure: str, *where: str, unit: int | None = None) -> object:
    question = Question((measure,), *OCT, unit, filters=tuple(Filter.parse(w) for w in where))
    return QueryService(s.ctx).ask(question).total[0]


def test_a_measure_by_its_name_or_alias_is_its_total(services: Services, tmp_path: Path) -> None:
    r = _records(services)
    got = _fill(services, tmp_path, {"A1": "{{志愿者中党员}}", "A2": "{{活动项数}}", "A3": "{{受益群众}}"})
    assert got == {"A1": _ask(services, "其中党员"), "A2": _ask(services, "活动项数"), "A3": 137}
    assert got["A1"] == 2 and got["A2"] == 3
    # a unit's report: its scope
    street = _fill(services, tmp_path, {"A1": "{{志愿者数}}", "A2": "{{场次}}"}, unit=r["street"])
    assert street == {"A1": _ask(services, "志愿者数", unit=r["street"]), "A2": 1}


def test_a_measure_for_a_dimensions_value(services: Services, tmp_path: Path) -> None:
    _records(services)
    cells = {
        "A1": "{{场次.理论宣讲}}",  # 服务领域
        "A2": "{{志愿者数.女}}",  # 性别: a value that occurs
        "A3": "{{受益人次.龙山镇}}",  # 单位
        "A4": "{{场次.龙山镇理论宣讲队}}",  # 服务队
        "A5": "讲座 {{场次.理论宣讲}} 场",  # in a text
    }
    got = _fill(services, tmp_path, cells)
    assert got["A1"] == _ask(services, "场次", "服务领域=理论宣讲") == 2
    assert got["A2"] == _ask(services, "志愿者数", "性别=女") == 1
    assert got["A3"] == _ask(services, "受益人次", "单位=龙山镇") == 30
    assert got["A4"] == _ask(services, "场次", "服务队=龙山镇理论宣讲队") == 3
    assert got["A5"] == "讲座 2 场"
    # a list entry, a team nobody named this month: 0, not refused
    unused = _fill(services, tmp_path, {"A1": "{{场次.为老服务}}", "A2": "{{场次.法治宣传}}"})
    assert unused == {"A1": _ask(services, "场次", "服务领域=为老服务"), "A2": 0}


def test_the_months_theme_and_a_row_of_the_report_tables(services: Services, tmp_path: Path) -> None:
    _records(services)
    services.lookups.set_theme(2026, 10, "重阳敬老月")
    got = _fill(
        services, tmp_path, {"A1": "{{月度主题}}", "A2": "{{表2.理论宣讲.活动}}", "A3": "{{表1.龙山镇.受益}}"}
    )
    assert got["A1"] == "重阳敬老月"
    assert got["A2"] == _ask(services, "场次", "服务领域=理论宣讲") == 2
    assert got["A3"] == _ask(services, "受益人次", "单位=龙山镇") == 30


def test_an_unknown_placeholder_names_the_nearest_valid_ones(services: Services, tmp_path: Path) -> None:
    _records(services)
    with pytest.raises(UserError) as info:
        _fill(
            services,
            tmp_path,
            {"B2": "{{志愿者人}}", "B3": "{{表2.法律咨询.活动}}", "B4": "{{场次.不存在的值}}"},
        )
    message = str(info.value)
    assert "省表!B2 {{志愿者人}}（最接近的有：" in message and "{{志愿者人数}}" in message
    assert "省表!B3 {{表2.法律咨询.活动}}（表2没有“法律咨询”这一行；有：理论宣讲" in message
    assert "省表!B4 {{场次.不存在的值}}" in message
    assert not (tmp_path / "out.xlsx").exists()


def test_a_layouts_measure_by_dimension_table_in_xlsx_and_pdf(services: Services, tmp_path: Path) -> None:
    from silverdesk.resources import resource_path

    _records(services)
    layout = json.loads(resource_path("layouts", "default.json").read_text(encoding="utf-8"))
    layout["tables"].append(
        {"title": "志愿者分性别统计", "measures": ["志愿者数", "其中党员"], "rows": ["性别"]}
    )
    del layout["pdf_order"]
    path = tmp_path / "layout.json"
    path.write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")
    reports = ReportService(services.ctx)
    data = reports.build(month(2026, 10))
    xlsx, pdf = reports.save(data, [(tmp_path / "r.xlsx", None), (tmp_path / "r.pdf", None)], layout=path)
    wb = load_workbook(xlsx)
    assert wb.sheetnames.index("志愿者分性别统计") == wb.sheetnames.index("表4 供需对接") + 1
    rows = [[c for c in row if c is not None] for row in wb["志愿者分性别统计"].iter_rows(values_only=True)]
    by_sex = QueryService(services.ctx).ask(
        Question(("志愿者数", "其中党员"), *OCT, rows=(Filter.parse("性别=男").dimension,))
    )
    assert ["男", 2, 2] in rows and ["女", 1, 0] in rows and ["合计", 3, 2] in rows
    assert [by_sex.value("志愿者数", "男"), by_sex.value("其中党员", "男")] == [2, 2]
    assert any(str(row[0]).startswith("注：志愿者数：") for row in rows if row)  # the counting rule below
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    after_table4 = text[text.index("表4 供需对接情况") :]
    assert "志愿者分性别统计" in after_table4 and "志愿者数（人）" in after_table4
    assert "注：志愿者数：" in after_table4.replace("\n", "")


def test_a_layout_naming_a_measure_that_does_not_exist_is_refused(services: Services, tmp_path: Path) -> None:
    from silverdesk.resources import resource_path

    _records(services)
    layout = json.loads(resource_path("layouts", "default.json").read_text(encoding="utf-8"))
    layout["tables"].append({"title": "人才", "measures": ["志愿者人"], "rows": ["性别"]})
    path = tmp_path / "layout.json"
    path.write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")
    reports = ReportService(services.ctx)
    with pytest.raises(UserError, match="没有统计指标“志愿者人”。最接近的有"):
        reports.write(reports.build(month(2026, 10)), tmp_path / "r.xlsx", layout=path)


def test_seed_families_in_a_form_and_a_layout(services: Services, tmp_path: Path) -> None:
    """阵地 by kind, stars, the talent pool: a form's placeholders and a layout's table say what ``stats`` says."""
    from silverdesk.resources import resource_path

    r = _records(services)
    for i, kind in enumerate(("驿站", "驿站", "工作室")):
        services.places.create({"name": f"阵地{i}", "kind": kind, "unit_id": r["community"]})
    services.stars.set_manual("volunteer", r["a"], 2026, 4, "年度评定")
    services.stars.set_manual("volunteer", r["b"], 2026, 3, "年度评定")
    services.people.create({"name": "周志强", "unit_id": r["town"], "talents": ["政治理论", "法律服务"]})
    cells = {
        "A1": "{{阵地数.驿站}}",
        "A2": "{{星级志愿者人数}}",
        "A3": "{{星级志愿者数.四星}}",
        "A4": "{{人才数}}",
    }
    got = _fill(services, tmp_path, cells)
    assert got == {
        "A1": _ask(services, "阵地数", "阵地类型=驿站"),
        "A2": _ask(services, "星级志愿者数"),
        "A3": _ask(services, "星级志愿者数", "星级=四星"),
        "A4": _ask(services, "人才数"),
    }
    assert got == {"A1": 2, "A2": 2, "A3": 1, "A4": 1}
    layout = json.loads(resource_path("layouts", "default.json").read_text(encoding="utf-8"))
    layout["tables"].append({"title": "人才库分类统计", "measures": ["人才数"], "rows": ["人才库类别"]})
    path = tmp_path / "layout.json"
    path.write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")
    reports = ReportService(services.ctx)
    out = reports.write(reports.build(month(2026, 10)), tmp_path / "r.xlsx", layout=path)
    rows = [
        [c for c in row if c is not None]
        for row in load_workbook(out)["人才库分类统计"].iter_rows(values_only=True)
    ]
    assert ["政治理论", 1] in rows and ["法律服务", 1] in rows and ["合计", 1] in rows
