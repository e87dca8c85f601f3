"""Import fidelity (issue #16): every stored value of every record equals what the unit meant.

Each file of ``tests/data/corpus/`` (written the ways townships, departments and communities send
them; see ``make_corpus.py``) goes through :class:`ImportService` into a real SQLite file holding a
known county (青山县: 榆山街道 with its communities, 龙山镇 with its villages, 县卫生健康局 …, three
teams, two people on the roster, the 资源/需求 category list with 大类/小项).  Every stored field of
every record is compared with ``corpus_expected.py``; all mismatches of a file are collected and
reported as "file row N field: stored …, expected …".  Two files also go through the real
``silverdesk import`` process.  A file whose feature is not on main yet is ``xfail(strict=True)``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from silverdesk.db.connect import connect
from silverdesk.errors import UserError
from silverdesk.services.base import Context
from silverdesk.services.hub import Services
from silverdesk.services.importing.plan import MATCHED, REJECTED, ImportPlan, PlanOptions

from .corpus_expected import CLI_FILES, CORPUS, CORPUS_DIR, Expect, file_of, load_make_corpus

FIXED_NOW = dt.datetime(
    2026, 11, 20, 10, 0, 0
)  # as tests/conftest.py: demands raised, resources listed today

CATEGORIES = {  # the county's 资源/需求 list (大类 → 小项), instead of the shipped defaults
    "政策宣讲": ("理论宣讲", "政策解读"),
    "法律服务": ("普法宣传", "法律咨询"),
    "助老服务": ("探访慰问", "智慧助老", "上门服务"),
    "文体活动": ("文艺演出", "健身指导"),
    "医疗健康": ("健康义诊", "健康讲座"),
    "教育关爱": ("课业辅导", "红色教育"),
}


def _open(path: Path) -> Services:
    return Services(Context(connect(path), operator="测试员", clock=lambda: FIXED_NOW))


def build_county(path: Path) -> None:
    """青山县 as the clerk set it up, through the services, in the migrated database ``path``."""
    svc = _open(path)
    try:
        units = svc.units
        root = units.ensure_root("青山县")

        def unit(name: str, kind: str, parent: int = root) -> int:
            return units.create({"name": name, "kind": kind, "parent_id": parent})

        yushan, longshan, chengguan = (
            unit("榆山街道", "街道"),
            unit("龙山镇", "乡镇"),
            unit("城关街道", "街道"),
        )
        for name in ("幸福里社区", "文化路社区", "东关社区"):
            unit(name, "社区", yushan)
        for name in ("龙山村", "石桥村"):
            unit(name, "村", longshan)
        unit("光明社区", "社区", chengguan)
        health = unit("县卫生健康局", "部门")
        unit("县教育局", "部门")
        unit("县财政局", "部门")
        svc.teams.create({"name": "夕阳红志愿服务队", "unit_id": yushan})
        svc.teams.create({"name": "银发先锋志愿服务队", "unit_id": longshan})
        svc.teams.create({"name": "杏林义诊志愿服务队", "unit_id": health})
        svc.people.create({"name": "李国华", "gender": "男", "unit_id": yushan})
        svc.people.create({"name": "王淑芬", "gender": "女", "unit_id": longshan})
        categories = svc.categories
        for major in categories.tree(include_inactive=True):
            for child in major.children:
                categories.delete(child.id)
            categories.delete(major.id)
        for major_name, minors in CATEGORIES.items():
            major_id = categories.add(major_name)
            for minor in minors:
                categories.add(minor, major_id)
    finally:
        svc.close()


@pytest.fixture(scope="module")
def county_db(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The county built once and copied for each file."""
    path = tmp_path_factory.mktemp("corpus") / "county.sqlite"
    shutil.copy(template_db, path)
    build_county(path)
    return path


