"""Triple stores: an embedded Oxigraph store on disk, pushing to any store, querying remote endpoints.

* :func:`load_files` bulk-loads graph files into a persistent pyoxigraph store (a folder).
  Triples go to the default graph unless a named graph is given: RDF graphs are sets and our
  IRIs are stable, so loading the same or an overlapping build again adds nothing new.
* :func:`push` sends one graph file to a store over the SPARQL 1.1 Graph Store HTTP Protocol,
  as N-Triples, into one named graph per build (:func:`build_graph_iri`).
* :func:`query_endpoint` runs a (named) query on a SPARQL 1.1 Protocol endpoint and returns the
  same :class:`~graphbuild.query.Result` as a local query.
"""
from __future__ import annotations

import hashlib
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from graphbuild.errors import GraphbuildError
from graphbuild.export import PREFIXES

__all__ = ["StoreError", "LOAD_FORMATS", "is_store", "open_store", "load_files", "LoadReport",
           "build_graph_iri", "ntriples_of", "push", "PushReport", "query_endpoint", "parse_json_results",
           "query_form", "PASSWORD_ENV"]

#: file suffixes ``graphbuild load`` and ``push`` accept, and their pyoxigraph formats.
LOAD_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
                ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}
#: environment variable holding the password for ``push --user``.
PASSWORD_ENV = "GRAPHBUILD_PASSWORD"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_DOC_IRI = re.compile(r"(.*/)doc/[^/]+\Z")
_EXCERPT = 300


class StoreError(GraphbuildError):
    """A store could not be opened, loaded, reached or queried."""


def _format_of(path: Path) -> ox.RdfFormat:
    fmt = LOAD_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF file type; use one of {', '.join(LOAD_FORMATS)}")
    return fmt


# --- the embedded store ---------------------------------------------------------------------------

def is_store(path: str | Path) -> bool:
    """Whether ``path`` is a folder holding an Oxigraph (RocksDB) store."""
    path = Path(path)
    return path.is_dir() and (path / "CURRENT").is_file()


