"""Finding records by name and by words: folding, matching and ranking.

Text is compared *folded*: Unicode compatibility forms unified (NFKC, so full-width letters
match), case folded, accents and other combining marks removed (``Rahmon`` finds
``Rahmón``, ``ё`` finds ``е``). A query matches a record when every word of the query occurs
in the record's searchable text: its title or name, its aliases in every script, its summary,
and for a source its publisher and author, and its id. Words are runs of letters and digits;
text in scripts written without spaces (Chinese) is matched as a substring, so ``赵克志``
finds the actor whose alias it is.

Ranking, best first: the query *is* a name, alias or title (score 5); every word of it is a
whole word of a name, alias or title (4); every word occurs in one, as part of a word (3); in
the id (2); only in the summary or other text (1). Among equal scores the shorter matching
name (the closer match) comes first, then the dataset's order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ._model import Actor, Agreement, Event, Facility, Place, Record, Source

__all__ = ["fold", "labels", "rank", "words"]

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """``text`` for comparison: NFKC, case-folded, without combining marks, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFKC", bare).split())


def words(query: str) -> tuple[str, ...]:
    """The folded words of a query (letters and digits; other characters separate words)."""
    return tuple(_WORD.findall(fold(query)))


def labels(rec: Record) -> tuple[str, ...]:
    """The names a record goes by: its name or title and its aliases."""
    if isinstance(rec, (Actor, Place)):
        return (rec.name, *rec.aliases)
    if isinstance(rec, Facility):
        return (rec.name,)
    if isinstance(rec, Source):
        return (rec.title,)
    return (rec.title,)


def _other_text(rec: Record) -> tuple[str, ...]:
    if isinstance(rec, (Event, Agreement, Facility)):
        return (rec.summary,)
    if isinstance(rec, Source):
        return tuple(t for t in (rec.publisher, rec.author) if t)
    return tuple(t for t in (rec.note,) if t)


def _contains_all(haystack: str, needles: tuple[str, ...]) -> bool:
    return all(n in haystack for n in needles)


def _whole_words(text: str, needles: tuple[str, ...]) -> bool:
    present = set(_WORD.findall(text))
    return all(n in present for n in needles)


def score(rec: Record, query: str, ws: tuple[str, ...]) -> int:
    """How well ``rec`` matches (0: not at all); see the module docstring."""
    return _match(rec, query, ws)[0]


def _match(rec: Record, query: str, ws: tuple[str, ...]) -> tuple[int, int]:
    """``(score, length of the best matching name)``; ``(0, 0)`` when it does not match."""
    if not ws:
        return 0, 0
    names = [fold(t) for t in labels(rec)]
    if query in names:
        return 5, len(query)
    whole = [len(n) for n in names if _whole_words(n, ws)]
    if whole:
        return 4, min(whole)
    part = [len(n) for n in names if _contains_all(n, ws)]
    if part:
        return 3, min(part)
    rid = rec.id.replace("-", " ")
    if _contains_all(rid, ws):
        return 2, len(rid)
    everything = " ".join([*names, rid, *(fold(t) for t in _other_text(rec))])
    return (1, len(everything)) if _contains_all(everything, ws) else (0, 0)


def rank(records: Iterable[Record], query: str) -> list[tuple[int, Record]]:
    """``(score, record)`` for every record matching ``query``, best first.

    Among equal scores the record whose matching name is shortest (the closest match) comes
    first; then the input order.
    """
    q = fold(query)
    ws = words(query)
    scored = [(m, r) for r in records if (m := _match(r, q, ws))[0]]
    scored.sort(key=lambda mr: (-mr[0][0], mr[0][1]))
    return [(m[0], r) for m, r in scored]
