"""阵地 (places): 活动阵地, 驿站, 工作室 … of a unit, with the dates they opened and closed."""

from __future__ import annotations

from silverdesk.db.models import Place
from silverdesk.domain import enums
from silverdesk.domain import fields as f
from silverdesk.services.base import CrudService


class PlaceService(CrudService[Place]):
    model = Place
    entity = "place"
    label = "阵地"
    specs = (
        f.FieldSpec("name", "阵地名称", f.text, required=True, max_length=200),
        f.FieldSpec("kind", "阵地类型", f.choice, required=True, choices=enums.PLACE_KINDS),
        f.FieldSpec("unit_id", "所属单位", f.passthrough),
        f.FieldSpec("address", "地址", f.text, max_length=300),
        f.FieldSpec("opened_on", "启用时间", f.date),
        f.FieldSpec("closed_on", "停用时间", f.date),
    )
