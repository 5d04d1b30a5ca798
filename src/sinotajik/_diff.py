"""What changed between two versions of the dataset: records added, removed and changed.

[`diff`][sinotajik.diff] compares two datasets (or any two collections of records) record by record, by
id, on their canonical wire form ([`to_dict`][sinotajik.to_dict]). It reports:

* **added**: records whose id is only in the new dataset;
* **removed**: records whose id is only in the old dataset;
* **changed**: records in both whose wire forms differ, each with its field-level changes.

Ids are stable by rule and never reused, so an id that disappears is reported as removed and
never as renamed. (A record whose id is kept but whose kind differs, which the id prefixes
forbid in a valid dataset, is reported as removed and added.)

Field-level changes
-------------------

Each change is a path into the record's wire form and the value before and after, e.g.
``citations[2].quote: ["old quote", "new quote"]``. Paths are field names joined by ``.``, with
list positions in brackets, as in [`DataError`][sinotajik.DataError] messages. ``None`` (JSON
``null``) stands for a field that is absent: the wire form omits fields at their default
value, so a note that was removed shows as ``note: ["the note", null]``. Lists are compared
position by position when their lengths are equal. When items were only appended (or only
dropped from the end), each such item is reported at its position, with ``None`` on the side
where it does not exist (``citations[5]: [null, {...}]``). Any other change of length reports
the whole list (``participants: [[...], [...]]``). A value whose type changes is reported
whole. Values compare exactly as their canonical JSON does (``100`` and ``100.0`` differ).

The JSON shape
--------------

[`DatasetDiff.to_json`][sinotajik.DatasetDiff.to_json] gives a stable shape close to csv-diff's ``{added, removed,
changed}``::

    {
      "old_version": "2026.11.0",
      "new_version": "2026.11.1",
      "added":   [{"id": "evt-...", "kind": "event", "title": "...", "record": {...}}],
      "removed": [{"id": "act-...", "kind": "actor", "title": "...", "record": {...}}],
      "changed": [{"id": "evt-...", "kind": "event", "title": "...",
                   "changes": {"citations[2].quote": ["before", "after"]}}]
    }

Records are listed by kind in document order (actors, places, sources, events, agreements,
facilities), then by id; ``title`` is the record's title or name (the new one for a changed
record). ``record`` is the record's complete wire form, so the diff can be applied
([`DatasetDiff.apply`][sinotajik.DatasetDiff.apply]) and reversed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from ._dataset import Dataset
from ._document import KINDS, SINGULAR
from ._errors import DataError, Problem
from ._model import Agreement, Event, Record, Source
from ._serialize import from_dict, to_dict

__all__ = ["DatasetDiff", "FieldChange", "RecordChange", "diff", "record_title"]

#: Record class -> its kind as the JSON Lines ``record`` key names it, in document order.
_KIND_OF: dict[type[Any], str] = {cls: SINGULAR[plural] for plural, cls in KINDS.items()}
_KIND_ORDER = {kind: i for i, kind in enumerate(_KIND_OF.values())}

_SEGMENT_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


# --------------------------------------------------------------------------- result types


@attrs.frozen(kw_only=True)
class FieldChange:
    """One changed value inside a record.

    Attributes:
        path: where in the record's wire form, e.g. ``citations[2].quote`` or ``summary``.
        before: the wire value in the old record (``None`` when absent).
        after: the wire value in the new record (``None`` when absent).
    """

    path: str
    before: Any
    after: Any


@attrs.frozen(kw_only=True)
class RecordChange:
    """A record present in both datasets whose content differs.

    Attributes:
        id: the record's id (the same in both).
        kind: ``actor``, ``place``, ``source``, ``event``, ``agreement`` or ``facility``.
        title: the new record's title or name.
        before: the old record.
        after: the new record.
        changes: what differs, field by field, in the order of the model's fields.
    """

    id: str
    kind: str
    title: str
    before: Record
    after: Record
    changes: tuple[FieldChange, ...]


@attrs.frozen(kw_only=True)
class DatasetDiff:
    """The differences between two datasets: what [`sinotajik.diff`][sinotajik.diff] returns.

    Attributes:
        old_version: the old dataset's version (``None`` when given bare records).
        new_version: the new dataset's version (``None`` when given bare records).
        added: records only in the new dataset, by kind in document order, then by id.
        removed: records only in the old dataset, in the same order.
        changed: records in both whose content differs, in the same order.
    """

    old_version: str | None
    new_version: str | None
    added: tuple[Record, ...]
    removed: tuple[Record, ...]
    changed: tuple[RecordChange, ...]

    @property
    def is_empty(self) -> bool:
        """True when the records are the same (the versions may still differ)."""
        return not (self.added or self.removed or self.changed)

    def counts(self) -> dict[str, int]:
        """How many records were added, removed and changed."""
        return {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed)}

    def to_json(self) -> dict[str, Any]:
        """The diff as JSON-ready data, in a stable shape close to csv-diff's.

        ::

            {
              "old_version": "2026.11.0",
              "new_version": "2026.11.1",
              "added":   [{"id": "evt-...", "kind": "event", "title": "...", "record": {...}}],
              "removed": [{"id": "act-...", "kind": "actor", "title": "...", "record": {...}}],
              "changed": [{"id": "evt-...", "kind": "event", "title": "...",
                           "changes": {"citations[2].quote": ["before", "after"]}}]
            }

        ``record`` is the complete wire form of an added or removed record; ``title`` is the
        record's title or name (the new one for a changed record). Records come by kind in
        document order, then by id.
        """
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "added": [_entry(r) for r in self.added],
            "removed": [_entry(r) for r in self.removed],
            "changed": [
                {
                    "id": c.id,
                    "kind": c.kind,
                    "title": c.title,
                    "changes": {f.path: [f.before, f.after] for f in c.changes},
                }
                for c in self.changed
            ],
        }

    def to_text(self) -> str:
        """A readable summary: counts, then each added, removed and changed record.

        Changed records list each field change as ``path: before → after``; a list whose
        length changed in the middle is shown as the items it lost (``-``) and gained (``+``).
        """
        old = self.old_version or "old"
        new = self.new_version or "new"
        n = self.counts()
        lines = [f"{old} → {new}: {n['added']} added, {n['removed']} removed, {n['changed']} changed"]
        if self.is_empty:
            lines.append("no differences in the records")
        for heading, mark, recs in (("added", "+", self.added), ("removed", "-", self.removed)):
            if recs:
                lines.append("")
                lines.append(f"{heading}:")
                lines.extend(f"  {mark} {_KIND_OF[type(r)]:<9} {r.id}  {record_title(r)}" for r in recs)
        if self.changed:
            lines.append("")
            lines.append("changed:")
            for c in self.changed:
                lines.append(f"  ~ {c.kind:<9} {c.id}  {c.title}")
                for f in c.changes:
                    lines.extend(_change_lines(f))
        return "\n".join(lines) + "\n"

    def apply(self, old: Dataset | Iterable[Record]) -> tuple[Record, ...]:
        """The new records, rebuilt from the old ones and this diff.

        ``Dataset.from_records(d.apply(old), version=d.new_version)`` gives back the new
        dataset. Like ``patch``, it first checks that ``old`` is what the diff was made from.

        Returns:
            Every record of the new side, by kind in document order, then by id.

        Raises:
            DataError: ``old`` does not match the old side of the diff (a removed or changed
                record is missing, an added one is already there, or a value differs); every
                mismatch is listed as ``id.path: message``.
        """
        index = _index(old, "old")
        problems: list[Problem] = []
        removed = {r.id for r in self.removed}
        for r in self.added:
            if r.id in index and r.id not in removed:
                problems.append(Problem(r.id, "is added by the diff but already exists"))
        for r in self.removed:
            if index.get(r.id) != r:
                problems.append(Problem(r.id, "is removed by the diff but is missing or differs"))
        for c in self.changed:
            if c.id not in index:
                problems.append(Problem(c.id, "is changed by the diff but is missing"))
                continue
            wire = to_dict(index[c.id])
            for f in c.changes:
                found = _lookup(wire, _segments(f.path))
                if not _same(found, f.before):
                    where = f"{c.id}.{f.path}"
                    problems.append(Problem(where, f"expected {_show(f.before)}, found {_show(found)}"))
        if problems:
            raise DataError(problems)
        out = dict(index)
        for r in self.removed:
            del out[r.id]
        for r in self.added:
            out[r.id] = r
        for c in self.changed:
            out[c.id] = _patch(index[c.id], c.changes)
        return tuple(sorted(out.values(), key=_order))


# --------------------------------------------------------------------------- diff


def diff(old: Dataset | Iterable[Record], new: Dataset | Iterable[Record]) -> DatasetDiff:
    """What changed from ``old`` to ``new``: records added, removed and changed, field by field.

    Records are matched by id and compared on their canonical wire form
    ([`to_dict`][sinotajik.to_dict]). Ids are stable and never reused, so an id that disappears
    is a removal, never a rename.

    Each field change is a path into the record's wire form with the values before and
    after, e.g. ``citations[2].quote``: field names joined by ``.``, list positions in
    brackets, as in [`DataError`][sinotajik.DataError] messages. ``None`` stands for an absent
    field (the wire form omits fields at their default). Lists of equal length are compared
    item by item; items appended at the end (or dropped from it) are reported one by one at
    their positions, with ``None`` on the side that lacks them; any other change of length
    reports the whole list. Values compare as their canonical JSON does (``100`` and
    ``100.0`` differ).

    Args:
        old: the earlier dataset, or any records (e.g. a filtered selection).
        new: the later dataset, or any records.

    Returns:
        The differences; ``diff(a, a).is_empty`` is always true.

    Raises:
        DataError: an input holds something that is not a record, or two records with one id.
    """
    a = _index(old, "old")
    b = _index(new, "new")
    added = [r for i, r in b.items() if i not in a or type(a[i]) is not type(r)]
    removed = [r for i, r in a.items() if i not in b or type(b[i]) is not type(r)]
    changed: list[RecordChange] = []
    for i, before in a.items():
        after = b.get(i)
        if after is None or type(after) is not type(before):
            continue
        changes = tuple(_compare(to_dict(before), to_dict(after), "", before))
        if changes:
            changed.append(
                RecordChange(
                    id=i,
                    kind=_KIND_OF[type(after)],
                    title=record_title(after),
                    before=before,
                    after=after,
                    changes=changes,
                )
            )
    return DatasetDiff(
        old_version=old.version if isinstance(old, Dataset) else None,
        new_version=new.version if isinstance(new, Dataset) else None,
        added=tuple(sorted(added, key=_order)),
        removed=tuple(sorted(removed, key=_order)),
        changed=tuple(sorted(changed, key=lambda c: (_KIND_ORDER[c.kind], c.id))),
    )


def record_title(rec: Record) -> str:
    """A record's title, or its name for actors, places and facilities."""
    if isinstance(rec, (Source, Event, Agreement)):
        return rec.title
    return rec.name


