"""graphbuild.export: round trips (rdflib and pyoxigraph), determinism, atomic writes."""
from __future__ import annotations

import os
import random
import re
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graphbuild.errors import ExportError
from graphbuild.export import PREFIXES, guess_format, serialize, write_graph

# rdflib 7.x warns about its own Dataset/ConjunctiveGraph internals while parsing quads
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FIXTURE = Path(__file__).parent / "fixtures" / "query_graph.ttl"
DIP = Namespace(PREFIXES["dip"])
RES = Namespace(PREFIXES["res"])
RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "json-ld": "json-ld", "trig": "trig", "nquads": "nquads"}
OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
             "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
TRIPLE_FORMATS = ["turtle", "ntriples", "json-ld"]
ALL_FORMATS = [*TRIPLE_FORMATS, "trig", "nquads"]


def tricky_graph() -> Graph:
    """The fixture graph plus awkward terms: escapes, odd IRIs, typed literals, blank nodes."""
    g = Graph().parse(FIXTURE)
    e = RES["event/x"]
    g.add((e, RDF.type, DIP.Interaction))
    for text in ['quote " and back\\slash', "line\nbreak\r\ttab", "ctrl\x00\x01\x1f\x7f", "émoji 😀 عربى Кириллица",
                 "<not an iri>", "trailing space "]:
        g.add((e, DIP.evidence, Literal(text, lang="fr")))
        g.add((e, DIP.quote, Literal(text)))
    g.add((e, DIP.confidence, Literal("0.5", datatype=XSD.decimal)))
    g.add((e, DIP["count"], Literal("12", datatype=XSD.integer)))
    g.add((e, DIP["count"], Literal("-3", datatype=XSD.integer)))
    g.add((e, DIP.flag, Literal("true", datatype=XSD.boolean)))
    g.add((e, DIP.bad, Literal("douze", datatype=XSD.integer)))  # ill-typed: must stay quoted
    g.add((e, DIP.typed, Literal("x", datatype=URIRef("http://example.org/dt/odd-type"))))
    for local in ["person/a/b", "person/a.", "person/a.b", "person/é", "person/a%20b", "person/-x", "person/(x)",
                  "person/~x", "person/", "event/2016-12-29-phonecall-a-b", "x#y", "a:b"]:
        g.add((e, DIP.participant, URIRef(RES + local)))
    g.add((e, DIP.participant, URIRef("urn:isbn:2-07-036822-X")))
    g.add((URIRef(PREFIXES["dip"] + "dotted.name"), RDF.type, DIP.Thing))
    b1, b2 = BNode(), BNode()
    g.add((e, DIP.note, b1))
    g.add((b1, DIP.text, Literal("first")))
    g.add((b1, DIP.next, b2))
    g.add((b2, DIP.text, Literal("second")))
    return g


def dataset_from(graph: Graph) -> Dataset:
    """One named graph per document (its events), the rest in the default graph."""
    ds = Dataset()
    for prefix, ns in graph.namespaces():
        ds.bind(prefix, ns)
    docs = sorted(set(graph.objects(None, URIRef(PREFIXES["prov"] + "wasDerivedFrom"))))
    for s, p, o in graph:
        home = next((d for d in docs if (s, URIRef(PREFIXES["prov"] + "wasDerivedFrom"), d) in graph), None)
        (ds.graph(home) if home is not None else ds.default_graph).add((s, p, o))
    return ds


def named_graphs(ds: Dataset) -> dict:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def assert_same_dataset(a: Dataset, b: Dataset) -> None:
    ga, gb = named_graphs(a), named_graphs(b)
    assert ga.keys() == gb.keys()
    for name in ga:
        assert isomorphic(ga[name], gb[name]), name


def parse_rdflib(data: bytes, fmt: str):
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(data=data, format=RDFLIB_FORMAT[fmt])
        return ds
    return Graph().parse(data=data, format=RDFLIB_FORMAT[fmt])


def from_ox(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))


def parse_ox(data: bytes, fmt: str) -> Graph:
    g = Graph()
    for q in ox.parse(data, format=OX_FORMAT[fmt]):
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


def shuffled_copy(graph: Graph, seed: int) -> Graph:
    """Same triples, other insertion order, other namespace bindings, fresh blank nodes."""
    triples = list(graph)
    random.Random(seed).shuffle(triples)
    fresh: dict = {}
    out = Graph(bind_namespaces="none")
    for t in triples:
        out.add(tuple(fresh.setdefault(x, BNode()) if isinstance(x, BNode) else x for x in t))
    return out


