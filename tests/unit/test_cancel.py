"""A cancelled long job leaves the data as it was (no Qt): files written whole or not at all, the
transactions of 重新评定 and 发放积分 rolled back, a backup or a restore that stops before it
changes anything — and a restore that is past the swap finishes."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from silverdesk.atomic import atomic_target, partial_path
from silverdesk.errors import Cancelled, StorageError
from silverdesk.progress import CancelToken
from silverdesk.services.statistics.periods import month
from silverdesk.services.statistics.reporting import ReportService

D = dt.date


class CancelAt:
    """A progress sink that presses 取消 when the job says ``words`` (its label), as a clerk would."""

    def __init__(self, words: str) -> None:
        self.words, self.token, self.labels = words, CancelToken(), []

    def __call__(self, done: int, total: int, label: str = "") -> None:
        self.labels.append(label)
        if self.words in label:
            self.token.cancel()


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def rows(services, table: str) -> list[tuple]:
    with sqlite3.connect(services.ctx.db.path) as conn:
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall()


# --- files ------------------------------------------------------------------------------------


def test_a_file_is_renamed_into_place_only_when_written_whole(tmp_path):
    target = tmp_path / "名单.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(Cancelled), atomic_target(target) as partial:
        partial.write_bytes(b"half")
        raise Cancelled()
    assert files(tmp_path) == {"名单.xlsx": b"old"}
    with atomic_target(target) as partial:
        partial.write_bytes(b"new")
    assert files(tmp_path) == {"名单.xlsx": b"new"} and not partial_path(target).exists()


def test_a_folder_that_cannot_be_written_is_named_in_chinese(tmp_path):
    with (
        pytest.raises(StorageError, match=r"无法在文件夹.*中写入文件.*请换一个文件夹"),
        atomic_target(tmp_path / "没有的文件夹" / "a.xlsx"),
    ):
        pass


@pytest.fixture
def october(services, county):
    cat = services.lookups.resolve("activity_category", "理论宣讲").id
    services.activities.create(
        {
            "occurred_on": "2026-10-08",
            "title": "宣讲",
            "unit_id": county["street"],
            "category_id": cat,
            "sessions": 2,
            "participants": 10,
            "hours": 20,
            "beneficiaries": 100,
        }
    )
    reports = ReportService(services.ctx)
    return reports, reports.build(month(2026, 10))


def exported(services) -> int:
    from silverdesk.services.system.audit import AuditFilter

    return len(services.audit_log.ids(AuditFilter(action="导出报表")))


def test_a_report_saved_as_a_set_is_all_or_none(services, october, tmp_path):
    reports, data = october
    out = tmp_path / "报表"
    out.mkdir()
    (out / "月报.xlsx").write_bytes(b"the old workbook")
    cancel = CancelAt("月报.pdf")  # the workbook is written, then 取消 as the PDF begins
    with pytest.raises(Cancelled):
        reports.save(
            data,
            [(out / "月报.xlsx", "xlsx"), (out / "月报.pdf", "pdf")],
            progress=cancel,
            cancel=cancel.token,
        )
    assert files(out) == {"月报.xlsx": b"the old workbook"} and exported(services) == 0
    written = reports.save(data, [(out / "月报.xlsx", None), (out / "月报.pdf", None)])
    assert [p.name for p in written] == ["月报.xlsx", "月报.pdf"] and exported(services) == 2
    assert sorted(files(out)) == ["月报.pdf", "月报.xlsx"]


def test_a_cancelled_honour_batch_leaves_no_file(services, county, tmp_path):
    services.settings.update({"bureau_name": "中共青山县委老干部局"})
    ids = [services.people.create({"name": f"王{n}"}) for n in "一二三四五"]
    out = tmp_path / "证书"
    out.mkdir()
    cancel = CancelAt("第 3 份")
    with pytest.raises(Cancelled):
        services.certificates.write_honour_certificates(
            ids, "优秀志愿者", out / "证书.pdf", progress=cancel, cancel=cancel.token
        )
    assert files(out) == {}


# --- transactions -----------------------------------------------------------------------------


@pytest.fixture
def served(services, county):
    """王秀英 and 李建国 serve in 2026 (the seeded star rules rate them)."""
    wang = services.people.create({"name": "王秀英"})
    li = services.people.create({"name": "李建国"})
    for m in range(1, 9):
        services.activities.create(
            {
                "occurred_on": D(2026, m, 12),
                "title": f"{m}月义诊",
                "participants": 1,
                "hours": 5,
                "participant_ids": [wang],
            }
        )
    services.activities.create(
        {
            "occurred_on": D(2026, 3, 20),
            "title": "法律咨询",
            "participants": 1,
            "hours": 3,
            "participant_ids": [li],
        }
    )
    return wang, li


def test_a_cancelled_recompute_rolls_the_ratings_and_the_release_back(services, served, monkeypatch):
    from silverdesk.services.market import stars

    _wang, li = served
    services.stars.recompute("volunteer", 2026)
    services.stars.set_manual("volunteer", li, 2026, 5, "局务会议评定")
    before, audit = rows(services, "star_rating"), rows(services, "audit_log")
    cancel, real, made = CancelToken(), stars.audit, []

    def audit_then_cancel(*args, **kwargs):  # the release's entry, then the rating's: 取消 as that is made
        made.append(real(*args, **kwargs))
        if len(made) == 2:
            cancel.cancel()

    monkeypatch.setattr(stars, "audit", audit_then_cancel)
    with pytest.raises(Cancelled):
        services.stars.recompute("volunteer", 2026, release=li, cancel=cancel)
    assert len(made) == 2  # every rating was written before the cancel was noticed
    monkeypatch.undo()
    assert rows(services, "star_rating") == before and rows(services, "audit_log") == audit
    assert services.stars.level_of("volunteer", li, 2026) == 5
    services.stars.recompute("volunteer", 2026, release=li)
    assert not next(r for r in services.stars.ratings("volunteer", 2026) if r.subject_id == li).manual


def test_a_cancelled_award_credits_nothing(services, served):
    cancel = CancelAt("正在计算积分")
    with pytest.raises(Cancelled):
        services.points.award(D(2026, 1, 1), D(2026, 12, 31), progress=cancel, cancel=cancel.token)
    assert rows(services, "points_entry") == []
    assert services.points.award(D(2026, 1, 1), D(2026, 12, 31)) == 9


def test_a_cancel_after_the_last_line_still_rolls_the_award_back(services, served, monkeypatch):
    from silverdesk.services.market import points

    cancel, real = CancelToken(), points.audit
    monkeypatch.setattr(points, "audit", lambda *a, **k: (real(*a, **k), cancel.cancel()))  # 取消 as it ends
    before = rows(services, "audit_log")
    with pytest.raises(Cancelled):
        services.points.award(D(2026, 1, 1), D(2026, 12, 31), cancel=cancel)
    assert rows(services, "points_entry") == [] and rows(services, "audit_log") == before


# --- backups and restores ---------------------------------------------------------------------


def test_a_cancelled_backup_leaves_the_folder_as_it_was(services):
    services.people.create({"name": "张建国"})
    services.backups.backup_now()
    folder = services.backups.folder()
    before = files(folder)
    cancel = CancelAt("正在复制数据库")
    with pytest.raises(Cancelled):
        services.backups.backup_now(progress=cancel, cancel=cancel.token)
    assert files(folder) == before


@pytest.fixture
def changed(services):
    """A backup with 张建国, then the name changed to 张建军."""
    pid = services.people.create({"name": "张建国"})
    saved = services.backups.backup_now()
    services.people.update(pid, {"name": "张建军"})
    return pid, saved


@pytest.mark.parametrize("when", ["正在检查备份", "正在备份当前数据库", "正在复制备份"])
def test_a_restore_cancelled_before_the_swap_changes_nothing(services, changed, db_path, when):
    pid, saved = changed
    folder = services.backups.folder()
    before, data = files(folder), rows(services, "person")
    cancel = CancelAt(when)
    with pytest.raises(Cancelled):
        services.backups.restore_from(saved.path, progress=cancel, cancel=cancel.token)
    assert files(folder) == before and rows(services, "person") == data
    assert not db_path.with_name(db_path.name + ".restoring").exists()
    assert services.people.get(pid)["name"] == "张建军"  # the services work on the unchanged file


def test_a_restore_past_the_swap_finishes_whatever_the_cancel(services, changed):
    pid, saved = changed
    cancel = CancelAt("正在替换数据库文件")
    result = services.backups.restore_from(saved.path, progress=cancel, cancel=cancel.token)
    assert cancel.token.cancelled and result.previous is not None
    assert services.people.get(pid)["name"] == "张建国"


def test_matching_stops_when_cancelled(services, county):
    demand = services.demands.create({"title": "健康义诊", "requester_unit_id": county["community"]})
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        services.matching.suggest_for_demand(demand, cancel=cancel)
    assert services.matching.suggest_for_demand(demand) == []
