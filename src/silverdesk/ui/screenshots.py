"""Render every main screen and form to PNG (``silverdesk screenshot``), for review and the manual.

Runs offscreen on the given database with the synchronous task runner, so each screen is
complete when it is grabbed.  Forms are shown with the first record of their kind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from silverdesk.services.activities.log import ActivityFilter
from silverdesk.services.hub import Services
from silverdesk.services.market.orders import OrderFilter
from silverdesk.services.people.roster import PersonFilter
from silverdesk.ui.main_window import SCREENS, MainWindow
from silverdesk.ui.settings import UiState
from silverdesk.ui.tasks import SyncTaskRunner

FILE_NAMES = {
    "首页": "01_dashboard",
    "人员": "02_people",
    "队伍": "03_teams",
    "党组织": "04_party_orgs",
    "活动": "05_activities",
    "资源与需求": "06_market",
    "导入": "07_imports",
    "报表": "08_reports",
    "设置": "09_settings",
}
# the 设置 screen's other tabs (its first tab, 本单位, is 09_settings)
SETTINGS_TABS = {
    "单位": "09f_settings_units",
    "可维护的列表": "09b_settings_lists",
    "月度主题": "09g_settings_themes",
    "备份与恢复": "09c_settings_backups",
    "操作日志": "09d_settings_audit",
    "安全": "09e_settings_security",
}


def _settle(app: QtWidgets.QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def _grab(widget: QtWidgets.QWidget, path: Path, app: QtWidgets.QApplication) -> Path:
    _settle(app)
    widget.grab().save(str(path))
    return path


def render_all(services: Services, out: Path, state_file: Path) -> list[Path]:
    """Write one PNG per screen and per form into ``out``; returns the files written."""
    app = QtWidgets.QApplication.instance()
    assert isinstance(app, QtWidgets.QApplication)
    out.mkdir(parents=True, exist_ok=True)
    state = UiState(QtCore.QSettings(str(state_file), QtCore.QSettings.Format.IniFormat))
    window = MainWindow(services, runner=SyncTaskRunner(), state=state)
    window.resize(1280, 800)
    window.show()
    written = []
    for i, name in enumerate(SCREENS):
        window.show_screen(i)
        written.append(_grab(window, out / f"{FILE_NAMES[name]}.png", app))
    window.go_to("设置")
    settings = window.screen("设置")
    for tab, file_name in SETTINGS_TABS.items():
        settings.show_tab(tab)  # type: ignore[attr-defined]
        written.append(_grab(window, out / f"{file_name}.png", app))
    written += _units(window, out, app)
    written += _pivot(window, out, app)
    written += _forms(window, services, out, app)
    written += _market(window, out, app)
    written += _ratings(window, out, app)
    window.close()
    return written


def _forms(window: MainWindow, services: Services, out: Path, app: QtWidgets.QApplication) -> list[Path]:
    from silverdesk.ui.activities.form import ActivityDialog
    from silverdesk.ui.org.party_org_form import PartyOrgDialog
    from silverdesk.ui.org.team_form import TeamDialog
    from silverdesk.ui.people.form import PersonDialog

    ctx = window.ctx
    person = next(iter(services.people.search_ids(PersonFilter())), None)
    activity = next(iter(services.activities.search_ids(ActivityFilter())), None)
    team = next((int(t["id"]) for t in services.teams.list()), None)  # type: ignore[call-overload]
    org = next((int(o["id"]) for o in services.party_orgs.list()), None)  # type: ignore[call-overload]
    dialogs: list[tuple[str, object, Callable[[], QtWidgets.QDialog]]] = [
        ("10_person_new", True, lambda: PersonDialog(ctx, None, window)),
        ("11_person_edit", person, lambda: PersonDialog(ctx, person, window)),
        ("12_activity_new", True, lambda: ActivityDialog(ctx, None, window)),
        ("13_activity_edit", activity, lambda: ActivityDialog(ctx, activity, window)),
        ("14_team_edit", team, lambda: TeamDialog(ctx, team, window)),
        ("15_party_org_edit", org, lambda: PartyOrgDialog(ctx, org, window)),
    ]
    written = []
    for name, needed, make in dialogs:
        if needed is None:
            continue  # nothing of that kind in this database
        dialog = make()
        dialog.show()
        written.append(_grab(dialog, out / f"{name}.png", app))
        dialog.close()
        dialog.deleteLater()
    bad = PersonDialog(ctx, None, window)
    bad.show()
    bad.edits["name"].setText("张")  # type: ignore[attr-defined]
    bad.edits["id_number"].setText("370402195603011235")  # type: ignore[attr-defined]
    bad.edits["phone"].setText("12345")  # type: ignore[attr-defined]
    bad.save()
    written.append(_grab(bad, out / "16_person_errors.png", app))
    bad.close()
    return written


def _market(window: MainWindow, out: Path, app: QtWidgets.QApplication) -> list[Path]:
    """The 资源与需求 tabs with a card chosen and matched, an order chosen, and their dialogs."""
    from silverdesk.ui.market.certificates import CertificatesDialog
    from silverdesk.ui.market.forms import DemandDialog, ResourceDialog
    from silverdesk.ui.market.order_dialogs import NewOrderDialog, StepDialog, WithdrawDialog
    from silverdesk.ui.market.screen import MarketView

    window.show_screen(SCREENS.index("资源与需求"))
    view = window.screen("资源与需求")
    assert isinstance(view, MarketView)
    ctx, written = window.ctx, []
    shelf = view.shelf
    if shelf.cards:
        shelf.choose("demand", shelf.cards[0].record_id)
        shelf.match()
    written.append(_grab(window, out / "20_market_shelf.png", app))
    shelf.set_kind("resource")
    if shelf.cards:
        shelf.choose("resource", shelf.cards[0].record_id)
        shelf.match()
    written.append(_grab(window, out / "21_market_shelf_resources.png", app))
    shelf.set_kind("demand")
    if shelf.cards:
        shelf.choose("demand", shelf.cards[0].record_id)
        shelf.match()
    view.tabs.setCurrentIndex(1)
    view.orders.status.setCurrentIndex(0)
    written.append(_grab(window, out / "22_market_orders.png", app))
    view.tabs.setCurrentIndex(2)
    written.append(_grab(window, out / "23_market_resources.png", app))
    order = view.orders.current
    dialogs: list[tuple[str, Callable[[], QtWidgets.QDialog]]] = []
    if shelf.cards:
        demand = shelf.cards[0].row
        dialogs.append(
            (
                "24_order_manual",
                lambda: NewOrderDialog(ctx, demand_id=demand.id, demand_title=demand.title, parent=window),
            )
        )
        if shelf.suggestions:
            dialogs.append(
                (
                    "25_order_from_match",
                    lambda: NewOrderDialog(
                        ctx,
                        demand_id=demand.id,
                        demand_title=demand.title,
                        suggestion=shelf.suggestions[0],
                        parent=window,
                    ),
                )
            )
    for n, (step, at) in enumerate((("认领", "发布"), ("签约", "认领"), ("评价", "完成"), ("撤销", "签约"))):
        found = ctx.services.orders.search_ids(OrderFilter(status=at))[:1] or ([order.id] if order else [])
        for order_id in found:
            dialogs.append(
                (f"{26 + n}_order_step_{n}", lambda s=step, o=order_id: StepDialog(ctx, o, s, window))
            )
    for order_id in ctx.services.orders.search_ids(OrderFilter(status="完成"))[:1]:
        dialogs.append(("34_order_withdraw", lambda o=order_id: WithdrawDialog(ctx, o, window)))
    demand_id = shelf.cards[0].record_id if shelf.cards else None
    dialogs += [
        ("30_resource_new", lambda: ResourceDialog(ctx, None, window)),
        ("31_demand_edit", lambda: DemandDialog(ctx, demand_id, window)),
        ("32_certificates", lambda: CertificatesDialog(ctx, window)),
    ]
    for name, make in dialogs:
        dialog = make()
        dialog.show()
        written.append(_grab(dialog, out / f"{name}.png", app))
        if isinstance(dialog, CertificatesDialog):
            dialog.tabs.setCurrentIndex(1)
            for person_id in ctx.services.people.search_ids(PersonFilter())[:3]:
                dialog.add_honoured(person_id, str(ctx.services.people.detail(person_id)["name"]))
            written.append(_grab(dialog, out / "33_certificates_honour.png", app))
        dialog.close()
        dialog.deleteLater()
    return written


def _ratings(window: MainWindow, out: Path, app: QtWidgets.QApplication) -> list[Path]:
    """星级与积分: the rated list, a person's 积分存折, and their dialogs (nothing is written)."""
    from silverdesk.ui.market.points import AwardDialog, PointsDialog
    from silverdesk.ui.market.screen import RATINGS, MarketView
    from silverdesk.ui.market.star_rules import RuleDialog, RuleHistoryDialog
    from silverdesk.ui.market.stars import ManualDialog

    view = window.screen("资源与需求")
    assert isinstance(view, MarketView)
    ctx, written = window.ctx, []
    view.tabs.setCurrentIndex(RATINGS)
    stars, points = view.ratings.stars, view.ratings.points
    year = ctx.services.ctx.today().year
    if not stars.model.rowCount() and ctx.services.stars.rated("volunteer", year - 1):
        stars.year.setValue(year - 1)  # early in a year: show the last one rated
    if stars.model.rowCount():
        stars.table.selectRow(0)
    written.append(_grab(window, out / "40_market_ratings.png", app))
    rated = stars.current_row()
    first = (
        rated.id if rated is not None else next(iter(ctx.services.people.search_ids(PersonFilter())), None)
    )
    view.ratings.tabs.setCurrentWidget(points)
    if first is not None:
        points.choose_person(first, str(ctx.services.people.detail(first)["name"]))
    written.append(_grab(window, out / "41_market_points.png", app))
    dialogs: list[tuple[str, Callable[[], QtWidgets.QDialog]]] = [
        ("42_star_rule", lambda: RuleDialog(ctx, "volunteer", stars.year.value(), 3, window)),
        ("43_star_rule_history", lambda: RuleHistoryDialog(ctx, "volunteer", window)),
        ("44_points_award", lambda: AwardDialog(ctx, window)),
    ]
    if rated is not None:
        dialogs.append(("45_star_manual", lambda: ManualDialog(ctx, rated, window)))
    if first is not None:
        dialogs.append(
            ("46_points_redeem", lambda: PointsDialog(ctx, "兑换", first, points.person_name, window))
        )
    for name, make in dialogs:
        dialog = make()
        dialog.show()
        written.append(_grab(dialog, out / f"{name}.png", app))
        dialog.close()
        dialog.deleteLater()
    view.ratings.tabs.setCurrentWidget(stars)
    return written


