"""The report's short narrative paragraph, in the style of the bureaus' own reports.

``build_narrative(data)`` writes e.g. "本月，全县离退休干部志愿服务队共开展志愿服务活动344场次，参与志愿者
3486人次，服务时长9385.1小时，受益群众24472人次，活动场次同比增长19.4%、环比增长7.2%。其中，……"
It copes with quarters and years (本季度/本年度), a unit as scope, missing comparison periods and
small bases: against fewer than 10 activities, or for a change of more than 300 %, it gives the
other period's figure instead of a percentage ("去年同期开展活动1场次", not "同比增长11300.0%").
Each figure is named as it is counted (see :mod:`silverdesk.services.statistics.tables`): stocks "截至"
or "期末", flows "本月新提出…".
"""

from __future__ import annotations

from silverdesk.domain.numbers import count_text, hours_text
from silverdesk.reports.model import ReportData, Totals

_THIS = {"month": "本月", "quarter": "本季度", "year": "本年度", "custom": "本期"}
_PREVIOUS = {"month": "环比", "quarter": "环比", "year": "", "custom": "较上一时段", "since": "较上一时段"}
_PREVIOUS_NAME = {
    "month": "上月",
    "quarter": "上季度",
    "year": "上年",
    "custom": "上一时段",
    "since": "上一时段",
}
SMALL_BASE = 10  # fewer activities than this to compare with: the two figures, not a percentage
LARGE_CHANGE = 300.0  # nor for a change of more than this many percent


def fmt_int(value: int) -> str:
    """A count as prose writes it: plain digits, no separators (:func:`~silverdesk.domain.numbers.count_text`)."""
    return count_text(value, grouped=False)


def fmt_hours(value: float) -> str:
    """Hours with at most one decimal, no trailing ".0", no separators
    (:func:`~silverdesk.domain.numbers.hours_text`)."""
    return hours_text(value, grouped=False)


def as_percentage(current: float, base: float) -> bool:
    """Whether a change from ``base`` to ``current`` reads well as a percentage: not from a handful (1 → 114
    is "增长11300.0%", which says nothing) and not by more than :data:`LARGE_CHANGE` percent."""
    return base >= SMALL_BASE and abs(current - base) / base * 100 <= LARGE_CHANGE


def change_phrase(label: str, current: float, base: float) -> str:
    """ "同比增长12.5%" / "同比下降3.0%" / "同比持平" (``base`` > 0, see :func:`as_percentage`)."""
    pct = (current - base) / base * 100
    if round(pct, 1) == 0:
        return f"{label}持平"
    word = "增长" if pct > 0 else "下降"
    return f"{label}{word}{abs(pct):.1f}%"


def _comparisons(kind: str, current: Totals, previous: Totals | None, last_year: Totals | None) -> str:
    """ "活动场次同比增长19.4%、环比增长7.2%"; against a small base the base's own figure instead:
    "去年同期开展活动1场次，活动场次环比增长7.2%"."""
    if kind == "year":
        base = last_year if last_year is not None else previous
        against = [("较上年", "上年", base)]
    else:
        against = [
            ("同比", "去年同期", last_year),
            (_PREVIOUS.get(kind, "环比"), _PREVIOUS_NAME[kind], previous),
        ]
    figures: list[str] = []
    changes: list[str] = []
    for label, name, totals in against:
        if totals is None:
            continue
        if as_percentage(current.activities, totals.activities):
            changes.append(change_phrase(label, current.activities, totals.activities))
        elif totals.activities:
            figures.append(f"{name}开展活动{fmt_int(totals.activities)}场次")
        else:
            figures.append(f"{name}未开展活动")
    parts = [*figures, "活动场次" + "、".join(changes)] if changes else figures
    return "，".join(parts)


def _who(scope: str) -> str:
    return f"{scope.strip()}离退休干部志愿服务队"


def build_narrative(data: ReportData) -> str:
    """The default narrative for ``data`` (used by the writers when ``data.narrative`` is empty)."""
    # 累计 since a day: "2020年5月1日以来，…"
    this = (
        data.period.label.removesuffix("累计")
        if data.period.kind == "since"
        else _THIS.get(data.period.kind, "本期")
    )
    cur = data.current
    sentences: list[str] = []
    if cur.activities <= 0:
        sentences.append(f"{this}，{_who(data.scope)}未开展志愿服务活动。")
    else:
        first = (
            f"{this}，{_who(data.scope)}共开展志愿服务活动{fmt_int(cur.activities)}场次，"
            f"参与志愿者{fmt_int(cur.participations)}人次，服务时长{fmt_hours(cur.hours)}小时，"
            f"受益群众{fmt_int(cur.beneficiaries)}人次"
        )
        comparison = _comparisons(data.period.kind, cur, data.previous, data.last_year)
        sentences.append(first + (f"，{comparison}。" if comparison else "。"))
        top = sorted((r for r in data.table2 if r.activities > 0), key=lambda r: -r.activities)[:3]
        if top:
            items = "，".join(f"{r.category}{fmt_int(r.activities)}场次" for r in top)
            share = sum(r.activities for r in top) / cur.activities * 100
            sentences.append(
                f"其中，{items}，{'以上领域' if len(top) > 1 else '该领域'}合计占全部活动场次的{share:.1f}%。"
            )
    ytd = data.year_to_date
    if data.period.kind != "year" and ytd.activities > 0:
        sentences.append(
            f"年初以来，累计开展活动{fmt_int(ytd.activities)}场次，受益群众{fmt_int(ytd.beneficiaries)}人次。"
        )
    end = data.period.end
    if cur.teams or cur.volunteers:  # teams: a stock at the period end; volunteers: on a team in the period
        sentences.append(
            f"截至{end.month}月{end.day}日，共有离退休干部志愿服务队{fmt_int(cur.teams)}支，"
            f"{this}在队志愿者{fmt_int(cur.volunteers)}人。"
        )
    org = data.table3  # stocks at the period end
    if org.registered or org.community_role_people:
        sentences.append(
            f"组织建设方面，期末有离退休干部党组织{fmt_int(org.party_orgs)}个，与社区党组织的有效共建协议"
            f"{fmt_int(org.agreements)}份，{fmt_int(org.registered)}名离退休干部已到居住社区报到，"
            f"{fmt_int(org.community_role_people)}人在社区担任职务。"
        )
    sd = (
        data.table4
    )  # resources: available at the period end; the rest: raised, published, signed, done in it
    if sd.resources or sd.demands or sd.matches or sd.orders_signed or sd.orders_completed:
        sentences.append(
            f"供需对接方面，期末资源清单中可用资源{fmt_int(sd.resources)}条；{this}新提出需求{fmt_int(sd.demands)}条，"
            f"发布对接订单{fmt_int(sd.matches)}个，签约银龄共治订单{fmt_int(sd.orders_signed)}个、"
            f"完成{fmt_int(sd.orders_completed)}个。"
        )
    return "".join(sentences)


def narrative_paragraphs(data: ReportData) -> list[str]:
    """The narrative to print, split into paragraphs (the data's own text, else the built one)."""
    text = data.narrative.strip() or build_narrative(data)
    return [p.strip() for p in text.splitlines() if p.strip()]
