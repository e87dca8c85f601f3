"""Checks that run *before* a spreadsheet library touches an incoming file.

Units send whatever they have, and some files are broken, encrypted or (rarely, but it only
takes one) hostile.  calamine and xlrd are fast but trust their input: calamine allocates a
dense cell grid from the furthest cell it sees (one value in ``XFD1048576`` means 17 billion
cells) and decompresses whatever the zip says.  So every file is sniffed by its bytes, zip
members are streamed with a byte budget, XML members are refused if they declare a DTD, and the
target worksheet's XML is scanned once (in C-speed regex passes over decompressed chunks) for
hidden rows/columns and for its true extent.  All of this runs in bounded memory.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from silverdesk.errors import UserError, with_reason
from silverdesk.progress import NEVER, CancelToken

# ---- documented limits -------------------------------------------------------------------
MAX_FILE_BYTES = 200 * 1024 * 1024
"""Files larger than this are refused outright (a county roster is a few MB)."""
MAX_MEMBER_BYTES = 400 * 1024 * 1024
"""Decompressed size of any one zip member (measured while streaming, not trusted from headers)."""
MAX_TOTAL_UNCOMPRESSED = 500 * 1024 * 1024
"""Sum of declared decompressed sizes of all members."""
MAX_RATIO = 200
"""Compression ratio above which a member counts as a zip bomb once it is also large."""
RATIO_MIN_BYTES = 50 * 1024 * 1024
"""A member must decompress to at least this much before its ratio matters (tiny XML compresses well)."""
MAX_ROWS = 1_100_000
"""Row cap: above Excel's own limit (1,048,576), so only a crafted file reaches it."""
MAX_CELLS = 15_000_000
"""Dense cells (rows × columns up to the furthest value) a sheet may span; calamine allocates ~32 bytes each."""

_CHUNK = 4 * 1024 * 1024


class FileRefused(UserError):
    """The file cannot be read.  ``code`` is one of ``corrupt``, ``encrypted``, ``hostile``,
    ``empty``, ``no_rows``, ``unsupported``, ``too_large``; the message tells the clerk what to do."""

    code = "refused"


def refuse_corrupt(detail: str = "") -> FileRefused:
    extra = f"（{detail}）" if detail else ""
    return FileRefused(
        f"文件已损坏或不是有效的表格文件{extra}；请让报送单位用 Excel 或 WPS 打开确认后重新另存发送",
        code="corrupt",
    )


def refuse_encrypted() -> FileRefused:
    return FileRefused(
        "文件设置了打开密码，无法读取；请在 Excel/WPS 中打开并取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后另存再导入",
        code="encrypted",
    )


def refuse_hostile(detail: str) -> FileRefused:
    return FileRefused(
        f"文件结构异常，为安全起见已拒绝读取（{detail}）；请让报送单位用 Excel 或 WPS 重新另存为 .xlsx 后发送",
        code="hostile",
    )


def refuse_no_rows(sheet_name: str) -> FileRefused:
    """A header and nothing under it: importing it would only record an empty batch."""
    where = f"工作表“{sheet_name}”" if sheet_name else "表格"
    return FileRefused(
        f"{where}只有表头，没有数据行，没有导入任何内容；请确认选对了文件和工作表，填好数据后再导入",
        code="no_rows",
    )


