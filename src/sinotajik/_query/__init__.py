"""Query the records: composable filters, typed selection, knowledge time and relations.

Filters
=======

Build filters with the constructors of [`where`][sinotajik.where] and combine them with ``&`` (and),
``|`` (or) and ``~`` (not); [`select`][sinotajik.select] applies one to a Dataset or any iterable of
records::

    import sinotajik as st
    from sinotajik import Event, where

    ds = st.load()
    f = where.kind("exercise", "drill") & where.actor(country="CHN") & where.date("2016", "2019")
    exercises = st.select(ds, f, kind=Event)          # list[Event]

============================  ==========================================================
constructor                   keeps a record when
============================  ==========================================================
``where.kind(...)``           it is of one of these kinds or sub-kinds (``event``,
                              ``exercise``, ``event:exercise``, ``Event``, ``EventKind.DRILL``)
``where.actor(...)``          one of the actors it names (participants, parties, a
                              facility's funders, builders, operators and owners, the
                              authors of its claims) matches — by id (with
                              ``subordinates=True`` an agency counts for its state and a
                              unit for its ministry), by country (an agency or person
                              counts for the state it belongs to) and by role, all on the
                              same actor; an actor record names itself
``where.place(...)``          one of its places (an event's or agreement's places, a
                              facility's place) is one of these or lies inside one of them
                              (``within`` chain), or lies in one of these countries; a
                              place record is its own place
``where.date(start, end)``    one of its dates (an event's date, an agreement's dated
                              milestones, a facility's dated history, a source's
                              publication date) falls in the window: *possibly* by
                              default, *certainly* with ``certain=True``
``where.tag(...)``            it carries one of these tags
``where.confidence(...)``     its confidence is one of these (or at least ``at_least``)
``where.text(query)``         every word of ``query`` is in its name, aliases, title or
                              summary (case-, accent- and script-insensitive)
``where.source(...)``         it cites one of these sources anywhere (claims, figures,
                              milestones... included); a source record cites itself
``where.contested()``         its claims disagree: one denies or disputes, or two claims
                              give different versions of the same thing (same ``about``)
============================  ==========================================================

Actors, places, tags and sources given to one constructor are alternatives (any of them).
Evaluated on a Dataset (``select(ds, ...)``, ``context=ds``), a filter naming an actor, place
or source that the dataset does not have (or a tag no record carries) raises ``ValueError``,
as the command line does: a typo is not silently an empty result.

Results and the two paths
=========================

[`select`][sinotajik.select] returns a list, in the order of its input: for a Dataset, its own order
(actors, places, sources, events, agreements, facilities, each by id). ``kind=Event`` both
filters and types the result (``list[Event]``). Given a Dataset, selection uses an index
built on first use and kept for that dataset while it lives (in a registry of this package,
not in the dataset's fields): the positions of the records by each key a filter reads (kind
and sub-kind, actor and role, place, tag, confidence, cited source, contested), and the
records grouped by the days their dates may cover, sorted so that a date window is answered
by bisection. A filter is answered by applying its rule once to each distinct key.
Given any other iterable, each record is tested in turn with the same rule, resolving
actors' ``parent`` chains and places' ``within`` chains from ``context`` (by default the
records themselves). Both paths give the same answers; a property test checks it.

The modules: ``facts`` (the keys of each record, for both paths), ``resolve`` (the chains),
``index``, ``filters`` (``Filter``, ``where``), ``selection`` (``select``, ``find``),
``relations`` and ``asof``.

Knowledge time
==============

[`Dataset.as_of`][sinotajik.Dataset.as_of] (which calls ``asof.as_of_records``) keeps what the cited sources had
published by a date; its docstring says exactly what is kept.
"""

from __future__ import annotations

from .asof import as_of, published_by
from .facts import FACILITY_ROLES, record_dates
from .filters import Filter, where
from .relations import actor_history, agreement_events, agreement_facilities, event_responses, facility_claims
from .selection import find, select

__all__ = [
    "FACILITY_ROLES",
    "Filter",
    "actor_history",
    "agreement_events",
    "agreement_facilities",
    "as_of",
    "event_responses",
    "facility_claims",
    "find",
    "published_by",
    "record_dates",
    "select",
    "where",
]
