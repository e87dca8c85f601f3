"""Names as units write them: folded keys, "大类(小项)" splits and the closest entries of a list.

The files units send name the same unit, team or category many ways: with stray spaces and
full-width brackets, 榆山街道办 for 榆山街道, 县卫健局 for 县卫生健康局, a team with or without
志愿服务队, "法律服务（普法宣传）" for a 大类 and its 小项.  The rules here are pure; the import's
resolver (``services/importing/resolve.py``) and ``LookupService.resolve`` use them alike.

A :class:`NameIndex` answers, in this order:

1. **exact** — the name as written;
2. **alias** — one of the entry's other names (``aliases``: names the clerk once matched);
3. **folded** — equal folded keys (:func:`fold`, :func:`unit_key`, :func:`team_key`);
4. **similar** — a *strong candidate*: exactly one entry (by name) such that the written key is an
   ordered subsequence of the entry's key and at least half as long (县卫健局 → 县卫生健康局), or, where
   allowed, the entry's key is one of the written key (楼栋长 → 楼长), or both read the same in pinyin
   (夕阳虹 → 夕阳红);
5. otherwise **none**, with the closest entries by characters and pinyin (:meth:`NameIndex.closest`).

The last two are guesses the clerk sees and may change (the import records them as 近似匹配).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from silverdesk.domain.text import to_halfwidth

EXACT, ALIAS, FOLDED, SIMILAR, NONE = "exact", "alias", "folded", "similar", "none"
"""How a name was found (:attr:`NameMatch.how`); ``folded`` and ``similar`` are not literal."""

_FOLD = str.maketrans(
    {
        **dict.fromkeys("—–－‐‑‒―﹣−~～", "-"),
        **dict.fromkeys("（【〔［｛〈《「『[{", "("),
        **dict.fromkeys("）】〕］｝〉》」』]}", ")"),
        **dict.fromkeys("·•・‧∙⋅", "·"),
    }
)
_SPACE = re.compile(r"\s+")
_DASHES = re.compile(r"-+")


def fold(text: str) -> str:
    """The key two spellings of one name share: no spaces, half-width, one dash, round brackets, lower case.

    >>> fold(" 法律服务 （普法——宣传）")
    '法律服务(普法-宣传)'
    """
    key = _SPACE.sub("", to_halfwidth(text).translate(_FOLD)).lower()
    return _DASHES.sub("-", key) if "--" in key else key


_UNIT_ENDINGS: tuple[tuple[str, str], ...] = (
    ("街道办事处", "街道"), ("街道办", "街道"), ("办事处", "街道"), ("社区居民委员会", "社区"),
    ("社区居委会", "社区"), ("居民委员会", "社区"), ("居委会", "社区"), ("村民委员会", "村"), ("村委会", "村"),
    ("镇人民政府", "镇"), ("乡人民政府", "乡"),
)  # fmt: skip
"""How a unit's name ends in files → how it ends in the unit tree (榆山街道办事处 → 榆山街道)."""


def unit_key(text: str) -> str:
    """The folded key of a unit's name: 街道办事处/街道办/办事处 ≈ 街道, 居委会 ≈ 社区, 村委会 ≈ 村.

    >>> unit_key("榆山街道办"), unit_key("光明社区居委会"), unit_key("龙山镇人民政府")
    ('榆山街道', '光明社区', '龙山镇')
    """
    key = fold(text)
    for ending, normal in _UNIT_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending):
            return key[: -len(ending)] + normal
    return key


_TEAM_ENDINGS = ("志愿者服务队", "志愿服务队", "志愿者队", "服务队", "志愿队")


def team_key(text: str) -> str:
    """The folded key of a team's name, with or without 志愿服务队/服务队/志愿队.

    >>> team_key("夕阳红志愿服务队") == team_key("夕阳红服务队") == team_key("夕阳红")
    True
    """
    key = fold(text)
    for ending in _TEAM_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending):
            return key[: -len(ending)]
    return key


_SPLIT = re.compile(r"^(?P<major>[^()]+?)\((?P<minor>[^()]+)\)$|^(?P<major2>[^-]+?)-(?P<minor2>[^-]+)$")