# ---- what is stored, foreign keys as names -----------------------------------------------------------
_LEFT_OUT = {"id", "created_at", "updated_at", "import_batch_id"}
_NAMES = {  # column → (key in the expectation, SQL giving the name)
    "unit_id": ("unit", "SELECT name FROM unit WHERE id = ?"),
    "community_id": ("community", "SELECT name FROM unit WHERE id = ?"),
    "requester_unit_id": ("requester_unit", "SELECT name FROM unit WHERE id = ?"),
    "area_unit_id": ("area_unit", "SELECT name FROM unit WHERE id = ?"),
    "theme_id": ("theme", "SELECT name FROM monthly_theme WHERE id = ?"),
    "place_id": ("place", "SELECT name FROM place WHERE id = ?"),
    "person_id": ("person", "SELECT name FROM person WHERE id = ?"),
    "team_id": ("team", "SELECT name FROM team WHERE id = ?"),
    "party_org_id": ("party_org", "SELECT name FROM party_org WHERE id = ?"),
}
_LINKS = {
    "person": {
        "teams": "SELECT t.name FROM team_member m JOIN team t ON t.id = m.team_id WHERE m.person_id = ?",
        "community_roles": "SELECT l.name FROM person_community_role r JOIN lookup l ON l.id = r.role_id "
        "WHERE r.person_id = ?",
        "talents": "SELECT l.name FROM person_talent p JOIN lookup l ON l.id = p.category_id WHERE p.person_id = ?",
    },
    "activity": {
        "teams": "SELECT t.name FROM activity_team a JOIN team t ON t.id = a.team_id WHERE a.activity_id = ?",
        "people": "SELECT p.name FROM activity_participant a JOIN person p ON p.id = a.person_id "
        "WHERE a.activity_id = ?",
    },
}


def _category(con: sqlite3.Connection, category_id: int | None, entity: str) -> str | None:
    if category_id is None:
        return None
    name, parent = con.execute("SELECT name, parent_id FROM lookup WHERE id = ?", (category_id,)).fetchone()
    if entity in ("demand", "resource") and parent is not None:
        major = con.execute("SELECT name FROM lookup WHERE id = ?", (parent,)).fetchone()[0]
        return f"{major}/{name}"
    return str(name)


def stored_record(con: sqlite3.Connection, entity: str, entity_id: int) -> dict[str, Any]:
    """Every column of one stored record (ids, timestamps and the batch left out), foreign keys as names."""
    cur = con.execute(f"SELECT * FROM {entity} WHERE id = ?", (entity_id,))
    row = dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
    out: dict[str, Any] = {}
    for column, value in row.items():
        if column in _LEFT_OUT:
            continue
        if column == "category_id":
            out["category"] = _category(con, value, entity)
        elif column in _NAMES:
            key, sql = _NAMES[column]
            out[key] = None if value is None else con.execute(sql, (value,)).fetchone()[0]
        else:
            out[column] = value
    for key, sql in _LINKS.get(entity, {}).items():
        out[key] = sorted(name for (name,) in con.execute(sql, (entity_id,)))
    return out


@dataclass(frozen=True)
class Around:
    """What an import may add besides its records: units, teams, their aliases, list entries."""

    units: set[tuple[str, str, str]]  # (name, kind, parent)
    teams: set[tuple[str, str]]  # (name, unit)
    aliases: dict[str, frozenset[str]]  # "unit:名称" / "team:名称" → aliases
    entries: set[tuple[str, str, str]]  # (list, name, 大类 or "")


def around(db: Path) -> Around:
    def split(text: str | None) -> frozenset[str]:
        return frozenset(a for a in (text or "").split("|") if a)

    with sqlite3.connect(db) as con:
        return Around(
            set(con.execute("SELECT u.name, u.kind, coalesce(p.name, '') FROM unit u "
                            "LEFT JOIN unit p ON p.id = u.parent_id")),
            set(con.execute("SELECT t.name, coalesce(u.name, '') FROM team t LEFT JOIN unit u ON u.id = t.unit_id")),
            {f"unit:{n}": split(a) for n, a in con.execute("SELECT name, aliases FROM unit")}
            | {f"team:{n}": split(a) for n, a in con.execute("SELECT name, aliases FROM team")},
            set(con.execute("SELECT l.kind, l.name, coalesce(p.name, '') FROM lookup l "
                            "LEFT JOIN lookup p ON p.id = l.parent_id")),
        )  # fmt: skip


