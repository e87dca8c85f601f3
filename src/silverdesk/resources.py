"""Where the shipped resources (fonts, icons, report layouts) are.

In a wheel they are packaged as ``silverdesk/resources``; in a source checkout (editable install,
tests) they are the repository's top-level ``resources/`` folder.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "resources", here.parent.parent / "resources"):
        if (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError("找不到程序资源目录 resources/（安装不完整，请重新安装 silverdesk）")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


FONT_REGULAR = ("fonts", "LXGWWenKai-Regular.ttf")
FONT_BOLD = ("fonts", "LXGWWenKai-Bold.ttf")
