"""`silverdesk check`: is the database sound, and what does it hold?"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from silverdesk.db import models as m
from silverdesk.db.migrate import current_revision, head_revision
from silverdesk.domain.idcard import is_valid_id_number
from silverdesk.domain.numbers import count_text
from silverdesk.services.base import Context

COUNTED = (
    ("单位", m.Unit),
    ("人员", m.Person),
    ("党组织", m.PartyOrg),
    ("共建协议", m.CoBuildingAgreement),
    ("志愿服务队", m.Team),
    ("队员", m.TeamMember),
    ("活动", m.Activity),
    ("阵地", m.Place),
    ("典型", m.Honour),
    ("资源", m.Resource),
    ("需求", m.Demand),
    ("订单", m.ServiceOrder),
    ("导入批次", m.ImportBatch),
    ("操作日志", m.AuditLog),
)


@dataclass
class CheckReport:
    database: str
    revision: str | None
    head: str
    integrity: list[str] = field(default_factory=list)  # ["ok"] when sound
    foreign_key_problems: int = 0
    invalid_id_numbers: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    people_by_status: dict[str, int] = field(default_factory=dict)
    activity_range: tuple[dt.date | None, dt.date | None] = (None, None)
    migration_notes: list[str] = field(
        default_factory=list
    )  # what a migration could not know (操作 数据迁移)

    @property
    def ok(self) -> bool:
        return (
            self.integrity == ["ok"]
            and self.foreign_key_problems == 0
            and self.invalid_id_numbers == 0
            and self.revision == self.head
        )

    def lines(self) -> list[str]:
        out = [
            f"数据库：{self.database}",
            f"结构版本：{self.revision}（最新 {self.head}）",
            f"完整性检查：{'正常' if self.integrity == ['ok'] else f'发现 {len(self.integrity)} 处损坏'}",
            f"外键检查：{'正常' if not self.foreign_key_problems else f'{count_text(self.foreign_key_problems)} 处问题'}",
            f"身份证号校验：{'全部通过' if not self.invalid_id_numbers else f'{count_text(self.invalid_id_numbers)} 个不合格'}",
        ]
        out.append("记录数：" + "，".join(f"{k} {count_text(v)}" for k, v in self.counts.items()))
        if self.people_by_status:
            out.append(
                "人员状态：" + "，".join(f"{k} {count_text(v)}" for k, v in self.people_by_status.items())
            )
        first, last = self.activity_range
        if first:
            out.append(f"活动日期范围：{first} — {last}")
        out.extend(f"数据迁移说明：{note}" for note in self.migration_notes)
        out.append("结论：正常" if self.ok else "结论：发现问题，请从备份恢复或联系维护人员")
        return out


def run_check(ctx: Context) -> CheckReport:
    db = ctx.db
    report = CheckReport(db.display_name, current_revision(db), head_revision())
    with db.engine.connect() as conn:
        if db.is_sqlite:
            report.integrity = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
            report.foreign_key_problems = len(conn.execute(text("PRAGMA foreign_key_check")).all())
        else:
            report.integrity = ["ok"]  # the server guarantees page integrity; FKs are enforced
        for label, model in COUNTED:
            report.counts[label] = conn.scalar(select(func.count()).select_from(model)) or 0
        report.people_by_status = dict(
            conn.execute(select(m.Person.status, func.count()).group_by(m.Person.status)).all()
        )
        report.activity_range = tuple(
            conn.execute(  # type: ignore[assignment]
                select(func.min(m.Activity.occurred_on), func.max(m.Activity.occurred_on))
            ).one()
        )
        report.migration_notes = list(
            conn.scalars(
                select(m.AuditLog.summary).where(m.AuditLog.action == "数据迁移").order_by(m.AuditLog.id)
            )
        )
        report.invalid_id_numbers = sum(
            1
            for (number,) in conn.execute(select(m.Person.id_number).where(m.Person.id_number.is_not(None)))
            if not is_valid_id_number(number)
        )
    return report
