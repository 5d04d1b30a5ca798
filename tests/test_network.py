"""The actor network: shared events and agreements as weighted, dated edges; GraphML and networkx."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import networkx as nx
from hypothesis import given, settings

import sinotajik
from conftest import Runner
from strategies import datasets

RELEASE = "2026.11.2"


def test_china_and_tajikistan_share_the_most() -> None:
    """In 2026.11.2 the heaviest edge links China and Tajikistan, through 12 events and 4 agreements, 2001 to 2026."""
    net = sinotajik.actor_network(sinotajik.load(RELEASE))
    top = max(net.edges, key=lambda e: e["weight"])
    assert (top["source"], top["target"]) == ("act-chn", "act-tjk")
    assert (top["weight"], len(top["events"]), len(top["agreements"])) == (16, 12, 4)
    assert (top["first"], top["last"]) == ("2001-06-15", "2026-03-31")
    names = {n["id"]: n["name"] for n in net.nodes}
    assert names["act-tjk"] == sinotajik.load(RELEASE).get("act-tjk").name


@settings(max_examples=30, deadline=None)
@given(datasets())
def test_weights_count_shared_records(ds: sinotajik.Dataset) -> None:
    """Each edge's weight is the number of events and agreements both actors take part in, and no pair is missed."""
    net = sinotajik.actor_network(ds)
    expected: dict[tuple[str, str], int] = {}
    for rec in (*ds.events, *ds.agreements):
        people = rec.participants if isinstance(rec, sinotajik.Event) else rec.parties
        for pair in combinations(sorted({p.actor for p in people}), 2):
            expected[pair] = expected.get(pair, 0) + 1
    assert {(e["source"], e["target"]): e["weight"] for e in net.edges} == expected
    assert all(e["weight"] == len(e["events"]) + len(e["agreements"]) for e in net.edges)


def test_graphml_reads_back_in_networkx(tmp_path: Path) -> None:
    """write_graphml writes valid GraphML that networkx reads into the same graph as to_networkx."""
    ds = sinotajik.load(RELEASE)
    path = tmp_path / "actors.graphml"
    sinotajik.write_graphml(ds, path)
    ET.parse(path)  # well-formed XML
    read = nx.read_graphml(path)
    built = sinotajik.to_networkx(ds)
    assert set(read.nodes) == set(built.nodes) and read.number_of_edges() == built.number_of_edges()
    assert read.edges["act-chn", "act-tjk"]["weight"] == built.edges["act-chn", "act-tjk"]["weight"] == 16
    assert read.nodes["act-chn"]["name"] == built.nodes["act-chn"]["name"]
    assert isinstance(built.edges["act-chn", "act-tjk"]["events"], list)


def test_cli_exports_graphml(cli: Runner) -> None:
    """export --format graphml prints the same document as the library writes."""
    proc = cli("export", "--format", "graphml", "--release", RELEASE)
    assert proc.returncode == 0, proc.stderr
    root = ET.fromstring(proc.stdout.encode("utf-8"))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    assert len(root.findall(f"{ns}graph/{ns}edge")) == len(sinotajik.actor_network(sinotajik.load(RELEASE)).edges)
