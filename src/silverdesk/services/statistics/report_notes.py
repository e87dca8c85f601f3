"""编报说明: the counting rules a report prints, generated from the query model's registry — the rule written
next to each measure, each fact's period and scope rule, the 单位 dimension's rule — and the dated rules of
:data:`silverdesk.services.statistics.asof.RULES`; not a second text. The returns' rule
(:data:`silverdesk.services.statistics.returns.RULE`) closes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from silverdesk.services.statistics import asof
from silverdesk.services.statistics.query.model import Measure
from silverdesk.services.statistics.query.registry import Registry, registry
from silverdesk.services.statistics.questions import ACTIVITY, MARKET, ORG, PEOPLE, ROLES, TEAMS
from silverdesk.services.statistics.returns import RULE as RETURNS_RULE

#: The sections of 编报说明: (heading, the measures whose rules it states)
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("表1、表2 活动", ACTIVITY),
    ("表1 队伍和志愿者", (TEAMS, *PEOPLE)),
    ("表3 组织建设（期末时点数）", ORG),
    ("表4 供需对接", MARKET),
)


@cache
def counting_rules() -> tuple[str, ...]:
    """The lines of 编报说明, in the report's order (the registry is loaded once: worked out once)."""
    reg = registry()
    lines = [f"统计范围和表1各行：{reg.find_dimension('单位').rule}"]
    for heading, names in SECTIONS:
        measures = _measures(reg, names)
        if not measures:
            continue
        facts = dict.fromkeys(reg.facts[m.fact].rule for m in measures)
        text = "".join(f"{m.name}：{_sentence(m.rule)}" for m in measures)
        lines.append(f"{heading}——{text}{''.join(_sentence(f) for f in facts)}")
        if names is ACTIVITY:
            lines[-1] += "年度累计自当年1月1日起至本期末。"
        if names is ORG and ROLES[1] in reg.dimensions:
            lines[-1] += f"分职务人数：{_sentence(reg.find_dimension(ROLES[1]).rule)}"
    said = "".join(lines)
    dated = [_sentence(rule) for rule in dict.fromkeys(asof.RULES.values()) if _sentence(rule) not in said]
    if dated:  # the dated rules no measure's text above has stated already
        lines.append("日期规则——" + "".join(dated))
    lines.append(RETURNS_RULE)
    return tuple(lines)


def _measures(reg: Registry, names: Sequence[str]) -> list[Measure]:
    found = {m.name: m for m in reg.measures.values()}
    return [found[n] for n in names if n in found]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(("。", "；")) else text + "。"
