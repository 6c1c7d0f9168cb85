"""graphbuild.store and the load / push / query-a-store commands (no external server needed:
pushes go to small stub servers on 127.0.0.1 that record what they receive)."""
from __future__ import annotations

import base64
import contextlib
import io
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from graphbuild.cli import main
from graphbuild.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from graphbuild.export import write_graph
from graphbuild.query import run_query
from graphbuild.store import (PASSWORD_ENV, StoreError, build_graph_iri, is_store, load_files, ntriples_of,
                              parse_json_results, push, query_form)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's Dataset internals
FIXTURE = Path(__file__).parent / "fixtures" / "query_graph.ttl"
RES = "https://w3id.org/graphbuild/resource/"
SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".jsonld")


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def count(store_dir: Path, graph: str | None = None) -> int:
    store = ox.Store.read_only(str(store_dir))
    if graph is None:
        return len(store)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


@pytest.fixture(scope="module")
def sample_files(sample_build, tmp_path_factory) -> dict[str, Path]:
    """The sample build in every format graphbuild load accepts."""
    folder = tmp_path_factory.mktemp("sample-formats")
    return {suffix: write_graph(sample_build.graph, folder / f"graph{suffix}") for suffix in SUFFIXES}


@pytest.fixture(scope="module")
def sample_rows(sample_ttl) -> list:
    rows = run_query(sample_ttl, "who-spoke-with-whom").rows
    assert len(rows) > 10
    return rows


# --- load ------------------------------------------------------------------------------------------

def test_loading_twice_adds_nothing(sample_ttl, sample_rows, tmp_path):
    store = tmp_path / "store"
    first = load_files(store, [sample_ttl])
    n = len(Graph().parse(sample_ttl))
    assert (first.quads_before, first.quads_after, first.added, first.graph) == (0, n, n, None)
    second = load_files(store, [sample_ttl])
    assert (second.quads_before, second.quads_after, second.added) == (n, n, 0)
    assert is_store(store) and count(store) == n
    assert run_query(store, "who-spoke-with-whom").rows == sample_rows
    assert run_query(store, "who-spoke-with-whom", engine="rdflib").rows == sample_rows


def test_every_format_loads_the_same_triples(sample_files, sample_ttl, tmp_path):
    n = len(Graph().parse(sample_ttl))
    for suffix, path in sample_files.items():
        store = tmp_path / suffix[1:]
        assert load_files(store, [path]).quads_after == n, suffix
    together = tmp_path / "together"
    report = load_files(together, list(sample_files.values()))
    assert report.quads_after == n and report.named_graphs == ()


def test_overlapping_builds_keep_one_copy(sample_build, sample_rows, tmp_path):
    triples = sorted(sample_build.graph)
    third = len(triples) // 3
    parts = []
    for i, chunk in enumerate([triples[: 2 * third], triples[third:]]):  # the middle third is in both
        g = Graph()
        for t in chunk:
            g.add(t)
        parts.append(write_graph(g, tmp_path / f"part{i}.nt"))
    store = tmp_path / "store"
    assert load_files(store, [parts[0]]).quads_after == 2 * third
    assert load_files(store, [parts[1]]).quads_after == len(triples)
    assert run_query(store, "who-spoke-with-whom").rows == sample_rows


def test_named_graph_and_replace(sample_ttl, sample_rows, tmp_path):
    store, g = tmp_path / "store", RES + "graph/test"
    n = len(Graph().parse(sample_ttl))
    assert load_files(store, [sample_ttl], graph=g).named_graphs == (g,)
    assert load_files(store, [sample_ttl], graph=g).quads_after == n
    assert count(store, g) == n
    assert run_query(store, "who-spoke-with-whom").rows == sample_rows  # named graphs queried as their union
    assert run_query(store, "who-spoke-with-whom", engine="rdflib").rows == sample_rows
    small = len(Graph().parse(FIXTURE))
    report = load_files(store, [FIXTURE], graph=g, replace=True)
    assert report.quads_after == small and count(store, g) == small
    assert [r[0] for r in run_query(store, "sources").rows][:1] == [RES + "event/2016-12-20-meeting-serguei-lavrov"
                                                                     "-mevlut-cavusoglu"]