# ---- sniffing ----------------------------------------------------------------------------
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def sniff(path: Path) -> str:
    """The real format from the first bytes: ``xlsx``, ``ods``, ``ole``, ``text``, ``html``.

    The extension is only a hint: .xls files that are really .xlsx (or HTML exported by some
    web system) are common.  Raises :class:`FileRefused` for empty, unknown or binary junk.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(65536)
    except FileNotFoundError:
        raise FileRefused(f"找不到文件“{path.name}”", code="not_found") from None
    except OSError as exc:
        raise FileRefused(f"无法打开文件“{path.name}”{with_reason(exc)}", code="unreadable") from None
    if size == 0 or not head.strip(b" \t\r\n\x00"):
        raise FileRefused(
            "文件是空的（0 字节或没有任何内容）；请确认报送单位发来的文件是否完整", code="empty"
        )
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            f"文件太大（{size / 1024 / 1024:.0f} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）；请拆分后分批导入",
            code="too_large",
        )
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path)
    if head.startswith(OLE_MAGIC):
        return "ole"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta", b"mime-version")):
        return "html"
    if _looks_like_text(head):
        return "text"
    raise refuse_corrupt("无法识别的文件内容")


BINARY_CONTROL_SHARE = 0.01
"""A text file whose first 4 KiB hold more control bytes (NUL …) than this share is binary.  A few
stray ones (a NUL pasted into a cell, anywhere in the file) leave it a text file: the reader
removes them with a warning, see :mod:`.csvtext`."""


def utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when ``head`` is UTF-16 text saved without a byte-order
    mark (every ASCII character — commas, digits, line breaks — has a NUL byte on the same side),
    else ``None``."""
    sample = head[: 4096 & ~1] if len(head) >= 4096 else head[: len(head) & ~1]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= pairs * 0.2 and others <= zeros * 0.1:
            try:
                sample.decode(encoding)
            except UnicodeDecodeError as exc:
                if exc.start < len(sample) - 4:  # not only a surrogate pair cut at the end
                    return None
            return encoding
    return None


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 with BOM ("Unicode 文本" saved from Excel)
    if utf16_without_bom(head):
        return True
    sample = head[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > max(16, len(sample) * BINARY_CONTROL_SHARE):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # cut in the middle of a character
                return True
    return controls == 0


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
                    raise FileRefused(
                        "这是 Excel 二进制工作簿（.xlsb），暂不支持；请另存为 .xlsx 后再导入",
                        code="unsupported",
                    )
                return "xlsx"
            if "content.xml" in names and (
                "mimetype" not in names or b"spreadsheet" in zf.read("mimetype")[:200]
            ):
                return "ods"
            if "word/document.xml" in names:
                raise FileRefused("这是 Word 文档，不是表格；请发送 Excel/WPS 表格文件", code="unsupported")
            if "content.xml" in names:
                raise FileRefused("这是 OpenDocument 文字或演示文档，不是表格", code="unsupported")
    except zipfile.BadZipFile as exc:
        raise refuse_corrupt("压缩结构不完整，可能传输中断") from exc
    except (OSError, EOFError, ValueError, KeyError, NotImplementedError) as exc:
        raise refuse_corrupt("压缩结构不完整") from exc
    raise FileRefused("压缩包里没有表格（不是 .xlsx 或 .ods）；请直接发送表格文件", code="unsupported")


def check_ole(path: Path, cancel: CancelToken = NEVER) -> None:
    """Refuse an OLE compound file that wraps an encrypted OOXML package.

    An Excel file with an opening password is not a zip at all but an OLE container holding
    ``EncryptionInfo`` and ``EncryptedPackage`` streams; their directory entries carry the
    names in UTF-16.  A chunked byte scan finds them without an OLE parser.
    """
    overlap = len(_ENCRYPTED_PACKAGE)
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            cancel.raise_if_set()
            if _ENCRYPTED_PACKAGE in tail + chunk:
                raise refuse_encrypted()
            tail = chunk[-overlap:]


# ---- zip members -------------------------------------------------------------------------
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def check_zip(zf: zipfile.ZipFile, *, stream_members: set[str], cancel: CancelToken = NEVER) -> None:
    """Refuse zip bombs and XML with DTDs among the members a reader will open.

    Declared sizes are checked for every member; the members in ``stream_members`` are also
    decompressed in chunks (nothing kept) so a lying header cannot get past.
    """
    infos = zf.infolist()
    total = 0
    for info in infos:
        total += info.file_size
        if info.flag_bits & 0x1:
            raise refuse_encrypted()
        if info.file_size > MAX_MEMBER_BYTES:
            raise refuse_hostile(f"{info.filename} 解压后达 {info.file_size // 1024 // 1024} MB")
        if info.file_size >= RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refuse_hostile(f"{info.filename} 压缩比异常（疑似压缩炸弹）")
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise refuse_hostile(f"解压后总计 {total // 1024 // 1024} MB，超过上限")
    for info in infos:
        if info.filename in stream_members:
            stream_member(zf, info, cancel=cancel)


def stream_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    cancel: CancelToken = NEVER,
    scanner: SheetScan | None = None,
) -> None:
    """Decompress one member in chunks: DTD check on its prolog, real byte budget, optional scan."""
    produced = 0
    first = True
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                cancel.raise_if_set()
                produced += len(chunk)
                if first:
                    first = False
                    if _DTD.search(chunk[:65536]):
                        raise refuse_hostile(f"{info.filename} 含有 DTD/实体声明")
                if produced > MAX_MEMBER_BYTES or (
                    produced >= RATIO_MIN_BYTES and produced > MAX_RATIO * max(info.compress_size, 1)
                ):
                    raise refuse_hostile(f"{info.filename} 解压后体积异常（疑似压缩炸弹）")
                if scanner is not None:
                    scanner.feed(chunk)
    except zipfile.BadZipFile as exc:
        raise refuse_corrupt("压缩数据校验失败") from exc
    except (EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise refuse_corrupt("压缩数据不完整") from exc
    if scanner is not None:
        scanner.finish()


# ---- worksheet XML scan ------------------------------------------------------------------
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_R_ATTR = re.compile(rb"\br=\"(\d+)\"")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b([^>]*?)/?>")
_ATTR = re.compile(rb"(\w+)=\"([^\"]*)\"")
# Only references that matter: a column beyond Z, or a row past 999,999.  Per-match regex work
# over millions of cells is too slow in Python, so the chunk is first folded (letters → A,
# digits → 0, white space → blank) and plain ``bytes.find`` looks for the few shapes that matter.
_FOLD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\t\r\n", b"A" * 26 + b"0" * 10 + b"   ")
_WIDE_NEEDLE = b' r="AA'  # a reference to column AA or beyond
_DEEP_NEEDLE = b'0000000"'  # an attribute number of 7+ digits: a row/cell reference past 999,999
_REF_AT = re.compile(rb'\s*r="([A-Z]{0,3})(\d+)"')
_HIDDEN = b'hidden="'
_NO_RESULT = (b"</f></c>", b"</f><v/></c>", b"</f><v /></c>", b"</f><v></v></c>", b'"/></c>')
"""A formula closed without a cached value (``<f>…</f></c>``, openpyxl's ``<v />``, a shared
formula ``<f t="shared" si="0"/></c>``): files written by programs that never calculated them."""


def col_to_index(letters: bytes | str) -> int:
    """``A`` → 0, ``Z`` → 25, ``AA`` → 26."""
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + (ord(ch) - 64)
    return n - 1


@dataclass
class SheetScan:
    """What one pass over a worksheet's XML tells: hidden rows/columns and the true extent."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    last_row: int = 0  # 0-based index of the last <row> element seen
    max_row: int = 0  # furthest row index named anywhere (styled empty rows included)
    value_row: int = 0  # last row holding a value: the reader's grid extends this far
    max_col: int = 25  # furthest column index holding a value (at least Z: the scan only sees beyond)
    formulas_without_value: int = 0  # formula cells with no stored result: the reader sees them empty
    _carry: bytes = b""
    _row_before: int = 0  # last <row> seen in earlier chunks (a value may sit in a row opened there)
    _in_data: bool = False
    _prefixed: bool | None = (
        None  # elements written with a namespace prefix (<x:row>)  # past the <sheetData> start: no more <col> elements
    )

    def feed(self, chunk: bytes) -> None:
        data = self._carry + chunk
        cut = data.rfind(b"<")
        if cut == -1:
            self._carry = b""
        else:
            self._carry, data = data[cut:], data[:cut]
            if len(self._carry) > 65536:  # a tag cannot be that long: junk, don't hoard it
                self._carry = b""
        self._scan(data)

    def finish(self) -> None:
        self._scan(self._carry)
        self._carry = b""

    def _scan(self, data: bytes) -> None:
        find = data.find
        pos = find(_HIDDEN)
        while pos != -1:
            if data.startswith((b'1"', b'true"'), pos + 8):
                start = data.rfind(b"<", 0, pos)
                name = data[start + 1 : start + 12].split(None, 1)[0].split(b":")[-1]
                if name == b"row":
                    r = _R_ATTR.search(data, start, pos)
                    r = r or _R_ATTR.search(data, pos, find(b">", pos))
                    if r:
                        self.hidden_rows.add(int(r.group(1)) - 1)
            pos = find(_HIDDEN, pos + 8)
        if not self._in_data:
            end = find(b"sheetData")
            if end != -1:
                self._in_data = True
            for m in _COL_TAG.finditer(data, 0, len(data) if end == -1 else end):
                attrs = dict(_ATTR.findall(m.group(1)))
                if attrs.get(b"hidden") in (b"1", b"true"):
                    lo = int(attrs.get(b"min", b"1") or 1)
                    hi = min(int(attrs.get(b"max", b"1") or 1), 16384)
                    self.hidden_cols.update(range(lo - 1, hi))
        if data.find(b"</f>") != -1 or data.find(b"<f ") != -1:
            self.formulas_without_value += sum(map(data.count, _NO_RESULT))
        folded = data.translate(_FOLD)
        pos = folded.find(_WIDE_NEEDLE)
        while pos != -1:
            self._far_ref(data, pos)
            pos = folded.find(_WIDE_NEEDLE, pos + 4)
        pos = folded.find(_DEEP_NEEDLE)
        while pos != -1:
            start = folded.rfind(b' r="', max(0, pos - 8), pos)
            if start != -1:
                self._far_ref(data, start)
            pos = folded.find(_DEEP_NEEDLE, pos + 8)
        if self._prefixed is None:
            self._prefixed = re.search(rb"<\w+:worksheet\b", data[:4096]) is not None
        prefixed = self._prefixed
        last = data.rfind(b"<row ")
        if last == -1 and prefixed:
            last = data.rfind(b":row ")
        if last != -1:
            row_tag = _ROW_TAG.match(data, data.rfind(b"<", 0, last + 1))
            if row_tag:
                r = _R_ATTR.search(row_tag.group(1))
                if r:
                    self.last_row = max(self.last_row, int(r.group(1)) - 1)
        value_at = max(data.rfind(b"<v>"), data.rfind(b"<is>"))
        if prefixed:
            value_at = max(value_at, data.rfind(b":v>"), data.rfind(b":is>"))
        if value_at != -1:
            row_at = data.rfind(b"<row ", 0, value_at)
            if prefixed:
                row_at = max(row_at, data.rfind(b":row ", 0, value_at))
            r = _R_ATTR.search(data, row_at, data.find(b">", row_at)) if row_at != -1 else None
            self.value_row = max(self.value_row, int(r.group(1)) - 1 if r else self._row_before)
        self.max_row = max(self.max_row, self.last_row)
        self._row_before = self.last_row

    def _far_ref(self, data: bytes, pos: int) -> None:
        m = _REF_AT.match(data, pos)
        if not m:
            return
        letters, digits = m.group(1), m.group(2)
        row = int(digits) - 1
        tag_start = data.rfind(b"<", 0, pos)
        name = data[tag_start + 1 : pos + 1].split(None, 1)[0].split(b":")[-1] if tag_start != -1 else b""
        if name == b"row":
            self.max_row = max(self.max_row, row)
            return
        if name != b"c":
            return
        close = data.find(b">", m.end())
        if close == -1 or data[close - 1 : close] == b"/":
            return  # self-closing: a styled empty cell, which the reader skips
        self.max_row = max(self.max_row, row)
        self.value_row = max(self.value_row, row)
        if len(letters) >= 2:
            self.max_col = max(self.max_col, col_to_index(letters))

    def check_extent(self) -> None:
        """Refuse a sheet whose extent would make the reader allocate an absurd grid."""
        if self.max_row + 1 > MAX_ROWS:
            raise refuse_hostile(f"工作表声明了 {self.max_row + 1} 行，超过上限 {MAX_ROWS} 行")
        rows = self.value_row + 1
        cols = self.max_col + 1
        if rows * cols > MAX_CELLS:
            raise FileRefused(
                f"工作表的内容范围太大（{rows} 行 × {cols} 列）：可能在很远的行或列（如第 {cols} 列）误填了内容；"
                "请删除表格右侧和下方多余的行列后另存再导入",
                code="too_large",
            )
