"""``silverdesk stats``: any measure by any dimensions for a period and a unit, as a table on screen, as JSON,
or written as xlsx/PDF; ``stats --list`` names every measure and dimension with its counting rule."""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from silverdesk.cli.common import open_services

if TYPE_CHECKING:
    from silverdesk.reports.pivot import PivotTable
    from silverdesk.services.statistics.query import Catalogue, Result
    from silverdesk.services.statistics.query.compare import Comparison

EXAMPLES = (
    "例：silverdesk stats 场次,受益人次 --by 单位 --period 2026-10；"
    "silverdesk stats 志愿者数 --by 性别 --columns 年龄段 --period 2026Q3 --unit 城关街道；"
    "silverdesk stats 人才数 --by 人才库类别 --period 2026 --json；"
    "silverdesk stats 场次 --by 单位 --period 2026-01 --compare 环比"
)


def add_parser(sub: argparse._SubParsersAction, add_db: Any) -> None:  # type: ignore[type-arg]
    stats = sub.add_parser(
        "stats",
        help="分组统计：任意指标按任意维度分组（表格、JSON、Excel 或 PDF）；--list 列出全部指标和维度",
        description=f"按维度分组统计。{EXAMPLES}",
    )
    add_db(stats)
    stats.add_argument(
        "measures", nargs="?", metavar="指标", help="统计指标，多个用逗号分隔，如 场次,受益人次"
    )
    stats.add_argument("--list", action="store_true", help="列出全部统计指标和分组维度及其统计口径")
    stats.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="维度[:层级]",
        help="按此维度分行，可写多次，如 单位:社区村",
    )
    stats.add_argument(
        "--columns", action="append", default=[], metavar="维度", help="按此维度分列，可写多次"
    )
    stats.add_argument(
        "--period",
        metavar="时段",
        help="统计时段：2026-10（月）、2026Q3（季）、2026（年）或 2026-01-01..2026-06-30",
    )
    stats.add_argument("--unit", metavar="单位", help="只统计某单位及其下级（单位名称）；默认全县")
    stats.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="维度=值",
        help="筛选，如 性别=女 或 服务领域=理论宣讲,为老服务",
    )
    stats.add_argument(
        "--compare",
        metavar="同比|环比",
        help="与上期（环比）或上年同期（同比）比较：每个指标列出本期、上期、增减、增长率",
    )
    stats.add_argument("--json", action="store_true", help="以一个 JSON 对象输出")
    stats.add_argument("--out", metavar="文件", help="把表格写成 .xlsx 或 .pdf 文件")


def cmd_stats(args: argparse.Namespace) -> int:
    from silverdesk.errors import UserError
    from silverdesk.services.statistics.query import QueryService

    if args.list:
        services = open_services(args)
        try:
            catalogue = QueryService(services.ctx).catalogue()
        finally:
            services.close()
        print(_catalogue_json(catalogue) if args.json else _catalogue_text(catalogue))
        return 0
    if not args.measures:
        raise UserError(f"请写要统计的指标。{EXAMPLES}；silverdesk stats --list 列出全部指标")
    if not args.period:
        raise UserError("请用 --period 写统计时段，如 2026-10（月）、2026Q3（季）、2026（年）")
    out = _out_path(args.out)
    from silverdesk.services.statistics.periods import parse_period
    from silverdesk.services.statistics.query import DimRef, Filter, Question
    from silverdesk.services.statistics.query.notes import counting_notes
    from silverdesk.services.statistics.query.pivot import to_pivot

    period = parse_period(args.period)
    question_parts = (
        tuple(m for m in re.split(r"[,，、]", args.measures) if m.strip()),
        tuple(DimRef.parse(d) for d in args.by),
        tuple(DimRef.parse(d) for d in args.columns),
        tuple(Filter.parse(f) for f in args.where),
    )
    services = open_services(args)
    try:
        unit_id = None
        if args.unit:
            unit_id = services.units.find(args.unit)
            if unit_id is None:
                raise UserError(f"找不到单位“{args.unit}”，请检查名称（单位列表见“设置 › 单位”）")
        measures, rows, columns, filters = question_parts
        question = Question(measures, period.start, period.end, unit_id, rows, columns, filters)
        comparison: Comparison | None = None
        if args.compare:
            comparison = QueryService(services.ctx).compare(question, args.compare, period)
            result = comparison.current
        else:
            result = QueryService(services.ctx).ask(question)
    finally:
        services.close()
    title = "、".join(m.name for m in result.measures) + "分组统计"
    table = to_pivot(result, title, period.label, counting_notes(result), comparison)
    if out is not None:
        _write(table, out)
        print(f"{title}（{result.scope_name}，{period.label}）已写入 {out}")
        if table.comparison and not table.compared:
            print(table.comparison)
    elif args.json:
        data = _result_json(result, period.label)
        if comparison is not None:
            data["compare"] = _comparison_json(comparison)
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(_table_text(table))
    return 0