def compare(name: str, db: Path, batch_id: int | None, refused: dict[int, set[str]], merged: dict[str, int],
            exp: Expect, before: Around) -> list[str]:  # fmt: skip
    """Every difference between what the import stored and what the unit meant, one line each."""
    problems: list[str] = []
    entity = {"roster": "person", "activities": "activity", "resources": "resource", "demands": "demand"}[
        exp.kind
    ]
    with sqlite3.connect(db) as con:
        rows = {} if batch_id is None else {
            r: (fate, eid, reason) for r, fate, eid, reason in con.execute(
                "SELECT row_number, fate, entity_id, reason FROM import_row WHERE batch_id = ? "
                "AND (entity = ? OR fate = ?) ORDER BY row_number", (batch_id, entity, REJECTED))}  # fmt: skip
        for row, want in exp.records.items():
            fate, eid, reason = rows.get(row, ("", None, ""))
            if eid is None or fate == REJECTED:
                why = f"refused ({reason})" if fate == REJECTED else "nothing stored"
                problems.append(f"{name} row {row}: {why}, expected a {entity} record")
                continue
            got = stored_record(con, entity, eid)
            for key, value in want.items():
                if got.get(key) != value:
                    problems.append(f"{name} row {row} {key}: stored {got.get(key)!r}, expected {value!r}")
            problems += [f"{name} row {row} {key}: stored {got[key]!r}, not in the expectation"
                         for key in got if key not in want]  # fmt: skip
        for row, (fate, _eid, _reason) in rows.items():
            if row not in exp.records and fate != REJECTED:
                problems.append(f"{name} row {row}: stored as a record ({fate}), expected none")
    for row, key in exp.refused.items():
        if row not in refused:
            problems.append(f"{name} row {row}: not refused, expected refused for {key}")
        elif key not in refused[row]:
            problems.append(f"{name} row {row}: refused for {sorted(refused[row])}, expected for {key}")
    problems += [f"{name} row {row}: refused for {sorted(keys)}, expected stored" for row, keys in refused.items()
                 if row not in exp.refused]  # fmt: skip
    if merged != exp.merged:
        problems.append(f"{name}: cells filled from merged cells {merged}, expected {exp.merged}")
    after = around(db)
    for what, created, expected in (
        ("units", after.units - before.units, exp.new_units),
        ("teams", after.teams - before.teams, exp.new_teams),
        ("list entries", after.entries - before.entries, exp.new_entries),
    ):
        if created != set(expected):
            problems.append(f"{name}: {what} created {sorted(created)}, expected {sorted(expected)}")
    learned = {key: names - before.aliases.get(key, frozenset()) for key, names in after.aliases.items()}
    learned = {key: names for key, names in learned.items() if names}
    for key in sorted(set(learned) | set(exp.aliases)):
        if learned.get(key, frozenset()) != exp.aliases.get(key, frozenset()):
            problems.append(f"{name} {key}: aliases learned {sorted(learned.get(key, ()))}, "
                            f"expected {sorted(exp.aliases.get(key, ()))}")  # fmt: skip
    return problems


def refused_fields(plan: ImportPlan) -> dict[int, set[str]]:
    """Excel row → the fields the reasons of a refused row are about."""
    return {rp.row_number: {i.field_key for i in rp.issues or ()} for rp in plan.rows if rp.fate == REJECTED}


def _params() -> list[Any]:
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=exp.needs)) if exp.needs else name
            for name, exp in CORPUS.items()]  # fmt: skip


def test_the_corpus_is_what_the_issue_asks_for() -> None:
    files = sorted(p.name for p in CORPUS_DIR.iterdir() if p.suffix in (".xlsx", ".xls", ".ods", ".csv"))
    assert files == sorted({file_of(k) for k in CORPUS}), (
        "every corpus file has an expectation, and every expectation a file"
    )
    suffixes = {Path(n).suffix for n in files}
    assert len(files) >= 20 and suffixes == {".xlsx", ".xls", ".ods", ".csv"}
    assert {e.kind for e in CORPUS.values()} == {"roster", "activities", "demands", "resources"}
    csv_bytes = {n: (CORPUS_DIR / n).read_bytes() for n in files if n.endswith(".csv")}
    assert any(b.startswith(b"\xef\xbb\xbf") for b in csv_bytes.values()), "a UTF-8 CSV with BOM"
    gbk = [n for n, b in csv_bytes.items() if not b.startswith(b"\xef\xbb\xbf")]
    for n in gbk:
        with pytest.raises(UnicodeDecodeError):
            csv_bytes[n].decode("utf-8")  # really GBK, not UTF-8 that happens to be ASCII


