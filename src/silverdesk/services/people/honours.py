"""典型 (honours): a title awarded to a person, a team or a party organisation."""

from __future__ import annotations

from sqlalchemy.orm import Session

from silverdesk.db.models import Honour
from silverdesk.domain import enums
from silverdesk.domain import fields as f
from silverdesk.errors import FieldError, ValidationError
from silverdesk.services.base import CrudService, holders


class HonourService(CrudService[Honour]):
    model = Honour
    entity = "honour"
    label = "典型"
    specs = (
        f.FieldSpec("title", "荣誉称号", f.text, required=True, max_length=200),
        f.FieldSpec("level", "级别", f.choice, required=True, choices=enums.HONOUR_LEVELS),
        f.FieldSpec("issuer", "授予单位", f.text, max_length=200),
        f.FieldSpec("awarded_on", "授予时间", f.date),
        f.FieldSpec("person_id", "人员", f.passthrough),
        f.FieldSpec("team_id", "服务队", f.passthrough),
        f.FieldSpec("party_org_id", "党组织", f.passthrough),
    )

    def check(self, session: Session, values: dict[str, object], current: Honour | None) -> None:
        if len(holders(values, current)) != 1:
            raise ValidationError([FieldError("person_id", "请选择获得荣誉的一个对象：人员、服务队或党组织")])