def split_category(text: str) -> tuple[str, str] | None:
    """A "大类(小项)", "大类（小项）", "大类—小项" or "大类-小项" cell as (大类, 小项); ``None`` otherwise.

    >>> split_category("法律服务（普法宣传）"), split_category("法律服务—普法"), split_category("普法")
    (('法律服务', '普法宣传'), ('法律服务', '普法'), None)
    """
    m = _SPLIT.match(_SPACE.sub("", to_halfwidth(text).translate(_FOLD)))
    if m is None:
        return None
    major, minor = (m["major"], m["minor"]) if m["major"] is not None else (m["major2"], m["minor2"])
    return (major, minor) if major and minor else None


def is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    """Whether every character of ``short`` appears in ``long`` in the same order (县卫健局 in 县卫生健康局)."""
    it = iter(long)
    return all(ch in it for ch in short)


def pinyin_of(text: str) -> tuple[str, ...]:
    """The text's plain pinyin, a syllable per character (its first reading), other characters as they are."""
    from silverdesk.domain.pinyin import readings

    return tuple(r[0] if r else "" for r in readings(text))


def _tail_free(a: Sequence[str], b: Sequence[str]) -> tuple[Sequence[str], Sequence[str]]:
    """``a`` and ``b`` without what they share at the end, never all of either (幸福社区, 光明社区 → 幸福, 光明)."""
    tail = 0
    while tail < min(len(a), len(b)) - 1 and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    return a[: len(a) - tail], b[: len(b) - tail]


def similarity(a: str, b: str, pa: Sequence[str] = (), pb: Sequence[str] = ()) -> float:
    """0 … 1: how alike two keys are by characters and (given their pinyin ``pa``, ``pb``) by sound.

    A shared ending (社区, 局, 志愿服务队) counts for little: 幸福社区 and 光明社区 are not alike, 养老服务 and
    为老服务 are.
    """
    if not a or not b:
        return 0.0
    x, y = _tail_free(a, b)
    score = max(difflib.SequenceMatcher(None, x, y, autojunk=False).ratio(),
                0.8 * difflib.SequenceMatcher(None, a, b, autojunk=False).ratio())  # fmt: skip
    if is_subsequence(x, y) or is_subsequence(y, x):
        score = max(score, 0.5 + 0.5 * min(len(x), len(y)) / max(len(x), len(y), 1))
    if pa and pb:
        px, py = _tail_free(pa, pb)
        score = max(score, 0.95 * difflib.SequenceMatcher(None, px, py, autojunk=False).ratio())
    return score


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One entry of a list, a unit or a team: what it is called and what else it has been called."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()
    parent_id: int | None = None
    kind: str = ""


@dataclass(frozen=True, slots=True)
class NameMatch:
    """What a name was found as (:data:`EXACT` … :data:`NONE`) and the closest other entries."""

    how: str
    entries: tuple[NameEntry, ...] = ()  # several only where one name is several units (two 幸福社区)
    closest: tuple[NameEntry, ...] = ()  # for the clerk's options, closest first (not in ``entries``)

    @property
    def literal(self) -> bool:
        """Found as written or as a remembered alias (nothing for the clerk to confirm)."""
        return self.how in (EXACT, ALIAS)


def aliases_of(text: str) -> tuple[str, ...]:
    """The names of an ``aliases`` column ("a|b|c")."""
    return tuple(a for a in (text or "").split("|") if a)


def with_alias(text: str, alias: str) -> str:
    """An ``aliases`` column with ``alias`` added (once)."""
    return "|".join(dict.fromkeys([*aliases_of(text), alias]))


def without_alias(text: str, alias: str) -> str:
    """An ``aliases`` column with ``alias`` removed."""
    return "|".join(a for a in aliases_of(text) if a != alias)


