"""GraphML and PLOVER JSON-lines exports (graphbuild.formats) and ``graphbuild export``.

Expected figures are computed independently of graphbuild.formats and of the HTML view's
model: with SPARQL on the sample graph and on the ontology file.
"""
from __future__ import annotations

import contextlib
import io
import json
import random
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from graphbuild.cli import EXPORT_FORMATS as CLI_EXPORT_FORMATS
from graphbuild.cli import build_parser, main
from graphbuild.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, InputError
from graphbuild.formats import (EXPORT_FORMATS, actor_network, load_graph, plover_events, serialize_format,
                                write_format)
from graphbuild.pipeline import write_outputs
from graphbuild.vocab import ontology_path

DIP = Namespace("https://w3id.org/graphbuild/diplomacy#")
RES = Namespace("https://w3id.org/graphbuild/resource/")
PREFIX = "PREFIX dip: <https://w3id.org/graphbuild/diplomacy#>\n" \
         "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" \
         "PREFIX prov: <http://www.w3.org/ns/prov#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
MODE_KEYS = {"PhoneCall": "phonecall", "Meeting": "meeting", "Visit": "visit", "Message": "message",
             "Statement": "statement", "Negotiation": "negotiation"}
ASSERTED = "FILTER NOT EXISTS { ?e dip:modality ?m . FILTER(?m != dip:Asserted) }"


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def local(iri) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def values(graph: Graph, query: str) -> list[tuple[str, ...]]:
    return [tuple(None if v is None else str(v) for v in row) for row in graph.query(PREFIX + query)]


@pytest.fixture(scope="module")
def sample_graph(sample_ttl) -> Graph:
    return Graph().parse(sample_ttl, format="turtle")


@pytest.fixture(scope="module")
def expected_network(sample_graph):
    """(nodes, edges) of the actor network, from SPARQL: edges[(u, v, directed)] = Counter of modes."""
    g = sample_graph
    modes = {}
    for e, cls in values(g, f"SELECT ?e ?c WHERE {{ ?e a dip:Interaction ; a ?c . {ASSERTED} }}"):
        if local(cls) in MODE_KEYS or e not in modes:
            modes[e] = MODE_KEYS.get(local(cls), modes.get(e, "interaction"))
    roles: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for prop in ("initiator", "addressee", "participant"):
        for e, a in values(g, f"SELECT ?e ?a WHERE {{ ?e a dip:Interaction ; dip:{prop} ?a . {ASSERTED} }}"):
            roles[e][prop].add(a)
    edges: dict[tuple, Counter] = defaultdict(Counter)
    for e, mode in modes.items():
        r = roles[e]
        if r["initiator"] and r["addressee"]:
            pairs = [(i, a, True) for i in r["initiator"] for a in r["addressee"] if i != a]
        else:
            everyone = sorted(r["participant"] | r["initiator"] | r["addressee"])
            pairs = [(u, v, False) for u, v in combinations(everyone, 2)]
        for pair in pairs:
            edges[pair][mode] += 1
    nodes = {x for u, v, _ in edges for x in (u, v)}
    return nodes, edges


@pytest.fixture(scope="module")
def graphml_file(sample_graph, tmp_path_factory) -> Path:
    return write_format(sample_graph, tmp_path_factory.mktemp("gml") / "graph.graphml")


# --- GraphML ---------------------------------------------------------------------------------

def test_graphml_nodes_and_edges_match_sparql(graphml_file, expected_network, sample_graph):
    nodes, edges = expected_network
    assert len(nodes) > 10 and any(d for _, _, d in edges)  # the sample has a real network, directed edges
    G = nx.read_graphml(graphml_file, force_multigraph=True)
    assert G.is_directed()
    assert set(G.nodes) == nodes
    got = {}
    for u, v, data in G.edges(data=True):
        key = (u, v, data["directed"])
        assert key not in got, f"two edges for {key}"
        got[key] = data
    assert set(got) == set(edges)
    for key, modes in edges.items():
        data = got[key]
        assert data["weight"] == sum(modes.values())
        for mode in [*MODE_KEYS.values(), "interaction"]:
            assert data[mode] == modes.get(mode, 0), (key, mode)


