"""Open any incoming spreadsheet safely and hand back its cells as a plain grid.

Formats are decided by the file's bytes, not its name (see :func:`safety.sniff`): ``.xlsx``/
``.xlsm`` and ``.ods`` go through python-calamine after the zip checks; OLE files (``.xls``) go
through calamine with xlrd as the fallback; text files through :mod:`csvtext`.  Everything
comes back as a :class:`Grid` of Python values (str, float, int, bool, date/datetime; empty
cells are ``None``) with 0-based indexes; callers show Excel row numbers (index + 1).
"""

from __future__ import annotations

import posixpath
import re
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import python_calamine as calamine
from defusedxml import ElementTree as SafeET

from silverdesk.errors import reason_of
from silverdesk.progress import NEVER, CancelToken, Progress, null_progress
from silverdesk.services.importing import csvtext
from silverdesk.services.importing.bulk import gc_paused
from silverdesk.services.importing.grid import Cell, Grid, Merged
from silverdesk.services.importing.odsmerge import ods_merges
from silverdesk.services.importing.safety import (
    MAX_ROWS,
    FileRefused,
    SheetScan,
    check_ole,
    check_zip,
    refuse_corrupt,
    refuse_encrypted,
    refuse_hostile,
    sniff,
    stream_member,
)

MAX_EMPTY_RUN = 1000
"""Reading stops after this many consecutive empty rows (with a warning naming where)."""

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class SheetInfo:
    name: str
    index: int
    visible: bool
    rows_estimate: int | None  # from the sheet's own dimension record where cheap; None if unknown


# ---- public API --------------------------------------------------------------------------
def list_sheets(path: str | Path, *, cancel: CancelToken = NEVER) -> list[SheetInfo]:
    """The sheets of a workbook (one pseudo-sheet for a text file), after the safety checks
    (``cancel`` is checked while they scan the file)."""
    path = Path(path)
    kind = sniff(path)
    if kind == "text":
        return [SheetInfo(path.stem, 0, True, csvtext.count_lines(path))]
    if kind == "html":
        raise _refuse_html()
    estimates: dict[str, int | None] = {}
    if kind == "xlsx":
        with _open_zip(path) as zf:
            check_zip(zf, stream_members=_xlsx_meta_members(zf), cancel=cancel)
            parts = _xlsx_sheet_parts(zf)
            for name, part in parts.items():
                estimates[name] = _xlsx_dimension_rows(zf, part)
    elif kind == "ods":
        with _open_zip(path) as zf:
            check_zip(zf, stream_members={"content.xml", "styles.xml"}, cancel=cancel)
    else:
        check_ole(path, cancel)
    cancel.raise_if_set()
    wb = _calamine_open(path, kind)
    try:
        out = []
        for i, meta in enumerate(wb.sheets_metadata):
            visible = meta.visible == calamine.SheetVisibleEnum.Visible
            out.append(SheetInfo(meta.name, i, visible, estimates.get(meta.name)))
    except BaseException:
        wb.close()
        raise
    _keep_open(path, kind, wb)
    return out


