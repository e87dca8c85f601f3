"""党组织 and 共建协议 facts (表3's stocks at the period's end): 党组织数 by 单位 and 党组织类型, 共建协议数;
and 党员数, the party members on the roster, a measure of the 人员 fact."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, select

from silverdesk.db.models import CoBuildingAgreement, PartyOrg, Person
from silverdesk.domain.codes import PARTY_FORMS
from silverdesk.domain.enums import PARTY_ORG_TYPES
from silverdesk.services.statistics import asof
from silverdesk.services.statistics.query.common import coded_dimension, column, count_distinct
from silverdesk.services.statistics.query.model import Fact, Measure, Window
from silverdesk.services.statistics.query.registry import REGISTRY


def _orgs(w: Window) -> Select[Any]:
    return select(PartyOrg.id).where(asof.party_org_exists(w.end), w.scope.contains(PartyOrg.unit_id))


REGISTRY.fact(
    Fact(
        key="party_org",
        name="党组织",
        record="party_org",
        base=_orgs,
        id_column=lambda: PartyOrg.id,
        attributes={"unit": column(PartyOrg.unit_id), "party_org_type": column(PartyOrg.org_type)},
        rule="党组织为统计时段末日存续的离退休干部党组织，按所属单位计入统计范围。"
        + asof.RULES["party_org_exists"],
    )
)

REGISTRY.measure(
    Measure(
        "party_orgs",
        "党组织数",
        "party_org",
        count_distinct(PartyOrg.id),
        "个",
        "统计时段末日存续的离退休干部党组织个数（党委、党总支、党支部等各计一个）。",
        aliases=("离退休干部党组织数", "党组织"),
        additive=True,
    )
)

coded_dimension(
    "party_org_type",
    "党组织类型",
    "party_org_type",
    [(t, t) for t in PARTY_ORG_TYPES],
    "按党组织类型（党委、党总支、党支部、临时党支部、功能型党支部）分组。",
)


def _agreements(w: Window) -> Select[Any]:
    return (
        select(CoBuildingAgreement.id)
        .join(PartyOrg, PartyOrg.id == CoBuildingAgreement.org_id)
        .where(asof.agreement_active(w.end), w.scope.contains(PartyOrg.unit_id))
    )


REGISTRY.fact(
    Fact(
        key="agreement",
        name="共建协议",
        record="agreement",
        base=_agreements,
        id_column=lambda: CoBuildingAgreement.id,
        attributes={"unit": column(PartyOrg.unit_id), "party_org_type": column(PartyOrg.org_type)},
        rule="共建协议为统计时段末日有效的协议，按签订协议的离退休干部党组织的所属单位计入统计范围。"
        + asof.RULES["agreement_active"],
    )
)

REGISTRY.measure(
    Measure(
        "agreements",
        "共建协议数",
        "agreement",
        count_distinct(CoBuildingAgreement.id),
        "份",
        "统计时段末日有效（已签订、未终止）的共建协议份数。",
        aliases=("共建协议", "结对共建"),
        additive=True,
    )
)

REGISTRY.measure(
    Measure(
        "party_members",
        "党员数",
        "person",
        count_distinct(Person.id),
        "人",
        "统计时段末日在册的离退休干部中政治面貌为中共党员或中共预备党员的人数。",
        aliases=("离退休干部党员数", "党员"),
        where=lambda w: and_(asof.on_roster_at(w.end), Person.political_status.in_(PARTY_FORMS)),
        additive=True,
    )
)
