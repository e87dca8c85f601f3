import pytest
from PySide6.QtWidgets import QApplication

from silverdesk.ui.fonts import install_app_font


@pytest.fixture(scope="session", autouse=True)
def _app_font(qapp: QApplication) -> None:
    install_app_font(qapp)