@gc_paused()
def read_sheet(
    path: str | Path,
    sheet: int | str | None = None,
    *,
    progress: Progress = null_progress,
    cancel: CancelToken = NEVER,
    meanwhile: Callable[[], None] | None = None,
) -> Grid:
    """Read one sheet (``None``: the first visible one) into a :class:`Grid`.

    Raises :class:`FileRefused` with a Chinese message for anything it cannot or will not
    read, and :class:`silverdesk.errors.Cancelled` if ``cancel`` is set.  ``meanwhile`` is
    called once the file has passed the safety checks, just before the spreadsheet reader
    parses it (which releases the interpreter lock: work started on another thread then runs
    alongside).
    """
    path = Path(path)
    progress(0, 100, "正在检查文件")
    kind = sniff(path)
    if kind == "text":
        grid = csvtext.read_text_grid(path, progress=progress, cancel=cancel)
        return _finish(grid, grid.rows, progress, cancel)
    if kind == "html":
        raise _refuse_html()
    scan: SheetScan | None = None
    if kind == "xlsx":
        with _open_zip(path) as zf:
            check_zip(zf, stream_members=_xlsx_meta_members(zf), cancel=cancel)
            parts = _xlsx_sheet_parts(zf)
            name = _resolve_sheet_name(list(parts), sheet, _xlsx_visibility(zf))
            scan = SheetScan()
            progress(5, 100, "正在检查工作表")
            stream_member(zf, zf.getinfo(parts[name]), cancel=cancel, scanner=scan)
            scan.check_extent()
            sheet = name  # read exactly the sheet that was scanned
    elif kind == "ods":
        with _open_zip(path) as zf:
            check_zip(zf, stream_members={"content.xml", "styles.xml"}, cancel=cancel)
    else:
        check_ole(path, cancel)
    cancel.raise_if_set()
    progress(15, 100, "正在读取表格")
    if meanwhile is not None:
        meanwhile()
    try:
        grid, raw = _read_calamine(path, kind, sheet)
    except FileRefused:
        raise
    except Exception as exc:  # calamine failed: .xls gets a second chance through xlrd
        if kind != "ole":
            raise refuse_corrupt(reason_of(exc)) from exc
        grid, raw = _read_xlrd(path, sheet, exc)
    if scan is not None:
        grid.hidden_rows, grid.hidden_cols = scan.hidden_rows, scan.hidden_cols
        grid.warnings.extend(_formula_warning(scan.formulas_without_value))
    elif kind == "ole" and grid.source_format == "xls":
        _xls_hidden(path, grid)
    else:
        grid.hidden_known = False
    if kind == "ods" and not grid.merged:  # calamine reports no merges for .ods
        try:
            grid.merged = ods_merges(path, grid.sheet_name)
        except Exception:
            grid.warnings.append("无法读取表中的合并单元格：合并区域只有第一行有值，其余行按空白处理")
    return _finish(grid, raw, progress, cancel)


# ---- shared tail: empties to None, empty-run stop, row cap -------------------------------
def _finish(grid: Grid, raw: list[list[Any]], progress: Progress, cancel: CancelToken) -> Grid:
    """Normalise empties to ``None``, stop after a long empty run, trim trailing blanks."""
    rows: list[list[Any]] = []
    append = rows.append
    empty_run = 0
    last_data = -1
    total = len(raw)
    if total > MAX_ROWS:
        raise refuse_hostile(f"工作表有 {total} 行，超过上限 {MAX_ROWS} 行")
    step = 20000
    for i, row in enumerate(raw):
        if i % step == 0 and i:
            cancel.raise_if_set()
            progress(15 + int(80 * i / total), 100, f"已读取 {i} 行")
        if "" in row:  # C-speed membership test first: most cells are filled
            row = [None if v == "" else v for v in row]
        if row.count(None) != len(row):
            empty_run = 0
            last_data = i
        else:
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                if any(any(v != "" and v is not None for v in r) for r in raw[i + 1 :]):
                    grid.warnings.append(
                        f"第 {last_data + 2} 行至第 {i + 1} 行连续 {MAX_EMPTY_RUN} 行为空，其后的内容没有读取；"
                        "如果下面还有数据，请删除中间的空行后重新导入"
                    )
                break
        append(row)
    del rows[last_data + 1 :]
    grid.rows = rows
    grid.hidden_rows = {r for r in grid.hidden_rows if r < len(rows)}
    if hidden := sorted(r + 1 for r in grid.hidden_rows if any(v is not None for v in rows[r])):
        shown = "、".join(str(n) for n in hidden[:10]) + ("等" if len(hidden) > 10 else "")
        grid.warnings.append(
            f"有 {len(hidden)} 行在原表中被隐藏（第 {shown} 行），仍会读取，请确认是否需要导入"
        )
    progress(100, 100, "读取完成")
    return grid


# ---- calamine ----------------------------------------------------------------------------
_kept_lock = threading.Lock()
_kept: tuple[tuple[str, int, int, str], calamine.CalamineWorkbook] | None = None
"""The workbook :func:`list_sheets` opened, for the :func:`read_sheet` that follows it."""


def _identity(path: Path, kind: str) -> tuple[str, int, int, str]:
    info = path.stat()
    return str(path.resolve()), info.st_size, info.st_mtime_ns, kind


_PARSED_AT_OPEN = frozenset({"ole", "ods"})
"""Formats calamine parses whole when it opens them (an .xlsx sheet is parsed when it is read)."""


def _keep_open(path: Path, kind: str, wb: calamine.CalamineWorkbook) -> None:
    """Keep ``wb`` for the next read of the same, unchanged file when calamine parsed the whole
    file to open it (.xls, .ods: ~0.06 s for 20,000 rows, paid once instead of twice).

    One at a time; such a workbook was read from memory (see :func:`_calamine_open`), so
    keeping it holds no file open.
    """
    global _kept
    try:
        key = _identity(path, kind)
    except OSError:
        key = None
    if key is None or kind not in _PARSED_AT_OPEN:
        wb.close()
        return
    with _kept_lock:
        previous, _kept = _kept, (key, wb)
    if previous is not None:
        previous[1].close()