def _cells(rows: list[list[Any]]) -> list[list[Any]]:
    """Cells as comparable values (dates as text, whole floats as ints, "" as None), trailing blanks dropped."""

    def cell(v: Any) -> Any:
        if v is None or v == "":
            return None
        if isinstance(v, dt.datetime) and v.time() == dt.time():
            return v.date().isoformat()
        if isinstance(v, dt.date):
            return v.isoformat()
        return int(v) if isinstance(v, float) and v.is_integer() else v

    out = [[cell(v) for v in row] for row in rows]
    width = max(len(r) for r in out)
    out = [r + [None] * (width - len(r)) for r in out]
    while out and all(v is None for v in out[-1]):
        out.pop()
    return out


def test_the_committed_files_hold_what_make_corpus_writes() -> None:
    """The bytes the test reads are the sheets ``make_corpus.py`` describes: every cell and every merge."""
    from silverdesk.services.importing.files import read_sheet

    make = load_make_corpus()
    assert sorted(make.SPECS) == sorted({file_of(k) for k in CORPUS})
    for name, sheet in make.SPECS.items():
        grid = read_sheet(CORPUS_DIR / name)
        assert _cells(grid.rows) == _cells(sheet["rows"]), name
        assert sorted(grid.merged) == sorted(sheet["merges"]), name


@pytest.mark.parametrize("name", _params())
def test_every_stored_field_is_what_the_unit_meant(name: str, county_db: Path, tmp_path: Path) -> None:
    exp = CORPUS[name]
    db = tmp_path / "county.sqlite"
    shutil.copy(county_db, db)
    before = around(db)
    svc = _open(db)
    try:
        outcome = svc.imports.run(
            CORPUS_DIR / file_of(name), kind=exp.kind, unit_name=exp.unit, options=PlanOptions(**exp.options)
        )
    except UserError as exc:
        pytest.fail(f"{name}: the whole file was refused: {exc}")
    finally:
        svc.close()
    plan = outcome.plan
    problems = compare(name, db, outcome.batch_id, refused_fields(plan), plan.merged_filled, exp, before)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", CLI_FILES)
def test_the_command_line_stores_the_same(name: str, county_db: Path, tmp_path: Path) -> None:
    from .test_cli_import import run

    exp = CORPUS[name]
    assert not exp.needs
    db = tmp_path / "county.sqlite"
    shutil.copy(county_db, db)
    before = around(db)
    args = ["import", str(CORPUS_DIR / name), "--kind", exp.kind, "--json", "--db", str(db)]
    done = run(*args, *(["--unit", exp.unit] if exp.unit else []), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    refused = {e["row"]: set(exp.refused.get(e["row"], "?")) for e in result["errors"]}
    problems = compare(name, db, result["batch_id"], refused, result["merged_filled"]["columns"], exp, before)
    assert not problems, "\n".join(problems)


def test_a_short_name_the_file_gives_is_shown_as_a_match(county_db: Path, tmp_path: Path) -> None:
    """Never silent: the 填报单位 line's 榆山街道办 and a provider written 夕阳红 are 近似匹配 decisions."""
    db = tmp_path / "county.sqlite"
    shutil.copy(county_db, db)
    svc = _open(db)
    try:
        shown = []
        for name in ("r10_榆山街道办_新增人员.xls", "s01_榆山街道_资源清单.xlsx"):
            exp = CORPUS[name]
            plan = svc.imports.run(CORPUS_DIR / name, kind=exp.kind, unit_name=exp.unit, dry_run=True).plan
            shown += [(d.label, d.before, d.after, d.count) for d in plan.decisions() if d.kind == MATCHED]
    finally:
        svc.close()
    assert shown == [("所属单位", "榆山街道办", "榆山街道", 2), ("提供者", "夕阳红", "夕阳红志愿服务队", 1)]
