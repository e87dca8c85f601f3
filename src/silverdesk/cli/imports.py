"""``silverdesk import`` (a file, or ``import undo N``) and ``silverdesk template``."""

from __future__ import annotations

import argparse

from silverdesk.cli.common import IMPORT_KINDS, kind_choices, load_storage, open_services, write_lock


def _sheet_arg(value: str | None) -> int | str | None:
    """``--sheet 2`` is the second sheet (as the clerk counts); anything else is a sheet name."""
    if value is None:
        return None
    return int(value) - 1 if value.isdigit() and int(value) >= 1 else value


def _jsonable(value: object) -> object:
    import datetime as dt

    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def cmd_import(args: argparse.Namespace) -> int:
    """``silverdesk import FILE …`` (exit 0 when the file was read, 2 when it was refused) or ``import undo N``.

    Holds the database's one-writer lock (like ``demo`` and ``restore``) unless it is a dry run.
    """
    load_storage()
    if args.dry_run and args.file != "undo":
        return _cmd_import(args)
    with write_lock(args):
        return _cmd_import(args)


def _cmd_import(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from silverdesk.errors import UserError

    if args.file == "undo":
        return _cmd_import_undo(args)
    if args.batch is not None:
        raise UserError(f"多余的参数“{args.batch}”：一次只能导入一个文件")
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"找不到文件“{args.file}”，请检查路径")
    services = open_services(args)
    try:
        if args.kind == "report":
            return _import_report(services, path, args)
        from silverdesk.services.importing.plan import PlanOptions, UnitRequired
        from silverdesk.services.importing.service import KindUnknown

        options = PlanOptions(confirm_over_limit=args.confirm_large)
        try:
            outcome = services.imports.run(path, kind=args.kind, unit_name=args.unit, sheet=_sheet_arg(args.sheet),
                                           dry_run=args.dry_run, options=options)  # fmt: skip
        except KindUnknown:
            raise KindUnknown(
                f"无法从表头判断这是哪一类表格，请用 --kind 指定：{kind_choices(IMPORT_KINDS)}，"
                "如 --kind 花名册"
            ) from None
        except UnitRequired as exc:
            raise exc.asking("请用 --unit 写明报送单位（如 --unit 城关街道）") from None
        plan = outcome.plan
        if args.errors and plan.rejected_raw:
            services.imports.write_errors(plan, Path(args.errors), mask=not args.no_mask)
        counts = plan.counts
        created = [o.label for o in plan.offers]
        if args.json:
            decisions = plan.decisions()  # each call reads every row: once for the three fields below
            result = {
                "file": path.name, "kind": plan.kind, "rows_read": plan.rows_read, "imported": counts["新增"],
                "updated": counts["更新"], "unchanged": counts["未变"], "rejected": counts["拒绝"],
                "batch_id": outcome.batch_id,
                "errors": [{"row": row, "column": issue.column_label, "value": _jsonable(issue.value),
                            "reason": issue.reason} for row, issue in plan.issues()],
                "conflicts": [{"row": rp.row_number, "column": c.label, "stored": _jsonable(c.stored),
                               "value": _jsonable(c.incoming), "reason": c.text} for rp, c in plan.conflicts()],
                "created": created,
                "normalised": [c.as_dict() for c in plan.normalised()],
                "merged_filled": {"total": plan.merged_filled_total, "columns": dict(plan.merged_filled)},
                "decision_counts": plan.decision_counts(decisions),
                "held": plan.held_count,
                "decisions": [d.as_dict() for d in decisions],
                "derived": _derived(decisions),
                "skipped": [{"row": row, "reason": reason} for row, reason in plan.skipped],
            }  # fmt: skip
            print(json.dumps(result, ensure_ascii=False))
        else:
            _print_import_summary(plan, outcome.batch_id, created, args)
        return 0
    finally:
        services.close()