def open_store(path: str | Path, *, read_only: bool = False) -> ox.Store:
    """Open (read-write, created when missing) or open read-only an Oxigraph store folder."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: not a folder (a store is a folder made by graphbuild load)")
    if read_only and not is_store(path):
        raise StoreError(f"{path}: not an Oxigraph store (no CURRENT file); fill one with graphbuild load")
    if not read_only and path.is_dir() and any(path.iterdir()) and not is_store(path):
        raise StoreError(f"{path}: folder exists and is not an Oxigraph store; give a new or empty folder")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        hint = " (is another process writing to it?)" if "lock" in str(exc).lower() else ""
        raise StoreError(f"{path}: cannot open the store{hint}: {exc}") from None


@dataclass(frozen=True)
class LoadReport:
    files: tuple[Path, ...]
    graph: str | None  # the named graph the triples went to; None: the default graph
    quads_before: int
    quads_after: int
    named_graphs: tuple[str, ...]

    @property
    def added(self) -> int:
        return self.quads_after - self.quads_before


def _check_syntax(path: Path, fmt: ox.RdfFormat) -> None:
    """Parse the whole file first: bulk loading is not transactional, a late syntax error would
    leave part of the file in the store."""
    try:
        for _ in ox.parse(path=str(path), format=fmt):
            pass
    except SyntaxError as exc:
        raise StoreError(f"{path}: not valid {fmt.name}: {exc.msg}") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load_files(store_dir: str | Path, files: list[str | Path], *, graph: str | None = None,
               replace: bool = False) -> LoadReport:
    """Bulk-load graph files (``.ttl .nt .nq .trig .jsonld``) into the store folder ``store_dir``.

    Triples go to the default graph, or to the named graph ``graph`` (emptied first when
    ``replace``); quads of ``.nq``/``.trig`` files keep their own graphs. Every file is checked
    before anything is written.
    """
    paths = [Path(f) for f in files]
    if not paths:
        raise StoreError("no graph file to load")
    formats = []
    for path in paths:
        fmt = _format_of(path)
        if not path.is_file():
            raise StoreError(f"{path}: no such file")
        formats.append(fmt)
    if replace and graph is None:
        raise StoreError("--replace needs --graph (the named graph to replace)")
    target = None
    if graph is not None:
        try:
            target = ox.NamedNode(graph)
        except ValueError as exc:
            raise StoreError(f"{graph!r} is not a valid IRI: {exc}") from None
    for path, fmt in zip(paths, formats):
        _check_syntax(path, fmt)
    store = open_store(store_dir)
    try:
        before = len(store)
        if replace and store.contains_named_graph(target):
            store.remove_graph(target)
        for path, fmt in zip(paths, formats):
            store.bulk_load(path=str(path), format=fmt, to_graph=target)
        store.flush()
        return LoadReport(tuple(paths), graph, before, len(store),
                          tuple(sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))))
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"loading into {store_dir} failed: {exc}") from None


# --- pushing over the Graph Store protocol ------------------------------------------------------

def ntriples_of(path: str | Path) -> tuple[bytes, int]:
    """The triples of a graph file (all graphs of a quads file, merged) as sorted N-Triples, and their count."""
    path = Path(path)
    fmt = _format_of(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such file")
    try:
        lines = {f"{q.subject} {q.predicate} {q.object} .\n" for q in ox.parse(path=str(path), format=fmt)}
    except SyntaxError as exc:
        raise StoreError(f"{path}: not valid {fmt.name}: {exc.msg}") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return "".join(sorted(lines)).encode("utf-8"), len(lines)


def build_graph_iri(ntriples: bytes, base: str | None = None) -> str:
    """The named graph of a build: ``<res>graph/<16 hex digits>``.

    The digits start the SHA-256 of the build's sorted ``dip:Document`` IRIs (its corpus), so a
    rebuild of the same articles (even with a newer extractor) replaces its own graph; a graph
    without documents is named by the SHA-256 of its sorted N-Triples.  ``<res>`` is the resource
    namespace of the documents (``--base`` of the build), https://w3id.org/graphbuild/resource/
    otherwise.
    """
    doc_type = f"<{_RDF_TYPE}> <{PREFIXES['dip']}Document> ."
    docs = sorted({line.split(" ", 1)[0][1:-1] for line in ntriples.decode("utf-8").splitlines()
                   if line.endswith(doc_type) and line.startswith("<")})
    spaces = {m.group(1) for m in map(_DOC_IRI.match, docs) if m}
    res = base or (spaces.pop() if len(spaces) == 1 else PREFIXES["res"])
    digest = hashlib.sha256(("\n".join(docs) + "\n").encode("utf-8") if docs else ntriples).hexdigest()
    return f"{res}graph/{digest[:16]}"


@dataclass(frozen=True)
class PushReport:
    endpoint: str
    graph: str
    triples: int
    status: int
    method: str


def _with_param(url: str, name: str, value: str) -> str:
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + joiner + urllib.parse.urlencode({name: value})


def _opener(url: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    if user is None:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, user, password or "")
    # Basic (Fuseki, GraphDB) or Digest (Virtuoso): whichever the server asks for.
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager),
                                       urllib.request.HTTPDigestAuthHandler(manager))


def _http(request: urllib.request.Request, *, timeout: float, user: str | None = None,
          password: str | None = None) -> tuple[int, str, bytes]:
    """(status, content type, body); HTTP refusals, timeouts and unreachable servers as StoreError."""
    url = request.full_url
    try:
        with _opener(url, user, password).open(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace") if exc.fp else ""
        excerpt = " ".join(body.split())[:_EXCERPT]
        raise StoreError(f"{request.get_method()} {url} refused: HTTP {exc.code} {exc.reason}"
                         + (f": {excerpt}" if excerpt else "")) from None
    except (TimeoutError, socket.timeout):
        raise StoreError(f"{request.get_method()} {url}: no answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise StoreError(f"{request.get_method()} {url}: no answer within {timeout:g} s") from None
        text = getattr(reason, "strerror", None) or str(reason)
        raise StoreError(f"cannot reach {url}: {text}") from None
    except (OSError, ValueError) as exc:  # connection reset, bad URL...
        raise StoreError(f"{request.get_method()} {url} failed: {exc}") from None


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"{url!r} is not an http(s) URL")


def push(path: str | Path, endpoint: str, *, graph: str | None = None, timeout: float = 60.0,
         user: str | None = None, password: str | None = None, append: bool = False) -> PushReport:
    """Send a graph file to ``endpoint`` (a Graph Store protocol URL) as the named graph ``graph``.

    ``PUT`` replaces the graph (default); ``append`` uses ``POST``, which adds to it.
    """
    _check_url(endpoint)
    body, count = ntriples_of(path)
    graph = graph or build_graph_iri(body)
    try:
        ox.NamedNode(graph)
    except ValueError as exc:
        raise StoreError(f"{graph!r} is not a valid IRI: {exc}") from None
    method = "POST" if append else "PUT"
    request = urllib.request.Request(_with_param(endpoint, "graph", graph), data=body, method=method,
                                     headers={"Content-Type": "application/n-triples; charset=utf-8"})
    status, _, _ = _http(request, timeout=timeout, user=user, password=password)
    return PushReport(endpoint, graph, count, status, method)


# --- querying a remote SPARQL endpoint ------------------------------------------------------------

def _with_prefixes(text: str) -> str:
    """``text`` with PREFIX lines for the predeclared prefixes it uses but does not declare."""
    from graphbuild.query import QUERY_PREFIXES

    declared = {m.lower() for m in re.findall(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", text, re.I)}
    lines = [f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(QUERY_PREFIXES.items())
             if p.lower() not in declared and re.search(rf"(?<![\w:<]){re.escape(p)}:", text)]
    return "".join(lines) + text


def _term(binding: dict[str, str]):
    from graphbuild.query import Term

    kind = binding.get("type")
    if kind == "uri":
        return Term("uri", binding["value"])
    if kind == "bnode":
        return Term("bnode", binding["value"])
    if kind in ("literal", "typed-literal"):  # "typed-literal": the 2008 draft, still sent by Virtuoso
        lang = binding.get("xml:lang") or None
        dt = binding.get("datatype")
        return Term("literal", binding["value"], lang, None if lang or dt in (None, _XSD_STRING, _LANG_STRING) else dt)
    raise StoreError(f"unexpected term in SPARQL results: {binding!r}")


def parse_json_results(data: bytes):
    """SPARQL 1.1 JSON results -> :class:`graphbuild.query.Result`.

    Virtuoso 7 answers ASK with one column ``__ASK_RETVAL`` (a row holding 1 when true, no row
    when false) instead of ``boolean``: read as the boolean it stands for.
    """
    from graphbuild.query import Result

    try:
        doc = json.loads(data)
        if "boolean" in doc:
            return Result([], boolean=bool(doc["boolean"]))
        columns = list(doc["head"]["vars"])
        rows = [tuple(_term(b[c]) if c in b else None for c in columns) for b in doc["results"]["bindings"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StoreError(f"not SPARQL JSON results: {exc}") from None
    if columns == ["__ASK_RETVAL"]:
        return Result([], boolean=any(row[0] is not None and row[0].value not in ("0", "false") for row in rows))
    return Result(columns, rows)


_FORM = re.compile(r"(?<![\w:?$.-])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:.-])", re.I)
_NOT_CODE = re.compile(r"#[^\n]*|<[^<>\"{}|^`\\\s]*>")


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these keywords after the prologue
    (which holds only PREFIX and BASE declarations, IRIs and comments)."""
    match = _FORM.search(_NOT_CODE.sub(" ", text))
    if match is None:
        raise StoreError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return match.group(1).upper()


