"""Figures the command line prints are written as a clerk writes them: thousands grouped, never in
scientific notation, hours with at most one decimal and no trailing ".0" (issue #17: the report printed
``服务时长 1.34468e+06 小时``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from silverdesk import cli


def run(capsys, *argv: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture
def big_month(services, county) -> None:
    """October 2026 in a county whose activities add up to over a million hours: thirteen big campaigns
    (100,000 hours, the most one record holds) and one more."""
    rows = [(f"2026-10-{1 + i:02d}", 88, 1800, 100000, 3000) for i in range(13)]
    rows.append(("2026-10-30", 91, 1601, 44680.5, 1001))  # 1,235 场次; 25,001 人次; 1,344,680.5 小时; 40,001
    for day, sessions, people, hours, served in rows:
        services.activities.create(
            {
                "occurred_on": day,
                "title": "全县志愿服务集中行动",
                "unit_id": county["street"],
                "sessions": sessions,
                "participants": people,
                "hours": hours,
                "beneficiaries": served,
            }
        )
    services.close()  # the command opens the file itself


def test_report_prints_its_figures_as_a_clerk_writes_them(big_month, db_path: Path, tmp_path: Path, capsys):
    out_file = tmp_path / "月报.xlsx"
    code, out = run(capsys, "report", "--period", "2026-10", "--out", str(out_file), "--db", str(db_path))
    assert code == 0 and out_file.is_file()
    lines = out.splitlines()
    assert lines[1] == "活动 1,235 场次，参与 25,001 人次，服务时长 1,344,680.5 小时，受益 40,001 人次"
