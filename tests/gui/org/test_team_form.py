"""The clerk's path for issue #17: a member taken off a team in the team form (the real main window, its
own threads, a real SQLite file) leaves the past month's report as it was."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import Qt

from silverdesk.services.statistics.periods import month
from silverdesk.services.statistics.reporting import ReportService
from silverdesk.ui.org.team_form import TeamDialog
from tests.gui.test_journeys import Dialog, cell_texts, clerk, shots  # noqa: F401  (fixtures)


def _names(dialog: TeamDialog) -> list[str]:
    table = dialog.members.table
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def test_a_member_removed_in_the_team_form_still_counts_in_last_months_report(clerk, services, county):  # noqa: F811
    names = ("张建国", "李桂兰", "王德明", "赵秀英")
    ids = [services.people.create({"name": n, "unit_id": county["street"]}) for n in names]
    services.teams.create(
        {
            "name": "光明社区银发管家服务队",
            "unit_id": county["street"],
            "founded_on": "2026-01-01",
            "members": [(pid, "队员") for pid in ids],
        }
    )
    october = ReportService(services.ctx).build(month(2026, 10))
    assert october.table1_total.volunteers == 4

    clerk.open()
    screen = clerk.go("队伍")
    clerk.wait(lambda: screen.count_label.text().startswith("共 1 个服务队"))
    assert cell_texts(screen.table, 0)["队员数"] == "4"

    def remove_zhao(dialog: TeamDialog) -> None:
        assert sorted(_names(dialog)) == sorted(names)
        assert not dialog.edits["dissolved_on"].isEnabled()  # a date of 撤销 only for a team 撤销
        table = dialog.members.table
        row = _names(dialog).index("赵秀英")
        clerk.qtbot.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(row, 0)).center()
        )
        clerk.press(Qt.Key.Key_Delete, widget=table)
        assert "赵秀英" not in _names(dialog) and dialog.members.count.text() == "共 3 人"
        clerk.shot("移出队员")
        clerk.press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier, widget=table)  # 保存

    removing = Dialog(TeamDialog, remove_zhao)
    clerk.click_row(screen.table, 0)
    clerk.press(Qt.Key.Key_Return, widget=screen.table)  # Enter opens the team
    removing.check()
    clerk.wait(lambda: cell_texts(screen.table, 0)["队员数"] == "3")

    reports = ReportService(services.ctx)
    assert reports.build(month(2026, 10)).table1_total.volunteers == 4  # October as it was reported
    assert reports.build(month(2026, 12)).table1_total.volunteers == 3  # from December on, three

    def reopened(dialog: TeamDialog) -> None:
        assert sorted(_names(dialog)) == sorted(names[:3])  # current members only
        assert dialog.past_members.isVisible() and "1 条" in dialog.past_members.text()
        dialog.edits["status"].setCurrentText("撤销")
        assert dialog.edits["dissolved_on"].isEnabled()
        clerk.shot("撤销时间")
        dialog.reject()

    again = Dialog(TeamDialog, reopened)
    clerk.click_row(screen.table, 0)
    clerk.press(Qt.Key.Key_Return, widget=screen.table)
    again.check()
    QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
