"""bench/bench_import.py keeps working: its quick mode runs every scenario as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow


def test_quick_benchmark_times_every_scenario_against_its_floor(tmp_path: Path) -> None:
    env = os.environ | {
        "SILVERDESK_BENCH_WORK": str(tmp_path / "work"),  # the files it generates stay out of the tree
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_import.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())["results"]
    expected = {"a", "c", "d"} | ({"b"} if "b: skipped" not in done.stdout else set())
    assert set(results) == expected
    for figures in results.values():
        run = figures["silverdesk"]
        assert run["wall_s"] > run["floor_s"] > 0  # the whole import is timed, start-up included
        assert run["ratio"] == pytest.approx(run["wall_s"] / run["floor_s"], rel=0.01)
        assert 30 < run["peak_mb"] < 2000  # the import process's own peak, not the benchmark's
    assert "| a. 5,000-row roster .xlsx" in done.stdout  # the table a maintainer copies into RESULTS.md
