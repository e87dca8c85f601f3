"""The first start without demo data: the bureau's own unit (县/市/区), its name in the settings, and the
units typed or pasted under it — nothing fictional."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from silverdesk.domain.text import clean
from silverdesk.domain.unit_kinds import PlannedUnit
from silverdesk.errors import UserError
from silverdesk.progress import Progress, null_progress
from silverdesk.services.base import Context


def bureau_name_for(county: str) -> str:
    """The usual name of the bureau of a county (市, 区): 青山县 → 中共青山县委老干部局."""
    return f"中共{clean(county)}委老干部局" if clean(county) else ""


def start_bureau(
    ctx: Context, name: str, kind: str, bureau: str = "", units: Sequence[PlannedUnit] = ()
) -> list[int]:
    """The root unit ``name`` of ``kind``, the settings naming it, and ``units`` (those without a problem)
    under it; returns the ids made, the root's first.  Refuses a database that already has a unit."""
    from silverdesk.services.org.lookups import SettingsService
    from silverdesk.services.org.units import UnitService

    service = UnitService(ctx)
    if service.root() is not None:
        raise UserError("数据库里已经有本级单位，请在“设置 › 单位”中修改")
    root = service.ensure_root(name, kind)
    SettingsService(ctx).update(
        {"county_name": clean(name), "bureau_name": clean(bureau) or bureau_name_for(name)}
    )
    made = [root]
    ids: dict[int, int] = {}
    for i, unit in enumerate(units):
        if unit.problem:
            continue
        parent = ids.get(unit.parent, root) if unit.parent is not None else root
        if unit.parent is not None and unit.parent not in ids:
            continue  # its 乡镇/街道 was left out
        ids[i] = service.add_child(parent, unit.name, unit.kind)
        made.append(ids[i])
    return made


def create_bureau_database(
    path: Path,
    name: str,
    kind: str,
    bureau: str = "",
    units: Sequence[PlannedUnit] = (),
    *,
    progress: Progress = null_progress,
) -> list[int]:
    """A new SQLite database at ``path`` holding only the bureau's own units (the GUI's first start).

    Built beside ``path`` and renamed when complete, like the demo's, so a start stopped half-way leaves
    nothing behind."""
    from silverdesk.services.hub import Services

    building = path.with_name(path.name + ".building")
    for leftover in path.parent.glob(building.name + "*"):
        leftover.unlink()
    progress(0, 0, "建立数据库")
    services, complete = Services.open(building), False
    try:
        progress(1, 2, "建立本单位")
        made = start_bureau(services.ctx, name, kind, bureau, units)
        complete = True
    finally:
        services.close()
        if not complete:
            for leftover in path.parent.glob(building.name + "*"):
                leftover.unlink()
    building.replace(path)
    progress(2, 2, "准备完毕")
    return made
