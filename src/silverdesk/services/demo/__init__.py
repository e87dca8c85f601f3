"""Realistic but fictional demo data, for trying the app out: a county's unit tree, cadres with valid ID numbers, teams, party
organisations, two years of activities, resources, demands and orders.

Written with SQLAlchemy Core in one transaction (the ORM would be ~5× slower), with
explicit ids so rows can reference each other without round trips.  One random stream runs through
the steps in a fixed order (units, people, groups, themes, activities, market: a module each), so the
same seed makes the same database.  With ``people=0, activities=0`` only the unit tree (and the lists every
database has) is written: no people, teams, party organisations, places, themes or activities.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sqlalchemy import func, select

from silverdesk.db import models as m
from silverdesk.errors import UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context, audit
from silverdesk.services.demo.activities import make_activities, make_themes
from silverdesk.services.demo.fill import PERSON_WORK, DemoResult, Fill, Steps, fix_sequences
from silverdesk.services.demo.groups import make_groups
from silverdesk.services.demo.market import make_market
from silverdesk.services.demo.people import make_people
from silverdesk.services.demo.units import make_units, write_settings


def generate(
    ctx: Context,
    *,
    people: int = 2000,
    activities: int = 20000,
    seed: int = 2026,
    county: str = "青山县",
    today: dt.date | None = None,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> DemoResult:
    """Fill an empty database.  Refuses a database that already holds units or people.

    ``progress(done, total, step)`` counts the whole fill in one unit of work (an activity made
    and written; a person is :data:`PERSON_WORK`), so a bar moves evenly from start to end;
    ``step`` names what is being made, in the clerk's words.
    """
    if people < 0 or activities < 0:
        raise UserError("人数和活动数不能为负")
    rng = random.Random(seed)
    today = today or ctx.today()
    result = DemoResult()
    total = PERSON_WORK * people + activities + activities // 10 + 1  # the last share: the monthly roll-up
    with ctx.db.engine.begin() as conn:
        if conn.scalar(select(func.count()).select_from(m.Person)) or conn.scalar(
            select(func.count()).select_from(m.Unit)
        ):
            raise UserError("数据库里已有单位或人员，演示数据只能写入新数据库；请用 --db 指定一个新文件")
        lookups = {
            (r.kind, r.name): r.id for r in conn.execute(select(m.Lookup.kind, m.Lookup.name, m.Lookup.id))
        }
        fill = Fill(conn, rng, today, lookups, Steps(progress, cancel, total))
        make_units(fill, county)
        write_settings(fill, county)
        make_people(fill, people)
        make_groups(fill)
        make_themes(fill, activities)
        make_activities(fill, activities)
        make_market(fill)
        fix_sequences(conn)
        result = fill.result
    from silverdesk.services.statistics.rollup import Rollup

    fill.steps.at(PERSON_WORK * people + activities, "汇总月度数据")
    Rollup(ctx.db).refresh()  # so the first report after a bulk load is as fast as any other
    with ctx.db.session() as session:
        audit(
            session,
            ctx,
            "生成演示数据",
            "database",
            None,
            f"演示数据：{result.people}人，{result.activities}项活动（种子 {seed}）",
        )
    progress(total, total, "演示数据已生成")
    return result


def create_database(
    path: Path,
    *,
    people: int,
    activities: int,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
) -> DemoResult:
    """A new SQLite database at ``path`` filled with demo data (the GUI's first start).

    It is built beside ``path`` and takes its name only when complete, so a first start that was
    closed half-way (or a power cut) leaves no half-filled database: the next start builds it again.
    """
    from silverdesk.services.hub import Services

    building = path.with_name(path.name + ".building")

    def remove_building() -> None:
        for leftover in path.parent.glob(building.name + "*"):  # the file and its -wal/-shm
            leftover.unlink()

    remove_building()  # what a start that was stopped left
    progress(0, 0, "建立数据库")
    services, complete = Services.open(building), False
    try:
        result = generate(
            services.ctx, people=people, activities=activities, progress=progress, cancel=cancel
        )
        complete = True
    finally:
        services.close()
        if not complete:
            remove_building()
    building.replace(path)
    return result
