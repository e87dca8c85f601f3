"""Fonts for the PDF: the office's own official fonts when installed, else the shipped font.

Official documents use 仿宋_GB2312 for body text, 方正小标宋 for titles and 黑体 for headings
(GB/T 9704 habits).  When such TrueType files are installed (Windows ``Fonts``, UOS/Kylin
``/usr/share/fonts`` …) they are used; whatever is missing falls back to the shipped OFL font
LXGW WenKai (Regular/Bold), which also covers rare characters (𠮷, 䶮 …) that the official fonts
lack: :meth:`FontSet.markup` switches such characters to the fallback font, so every character
prints.  Registration is cached: the first call costs ~0.4 s (parsing the TTF files), later ones nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from silverdesk.resources import FONT_BOLD, FONT_REGULAR, resource_path

# Candidate file names (compared case-insensitively), best first.
BODY_FILES = ("仿宋_GB2312.ttf", "FangSong_GB2312.ttf", "simfang.ttf", "FangSong.ttf", "STFANGSO.TTF")
TITLE_FILES = (
    "方正小标宋简体.ttf",
    "方正小标宋_GBK.ttf",
    "FZXBSJW.TTF",
    "FZXBSK.TTF",
    "FZXiaoBiaoSong-B05S.ttf",
)
HEADING_FILES = ("simhei.ttf", "黑体.ttf", "SimHei.ttf")

FALLBACK = "SD-WenKai"
FALLBACK_BOLD = "SD-WenKai-Bold"
_MAX_FILES_SCANNED = 50_000


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode CMap, but with characters outside the BMP as UTF-16 surrogate pairs.

    reportlab 5.1 writes ``<20BB7>`` for 𠮷, which is not valid (odd-length UTF-16), so text
    extraction, search and copy-paste lose every such character.  BMP output is unchanged.
    """
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def system_font_dirs() -> list[Path]:
    """Where Windows, Linux (incl. UOS/Kylin, WPS) and macOS keep fonts."""
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    home = Path.home()
    dirs += [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local" / "share" / "fonts",
        Path("/opt/kingsoft/wps-office/office6/fonts"),
        Path("/Library/Fonts"),
        home / "Library" / "Fonts",
        Path("/System/Library/Fonts/Supplemental"),
    ]
    return dirs


def find_font_files(dirs: Iterable[Path], names: Sequence[str]) -> list[Path]:
    """Files in ``dirs`` (recursively, bounded) whose names match ``names``, in ``names`` order."""
    wanted = {n.lower(): i for i, n in enumerate(names)}
    found: list[tuple[int, Path]] = []
    scanned = 0
    for root in dirs:
        if not root.is_dir():
            continue
        for dirpath, _dirnames, filenames in os.walk(root):
            scanned += len(filenames)
            for name in filenames:
                rank = wanted.get(name.lower())
                if rank is not None:
                    found.append((rank, Path(dirpath) / name))
            if scanned > _MAX_FILES_SCANNED:
                break
    return [p for _, p in sorted(found, key=lambda item: item[0])]


@cache
def _load(name: str, path: str) -> TTFont | None:
    """Register ``path`` as ``name``; None if reportlab refuses it (CFF outlines, damaged file …)."""
    try:
        font = TTFont(name, path)
    except Exception:  # reportlab raises TTFError and assorted struct/IO errors for unusable files
        return None
    pdfmetrics.registerFont(font)
    return font


@dataclass(frozen=True)
class FontSet:
    """Registered reportlab font names for each role, and the font files they came from."""

    body: str
    bold: str
    title: str
    heading: str
    fallback: str = FALLBACK
    fallback_bold: str = FALLBACK_BOLD
    files: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def covers(self, font_name: str, ch: str) -> bool:
        font = pdfmetrics.getFont(font_name)
        face = getattr(font, "face", None)
        return face is None or ord(ch) in face.charToGlyph

    def markup(self, text: str, font_name: str | None = None) -> str:
        """``text`` escaped for a Paragraph in ``font_name``; characters it lacks use the fallback."""
        font_name = font_name or self.body
        fallback = self.fallback_bold if font_name in (self.bold, self.fallback_bold) else self.fallback
        if font_name in (self.fallback, self.fallback_bold):
            return escape(text)
        out: list[str] = []
        run: list[str] = []
        for ch in text:
            if ch in "\n\r\t " or self.covers(font_name, ch):
                if run:
                    out.append(f'<font name="{fallback}">{escape("".join(run))}</font>')
                    run = []
                out.append(escape(ch))
            else:
                run.append(ch)
        if run:
            out.append(f'<font name="{fallback}">{escape("".join(run))}</font>')
        return "".join(out)


def _pick(role: str, names: Sequence[str], dirs: Sequence[Path]) -> tuple[str, str] | None:
    for path in find_font_files(dirs, names):
        if path.suffix.lower() != ".ttf":
            continue
        reg_name = f"SD-{role}-{path.stem}"
        if _load(reg_name, str(path)) is not None:
            return reg_name, path.name
    return None


@cache
def register_fonts(search_dirs: tuple[Path, ...] | None = None) -> FontSet:
    """Register and return the report fonts.

    ``search_dirs`` None means :func:`system_font_dirs`; ``()`` uses only the shipped font
    (reproducible output, e.g. for tests).
    """
    if (
        _load(FALLBACK, str(resource_path(*FONT_REGULAR))) is None
        or _load(FALLBACK_BOLD, str(resource_path(*FONT_BOLD))) is None
    ):
        raise RuntimeError("shipped font LXGW WenKai could not be loaded")
    pdfmetrics.registerFontFamily(
        FALLBACK, normal=FALLBACK, bold=FALLBACK_BOLD, italic=FALLBACK, boldItalic=FALLBACK_BOLD
    )
    dirs = tuple(system_font_dirs()) if search_dirs is None else search_dirs
    files = {"fallback": Path(resource_path(*FONT_REGULAR)).name}
    chosen: dict[str, str] = {}
    for role, names in (("body", BODY_FILES), ("title", TITLE_FILES), ("heading", HEADING_FILES)):
        picked = _pick(role, names, dirs) if dirs else None
        if picked:
            chosen[role], files[role] = picked
    body = chosen.get("body", FALLBACK)
    heading = chosen.get("heading", FALLBACK_BOLD)
    return FontSet(
        body=body,
        bold=heading if "heading" in chosen else FALLBACK_BOLD,
        title=chosen.get("title", heading),
        heading=heading,
        files=files,
    )