def _out_path(text: str | None) -> Any:
    from pathlib import Path

    from silverdesk.errors import UserError

    if text is None:
        return None
    path = Path(text)
    if path.suffix.lower() not in (".xlsx", ".pdf"):
        raise UserError(f"输出文件“{text}”应以 .xlsx 或 .pdf 结尾")
    return path


def _write(table: PivotTable, path: Any) -> None:
    if path.suffix.lower() == ".pdf":
        from silverdesk.reports.pivot_pdf import write_pivot_pdf

        write_pivot_pdf(table, path)
    else:
        from silverdesk.reports.pivot_xlsx import write_pivot_xlsx

        write_pivot_xlsx(table, path)


# -- output -------------------------------------------------------------------------------------------
def _result_json(result: Result, period: str) -> dict[str, Any]:
    dims = [d.name for d, _ in result.dimensions]
    names = [m.name for m in result.measures]
    rows = [
        {**dict(zip(dims, row.labels, strict=True)), **dict(zip(names, row.values, strict=True))}
        for row in result.rows
    ]
    return {
        "scope": result.scope_name,
        "period": period,
        "measures": names,
        "dimensions": dims,
        "rows": rows,
        "total": dict(zip(names, result.total, strict=True)),
    }


def _comparison_json(c: Comparison) -> dict[str, Any]:
    """同比/环比: the base period and, per row (by its labels) and for the total, each measure's value, base,
    difference and ratio (null when the base is 0); when it does not apply, why."""
    if c.base is None or c.base_period is None:
        return {"kind": c.kind, "base_period": None, "not_applicable": c.not_applicable}
    dims = [d.name for d, _ in c.current.dimensions]
    names = [m.name for m in c.current.measures]
    labels = {row.keys: row.labels for row in (*c.base.rows, *c.current.rows)}

    def figures(changes: Any) -> dict[str, Any]:
        return {
            n: {"value": x.value, "base": x.base, "difference": x.difference, "ratio": x.ratio}
            for n, x in zip(names, changes, strict=True)
        }

    # the period's rows in display order, then those only the base period has (down to 0)
    rows = [{**dict(zip(dims, labels[k], strict=True)), **figures(changes)} for k, changes in c.rows.items()]
    return {
        "kind": c.kind,
        "base_period": c.base_period.label,
        "base_start": c.base_period.start.isoformat(),
        "base_end": c.base_period.end.isoformat(),
        "rows": rows,
        "total": figures(c.total),
    }


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def _table_text(table: PivotTable) -> str:
    from silverdesk.reports.pivot_cells import cell_text, header_grid

    lead = len(table.row_headers) or 1
    lines, spans = header_grid(table)
    for sp in spans:  # a merged label is written once, over its first column
        for line in range(sp.line, sp.last_line + 1):
            for col in range(sp.first, sp.last + 1):
                if (line, col) != (sp.line, sp.first):
                    lines[line][col] = ""
    body = [
        [*(r.labels[i] if i < len(r.labels) else "" for i in range(lead)),
         *(cell_text(v, c) for v, c in zip(r.values, table.columns, strict=True))]
        for r in table.rows
    ]  # fmt: skip
    grid = lines + body
    widths = [max(_width(row[i]) for row in grid) for i in range(len(grid[0]))]
    head = [f"{table.title}（{table.scope}，{table.period}）"]
    if table.filters:
        head.append("筛选：" + "；".join(table.filters))
    if table.comparison:
        head.append(table.comparison)
    out = [
        "  ".join(
            _pad(cell, widths[i], right=i >= lead and n >= len(lines)) for i, cell in enumerate(row)
        ).rstrip()
        for n, row in enumerate(grid)
    ]
    return "\n".join(head + out)


def _catalogue_text(cat: Catalogue) -> str:
    out = [f"统计指标（{len(cat.measures)} 项）"]
    for m in cat.measures:
        out += [f"  {m.name}（{m.unit}）", f"    口径：{m.rule}", f"    可按：{'、'.join(m.applies_to)}"]
    out.append(f"分组维度（{len(cat.dimensions)} 个）")
    for d in cat.dimensions:
        levels = f"  层级：{'、'.join(d.levels)}" if d.levels else ""
        out += [f"  {d.name}{levels}", f"    口径：{d.rule}"]
    out.append("维度可写“维度:层级”，如 单位:社区村、服务领域:大类、期间:月")
    return "\n".join(out)


def _catalogue_json(cat: Catalogue) -> str:
    measures = [
        {"key": m.key, "name": m.name, "unit": m.unit, "rule": m.rule, "dimensions": list(m.applies_to)}
        for m in cat.measures
    ]
    dimensions = [
        {"key": d.key, "name": d.name, "levels": list(d.levels), "rule": d.rule} for d in cat.dimensions
    ]
    return json.dumps({"measures": measures, "dimensions": dimensions}, ensure_ascii=False, indent=1)
