"""A read-only SPARQL 1.1 Protocol endpoint over a graph file or an Oxigraph store folder.

``GET /sparql?query=...``, ``POST /sparql`` with a form (``query=...``) or an
``application/sparql-query`` body.  SELECT and ASK results come as SPARQL JSON (default), XML,
CSV or TSV following the ``Accept`` header; CONSTRUCT and DESCRIBE as Turtle (or N-Triples).
Updates are refused with 403.  stdlib ``http.server`` (one thread per request) over pyoxigraph.
"""
from __future__ import annotations

import logging
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from graphbuild.store import StoreError, open_store

__all__ = ["SparqlServer", "make_server", "open_source", "PATHS", "MAX_BODY"]

log = logging.getLogger(__name__)

#: the paths answering queries (``/query`` as in Oxigraph, ``/sparql`` as in Virtuoso and Fuseki).
PATHS = ("/sparql", "/query")
#: largest request body accepted, in bytes.
MAX_BODY = 1 << 20
_RESULTS = {  # media type -> pyoxigraph format, for SELECT and ASK
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {"text/turtle": "turtle", "application/n-triples": "ntriples", "text/plain": "ntriples"}


def _graph_bytes(triples: ox.QueryTriples, fmt: str) -> bytes:
    """CONSTRUCT or DESCRIBE triples through graphbuild's sorted writers: same answer, same bytes."""
    from rdflib import Graph

    from graphbuild.export import serialize
    from graphbuild.query import _to_rdflib

    graph = Graph()
    for t in triples:
        graph.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
    return serialize(graph, fmt)


def open_source(path: str | Path) -> tuple[ox.Store, str]:
    """(store, description) for a graph file (loaded in memory) or a store folder (opened read-only)."""
    from graphbuild.errors import QueryError
    from graphbuild.query import load_source

    path = Path(path)
    if path.is_dir():
        store = open_store(path, read_only=True)
        return store, f"store {path} ({len(store)} quads)"
    try:
        store, _ = load_source(path, "oxigraph")
    except QueryError as exc:
        raise StoreError(str(exc)) from None
    return store, f"{path} ({len(store)} triples)"


def _negotiate(accept: str, offers: dict, default: str) -> str | None:
    """The offered media type the Accept header prefers (q-values honoured, ties: first listed);
    ``default`` when there is no Accept header, None when nothing offered is acceptable."""
    if not accept.strip():
        return default
    best, best_q = None, 0.0
    for part in accept.split(","):
        mime, *fields = [f.strip().lower() for f in part.split(";")]
        q = 1.0
        for name, _, value in (f.partition("=") for f in fields):
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if mime == "*/*":
            found = default
        elif mime.endswith("/*"):
            found = default if default.startswith(mime[:-1]) else \
                next((m for m in offers if m.startswith(mime[:-1])), None)
        else:
            found = mime if mime in offers else None
        if found is not None and q > best_q:
            best, best_q = found, q
    return best


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "graphbuild-sparql"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        log.debug("%s %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8", head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", "GET, HEAD, POST")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"))

    def do_GET(self, head: bool = False) -> None:  # noqa: N802 - http.server's naming
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/":
            self._send(200, (f"graphbuild read-only SPARQL endpoint: {', '.join(PATHS)}?query=...\n").encode(),
                       head=head)
            return
        if url.path not in PATHS:
            self._error(404, f"not found; the SPARQL endpoint is at {PATHS[0]}")
            return
        self._answer(urllib.parse.parse_qs(url.query, keep_blank_values=True), head=head)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET(head=True)

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        length = self.headers.get("Content-Length")
        try:
            size = int(length) if length is not None else -1
        except ValueError:
            size = -1
        if size < 0:
            self.close_connection = True
            self._error(411, "a Content-Length header is required")
            return
        if size > MAX_BODY:
            self.close_connection = True
            self._error(413, f"request body larger than {MAX_BODY} bytes")
            return
        body = self.rfile.read(size)
        if url.path not in PATHS:
            self._error(403 if url.path in ("/update", "/store", "/data") else 404,
                        "this endpoint is read-only" if url.path in ("/update", "/store", "/data")
                        else f"not found; the SPARQL endpoint is at {PATHS[0]}")
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            self._error(403, "SPARQL updates are refused: this endpoint is read-only")
            return
        if ctype == "application/sparql-query":
            text = body.decode("utf-8", "replace")
            params.setdefault("query", []).insert(0, text)
        elif ctype == "application/x-www-form-urlencoded":
            for key, values in urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        else:
            self._error(415, "send application/sparql-query or a form (application/x-www-form-urlencoded)")
            return
        self._answer(params)

    def _answer(self, params: dict[str, list[str]], head: bool = False) -> None:
        if "update" in params:
            self._error(403, "SPARQL updates are refused: this endpoint is read-only")
            return
        queries = params.get("query", [])
        if len(queries) != 1:
            self._error(400, "give exactly one query parameter" if queries else "missing query parameter")
            return
        default_graphs = [g for g in params.get("default-graph-uri", []) if g]
        named = [g for g in params.get("named-graph-uri", []) if g]
        try:
            result = self.server.run(queries[0], default_graphs, named)
        except SyntaxError as exc:
            self._error(400, f"invalid SPARQL: {exc}")
            return
        except (OSError, RuntimeError, ValueError) as exc:
            self._error(400, f"query failed: {exc}")
            return
        accept = self.headers.get("Accept", "")
        if isinstance(result, ox.QueryTriples):
            mime = _negotiate(accept, _GRAPHS, "text/turtle")
            if mime is None:
                self._error(406, f"CONSTRUCT and DESCRIBE results are available as {', '.join(_GRAPHS)}")
                return
            data = _graph_bytes(result, _GRAPHS[mime])
        else:
            mime = _negotiate(accept, _RESULTS, "application/sparql-results+json")
            if mime is None:
                self._error(406, f"SELECT and ASK results are available as {', '.join(_RESULTS)}")
                return
            data = result.serialize(format=_RESULTS[mime])
        self._send(200, data, mime + "; charset=utf-8", head=head)

    def do_PUT(self) -> None:  # noqa: N802
        self._refuse()

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def _refuse(self) -> None:
        self.close_connection = True
        self._error(405, "this endpoint is read-only")


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; ``store`` is queried by every request (pyoxigraph stores are thread-safe)."""

    daemon_threads = True

    def __init__(self, store: ox.Store, host: str = "127.0.0.1", port: int = 0):
        from graphbuild.query import QUERY_PREFIXES

        self.store = store
        self.union = any(True for _ in store.named_graphs())
        self.prefixes = dict(QUERY_PREFIXES)
        super().__init__((host, port), _Handler)

    def run(self, text: str, default_graphs: list[str] = (), named_graphs: list[str] = ()):
        """pyoxigraph's answer to ``text``: the protocol's graph parameters, else the union of the graphs."""
        options: dict = {"prefixes": self.prefixes}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = self.union
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self.store.query(text, **options)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}{PATHS[0]}"

    def start(self) -> threading.Thread:
        """Serve in a background thread (for tests and notebooks); stop with :meth:`stop`."""
        thread = threading.Thread(target=self.serve_forever, name="graphbuild-sparql", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def make_server(source: str | Path | ox.Store, *, host: str = "127.0.0.1", port: int = 0) -> SparqlServer:
    """A :class:`SparqlServer` over a graph file, a store folder or a pyoxigraph Store (port 0: a free one)."""
    store = source if isinstance(source, ox.Store) else open_source(source)[0]
    try:
        return SparqlServer(store, host, port)
    except OSError as exc:
        raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
