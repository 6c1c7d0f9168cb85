"""``graphbuild view`` variants on the sample graph: the data embedded in the written page.

Expected node and edge sets are recomputed here from the RDF with plain triple walking,
not with :mod:`graphbuild.views`.
"""
from __future__ import annotations

import contextlib
import io
import json
import re
from collections import deque
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Namespace

from graphbuild.cli import main
from graphbuild.corpus import sample_gold_path
from graphbuild.errors import EXIT_FAILURE, EXIT_OK

DIP = Namespace("https://w3id.org/graphbuild/diplomacy#")
ACTOR_CLASSES = (DIP.Person, DIP.State, DIP.Organization)
_DATA = re.compile(r'<script type="application/json" id="gb-data">(.*?)</script>', re.S)


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def page_data(path: Path) -> dict:
    """The JSON payload the page carries (its strings are \\u-escaped, json.loads undoes it)."""
    match = _DATA.search(path.read_text(encoding="utf-8"))
    assert match, "no gb-data block in the page"
    return json.loads(match.group(1))


def view(sample_ttl, tmp_path, *options) -> dict:
    out = tmp_path / "view.html"
    code, stdout, stderr = run("view", sample_ttl, "-o", out, *options)
    assert code == EXIT_OK, stderr
    assert stdout == f"written: {out}\n"
    return page_data(out)


def compact(iri) -> str:
    return "/".join(str(iri).replace("#", "/").rstrip("/").split("/")[-2:])


def node_keys(data: dict, kind: str | None = None) -> set[str]:
    return {m["key"] for m in data["meta"].values() if kind is None or m["type"] == kind}


def edge_pairs(data: dict, kind: str = "interaction") -> set[frozenset]:
    key = {nid: m["key"] for nid, m in data["meta"].items()}
    return {frozenset((key[e["from"]], key[e["to"]])) for e in data["edges"] if e["kind"] == kind}


def asserted_interactions(g):
    for e in sorted(set(g.subjects(RDF.type, DIP.Interaction))):
        if all(m == DIP.Asserted for m in g.objects(e, DIP.modality)):
            yield e


def actor_pairs(g, e) -> list[tuple]:
    """Who is linked by one interaction: initiator x addressee, else every two participants."""
    initiators, addressees = set(g.objects(e, DIP.initiator)), set(g.objects(e, DIP.addressee))
    if initiators and addressees:
        return [(i, a) for i in initiators for a in addressees if i != a]
    everyone = sorted(set(g.objects(e, DIP.participant)) | initiators | addressees)
    return [(a, b) for n, a in enumerate(everyone) for b in everyone[n + 1:]]


@pytest.fixture(scope="module")
def g(sample_build):
    return sample_build.graph


def test_state_level(sample_ttl, tmp_path, g):
    data = view(sample_ttl, tmp_path, "--level", "state")
    assert data["level"] == "state"

    def fold(actor):
        if (actor, RDF.type, DIP.Person) in g:
            for target in sorted(g.objects(actor, DIP.represents)):
                if (target, RDF.type, DIP.State) in g:
                    return target
            for target in sorted(g.objects(actor, DIP.represents)):
                if (target, RDF.type, DIP.Organization) in g:
                    return target
        return actor

    expected_nodes, expected_edges = set(), set()
    for e in asserted_interactions(g):
        for a, b in actor_pairs(g, e):
            u, v = fold(a), fold(b)
            if u != v:
                expected_nodes |= {compact(u), compact(v)}
                expected_edges.add(frozenset((compact(u), compact(v))))
    assert node_keys(data) == expected_nodes
    assert edge_pairs(data) == expected_edges
    # persons are folded into their state: none that represents a state is left
    for meta in data["meta"].values():
        assert meta["type"] in ("state", "organization", "person")
        if meta["type"] == "person":
            assert meta["stateLabel"] == "", meta["label"]

    # the sample's Saïed -> Tebboune call (gold) is an edge Tunisie -> Algérie
    gold = [json.loads(line) for line in sample_gold_path().read_text(encoding="utf-8").splitlines()]
    call = next(i for d in gold for i in d["interactions"] if i["initiator"] == "Kaïs Saïed")
    assert call["addressee"] == "Abdelmadjid Tebboune"
    by_label = {m["label"]: nid for nid, m in data["meta"].items()}
    tunisie, algerie = by_label["Tunisie"], by_label["Algérie"]
    assert data["meta"][tunisie]["type"] == data["meta"][algerie]["type"] == "state"
    assert "Abdelmadjid Tebboune" in data["meta"][algerie]["members"]
    edge = next(e for e in data["edges"] if (e["from"], e["to"]) == (tunisie, algerie))
    assert edge["directed"] is True
    carried = [data["interactions"][i] for i in edge["ix"]]
    assert any((c["source"], c["target"], c["mode"]) == ("Kaïs Saïed", "Abdelmadjid Tebboune", "phonecall")
               for c in carried)


