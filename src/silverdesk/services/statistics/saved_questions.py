"""分组统计 questions saved under a name, to run again next month.

Kept with the data (the ``setting`` table, one row per question, key ``stats_question:<name>``, the
value a JSON object), so every clerk on the file sees them and a backup carries them. What is saved:
the measures, the row and column dimensions (``名称:层级``), the filters, the scope and the *kind* of
period — not its dates: a saved 月报 question asks the latest month when it is run again
(:func:`latest_period`), a 累计 question from its saved first day up to the day it is run, a 自定义时段
question the dates on screen.

The JSON (``version`` 1)::

    {"version": 1, "measures": ["activities", "beneficiaries"], "rows": ["单位:社区村"],
     "columns": ["服务领域:大类"], "filters": [{"dimension": "性别", "values": ["女"]}],
     "period": "month", "unit_id": null, "since": null}
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from silverdesk.db.models import Setting
from silverdesk.errors import UserError
from silverdesk.services.base import Context, audit
from silverdesk.services.statistics.periods import ReportPeriod, month, quarter, since, year
from silverdesk.services.statistics.query.model import DimRef, Filter, Question

PREFIX = "stats_question:"
NAME_MAX = 40
PERIOD_KINDS = ("month", "quarter", "year", "custom", "since")
VERSION = 1


@dataclass(frozen=True)
class SavedQuestion:
    name: str
    measures: tuple[str, ...]
    rows: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (dimension, values)
    period: str = "month"  # the kind: month | quarter | year | custom | since
    unit_id: int | None = None
    since: dt.date | None = None  # 累计: the first day (kept: 累计 since a brand was founded stays so)

    def question(self, start: dt.date, end: dt.date) -> Question:
        """The question for the days ``start`` … ``end``."""
        return Question(
            measures=self.measures,
            start=start,
            end=end,
            unit_id=self.unit_id,
            rows=tuple(DimRef.parse(r) for r in self.rows),
            columns=tuple(DimRef.parse(c) for c in self.columns),
            filters=tuple(Filter(DimRef.parse(d), values) for d, values in self.filters),
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": VERSION,
                "measures": list(self.measures),
                "rows": list(self.rows),
                "columns": list(self.columns),
                "filters": [{"dimension": d, "values": list(v)} for d, v in self.filters],
                "period": self.period,
                "unit_id": self.unit_id,
                "since": self.since.isoformat() if self.since else None,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, name: str, text: str) -> SavedQuestion:
        data: dict[str, Any] = json.loads(text)
        period = str(data.get("period") or "month")
        unit = data.get("unit_id")
        first = data.get("since")
        return cls(
            name=name,
            measures=tuple(str(m) for m in data.get("measures", ())),
            rows=tuple(str(r) for r in data.get("rows", ())),
            columns=tuple(str(c) for c in data.get("columns", ())),
            filters=tuple(
                (str(f["dimension"]), tuple(str(v) for v in f.get("values", ())))
                for f in data.get("filters", ())
            ),
            period=period if period in PERIOD_KINDS else "month",
            unit_id=int(unit) if unit is not None else None,
            since=dt.date.fromisoformat(first) if first else None,
        )


def latest_period(kind: str, today: dt.date, first: dt.date | None = None) -> ReportPeriod | None:
    """The period a saved question of ``kind`` asks when run on ``today``: the one holding last month
    (as the 报表 screen proposes); 累计 from ``first`` up to today; None for 自定义时段 (the dates on
    screen)."""
    if kind == "since" and first is not None:
        return since(first, today)
    last = today.replace(day=1) - dt.timedelta(days=1)
    if kind == "month":
        return month(last.year, last.month)
    if kind == "quarter":
        return quarter(last.year, (last.month - 1) // 3 + 1)
    if kind == "year":
        return year(last.year)
    return None


def check_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise UserError("请给这个统计起个名字，例如“各社区活动场次（按服务领域）”")
    if len(clean) > NAME_MAX:
        raise UserError(f"名字太长了（{len(clean)} 个字），请不超过 {NAME_MAX} 个字")
    return clean


class SavedQuestions:
    """Save, list and delete named 分组统计 questions."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def save(self, question: SavedQuestion) -> SavedQuestion:
        """Save under ``question.name`` (a question of the same name is replaced)."""
        name = check_name(question.name)
        if not question.measures:
            raise UserError("请至少选择一个统计指标再保存")
        if question.period not in PERIOD_KINDS:
            raise UserError(f"时段类型“{question.period}”无法识别")
        saved = SavedQuestion(
            name,
            question.measures,
            question.rows,
            question.columns,
            question.filters,
            question.period,
            question.unit_id,
            question.since if question.period == "since" else None,
        )
        with self.ctx.db.session() as s:
            row = s.get(Setting, PREFIX + name)
            value = saved.to_json()
            if row is None:
                s.add(Setting(key=PREFIX + name, value=value))
                audit(s, self.ctx, "新增", "setting", None, f"保存分组统计“{name}”")
            else:
                old, row.value = row.value, value
                audit(s, self.ctx, "修改", "setting", None, f"修改分组统计“{name}”", {name: [old, value]})
        return saved

    def list(self) -> list[SavedQuestion]:
        """Every saved question, by name (one that cannot be read is left out)."""
        with self.ctx.db.reader() as s:
            rows = s.execute(
                select(Setting.key, Setting.value).where(Setting.key.startswith(PREFIX, autoescape=True))
            ).all()
        out = []
        for key, value in rows:
            try:
                out.append(SavedQuestion.from_json(key[len(PREFIX) :], value))
            except (ValueError, KeyError, TypeError):
                continue
        return sorted(out, key=lambda q: q.name)

    def get(self, name: str) -> SavedQuestion:
        with self.ctx.db.reader() as s:
            value = s.scalar(select(Setting.value).where(Setting.key == PREFIX + name))
        if value is None:
            raise UserError(f"没有保存过名为“{name}”的统计")
        return SavedQuestion.from_json(name, value)

    def delete(self, name: str) -> None:
        with self.ctx.db.session() as s:
            row = s.get(Setting, PREFIX + name)
            if row is None:
                raise UserError(f"没有保存过名为“{name}”的统计（可能已被删除）")
            s.delete(row)
            audit(s, self.ctx, "删除", "setting", None, f"删除分组统计“{name}”", {name: [row.value, None]})
