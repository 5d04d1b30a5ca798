"""Networks: actors linked by taking part in the same events and agreements.

[`actor_network`][sinotajik.actor_network] gives the nodes (actors) and weighted edges;
[`write_graphml`][sinotajik.write_graphml] writes them as GraphML (Gephi, Cytoscape, igraph,
networkx read it) with no extra dependency;
[`to_networkx`][sinotajik.to_networkx] builds a ``networkx.Graph`` (needs ``sinotajik[network]``).

Two actors are linked once per event in which both are participants and once per agreement
to which both are parties, whatever their roles. An edge keeps its ``weight`` (the number of
such records), the ids of the ``events`` and ``agreements``, and the ``first`` and ``last``
days they can fall on (an agreement spans its dated milestones), as ISO dates.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import os
from collections.abc import Iterable
from itertools import combinations
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

import attrs

from .._io import write_atomic
from .._model import Actor, Agreement, Event, Record
from .geojson import _record_when
from .tables import _collect

if TYPE_CHECKING:
    import networkx

__all__ = ["ActorNetwork", "actor_network", "to_networkx", "write_graphml"]


@attrs.frozen(kw_only=True)
class ActorNetwork:
    """Actors and the events and agreements they share.

    Attributes:
        nodes: one dict per actor taking part in anything: ``id``, ``name``, ``kind``,
            ``country`` (or ``None``) and ``records``, the number of events and agreements
            it takes part in. Sorted by id.
        edges: one dict per linked pair (``source`` < ``target``, by id): ``weight``,
            ``events`` and ``agreements`` (ids), ``first`` and ``last`` (ISO days, ``None``
            when unknown or open). Sorted by source then target.
    """

    nodes: tuple[dict[str, Any], ...]
    edges: tuple[dict[str, Any], ...]


def _iso(d: Any) -> str | None:
    return None if d is None else _dt.date(d.year, d.month, d.day).isoformat()


def actor_network(records: Iterable[Record] | Any, *, context: Iterable[Record] | None = None) -> ActorNetwork:
    """The actors linked by the events and agreements they take part in together.

    Actors named by no event or agreement are left out; one found neither among ``records``
    nor in ``context`` (a selection without its actors) is a node with its id as its name.

    Args:
        records: a Dataset or any iterable of records.
        context: the dataset (or any records) in which to look up the actors' names, kinds and
            countries besides the records themselves (``context=ds`` for a selection).
    """
    _version, cols = _collect(records, None)
    actors: dict[str, Actor] = {a.id: a for a in (context or ()) if isinstance(a, Actor)}
    actors.update((a.id, a) for a in cols["actors"])
    takes_part: dict[str, int] = {}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    shared: list[tuple[Event | Agreement, tuple[str, ...]]] = [
        (e, tuple(dict.fromkeys(p.actor for p in e.participants))) for e in cols["events"]
    ]
    shared += [(a, tuple(dict.fromkeys(p.actor for p in a.parties))) for a in cols["agreements"]]
    for rec, who in shared:
        for aid in who:
            takes_part[aid] = takes_part.get(aid, 0) + 1
        when = _record_when(rec)
        lo = None if when is None else _iso(when.earliest)
        hi = None if when is None else _iso(when.latest)
        for a, b in combinations(sorted(who), 2):
            edge = edges.setdefault(
                (a, b), {"source": a, "target": b, "weight": 0, "events": [], "agreements": [], "dates": []}
            )
            edge["weight"] += 1
            edge["events" if isinstance(rec, Event) else "agreements"].append(rec.id)
            edge["dates"].append((lo, hi))
    out_edges = []
    for key in sorted(edges):
        edge = edges[key]
        dates = edge.pop("dates")
        firsts = [lo for lo, _hi in dates]
        lasts = [hi for _lo, hi in dates]
        edge["first"] = None if None in firsts else min(firsts)
        edge["last"] = None if None in lasts else max(lasts)
        edge["events"] = sorted(edge["events"])
        edge["agreements"] = sorted(edge["agreements"])
        out_edges.append(edge)
    nodes = []
    for aid in sorted(takes_part):
        actor = actors.get(aid)
        nodes.append(
            {
                "id": aid,
                "name": aid if actor is None else actor.name,
                "kind": None if actor is None else actor.kind.value,
                "country": None if actor is None else actor.country,
                "records": takes_part[aid],
            }
        )
    return ActorNetwork(nodes=tuple(nodes), edges=tuple(out_edges))


_NODE_KEYS = (("name", "string"), ("kind", "string"), ("country", "string"), ("records", "int"))
_EDGE_KEYS = (
    ("weight", "int"),
    ("events", "string"),
    ("agreements", "string"),
    ("first", "string"),
    ("last", "string"),
)


def _data(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(value)
    return f'<data key="{key}">{escape(str(value))}</data>'


def graphml(records: Iterable[Record] | Any, *, context: Iterable[Record] | None = None) -> str:
    """The actor network as a GraphML document (undirected; lists are space-separated ids)."""
    net = actor_network(records, context=context)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for name, typ in _NODE_KEYS:
        lines.append(f'<key id="n_{name}" for="node" attr.name="{name}" attr.type="{typ}"/>')
    for name, typ in _EDGE_KEYS:
        lines.append(f'<key id="e_{name}" for="edge" attr.name="{name}" attr.type="{typ}"/>')
    lines.append('<graph id="actors" edgedefault="undirected">')
    for n in net.nodes:
        body = "".join(_data(f"n_{k}", n[k]) for k, _t in _NODE_KEYS)
        lines.append(f"<node id={quoteattr(n['id'])}>{body}</node>")
    for i, e in enumerate(net.edges):
        body = "".join(_data(f"e_{k}", e[k]) for k, _t in _EDGE_KEYS)
        lines.append(f'<edge id="e{i}" source={quoteattr(e["source"])} target={quoteattr(e["target"])}>{body}</edge>')
    lines += ["</graph>", "</graphml>", ""]
    return "\n".join(lines)


def write_graphml(
    records: Iterable[Record] | Any, path: str | os.PathLike[str], *, context: Iterable[Record] | None = None
) -> None:
    """Write the actor network (see [`actor_network`][sinotajik.actor_network]) as a GraphML file, atomically.

    Nodes carry ``name``, ``kind``, ``country`` and ``records``; edges ``weight``, ``events``
    and ``agreements`` (space-separated ids), ``first`` and ``last`` (ISO days). Gephi,
    Cytoscape, igraph and ``networkx.read_graphml`` open it.

    Args:
        records: a Dataset or any iterable of records.
        path: the file to write.
        context: where to look up actors missing from ``records`` (see `actor_network`).
    """
    from pathlib import Path

    write_atomic(Path(path), graphml(records, context=context).encode("utf-8"))


def to_networkx(records: Iterable[Record] | Any, *, context: Iterable[Record] | None = None) -> networkx.Graph:
    """The actor network as an undirected ``networkx.Graph`` (needs ``sinotajik[network]``).

    Node and edge attributes are those of [`actor_network`][sinotajik.actor_network] (edge lists stay lists).

    Args:
        records: a Dataset or any iterable of records.
        context: where to look up actors missing from ``records`` (see `actor_network`).

    Raises:
        ImportError: networkx is not installed; the message names the extra to install.
    """
    try:
        nx = importlib.import_module("networkx")
    except ImportError:
        raise ImportError("to_networkx() needs networkx: pip install 'sinotajik[network]'") from None
    net = actor_network(records, context=context)
    graph = nx.Graph()
    for n in net.nodes:
        graph.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
    for e in net.edges:
        graph.add_edge(e["source"], e["target"], **{k: v for k, v in e.items() if k not in ("source", "target")})
    return graph
