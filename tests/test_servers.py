"""Stores over HTTP: graphbuild's own ``serve`` endpoint, a real Oxigraph server and a real Virtuoso.

Each server gets the sample build and the query fixture graph (pushed with ``graphbuild push`` into
one named graph each, or loaded into a store folder for ``serve``), then every named query is asked
over the SPARQL protocol and the answers must equal the local pyoxigraph and rdflib ones, term for
term (value, language tag and datatype). The only normalisations are those of
``graphbuild.store.parse_json_results``: Virtuoso's ``typed-literal`` is read as ``literal``, an
explicit ``xsd:string`` datatype as a simple literal (the same literal in RDF 1.1), and its
``__ASK_RETVAL`` column as the ASK boolean.

The external servers are skipped when their program is missing, except in CI (``CI`` set), where
a missing program is a failure.
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from test_query import EXAMPLE_PARAMS

from graphbuild.cli import main
from graphbuild.errors import EXIT_OK
from graphbuild.query import list_queries, run_query
from graphbuild.serve import make_server
from graphbuild.store import (PASSWORD_ENV, StoreError, build_graph_iri, load_files, ntriples_of, push,
                              query_endpoint)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's Dataset internals
IN_CI = bool(os.environ.get("CI"))
FIXTURE = Path(__file__).parent / "fixtures" / "query_graph.ttl"
NAMES = [q.name for q in list_queries()]
#: parameters that match actors of the sample corpus (EXAMPLE_PARAMS are about the fixture graph);
#: accents and capitals on purpose: Virtuoso once garbled non-ASCII parameters.
SAMPLE_PARAMS = [("interactions-of", {"actor": "Emmanuel Macron"}),
                 ("interactions-of", {"actor": "Luiz Inácio Lula da Silva"}),
                 ("timeline", {"actor": "KAÏS SAÏED"}), ("quotes", {"actor": "Charles Michel"}),
                 ("topics", {"a": "France", "b": "Liban"})]
#: (graph, query, parameters, whether the answer must have rows)
CASES = ([("fixture", n, EXAMPLE_PARAMS.get(n), True) for n in NAMES]
         + [("sample", n, EXAMPLE_PARAMS.get(n), n not in EXAMPLE_PARAMS) for n in NAMES]
         + [("sample", n, p, True) for n, p in SAMPLE_PARAMS])
IDS = [f"{g}-{n}" + ("-" + "-".join(p.values()) if p else "") for g, n, p, _ in CASES]
#: rdflib needs 8 to 13 s each for these two on the sample (pyoxigraph: milliseconds); they are
#: compared with rdflib on the fixture graph only.
RDFLIB_TOO_SLOW_ON_SAMPLE = {"state-network", "topics"}
TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need(program: str | None, what: str) -> str:
    if program:
        return program
    if IN_CI:
        pytest.fail(f"CI is set but {what} is missing")
    pytest.skip(f"{what} is missing (set CI=1 to make this a failure)")


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"server not answering {url} after {seconds} s:\n{log.read_text(errors='replace')[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group, SIGKILL if it lingers."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def start(argv: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, env=env)


def triples_in(url: str, graph: str) -> int:
    r = query_endpoint(url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", timeout=TIMEOUT)
    return int(r.rows[0][0])


# --- what the answers must be ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def graphs(sample_ttl) -> dict[str, Path]:
    return {"fixture": FIXTURE, "sample": sample_ttl}


@pytest.fixture(scope="module")
def graph_iris(graphs) -> dict[str, str]:
    return {key: build_graph_iri(ntriples_of(path)[0]) for key, path in graphs.items()}


@pytest.fixture(scope="module")
def expected(graphs) -> dict:
    """Local pyoxigraph answers of every case."""
    return {(g, n, repr(p)): run_query(graphs[g], n, params=p) for g, n, p, _ in CASES}


RDFLIB_CASES = [(c, i) for c, i in zip(CASES, IDS) if not (c[0] == "sample" and c[1] in RDFLIB_TOO_SLOW_ON_SAMPLE)]


@pytest.mark.parametrize("case", [c for c, _ in RDFLIB_CASES], ids=[i for _, i in RDFLIB_CASES])
def test_local_engines_agree(case, graphs, expected):
    g, name, params, has_rows = case
    local = expected[g, name, repr(params)]
    assert len(local) > 0 or not has_rows
    other = run_query(graphs[g], name, params=params, engine="rdflib")
    assert (other.columns, other.terms) == (local.columns, local.terms)


def check(url: str, case, expected, default_graph: str | None) -> None:
    g, name, params, has_rows = case
    local = expected[g, name, repr(params)]
    remote = query_endpoint(url, name, params=params, default_graph=default_graph, timeout=TIMEOUT)
    assert remote.columns == local.columns
    assert remote.terms == local.terms
    assert len(remote) > 0 or not has_rows


# --- graphbuild serve ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(graphs, graph_iris, tmp_path_factory):
    """A store folder holding both graphs in their named graphs, served read-only on a free port."""
    store = tmp_path_factory.mktemp("served") / "store"
    for key, path in graphs.items():
        load_files(store, [path], graph=graph_iris[key])
    server = make_server(store, port=0)
    server.start()
    yield SimpleNamespace(url=server.url, store=store)
    server.stop()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_serve_answers_like_local_queries(case, served, graph_iris, expected):
    check(served.url, case, expected, graph_iris[case[0]])


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, content type, body) of a request, errors included."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return answer.status, answer.headers.get("Content-Type"), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type"), exc.read()


def form(**fields) -> bytes:
    return urllib.parse.urlencode(fields).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
STATES = "SELECT ?l WHERE { ?s a dip:State ; rdfs:label ?l } ORDER BY ?l"


def test_serve_refuses_updates(served):
    before = len(ox.Store.read_only(str(served.store)))
    drop = "DROP ALL"
    attempts = [
        http(served.url + "?" + urllib.parse.urlencode({"update": drop})),
        http(served.url, form(update=drop), FORM),
        http(served.url, drop.encode(), {"Content-Type": "application/sparql-update"}),
        http(served.url.rsplit("/", 1)[0] + "/update", form(update=drop), FORM),
    ]
    assert [status for status, _, _ in attempts] == [403, 403, 403, 403]
    assert all(b"read-only" in body for _, _, body in attempts)
    status, _, body = http(served.url, form(query=drop), FORM)  # an update where a query is expected
    assert status == 400 and body.startswith(b"invalid SPARQL")
    assert http(served.url + "?graph=x", b"<a> <b> <c> .", {"Content-Type": "application/n-triples"},
                method="PUT")[0] == 405
    assert len(ox.Store.read_only(str(served.store))) == before


def test_serve_result_formats(served, graph_iris):
    query = {"query": STATES, "default-graph-uri": graph_iris["fixture"]}
    get = served.url + "?" + urllib.parse.urlencode(query)
    names = ["Iran", "Russie", "Syrie", "Turquie"]
    for accept, fmt in [("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
                        ("text/html, application/xml;q=0.9, */*;q=0.1", ox.QueryResultsFormat.XML)]:
        status, ctype, body = http(get, headers={"Accept": accept})
        assert status == 200 and ctype.split(";")[0] in accept, accept
        rows = list(ox.parse_query_results(body, fmt))
        assert [r["l"].value for r in rows] == names, accept
    status, ctype, body = http(get, headers={"Accept": "text/csv"})  # lossy: pyoxigraph does not read it back
    assert status == 200 and ctype.startswith("text/csv")
    assert list(csv.reader(io.StringIO(body.decode("utf-8")))) == [["l"]] + [[n] for n in names]
    status, ctype, body = http(get)  # no Accept: JSON
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    assert http(get, headers={"Accept": "image/png"})[0] == 406
    # POST, as a form and as a sparql-query body (graph parameters in the URL)
    by_form = http(served.url, form(**query), FORM)
    by_body = http(served.url + "?" + urllib.parse.urlencode({"default-graph-uri": graph_iris["fixture"]}),
                   STATES.encode(), {"Content-Type": "application/sparql-query"})
    assert by_form[0] == by_body[0] == 200 and by_form[2] == by_body[2] == http(get)[2]
    ask = http(served.url + "?" + urllib.parse.urlencode({"query": "ASK { ?s a dip:State }"}))
    assert ask[0] == 200 and b'"boolean":true' in ask[2].replace(b" ", b"")


def test_serve_construct_is_turtle(served, graph_iris):
    q = "CONSTRUCT { ?p dip:represents ?s } WHERE { ?p dip:represents ?s }"
    url = served.url + "?" + urllib.parse.urlencode({"query": q, "default-graph-uri": graph_iris["fixture"]})
    status, ctype, body = http(url)
    assert status == 200 and ctype.startswith("text/turtle")
    assert body == http(url)[2]  # same answer, same bytes
    assert isomorphic(Graph().parse(data=body.decode(), format="turtle"), run_query(FIXTURE, q))
    status, ctype, nt = http(url, headers={"Accept": "application/n-triples"})
    assert status == 200 and ctype.startswith("application/n-triples") and len(nt.splitlines()) == 6


def test_serve_errors(served):
    assert http(served.url)[0] == 400  # no query
    status, _, body = http(served.url + "?query=" + urllib.parse.quote("SELECT ?s WHERE { ?s a }"))
    assert status == 400 and b"invalid SPARQL" in body
    assert http(served.url.rsplit("/", 1)[0] + "/nothing")[0] == 404
    assert http(served.url, b"query=x", {"Content-Type": "text/plain"})[0] == 415
    assert http(served.url + "?query=ASK%7B%7D&query=ASK%7B%7D")[0] == 400


def test_serve_command_over_a_graph_file(tmp_path):
    """The real command, as a process, over a graph file; stopped by SIGTERM."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "graphbuild", "serve", str(FIXTURE), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               start_new_session=True)
    try:
        line = process.stdout.readline()
        match = re.match(r"serving .*query_graph\.ttl \(151 triples\) read-only at (http://127\.0\.0\.1:\d+/sparql)",
                         line)
        assert match, line + process.stderr.read() if process.poll() is not None else line
        rows = query_endpoint(match.group(1), "state-network", timeout=TIMEOUT).rows
        assert rows == run_query(FIXTURE, "state-network").rows == [("Russie", "Turquie", "3"),
                                                                   ("Iran", "Russie", "2"), ("Iran", "Turquie", "1")]
        code, out, err = 0, io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["query", match.group(1), "timeline", "-p", "actor=erdogan", "-f", "csv"])
        assert code == EXIT_OK and out.getvalue().count("\r\n") == 3
    finally:
        stop(process)
    assert process.returncode == 0 and "stopped" in process.stderr.read()


