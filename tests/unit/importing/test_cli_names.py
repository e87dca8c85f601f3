"""``silverdesk import`` through a real subprocess: the 近似匹配 lines of the text output and of ``--json``."""

from __future__ import annotations

import json
from pathlib import Path

from silverdesk.services.hub import Services

from .pipeline_helpers import dump
from .test_cli_import import run
from .test_names import roster


def test_cli_prints_and_reports_the_matches_and_a_second_run_needs_none(
    services: Services, county: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    health = services.units.create({"name": "县卫生健康局", "kind": "部门", "parent_id": county["root"]})
    services.units.create({"name": "榆山街道", "kind": "街道", "parent_id": county["root"]})
    services.teams.create({"name": "夕阳红志愿服务队", "unit_id": county["town"]})
    services.close()
    book = roster(tmp_path)
    dry = run("import", str(book), "--kind", "roster", "--unit", "榆山街道办", "--dry-run", "--db", str(db_path),
              cwd=tmp_path)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert "近似匹配：所属单位 县卫健局 → 县卫生健康局（3 行）；可改为：（新建）" in lines
    assert any(
        line.startswith("近似匹配：所属单位 榆山街道办 → 榆山街道（3 行）") for line in lines
    )  # no row is under it
    assert "近似匹配：所在服务队 夕阳红服务队 → 夕阳红志愿服务队（1 行）；可改为：（新建）" in lines
    assert not any(line.startswith("将新建") for line in lines)

    done = run("import", str(book), "--kind", "roster", "--unit", "榆山街道办", "--json", "--db", str(db_path),
               cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    matched = [
        (d["field"], d["before"], d["after"], d["rows"])
        for d in result["decisions"]
        if d["kind"] == "近似匹配"
    ]
    assert matched == [
        ("所属单位", "县卫健局", "县卫生健康局", 3),
        ("所属单位", "榆山街道办", "榆山街道", 3),
        ("所在服务队", "夕阳红服务队", "夕阳红志愿服务队", 1),
    ]
    assert result["decision_counts"]["近似匹配"] == 7
    assert result["created"] == []
    assert dump(db_path, "person", "unit_id") == [(health,)] * 3
    assert ("县卫健局",) in dump(db_path, "unit", "aliases")

    other = tmp_path / "再来一份.xlsx"
    roster(tmp_path).rename(other)
    again = run("import", str(other), "--kind", "roster", "--unit", "榆山街道办", "--json", "--dry-run", "--db",
                str(db_path), cwd=tmp_path)  # fmt: skip
    assert [d for d in json.loads(again.stdout)["decisions"] if d["kind"] == "近似匹配"] == []
