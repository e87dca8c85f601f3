"""操作日志 names every object and field in Chinese, whichever code wrote the entry (issue 14)."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from pathlib import Path

from silverdesk.services.hub import Services
from silverdesk.services.importing import KINDS, kind_name
from silverdesk.services.system.audit import EXTRA_FIELD_LABELS, AuditFilter, parse_changes

SRC = Path(__file__).resolve().parents[3] / "src" / "silverdesk"
LATIN = re.compile(r"[A-Za-z]")


def audit_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "audit"
                and len(node.args) >= 4
            ):
                calls.append((str(path.relative_to(SRC)), node))
    return calls


def literals(node: ast.AST) -> list[str]:
    """The string constants an argument can be (``"person" if … else "activity"`` gives both)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return literals(node.body) + literals(node.orelse)
    return []


def test_every_object_written_to_the_log_has_a_chinese_name(services: Services):
    entities = {(where, e) for where, call in audit_calls() for e in literals(call.args[3])}
    assert ("services/statistics/reporting.py", "report") in entities  # the scan sees them
    unnamed = [
        (where, e, services.audit_log.entity_label(e))
        for where, e in sorted(entities)
        if LATIN.search(services.audit_log.entity_label(e))
    ]
    assert unnamed == []


def test_every_field_a_log_entry_names_has_a_chinese_label(services: Services):
    labels = services.audit_log._field_labels  # the CrudServices' specs and the settings
    unnamed = []
    for where, call in audit_calls():
        changes = call.args[5] if len(call.args) > 5 else None
        if isinstance(changes, ast.Dict):
            for entity in literals(call.args[3]) or ["?"]:
                for key in (k.value for k in changes.keys if isinstance(k, ast.Constant)):
                    if (entity, key) not in labels and key not in EXTRA_FIELD_LABELS:
                        unnamed.append((where, entity, key))
    assert unnamed == []
    withdrawn = parse_changes(
        "service_order",
        json.dumps({"withdrawn_step": [{"on": "2026-10-01", "operator": "王", "note": ""}, None]}),
    )
    assert withdrawn[0].label == "撤回的步骤"


def test_the_log_shows_a_report_a_setting_and_an_order_step_in_chinese(services: Services, county, tmp_path):
    from silverdesk.services.statistics.periods import parse_period
    from silverdesk.services.statistics.reporting import ReportService

    reports = ReportService(services.ctx)
    reports.write(reports.build(parse_period("2026-10"), None), tmp_path / "月报.xlsx", "xlsx")
    services.settings.update({"bureau_name": "中共青山县委老干部局", "points_per_hour": "0.5"})
    services.backups.configure(policy=services.backups.policy())
    entries = services.audit_log.page(AuditFilter(start=dt.date(2026, 1, 1))).entries
    shown = {(e.entity_label, c.label) for e in entries for c in e.changes} | {
        (e.entity_label, "") for e in entries
    }
    assert ("统计报表", "") in shown  # was "report"
    assert ("设置", "单位名称") in shown and (
        "设置",
        "每小时积分",
    ) in shown  # were "bureau_name", "points_per_hour"
    assert [s for s in shown if LATIN.search("".join(s))] == []


def test_every_import_kind_has_a_chinese_word():
    assert {k: kind_name(k) for k in [*KINDS, "report"]} == {
        "roster": "花名册",
        "activities": "活动",
        "resources": "资源清单",
        "demands": "需求清单",
        "themes": "月度主题",
        "report": "下级报表",
    }
