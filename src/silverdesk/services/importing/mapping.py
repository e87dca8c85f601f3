"""Match a sheet's column labels to the fields of an import kind.

Real files use more header spellings than any list, so matching is in three steps: a label the
clerk mapped before for this unit (``remembered``) wins; then an exact synonym after
normalisation; then a fuzzy score (containment or difflib ratio).  Anything under
:data:`ASSIGN_THRESHOLD`, or too close between two fields, is left for the GUI to ask about —
guessing wrong silently would put phone numbers into the address column of a thousand rows.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from silverdesk.domain.text import to_halfwidth
from silverdesk.services.importing.fields import FROM_UNIT, IGNORED_LABELS, KINDS, kind_spec

ASSIGN_THRESHOLD = 0.75
"""Confidence below which a column is not assigned automatically."""
AMBIGUITY_MARGIN = 0.05
"""Two fuzzy candidates closer than this make a column ambiguous (the GUI asks)."""
IGNORE = ""
"""Value in a remembered mapping meaning “this column is deliberately not imported”."""

_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_NOISE = re.compile(r"[*※★☆]|必填|选填|\(必填\)|\(选填\)")
_PARENS = re.compile(r"[(\[【<《〔][^)\]】>》〕]*[)\]】>》〕]")


class ColumnLike(Protocol):
    """A sheet column as matching reads it (:class:`~silverdesk.services.importing.layout.Column`)."""

    @property
    def index(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def group(self) -> str: ...


def normalize_full(label: object) -> str:
    """Half-width, no spaces, no ``*``/必填 marks, lower case; bracketed units kept."""
    text = _SPACES.sub("", to_halfwidth("" if label is None else str(label)))
    text = _NOISE.sub("", text).replace("()", "")
    return text.strip(":：").lower()


def normalize_label(label: object) -> str:
    """:func:`normalize_full` with bracketed remarks removed (``服务时长(小时)`` → ``服务时长``)."""
    full = normalize_full(label)
    base = _PARENS.sub("", full).strip(":：")
    return base or full


@lru_cache(maxsize=8)
def _index(kind: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Exact lookup (both label forms → field key) and the (base synonym, key) list for fuzzy."""
    exact: dict[str, str] = {}
    fuzzy: list[tuple[str, str]] = []
    for spec in kind_spec(kind).fields:
        for name in spec.all_names:
            for form in (normalize_full(name), normalize_label(name)):
                exact.setdefault(form, spec.key)
            fuzzy.append((normalize_label(name), spec.key))
    return exact, fuzzy


def similarity(a: str, b: str) -> float:
    """0..1: 1 for equal, containment scaled by length, else 0.95 × difflib ratio."""
    if a == b:
        return 1.0
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    contain = 0.6 + 0.4 * len(short) / len(long) if len(short) >= 2 and short in long else 0.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio() * 0.95
    return max(contain, ratio)


def field_candidates(label: str, kind: str) -> list[tuple[str, float]]:
    """Fields a label could mean, best first, with confidences (exact synonyms give 1.0)."""
    return list(_field_candidates(label, kind))


@lru_cache(maxsize=4096)
def _field_candidates(label: str, kind: str) -> tuple[tuple[str, float], ...]:
    """:func:`field_candidates`, computed once per label and kind: detecting the kind matches every
    label against every kind and the chosen kind again (difflib over all synonyms, ~0.05 s a file)."""
    exact, fuzzy = _index(kind)
    full, base = normalize_full(label), normalize_label(label)
    if not base:
        return ()
    hit = exact.get(full) or exact.get(base)
    if hit:
        return ((hit, 1.0),)
    best: dict[str, float] = {}
    for syn, key in fuzzy:
        score = similarity(base, syn)
        if score > best.get(key, 0.0):
            best[key] = score
    return tuple(sorted(((k, round(v, 3)) for k, v in best.items() if v >= 0.5), key=lambda kv: -kv[1]))


def label_key(column: ColumnLike) -> str:
    """The key a remembered mapping uses for a column: ``group>label`` when grouped."""
    leaf = normalize_full(column.label)
    return f"{normalize_full(column.group)}>{leaf}" if column.group else leaf


def mapping_signature(columns: Iterable[ColumnLike]) -> str:
    """Stable hash of the normalised labels in order: the same form from the same unit gives
    the same signature, so a clerk's corrections can be replayed next month."""
    text = "\x1f".join(label_key(c) for c in columns)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Ambiguity:
    column_index: int
    label: str
    candidates: tuple[tuple[str, float], ...]
    reason: str


@dataclass
class Mapping:
    """Which column feeds which field.  Column indexes are the sheet's 0-based column indexes."""

    kind: str
    assigned: dict[int, str] = field(default_factory=dict)
    confidence: dict[int, float] = field(default_factory=dict)
    source: dict[int, str] = field(default_factory=dict)  # exact | fuzzy | remembered
    unmatched_columns: list[int] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)
    ignored: list[int] = field(default_factory=list)
    signature: str = ""

    def column_for(self, key: str) -> int | None:
        return next((c for c, k in self.assigned.items() if k == key), None)

    @property
    def complete(self) -> bool:
        """Nothing left to ask: all required fields mapped and no ambiguous column."""
        return not self.missing_required and not self.ambiguous

    def to_remember(self, columns: Sequence[ColumnLike]) -> dict[str, str]:
        """What to store for next time: label key → field key (``IGNORE`` for skipped columns)."""
        out = {label_key(c): self.assigned.get(c.index, IGNORE) for c in columns}
        return {k: v for k, v in out.items() if k}