@dataclass
class NameIndex:
    """The entries of one list (or the unit tree, or the teams) and how names are found in it.

    Args:
        entries: what may be found.
        key: the folded key (:func:`fold`, :func:`unit_key`, :func:`team_key`).
        reverse: an entry whose key is a subsequence of the written one is a strong candidate too
            (lists and teams: 楼栋长 → 楼长, 红色宣讲队 → 红色宣讲志愿服务队; not units, where 城关街道幸福社区
            is a new community, not 城关街道).
    """

    entries: Sequence[NameEntry]
    key: Callable[[str], str] = fold
    reverse: bool = False
    _by_name: dict[str, list[NameEntry]] = field(init=False, repr=False)
    _by_alias: dict[str, list[NameEntry]] = field(init=False, repr=False)
    _by_key: dict[str, list[NameEntry]] = field(init=False, repr=False)
    _keys: list[tuple[str, NameEntry]] = field(init=False, repr=False)
    _pinyin: dict[str, tuple[str, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name, self._by_alias, self._by_key, self._keys, self._pinyin = {}, {}, {}, [], {}
        for e in self.entries:
            self._by_name.setdefault(e.name, []).append(e)
            k = self.key(e.name)
            self._by_key.setdefault(k, []).append(e)
            self._keys.append((k, e))
            for a in e.aliases:
                self._by_alias.setdefault(a, []).append(e)
                ak = self.key(a)
                self._by_key.setdefault(ak, []).append(e)
                self._keys.append((ak, e))  # 普法 → 法治宣传 through its alias 普法宣传

    def named(self, name: str) -> list[NameEntry]:
        """The entries called exactly ``name``."""
        return list(self._by_name.get(name, ()))

    def exact(self, text: str) -> NameMatch | None:
        """Steps 1 and 2 only: the name as written or a remembered alias."""
        if found := self._by_name.get(text):
            return NameMatch(EXACT, tuple(found))
        if (found := self._by_alias.get(text)) and (one := _one_name(found)):
            return NameMatch(ALIAS, one)
        return None

    def match(self, text: str, *, limit: int = 5, threshold: float = 0.45) -> NameMatch:
        """Every step, in order (see the module docstring); ``closest`` holds up to ``limit`` other entries."""
        return self.exact(text) or self.near(text, limit=limit, threshold=threshold)

    def near(self, text: str, *, limit: int = 5, threshold: float = 0.45) -> NameMatch:
        """Steps 3 to 5: equal folded keys, a strong candidate, else none (with the closest entries)."""
        k = self.key(text)
        if not k:
            return NameMatch(NONE)
        found: tuple[NameEntry, ...] = ()
        how = NONE
        if same := self._by_key.get(k):  # two different names folding alike: none of them is taken
            found = _one_name(same)
            how = FOLDED if found else NONE
        elif strong := self._strong(k):
            found, how = strong, SIMILAR
        taken = {e.id for e in found}
        closest = tuple(e for e in self.closest(text, limit=limit + len(found), threshold=threshold)
                        if e.id not in taken)[:limit]  # fmt: skip
        return NameMatch(how, found, closest)

    def _strong(self, k: str) -> tuple[NameEntry, ...]:
        hits = {e.name for ek, e in self._keys if ek != k and len(k) >= 2 and 2 * len(k) >= len(ek)
                and is_subsequence(k, ek)}  # fmt: skip
        if self.reverse:
            hits |= {e.name for ek, e in self._keys if ek != k and len(ek) >= 2 and 2 * len(ek) >= len(k)
                     and is_subsequence(ek, k)}  # fmt: skip
        if not hits and len(k) >= 2 and any("\u4e00" <= ch <= "\u9fff" for ch in k):
            sound = self._sound(k)
            hits = {e.name for ek, e in self._keys if self._sound(ek) == sound}
        if len(hits) != 1:
            return ()
        return tuple(self._by_name[hits.pop()])

    def _sound(self, k: str) -> tuple[str, ...]:
        got = self._pinyin.get(k)
        if got is None:
            got = self._pinyin[k] = pinyin_of(k)
        return got

    def closest(self, text: str, *, limit: int = 5, threshold: float = 0.45) -> list[NameEntry]:
        """Up to ``limit`` entries most like ``text`` by characters and pinyin (score ≥ ``threshold``), best first.

        One entry per name; ties keep the entries' own order.
        """
        k = self.key(text)
        if not k or limit <= 0:
            return []
        pk = self._sound(k)
        best: dict[str, tuple[float, int, NameEntry]] = {}  # by name: its best key (the name or an alias)
        for i, (ek, e) in enumerate(self._keys):
            score = similarity(k, ek, pk, self._sound(ek))
            known = best.get(e.name)
            if known is None:
                best[e.name] = (-score, i, e)
            elif -score < known[0]:
                best[e.name] = (-score, known[1], e)
        scored = sorted(s for s in best.values() if -s[0] >= threshold)
        return [e for _, _, e in scored[:limit]]


def _one_name(found: Iterable[NameEntry]) -> tuple[NameEntry, ...]:
    """The entries if they all bear one name (one entry, or same-name units told apart later), else none."""
    found = tuple(dict.fromkeys(found))
    return found if len({e.name for e in found}) == 1 else ()