def query_endpoint(url: str, query: str, *, params: dict[str, str] | None = None, timeout: float = 60.0,
                   default_graph: str | None = None, user: str | None = None, password: str | None = None) -> Any:
    """Run ``query`` (SPARQL, a ``.rq`` path or a shipped name) on a SPARQL 1.1 Protocol endpoint.

    Parameters are bound with a ``VALUES`` clause of escaped ``xsd:string`` literals (explicitly
    typed, which RDF 1.1 makes the same literal, because Virtuoso 7 garbles the non-ASCII
    characters of plain ones); the predeclared prefixes are
    added when used; ``default_graph`` (``default-graph-uri``) makes one named graph, e.g. a pushed
    build, the default graph.  SELECT and ASK give a :class:`~graphbuild.query.Result`, CONSTRUCT
    and DESCRIBE an rdflib Graph.
    """
    from graphbuild import query as q

    _check_url(url)
    text = q.resolve_query(query)
    bindings = q._bindings(text, params)
    if bindings:
        text = q.inject_values(text, bindings, typed=True)
    form = {"query": _with_prefixes(text)}
    if default_graph:
        form["default-graph-uri"] = default_graph
    body = urllib.parse.urlencode(form).encode("utf-8")
    graph_form = query_form(text) in ("CONSTRUCT", "DESCRIBE")
    accept = "application/n-triples, text/turtle;q=0.9" if graph_form else "application/sparql-results+json"
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    _, ctype, data = _http(request, timeout=timeout, user=user, password=password)
    ctype = ctype.split(";")[0].strip().lower()
    if not graph_form:
        return parse_json_results(data)
    try:  # N-Triples is a subset of Turtle: Turtle reads either
        return Graph().parse(data=data.decode("utf-8"), format="turtle")
    except Exception as exc:  # rdflib's parser errors
        raise StoreError(f"{url}: unreadable {ctype or 'untyped'} answer to a {query_form(text)} query: {exc}") \
            from None