def test_load_command_and_query_a_store(sample_ttl, sample_files, tmp_path):
    store = tmp_path / "store"
    code, out, err = run("load", sample_ttl, sample_files[".nt"], "--store", store)
    assert code == EXIT_OK, err
    n = len(Graph().parse(sample_ttl))
    assert out.startswith(f"loaded 2 files into the default graph of {store}: +{n} quads, {n} in the store")
    code, out, _ = run("load", sample_ttl, "-s", store, "--quiet")
    assert code == EXIT_OK and out == ""
    assert count(store) == n
    for engine in ("oxigraph", "rdflib"):
        from_store = run("query", store, "who-spoke-with-whom", "--format", "tsv", "--engine", engine)
        from_file = run("query", sample_ttl, "who-spoke-with-whom", "--format", "tsv", "--engine", engine)
        assert from_store[0] == EXIT_OK and from_store[1] == from_file[1] and from_store[1].count("\n") > 10
    code, out, _ = run("load", FIXTURE, "--store", store, "--graph", RES + "graph/fixture")
    assert code == EXIT_OK and f"into named graph <{RES}graph/fixture>" in out and "(1 named graphs)" in out


def test_a_bad_file_leaves_the_store_untouched(sample_ttl, tmp_path):
    store = tmp_path / "store"
    load_files(store, [FIXTURE])
    before = count(store)
    bad = tmp_path / "bad.nt"
    bad.write_text(Path(write_graph(Graph().parse(sample_ttl), tmp_path / "ok.nt")).read_text() + "<x> <y\n")
    code, out, err = run("load", sample_ttl, bad, "--store", store)
    assert code == EXIT_FAILURE and out == ""
    assert err.startswith(f"graphbuild: error: {bad}: not valid N-Triples") and len(err.splitlines()) == 1
    assert count(store) == before  # the good file before it was not loaded either


@pytest.mark.parametrize("argv, code, message", [
    (["load", "nothing.ttl", "--store", "{tmp}/s"], EXIT_FAILURE, "nothing.ttl: no such file"),
    (["load", "{fixture}", "--store", "{tmp}/s", "--replace"], EXIT_USAGE, "--replace needs --graph"),
    (["load", "{fixture}", "--store", "{tmp}/s", "--graph", "not an iri"], EXIT_FAILURE, "not a valid IRI"),
    (["load", "{tmp}/graph.html", "--store", "{tmp}/s"], EXIT_FAILURE, "unknown RDF file type"),
    (["load", "{fixture}", "--store", "{tmp}/notastore"], EXIT_FAILURE, "is not an Oxigraph store"),
    (["load", "{fixture}"], EXIT_USAGE, "--store"),
    (["query", "{tmp}/notastore", "sources"], EXIT_FAILURE, "not an Oxigraph store"),
])
def test_load_errors(argv, code, message, tmp_path):
    (tmp_path / "graph.html").write_text("<html></html>")
    (tmp_path / "notastore").mkdir()
    (tmp_path / "notastore" / "file.txt").write_text("x")
    got, out, err = run(*[a.format(tmp=tmp_path, fixture=FIXTURE) for a in argv])
    assert got == code and message in err and "Traceback" not in err


def test_a_store_in_use_is_a_clear_error(tmp_path):
    store = tmp_path / "store"
    load_files(store, [FIXTURE])
    held = ox.Store(str(store))  # RocksDB takes a lock on the folder
    try:
        with pytest.raises(StoreError, match="cannot open the store"):
            load_files(store, [FIXTURE])
    finally:
        del held


# --- the graph IRI of a build -------------------------------------------------------------------------

