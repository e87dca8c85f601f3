"""Builders for the reader tests: every workbook is generated here, in the test's tmp_path.

Hand-built packages (``write_xlsx_xml``) exist because openpyxl cannot write what we need to
test: cached formula values, DTDs, lying zip headers, a million styled rows in seconds.
"""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from silverdesk.domain.idcard import make_id_number

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def col_letter(index: int) -> str:
    n, out = index + 1, ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_xml(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def rows_xml(rows: list[list[object]], start: int = 1) -> str:
    out = []
    for r, row in enumerate(rows, start=start):
        cells = "".join(cell_xml(f"{col_letter(c)}{r}", v) for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def write_xlsx_xml(
    path: Path,
    sheet_body: str | Iterable[bytes],
    *,
    workbook: str = WORKBOOK,
    extra: dict[str, str] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A minimal package around a hand-written worksheet.  ``sheet_body`` is the XML inside
    ``<worksheet>`` (a string) or an iterable of complete sheet XML chunks (streamed)."""
    with zipfile.ZipFile(path, "w", compression) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, text in (extra or {}).items():
            zf.writestr(name, text)
        if isinstance(sheet_body, str):
            zf.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD + sheet_body + "</worksheet>")
        else:
            with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
                for chunk in sheet_body:
                    fh.write(chunk)
    return path


def write_ole(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal OLE compound file (v3, 512-byte sectors, no mini stream: streams padded to 4 KB)."""
    sector = 512
    data_sectors: list[bytes] = []
    entries = []
    next_sector = 2  # 0 = FAT, 1 = directory
    fat = [0xFFFFFFFD, 0xFFFFFFFE]
    for name, payload in streams.items():
        padded = payload + b"\x00" * (max(4096, -(-len(payload) // sector) * sector) - len(payload))
        count = len(padded) // sector
        entries.append((name, next_sector, len(padded)))
        fat.extend([*range(next_sector + 1, next_sector + count), 0xFFFFFFFE])
        data_sectors.append(padded)
        next_sector += count
    assert len(fat) <= 128, "test OLE writer handles one FAT sector"
    fat += [0xFFFFFFFF] * (128 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int, right: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBBIII", len(raw), kind, 1, 0xFFFFFFFF, right, child)
            + b"\x00" * 16
            + b"\x00" * 4
            + b"\x00" * 16
            + struct.pack("<III", start, size, 0)
        )

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, 1 if entries else 0xFFFFFFFF, 0xFFFFFFFF)
    for i, (name, start, size) in enumerate(entries, start=1):
        directory += entry(name, 2, start, size, 0xFFFFFFFF, i + 1 if i < len(entries) else 0xFFFFFFFF)
    directory = directory.ljust(sector, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", 0xFFFFFFFF) * 108
    )
    assert len(header) == 512
    path.write_bytes(header + struct.pack("<128I", *fat) + directory + b"".join(data_sectors))
    return path


def biff_record(rtype: int, payload: bytes = b"") -> bytes:
    return struct.pack("<HH", rtype, len(payload)) + payload


def roster_records(n: int = 3) -> list[list[object]]:
    """Valid roster records: name, gender, birth date, ID number (text), phone."""
    out: list[list[object]] = []
    for i in range(n):
        birth = dt.date(1950 + i % 20, 1 + i % 12, 1 + i % 28)
        male = i % 2 == 0
        out.append(
            [f"张{'一二三四五六七八九十'[i % 10]}{'甲乙丙丁'[i % 4]}", "男" if male else "女", birth,
             make_id_number("370102", birth, 100 + 2 * i + (1 if male else 0)), f"138{i:08d}"]
        )  # fmt: skip
    return out
