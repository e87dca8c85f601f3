"""Render every main screen and form to PNG (``silverdesk screenshot``), for review and the manual.

Runs offscreen on the given database with the synchronous task runner, so each screen is
complete when it is grabbed.  Forms are shown with the first record of their kind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from silverdesk.services.activities import ActivityFilter
from silverdesk.services.hub import Services
from silverdesk.services.people import PersonFilter
from silverdesk.ui.main_window import SCREENS, MainWindow
from silverdesk.ui.settings import UiState
from silverdesk.ui.tasks import SyncTaskRunner

FILE_NAMES = {"首页": "01_dashboard", "人员": "02_people", "队伍": "03_teams", "党组织": "04_party_orgs",
              "活动": "05_activities", "资源与需求": "06_market", "导入": "07_imports", "报表": "08_reports",
              "设置": "09_settings"}
# the 设置 screen's other tabs (its first tab, 本单位, is 09_settings)
SETTINGS_TABS = {"可维护的列表": "09b_settings_lists", "备份与恢复": "09c_settings_backups",
                 "操作日志": "09d_settings_audit", "安全": "09e_settings_security"}


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
    written += _forms(window, services, out, app)
    window.close()
    return written


def _forms(window: MainWindow, services: Services, out: Path, app: QtWidgets.QApplication) -> list[Path]:
    from silverdesk.ui.views.activity_form import ActivityDialog
    from silverdesk.ui.views.party_org_form import PartyOrgDialog
    from silverdesk.ui.views.person_form import PersonDialog
    from silverdesk.ui.views.team_form import TeamDialog

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
