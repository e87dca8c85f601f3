"""Write a statistics report to a file: statistics service → report writers."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from silverdesk.domain.privacy import MaskPolicy
from silverdesk.errors import UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.reports.model import ReportData
from silverdesk.services.base import Context, audit
from silverdesk.services.periods import ReportPeriod
from silverdesk.services.statistics import StatisticsService

FORMATS = ("xlsx", "pdf")


class ReportService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def build(self, period: ReportPeriod, unit_id: int | None = None, *, narrative: str | None = None,
              reported_on: dt.date | None = None, progress: Progress = null_progress,
              cancel: CancelToken = NEVER) -> ReportData:
        """The report's data, with the default narrative filled in (or the clerk's edited text), its
        footer dated ``reported_on`` (报送日期, default today)."""
        from silverdesk.reports.narrative import build_narrative

        data = StatisticsService(self.ctx).report(period, unit_id, reported_on=reported_on, progress=progress,
                                                  cancel=cancel)
        return dataclasses.replace(data, narrative=narrative if narrative is not None else build_narrative(data))

    def write(self, data: ReportData, out: Path, fmt: str | None = None, *, layout: Path | None = None,
              form: Path | None = None, mask: MaskPolicy | None = None) -> Path:
        """Write ``data`` as xlsx or pdf (by ``fmt`` or the file's suffix), or fill a province form.

        ID numbers and mobiles inside the report's texts are masked unless ``mask`` is
        ``MaskPolicy.off()`` (``--no-mask``, the “不隐藏身份证号/电话” checkbox).
        """
        from silverdesk.reports.masking import mask_report

        fmt = (fmt or out.suffix.lstrip(".")).lower()
        policy = mask or MaskPolicy()
        data = mask_report(data, policy)
        if form is not None:
            from silverdesk.reports.form_fill import fill_form

            if fmt != "xlsx":
                raise UserError("填写省里的表格模板时只能输出 xlsx 格式")
            layout_obj = _layout(layout)
            written = fill_form(data, form, out, layout_obj)
        elif fmt == "xlsx":
            from silverdesk.reports.xlsx import write_xlsx

            written = write_xlsx(data, out, _layout(layout))
        elif fmt == "pdf":
            from silverdesk.reports.pdf import write_pdf

            written = write_pdf(data, out, _layout(layout))
        else:
            raise UserError(f"不支持的报表格式“{fmt}”：请用 xlsx 或 pdf")
        with self.ctx.db.session() as session:
            unmasked = "" if policy.enabled else "（未脱敏）"
            audit(session, self.ctx, "导出报表", "report", None,
                  f"{data.title}（{data.period.label}）→ {Path(out).name}{unmasked}")
        return Path(written)


def _layout(path: Path | None):  # type: ignore[no-untyped-def]
    if path is None:
        return None
    from silverdesk.reports.layout import load_layout

    return load_layout(path)