def test_graph_iri_is_derived_from_the_documents(sample_files, tmp_path):
    iris = {build_graph_iri(ntriples_of(path)[0]) for path in sample_files.values()}
    assert len(iris) == 1
    iri = iris.pop()
    assert iri.startswith(RES + "graph/") and len(iri) == len(RES + "graph/") + 16
    assert build_graph_iri(ntriples_of(FIXTURE)[0]) != iri
    # same documents, other facts: same graph (a rebuild replaces its graph)
    g = Graph().parse(FIXTURE)
    g.remove((None, URIRef("https://w3id.org/graphbuild/diplomacy#quote"), None))
    assert build_graph_iri(ntriples_of(write_graph(g, tmp_path / "less.ttl"))[0]) == \
        build_graph_iri(ntriples_of(FIXTURE)[0])
    # another --base: the graph is named under it; no document: named by the content
    other = ntriples_of(FIXTURE)[0].replace(RES.encode(), b"http://example.org/res/")
    assert build_graph_iri(other).startswith("http://example.org/res/graph/")
    plain = b'<http://example.org/a> <http://example.org/p> "x" .\n'
    assert build_graph_iri(plain) == build_graph_iri(plain) != build_graph_iri(plain.replace(b"x", b"y"))


def test_ntriples_of_merges_and_sorts(tmp_path):
    body, n = ntriples_of(FIXTURE)
    lines = body.decode("utf-8").splitlines()
    assert n == len(lines) == len(Graph().parse(FIXTURE)) and lines == sorted(lines)
    assert isomorphic(Graph().parse(data=body.decode("utf-8"), format="nt"), Graph().parse(FIXTURE))
    with pytest.raises(StoreError, match="unknown RDF file type"):
        ntriples_of(tmp_path / "x.rdf")


# --- push, against stub Graph Store servers ---------------------------------------------------------

class _Recorder(BaseHTTPRequestHandler):
    """Answers what ``server.reply`` says; records each request; Basic auth when ``server.auth``."""

    def log_message(self, *args) -> None:
        pass

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        auth = self.server.auth
        if auth and self.headers.get("Authorization") != "Basic " + base64.b64encode(auth.encode()).decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="graphs"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, text = self.server.reply
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_PUT = do_POST = _handle


@contextlib.contextmanager
def stub(reply=(201, ""), auth=None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests, server.reply, server.auth = [], reply, auth
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}/ds/data"
    finally:
        server.shutdown()
        server.server_close()


def test_push_puts_sorted_ntriples_into_the_build_graph():
    with stub() as (server, url):
        report = push(FIXTURE, url)
        again = push(FIXTURE, url + "?default=no", append=True)
    (method, path, headers, body), (method2, path2, _, body2) = server.requests
    graph = build_graph_iri(ntriples_of(FIXTURE)[0])
    assert (report.graph, report.status, report.method, report.triples) == (graph, 201, "PUT", 151)
    assert method == "PUT" and headers["Content-Type"] == "application/n-triples; charset=utf-8"
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(path).query) == {"graph": [graph]}
    assert body == ntriples_of(FIXTURE)[0]
    assert isomorphic(Graph().parse(data=body.decode("utf-8"), format="nt"), Graph().parse(FIXTURE))
    assert (method2, again.method) == ("POST", "POST") and body2 == body
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(path2).query) == {"default": ["no"], "graph": [graph]}


def test_push_command_with_a_user(monkeypatch):
    with stub(reply=(204, ""), auth="ana:s3cret") as (server, url):
        monkeypatch.delenv(PASSWORD_ENV, raising=False)
        code, _, err = run("push", FIXTURE, "--endpoint", url, "--user", "ana")
        assert code == EXIT_USAGE and PASSWORD_ENV in err and server.requests == []
        monkeypatch.setenv(PASSWORD_ENV, "wrong")
        code, _, err = run("push", FIXTURE, "--endpoint", url, "--user", "ana")
        assert code == EXIT_FAILURE and "HTTP 401" in err
        monkeypatch.setenv(PASSWORD_ENV, "s3cret")
        code, out, err = run("push", FIXTURE, "--endpoint", url, "--user", "ana", "--graph", RES + "graph/mine")
        assert code == EXIT_OK, err
    assert out == f"pushed 151 triples to <{RES}graph/mine> at {url} (PUT, HTTP 204)\n"
    assert server.requests[-1][2]["Authorization"].startswith("Basic ")


