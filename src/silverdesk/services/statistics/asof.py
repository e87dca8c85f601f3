"""As-of predicates: was a record in force on a day, or during a period (issue #17, history-true counting).

Plain functions returning SQLAlchemy boolean (or, for a status, scalar) expressions, no session: every
count that depends on a team, a membership, a role, a 社区报到, a place, a party organisation, an
agreement, a resource's or an order's status uses one of them, so a past period re-run later gives
what it gave then.  A day ``at`` is included; "during ``start`` … ``end``" means overlapping the period.

Two kinds of end date, as the records have always been read:

* a *last day* (``left_on`` of a membership, ``until`` of a community role or a past 社区报到): the record
  still holds on that day;
* a *first day without* (``dissolved_on`` of a team or party organisation, ``ended_on`` of an agreement,
  ``closed_on`` of a place): the record no longer counts from that day.

Unknown dates count as "always": a start not known is taken as since ever, an end not known as still
on.  :data:`RULES` holds each predicate's rule as one Chinese sentence (for 编报说明 and ``stats --list``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, or_, select, union_all

from silverdesk.db.models import (
    CoBuildingAgreement,
    Demand,
    OrderEvent,
    PartyOrg,
    Person,
    PersonCommunityRole,
    PersonRegistration,
    Place,
    Resource,
    ResourceEvent,
    ServiceOrder,
    Team,
    TeamMember,
)

RULES: dict[str, str] = {
    "team_exists": "服务队在某日存续：成立日期不晚于该日（成立日期不详的视为一直存在），且未撤销或撤销日期在该日之后（已撤销而撤销日期不详的不计）。",
    "team_existed_during": "服务队在统计时段内存续：成立日期不晚于期末，且撤销日期在期初之后（未撤销的一直存续）。",
    "membership_during": "队员在统计时段内在队：入队日期不晚于期末、离队日期（在队的最后一天）不早于期初；日期不详的视为一直在队。",
    "membership_at": "队员在某日在队：入队日期不晚于该日、离队日期不早于该日；日期不详的视为一直在队。",
    "party_org_exists": "党组织在某日存续：成立日期不晚于该日，且未撤销或撤销日期在该日之后；日期不详的视为一直存续。",
    "agreement_active": "共建协议在某日有效：签订日期不晚于该日，且未终止或终止日期在该日之后；日期不详的视为一直有效。",
    "place_open": "阵地在某日在用：启用日期不晚于该日，且未停用或停用日期在该日之后；日期不详的视为一直在用。",
    "role_held": "社区任职在某日在任：任职起始日期不晚于该日、截止日期（在任的最后一天）不早于该日；日期不详的视为一直在任。",
    "role_held_during": "社区任职在统计时段内在任：任职起始日期不晚于期末、截止日期不早于期初；日期不详的视为一直在任。",
    "registered_at": "社区报到在某日有效：当前报到日期不晚于该日，或以往的报到覆盖该日（迁往其他社区或取消报到时记下截止日期）；未填报到日期的不计。",
    "registered_during": "社区报到在统计时段内有效：报到日期不晚于期末，且仍在报到或截止日期（报到的最后一天）不早于期初；迁往其他社区前的报到计入当时的时段。",
    "lived_in_during": "居住社区未登记迁入日期，视为一直居住；只有期内仍在原社区报到（迁居时结束的报到截止日期不早于期初、现报到日期晚于期末）的，不计入现居住社区。",
    "on_roster_at": "人员在某日在册：状态为在册，或去世、迁出的日期在该日之后（日期不详的视为在册）。",
    "on_roster_during": "人员在统计时段内在册：状态为在册，或去世、迁出的日期在期初之后。",
    "resource_available_at": "资源在某日可用：登记日期不晚于该日、可服务截止日期不早于该日，且按状态变更记录该日的状态为可用（该日之后才暂停或撤销的，该日仍为可用）。",
    "order_status_at": "订单在某日的状态：按订单的流转记录取该日的状态（该日之后才撤销的，该日不算撤销）。",
    "order_live_at": "订单在某日未撤销：按订单的流转记录，撤销日期在该日之后的仍计入该日。",
    "resource_listed_at": "资源在某日在册：登记日期不晚于该日，且可服务截止日期未填或不早于该日。",
    "demand_live_at": "需求未撤销即计入（撤销是删除误录需求的方式，不记日期，撤销的需求任何时段都不计）。",
    "unknown": "日期未登记的视为一直有效（成立、入队、任职日期不详的自始计入，结束日期不详的视为仍有效）；已撤销而撤销日期不详的服务队不计。",
}


def _since(column: Any, at: dt.date) -> ColumnElement[bool]:
    """A start date not after ``at`` (unknown: since ever)."""
    return or_(column.is_(None), column <= at)


def _first_day_without(column: Any, at: dt.date) -> ColumnElement[bool]:
    """An end date that is the first day without, after ``at`` (unknown: still on)."""
    return or_(column.is_(None), column > at)


def _last_day(column: Any, at: dt.date) -> ColumnElement[bool]:
    """An end date that is the last day held, not before ``at`` (unknown: still on)."""
    return or_(column.is_(None), column >= at)


# -- teams and memberships --------------------------------------------------------------------------
def team_exists(at: dt.date) -> ColumnElement[bool]:
    """服务队在某日存续（规则见 RULES["team_exists"]）."""
    return team_existed_during(at, at)


def team_existed_during(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """服务队在统计时段内存续（规则见 RULES["team_existed_during"]）."""
    not_dissolved = and_(Team.dissolved_on.is_(None), Team.status != "撤销")
    return and_(_since(Team.founded_on, end), or_(not_dissolved, Team.dissolved_on > start))


def membership_during(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """队员在统计时段内在队（TeamMember；规则见 RULES["membership_during"]）."""
    return and_(_since(TeamMember.joined_on, end), _last_day(TeamMember.left_on, start))


def membership_at(at: dt.date) -> ColumnElement[bool]:
    """队员在某日在队（TeamMember；规则见 RULES["membership_at"]）."""
    return membership_during(at, at)


# -- party organisations, agreements, places ------------------------------------------------------
def party_org_exists(at: dt.date) -> ColumnElement[bool]:
    """党组织在某日存续（规则见 RULES["party_org_exists"]）."""
    return and_(_since(PartyOrg.founded_on, at), _first_day_without(PartyOrg.dissolved_on, at))


def agreement_active(at: dt.date) -> ColumnElement[bool]:
    """共建协议在某日有效（规则见 RULES["agreement_active"]）."""
    return and_(
        _since(CoBuildingAgreement.signed_on, at), _first_day_without(CoBuildingAgreement.ended_on, at)
    )


def place_open(at: dt.date) -> ColumnElement[bool]:
    """阵地在某日在用（规则见 RULES["place_open"]）."""
    return and_(_since(Place.opened_on, at), _first_day_without(Place.closed_on, at))


# -- people: community roles, 社区报到, the roster ----------------------------------------------------
def role_held(at: dt.date) -> ColumnElement[bool]:
    """社区任职在某日在任（PersonCommunityRole；规则见 RULES["role_held"]）."""
    return and_(_since(PersonCommunityRole.since, at), _last_day(PersonCommunityRole.until, at))


def role_held_during(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """社区任职在统计时段内在任（PersonCommunityRole；规则见 RULES["role_held_during"]）."""
    return and_(_since(PersonCommunityRole.since, end), _last_day(PersonCommunityRole.until, start))


def registered_at(at: dt.date) -> ColumnElement[bool]:
    """社区报到在某日有效（Person；规则见 RULES["registered_at"]）."""
    past = exists().where(
        PersonRegistration.person_id == Person.id,
        _since(PersonRegistration.since, at),
        PersonRegistration.until >= at,
    )
    return or_(and_(Person.registered_on.is_not(None), Person.registered_on <= at), past)


def registered_during(start: dt.date, end: dt.date, communities: Any) -> ColumnElement[bool]:
    """社区报到 to one of ``communities`` (unit ids) at some time in the period (Person; 规则见
    RULES["registered_during"]): the current one begun by the end, or a past one overlapping the period."""
    past = exists().where(
        PersonRegistration.person_id == Person.id,
        PersonRegistration.community_id.in_(communities),
        _since(PersonRegistration.since, end),
        PersonRegistration.until >= start,
    )
    current = and_(
        Person.community_id.in_(communities), Person.registered_on.is_not(None), Person.registered_on <= end
    )
    return or_(current, past)


def lived_in_during(start: dt.date, end: dt.date, communities: Any) -> ColumnElement[bool]:
    """Lives in one of ``communities`` (Person.community_id, no date of moving in: always), unless he was
    still registered elsewhere through the period — a past 社区报到 ending on or after ``start`` and the
    current one beginning after ``end`` (规则见 RULES["lived_in_during"])."""
    moved_later = and_(
        Person.registered_on.is_not(None),
        Person.registered_on > end,
        exists().where(PersonRegistration.person_id == Person.id, PersonRegistration.until >= start),
    )
    return and_(Person.community_id.in_(communities), ~moved_later)


def registered_community_during(start: dt.date, end: dt.date, communities: Any) -> ColumnElement[Any]:
    """The community of ``communities`` a person reported to during the period (with
    :func:`registered_during`): the current one when it began by the end, else the latest past one."""
    past = (
        select(PersonRegistration.community_id)
        .where(
            PersonRegistration.person_id == Person.id,
            PersonRegistration.community_id.in_(communities),
            _since(PersonRegistration.since, end),
            PersonRegistration.until >= start,
        )
        .order_by(PersonRegistration.until.desc(), PersonRegistration.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    current = and_(
        Person.community_id.in_(communities), Person.registered_on.is_not(None), Person.registered_on <= end
    )
    return case((current, Person.community_id), else_=past)


def registered_community_at(at: dt.date) -> ColumnElement[Any]:
    """The community a person reported to as of ``at`` (Person; with :func:`registered_at`): the current
    one when it began by then, else the past one that covers the day."""
    past = (
        select(PersonRegistration.community_id)
        .where(
            PersonRegistration.person_id == Person.id,
            _since(PersonRegistration.since, at),
            PersonRegistration.until >= at,
        )
        .order_by(PersonRegistration.until.desc(), PersonRegistration.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    current = and_(Person.registered_on.is_not(None), Person.registered_on <= at)
    return case((current, Person.community_id), else_=past)


def registrations() -> Any:
    """Every 社区报到, past and current, as rows (person_id, community_id, since, until): a subquery.

    The current one comes from the person (``until`` NULL), the past ones from ``person_registration``;
    filter it with ``since <= at`` and ``until IS NULL OR until >= at`` (the last day)."""
    current = select(
        Person.id.label("person_id"),
        Person.community_id.label("community_id"),
        Person.registered_on.label("since"),
        literal(None, PersonRegistration.until.type).label("until"),
    ).where(Person.registered_on.is_not(None))
    past = select(
        PersonRegistration.person_id,
        PersonRegistration.community_id,
        PersonRegistration.since,
        PersonRegistration.until,
    )
    return union_all(current, past).subquery("registration")


def on_roster_at(at: dt.date) -> ColumnElement[bool]:
    """人员在某日在册（规则见 RULES["on_roster_at"]）."""
    return or_(Person.status == "在册", _first_day_without(Person.status_changed_on, at))


def on_roster_during(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    """人员在统计时段内在册（规则见 RULES["on_roster_during"]）."""
    del end  # joining the roster has no date: whoever is on it at the start, or joins later, counts
    return on_roster_at(start)


# -- statuses from their dated history --------------------------------------------------------------
def _status_at(event: Any, owner: Any, record: Any, at: dt.date) -> ColumnElement[Any]:
    """A record's status on ``at`` from its dated steps (``event`` rows whose ``owner`` column names the
    record): the last step up to that day, else the status before the first later step, else the
    record's current status."""
    last = (
        select(event.to_status)
        .where(owner == record.id, event.happened_on <= at)
        .order_by(event.happened_on.desc(), event.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    before = (
        select(event.from_status)
        .where(owner == record.id, event.happened_on > at)
        .order_by(event.happened_on, event.id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(last, before, record.status)


def resource_status_at(at: dt.date) -> ColumnElement[Any]:
    """A resource's status on ``at``, from ``resource_event``."""
    return _status_at(ResourceEvent, ResourceEvent.resource_id, Resource, at)


def resource_available_at(at: dt.date) -> ColumnElement[bool]:
    """资源在某日可用（规则见 RULES["resource_available_at"]）: on the list then (:func:`resource_listed_at`)
    and 可用 by its status then."""
    return and_(resource_listed_at(at), resource_status_at(at) == "可用")


def order_status_at(at: dt.date) -> ColumnElement[Any]:
    """订单在某日的状态（规则见 RULES["order_status_at"]）, from ``order_event``."""
    return _status_at(OrderEvent, OrderEvent.order_id, ServiceOrder, at)


def order_withdrawn_by(at: dt.date) -> ColumnElement[bool]:
    """The order was 撤销 on ``at`` (a later withdrawal leaves past periods as they were)."""
    return order_status_at(at) == "撤销"


def order_live_at(at: dt.date) -> ColumnElement[bool]:
    """订单在某日未撤销（规则见 RULES["order_live_at"]）."""
    return ~order_withdrawn_by(at)


# -- 资源与需求 --------------------------------------------------------------------------------------
def resource_listed_at(at: dt.date) -> ColumnElement[bool]:
    """资源在某日在册（规则见 RULES["resource_listed_at"]）: listed by ``at``, its availability not ended before."""
    return and_(Resource.listed_on <= at, _last_day(Resource.available_to, at))


def demand_live_at(at: dt.date) -> ColumnElement[bool]:
    """需求计入（规则见 RULES["demand_live_at"]）: not 撤销 (the status carries no date)."""
    return Demand.status != "撤销"