# --- a real Oxigraph server -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def oxigraph_server(graphs, graph_iris, tmp_path_factory):
    local = Path(sys.executable).parent / "oxigraph"
    program = need(str(local) if local.is_file() else shutil.which("oxigraph"),
                   "the oxigraph server (pip install oxigraph, in the dev extra)")
    folder = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    log = folder / "server.log"
    process = start([program, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"], log)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/query?query=ASK%7B%7D", process, log)
        reports = {key: push(path, f"{base}/store", timeout=TIMEOUT) for key, path in graphs.items()}
        yield SimpleNamespace(query=f"{base}/query", store=f"{base}/store", reports=reports)
    finally:
        stop(process)


def test_push_to_oxigraph(oxigraph_server, graphs, graph_iris):
    for key, path in graphs.items():
        report = oxigraph_server.reports[key]
        n = len(Graph().parse(path))
        assert (report.graph, report.method, report.status, report.triples) == (graph_iris[key], "PUT", 201, n)
        assert triples_in(oxigraph_server.query, report.graph) == n
    key = "fixture"
    again = push(graphs[key], oxigraph_server.store, timeout=TIMEOUT)  # replaces: no duplicate
    assert again.status in (200, 204) and triples_in(oxigraph_server.query, graph_iris[key]) == again.triples
    push(graphs[key], oxigraph_server.store, append=True, timeout=TIMEOUT)  # adds the same set: no change
    assert triples_in(oxigraph_server.query, graph_iris[key]) == again.triples


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_oxigraph_server_answers_like_local_queries(case, oxigraph_server, graph_iris, expected):
    check(oxigraph_server.query, case, expected, graph_iris[case[0]])


# --- a real Virtuoso -------------------------------------------------------------------------------------

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/www
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="module")
def virtuoso(graphs, tmp_path_factory):
    program = need(shutil.which("virtuoso-t"), "virtuoso-t (apt-get install virtuoso-opensource-7)")
    folder = tmp_path_factory.mktemp("virtuoso")
    (folder / "www").mkdir()
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "console.log"
    process = start([program, "+foreground", "+configfile", str(ini)], log)
    try:
        base = f"http://127.0.0.1:{http_port}"
        wait_until_up(f"{base}/sparql?query=ASK%7B%7D", process, log, seconds=90)
        # the Graph Store endpoint that takes writes needs a user (Digest auth); a fresh database's
        # administrator is dba, password dba
        store = f"{base}/sparql-graph-crud-auth"
        reports = {key: push(path, store, user="dba", password="dba", timeout=TIMEOUT) for key, path in graphs.items()}
        yield SimpleNamespace(query=f"{base}/sparql", store=store, reports=reports)
    finally:
        stop(process)