def test_push_refused_shows_status_and_body():
    page = "<html><body>Forbidden: this dataset is <b>read-only</b> " + "x" * 1000 + "</body></html>"
    with stub(reply=(403, page)) as (_, url):
        code, out, err = run("push", FIXTURE, "--endpoint", url)
    assert code == EXIT_FAILURE and out == ""
    assert "refused: HTTP 403 Forbidden: <html><body>Forbidden: this dataset is <b>read-only</b>" in err
    assert len(err) < 700 and len(err.splitlines()) == 1


def test_push_unreachable_and_timeout():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _, err = run("push", FIXTURE, "--endpoint", f"http://127.0.0.1:{port}/store")
    assert code == EXIT_FAILURE and "cannot reach" in err and "refused" in err.lower()
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        code, _, err = run("push", FIXTURE, "--endpoint", url, "--timeout", "0.3")
    assert code == EXIT_FAILURE and "no answer within 0.3 s" in err


@pytest.mark.parametrize("argv, code, message", [
    (["push", "{fixture}", "--endpoint", "ftp://example.org/x"], EXIT_FAILURE, "is not an http(s) URL"),
    (["push", "{fixture}", "--endpoint", "http://127.0.0.1:9/x", "--timeout", "0"], EXIT_USAGE, "positive"),
    (["push", "{fixture}", "--endpoint", "http://127.0.0.1:9/x", "--graph", "a b"], EXIT_FAILURE, "not a valid IRI"),
    (["push", "missing.ttl", "--endpoint", "http://127.0.0.1:9/x"], EXIT_FAILURE, "missing.ttl: no such file"),
    (["push", "{fixture}"], EXIT_USAGE, "--endpoint"),
])
def test_push_errors(argv, code, message):
    got, _, err = run(*[a.format(fixture=FIXTURE) for a in argv])
    assert got == code and message in err and "Traceback" not in err


# --- reading remote answers -----------------------------------------------------------------------------

def test_parse_json_results_and_virtuoso_quirks():
    doc = b'''{"head": {"vars": ["s", "n", "l", "d"]}, "results": {"bindings": [
      {"s": {"type": "uri", "value": "http://x/a"},
       "n": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "3"},
       "l": {"type": "literal", "xml:lang": "fr", "value": "Alep"},
       "d": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#string", "value": "x"}},
      {"s": {"type": "bnode", "value": "b0"}}]}}'''
    r = parse_json_results(doc)
    assert r.columns == ["s", "n", "l", "d"] and r.rows == [("http://x/a", "3", "Alep", "x"), ("b0", None, None, None)]
    assert r.terms[0][1].datatype == "http://www.w3.org/2001/XMLSchema#integer"
    assert r.terms[0][2].lang == "fr" and r.terms[0][3].datatype is None and r.terms[1][0].kind == "bnode"
    ask = b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": ' \
          b'{"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "1"}}]}}'
    assert parse_json_results(ask).boolean is True
    assert parse_json_results(b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": []}}').boolean is False
    assert parse_json_results(b'{"head": {}, "boolean": false}').boolean is False
    with pytest.raises(StoreError, match="not SPARQL JSON"):
        parse_json_results(b"<html>oops</html>")


def test_query_form():
    assert query_form("# SELECT\nPREFIX ask: <http://x/SELECT#>\nconstruct { ?s ask:x ?o } WHERE { ?s ?p ?o }") \
        == "CONSTRUCT"
    assert query_form("PREFIX : <http://x/>\nSELECT ?ask WHERE { ?s :ASK ?ask }") == "SELECT"
    assert query_form("ASK { ?s ?p ?o }") == "ASK"
    with pytest.raises(StoreError):
        query_form("DROP ALL")
