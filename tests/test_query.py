"""graphbuild.query: named queries on a hand-made graph, both engines, safe parameters, result formats."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

import graphbuild.query as query_module
from graphbuild.errors import QueryError
from graphbuild.export import write_graph
from graphbuild.query import (ENGINES, Result, Term, list_queries, load_source, resolve_query, run_query,
                              to_csv, to_json, to_table, to_tsv)

# rdflib 7.x warns about its own Dataset/ConjunctiveGraph internals while parsing quads
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FIXTURE = Path(__file__).parent / "fixtures" / "query_graph.ttl"
RES = "https://w3id.org/graphbuild/resource/"
E1 = RES + "event/2016-12-20-phonecall-hassan-rohani-vladimir-poutine"
E2 = RES + "event/2016-12-29-phonecall-vladimir-poutine-recep-tayyip-erdogan"
E3 = RES + "event/2016-12-20-meeting-serguei-lavrov-mevlut-cavusoglu"
E4 = RES + "event/statement-staffan-de-mistura"
E5 = RES + "event/2017-01-23-meeting-vladimir-poutine-recep-tayyip-erdogan"
EXAMPLE_PARAMS = {"interactions-of": {"actor": "Poutine"}, "timeline": {"actor": "erdogan"},
                  "topics": {"a": "Russie", "b": "Turquie"}, "quotes": {"actor": "M. Poutine"}}
INJECTION = 'x" } ; DROP ALL ; #'


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(FIXTURE)


def run(name, params=None, engine="oxigraph"):
    return run_query(FIXTURE, name, params=params, engine=engine)


# --- the shipped queries -------------------------------------------------------------------

def test_list_queries():
    queries = {q.name: q for q in list_queries()}
    assert {"who-spoke-with-whom", "interactions-of", "timeline", "topics", "state-network", "quotes",
            "sources"} <= set(queries)
    for q in queries.values():
        assert q.description and q.text.startswith("# name: " + q.name)
        assert "ORDER BY" in q.text
        assert q.path is None or q.path.stem == q.name
    assert [(p.name, p.required) for p in queries["interactions-of"].params] == [("actor", True)]
    assert [(p.name, p.required) for p in queries["timeline"].params] == [("actor", False)]
    assert [(p.name, p.required) for p in queries["topics"].params] == [("a", True), ("b", True)]
    assert queries["state-network"].params == ()


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_engines_agree(name):
    params = EXAMPLE_PARAMS.get(name)
    ox_result, rdflib_result = run(name, params), run(name, params, engine="rdflib")
    assert ox_result.columns == rdflib_result.columns
    assert ox_result.terms == rdflib_result.terms
    assert len(ox_result) > 0


def test_who_spoke_with_whom():
    r = run("who-spoke-with-whom")
    assert r.columns == ["event", "mode", "date", "initiator", "addressee", "participants", "topics",
                         "modality", "documents"]
    assert r.rows == [
        (E3, "Meeting", "2016-12-20", "", "", "Iran, Mevlüt Çavuşoğlu, Sergueï Lavrov", "processus de paix",
         "Asserted", "003.txt"),
        (E1, "PhoneCall", "2016-12-20", "Hassan Rohani", "Vladimir Poutine", "Hassan Rohani, Vladimir Poutine",
         "Alep, assassinat de l'ambassadeur russe, négociations politiques", "Asserted", "001.txt"),
        (E2, "PhoneCall", "2016-12-29", "Vladimir Poutine", "Recep Tayyip Erdogan",
         "Recep Tayyip Erdogan, Vladimir Poutine", "Alep, processus de paix", "Asserted", "002.txt, 003.txt"),
        (E5, "Meeting", "2017-01-23", "", "", "Recep Tayyip Erdogan, Vladimir Poutine", "processus de paix",
         "Planned", "002.txt"),
        (E4, "Statement", None, "Staffan de Mistura", "", "Staffan de Mistura", "processus de paix",
         "Asserted", "002.txt"),
    ]
    date = r.terms[0][2]
    assert date == Term("literal", "2016-12-20", None, "http://www.w3.org/2001/XMLSchema#date")


@pytest.mark.parametrize("actor", ["Poutine", "poutine", "VLADIMIR POUTINE", "M. Poutine",
                                   RES + "person/vladimir-poutine"])
def test_interactions_of(actor):
    r = run("interactions-of", {"actor": actor})
    assert [row[1:] for row in r.rows] == [
        ("Vladimir Poutine", "addressee", E1, "PhoneCall", "2016-12-20", "Hassan Rohani", "Asserted"),
        ("Vladimir Poutine", "initiator", E2, "PhoneCall", "2016-12-29", "Recep Tayyip Erdogan", "Asserted"),
        ("Vladimir Poutine", "participant", E5, "Meeting", "2017-01-23", "Recep Tayyip Erdogan", "Planned"),
    ]
    assert {row[0] for row in r.rows} == {actor}


def test_interactions_of_undirected_meeting():
    r = run("interactions-of", {"actor": "lavrov"})
    assert [(row[2], row[3], row[6]) for row in r.rows] == [("participant", E3, "Iran, Mevlüt Çavuşoğlu")]
    assert run("interactions-of", {"actor": "nobody"}).rows == []


def test_timeline():
    everything = run("timeline")
    assert [row[5] for row in everything.rows] == [E3, E1, E2, E5, E4]  # by date, undated last
    assert [row[1] for row in everything.rows] == ["2016-12-20", "2016-12-20", "2016-12-29", "2017-01-23", None]
    assert [row[5] for row in run("timeline", {"actor": "erdogan"}).rows] == [E2, E5]
    assert run("timeline", {"actor": "Rohani"}).rows == [
        ("Rohani", "2016-12-20", "PhoneCall", "Appel téléphonique : Hassan Rohani → Vladimir Poutine", "Asserted", E1)]


def test_topics():
    r = run("topics", {"a": "Russie", "b": "Turquie"})
    assert r.columns == ["a", "b", "topic", "kind", "interactions", "first", "last"]
    assert [row[2:] for row in r.rows] == [("processus de paix", "Topic", "3", "2016-12-20", "2017-01-23"),
                                           ("Alep", "Place", "1", "2016-12-29", "2016-12-29")]
    persons = run("topics", {"a": "rohani", "b": "Poutine"})
    assert [row[2:4] for row in persons.rows] == [("Alep", "Place"), ("assassinat de l'ambassadeur russe", "Event"),
                                                  ("négociations politiques", "Topic")]
    assert run("topics", {"a": "Iran", "b": "Syrie"}).rows == []


def test_state_network():
    assert run("state-network").rows == [("Russie", "Turquie", "3"), ("Iran", "Russie", "2"),
                                         ("Iran", "Turquie", "1")]


def test_quotes():
    r = run("quotes")
    assert [(row[1], row[2]) for row in r.rows] == [
        ("Staffan de Mistura", "La paix est possible."),
        ("Staffan de Mistura", "Nous soutenons les pourparlers d'Astana."),
        ("Vladimir Poutine", 'Le cessez-le-feu doit être "respecté" par tous.'),
    ]
    assert [row[2] for row in run("quotes", {"actor": "staffan de MISTURA"}).rows] == [
        "La paix est possible.", "Nous soutenons les pourparlers d'Astana."]


def test_sources():
    r = run("sources")
    assert [(row[0], row[2]) for row in r.rows] == [(E3, "003.txt"), (E1, "001.txt"), (E2, "002.txt"),
                                                    (E2, "003.txt"), (E5, "002.txt"), (E4, "002.txt")]
    assert r.rows[1][3:] == ("Entretien téléphonique Rohani-Poutine", "2016-12-20", "http://example.org/news/001")


# --- parameters ---------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("substitutions", [True, False])
def test_injection_is_a_literal(engine, substitutions, monkeypatch):
    monkeypatch.setattr(query_module, "_USE_SUBSTITUTIONS", substitutions)
    for name in ("interactions-of", "timeline", "quotes"):
        assert run(name, {"actor": INJECTION}, engine=engine).rows == []
    assert run("topics", {"a": INJECTION, "b": "Russie"}, engine=engine).rows == []
    assert len(run("timeline", engine=engine)) == 5  # the graph is intact


def test_values_fallback_gives_same_rows(monkeypatch):
    expected = {name: run(name, params).rows for name, params in EXAMPLE_PARAMS.items()}
    monkeypatch.setattr(query_module, "_USE_SUBSTITUTIONS", False)
    for name, params in EXAMPLE_PARAMS.items():
        assert run(name, params).rows == expected[name]


def test_inject_values_skips_comments_strings_and_iris():
    text = '# WHERE { in a comment\nSELECT ?s WHERE { ?s <http://x/WHERE{> "WHERE {" }'
    out = query_module.inject_values(text, {"p": 'a"b\\c\n'})
    assert out.index('VALUES ?p { """a\\"b\\\\c\n""" }') > out.index('SELECT ?s WHERE {')
    with pytest.raises(QueryError):
        query_module.inject_values("DESCRIBE <http://x>", {"p": "v"})


def test_parameter_on_own_query():
    q = "SELECT ?s ?name WHERE { ?s a dip:State ; rdfs:label ?l . FILTER(STR(?l) = ?name) }"
    for engine in ENGINES:
        assert run_query(FIXTURE, q, params={"name": "Iran"}, engine=engine).rows == [
            (RES + "state/iran", "Iran")]
    q2 = "SELECT ?s WHERE { ?s a dip:State ; rdfs:label ?l . FILTER(STR(?l) = ?name) }"  # ?name not projected
    for engine in ENGINES:
        assert run_query(FIXTURE, q2, params={"name": "Iran"}, engine=engine).rows == [(RES + "state/iran",)]


def test_parameter_errors():
    with pytest.raises(QueryError, match="needs the parameter 'actor'"):
        run("interactions-of")
    with pytest.raises(QueryError, match="no parameter 'speaker'"):
        run("timeline", {"speaker": "x"})
    with pytest.raises(QueryError, match="no variable"):
        run_query(FIXTURE, "SELECT ?s WHERE { ?s ?p ?o }", params={"nothere": "x"})


# --- resolving queries, sources, errors --------------------------------------------------------------

def test_resolve_query(tmp_path):
    assert resolve_query("who-spoke-with-whom").startswith("# name: who-spoke-with-whom")
    sparql = "SELECT * WHERE { ?s ?p ?o }"
    assert resolve_query(sparql) == sparql
    path = tmp_path / "mine.rq"
    path.write_text("# name: mine\n# params: none\nSELECT ?s WHERE { ?s a dip:Person } ORDER BY ?s\n")
    assert resolve_query(str(path)).startswith("# name: mine")
    assert len(run_query(FIXTURE, str(path))) == 6
    with pytest.raises(QueryError) as err:
        resolve_query("who-talked")
    assert "who-spoke-with-whom" in str(err.value) and "interactions-of" in str(err.value)
    with pytest.raises(QueryError, match="cannot read"):
        resolve_query(str(tmp_path / "missing.rq"))


@pytest.mark.parametrize("engine", ENGINES)
def test_bad_sparql(engine):
    with pytest.raises(QueryError, match="invalid SPARQL") as err:
        run_query(FIXTURE, "SELECT ?s WHERE { ?s a }", engine=engine)
    assert len(str(err.value)) > len("invalid SPARQL: ")


@pytest.mark.parametrize("engine", ENGINES)
def test_sources_of_every_kind(graph, tmp_path, engine):
    expected = run("state-network").rows
    store = ox.Store()
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
    assert run_query(graph, "state-network", engine=engine).rows == expected
    assert run_query(store, "state-network", engine=engine).rows == expected
    for suffix in (".nt", ".jsonld"):
        path = write_graph(graph, tmp_path / ("graph" + suffix))
        assert run_query(path, "state-network", engine=engine).rows == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_named_graphs_are_queried_as_union(graph, tmp_path, engine):
    from rdflib import Dataset, URIRef
    ds = Dataset()
    for i, (s, p, o) in enumerate(sorted(graph)):
        ds.graph(URIRef(f"{RES}doc/part-{i % 3}")).add((s, p, o))
    expected = run("who-spoke-with-whom").rows
    for suffix in (".trig", ".nq"):
        path = write_graph(ds, tmp_path / ("graph" + suffix))
        assert run_query(path, "who-spoke-with-whom", engine=engine).rows == expected
    assert run_query(ds, "who-spoke-with-whom", engine=engine).rows == expected


def test_load_source_errors(tmp_path):
    with pytest.raises(QueryError, match="no such RDF file"):
        run_query(tmp_path / "nothing.ttl", "sources")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    with pytest.raises(QueryError, match="cannot parse"):
        load_source(bad, "oxigraph")
    with pytest.raises(QueryError, match="unknown engine"):
        run_query(FIXTURE, "sources", engine="virtuoso")
    with pytest.raises(QueryError, match="cannot query"):
        run_query(42, "sources")


@pytest.mark.parametrize("engine", ENGINES)
def test_ask_and_construct(engine):
    assert run_query(FIXTURE, "ASK { ?s a dip:State }", engine=engine).boolean is True
    assert run_query(FIXTURE, "ASK { ?s a dip:Planet }", engine=engine).boolean is False
    g = run_query(FIXTURE, "CONSTRUCT { ?s dip:represents ?o } WHERE { ?s dip:represents ?o }", engine=engine)
    assert isinstance(g, Graph) and len(g) == 6


# --- formats -------------------------------------------------------------------------------------

def sample() -> Result:
    return run("who-spoke-with-whom")


def test_csv():
    text = to_csv(sample())
    assert text.startswith("event,mode,date,initiator,addressee,participants,topics,modality,documents\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 6 and rows[1][0] == E3
    assert rows[2][6] == "Alep, assassinat de l'ambassadeur russe, négociations politiques"  # quoted: commas
    assert rows[5][2] == ""  # unbound


def test_tsv():
    text = to_tsv(sample())
    lines = text.split("\n")
    assert lines[0] == "?event\t?mode\t?date\t?initiator\t?addressee\t?participants\t?topics\t?modality\t?documents"
    first = lines[1].split("\t")
    assert first[0] == f"<{E3}>" and first[1] == '"Meeting"'
    assert first[2] == '"2016-12-20"^^<http://www.w3.org/2001/XMLSchema#date>'
    parsed = list(ox.parse_query_results(text.encode(), ox.QueryResultsFormat.TSV))
    assert len(parsed) == 5 and parsed[0]["event"] == ox.NamedNode(E3)
    quotes = to_tsv(run("quotes"))
    assert '"Le cessez-le-feu doit être \\"respecté\\" par tous."' in quotes


def test_json():
    doc = json.loads(to_json(sample()))
    assert doc["head"]["vars"][:3] == ["event", "mode", "date"]
    first = doc["results"]["bindings"][0]
    assert first["event"] == {"type": "uri", "value": E3}
    assert first["date"] == {"type": "literal", "value": "2016-12-20",
                             "datatype": "http://www.w3.org/2001/XMLSchema#date"}
    assert first["mode"] == {"type": "literal", "value": "Meeting"}
    assert "date" not in doc["results"]["bindings"][4]  # unbound: left out
    parsed = list(ox.parse_query_results(to_json(sample()).encode(), ox.QueryResultsFormat.JSON))
    assert len(parsed) == 5
    tagged = json.loads(to_json(run_query(FIXTURE, "SELECT ?l WHERE { ?s a dip:State ; rdfs:label ?l } ORDER BY ?l")))
    assert tagged["results"]["bindings"][0]["l"] == {"type": "literal", "value": "Iran", "xml:lang": "fr"}
    assert json.loads(to_json(run_query(FIXTURE, "ASK { ?s ?p ?o }"))) == {"head": {}, "boolean": True}


def test_table():
    text = to_table(sample(), max_width=20)
    lines = text.splitlines()
    assert lines[0].split() == ["event", "mode", "date", "initiator", "addressee", "participants", "topics",
                                "modality", "documents"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].startswith("event:2016-12-20-me…")
    assert all(len(cell) <= 20 for line in lines[2:-1] for cell in line.split("  ") if cell)
    assert lines[-1] == "(5 rows)"
    assert to_table(run_query(FIXTURE, "ASK { ?s ?p ?o }")) == "true\n"
    assert "https://w3id.org" in to_table(sample(), max_width=200, compact=False)