def match_columns(
    columns: Sequence[ColumnLike],
    kind: str,
    remembered: dict[str, str] | None = None,
    *,
    given: Iterable[str] = (),
) -> Mapping:
    """Assign columns to fields of ``kind``; see the module docstring for the order of rules.

    ``given``: what the file gives besides its columns (``FROM_SECTIONS`` when section rows name
    the 大类): a required field it stands in for is not missing (:meth:`KindSpec.missing`); so is
    one the sending unit stands in for (``FROM_UNIT``: 需求单位).
    """
    spec = kind_spec(kind)
    valid = {f.key for f in spec.fields}
    result = Mapping(kind=kind, signature=mapping_signature(columns))
    remembered = remembered or {}
    pending: list[tuple[float, int, str, str]] = []  # (confidence, column, field, source)
    candidates_of: dict[int, list[tuple[str, float]]] = {}
    taken_fields: set[str] = set()
    for col in columns:
        key = label_key(col)
        plain = normalize_full(col.label)
        if key in remembered or plain in remembered:
            target = remembered.get(key, remembered.get(plain, IGNORE))
            if target in valid and target not in taken_fields:
                result.assigned[col.index] = target
                result.confidence[col.index] = 1.0
                result.source[col.index] = "remembered"
                taken_fields.add(target)
            else:
                result.ignored.append(col.index)
            continue
        if normalize_label(col.label) in IGNORED_LABELS:
            result.ignored.append(col.index)
            continue
        cands = field_candidates(col.label, kind)
        if col.group:
            for fkey, conf in field_candidates(col.group + col.label, kind):
                if conf * 0.95 > dict(cands).get(fkey, 0.0):
                    cands.append((fkey, round(conf * 0.95, 3)))
            cands.sort(key=lambda kv: -kv[1])
        candidates_of[col.index] = cands
        if (
            len(cands) >= 2
            and cands[0][1] < 1.0
            and cands[0][1] - cands[1][1] < AMBIGUITY_MARGIN
            and cands[1][1] >= ASSIGN_THRESHOLD
        ):
            reason = f"“{col.label}”可能是几个字段中的任一个，请选择"
            result.ambiguous.append(Ambiguity(col.index, col.label, tuple(cands[:3]), reason))
            continue
        for fkey, conf in cands:
            if conf >= ASSIGN_THRESHOLD:
                pending.append((conf, col.index, fkey, "exact" if conf >= 1.0 else "fuzzy"))
    pending.sort(key=lambda t: (-t[0], t[1]))
    for conf, index, fkey, source in pending:
        if index in result.assigned or fkey in taken_fields:
            continue
        result.assigned[index] = fkey
        result.confidence[index] = conf
        result.source[index] = source
        taken_fields.add(fkey)
    ambiguous_cols = {a.column_index for a in result.ambiguous}
    for col in columns:
        if (
            col.index not in result.assigned
            and col.index not in ambiguous_cols
            and col.index not in result.ignored
        ):
            result.unmatched_columns.append(col.index)
            best = candidates_of.get(col.index) or []
            result.confidence[col.index] = best[0][1] if best else 0.0
    result.missing_required = spec.missing(taken_fields, (FROM_UNIT, *given))
    return result


def detect_kind(columns: Sequence[ColumnLike]) -> tuple[str, float]:
    """The kind whose fields best explain these columns, and a 0..1 score.

    Score: mean confidence of assigned columns over labelled columns, reduced when required
    fields of that kind are missing.  Callers should ask the clerk when the score is low
    (below ~0.4) or two kinds are close.
    """
    labelled = [
        c for c in columns if normalize_label(c.label) and normalize_label(c.label) not in IGNORED_LABELS
    ]
    best_kind, best_score = "roster", 0.0
    for kind, spec in KINDS.items():
        m = match_columns(labelled, kind)
        total = sum(m.confidence[c] for c in m.assigned)
        score = total / max(3, len(labelled))
        required = len(spec.required)
        score *= 1 - 0.6 * len(spec.missing(m.assigned.values())) / required if required else 1
        if score > best_score:
            best_kind, best_score = kind, score
    return best_kind, round(min(best_score, 1.0), 3)


def header_score(cells: Sequence[object], kinds: Iterable[str]) -> float:
    """How much a row looks like a header for any of ``kinds``: exact synonyms count 1,
    near misses 0.5.  Cheap enough to run over the first rows of every sheet."""
    best = 0.0
    texts = [normalize_label(c) for c in cells if isinstance(c, str) and 0 < len(c) <= 30]
    for kind in kinds:
        exact = _index(kind)[0]
        score = 0.0
        seen: set[str] = set()
        for t in texts:
            if not t:
                continue
            key = exact.get(t)
            if key and key not in seen:
                seen.add(key)
                score += 1
            elif t in IGNORED_LABELS:
                score += 0.25
            elif key is None and len(t) <= 12:
                near = next((k for k in _near_fields(t, kind) if k not in seen), None)
                if near is not None:
                    seen.add(near)
                    score += 0.5
        best = max(best, score)
    return best


@lru_cache(maxsize=4096)
def _near_fields(text: str, kind: str) -> tuple[str, ...]:
    """The fields of ``kind`` a synonym of which makes up at least half of ``text``, in synonym order
    (computed once per cell text: the first rows of a sheet repeat 男, 汉族, 中共党员 …)."""
    return tuple(dict.fromkeys(key for syn, key in _index(kind)[1]
                               if len(syn) >= 2 and syn in text and len(syn) / len(text) >= 0.5))  # fmt: skip
