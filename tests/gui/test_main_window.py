from PySide6.QtGui import QFontInfo

from silverdesk.ui.main_window import SCREENS, MainWindow


def test_main_window_shows_navigation_and_database(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == list(SCREENS)
    assert str(services.ctx.db.path) in window.statusBar().currentMessage()


def test_shipped_font_is_the_application_font(qtbot, services):
    window = MainWindow(services)
    qtbot.addWidget(window)
    assert "WenKai" in QFontInfo(window.font()).family() or "文楷" in QFontInfo(window.font()).family()
