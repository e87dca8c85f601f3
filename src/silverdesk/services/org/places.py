"""阵地 (places): 活动阵地, 驿站, 工作室 … of a unit, with the dates they opened and closed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from silverdesk.db.models import Place, Unit
from silverdesk.domain import enums
from silverdesk.domain import fields as f
from silverdesk.domain.pinyin import collation_key
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

    def choices(self, *, keep: int | None = None) -> list[PlaceChoice]:
        """The 阵地 an activity may be held at: the open ones (not closed before today), by unit, then by
        name in phone-book order; ``keep`` (an activity's own place) is listed even if closed since."""
        today = self.ctx.today()
        with self.ctx.db.reader() as session:
            rows = session.execute(
                select(Place.id, Place.name, Place.kind, Unit.name)
                .outerjoin(Unit, Unit.id == Place.unit_id)
                .where(or_(Place.closed_on.is_(None), Place.closed_on >= today, Place.id == keep))
            ).all()
        found = [PlaceChoice(pid, name, kind, unit or "") for pid, name, kind, unit in rows]
        return sorted(found, key=lambda p: (collation_key(p.unit), collation_key(p.name)))

    def names(self) -> dict[int, str]:
        """Every 阵地's name by id (closed ones too: old activities show theirs)."""
        with self.ctx.db.reader() as session:
            return {pid: name for pid, name in session.execute(select(Place.id, Place.name))}


@dataclass(frozen=True)
class PlaceChoice:
    id: int
    name: str
    kind: str
    unit: str  # the unit's name ("" when the place has none)
