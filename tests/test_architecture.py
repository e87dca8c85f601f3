"""The layer rules, checked mechanically: Qt only in ui/ (and app.py); no SQL in ui/."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "silverdesk"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_qt_below_ui():
    offenders = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if "ui" not in p.relative_to(SRC).parts[:1]
        and p.name != "app.py"
        and imported_modules(p) & {"PySide6", "shiboken6"}
    ]
    assert offenders == []


def test_no_sql_in_ui():
    offenders = [
        str(p.relative_to(SRC))
        for p in (SRC / "ui").rglob("*.py")
        if imported_modules(p) & {"sqlalchemy", "sqlite3", "alembic"}
    ]
    assert offenders == []


def test_services_do_not_import_ui():
    offenders = []
    for p in SRC.rglob("*.py"):
        if p.relative_to(SRC).parts[0] in ("ui",) or p.name == "app.py":
            continue
        text = p.read_text(encoding="utf-8")
        if "silverdesk.ui" in text:
            offenders.append(str(p.relative_to(SRC)))
    assert offenders == []
