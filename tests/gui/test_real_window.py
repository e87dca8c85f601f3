"""The installed ``silverdesk`` command opens a real X11 window (the xcb platform plugin with the
Debian libraries the README lists), not only an offscreen one.

Needs Xvfb and xwininfo (Debian: xvfb, x11-utils; .ci/run installs them); skipped without them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from silverdesk.services import demo

COMMAND = Path(sys.executable).with_name("silverdesk")  # the console script pip installed in this venv
XVFB, XWININFO = shutil.which("Xvfb"), shutil.which("xwininfo")
pytestmark = pytest.mark.skipif(
    not (XVFB and XWININFO and COMMAND.exists()),
    reason="needs Xvfb and xwininfo (xvfb, x11-utils) and the installed command",
)


@pytest.fixture
def display() -> Iterator[str]:
    """A virtual 1366 × 768 screen (a common office laptop), on a display number Xvfb picks."""
    read, write = os.pipe()
    server = subprocess.Popen(
        [XVFB, "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    yield f":{number}"
    server.terminate()
    server.wait(10)


def app_env(display: str, **extra: str) -> dict[str, str]:
    env = dict(
        os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", SILVERDESK_OPERATOR="王德明", LANG="C.UTF-8"
    )
    env.pop("SILVERDESK_QUIT_AFTER_PAINT", None)
    return env | extra


def main_window(display: str) -> tuple[str, int, int] | None:
    """The main window's X id, width and height as the X server knows it, if it is there."""
    tree = subprocess.run(
        [XWININFO, "-root", "-tree", "-display", display],
        capture_output=True,
        text=True,
        env=dict(os.environ, LANG="C.UTF-8"),
    ).stdout
    found = re.search(
        r'(0x[0-9a-f]+) "银龄志愿服务管理 silverdesk [^"]*": \("silverdesk" "silverdesk"\)\s+(\d+)x(\d+)',
        tree,
    )
    return (found[1], int(found[2]), int(found[3])) if found else None


@pytest.fixture
def demo_db(services, db_path) -> Path:
    demo.generate(services.ctx, people=60, activities=300)
    services.close()
    return db_path


def test_the_installed_command_opens_its_window_under_x11(display, demo_db):
    app = subprocess.Popen(
        [COMMAND, "gui", "--db", str(demo_db)],
        env=app_env(display),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline, window, state = time.monotonic() + 60, None, ""
        # the window is listed a moment before it is mapped: wait for both (a race under load)
        while "Map State: IsViewable" not in state and app.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            window = main_window(display)
            if window is not None:
                state = subprocess.run(
                    [XWININFO, "-id", window[0], "-display", display], capture_output=True, text=True
                ).stdout
        if window is None:
            app.kill()
            pytest.fail(
                f"no main window on the X display; the app said: {app.communicate(timeout=20)[1][-2000:]}"
            )
        _wid, width, height = window
        assert "Map State: IsViewable" in state
        assert 800 <= width <= 1366 and 500 <= height <= 768, "the window fits the screen"
    finally:
        if app.poll() is None:
            app.terminate()
        app.communicate(timeout=20)


def test_the_installed_command_reports_its_first_paint(display, demo_db):
    """What bench/bench_gui.py times: a new process of the installed command, to its painted window."""
    started = time.time()
    done = subprocess.run(
        [COMMAND, "gui", "--db", str(demo_db)],
        capture_output=True,
        text=True,
        timeout=120,
        env=app_env(display, SILVERDESK_QUIT_AFTER_PAINT="1"),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    painted = float(re.search(r"^painted (\d+\.\d+)$", done.stdout, re.M)[1])
    assert started < painted < time.time()