def _print_import_summary(plan, batch_id: int | None, created: list[str], args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    from silverdesk.domain.numbers import count_text as n

    counts = plan.counts
    head = "预览（未写入）" if batch_id is None else f"已导入，第 {batch_id} 批"
    print(
        f"{plan.file_name}：{head}。读取 {n(plan.rows_read)} 行：新增 {n(counts['新增'])}，"
        f"更新 {n(counts['更新'])}，未变 {n(counts['未变'])}，拒绝 {n(counts['拒绝'])}"
    )
    if note := plan.merged_note:
        print(note)
    if created:
        print(("将新建" if batch_id is None else "已新建") + "：" + "、".join(created))
    changes = plan.normalised()
    if changes:
        print("按规范写法保存：" + "；".join(c.text for c in changes))
    from silverdesk.services.importing.plan import MATCHED

    decisions = plan.decisions()
    for d in decisions:
        if d.kind == MATCHED:
            others = f"；可改为：{'、'.join(d.options)}" if d.options else ""
            print(f"近似匹配：{d.label} {d.before} → {d.after or '（不关联）'}（{d.count} 行）{others}")
    if derived := _derived(decisions):
        print(
            "推导（文件未写明，按规则得出）："
            + "，".join(f"{label} {n(rows)} 行" for label, rows in derived.items())
        )
    for warning in plan.warnings:  # file-level remarks: section rows and the 大类 they gave, hidden rows …
        print(f"  注意：{warning}")
    from silverdesk.services.importing.plan import OVER_LIMIT

    over = [d.text for d in decisions if d.kind == OVER_LIMIT]
    if over and plan.held_count:
        print(f"超出常见范围，{n(plan.held_count)} 行暂不导入（待核对）：" + "；".join(over)
              + "。如确认无误，请加 --confirm-large 重新导入")  # fmt: skip
    elif over:
        print("超出常见范围，已按核对无误导入：" + "；".join(over))
    for row, issue in plan.issues():
        print(f"  第 {row} 行 {issue.column_label}：{issue.reason}")
    for rp, c in plan.conflicts():
        print(f"  第 {rp.row_number} 行 {c.text}（未覆盖）")
    if args.errors and plan.rejected_raw:
        print(f"被拒绝的行已写入 {args.errors}，可退回报送单位修改")


def _derived(decisions) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Rows per field whose value the import derived (推导): a title from the content, the requester …

    ``decisions``: the plan's :meth:`~silverdesk.services.importing.plan.ImportPlan.decisions`."""
    from silverdesk.services.importing.plan import DERIVED

    out: dict[str, int] = {}
    for d in decisions:
        if d.kind == DERIVED and d.after:
            out[d.label] = out.get(d.label, 0) + d.count
    return out


def _import_report(services, path, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    import json

    from silverdesk.services.statistics.returns import import_report

    if args.dry_run:
        from silverdesk.reports.readback import read_report_workbook

        data = read_report_workbook(path)
        result = {"file": path.name, "kind": "report", "rows_read": 1, "imported": 0, "updated": 0, "unchanged": 0,
                  "rejected": 0, "batch_id": None, "errors": [], "period": data.period.label}  # fmt: skip
    else:
        done = import_report(services.ctx, path, args.unit)
        result = {"file": path.name, "kind": "report", "rows_read": 1, "imported": 0 if done.replaced else 1,
                  "updated": 1 if done.replaced else 0, "unchanged": 0, "rejected": 0, "batch_id": done.batch_id,
                  "errors": [], "unit": done.unit, "period": done.period_label,
                  "created": [f"单位“{done.unit}”"] if done.unit_created else []}  # fmt: skip
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    elif result["batch_id"] is None:
        print(f"{path.name}：报表可以导入（{result['period']}），未写入")
    else:
        print(
            f"{path.name}：已{'替换' if result['updated'] else '导入'}{result['unit']}{result['period']}报表，"
            f"第 {result['batch_id']} 批"
        )
    return 0


def _cmd_import_undo(args: argparse.Namespace) -> int:
    import json

    from silverdesk.errors import UserError

    if args.batch is None or not str(args.batch).isdigit():
        raise UserError("请写明要撤销的批次号，例如：silverdesk import undo 12")
    services = open_services(args)
    try:
        result = services.imports.undo(int(args.batch))
    finally:
        services.close()
    if args.json:
        print(json.dumps({"batch_id": result.batch_id, "deleted": result.deleted, "restored": result.restored,
                          "kept": list(result.kept)}, ensure_ascii=False))  # fmt: skip
    else:
        from silverdesk.domain.numbers import count_text as n

        print(
            f"第 {result.batch_id} 批导入已撤销：删除 {n(result.deleted)} 条，恢复 {n(result.restored)} 条"
            + (f"；{'、'.join(result.kept)}仍在使用，予以保留" if result.kept else "")
        )
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from pathlib import Path

    services = open_services(args)
    try:
        out = services.imports.write_template(args.kind, Path(args.out))
    finally:
        services.close()
    print(f"模板已写入 {out}")
    return 0
