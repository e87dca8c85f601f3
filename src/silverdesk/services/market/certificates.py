"""The data of certificates: the 志愿服务证明 (a person's service record) and batches of 荣誉证书.

:mod:`silverdesk.reports.certificates` draws them; the hours are those of
:mod:`silverdesk.services.market.hours`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from silverdesk.atomic import atomic_target
from silverdesk.db.models import Activity, ActivityTeam, Person, Setting, StarRating, Team, Unit
from silverdesk.domain.certificates import (
    HonourCertificate,
    ServiceCertificate,
    ServiceRecordLine,
    mask_id_number,
)
from silverdesk.domain.text import clean
from silverdesk.errors import NotFound, UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.base import Context
from silverdesk.services.market.hours import participant_hours
from silverdesk.services.market.stars import STAR_WORDS


class CertificateService:
    """Gathers what certificates say; ``silverdesk.reports.certificates`` draws them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def service_certificate(self, person_id: int, start: dt.date, end: dt.date) -> ServiceCertificate:
        """志愿服务证明: the person's activities in the period with hours, the total and the star level."""
        if end < start:
            raise UserError("证明的截止日期早于起始日期，请核对")
        with self.ctx.db.reader() as session:
            person = session.get(Person, person_id)
            if person is None:
                raise NotFound(f"找不到该人员（编号 {person_id}）")
            hours = participant_hours(session, start, end, [person_id])
            ids = [h.activity_id for h in hours]
            organisers: dict[int, list[str]] = defaultdict(list)
            for aid, name in session.execute(
                select(ActivityTeam.activity_id, Team.name)
                .join(Team)
                .where(ActivityTeam.activity_id.in_(ids))
            ):
                organisers[aid].append(name)
            for aid, name in session.execute(
                select(Activity.id, Unit.name)
                .join(Unit, Unit.id == Activity.unit_id)
                .where(Activity.id.in_(ids))
            ):
                organisers.setdefault(aid, [name])
            records = tuple(
                ServiceRecordLine(h.day, h.title, "、".join(organisers.get(h.activity_id, [])), h.hours)
                for h in hours
            )
            level = session.scalar(
                select(StarRating.level).where(
                    StarRating.subject == "volunteer",
                    StarRating.subject_id == person_id,
                    StarRating.year == end.year,
                )
            )
            bureau = self._bureau(session)
            today = self.ctx.today()
            return ServiceCertificate(
                number=f"ZYFW{today:%Y%m%d}{person_id:06d}",
                name=person.name,
                gender=person.gender or "",
                id_number_masked=mask_id_number(person.id_number),
                period_start=start,
                period_end=end,
                records=records,
                total_hours=round(sum(r.hours for r in records), 2),
                star_level=level or None,
                star_year=end.year,
                bureau=bureau,
                issued_on=today,
            )

    def honour_certificates(
        self, person_ids: Sequence[int], title: str, *, year: int | None = None, body: str = ""
    ) -> list[HonourCertificate]:
        """A batch of 荣誉证书, one per person in the order given.

        ``body`` may use ``{name}``, ``{title}`` and ``{year}``; the default reads "…同志在2026年度
        离退休干部志愿服务工作中表现突出，被评为“五星级志愿者”。特发此证，以资鼓励。"
        """
        title = clean(title)
        if not title:
            raise UserError("请填写荣誉称号（如：五星级志愿者）")
        if not person_ids:
            raise UserError("请至少选择一人")
        today = self.ctx.today()
        year = year or today.year
        template = (
            body
            or "{name}同志在{year}年度离退休干部志愿服务工作中表现突出，被评为“{title}”。特发此证，以资鼓励。"
        )
        with self.ctx.db.reader() as session:
            names = dict(
                session.execute(select(Person.id, Person.name).where(Person.id.in_(list(person_ids)))).all()
            )
            missing = [i for i in person_ids if i not in names]
            if missing:
                raise NotFound(f"有{len(missing)}人不在花名册中，请重新选择")
            bureau = self._bureau(session)
        try:
            return [
                HonourCertificate(
                    f"RY{year}-{n:04d}",
                    names[pid],
                    title,
                    template.format(name=names[pid], title=title, year=year),
                    bureau,
                    today,
                )
                for n, pid in enumerate(person_ids, start=1)
            ]
        except (KeyError, IndexError, ValueError) as exc:
            raise UserError("证书正文中只能使用 {name}、{title}、{year} 三个占位符") from exc

    def write_service_certificate(
        self, person_id: int, start: dt.date, end: dt.date, out: Path, *, cancel: CancelToken = NEVER
    ) -> Path:
        """The 志愿服务证明 as a PDF at ``out``, written whole or not at all: a cancel (checked once
        the records are gathered and as each page begins) leaves no file and a file at ``out`` as it was."""
        from silverdesk.reports.certificates import render_service_certificate

        cert = self.service_certificate(person_id, start, end)
        cancel.raise_if_set()
        with atomic_target(out) as partial:
            render_service_certificate(cert, partial, cancel=cancel)
        return out

    def write_honour_certificates(
        self,
        person_ids: Sequence[int],
        title: str,
        out: Path,
        *,
        year: int | None = None,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
    ) -> Path:
        """A batch of 荣誉证书 (:meth:`honour_certificates`) as one PDF at ``out``, one page each,
        written whole or not at all (``cancel`` checked per page)."""
        from silverdesk.reports.certificates import render_honour_certificates

        certs = self.honour_certificates(person_ids, title, year=year)
        with atomic_target(out) as partial:
            render_honour_certificates(certs, partial, progress=progress, cancel=cancel)
        return out

    @staticmethod
    def star_title(level: int) -> str:
        return f"{STAR_WORDS[level]}志愿者" if 1 <= level <= 5 else ""

    @staticmethod
    def _bureau(session: Session) -> str:
        name = session.scalar(select(Setting.value).where(Setting.key == "bureau_name"))
        if not name:
            raise UserError("请先在设置中填写本局名称（证书落款用）")
        return name