def test_graphml_node_attributes_match_sparql(graphml_file, sample_graph):
    G = nx.read_graphml(graphml_file, force_multigraph=True)
    labels = dict(values(sample_graph, "SELECT ?a ?l WHERE { ?a rdfs:label ?l }"))
    roles = dict(values(sample_graph, "SELECT ?a ?r WHERE { ?a dip:role ?r }"))
    kinds = {a: local(c).lower() for a, c in values(
        sample_graph, "SELECT ?a ?c WHERE { ?a a ?c . VALUES ?c { dip:Person dip:State dip:Organization } }")}
    states = dict(values(sample_graph, "SELECT ?a ?s WHERE { ?a dip:represents ?s . ?s a dip:State }"))
    for node, data in G.nodes(data=True):
        assert data["label"] == labels[node]
        assert data["type"] == kinds[node]
        assert data["role"] == roles.get(node, "")
        expected_state = node if kinds[node] == "state" else states.get(node, "")
        assert data["state"] == expected_state
        if expected_state:
            assert data["state_label"] == labels[expected_state]
    assert {d["type"] for _, d in G.nodes(data=True)} >= {"person", "state"}


def _tricky_graph(name: str) -> Graph:
    g = Graph()
    a, b, e, d = RES["person/tricky"], RES["state/ailleurs"], RES["event/call-1"], RES["doc/d1"]
    g.add((a, RDF.type, DIP.Person))
    g.add((a, RDFS.label, Literal(name, lang="fr")))
    g.add((a, DIP.role, Literal("chef ]]> <b>&amp;</b>")))
    g.add((b, RDF.type, DIP.State))
    g.add((b, RDFS.label, Literal("Ailleurs", lang="fr")))
    g.add((b, DIP.isoCode, Literal("FR")))
    g.add((a, DIP.represents, b))
    for t in (DIP.Interaction, DIP.PhoneCall):
        g.add((e, RDF.type, t))
    g.add((e, DIP.initiator, a))
    g.add((e, DIP.addressee, b))
    g.add((e, DIP.participant, a))
    g.add((e, DIP.participant, b))
    g.add((e, DIP.act, DIP.Praise))
    g.add((e, DIP.date, Literal("2024-01-02", datatype=XSD.date)))
    g.add((e, DIP.evidence, Literal(f'Il a dit « {name} » \\ fin', lang="fr")))
    g.add((e, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), d))
    g.add((d, URIRef("http://purl.org/dc/terms/identifier"), Literal('doc "1" <x>.txt')))
    return g


def test_graphml_escapes_text(tmp_path):
    name = 'Tom <"&"> O\'Brien\x01 </data></node>'
    path = write_format(_tricky_graph(name), tmp_path / "t.graphml", "graphml")
    ElementTree.parse(path)  # well-formed XML
    G = nx.read_graphml(path, force_multigraph=True)
    node = G.nodes[str(RES["person/tricky"])]
    assert node["label"] == name.replace("\x01", "\ufffd")  # XML 1.0 forbids U+0001
    assert node["role"] == "chef ]]> <b>&amp;</b>"
    assert node["state"] == str(RES["state/ailleurs"]) and node["state_label"] == "Ailleurs"
    [(u, v, data)] = G.edges(data=True)
    assert (u, v, data["directed"], data["phonecall"], data["weight"]) == (
        str(RES["person/tricky"]), str(RES["state/ailleurs"]), True, 1, 1)
    assert (data["first_date"], data["last_date"]) == ("2024-01-02", "2024-01-02")


# --- PLOVER ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def plover_lines(sample_graph, tmp_path_factory) -> list[dict]:
    path = write_format(sample_graph, tmp_path_factory.mktemp("plover") / "events.jsonl")
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def ontology_codes_sparql() -> dict[str, tuple]:
    onto = Graph().parse(ontology_path("diplomacy.ttl"), format="turtle")
    codes = {}
    for term, cameo, plover in values(onto, "SELECT ?t ?c ?p WHERE { ?t dip:cameoCode ?c "
                                            "OPTIONAL { ?t dip:ploverCategory ?p } }"):
        codes[local(term)] = (cameo, plover)
    return codes


