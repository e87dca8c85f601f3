"""月度主题: one theme per month of a year (1月 银龄暖冬 …), set in 设置 or imported from a list.

An activity takes the theme of its month unless the clerk chose another (the activity form, quick
entry and the import).  A month's theme can be renamed freely (its activities follow it); it can be
cleared only while no activity uses it.  Every change is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from silverdesk.db.models import Activity, MonthlyTheme
from silverdesk.domain.text import clean
from silverdesk.errors import Conflict, UserError
from silverdesk.services.base import Context, audit

MAX_NAME = 100
MONTH_NAMES = tuple(f"{m}月" for m in range(1, 13))
_MONTH = re.compile(r"^\s*(\d{1,2})\s*月?(份)?\s*$")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "十一": 11, "十二": 12, "元": 1, "正": 1}  # fmt: skip
_THEME_LINE = re.compile(r"^\s*(\d{1,2}|十[一二]?|[一二三四五六七八九元正])\s*月份?\s*[:：、.\s]*(.*)$")


def read_month(text: object) -> int | None:
    """1–12 from 3, "3", "3月", "03", "三月" (``None`` when it is no month)."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return int(text) if float(text).is_integer() and 1 <= int(text) <= 12 else None
    value = clean(str(text or ""))
    m = _MONTH.match(value)
    if m:
        month = int(m.group(1))
        return month if 1 <= month <= 12 else None
    word = value.removesuffix("份").removesuffix("月")
    return _CN_DIGITS.get(word)


def split_theme_line(text: str) -> tuple[int, str] | None:
    """ "1月 银龄暖冬" (a 年度主题 sheet's one column) → (1, "银龄暖冬"); ``None`` if it names no month."""
    m = _THEME_LINE.match(clean(text))
    if not m or not m.group(2).strip():
        return None
    month = read_month(m.group(1))
    return (month, m.group(2).strip()) if month else None


@dataclass(frozen=True)
class MonthTheme:
    id: int
    year: int
    month: int
    name: str
    activities: int  # how many activities carry it


class ThemeService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def year(self, year: int) -> dict[int, MonthTheme]:
        """The themes of ``year`` by month (months without one are left out)."""
        with self.ctx.db.reader() as session:
            used = (
                select(func.count(Activity.id)).where(Activity.theme_id == MonthlyTheme.id).scalar_subquery()
            )
            rows = session.execute(
                select(MonthlyTheme.id, MonthlyTheme.month, MonthlyTheme.name, used).where(
                    MonthlyTheme.year == year
                )
            ).all()
        return {m: MonthTheme(tid, year, m, name, n or 0) for tid, m, name, n in rows}

    def names(self, year: int) -> dict[int, str]:
        return {m: t.name for m, t in self.year(year).items()}

    def years(self) -> list[int]:
        """The years that have themes, newest first."""
        with self.ctx.db.reader() as session:
            return list(
                session.scalars(
                    select(MonthlyTheme.year).group_by(MonthlyTheme.year).order_by(MonthlyTheme.year.desc())
                )
            )

    def for_day(self, day: dt.date) -> MonthTheme | None:
        return self.year(day.year).get(day.month)

    def choices(self, around: int) -> list[MonthTheme]:
        """The themes of the year before, of ``around`` and the year after (what an activity may take)."""
        out: list[MonthTheme] = []
        for y in (around - 1, around, around + 1):
            out += sorted(self.year(y).values(), key=lambda t: t.month)
        return out

    def get(self, theme_id: int) -> MonthTheme | None:
        with self.ctx.db.reader() as session:
            t = session.get(MonthlyTheme, theme_id)
            return None if t is None else MonthTheme(t.id, t.year, t.month, t.name, 0)

    def set(self, year: int, month: int, name: str) -> str:
        """Set (or, with an empty ``name``, clear) the theme of a month; returns the name it had ("": none)."""
        self._check(year, month)
        name = clean(name)
        if len(name) > MAX_NAME:
            raise UserError(f"主题有 {len(name)} 个字，超过 {MAX_NAME} 个字的上限，请精简")
        with self.ctx.db.session() as session:
            return self._set(session, year, month, name)

    def clear(self, year: int, month: int) -> str:
        return self.set(year, month, "")

    def copy_previous(self, year: int, *, replace: bool = False) -> int:
        """Give ``year`` the themes of the year before (months already set are kept unless ``replace``);
        returns how many months changed."""
        self._check(year, 1)
        source = self.names(year - 1)
        if not source:
            raise UserError(f"{year - 1}年还没有设置月度主题，无可复制")
        current = self.names(year)
        changed = 0
        with self.ctx.db.session() as session:
            for month, name in sorted(source.items()):
                if current.get(month) == name or (month in current and not replace):
                    continue
                self._set(session, year, month, name, how=f"（复制自{year - 1}年）")
                changed += 1
        return changed

    # --- private ------------------------------------------------------------------------------------
    @staticmethod
    def _check(year: int, month: int) -> None:
        if not 1900 <= year <= 2200:
            raise UserError(f"年份 {year} 不对，请填写四位年份，如 2026")
        if not 1 <= month <= 12:
            raise UserError(f"月份应为 1 到 12，“{month}”不是月份")

    def _set(self, session: Session, year: int, month: int, name: str, how: str = "") -> str:
        theme = session.scalar(
            select(MonthlyTheme).where(MonthlyTheme.year == year, MonthlyTheme.month == month)
        )
        old = theme.name if theme is not None else ""
        if old == name:
            return old
        if theme is None:
            theme = MonthlyTheme(year=year, month=month, name=name)
            session.add(theme)
            session.flush()
            audit(session, self.ctx, "新增", "monthly_theme", theme.id,
                  f"{year}年{month}月主题：{name}{how}", {"name": [None, name]})  # fmt: skip
        elif not name:
            used = session.scalar(select(func.count(Activity.id)).where(Activity.theme_id == theme.id)) or 0
            if used:
                raise Conflict(
                    f"{year}年{month}月主题“{old}”已有 {used} 项活动使用，不能清空；可以改为其他名称"
                )
            session.delete(theme)
            audit(session, self.ctx, "删除", "monthly_theme", theme.id,
                  f"清空{year}年{month}月主题（原为“{old}”）", {"name": [old, None]})  # fmt: skip
        else:
            theme.name = name
            audit(session, self.ctx, "修改", "monthly_theme", theme.id,
                  f"{year}年{month}月主题：“{old}”改为“{name}”{how}", {"name": [old, name]})  # fmt: skip
        return old