def release_kept() -> None:
    """Let go of a workbook kept by :func:`list_sheets` that no read will use (the wizard closed)."""
    global _kept
    with _kept_lock:
        kept, _kept = _kept, None
    if kept is not None:
        kept[1].close()


def _open_kept(path: Path, kind: str) -> calamine.CalamineWorkbook:
    """The kept workbook if it is this file, unchanged since (size and modification time), else a new one."""
    global _kept
    with _kept_lock:
        kept, _kept = _kept, None
    if kept is not None:
        try:
            same = kept[0] == _identity(path, kind)
        except OSError:
            same = False
        if same:
            return kept[1]
        kept[1].close()
    return _calamine_open(path, kind)


def _calamine_open(path: Path, kind: str) -> calamine.CalamineWorkbook:
    expected = {"xlsx": (".xlsx", ".xlsm"), "ods": (".ods",), "ole": (".xls",)}[kind]
    try:
        if path.suffix.lower() in expected and kind not in _PARSED_AT_OPEN:
            return calamine.CalamineWorkbook.from_path(str(path))
        # calamine picks its parser by extension; a misnamed file goes in as bytes and is sniffed
        # (and a file parsed whole at opening is read from memory: nothing stays open, see _keep_open)
        with path.open("rb") as fh:
            return calamine.CalamineWorkbook.from_filelike(fh)
    except calamine.PasswordError:
        raise refuse_encrypted() from None
    except Exception as exc:
        if kind == "ole" and _xlrd_says_encrypted(path):
            raise refuse_encrypted() from None
        raise refuse_corrupt(reason_of(exc)) from None


def _read_calamine(path: Path, kind: str, sheet: int | str | None) -> tuple[Grid, list[list[Any]]]:
    wb = _open_kept(path, kind)
    try:
        metas = wb.sheets_metadata
        visible = {m.name: m.visible == calamine.SheetVisibleEnum.Visible for m in metas}
        name = _resolve_sheet_name([m.name for m in metas], sheet, visible)
        try:
            sh = wb.get_sheet_by_name(name)
        except calamine.PasswordError:
            raise refuse_encrypted() from None
        raw = sh.to_python(skip_empty_area=False)
        merged_raw = sh.merged_cell_ranges or []
    finally:
        wb.close()
    merged = [(a[0], a[1], b[0], b[1]) for a, b in merged_raw]
    fmt = {"xlsx": "xlsx", "ods": "ods"}.get(kind, "xls")
    return Grid(name, [], merged=merged, source_format=fmt), raw


# ---- xlrd (fallback for .xls calamine cannot read) ---------------------------------------
def _xlrd_says_encrypted(path: Path) -> bool:
    import xlrd

    try:
        xlrd.open_workbook(str(path), on_demand=True).release_resources()
    except Exception as exc:
        return "encrypt" in str(exc).lower()
    return False


def _read_xlrd(path: Path, sheet: int | str | None, first_error: Exception) -> tuple[Grid, list[list[Any]]]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=False)
    except Exception as exc:
        if "encrypt" in str(exc).lower():
            raise refuse_encrypted() from None
        raise refuse_corrupt(reason_of(first_error)) from None
    try:
        names = book.sheet_names()
        visible = {n: book.sheet_by_name(n).visibility == 0 for n in names}
        name = _resolve_sheet_name(names, sheet, visible)
        sh = book.sheet_by_name(name)
        raw: list[list[Any]] = []
        for r in range(sh.nrows):
            row: list[Any] = []
            for cell in sh.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        serial = cast(float, cell.value)  # a date cell holds its serial number
                        row.append(xlrd.xldate.xldate_as_datetime(serial, book.datemode))
                    except Exception:
                        row.append(cell.value)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append(None)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(bool(cell.value))
                else:
                    row.append(cell.value)
            raw.append(row)
    except FileRefused:
        raise
    except Exception as exc:
        raise refuse_corrupt(reason_of(exc)) from None
    finally:
        book.release_resources()
    return Grid(name, [], source_format="xls"), raw


