"""表1–表4 and the narrative, figure for figure, against golden files made from main before the
statistics moved onto the query model (issue #17).

Each question (month, quarter, year, custom range; the county, a 街道, a 乡镇, a 社区, a 部门; a period with
汇总 of an imported return) is asked of one deterministic database (:mod:`.golden_db`); the whole report
(minus ``generated_at``) and the narrative are compared with ``golden/<question>.json`` and every
differing figure is named: table, row, column, expected, got.  One question is also written as .xlsx and
read back, visible cells and hidden data sheet, so the writers are covered too.

Regenerate (only when a figure changes on purpose — and say why in CHANGELOG.md):

    SILVERDESK_UPDATE_GOLDEN=1 python -m pytest tests/unit/statistics/test_golden.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from silverdesk.reports.readback import read_report_workbook
from silverdesk.services.hub import Services
from silverdesk.services.statistics.reporting import ReportService
from tests.unit.statistics.golden_db import (
    GOLDEN,
    QUESTIONS,
    UPDATE_ENV,
    XLSX_QUESTION,
    Question,
    build_database,
    build_report,
    differences,
    dump,
    fingerprint,
    golden_document,
    load,
    report_plain,
    xlsx_cells,
)

UPDATING = os.environ.get(UPDATE_ENV) == "1"


@pytest.fixture(scope="module")
def golden_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    services = build_database(tmp_path_factory.mktemp("golden"))
    yield services
    services.close()


def _check(name: str, document: object) -> None:
    """Compare with ``golden/<name>.json`` (or write it when updating), naming every difference."""
    path = GOLDEN / f"{name}.json"
    if UPDATING:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(dump(document), encoding="utf-8")
        pytest.skip(f"golden file rewritten: {path.name} (record the reason in CHANGELOG.md)")
    assert path.is_file(), f"no golden file {path.name}: run `{UPDATE_ENV}=1 pytest {Path(__file__).name}`"
    diffs = list(differences(load(path), document))
    assert not diffs, f"{path.name}: {len(diffs)} figure(s) differ from the golden file:\n" + "\n".join(
        diffs[:60]
    )


def test_the_database_is_the_one_the_goldens_were_made_from(golden_services: Services) -> None:
    """If this fails, the demo generator (not the counting) changed: the other failures say nothing
    about the reports until the goldens are made again from main with the new generator."""
    _check("database", fingerprint(golden_services))


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.name for q in QUESTIONS])
def test_report_and_narrative_match_the_golden_file(golden_services: Services, question: Question) -> None:
    data, unit_name = build_report(golden_services, question)
    _check(question.name, golden_document(question, data, unit_name))


def test_the_written_workbook_matches_the_golden_file(golden_services: Services, tmp_path: Path) -> None:
    data, _ = build_report(golden_services, XLSX_QUESTION)
    out = ReportService(golden_services.ctx).write(data, tmp_path / "report.xlsx")
    back = read_report_workbook(out)
    document = {
        "hidden_data_sheet": report_plain(back),
        "narrative": back.narrative,
        "visible_sheets": xlsx_cells(out),
    }
    _check(f"xlsx_{XLSX_QUESTION.name}", document)


def test_no_golden_file_without_a_question() -> None:
    made = {q.name for q in QUESTIONS} | {f"xlsx_{XLSX_QUESTION.name}", "database"}
    stale = sorted(p.stem for p in GOLDEN.glob("*.json") if p.stem not in made)
    assert not stale, f"golden files no test reads (delete them): {stale}"


def test_a_differing_figure_is_named_by_table_row_and_column() -> None:
    expected = {"table1": [{"unit": "城关街道", "volunteers": 12}, {"unit": "龙山镇", "volunteers": 3}]}
    got = {"table1": [{"unit": "城关街道", "volunteers": 11}, {"unit": "龙山镇", "volunteers": 3}]}
    assert list(differences(expected, got)) == ["表1 / 城关街道 / 志愿者(volunteers): 期望 12，实得 11"]
