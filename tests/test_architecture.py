"""The architecture, checked mechanically from the source (issue #15).

- layers: each top-level package of ``src/silverdesk`` imports only the layers below it
  (every import statement counts: inside functions and under ``TYPE_CHECKING`` too);
- no import cycle between modules;
- Qt only in ``ui/`` and ``app.py``; no SQL library in ``ui/``;
- no module over 600 lines, no folder with more than 25 modules;
- every feature of ``services/`` has its screens in ``ui/`` and its tests in ``tests/unit/`` under
  the same name.

Each test fails with the list of offenders (file, line, what it imports).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = SRC / "silverdesk"
TESTS = ROOT / "tests"
MIGRATIONS = PACKAGE / "db" / "migrations" / "versions"

# --- layers -------------------------------------------------------------------------------------

FOUNDATION = "foundation"
ENTRY = "entry points"
LAYER_OF_TOP = {
    "__init__": FOUNDATION,  # the package itself: silverdesk/__init__.py
    "errors": FOUNDATION,
    "paths": FOUNDATION,
    "progress": FOUNDATION,
    "atomic": FOUNDATION,
    "resources": FOUNDATION,
    "domain": "domain",
    "db": "db",
    "reports": "reports",
    "services": "services",
    "ui": "ui",
    "app": ENTRY,
    "cli": ENTRY,
    "__main__": ENTRY,
}
ALLOWED = {
    FOUNDATION: {FOUNDATION},
    "domain": {FOUNDATION, "domain"},
    "db": {FOUNDATION, "domain", "db"},
    "reports": {FOUNDATION, "domain", "reports"},
    "services": {FOUNDATION, "domain", "db", "reports", "services"},
    "ui": {FOUNDATION, "domain", "reports", "services", "ui"},  # never db
    ENTRY: set(LAYER_OF_TOP.values()),
}

QT = {"PySide6", "shiboken6"}
SQL = {"sqlalchemy", "sqlite3", "alembic"}

# --- sizes --------------------------------------------------------------------------------------

MAX_LINES = 600
MAX_MODULES_PER_FOLDER = 25

# --- features -----------------------------------------------------------------------------------

FEATURES = ("people", "org", "activities", "market", "importing", "statistics", "system", "demo")
"""The feature packages of ``services/``, by what a clerk calls the work."""
WITHOUT_SCREENS = {"demo"}
"""Features with no screens of their own (demo data: the first start's window is ``ui/system/first_run``);
every other one has ``ui/<feature>/``."""
SHARED_UI = {"widgets", "models"}
"""Packages of ``ui/`` that are no feature: the building blocks every screen shares."""


# --- the module graph ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    line: int
    target: str  # the imported module, dotted (internal: an existing module; external: as written)
    internal: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def rel(name: str) -> str:
    return str(modules()[name].relative_to(PACKAGE))


def _resolve(source: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` names (relative ones resolved against ``source``)."""
    if not node.level:
        return node.module or ""
    package = source if modules()[source].name == "__init__.py" else source.rpartition(".")[0]
    parts = package.split(".")
    if node.level - 1 >= len(parts):
        raise AssertionError(f"{rel(source)}:{node.lineno}: relative import beyond the top package")
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _owner(name: str) -> str:
    """The module that ``import name`` runs last: ``name`` itself, or the nearest existing parent."""
    while name not in modules() and "." in name:
        name = name.rpartition(".")[0]
    return name


def _targets(source: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    base = _resolve(source, node)
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        # ``from pkg import name``: the module pkg.name if there is one, else pkg (its __init__)
        yield sub if alias.name != "*" and sub in modules() else base


@cache
def imports() -> tuple[Import, ...]:
    """Every import statement of every module, wherever it stands (functions, TYPE_CHECKING …)."""
    found = []
    for source, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(source, node):
                    internal = target == "silverdesk" or target.startswith("silverdesk.")
                    found.append(
                        Import(source, node.lineno, _owner(target) if internal else target, internal)
                    )
    return tuple(found)


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    return LAYER_OF_TOP.get(top)


def _listing(lines: list[str]) -> str:
    return "\n  " + "\n  ".join(sorted(lines))


# --- the tests ----------------------------------------------------------------------------------


def test_every_module_belongs_to_a_layer():
    unknown = sorted({rel(m) for m in modules() if layer_of(m) is None})
    assert not unknown, (
        "modules outside every layer: add their top-level name to LAYER_OF_TOP (tests/test_architecture.py)"
        + _listing(unknown)
    )


def test_layers_import_only_downward():
    offenders = []
    for imp in imports():
        if not imp.internal:
            continue
        source, target = layer_of(imp.source), layer_of(imp.target)
        if source is not None and target is not None and target not in ALLOWED[source]:
            offenders.append(f"{rel(imp.source)}:{imp.line} ({source}) imports {imp.target} ({target})")
    assert not offenders, (
        "imports against the layers (allowed: "
        + "; ".join(f"{k} → {', '.join(sorted(v))}" for k, v in ALLOWED.items() if k != ENTRY)
        + "; entry points → anything):"
        + _listing(offenders)
    )


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the components of ``graph`` with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


def shortest_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest way from the first module of ``component`` back to itself, inside the component."""
    start, members = component[0], set(component)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node] & members):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return path[::-1]
                if nxt not in came_from:
                    came_from[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle through {start}")


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e", "d"}}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert shortest_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c"]


def test_no_import_cycles():
    graph: dict[str, set[str]] = {m: set() for m in modules()}
    where: dict[tuple[str, str], int] = {}
    for imp in imports():
        if imp.internal and imp.target != imp.source:
            graph[imp.source].add(imp.target)
            where.setdefault((imp.source, imp.target), imp.line)
    cycles = []
    for component in strongly_connected(graph):
        loop = shortest_cycle(graph, component)
        steps = "; ".join(
            f"{rel(a)}:{where[a, b]} imports {b}" for a, b in zip(loop, loop[1:] + loop[:1], strict=True)
        )
        cycles.append(f"{len(component)} modules in a cycle ({', '.join(component)}), e.g. {steps}")
    assert not cycles, "modules importing each other (imports inside functions count too):" + _listing(cycles)


def test_qt_only_in_ui_and_app():
    offenders = [
        f"{rel(imp.source)}:{imp.line} imports {imp.target}"
        for imp in imports()
        if not imp.internal
        and imp.target.split(".")[0] in QT
        and layer_of(imp.source) != "ui"
        and imp.source != "silverdesk.app"
    ]
    assert not offenders, "Qt imported outside ui/ and app.py:" + _listing(offenders)


def test_no_sql_in_ui():
    offenders = [
        f"{rel(imp.source)}:{imp.line} imports {imp.target}"
        for imp in imports()
        if not imp.internal and imp.target.split(".")[0] in SQL and layer_of(imp.source) == "ui"
    ]
    assert not offenders, f"ui/ imports {', '.join(sorted(SQL))}:" + _listing(offenders)


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_over_600_lines():
    sizes = {
        str(p.relative_to(PACKAGE)): _lines(p) for p in PACKAGE.rglob("*.py") if MIGRATIONS not in p.parents
    }
    problems = [f"{name}: {n} lines, split it along its seams" for name, n in sizes.items() if n > MAX_LINES]
    assert not problems, f"modules over {MAX_LINES} lines (migrations aside):" + _listing(problems)


def test_no_folder_with_more_than_25_modules():
    folders = {p.parent for p in PACKAGE.rglob("*.py")}
    crowded = [
        f"{folder.relative_to(SRC)}/: {n} modules"
        for folder in folders
        if (n := len(list(folder.glob("*.py")))) > MAX_MODULES_PER_FOLDER
    ]
    assert not crowded, (
        f"folders with more than {MAX_MODULES_PER_FOLDER} modules (__init__.py counted): make sub-packages"
        + _listing(crowded)
    )


def _packages(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}


def test_every_feature_has_its_screens_and_its_tests_under_the_same_name():
    problems = []
    services = _packages(PACKAGE / "services")
    problems += [f"services/{f}/ is no feature listed in FEATURES" for f in services - set(FEATURES)]
    problems += [f"services/{f}/ is missing" for f in set(FEATURES) - services]
    ui = _packages(PACKAGE / "ui")
    problems += [
        f"ui/{f}/ is neither a feature of services/ nor in SHARED_UI" for f in ui - set(FEATURES) - SHARED_UI
    ]
    problems += [f"ui/{f}/ is missing (the feature's screens)" for f in set(FEATURES) - WITHOUT_SCREENS - ui]
    unit = _packages(TESTS / "unit")
    problems += [f"tests/unit/{f}/ is missing (the feature's tests)" for f in set(FEATURES) - unit]
    gui = _packages(TESTS / "gui")
    problems += [f"tests/gui/{f}/ tests no feature of ui/" for f in gui - ui]
    assert not problems, "features and their packages:" + _listing(problems)


def test_every_test_folder_is_a_package():
    folders = {p.parent for pattern in ("test_*.py", "conftest.py") for p in TESTS.rglob(pattern)}
    missing = {
        str(d.relative_to(ROOT))
        for folder in folders
        for d in [folder, *folder.parents]
        if TESTS in [d, *d.parents] and not (d / "__init__.py").is_file()
    }
    assert not missing, "test folders without __init__.py (tests import as tests.<folder>.…):" + _listing(
        list(missing)
    )
