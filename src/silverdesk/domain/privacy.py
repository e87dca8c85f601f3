"""Masking personal data in anything that leaves the office (issue #7).

The bureau keeps ID numbers, phones and home addresses of thousands of retired cadres.  Report
workbooks sent up to the city and error reports sent back to units need none of that in full,
so exports mask by default (:class:`MaskPolicy`); a clerk can switch masking off explicitly for
internal use (``--no-mask`` or a checkbox).

* ID number ``370402195603011234`` → ``3704**********1234`` (:func:`mask_id_number`);
* mobile ``13812345678`` → ``138****5678`` (:func:`mask_phone`);
* address ``光明路街道龙头路社区3号楼2单元401室`` → ``光明路街道龙头路社区****``
  (:func:`mask_address`: the place is kept down to the road or community, the house number goes);
* free text (a summary, a refusal reason) has ID numbers and mobiles found inside it masked
  (:func:`mask_text`).

Standard library only; every function accepts any string without raising.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from silverdesk.domain.idcard import mask_id_number
from silverdesk.domain.phone import mask_phone

__all__ = [
    "MASK",
    "MaskPolicy",
    "mask_address",
    "mask_id_number",
    "mask_phone",
    "mask_phone_value",
    "mask_text",
]

MASK = "****"
# Chinese numerals followed by a unit word start a house number written in characters
# ("三号楼二单元"); a numeral not followed by one is part of a name ("经十路", "三里屯").
_CN_NUMBER = re.compile(r"[一二三四五六七八九十百千零〇两]+(?:号|栋|幢|座|楼|单元|层|室|户|排|组|巷|弄|门)")
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_CANONICAL_PHONE = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8}(?:-\d{1,5})?|[2-9]\d{6,7})$")

ID_FIELDS = frozenset({"id_number", "身份证号", "身份证号码", "公民身份号码"})
PHONE_FIELDS = frozenset({"phone", "mobile", "contact_phone", "联系电话", "手机", "手机号码", "电话"})
ADDRESS_FIELDS = frozenset({"address", "home_address", "家庭住址", "住址", "居住地址"})
PERSONAL_FIELDS = ID_FIELDS | PHONE_FIELDS | ADDRESS_FIELDS


def mask_address(address: str) -> str:
    """Keep the place down to the road or community; replace the house number and the rest.

    The house number starts at the first digit (any script: ASCII, full-width …) or at a Chinese
    numeral followed by 号/栋/楼/单元/室…; from there on everything becomes ``****`` (a fixed
    mask, so the length of the number does not show).  An address with no house number is kept.

    >>> mask_address("城关街道光明社区12号楼3单元401室")
    '城关街道光明社区****'
    >>> mask_address("青河镇张庄村三组")
    '青河镇张庄村****'
    """
    text = "" if address is None else str(address)
    cut = len(text)
    for i, ch in enumerate(text):
        if ch.isdigit():
            cut = i
            break
    match = _CN_NUMBER.search(text, 0, cut)
    if match:
        cut = match.start()
    if cut == len(text):
        return text
    return text[:cut].rstrip(" -—,，、#") + MASK


def mask_phone_value(value: str) -> str:
    """Mask a phone cell as stored (canonical) or as typed by someone else (``138 1234 5678``).

    Canonical numbers go through :func:`mask_phone` (``138****5678``).  Anything else keeps
    only its first 3 and last 4 digits when it has 9 or more (the last 2 otherwise); all other
    digits become ``*``, so a messy cell never leaks more than a tidy one.
    """
    text = "" if value is None else str(value)
    parts = text.split("、")
    if all(_CANONICAL_PHONE.match(p) for p in parts):
        return mask_phone(text)
    return "、".join(_mask_digits(p) for p in parts)


def _mask_digits(part: str) -> str:
    positions = [i for i, ch in enumerate(part) if ch.isdigit()]
    keep = set(positions[:3] + positions[-4:]) if len(positions) >= 9 else set(positions[-2:])
    return "".join("*" if (ch.isdigit() and i not in keep) else ch for i, ch in enumerate(part))


def mask_text(text: str) -> str:
    """Mask the ID numbers and mobile numbers found inside free text."""
    value = "" if text is None else str(text)
    value = _ID_IN_TEXT.sub(lambda m: m.group(0)[:4] + "*" * 10 + m.group(0)[-4:], value)
    return _MOBILE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(3)}", value)


@dataclass(frozen=True)
class MaskPolicy:
    """What to mask in an export.  The default masks everything personal.

    Attributes:
        enabled: ``False`` only when a clerk explicitly asks for an internal, unmasked copy.
        id_numbers, phones, addresses: which kinds of value to mask when enabled.
        free_text: also mask ID numbers and mobiles that appear inside other text.
    """

    enabled: bool = True
    id_numbers: bool = True
    phones: bool = True
    addresses: bool = True
    free_text: bool = True

    @classmethod
    def off(cls) -> MaskPolicy:
        """No masking (``--no-mask``): for copies that stay inside the office."""
        return cls(enabled=False)

    def value(self, field: str, value: object) -> object:
        """The value to export for ``field`` (a column key or Chinese header).

        Non-string values (numbers, dates, ``None``) pass through unchanged.
        """
        if not self.enabled or not isinstance(value, str) or not value:
            return value
        if field in ID_FIELDS and self.id_numbers:
            return mask_id_number(value)
        if field in PHONE_FIELDS and self.phones:
            return mask_phone_value(value)
        if field in ADDRESS_FIELDS and self.addresses:
            return mask_address(value)
        return mask_text(value) if self.free_text else value

    def row(self, values: Mapping[str, object]) -> dict[str, object]:
        """A copy of a row with every field passed through :meth:`value`."""
        return {k: self.value(k, v) for k, v in values.items()}
