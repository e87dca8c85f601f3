"""The garbage-collector pause around import steps restores the collector exactly as it was."""

from __future__ import annotations

import gc

import pytest

from silverdesk.services.importing.bulk import gc_paused


@pytest.fixture(autouse=True)
def _restore_gc():  # type: ignore[no-untyped-def]
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_back_on_after_nesting_and_errors() -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer step is still running
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_left_off_when_it_was_off_and_works_as_decorator() -> None:
    @gc_paused()
    def step() -> bool:
        return gc.isenabled()

    gc.enable()
    assert step() is False and gc.isenabled()
    gc.disable()
    assert step() is False and not gc.isenabled()


def test_an_import_leaves_the_collector_on(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from silverdesk.services.importing import find_table, read_sheet

    path = tmp_path / "名册.csv"
    path.write_text("姓名,性别\n张三,男\n", encoding="utf-8")
    gc.enable()
    table = find_table(read_sheet(path), "roster")
    assert len(table.rows) == 1 and gc.isenabled()