def _xls_hidden(path: Path, grid: Grid) -> None:
    """Hidden rows/columns (and merges, if calamine gave none) of an .xls sheet.

    calamine reads the values but cannot tell hidden rows; xlrd can, but only with
    ``formatting_info=True``, which parses every cell's format and took 1.6 s of a 4.2 s import
    of a 20,000-row file.  The facts needed are in three small BIFF8 record types of the sheet's
    substream — ROW (hidden flag), COLINFO (hidden flag) and MERGEDCELLS — so
    :func:`_biff8_sheet_facts` walks the record headers of the ``Workbook`` stream itself
    (~0.1 s for the same file) and looks inside nothing else.  Anything it does not expect
    (BIFF5 and older, an odd record, a name it cannot match) sends the file to xlrd's formatting
    pass as before, and if that fails too the grid says hidden rows are unknown.
    """
    try:
        facts = _biff8_sheet_facts(path, grid.sheet_name)
    except Exception:
        facts = None
    if facts is not None:
        grid.hidden_rows, grid.hidden_cols, merged = facts
        if not grid.merged:
            grid.merged = merged
        return
    _xls_hidden_xlrd(path, grid)


def _xls_hidden_xlrd(path: Path, grid: Grid) -> None:
    """The slow, general way: xlrd's formatting pass (best effort)."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=True)
        try:
            sh = book.sheet_by_name(grid.sheet_name)
            grid.hidden_rows = {r for r, info in sh.rowinfo_map.items() if info.hidden}
            grid.hidden_cols = {c for c, info in sh.colinfo_map.items() if info.hidden}
            if not grid.merged:
                grid.merged = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells]
        finally:
            book.release_resources()
    except Exception:
        grid.hidden_known = False


_BIFF_BOF, _BIFF_EOF, _BIFF_BOUNDSHEET = 0x0809, 0x000A, 0x0085
_BIFF_ROW, _BIFF_COLINFO, _BIFF_MERGEDCELLS = 0x0208, 0x007D, 0x00E5
_BIFF_WANTED = frozenset({_BIFF_ROW, _BIFF_COLINFO, _BIFF_MERGEDCELLS, _BIFF_EOF, _BIFF_BOF})


def _biff8_sheet_facts(path: Path, sheet_name: str) -> tuple[set[int], set[int], list[Merged]] | None:
    """(hidden rows, hidden columns, merged ranges) of one sheet, 0-based; ``None``: not handled here."""
    import struct

    from xlrd import compdoc

    data = path.read_bytes()
    if data[:8] != compdoc.SIGNATURE:
        return None
    doc = compdoc.CompDoc(data, logfile=_NullLog())
    mem, base, length = doc.locate_named_stream("Workbook")
    if not mem:
        return None
    end = base + length
    unpack = struct.unpack_from
    rc, size = unpack("<HH", mem, base)
    if rc != _BIFF_BOF or size < 4 or unpack("<H", mem, base + 4)[0] != 0x0600:
        return None  # not BIFF8
    offset = None
    pos = base
    while pos + 4 <= end:  # the workbook globals: find the sheet's BOUNDSHEET
        rc, size = unpack("<HH", mem, pos)
        body = pos + 4
        if rc == _BIFF_BOUNDSHEET:
            sheet_at = unpack("<I", mem, body)[0]
            chars, flags = mem[body + 6], mem[body + 7]
            if flags & ~1:
                return None
            raw = mem[body + 8 : body + 8 + chars * (2 if flags & 1 else 1)]
            name = raw.decode("utf-16-le") if flags & 1 else raw.decode("latin-1")
            if name == sheet_name:
                offset = sheet_at
                break
        elif rc == _BIFF_EOF:
            break
        pos = body + size
    if offset is None:
        return None
    pos = base + offset
    rc, size = unpack("<HH", mem, pos)
    if rc != _BIFF_BOF:
        return None
    hidden_rows: set[int] = set()
    hidden_cols: set[int] = set()
    merged: list[Merged] = []
    pos += 4 + size
    header = struct.Struct("<HH").unpack_from
    wanted = _BIFF_WANTED
    while pos + 4 <= end:
        rc, size = header(mem, pos)
        body = pos + 4
        pos = body + size
        if rc not in wanted:  # cell records, nearly all of them: skipped with one lookup
            continue
        if rc == _BIFF_ROW:
            if size < 16:
                return None
            if unpack("<i", mem, body + 12)[0] & 0x20:
                hidden_rows.add(unpack("<H", mem, body)[0])
        elif rc == _BIFF_COLINFO:
            if size < 10:
                return None
            first, last, _width, _xf, flags = unpack("<HHHHH", mem, body)
            if flags & 1 and first <= last:
                hidden_cols.update(range(first, min(last, 255) + 1))
        elif rc == _BIFF_MERGEDCELLS:
            count = unpack("<H", mem, body)[0]
            if 2 + 8 * count > size:
                return None
            for k in range(count):
                r0, r1, c0, c1 = unpack("<HHHH", mem, body + 2 + 8 * k)
                merged.append((r0, c0, r1, c1))
        elif rc == _BIFF_EOF:
            return hidden_rows, hidden_cols, merged
        elif rc == _BIFF_BOF:  # an embedded substream (chart): not expected in a data sheet
            return None
    return None  # no EOF: truncated


class _NullLog:
    def write(self, _text: str) -> None:
        pass


# ---- xlsx package helpers ----------------------------------------------------------------
def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise refuse_corrupt("压缩结构不完整，可能传输中断") from exc


def _xlsx_meta_members(zf: zipfile.ZipFile) -> set[str]:
    """Members calamine reads on opening a workbook (sheets are checked when read)."""
    names = set(zf.namelist())
    wanted = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}
    wanted |= {n for n in names if n.lower().endswith("sharedstrings.xml")}
    return wanted & names


def _xml(zf: zipfile.ZipFile, name: str) -> Any:
    try:
        data = zf.read(name)
    except KeyError:
        raise refuse_corrupt(f"缺少 {name}") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise refuse_corrupt("压缩数据不完整") from exc
    try:
        return SafeET.fromstring(data)
    except Exception as exc:  # defusedxml refuses DTDs/entities; broken XML is corrupt
        if "DTD" in type(exc).__name__ or "Entit" in type(exc).__name__:
            raise refuse_hostile(f"{name} 含有 DTD/实体声明") from None
        raise refuse_corrupt(f"{name} 不是有效的 XML") from None


def _xlsx_sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → zip member of its XML, in workbook order."""
    wb = _xml(zf, "xl/workbook.xml")
    rels_root = _xml(zf, "xl/_rels/workbook.xml.rels")
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels_root.iter(f"{_NS_PKG}Relationship")}
    out: dict[str, str] = {}
    for sh in wb.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sh.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        member = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )
        if member in zf.NameToInfo:
            out[sh.get("name", "")] = member
    if not out:
        raise refuse_corrupt("工作簿里找不到工作表")
    return out