def ego(g, center, depth) -> tuple[set, set]:
    """Nodes within ``depth`` of ``center`` (direction ignored), and the actor links among them."""
    links = {frozenset(p) for e in asserted_interactions(g) for p in actor_pairs(g, e)}
    neighbours: dict = {}
    for link in links:
        a, b = tuple(link)
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    seen, queue = {center: 0}, deque([center])
    while queue:
        node = queue.popleft()
        if seen[node] < depth:
            for other in neighbours.get(node, ()):
                if other not in seen:
                    seen[other] = seen[node] + 1
                    queue.append(other)
    nodes = set(seen)
    return ({compact(n) for n in nodes},
            {frozenset(compact(x) for x in link) for link in links if link <= nodes})


@pytest.mark.parametrize("name, depth", [("Emmanuel Macron", 1), ("emmanuel macron", 2), ("Macky Sall", 2)])
def test_focus_is_the_ego_network(sample_ttl, tmp_path, g, name, depth):
    data = view(sample_ttl, tmp_path, "--focus", name, "--depth", depth)
    center = next(a for a in g.subjects(RDFS.label, None)
                  if str(g.value(a, RDFS.label)).casefold() == name.casefold())
    nodes, links = ego(g, center, depth)
    assert len(nodes) > 2
    assert data["focus"] == name
    assert node_keys(data) == nodes
    assert edge_pairs(data) == links


def test_focus_depth_grows_the_network(sample_ttl, tmp_path):
    one = node_keys(view(sample_ttl, tmp_path, "--focus", "Macky Sall", "--depth", "1"))
    two = node_keys(view(sample_ttl, tmp_path, "--focus", "Macky Sall", "--depth", "2"))
    assert "person/macky-sall" in one and one < two


def test_focus_on_an_unknown_name(sample_ttl, tmp_path):
    out = tmp_path / "x.html"
    code, stdout, stderr = run("view", sample_ttl, "-o", out, "--focus", "Emanuel Macron")
    assert (code, stdout) == (EXIT_FAILURE, "")
    assert stderr.startswith("graphbuild: error: focus: no actor is named 'Emanuel Macron'")
    assert stderr.rstrip("\n").endswith("close matches: 'Emmanuel Macron'")
    assert stderr.count("\n") == 1
    assert not out.exists()
    code, _, stderr = run("view", sample_ttl, "-o", out, "--focus", "Zzyzx Qwertyuiop")
    assert code == EXIT_FAILURE and "close matches" not in stderr


def test_with_topics(sample_ttl, tmp_path, g):
    plain = view(sample_ttl, tmp_path, "--title", "plain")
    data = view(sample_ttl, tmp_path, "--with-topics")
    actors = {a for cls in ACTOR_CLASSES for a in g.subjects(RDF.type, cls)}
    expected_topics, expected_links = set(), set()
    for e in asserted_interactions(g):
        members = {x for p in actor_pairs(g, e) for x in p}
        for topic in g.objects(e, DIP.topic):
            if topic not in actors and members:
                expected_topics.add(compact(topic))
                expected_links |= {frozenset((compact(m), compact(topic))) for m in members}
    assert expected_topics and node_keys(data, "topic") == expected_topics
    assert edge_pairs(data, "topic") == expected_links
    assert all(e["dashes"] for e in data["edges"] if e["kind"] == "topic")
    # every topic hangs on an actor, and the actor network itself is unchanged
    key_type = {m["key"]: m["type"] for m in data["meta"].values()}
    assert all(sorted(key_type[k] != "topic" for k in link) == [False, True] for link in edge_pairs(data, "topic"))
    assert edge_pairs(data) == edge_pairs(plain)
    assert node_keys(data) - node_keys(data, "topic") == node_keys(plain)
    # the Saïed -> Tebboune call was about medical aid (gold topic "aide médicale")
    saied = next(k for k, m in data["meta"].items() if m["label"] == "Kaïs Saïed")
    topics_of_saied = {data["meta"][e["to"]]["label"] for e in data["edges"]
                       if e["kind"] == "topic" and e["from"] == saied}
    assert "aide médicale" in topics_of_saied
