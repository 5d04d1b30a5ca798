"""Resolving references: actors' ``parent`` chains and countries, places' ``within`` chains."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .._model import Actor, Place, Record


class Resolver:
    """Looks up actors' parent chains and countries and places' ``within`` chains.

    Every walk up a chain keeps the links it has passed in a set (so a loop in an unchecked
    collection ends it), and what a walk learns (an actor's country, whether the chain
    reaches one of a filter's ids) is remembered for every link it passed: answering for all
    the records of a hierarchy ``n`` deep takes ``O(n)`` steps, not ``O(n²)`` or ``O(n³)``.
    """

    def __init__(self, records: Iterable[Record]) -> None:
        self.parent: dict[str, str | None] = {}
        self.own_country: dict[str, str | None] = {}
        self.within: dict[str, str | None] = {}
        self.place_country: dict[str, str] = {}
        for r in records:
            if isinstance(r, Actor):
                self.parent[r.id] = r.parent
                self.own_country[r.id] = r.country
            elif isinstance(r, Place):
                self.within[r.id] = r.within
                self.place_country[r.id] = r.country
        self._country: dict[str, str | None] = {}
        self._reach: dict[tuple[bool, frozenset[str]], dict[str, bool]] = {}
        #: Links followed by walks so far (read by the tests that pin linear walks).
        self.steps = 0

    @staticmethod
    def _chain(start: str, up: Mapping[str, str | None]) -> tuple[str, ...]:
        out: list[str] = []
        seen = {start}
        cur = up.get(start)
        while cur is not None and cur not in seen:
            out.append(cur)
            seen.add(cur)
            cur = up.get(cur)
        return tuple(out)

    def actor_ancestors(self, actor: str) -> tuple[str, ...]:
        """The actors above ``actor`` (its parent, the parent's parent...), nearest first."""
        return self._chain(actor, self.parent)

    def place_ancestors(self, place: str) -> tuple[str, ...]:
        """The places containing ``place``, nearest first."""
        return self._chain(place, self.within)

    def actor_country(self, actor: str) -> str | None:
        """The actor's own country, else the nearest ancestor's; ``None`` if none has one."""
        memo = self._country
        if actor in memo:
            return memo[actor]
        own, parent = self.own_country, self.parent
        path: list[str] = []
        seen: set[str] = set()
        cur: str | None = actor
        found: str | None = None
        while cur is not None and cur not in seen:
            self.steps += 1
            if cur in memo:
                found = memo[cur]
                break
            found = own.get(cur)
            if found is not None:
                memo[cur] = found
                break
            path.append(cur)
            seen.add(cur)
            cur = parent.get(cur)
        # Every actor passed has no country of its own, so each counts for what was found
        # (also round a loop: the actors on it then have none to find).
        for a in path:
            memo[a] = found
        return found

    def _reaches(self, start: str, targets: frozenset[str], places: bool) -> bool:
        """Whether a strict ancestor of ``start`` (up ``within`` or ``parent``) is in ``targets``."""
        memo = self._reach.get((places, targets))
        if memo is None:
            memo = self._reach[(places, targets)] = {}
        got = memo.get(start)
        if got is not None:
            return got
        up = self.within if places else self.parent
        # Walk up to the top, or to a link already answered (whose chain has a top too).
        path = [start]
        seen = {start}
        cur = up.get(start)
        while cur is not None and cur not in memo:
            self.steps += 1
            if cur in seen:  # a loop: the links above ``start`` are the ones walked
                return not targets.isdisjoint(path[1:])
            path.append(cur)
            seen.add(cur)
            cur = up.get(cur)
        # The chain has a top, so each link's answer follows from the one above it.
        found = False if cur is None else (cur in targets or memo[cur])
        for link in reversed(path):
            memo[link] = found
            found = found or link in targets
        return memo[start]

    def actor_below(self, actor: str, ids: frozenset[str]) -> bool:
        """Whether one of the actors above ``actor`` is in ``ids``."""
        return self._reaches(actor, ids, False)

    def place_inside(self, place: str, ids: frozenset[str]) -> bool:
        """Whether one of the places containing ``place`` is in ``ids``."""
        return self._reaches(place, ids, True)
