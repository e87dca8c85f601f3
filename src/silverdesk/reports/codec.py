"""ReportData ⇄ plain JSON-able dicts, strictly typed both ways.

Used for the hidden ``_silverdesk`` sheet of a report workbook, so that the level above can
import the figures exactly.  Decoding checks every field's type and raises :class:`ValueError`
with the path of the first bad value; callers turn that into a user-facing message.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any

from silverdesk.reports.model import ReportData


def to_plain(value: Any) -> Any:
    """Dataclasses → dicts, tuples → lists, dates → ISO strings; everything else as is."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _from_plain(tp: Any, raw: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(tp)
        if raw is None and type(None) in options:
            return None
        inner = [o for o in options if o is not type(None)]
        return _from_plain(inner[0], raw, where)
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(raw, list):
            raise ValueError(f"{where}: 应为列表")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from_plain(args[0], v, f"{where}[{i}]") for i, v in enumerate(raw))
        if len(raw) != len(args):
            raise ValueError(f"{where}: 应有 {len(args)} 项")
        return tuple(
            _from_plain(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, raw, strict=True))
        )
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: 应为对象")
        hints = _hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name not in raw:
                if f.default is not dataclasses.MISSING:
                    continue
                raise ValueError(f"{where}.{f.name}: 缺少")
            kwargs[f.name] = _from_plain(hints[f.name], raw[f.name], f"{where}.{f.name}")
        return tp(**kwargs)
    if tp is datetime or tp is date:
        if not isinstance(raw, str):
            raise ValueError(f"{where}: 应为日期文字")
        try:
            return tp.fromisoformat(raw)
        except ValueError as exc:
            raise ValueError(f"{where}: 日期无效") from exc
    if tp is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ValueError(f"{where}: 应为数字")
        return float(raw)
    if tp is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"{where}: 应为整数")
        return raw
    if tp is str:
        if not isinstance(raw, str):
            raise ValueError(f"{where}: 应为文字")
        return raw
    raise TypeError(f"unsupported type {tp!r} at {where}")


def report_from_plain(raw: Any) -> ReportData:
    """Rebuild a ReportData from :func:`to_plain` output; ValueError names the first bad field."""
    result: ReportData = _from_plain(ReportData, raw, "report")
    return result