def test_push_to_virtuoso(virtuoso, graphs, graph_iris, monkeypatch):
    for key, path in graphs.items():
        report = virtuoso.reports[key]
        assert (report.graph, report.status) == (graph_iris[key], 201)
        assert triples_in(virtuoso.query, report.graph) == len(Graph().parse(path))
    # again through the command, with the password from the environment: PUT replaces the graph
    monkeypatch.setenv(PASSWORD_ENV, "dba")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["push", str(FIXTURE), "--endpoint", virtuoso.store, "--user", "dba"])
    assert code == EXIT_OK, err.getvalue()
    assert f"to <{graph_iris['fixture']}>" in out.getvalue()
    assert triples_in(virtuoso.query, graph_iris["fixture"]) == 151
    with pytest.raises(StoreError, match="HTTP 401"):
        push(FIXTURE, virtuoso.store, user="dba", password="not the password", timeout=TIMEOUT)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_virtuoso_answers_like_local_queries(case, virtuoso, graph_iris, expected):
    check(virtuoso.query, case, expected, graph_iris[case[0]])


def test_virtuoso_ask_and_construct(virtuoso, graph_iris):
    g = graph_iris["fixture"]
    assert query_endpoint(virtuoso.query, "ASK { ?s a dip:State }", default_graph=g).boolean is True
    assert query_endpoint(virtuoso.query, "ASK { ?s a dip:Planet }", default_graph=g).boolean is False
    q = "CONSTRUCT { ?p dip:represents ?s } WHERE { ?p dip:represents ?s }"
    assert isomorphic(query_endpoint(virtuoso.query, q, default_graph=g), run_query(FIXTURE, q))
