"""人才数 by hand: the talent pool by 人才库类别 — a person of two categories in each, once in the total; a
person no longer on the roster not counted; the scope by 所属单位 or 居住社区."""

from __future__ import annotations

import datetime as dt

from silverdesk.services.hub import Services
from tests.unit.statistics.query_helpers import ask, small_county, table


def test_talent_pool_by_category(both: Services) -> None:
    u = small_county(both)
    person = both.people.create
    person({"name": "张建国", "unit_id": u["street"], "talents": ["政治理论", "历史人文"], "gender": "男"})
    person(
        {
            "name": "李桂兰",
            "unit_id": u["town"],
            "community_id": u["community"],
            "talents": ["医疗卫生"],
            "gender": "女",
        }
    )
    person({"name": "王德明", "unit_id": u["village"], "talents": ["政治理论"], "gender": "男"})
    gone = person({"name": "赵秀英", "unit_id": u["village"], "talents": ["法律服务"]})
    both.people.set_status(gone, "迁出", dt.date(2026, 9, 1))
    person({"name": "孙玉珍", "unit_id": u["street"]})  # not in the pool
    pool = ask(both, "人才数", "人才库类别")
    assert table(pool) == {"政治理论": (2,), "历史人文": (1,), "医疗卫生": (1,)}
    assert pool.total == (3,)
    assert table(ask(both, "人才数", "性别")) == {"男": (2,), "女": (1,)}
    assert ask(both, "人才数", unit=u["community"]).total == (1,)  # 李桂兰 lives there
    assert ask(both, "人才数", where=("人才库类别=政治理论",), unit=u["town"]).total == (1,)
    assert table(ask(both, "人才数", "单位")) == {"城关街道": (1,), "龙山镇": (2,)}
