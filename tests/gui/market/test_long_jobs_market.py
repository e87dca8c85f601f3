"""资源与需求 on the real task runner: 正在匹配, 重新评定, 取消手工调整, 发放积分 and the certificates,
each long enough for the progress dialog and finishing on screen, and each cancelled midway with
the data (and the folder) exactly as they were."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
from PySide6 import QtCore
from sqlalchemy import select

from silverdesk.db.models import ActivityParticipant
from silverdesk.reports import certificates as certificate_pages
from silverdesk.services.market import points as points_module
from silverdesk.services.market import stars as stars_module
from silverdesk.services.market.certificates import CertificateService
from silverdesk.services.market.matching import MatchingService
from silverdesk.ui.market.certificates import CertificatesDialog
from silverdesk.ui.market.screen import RATINGS, MarketView
from silverdesk.ui.market.stars import StarsPanel
from tests.gui.long_jobs import (
    TODAY,
    database_state,
    demo_copy,
    files_in,
    press_cancel,
    slow_down,
    wait_for_progress_dialog,
)

LEFT = QtCore.Qt.MouseButton.LeftButton


@pytest.fixture
def db_path(tmp_path, tmp_path_factory, template_db):
    return demo_copy(tmp_path, tmp_path_factory, template_db)


@pytest.fixture
def view(qtbot, threaded_ctx):
    v = MarketView(threaded_ctx)
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.show()
    qtbot.waitUntil(lambda: bool(v.shelf.visible_cards()), timeout=10000)
    return v


# --- 匹配推荐 -----------------------------------------------------------------------------------


def chosen_demand(qtbot, view) -> int:
    card = view.shelf.visible_cards()[0]
    qtbot.mouseClick(card, LEFT)
    assert view.shelf.selected == ("demand", card.record_id)
    return card.record_id


def test_a_long_match_lists_the_suggestions(qtbot, view, services, monkeypatch):
    demand = chosen_demand(qtbot, view)
    expected = services.matching.suggest_for_demand(demand)
    slowed = slow_down(monkeypatch, MatchingService, "suggest_for_demand")
    qtbot.mouseClick(view.shelf.match_button, LEFT)
    wait_for_progress_dialog(qtbot, "正在匹配")
    qtbot.waitUntil(lambda: view.shelf.hits_label.text() != "", timeout=15000)
    assert slowed.calls == 1 and view.shelf.hits.count() == len(expected) > 0
    assert f"推荐 {len(expected)} 个服务方" in view.shelf.hits_label.text()
    assert expected[0].name in view.shelf.hits.item(0).text()
    assert view.shelf.order_button.isEnabled()


def test_cancelling_a_match_says_so_and_matches_again(qtbot, view, services, monkeypatch):
    demand = chosen_demand(qtbot, view)
    slowed = slow_down(monkeypatch, MatchingService, "suggest_for_demand")
    qtbot.mouseClick(view.shelf.match_button, LEFT)
    press_cancel(qtbot, slowed)
    qtbot.waitUntil(lambda: "已取消匹配" in view.shelf.hits_label.text(), timeout=8000)
    assert view.shelf.hits.count() == 0 and not view.shelf.order_button.isEnabled()
    assert view.shelf.match_button.isEnabled()
    slowed.seconds = 0
    qtbot.mouseClick(view.shelf.match_button, LEFT)
    qtbot.waitUntil(lambda: view.shelf.hits.count() > 0, timeout=15000)
    assert view.shelf.hits.count() == len(services.matching.suggest_for_demand(demand))


# --- 星级评定 -----------------------------------------------------------------------------------


@pytest.fixture
def stars(qtbot, view) -> StarsPanel:
    view.tabs.setCurrentIndex(RATINGS)
    panel = view.ratings.stars
    qtbot.waitUntil(lambda: "尚未评定" in panel.count_label.text(), timeout=10000)
    return panel


def test_a_long_recompute_shows_the_ratings(qtbot, stars, services, monkeypatch):
    slowed = slow_down(monkeypatch, stars_module, "audit", interruptible=False)
    qtbot.mouseClick(stars.recompute_button, LEFT)
    assert not stars.recompute_button.isEnabled()
    wait_for_progress_dialog(qtbot, "正在评定2026年志愿者星级")
    qtbot.waitUntil(lambda: "评定完成" in stars.summary.text(), timeout=15000)
    slowed.seconds = 0
    again = services.stars.recompute("volunteer", 2026)  # the same figures, counted once more
    assert slowed.calls == 2 and stars.summary.text() == StarsPanel.summary_text(again)  # the job's and ours
    qtbot.waitUntil(lambda: stars.model.rowCount() == sum(again.by_level.values()), timeout=10000)
    assert stars.recompute_button.isEnabled()


def test_cancelling_a_recompute_midway_leaves_the_ratings_as_they_were(qtbot, stars, services, monkeypatch):
    before = database_state(services)
    # midway: every rating is written (not committed) while the audit entry is being made
    slowed = slow_down(monkeypatch, stars_module, "audit", interruptible=False)
    qtbot.mouseClick(stars.recompute_button, LEFT)
    press_cancel(qtbot, slowed)
    qtbot.waitUntil(lambda: "已取消评定" in stars.summary.text(), timeout=8000)
    assert database_state(services) == before and services.stars.ratings("volunteer", 2026) == []
    assert stars.recompute_button.isEnabled()
    slowed.seconds = 0
    qtbot.mouseClick(stars.recompute_button, LEFT)
    qtbot.waitUntil(lambda: "评定完成" in stars.summary.text(), timeout=15000)
    assert services.stars.ratings("volunteer", 2026)


@pytest.fixture
def adjusted(qtbot, stars, services) -> int:
    """Rated, then one volunteer set to 五星 by hand and selected in the list."""
    services.stars.recompute("volunteer", 2026)
    person = services.stars.ratings("volunteer", 2026)[-1].subject_id
    services.stars.set_manual("volunteer", person, 2026, 5, "经局务会议研究评为五星级")
    stars.reload_list()
    qtbot.waitUntil(
        lambda: stars.model.row_of(person) >= 0 and stars.model.record(stars.model.row_of(person)).manual,
        timeout=10000,
    )
    stars.select_subject_id(person)
    assert stars.clear_button.isEnabled()
    return person


def test_a_long_release_of_a_manual_rating_rates_it_by_the_rules(
    qtbot, stars, adjusted, services, monkeypatch
):
    slowed = slow_down(
        monkeypatch, stars_module, "audit", 1.5, interruptible=False
    )  # the release's, the rating's
    qtbot.mouseClick(stars.clear_button, LEFT)
    wait_for_progress_dialog(qtbot, "正在重新评定")
    qtbot.waitUntil(lambda: "评定完成" in stars.summary.text(), timeout=15000)
    rating = next(r for r in services.stars.ratings("volunteer", 2026) if r.subject_id == adjusted)
    assert slowed.calls == 2 and not rating.manual and rating.level < 5
    qtbot.waitUntil(lambda: not stars.model.record(stars.model.row_of(adjusted)).manual, timeout=10000)


def test_cancelling_the_release_keeps_the_manual_rating(qtbot, stars, adjusted, services, monkeypatch):
    before = database_state(services)
    slowed = slow_down(monkeypatch, stars_module, "audit", interruptible=False)
    qtbot.mouseClick(stars.clear_button, LEFT)
    press_cancel(qtbot, slowed)  # the release and the new ratings are in one transaction: both roll back
    qtbot.waitUntil(lambda: "已取消评定" in stars.summary.text(), timeout=12000)
    assert database_state(services) == before
    assert services.stars.level_of("volunteer", adjusted, 2026) == 5 and stars.clear_button.isEnabled()
    slowed.seconds = 0
    qtbot.mouseClick(stars.clear_button, LEFT)
    qtbot.waitUntil(lambda: "评定完成" in stars.summary.text(), timeout=15000)
    assert not next(r for r in services.stars.ratings("volunteer", 2026) if r.subject_id == adjusted).manual


# --- 发放积分 -----------------------------------------------------------------------------------


@pytest.fixture
def points(qtbot, view, services, driver):
    """The 积分存折 tab, with three activities entered since the demo's points were last awarded."""
    people = services.ctx.db.reader
    with people() as session:
        pids = list(session.scalars(select(ActivityParticipant.person_id).distinct().limit(3)))
    for i, pid in enumerate(pids):
        services.activities.create(
            {
                "occurred_on": TODAY - dt.timedelta(days=i + 1),
                "title": f"补录活动{i}",
                "participants": 1,
                "hours": 4,
                "participant_ids": [pid],
            }
        )
    view.tabs.setCurrentIndex(RATINGS)
    view.ratings.tabs.setCurrentIndex(1)
    return view.ratings.points


