"""What a 需求清单 or 资源清单 row does not say but its file implies (推导 decisions).

Communities write these lists their own way: no 需求名称 column (the request is in 需求内容), no
需求单位 column (the community sent the list: the 填报单位 line above the header, or the unit
chosen at import), section rows (“一、助老服务类”) instead of a 类别 column.  :class:`Derivations`
fills such a row's title, requester and 大类 by the rules of ISSUE16 / docs/import-lists.md, records
each as a 推导 decision on the row (``RowPlan.decide``) and takes the clerk's changes from
``PlanOptions.chosen``; a required field still empty afterwards refuses the row with a reason.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from silverdesk.domain.text import clean
from silverdesk.domain.titles import derive_title, section_category
from silverdesk.services.importing.layout import Table
from silverdesk.services.importing.plan import DERIVED, REJECTED, ImportPlan, PlanOptions, RowPlan


class Derivations:
    """The file's stand-ins for one list import (see the module docstring).

    Args:
        plan: the plan being filled (its mapping, sending unit and warnings).
        table: the sheet as laid out (section rows, the 填报单位 line, the content cells as written).
        options: the clerk's choices (``chosen`` for 推导).
    """

    def __init__(
        self, plan: ImportPlan, table: Table | None, options: PlanOptions, content_key: str = "content"
    ) -> None:
        self.plan = plan
        self.options = options
        self.content_key = content_key  # the field a title is derived from (活动内容 for activity logs)
        self.sections = sorted(table.sections) if table is not None else []
        self._section_starts = [row for row, _text in self.sections]
        self.section_rows: dict[
            tuple[int, str], list[int]
        ] = {}  # (section row, category) → rows that took it
        meta = table.meta if table is not None else {}
        self.meta_unit = clean(meta.get("unit"))
        if self.meta_unit and plan.unit_name and plan.unit_name != self.meta_unit:  # the clerk may prefer it
            plan.choice_options[(DERIVED, "requester", "")] = (plan.unit_name,)
        content_col = plan.mapping.column_for(content_key)
        self._raw_content: dict[int, Any] = (
            {row.row_number: row.get(content_col) for row in table.rows}
            if table is not None and content_col is not None
            else {}
        )

    # ---- 大类 from a section row ------------------------------------------------------------
    def section_above(self, row_number: int) -> tuple[int, str] | None:
        """The section row a record falls under: (its Excel row, its text), or ``None``."""
        i = bisect_right(self._section_starts, row_number)
        return self.sections[i - 1] if i else None

    def category(self, rp: RowPlan, v: dict[str, Any]) -> None:
        """A row that gives no 大类 takes the one its section row names (“一、助老服务类” → 助老服务)."""
        if v.get("category"):
            return
        above = self.section_above(rp.row_number)
        if above is None:
            return
        row, heading = above
        name = section_category(heading) or ""
        chosen = clean(self.options.choice(DERIVED, "category", heading, name))
        rp.decide(DERIVED, "category", heading, chosen)
        if chosen:
            v["category"] = chosen
            self.section_rows.setdefault((row, chosen), []).append(rp.row_number)

    # ---- title from the content ------------------------------------------------------------
    def title(self, rp: RowPlan, v: dict[str, Any]) -> bool:
        """A row with no title takes the first clause of its content (:func:`derive_title`).

        Returns whether the title was derived (then the content tells two such rows apart).
        """
        if v.get("title"):
            return False
        content = v.get(self.content_key)
        if not content:
            return False
        raw = self._raw_content.get(rp.row_number)
        title = derive_title(raw if isinstance(raw, str) else content)  # line breaks end a clause
        if not title:
            return False
        chosen = clean(self.options.choice(DERIVED, "title", content, title))
        rp.decide(DERIVED, "title", content, chosen)
        if chosen:
            v["title"] = chosen
        return True

    # ---- requester from the file -----------------------------------------------------------
    @property
    def requester_default(self) -> str:
        """Who asks when the row does not say: the 填报单位 line, else the sending unit (``""``: nobody)."""
        return self.meta_unit or self.plan.unit_name

    def requester(self, rp: RowPlan, v: dict[str, Any]) -> bool:
        """A row that names no requester: the 填报单位 line above the header, else the sending unit.

        Returns whether the requester was derived.
        """
        if v.get("requester"):
            return False
        name = self.requester_default
        if not name:
            return False
        chosen = clean(self.options.choice(DERIVED, "requester", "", name))
        rp.decide(DERIVED, "requester", "", chosen)
        if chosen:
            v["requester"] = chosen
        return True

    # ---- the file's notes ------------------------------------------------------------------
    def notes(self) -> list[str]:
        """One line per section row that gave rows to be stored their 大类 (the plan's warnings list them)."""
        texts = dict(self.sections)
        refused = {r.row_number for r in self.plan.rows if r.fate == REJECTED}
        out = []
        for (row, name), rows in sorted(self.section_rows.items()):
            if n := sum(1 for r in rows if r not in refused):
                out.append(
                    f"第 {row} 行“{texts[row]}”是分类标题行，不是记录；其下 {n} 行未填类别，按“{name}”导入"
                )
        return out
