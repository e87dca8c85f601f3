"""When a record counts: the dated rules every statistic shares, one function each.

Each function returns an SQL condition (no session) on one model. A day ``at`` is included; "during
``start`` … ``end``" means at some time in the period. An unknown date counts as "always": founded,
joined or since unknown → since ever; ended unknown → still on. :data:`RULES` states each rule in
Chinese for 编报说明 and ``silverdesk stats --list``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from silverdesk.db.models import (
    CoBuildingAgreement,
    PartyOrg,
    Person,
    PersonCommunityRole,
    Place,
    Resource,
    ServiceOrder,
    Team,
    TeamMember,
)

RULES: dict[str, str] = {
    "team": "志愿服务队自成立之日起计，撤销后不再计入。",
    "membership": "队员自入队之日起至离队之日止计入所在队伍。",
    "party_org": "党组织自成立之日起至撤销之日前计入。",
    "agreement": "共建协议自签订之日起至终止之日前计入。",
    "place": "阵地自启用之日起至停用之日前计入。",
    "role": "社区任职自任职之日起至卸任之日止计入。",
    "registered": "社区报到自报到之日起计入。",
    "roster": "人员在统计时段内在册即计入（期内去世或迁出的仍计入该时段）。",
    "resource": "资源自登记之日起、在可用期内且状态为可用时计入。",
    "order": "已撤销的订单不计入。",
    "unknown": "日期未登记的视为一直有效（成立、入队、任职日期未知的自始计入，结束日期未知的视为仍有效）。",
}


def _since(col: Any, at: dt.date) -> ColumnElement[bool]:
    return or_(col.is_(None), col <= at)


def _until_after(col: Any, at: dt.date) -> ColumnElement[bool]:
    """Ends after ``at`` (an end date is the first day it no longer holds)."""
    return or_(col.is_(None), col > at)


def _until_on(col: Any, at: dt.date) -> ColumnElement[bool]:
    """Ends on or after ``at`` (an end date is the last day it holds)."""
    return or_(col.is_(None), col >= at)


def team_exists(at: dt.date) -> ColumnElement[bool]:
    return and_(Team.status != "撤销", _since(Team.founded_on, at))


def team_existed_during(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    return and_(Team.status != "撤销", _since(Team.founded_on, end))


def membership_at(at: dt.date) -> ColumnElement[bool]:
    return and_(_since(TeamMember.joined_on, at), _until_on(TeamMember.left_on, at))


def membership_during(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    return and_(_since(TeamMember.joined_on, end), _until_on(TeamMember.left_on, start))


def party_org_exists(at: dt.date) -> ColumnElement[bool]:
    return and_(_since(PartyOrg.founded_on, at), _until_after(PartyOrg.dissolved_on, at))


def agreement_active(at: dt.date) -> ColumnElement[bool]:
    return and_(_since(CoBuildingAgreement.signed_on, at), _until_after(CoBuildingAgreement.ended_on, at))


def place_open(at: dt.date) -> ColumnElement[bool]:
    return and_(_since(Place.opened_on, at), _until_after(Place.closed_on, at))


def role_held(at: dt.date) -> ColumnElement[bool]:
    return and_(_since(PersonCommunityRole.since, at), _until_on(PersonCommunityRole.until, at))


def role_held_during(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    return and_(_since(PersonCommunityRole.since, end), _until_on(PersonCommunityRole.until, start))


def registered_at(at: dt.date) -> ColumnElement[bool]:
    return and_(Person.registered_on.is_not(None), Person.registered_on <= at)


def on_roster_during(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    return or_(Person.status == "在册", Person.status_changed_on.is_(None), Person.status_changed_on > start)


def on_roster_at(at: dt.date) -> ColumnElement[bool]:
    return on_roster_during(at, at)


def resource_available_at(at: dt.date) -> ColumnElement[bool]:
    return and_(Resource.listed_on <= at, Resource.status == "可用", _until_on(Resource.available_to, at))


def order_live_at(at: dt.date) -> ColumnElement[bool]:
    return ServiceOrder.status != "撤销"