def credited(services) -> int:
    return services.points.award_status(dt.date(2026, 1, 1), TODAY).done


def test_a_long_award_credits_the_new_hours(qtbot, points, services, monkeypatch):
    assert services.points.award_status(dt.date(2026, 1, 1), TODAY).pending == 3
    done_before = credited(services)
    slowed = slow_down(monkeypatch, points_module, "audit", interruptible=False)
    qtbot.mouseClick(points.award_button, LEFT)
    assert not points.award_button.isEnabled()
    wait_for_progress_dialog(qtbot, "正在发放积分")
    qtbot.waitUntil(lambda: "已发放积分" in points.award_label.text(), timeout=15000)
    assert slowed.calls == 1 and "计入 3 人次" in points.award_label.text()
    assert credited(services) == done_before + 3 and points.award_button.isEnabled()


def test_cancelling_an_award_midway_credits_nothing(qtbot, points, services, monkeypatch):
    before = database_state(services)
    # midway: the ledger lines are added (not committed) while the audit entry is being made
    slowed = slow_down(monkeypatch, points_module, "audit", interruptible=False)
    qtbot.mouseClick(points.award_button, LEFT)
    press_cancel(qtbot, slowed)
    qtbot.waitUntil(lambda: "已取消发放积分" in points.award_label.text(), timeout=8000)
    assert database_state(services) == before and points.award_button.isEnabled()
    slowed.seconds = 0
    qtbot.mouseClick(points.award_button, LEFT)
    qtbot.waitUntil(lambda: "已发放积分" in points.award_label.text(), timeout=15000)
    assert "计入 3 人次" in points.award_label.text()