def test_plover_counts(plover_lines, sample_graph):
    interactions = values(sample_graph, "SELECT DISTINCT ?e WHERE { ?e a dip:Interaction }")
    acts = values(sample_graph, "SELECT DISTINCT ?e ?a WHERE { ?e a dip:Interaction ; dip:act ?a }")
    kinds = Counter(r["record"] for r in plover_lines)
    assert kinds == {"interaction": len(interactions), "act": len(acts)}
    assert len({r["id"] for r in plover_lines}) == len(plover_lines)
    assert {r["id"] for r in plover_lines if r["record"] == "interaction"} == {e for (e,) in interactions}
    assert {(r["link"], r["act"]) for r in plover_lines if r["record"] == "act"} == {(e, local(a)) for e, a in acts}
    planned = values(sample_graph, "SELECT ?e WHERE { ?e dip:modality dip:Planned }")
    assert planned, "the sample has planned events"
    for r in plover_lines:
        assert (r["context"] == ["future"]) == ((r["link"],) in planned)
        assert r["modality"] == ("planned" if (r["link"],) in planned else "asserted")


def test_plover_codes_match_the_ontology(plover_lines, ontology_codes_sparql):
    seen = set()
    for r in plover_lines:
        term = r["act"] if r["record"] == "act" else r["interaction"]
        cameo, plover = ontology_codes_sparql[term]
        assert r["cameo"] == cameo, r["id"]
        assert r["event"] == ([plover] if plover else []), r["id"]
        assert r["quad_code"] == ({"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "DEMAND": 3, "DISAPPROVE": 3}[plover]
                                  if plover else None)
        seen.add(term)
    assert {"PhoneCall", "Meeting", "Visit", "Message", "Discuss"} <= seen
    modes = {r["interaction"]: r["mode"] for r in plover_lines if r["record"] == "interaction"}
    assert modes["PhoneCall"] == "phone" and modes["Visit"] == "visit" and modes["Meeting"] is None


def test_plover_actors_dates_and_sources(plover_lines, sample_graph):
    init = defaultdict(set)
    for e, a in values(sample_graph, "SELECT ?e ?a WHERE { ?e dip:initiator ?a }"):
        init[e].add(a)
    addr = defaultdict(set)
    for e, a in values(sample_graph, "SELECT ?e ?a WHERE { ?e dip:addressee ?a }"):
        addr[e].add(a)
    part = defaultdict(set)
    for e, a in values(sample_graph, "SELECT ?e ?a WHERE { ?e dip:participant ?a }"):
        part[e].add(a)
    dates = dict(values(sample_graph, "SELECT ?e ?d WHERE { ?e a dip:Interaction ; dip:date ?d }"))
    docs = defaultdict(set)
    for e, ident in values(sample_graph, "SELECT ?e ?i WHERE { ?e prov:wasDerivedFrom ?d . "
                                         "?d dcterms:identifier ?i }"):
        docs[e].add(ident)
    labels = dict(values(sample_graph, "SELECT ?a ?l WHERE { ?a rdfs:label ?l }"))
    iso = dict(values(sample_graph, "SELECT ?a ?c WHERE { { ?a dip:isoCode ?c } UNION "
                                    "{ ?a dip:represents ?s . ?s dip:isoCode ?c } }"))
    directed = 0
    for r in plover_lines:
        e = r["link"]
        source, recipient = {a["iri"] for a in r["source"]}, {a["iri"] for a in r["recipient"]}
        if init[e] and addr[e]:
            directed += 1
            assert (source, recipient) == (init[e], addr[e])
        else:
            assert (source, recipient) == (part[e], set())
        for actor in r["source"] + r["recipient"]:
            assert actor["actor_text"] == labels[actor["iri"]]
            assert actor["country"] == iso.get(actor["iri"])
            assert actor["code"] is None or len(actor["code"]) == 3
        assert r["date"] == dates.get(e)
        assert {c["citation"] for c in r["cite_info"]} == docs[e]
        assert r["event_text"] and all(isinstance(s, str) and s for s in r["event_text"])
    assert directed > 10
    french = [a for r in plover_lines for a in r["source"] + r["recipient"] if a["country"] == "FR"]
    assert french and all(a["code"] == "FRA" for a in french)


def test_plover_escapes_text():
    name = 'Tom <"&"> O\'Brien\x01 \u2028 "fin"'
    lines = serialize_format(_tricky_graph(name), "plover").decode("utf-8").splitlines()
    assert len(lines) == 2  # the call and its act, one line each despite U+2028
    records = [json.loads(line) for line in lines]
    assert [r["record"] for r in records] == ["interaction", "act"]
    assert records[0]["source"][0]["actor_text"] == name
    assert records[0]["source"][0]["code"] == "FRA"
    assert records[0]["event_text"] == [f'Il a dit « {name} » \\ fin']
    assert records[1]["cite_info"][0]["citation"] == 'doc "1" <x>.txt'
    assert (records[1]["act"], records[1]["event"], records[1]["cameo"]) == ("Praise", ["SUPPORT"], "051")


# --- determinism -------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["graphml", "plover"])
def test_deterministic_whatever_the_insertion_order(sample_graph, fmt):
    first = serialize_format(sample_graph, fmt)
    triples = list(sample_graph)
    random.Random(7).shuffle(triples)
    shuffled = Graph()
    for t in triples:
        shuffled.add(t)
    assert serialize_format(shuffled, fmt) == first
    assert serialize_format(sample_graph, fmt) == first


def test_actor_network_is_the_file(sample_graph, graphml_file):
    net = actor_network(sample_graph)
    assert list(net.nodes) == sorted(net.nodes)
    assert net.number_of_edges() == nx.read_graphml(graphml_file, force_multigraph=True).number_of_edges()
    assert len(plover_events(sample_graph)) > net.number_of_edges()


# --- build and the command line ------------------------------------------------------------

def test_write_outputs_adds_graphml_and_plover(sample_build, tmp_path):
    written = write_outputs(sample_build, tmp_path, formats=["turtle", "graphml", "plover"], html=False)
    assert written == [tmp_path / "graph.ttl", tmp_path / "graph.graphml", tmp_path / "events.jsonl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.jsonl", "graph.graphml", "graph.ttl"]
    assert (tmp_path / "events.jsonl").read_bytes() == serialize_format(sample_build.graph, "plover")
    args = build_parser().parse_args(["build", "-f", "graphml", "-f", "plover"])
    assert args.format == ["graphml", "plover"]


def test_cli_export_formats(sample_ttl, tmp_path):
    assert CLI_EXPORT_FORMATS == EXPORT_FORMATS
    code, out, err = run("export", sample_ttl, "-o", tmp_path / "g.graphml")
    assert (code, err) == (EXIT_OK, "") and out.startswith(f"written: {tmp_path / 'g.graphml'} (graphml")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() > 10
    code, out, err = run("export", sample_ttl, "-f", "plover")
    assert code == EXIT_OK and err == ""
    assert out.encode("utf-8") == serialize_format(load_graph(sample_ttl), "plover")
    # RDF to RDF through quads: the same Turtle bytes come back
    assert run("export", sample_ttl, "-o", tmp_path / "g.nq", "-q")[:2] == (EXIT_OK, "")
    assert run("export", tmp_path / "g.nq", "-f", "turtle", "-o", tmp_path / "back.data", "-q")[0] == EXIT_OK
    assert (tmp_path / "back.data").read_bytes() == sample_ttl.read_bytes()


def test_cli_export_errors(sample_ttl, tmp_path):
    target = tmp_path / "out.graphml"
    target.write_text("old\n")
    code, out, err = run("export", tmp_path / "missing.ttl", "-o", target)
    assert code == EXIT_FAILURE and err == f"graphbuild: error: {tmp_path / 'missing.ttl'}: no such file\n"
    broken = tmp_path / "broken.ttl"
    broken.write_text('<a> <b> "unterminated .\n', encoding="utf-8")
    code, out, err = run("export", broken, "-o", target)
    assert code == EXIT_FAILURE and err.startswith(f"graphbuild: error: {broken}: not a readable turtle graph")
    assert "Traceback" not in err and err.count("\n") == 1
    assert target.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["broken.ttl",
                                                                                           "out.graphml"]
    code, out, err = run("export", sample_ttl, "-f", "rdfxml", "-o", target)
    assert code == EXIT_USAGE and "invalid choice" in err
    code, out, err = run("export", sample_ttl, "-o", tmp_path / "out.unknown")
    assert code == EXIT_USAGE and "cannot guess the format" in err
    code, out, err = run("export", sample_ttl)
    assert code == EXIT_USAGE and "--format" in err
    with pytest.raises(InputError):
        load_graph(broken)
