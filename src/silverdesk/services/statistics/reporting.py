"""Write a statistics report to a file: statistics service → report writers."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from silverdesk.atomic import atomic_target
from silverdesk.domain.privacy import MaskPolicy
from silverdesk.errors import UserError
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.reports.model import ReportData
from silverdesk.services.base import Context, audit
from silverdesk.services.statistics.periods import ReportPeriod
from silverdesk.services.statistics.tables import StatisticsService

if TYPE_CHECKING:
    from silverdesk.reports.form_fill import FigureSource
    from silverdesk.reports.layout import Layout
    from silverdesk.reports.pivot import PivotTable

FORMATS = ("xlsx", "pdf")


class ReportService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def build(
        self,
        period: ReportPeriod,
        unit_id: int | None = None,
        *,
        narrative: str | None = None,
        reported_on: dt.date | None = None,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
    ) -> ReportData:
        """The report's data, with the default narrative filled in (or the clerk's edited text), its
        footer dated ``reported_on`` (报送日期, default today)."""
        from silverdesk.reports.narrative import build_narrative

        data = StatisticsService(self.ctx).report(
            period, unit_id, reported_on=reported_on, progress=progress, cancel=cancel
        )
        return dataclasses.replace(
            data, narrative=narrative if narrative is not None else build_narrative(data)
        )

    def write(
        self,
        data: ReportData,
        out: Path,
        fmt: str | None = None,
        *,
        layout: Path | None = None,
        form: Path | None = None,
        mask: MaskPolicy | None = None,
        unit_id: int | None = None,
    ) -> Path:
        """Write ``data`` as xlsx or pdf (by ``fmt`` or the file's suffix), or fill a province form.

        ID numbers and mobiles inside the report's texts are masked unless ``mask`` is
        ``MaskPolicy.off()`` (``--no-mask``, the “不隐藏身份证号/电话” checkbox). ``unit_id``: the report's
        scope (as given to :meth:`build`), for the layout's measure × dimension tables and the form's
        query-model placeholders.
        """
        out = Path(out)
        if form is not None and (fmt or out.suffix.lstrip(".")).lower() != "xlsx":
            raise UserError("填写省里的表格模板时只能输出 xlsx 格式")
        return self.save(data, [(out, fmt)], layout=layout, form=form, mask=mask, unit_id=unit_id)[0]

    def _model(
        self,
        stack: contextlib.ExitStack,
        data: ReportData,
        layout: Layout | None,
        form: Path | None,
        unit_id: int | None,
    ) -> _Model:
        """The query model's part of the files; a reader session is held (on ``stack``) while a form is
        filled, so its placeholders are answered from one snapshot."""
        from silverdesk.reports.layout import model_tables

        if form is None and (layout is None or not model_tables(layout)):
            return _Model({}, None)
        from silverdesk.services.statistics.form_figures import FormFigures, pivots

        s = stack.enter_context(self.ctx.db.reader())
        start, end = data.period.start, data.period.end
        return _Model(
            pivots(s, layout, start, end, unit_id, data.period.label),
            FormFigures(s, start, end, unit_id) if form is not None else None,
        )

    def save(
        self,
        data: ReportData,
        targets: Sequence[tuple[Path, str | None]],
        *,
        layout: Path | None = None,
        form: Path | None = None,
        mask: MaskPolicy | None = None,
        progress: Progress = null_progress,
        cancel: CancelToken = NEVER,
        unit_id: int | None = None,
    ) -> list[Path]:
        """Write ``data`` to each ``(file, format)`` of ``targets`` (a format of ``None``: by the suffix).

        All or none: every file is written under a temporary name and the set is renamed into place
        only when all are written (:func:`~silverdesk.atomic.atomic_target`).  ``cancel`` is checked
        before each file and before the renaming; a cancel or an error leaves no new file, files that
        were already there as they were, and nothing in the audit log.  ``form`` (the province's
        workbook) is filled for the xlsx files; masking as in :meth:`write`; ``unit_id`` as in :meth:`write`.
        """
        from silverdesk.reports.masking import mask_report

        policy = mask or MaskPolicy()
        masked = mask_report(data, policy)
        layout_obj = _layout(layout)
        written: list[Path] = []
        with contextlib.ExitStack() as renamed_at_the_end:
            model = self._model(renamed_at_the_end, data, layout_obj, form, unit_id)
            for i, (out, fmt) in enumerate(targets):
                cancel.raise_if_set()
                out = Path(out)
                progress(i, len(targets), f"正在写入 {out.name}")
                partial = renamed_at_the_end.enter_context(atomic_target(out))
                _render(masked, partial, (fmt or out.suffix.lstrip(".")).lower(), layout_obj, form, model)
                written.append(out)
            cancel.raise_if_set()
        with self.ctx.db.session() as session:
            unmasked = "" if policy.enabled else "（未脱敏）"
            for out in written:
                audit(
                    session,
                    self.ctx,
                    "导出报表",
                    "report",
                    None,
                    f"{data.title}（{data.period.label}）→ {out.name}{unmasked}",
                )
        return written


@dataclass(frozen=True)
class _Model:
    """What the query model adds to a report's files: the layout's measure × dimension tables and the
    form's placeholder figures (answered in the session the writing holds)."""

    pivots: Mapping[str, PivotTable]
    figures: FigureSource | None


def _render(
    data: ReportData, out: Path, fmt: str, layout: Layout | None, form: Path | None, model: _Model
) -> None:
    if fmt == "xlsx" and form is not None:
        from silverdesk.reports.form_fill import fill_form

        fill_form(data, form, out, layout, model.figures)
    elif fmt == "xlsx":
        from silverdesk.reports.xlsx import write_xlsx

        write_xlsx(data, out, layout, model.pivots)
    elif fmt == "pdf":
        from silverdesk.reports.pdf import write_pdf

        write_pdf(data, out, layout, pivots=model.pivots)
    else:
        raise UserError(f"不支持的报表格式“{fmt}”：请用 xlsx 或 pdf")


def _layout(path: Path | None) -> Layout | None:
    if path is None:
        return None
    from silverdesk.reports.layout import load_layout

    return load_layout(path)