def outside_strings_and_iris(text: str) -> str:
    text = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)
    return re.sub(r"<[^<>\s]*>", "<>", text)


# --- round trips ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", TRIPLE_FORMATS)
def test_round_trip_rdflib(fmt):
    g = tricky_graph()
    assert isomorphic(parse_rdflib(serialize(g, fmt), fmt), g)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_round_trip_pyoxigraph(fmt):
    g = tricky_graph()
    assert isomorphic(parse_ox(serialize(g, fmt), fmt), g)


@pytest.mark.parametrize("fmt", ["trig", "nquads", "json-ld"])
def test_dataset_round_trip_rdflib(fmt):
    ds = dataset_from(tricky_graph())
    assert len(named_graphs(ds)) == 4  # three documents + the default graph
    back = Dataset()
    back.parse(data=serialize(ds, fmt), format=RDFLIB_FORMAT[fmt])
    assert_same_dataset(ds, back)


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_dataset_round_trip_pyoxigraph(fmt):
    ds = dataset_from(Graph().parse(FIXTURE))
    parsed = list(ox.parse(serialize(ds, fmt), format=OX_FORMAT[fmt]))
    expected = {(str(s), str(p), str(o), "" if g in (None, DATASET_DEFAULT_GRAPH_ID) else str(g))
                for s, p, o, g in ds.quads()}
    got = {(q.subject.value, q.predicate.value, q.object.value,
            "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value) for q in parsed}
    assert got == expected


def test_dataset_as_triples_is_the_union():
    g = tricky_graph()
    ds = dataset_from(g)
    for fmt in ("turtle", "ntriples"):  # JSON-LD keeps the named graphs (tested above)
        assert isomorphic(parse_rdflib(serialize(ds, fmt), fmt), g)


def test_plain_graph_as_quads_goes_to_default_graph():
    g = Graph().parse(FIXTURE)
    lines = serialize(g, "nquads").decode().splitlines()
    assert len(lines) == len(g) and all(line.count(" <") <= 3 for line in lines)
    assert isomorphic(Graph().parse(data=serialize(g, "nquads"), format="nt"), g)


# --- determinism --------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_deterministic(fmt):
    g = tricky_graph()
    first = serialize(g, fmt)
    assert serialize(g, fmt) == first
    for seed in (1, 2):
        assert serialize(shuffled_copy(g, seed), fmt) == first


def test_deterministic_dataset():
    g = Graph().parse(FIXTURE)
    a, b = dataset_from(g), dataset_from(shuffled_copy(g, 3))
    for fmt in ("trig", "nquads", "json-ld"):
        assert serialize(a, fmt) == serialize(b, fmt)


def test_ntriples_sorted_and_blank_nodes_renumbered():
    lines = serialize(tricky_graph(), "nt").decode().splitlines()
    assert lines == sorted(lines)
    labels = set(re.findall(r"(?<![\w\"])_:(\w+)", "\n".join(outside_strings_and_iris(x) for x in lines)))
    assert labels == {"b0", "b1"}


# --- Turtle shape ---------------------------------------------------------------------

def test_turtle_shape():
    g = tricky_graph()
    g.add((RES["event/x"], DIP.bad, Literal("1.", datatype=XSD.decimal, normalize=False)))  # no Turtle short form
    text = serialize(g, "turtle").decode()
    assert "@prefix person: <https://w3id.org/graphbuild/resource/person/> ." in text
    assert "@prefix foaf:" not in text  # bound but unused
    assert "person:vladimir-poutine a dip:Person ;" in text
    assert "event:2016-12-29-phonecall-vladimir-poutine-recep-tayyip-erdogan a dip:Interaction, dip:PhoneCall ;" in text
    assert "dip:confidence 0.5 ;" in text and "dip:count -3, 12 ;" in text and "dip:flag true ;" in text
    assert '"douze"^^xsd:integer' in text and '"1."^^xsd:decimal' in text
    assert '"ctrl\\u0000\\u0001\\u001F\\u007F"@fr' in text
    assert '"line\\nbreak\\r\\ttab"' in text and "😀 عربى Кириллица" in text
    assert "<https://w3id.org/graphbuild/resource/person/a/b>" in text
    assert "<https://w3id.org/graphbuild/resource/person/a.>" in text
    subjects = [line.split(" ")[0] for line in text.split("\n\n")[1:] if line.strip()]
    assert subjects.index("person:vladimir-poutine") < subjects.index("state:russie")


def test_no_backslash_in_prefixed_names():
    text = serialize(tricky_graph(), "turtle").decode()
    rest = outside_strings_and_iris("\n".join(x for x in text.splitlines() if not x.startswith("@prefix")))
    assert "\\" not in rest
    for name in re.findall(r"(?<![\w<\"@])([A-Za-z][\w-]*:[^\s,;]*)", rest):
        assert re.fullmatch(r"[A-Za-z][\w-]*:[A-Za-z0-9_][A-Za-z0-9_-]*", name), name


def test_custom_base_gets_type_prefixes():
    base = "http://example.org/kg/"
    g = Graph()
    g.bind("res", base)
    g.add((URIRef(base + "person/a"), RDF.type, DIP.Person))
    text = serialize(g, "turtle").decode()
    assert f"@prefix person: <{base}person/> ." in text and "person:a a dip:Person" in text


def test_many_namespaces_is_not_quadratic():
    g = Graph()
    for i in range(20000):
        g.add((URIRef(f"http://example.org/ns{i}/thing"), DIP.p, URIRef(f"http://example.org/other{i}#x")))
    start = time.perf_counter()
    data = serialize(g, "turtle")
    assert time.perf_counter() - start < 10
    assert isomorphic(Graph().parse(data=data, format="turtle"), g)


def test_formats_and_errors():
    assert guess_format("a/graph.ttl") == "turtle" and guess_format("x.NT") == "ntriples"
    assert guess_format("x.jsonld") == guess_format("x.json") == "json-ld"
    assert guess_format("x.trig") == "trig" and guess_format("x.nq") == "nquads"
    with pytest.raises(ExportError):
        guess_format("graph.rdf")
    with pytest.raises(ExportError):
        serialize(Graph(), "rdfxml")
    assert serialize(Graph(), "turtle") == b""


# --- atomic writes -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "graph.nq"])
def test_write_graph(tmp_path, name):
    g = Graph().parse(FIXTURE)
    path = write_graph(g, tmp_path / name)
    assert path == tmp_path / name and os.listdir(tmp_path) == [name]
    assert path.read_bytes() == serialize(g, guess_format(name))


def test_failed_write_leaves_existing_file(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old content\n")
    bad = Graph().parse(FIXTURE)
    bad.add((RES["event/x"], DIP.evidence, Literal("lone surrogate \ud800")))
    with pytest.raises(ExportError, match="cannot write"):
        write_graph(bad, target)
    assert target.read_text() == "old content\n"
    assert os.listdir(tmp_path) == ["graph.ttl"]
    with pytest.raises(ExportError):
        write_graph(bad, tmp_path / "graph.unknown")
    assert os.listdir(tmp_path) == ["graph.ttl"]


def test_write_graph_explicit_format(tmp_path):
    g = Graph().parse(FIXTURE)
    path = write_graph(g, tmp_path / "new" / "out.data", format="nt")
    assert isomorphic(Graph().parse(path, format="nt"), g)


# --- property test: arbitrary text --------------------------------------------------------

SPECIAL = st.sampled_from(['"', "\\", "\n", "\r", "\t", "<", ">", "😀", "ع", "Ж", "\x00", "\x1f", "\x7f",
                           "\u2028", "\u0085", "'", "'''", '"""', "{", "}", "@", "^^", "#", "\ufeff", "é"])
TEXT = st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8), SPECIAL),
                max_size=8).map("".join)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_arbitrary_text_round_trips(text):
    g = Graph()
    s = RES["person/" + slugify(text)]
    g.add((s, RDF.type, DIP.Person))
    g.add((s, DIP.plain, Literal(text)))
    g.add((s, DIP.french, Literal(text, lang="fr")))
    g.add((s, DIP.typed, Literal(text, datatype=DIP.customType)))
    g.add((s, DIP.topic, URIRef(PREFIXES["res"] + "topic/" + quote(text, safe=""))))
    g.add((RES["topic/" + slugify(text[::-1])], DIP.about, s))
    for fmt in ("turtle", "ntriples"):
        data = serialize(g, fmt)
        assert set(parse_rdflib(data, fmt)) == set(g), data
        assert set(parse_ox(data, fmt)) == set(g), data
    assert set(parse_rdflib(serialize(g, "json-ld"), "json-ld")) == set(g)
