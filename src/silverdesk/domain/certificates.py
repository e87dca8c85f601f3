"""What a 志愿服务证明 and a 荣誉证书 say: assembled by services, drawn by ``reports.certificates``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceRecordLine:
    day: dt.date
    title: str
    organiser: str  # the team(s), else the organising unit
    hours: float


@dataclass(frozen=True)
class ServiceCertificate:
    """志愿服务证明 for one person over a period."""

    number: str
    name: str
    gender: str
    id_number_masked: str  # "3704**********123X": enough to identify, not enough to misuse
    period_start: dt.date
    period_end: dt.date
    records: tuple[ServiceRecordLine, ...]
    total_hours: float
    star_level: int | None  # the star rating of the period's last year, if rated
    star_year: int
    bureau: str
    issued_on: dt.date


@dataclass(frozen=True)
class HonourCertificate:
    """One page of a batch of 荣誉证书."""

    number: str
    name: str
    title: str  # the honour, e.g. "五星级志愿者"
    body: str  # the citation sentence
    bureau: str
    issued_on: dt.date


def mask_id_number(number: str | None) -> str:
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:] if len(number) > 8 else number


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
