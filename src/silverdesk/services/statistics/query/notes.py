"""编报说明 of a question's answer: the counting rule of each measure, of each fact it counts and of each
dimension it is broken down by, once each, in the order asked."""

from __future__ import annotations

from silverdesk.services.statistics import asof
from silverdesk.services.statistics.query.model import Result
from silverdesk.services.statistics.query.registry import registry


def counting_notes(result: Result) -> tuple[str, ...]:
    reg = registry()
    out = [f"{m.name}：{m.rule}" for m in result.measures]
    for key in dict.fromkeys(m.fact for m in result.measures):
        fact = reg.facts[key]
        out.append(f"{fact.name}：{fact.rule}")
    for dimension, level in result.dimensions:
        by = f"{dimension.name}（{level.name}）" if level else dimension.name
        out.append(f"按{by}：{dimension.rule}")
    out.append(asof.RULES["unknown"])
    return tuple(dict.fromkeys(out))
