import datetime as dt

import pytest

from silverdesk.domain.idcard import make_id_number
from silverdesk.errors import UserError
from silverdesk.services.activities.log import ActivityFilter
from silverdesk.services.importing.paste import commit_paste, parse_tsv, plan_paste
from silverdesk.services.people.roster import PersonFilter

GOOD = make_id_number("370402", dt.date(1956, 3, 1), 123)
OTHER = make_id_number("370403", dt.date(1950, 7, 9), 44)
BAD = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")


def test_parse_tsv_reads_quoted_cells_with_line_breaks():
    text = '姓名\t备注\r\n张建国\t"第一行\n第二行"\r\n\t\r\n李桂兰\t"说""好"""\r\n'
    assert parse_tsv(text) == [["姓名", "备注"], ["张建国", "第一行\n第二行"], ["李桂兰", '说"好"']]


def test_people_paste_with_header_refuses_bad_rows_with_reasons(services, county):
    text = (
        "姓名\t身份证号码\t手机\t所属单位\t无关列\n"
        f"张建国\t{GOOD}\t13812345678\t城关街道\tx\n"
        f"王德明\t{BAD}\t13812345679\t城关街道\t\n"
        f"李桂兰\t{OTHER}\t\t不存在的单位\t\n"
        f"张建军\t{GOOD}\t\t\t\n"
    )  # same ID number as line 2
    plan = plan_paste(services, "people", text)
    assert [line for line, _ in plan.accepted] == [2]
    assert [(r.line, r.cells[0]) for r in plan.refused] == [(3, "王德明"), (4, "李桂兰"), (5, "张建军")]
    assert "校验位" in plan.refused[0].reason
    assert "不存在的单位" in plan.refused[1].reason
    assert "已登记为“张建国”" in plan.refused[2].reason
    assert plan.ignored_columns == ("无关列",)
    assert services.people.count(PersonFilter(status=None)) == 0  # planning writes nothing
    assert commit_paste(services, plan) == 1
    ids = services.people.search_ids(PersonFilter(query="张建国"))
    assert services.people.detail(ids[0])["unit_id"] == county["street"]


def test_people_paste_without_header_uses_the_copy_order(services, county):
    plan = plan_paste(
        services,
        "people",
        f"李桂兰\t女\t1950-07-09\t{OTHER}\t13800000001\t中共党员\t退休\t县教育局\t龙山镇\n",
    )
    assert not plan.refused and commit_paste(services, plan) == 1
    row = services.people.search("李桂兰")[0]
    assert (row.unit, row.political_status, row.former_employer) == ("龙山镇", "中共党员", "县教育局")


def test_activity_paste_resolves_units_categories_and_teams(services, county):
    services.teams.create({"name": "光明理论宣讲队", "unit_id": county["street"]})
    text = (
        "活动日期\t活动名称\t组织单位\t服务领域\t服务队\t参与人次\t服务时长\t受益人次\n"
        "2026-11-01\t老党员讲党课\t城关街道\t理论宣讲\t光明理论宣讲队\t12\t24\t约200\n"
        "2026-11-02\t健康义诊\t城关街道\t不存在的领域\t\t5\t10\t50\n"
        "2026-11-03\t义诊送药\t城关街道\t\t没有这个队\t5\t10\t50\n"
        "2036-11-03\t未来活动\t\t\t\t1\t1\t1\n"
    )
    plan = plan_paste(services, "activities", text)
    assert [line for line, _ in plan.accepted] == [2]
    assert [r.line for r in plan.refused] == [3, 4, 5]
    assert "服务领域“不存在的领域”" in plan.refused[0].reason
    assert "服务队“没有这个队”不存在" in plan.refused[1].reason
    assert "在未来" in plan.refused[2].reason
    assert commit_paste(services, plan) == 1
    aid = services.activities.search_ids(ActivityFilter())[0]
    detail = services.activities.detail(aid)
    assert (detail["beneficiaries"], detail["source"], len(detail["team_ids"])) == (200, "粘贴", 1)


def test_empty_paste_is_refused(services):
    with pytest.raises(UserError, match="没有可粘贴"):
        plan_paste(services, "people", "\n\t\n")