# --- 证书 ---------------------------------------------------------------------------------------


@pytest.fixture
def certificates(qtbot, threaded_ctx, tmp_path):
    dialog = CertificatesDialog(threaded_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    out = tmp_path / "证书"
    out.mkdir()
    dialog.out = out
    return dialog


def volunteers(services, count: int) -> list[tuple[int, str]]:
    rated = services.stars.recompute("volunteer", 2026) and services.stars.ratings("volunteer", 2026)
    return [(r.subject_id, r.name) for r in rated[:count]]


def saved(dialog) -> bool:
    return dialog.status.text().startswith("已保存")


def test_a_long_service_certificate_is_saved(qtbot, certificates, services, threaded_ctx, monkeypatch):
    ((pid, name),) = volunteers(services, 1)
    certificates.choose_person(pid, name)
    target = certificates.out / "证明.pdf"
    threaded_ctx.ask_save_path = lambda *_: str(target)
    slowed = slow_down(monkeypatch, CertificateService, "service_certificate", interruptible=False)
    qtbot.mouseClick(certificates.service_button, LEFT)
    assert not certificates.service_button.isEnabled()
    wait_for_progress_dialog(qtbot, "正在生成志愿服务证明")
    qtbot.waitUntil(lambda: saved(certificates), timeout=15000)
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert slowed.calls == 1 and name in text and "志愿服务证明" in text
    assert certificates.open_button.isEnabled() and certificates.service_button.isEnabled()


def test_cancelling_a_service_certificate_leaves_the_old_file(
    qtbot, certificates, services, threaded_ctx, monkeypatch
):
    ((pid, name),) = volunteers(services, 1)
    certificates.choose_person(pid, name)
    target = certificates.out / "证明.pdf"
    target.write_bytes(b"last year's certificate")
    before = files_in(certificates.out)
    threaded_ctx.ask_save_path = lambda *_: str(target)
    slowed = slow_down(monkeypatch, CertificateService, "service_certificate", interruptible=False)
    qtbot.mouseClick(certificates.service_button, LEFT)
    press_cancel(qtbot, slowed)
    qtbot.waitUntil(lambda: "已取消" in certificates.status.text(), timeout=8000)
    assert files_in(certificates.out) == before and certificates.service_button.isEnabled()
    assert not certificates.open_button.isEnabled()
    slowed.seconds = 0
    qtbot.mouseClick(certificates.service_button, LEFT)
    qtbot.waitUntil(lambda: saved(certificates), timeout=15000)
    assert name in "".join(p.extract_text() for p in PdfReader(target).pages)


def honour_batch(certificates, services, threaded_ctx) -> tuple[list[str], object]:
    chosen = volunteers(services, 10)
    certificates.tabs.setCurrentIndex(1)
    for pid, name in chosen:
        certificates.add_honoured(pid, name)
    target = certificates.out / "荣誉证书.pdf"
    threaded_ctx.ask_save_path = lambda *_: str(target)
    return [name for _, name in chosen], target


def test_a_long_honour_batch_has_a_page_each(qtbot, certificates, services, threaded_ctx, monkeypatch):
    names, target = honour_batch(certificates, services, threaded_ctx)
    slowed = slow_down(monkeypatch, certificate_pages, "_honour_page", 0.3, interruptible=False)  # 3 s for 10
    qtbot.mouseClick(certificates.honour_button, LEFT)
    dialog = wait_for_progress_dialog(qtbot, "正在生成荣誉证书")
    qtbot.waitUntil(lambda: "第" in dialog.label.text(), timeout=3000)  # 正在生成第 n 份（共 10 份）
    qtbot.waitUntil(lambda: saved(certificates), timeout=15000)
    pages = PdfReader(target).pages
    assert slowed.calls == 10 and len(pages) == 10
    assert all(name in page.extract_text() for name, page in zip(names, pages, strict=True))


def test_cancelling_an_honour_batch_midway_writes_no_file(
    qtbot, certificates, services, threaded_ctx, monkeypatch
):
    _names, target = honour_batch(certificates, services, threaded_ctx)
    slowed = slow_down(monkeypatch, certificate_pages, "_honour_page", 0.3, interruptible=False)
    qtbot.mouseClick(certificates.honour_button, LEFT)
    press_cancel(qtbot, slowed, when=lambda: slowed.calls >= 3)  # a few pages drawn, the rest not
    qtbot.waitUntil(lambda: "已取消" in certificates.status.text(), timeout=8000)
    assert slowed.calls < 10 and files_in(certificates.out) == {}
    assert certificates.honour_button.isEnabled()
    slowed.seconds = 0
    qtbot.mouseClick(certificates.honour_button, LEFT)
    qtbot.waitUntil(lambda: saved(certificates), timeout=15000)
    assert len(PdfReader(target).pages) == 10
