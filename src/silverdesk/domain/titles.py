"""Short titles and section headings of the lists communities write (需求清单, 资源清单).

A 需求清单 often has no 需求名称 column: the request is written out in 需求内容, and the list is
broken into sections by rows such as “一、助老服务类”.  The rules here say what the import makes
of them; they are the one place for both (the import and its tests read them from here).
"""

from __future__ import annotations

import re

from silverdesk.domain.text import clean

TITLE_MAX = 20
"""A derived title longer than this is cut to its first ``TITLE_MAX - 1`` characters and “…”."""

_NUMERAL = "一二三四五六七八九十百零〇"
_CLAUSE_END = re.compile(r"[，。；;,.!！?？\r\n\u2028\u2029]")
"""What ends a clause.  Not “、”: it joins the items of one clause (“书法、绘画兴趣班” is one request)."""
_NUMBERING = re.compile(
    r"^(?:"
    r"[(（]\s*(?:\d{1,3}|[" + _NUMERAL + r"]{1,4})\s*[)）]"  # (1) （一）
    r"|(?:\d{1,3}|[" + _NUMERAL + r"]{1,4})\s*[.．、)）]"  # 1. 1、 1) 一、 一．
    r"|[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u3251-\u325f\u32b1-\u32bf]"  # ① ⑴ ⒈ ㉑
    r")\s*"
)
_SECTION = re.compile(r"^\s*[" + _NUMERAL + r"]{1,4}\s*[、．.]\s*(.*)$", re.DOTALL)


def derive_title(content: str) -> str:
    """The title of a list entry that has none, from its content.

    The rule (docs/import-lists.md): the content's first clause — the text up to the first of
    ``，。；;,.!！?？`` or a line break (not “、”, which joins a clause's items) —, stripped, with leading list numbering (“1.” “（一）”
    “①”) removed; longer than :data:`TITLE_MAX` characters, its first ``TITLE_MAX - 1``
    characters followed by “…”.  The numbering is removed before the clause is taken (“1.送餐上门”
    is “送餐上门”, not “1”), and empty clauses are passed over (“，送餐上门” is “送餐上门”).
    ``""`` when the content holds no words at all.

    >>> derive_title("1.帮助独居老人购买生活用品，每周两次")
    '帮助独居老人购买生活用品'
    """
    text = _NUMBERING.sub("", (content or "").strip(), count=1)
    for clause in _CLAUSE_END.split(text):
        title = clean(clause)
        if title:
            return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"
    return ""


def section_category(text: str) -> str | None:
    """The category a section row names (“一、助老服务类” → “助老服务”), or ``None`` if ``text`` is none.

    A section row's only non-empty cell starts with a Chinese numeral and “、” or “．” (“.” once the
    cell is cleaned); its text
    without the numbering, and without a trailing “类”, is the 大类 of the rows below it that give
    no category of their own.  ``None`` too when nothing is left after the numbering.
    """
    m = _SECTION.match(text) if isinstance(text, str) else None
    if m is None:
        return None
    name = clean(m.group(1))
    if name.endswith("类"):
        name = name[:-1].rstrip()
    return name or None
