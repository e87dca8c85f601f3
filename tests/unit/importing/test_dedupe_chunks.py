"""Duplicate matching against the stored roster, read whole or a chunk of rows at a time.

A small file into a big roster reads the stored people a chunk may match before it is planned (all
of a name's people, the holder of each ID number); rows in a later chunk must meet the same rules as
in the first one, and as when the whole roster is read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from silverdesk.domain.idcard import make_id_number
from silverdesk.services.hub import Services
from silverdesk.services.importing import dedupe
from silverdesk.services.importing.plan import NEW, REJECTED
from silverdesk.services.importing.planners import PLAN_CHUNK

from .pipeline_helpers import write_book

HEADER = ["姓名", "出生日期", "身份证号码", "家庭住址"]
GIVEN = "安邦宝昌晨春翠丹德东芳刚桂海红华辉佳建江杰金娟"


def filler(count: int) -> list[list[object]]:
    """New people with names no stored person bears (柏 + two given characters)."""
    rows: list[list[object]] = []
    for i in range(count):
        birth = dt.date(1950 + i % 20, 1 + i % 12, 1 + i % 28)
        name = "柏" + GIVEN[i % len(GIVEN)] + GIVEN[i // len(GIVEN) % len(GIVEN)]
        rows.append([name, birth.isoformat(), make_id_number("371000", birth, i % 999), "幸福路"])
    return rows


@pytest.mark.parametrize("per_row", [0, dedupe.WHOLE_ROSTER_PER_ROW], ids=["by chunk", "whole roster"])
def test_rows_in_a_later_chunk_match_the_stored_roster_by_the_same_rules(
    services: Services, county: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_row: int
) -> None:
    monkeypatch.setattr(dedupe, "WHOLE_ROSTER_PER_ROW", per_row)  # 0: as a small file into a big roster
    people = services.people
    born = dt.date(1955, 6, 7)
    for unit in ("town", "dept"):  # two stored 赵红 born the same day, without ID numbers
        people.create({"name": "赵红", "birth_date": born, "unit_id": county[unit]})
    qian_id = make_id_number("370102", dt.date(1957, 2, 3), 111)
    qian = people.create({"name": "钱明", "birth_date": dt.date(1957, 2, 3), "id_number": qian_id,
                          "unit_id": county["town"]})  # fmt: skip
    sun = people.create({"name": "孙丽", "birth_date": dt.date(1959, 9, 9), "unit_id": county["town"]})
    zhou = people.create({"name": "周强", "birth_date": dt.date(1952, 1, 2), "unit_id": county["town"]})
    sun_id = make_id_number("370102", dt.date(1959, 9, 9), 222)

    first = [["周强", "1952-01-02", "", "幸福路"]]  # matched in the first chunk
    later = [
        ["赵红", born.isoformat(), "", "幸福路"],  # two candidates: refused, never one at random
        ["钱小明", "1957-02-03", qian_id, "幸福路"],  # the ID number's holder, under another name
        ["孙丽", "1959-09-09", sun_id, "幸福路"],  # new ID number: the stored 孙丽 without one
        ["周强", "1952-01-02", "", "幸福路"],  # the same person as the first chunk's row
    ]
    rows = first + filler(PLAN_CHUNK + 10) + later
    out = services.imports.run(
        write_book(tmp_path / "big.xlsx", HEADER, rows), kind="roster", unit_name="龙山镇", dry_run=True
    )
    plan = out.plan
    zhou_row, tail = 2, len(rows) - len(later) + 2
    assert plan.row(zhou_row).entity_id == zhou
    assert {plan.row(r).fate for r in range(zhou_row + 1, tail)} == {NEW}
    zhao, qian_row, sun_row, zhou_again = (plan.row(tail + i) for i in range(4))
    assert zhao.fate == REJECTED and "库中有 2 位“赵红”出生日期也相同" in zhao.reason
    assert qian_row.entity_id == qian and "身份证号相同" in qian_row.reason
    assert sun_row.entity_id == sun and "库中尚无身份证号" in sun_row.reason
    assert zhou_again.fate == REJECTED and f"与第 {zhou_row} 行" in zhou_again.reason