def _units(window: MainWindow, out: Path, app: QtWidgets.QApplication) -> list[Path]:
    """The first start's window (a bureau typed, townships pasted) and 设置 › 单位's new-unit dialog."""
    from silverdesk.ui.org.unit_dialogs import NewUnitDialog
    from silverdesk.ui.system.first_run import FirstRunDialog

    welcome = FirstRunDialog(app.windowIcon())
    welcome.name.setText("青山县")
    welcome.units.setPlainText(
        "城关街道\n光明社区\n幸福社区\n龙山镇\n新华村\n青河镇\n县教育局\n县卫生健康局\n和平村"
    )
    welcome.show()
    written = [_grab(welcome, out / "50_first_run.png", app)]
    welcome.close()
    welcome.deleteLater()
    dialog = NewUnitDialog("城关街道", ("社区", "村"), window)
    dialog.name.setText("光明社区")
    dialog.show()
    written.append(_grab(dialog, out / "51_unit_new.png", app))
    dialog.close()
    dialog.deleteLater()
    return written


def _pivot(window: MainWindow, out: Path, app: QtWidgets.QApplication) -> list[Path]:
    """报表 › 分组统计: 志愿者 by age band and sex this year, its chart, and the people behind a figure."""
    from silverdesk.ui.statistics.reports import ReportsView

    window.go_to("报表")
    reports = window.screen("报表")
    assert isinstance(reports, ReportsView)
    pivot = reports.show_pivot()
    pivot.measures.set_checked(["volunteers", "volunteer_party_members"])
    pivot.period.set_kind("year")
    pivot.period.year.setValue(window.ctx.services.ctx.today().year)
    pivot.row_slots[0].set_ref("年龄段")
    pivot.column_slots[0].set_ref("性别")
    pivot.run()
    written = [_grab(window, out / "08b_pivot.png", app)]
    model = pivot.model
    figures = [
        model.index(r, c)
        for r in range(model.rowCount())
        for c in range(model.lead, model.columnCount())
        if model.data(model.index(r, c)) not in ("0", "0.0")
    ]
    if figures:
        pivot.drill(figures[0])
        if pivot.drill_dialog is not None:
            written.append(_grab(pivot.drill_dialog, out / "08c_pivot_drill.png", app))
            pivot.drill_dialog.close()
    reports.tabs.setCurrentIndex(0)
    return written