def _xlsx_visibility(zf: zipfile.ZipFile) -> dict[str, bool]:
    wb = _xml(zf, "xl/workbook.xml")
    return {sh.get("name", ""): sh.get("state", "visible") == "visible" for sh in wb.iter(f"{_NS_MAIN}sheet")}


def _xlsx_dimension_rows(zf: zipfile.ZipFile, member: str) -> int | None:
    """Rows according to the sheet's ``<dimension ref="A1:T101"/>`` (first 8 KB only)."""
    try:
        with zf.open(member) as fh:
            head = fh.read(8192)
    except Exception:
        return None
    m = _DIMENSION.search(head)
    if not m:
        return None
    first = int(m.group(2))
    last = int(m.group(4) or m.group(2))
    return max(0, last - first + 1)


def _resolve_sheet_name(names: list[str], sheet: int | str | None, visible: dict[str, bool]) -> str:
    if not names:
        raise refuse_corrupt("工作簿里没有工作表")
    if sheet is None:
        return next((n for n in names if visible.get(n, True)), names[0])
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        if 0 <= sheet < len(names):
            return names[sheet]
        raise FileRefused(f"文件只有 {len(names)} 个工作表，没有第 {sheet + 1} 个", code="no_sheet")
    if sheet in names:
        return sheet
    raise FileRefused(f"文件中没有名为“{sheet}”的工作表（现有：{'、'.join(names)}）", code="no_sheet")


def _refuse_html() -> FileRefused:
    return FileRefused(
        "这个文件其实是网页（HTML）格式，只是扩展名为表格；请用 Excel/WPS 打开后“另存为”.xlsx 再导入",
        code="unsupported",
    )


__all__ = ["MAX_EMPTY_RUN", "Cell", "FileRefused", "Grid", "Merged", "SheetInfo", "list_sheets", "read_sheet"]


def _formula_warning(count: int) -> list[str]:
    """The warning for formula cells whose result the file does not hold (read as empty)."""
    if not count:
        return []
    return [
        f"表中有 {count} 个公式单元格没有保存计算结果（文件多由其他软件生成、未在 Excel/WPS 中保存过），"
        "这些单元格按空白读取；请在 Excel 或 WPS 中打开该文件、保存后再导入"
    ]
