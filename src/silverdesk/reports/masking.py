"""Masking a report's data before any writer sees it (issue #7: nothing leaked).

A statistics report is counts per unit and per 服务领域, so it normally holds no personal data.
But its texts come from the database — unit names and notes, category names, the clerk's
narrative, the 编报说明 — and a clerk may have typed an ID number or a mobile into one of them.
:func:`mask_report` runs every such text through a :class:`~silverdesk.domain.privacy.MaskPolicy`,
so the workbook, the PDF, a filled-in province form and the workbook's hidden data sheet all get
the same masked text.

Not masked: the figures, the period, and the footer (单位负责人/填表人/联系电话 are the bureau's
own signatories and office contact, written on purpose for the recipient).
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from silverdesk.domain.privacy import MaskPolicy
from silverdesk.reports.model import CategoryRow, OrgFigures, ReportData, UnitRow

T = TypeVar("T", UnitRow, CategoryRow)


def _text(mask: MaskPolicy, value: str) -> str:
    masked = mask.value("text", value)
    return masked if isinstance(masked, str) else value


def _row(mask: MaskPolicy, row: T) -> T:
    # Only the str fields are replaced (checked per value below), which the dataclass plugin cannot see.
    changes: dict[str, Any] = {
        f.name: _text(mask, getattr(row, f.name))
        for f in dataclasses.fields(row)
        if isinstance(getattr(row, f.name), str)
    }
    return dataclasses.replace(row, **changes)


def mask_report(data: ReportData, mask: MaskPolicy | None = None) -> ReportData:
    """``data`` with ID numbers and mobiles inside its texts masked (``MaskPolicy.off()``: unchanged).

    Args:
        data: the report as built by the statistics service.
        mask: the policy; ``None`` means the default (mask).
    """
    mask = mask or MaskPolicy()
    if not mask.enabled:
        return data
    org: OrgFigures = dataclasses.replace(
        data.table3, community_roles=tuple((_text(mask, role), n) for role, n in data.table3.community_roles)
    )
    return dataclasses.replace(
        data,
        title=_text(mask, data.title),
        issuer=_text(mask, data.issuer),
        scope=_text(mask, data.scope),
        table1=tuple(_row(mask, r) for r in data.table1),
        table1_total=_row(mask, data.table1_total),
        table2=tuple(_row(mask, r) for r in data.table2),
        table2_total=_row(mask, data.table2_total),
        table3=org,
        narrative=_text(mask, data.narrative),
        notes=tuple(_text(mask, n) for n in data.notes),
    )
