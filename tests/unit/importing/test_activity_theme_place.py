"""An imported activity takes the 主题 its row names (else its month's) and the 阵地 its 地点 names (else the
place is kept as written)."""

from __future__ import annotations

from pathlib import Path

from silverdesk.services.activities.log import ActivityFilter
from silverdesk.services.hub import Services

from .pipeline_helpers import write_book


def test_theme_and_place_columns(services: Services, county: dict[str, int], tmp_path: Path) -> None:
    themes = services.themes
    themes.set(2026, 9, "助学圆梦")
    themes.set(2026, 10, "金秋敬老")
    station = services.places.create(
        {"name": "光明社区银龄驿站", "kind": "驿站", "unit_id": county["community"]}
    )
    path = write_book(
        tmp_path / "活动.xlsx",
        ["活动日期", "活动名称", "主题", "活动地点"],
        [
            ["2026-10-03", "敬老理发", None, "光明社区 银龄驿站"],  # the month's theme; the 阵地 as folded
            ["2026-10-09", "开学助学", "助学圆梦", "幸福广场"],  # another month's theme, as written
            ["2026-10-15", "重阳慰问", "不存在的主题", None],  # unknown: the month's, said on the row
            ["2026-11-02", "普法讲座", None, None],  # no theme set for November
        ],
    )
    out = services.imports.run(path, kind="activities", unit_name="城关街道")
    assert out.plan.counts["新增"] == 4
    found = {}
    for aid in services.activities.search_ids(ActivityFilter()):
        d = services.activities.detail(aid)
        found[d["title"]] = (d["theme_id"], d["place_id"], d["place_text"])
    ids = {t.name: t.id for t in themes.year(2026).values()}
    assert found == {
        "敬老理发": (ids["金秋敬老"], station, ""),
        "开学助学": (ids["助学圆梦"], None, "幸福广场"),
        "重阳慰问": (ids["金秋敬老"], None, ""),
        "普法讲座": (None, None, ""),
    }
    note = next(r.reason for r in out.plan.rows if r.row_number == 4)
    assert "月度主题“不存在的主题”不在设置的2026年主题中，按10月的主题“金秋敬老”计" in note
    acts = services.activities
    at_station = acts.search_ids(ActivityFilter(place_id=station))
    assert [(r.title, r.theme, r.place) for r in acts.rows_by_ids(at_station)] == [
        ("敬老理发", "金秋敬老", "光明社区银龄驿站")
    ]
    in_sept_theme = acts.rows_by_ids(acts.search_ids(ActivityFilter(theme_id=ids["助学圆梦"])))
    assert [(r.title, r.place) for r in in_sept_theme] == [("开学助学", "幸福广场")]  # the place as written