def _order(rec: Record) -> tuple[int, str]:
    return (_KIND_ORDER[_KIND_OF[type(rec)]], rec.id)


def _index(records: Dataset | Iterable[Record], side: str) -> dict[str, Record]:
    out: dict[str, Record] = {}
    problems: list[Problem] = []
    for n, r in enumerate(records):
        if type(r) not in _KIND_OF:
            problems.append(Problem(f"{side}[{n}]", f"{type(r).__name__} is not a record type"))
        elif r.id in out:
            problems.append(Problem(f"{side}[{n}]", f"a second record with id {r.id!r}"))
        else:
            out[r.id] = r
    if problems:
        raise DataError(problems)
    return out


def _entry(rec: Record) -> dict[str, Any]:
    return {"id": rec.id, "kind": _KIND_OF[type(rec)], "title": record_title(rec), "record": to_dict(rec)}


def _same(a: Any, b: Any) -> bool:
    """Exact equality of wire values, as their canonical JSON would compare."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return repr(a) == repr(b)  # 0.0 and -0.0 are written differently
    return bool(a == b)


def _keys(a: Mapping[str, Any], b: Mapping[str, Any], obj: Any) -> list[str]:
    """The keys of both wire dicts, in the field order of the attrs class they come from."""
    order = [f.name for f in attrs.fields(type(obj))] if attrs.has(type(obj)) else []
    present = a.keys() | b.keys()
    return [k for k in order if k in present] + sorted(present.difference(order))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _compare(a: Any, b: Any, path: str, obj: Any) -> Iterator[FieldChange]:
    """The changes from wire value ``a`` to ``b``; ``obj`` is the model value ``a`` is made from."""
    if _same(a, b):
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in _keys(a, b, obj):
            yield from _compare(a.get(k), b.get(k), _join(path, k), getattr(obj, k, None))
    elif isinstance(a, list) and isinstance(b, list):
        common = min(len(a), len(b))
        if len(a) == len(b) or all(_same(x, y) for x, y in zip(a[:common], b[:common], strict=True)):
            for i in range(common):
                yield from _compare(a[i], b[i], f"{path}[{i}]", obj[i])
            for i in range(common, len(a)):
                yield FieldChange(path=f"{path}[{i}]", before=a[i], after=None)
            for i in range(common, len(b)):
                yield FieldChange(path=f"{path}[{i}]", before=None, after=b[i])
        else:
            yield FieldChange(path=path, before=a, after=b)
    else:
        yield FieldChange(path=path, before=a, after=b)


# --------------------------------------------------------------------------- apply


def _segments(path: str) -> list[str | int]:
    out: list[str | int] = []
    for part in path.split("."):
        for m in _SEGMENT_RE.finditer(part):
            out.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
    return out


def _lookup(value: Any, segs: list[str | int]) -> Any:
    for s in segs:
        if isinstance(s, int):
            if not isinstance(value, list) or s >= len(value):
                return None
            value = value[s]
        else:
            if not isinstance(value, dict):
                return None
            value = value.get(s)
    return value


def _walk(value: Any, segs: list[str | int]) -> Any:
    for s in segs:
        value = value[s] if isinstance(s, int) else getattr(value, s)
    return value


def _patch(rec: Record, changes: tuple[FieldChange, ...]) -> Record:
    wire = to_dict(rec)
    drops: list[tuple[int, list[str | int]]] = []
    for f in changes:
        *parent, last = _segments(f.path)
        holder = _lookup(wire, parent)
        if isinstance(last, int):
            if f.after is None:  # list items are never null: this one was dropped from the end
                drops.append((last, parent))
            elif last == len(holder):
                holder.append(f.after)
            else:
                holder[last] = f.after
        elif f.after is None and attrs.fields_dict(type(_walk(rec, parent)))[last].default is not attrs.NOTHING:
            # A field back at its default is absent on the wire; a required one stays null.
            holder.pop(last, None)
        else:
            holder[last] = f.after
    # Dropped items go from the highest position down, so the others keep their places.
    for last, parent in sorted(drops, key=lambda d: d[0], reverse=True):
        del _lookup(wire, parent)[last]
    result: Record = from_dict(wire, type(rec))
    return result


# --------------------------------------------------------------------------- text


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _change_lines(f: FieldChange) -> list[str]:
    a, b = f.before, f.after
    if isinstance(a, list) and isinstance(b, list):
        shown_b = [_show(x) for x in b]
        shown_a = [_show(x) for x in a]
        lost = _multiset_minus(shown_a, shown_b)
        gained = _multiset_minus(shown_b, shown_a)
        lines = [f"      {f.path}: {len(a)} → {len(b)} items"]
        lines.extend(f"        - {x}" for x in lost)
        lines.extend(f"        + {x}" for x in gained)
        return lines
    return [f"      {f.path}: {_show(a)} → {_show(b)}"]


def _multiset_minus(xs: list[str], ys: list[str]) -> list[str]:
    left = list(ys)
    out = []
    for x in xs:
        if x in left:
            left.remove(x)
        else:
            out.append(x)
    return out
