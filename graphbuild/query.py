"""SPARQL over a built graph: named queries, safe parameters, two engines, W3C result formats.

Usage::

    result = run_query("out/graph.ttl", "interactions-of", params={"actor": "Poutine"})
    sys.stdout.write(to_table(result))     # or to_csv / to_tsv / to_json

Named queries live in ``graphbuild/queries/*.rq``; each starts with a comment header::

    # name: interactions-of
    # description: ...
    # params: actor (required) a label ...; other (optional) ...

Parameters are plain string literals, bound by the engine (rdflib ``initBindings``,
pyoxigraph ``substitutions``), never pasted into the query text.  pyoxigraph only
substitutes variables of the SELECT projection (and ``BOUND()`` of one is false), so the
shipped queries project their parameters and an optional parameter that is not given is
bound to ``""``.  Other variables get a ``VALUES`` clause holding an escaped literal.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from graphbuild.errors import QueryError
from graphbuild.export import PREFIXES, TYPE_SEGMENTS, guess_format, serialize

__all__ = ["NamedQuery", "Param", "Term", "Result", "list_queries", "resolve_query", "load_source",
           "run_query", "to_table", "to_csv", "to_tsv", "to_json", "ENGINES", "QUERY_PREFIXES"]

ENGINES = ("oxigraph", "rdflib")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_HEADER = re.compile(r"^#\s*(name|description|params)\s*:\s*(.*?)\s*$", re.M)
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((required|optional)\))?\s*(.*)$", re.S)
_SPARQL_START = re.compile(r"^\s*(?:#[^\n]*\n\s*)*(?:PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_USE_SUBSTITUTIONS = True  # pyoxigraph >= 0.4; tests switch it off to exercise the VALUES fallback
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
               "trig": ox.RdfFormat.TRIG, "json-ld": ox.RdfFormat.JSON_LD}
#: prefixes predeclared for every query (its own PREFIX lines win): the vocabulary's, plus person: state: ...
QUERY_PREFIXES = dict(PREFIXES, **{seg: f"{PREFIXES['res']}{seg}/" for seg in TYPE_SEGMENTS})
_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig", "json-ld": "json-ld"}


@dataclass(frozen=True)
class Param:
    name: str
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None


@dataclass(frozen=True)
class Term:
    """An RDF term of a result: kind is "uri", "literal" or "bnode" (as in SPARQL JSON results)."""
    kind: str
    value: str
    lang: str | None = None
    datatype: str | None = None  # None for simple (xsd:string) and language-tagged literals


@dataclass
class Result:
    """SELECT (columns and rows) or ASK (boolean) results."""
    columns: list[str]
    terms: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None

    @property
    def rows(self) -> list[tuple[str | None, ...]]:
        """Plain values: IRIs and literals as str (language and datatype dropped), None when unbound."""
        return [tuple(None if t is None else t.value for t in row) for row in self.terms]

    def __len__(self) -> int:
        return len(self.terms)


# --- named queries -------------------------------------------------------------------------

def parse_header(text: str) -> tuple[str, str, tuple[Param, ...] | None]:
    """(name, description, params) from a query's comment header; params None when not declared."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.lstrip().startswith("#"):
            break
        match = _HEADER.match(line.strip())
        if match:
            fields.setdefault(match.group(1), match.group(2))
    if "params" not in fields:
        return fields.get("name", ""), fields.get("description", ""), None
    params = []
    for entry in fields["params"].split(";"):
        entry = entry.strip()
        if entry and entry.lower() != "none":
            match = _PARAM.match(entry)
            if not match:
                raise QueryError(f"bad '# params:' entry {entry!r}")
            params.append(Param(match.group(1), match.group(2) != "optional", match.group(3).strip()))
    return fields.get("name", ""), fields.get("description", ""), tuple(params)


def list_queries() -> list[NamedQuery]:
    """The queries shipped in ``graphbuild/queries``, sorted by name."""
    out = []
    for entry in resources.files("graphbuild").joinpath("queries").iterdir():
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            name, description, params = parse_header(text)
            path = entry if isinstance(entry, Path) else None
            out.append(NamedQuery(name or entry.name[:-3], description, params or (), text, path))
    return sorted(out, key=lambda q: q.name)


def resolve_query(spec: str) -> str:
    """SPARQL text for ``spec``: SPARQL itself, a path to a ``.rq`` file, or a shipped query's name."""
    if _SPARQL_START.match(spec) or "{" in spec:
        return spec
    named = {q.name: q for q in list_queries()}
    if spec in named:
        return named[spec].text
    path = Path(spec)
    if path.suffix in (".rq", ".sparql") or path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"cannot read query file {spec}: {exc.strerror or exc}") from None
    raise QueryError(f"unknown query {spec!r}; available: {', '.join(sorted(named))} "
                     "(or give SPARQL text or a .rq file)")


def _bindings(text: str, params: dict[str, str] | None) -> dict[str, str]:
    params = dict(params or {})
    name, _, declared = parse_header(text)
    label = f"query {name!r}" if name else "the query"
    if declared is None:  # undeclared: any variable of the query may be bound
        unknown = [p for p in params if not re.search(rf"[?$]{re.escape(p)}\b", text)]
        if unknown:
            raise QueryError(f"{label} has no variable ?{unknown[0]} to bind")
        return {k: str(v) for k, v in params.items()}
    known = {p.name for p in declared}
    unknown = sorted(set(params) - known)
    if unknown:
        raise QueryError(f"{label} has no parameter {unknown[0]!r}; its parameters: "
                         f"{', '.join(sorted(known)) or 'none'}")
    for p in declared:
        if p.name not in params:
            if p.required:
                raise QueryError(f"{label} needs the parameter {p.name!r} ({p.description or 'required'})")
            params[p.name] = ""
    return {k: str(v) for k, v in params.items()}


# --- sources -----------------------------------------------------------------------------------

def load_source(source: Any, engine: str = "oxigraph") -> tuple[Any, bool]:
    """(graph or store ready for ``engine``, whether the default graph is the union of named graphs)."""
    if engine not in ENGINES:
        raise QueryError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if isinstance(source, (str, Path)) and Path(source).is_dir():  # a store folder (graphbuild load)
        from graphbuild.store import StoreError, open_store

        try:
            source = open_store(source, read_only=True)
        except StoreError as exc:
            raise QueryError(str(exc)) from None
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise QueryError(f"no such RDF file: {path}")
        fmt = guess_format(path)
        quads = fmt in ("nquads", "trig")
        try:
            if engine == "oxigraph":
                store = ox.Store()
                store.load(path=str(path), format=_OX_FORMATS[fmt])
                return store, quads
            graph = Dataset(default_union=True) if quads else Graph()
            graph.parse(path, format=_RDFLIB_FORMATS[fmt])
            return graph, quads
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"cannot parse {path}: {exc}") from None
    if isinstance(source, ox.Store):
        union = any(True for _ in source.named_graphs())
        if engine == "oxigraph":
            return source, union
        graph = Dataset(default_union=True)
        graph.parse(data=source.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
        return graph, union
    if isinstance(source, Graph):
        quads = bool(getattr(source, "context_aware", False))
        if engine == "rdflib":
            if isinstance(source, Dataset) and not source.default_union:  # a view over the same store
                return Dataset(store=source.store, default_union=True), True
            return source, quads
        store = ox.Store()
        store.load(serialize(source, "nquads" if quads else "ntriples"),
                   format=ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES)
        return store, quads
    raise QueryError(f"cannot query a {type(source).__name__}: give an rdflib Graph, a pyoxigraph Store or a path")


# --- running -----------------------------------------------------------------------------------

def run_query(source: Any, query: str, *, params: dict[str, str] | None = None,
              engine: str = "oxigraph") -> Result | Graph:
    """Run ``query`` (SPARQL, a ``.rq`` path or a shipped name) on ``source``.

    SELECT and ASK give a :class:`Result`; CONSTRUCT and DESCRIBE an rdflib Graph.
    """
    text = resolve_query(query)
    bindings = _bindings(text, params)
    target, union = load_source(source, engine)
    if engine == "rdflib":
        return _run_rdflib(target, text, bindings)
    return _run_oxigraph(target, text, bindings, union)


def _run_rdflib(graph: Graph, text: str, bindings: dict[str, str]) -> Result | Graph:
    try:
        prepared = prepareQuery(text, initNs=QUERY_PREFIXES)
    except Exception as exc:  # pyparsing's ParseException and friends
        raise QueryError(f"invalid SPARQL: {exc}") from None
    init = {name: Literal(value) for name, value in bindings.items()}
    try:
        res = graph.query(prepared, initBindings=init)
    except Exception as exc:
        raise QueryError(f"SPARQL evaluation failed: {exc}") from None
    if res.type in ("CONSTRUCT", "DESCRIBE"):
        out = Graph()
        for triple in res.graph or ():
            out.add(triple)
        return out
    if res.type == "ASK":
        return Result([], boolean=bool(res.askAnswer))
    columns = [str(v) for v in res.vars or ()]
    return Result(columns, [tuple(_from_rdflib(t) for t in row) for row in res])


def _run_oxigraph(store: ox.Store, text: str, bindings: dict[str, str], union: bool) -> Result | Graph:
    options = {"prefixes": QUERY_PREFIXES, "use_default_graph_as_union": union}
    try:
        if bindings and _USE_SUBSTITUTIONS:
            subs = {ox.Variable(k): ox.Literal(v) for k, v in bindings.items()}
            try:
                res = store.query(text, substitutions=subs, **options)
            except RuntimeError as exc:  # a parameter outside the SELECT projection
                if "projection" not in str(exc):
                    raise
                res = store.query(inject_values(text, bindings), **options)
        else:
            res = store.query(inject_values(text, bindings) if bindings else text, **options)
        if isinstance(res, ox.QueryBoolean):
            return Result([], boolean=bool(res))
        if isinstance(res, ox.QueryTriples):
            out = Graph()
            for t in res:
                out.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
            return out
        columns = [v.value for v in res.variables]
        return Result(columns, [tuple(_from_ox(sol[i]) for i in range(len(columns))) for sol in res])
    except SyntaxError as exc:
        raise QueryError(f"invalid SPARQL: {exc}") from None
    except (RuntimeError, OSError, ValueError) as exc:
        raise QueryError(f"SPARQL evaluation failed: {exc}") from None


def sparql_literal(value: str) -> str:
    """A SPARQL long string literal for ``value``: only ``\\`` and ``"`` are escaped (ECHAR)."""
    return '"""' + value.replace("\\", "\\\\").replace('"', '\\"') + '"""'


_SCAN = re.compile(r'''#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
                   r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|(?P<where>\bWHERE\b)|(?P<brace>\{)''',
                   re.I | re.S)


def inject_values(text: str, bindings: dict[str, str], *, typed: bool = False) -> str:
    """``text`` with ``VALUES ?name { "value" }`` opening its WHERE clause (comments, strings and IRIs skipped).

    ``typed`` writes ``"value"^^xsd:string`` (the same literal in RDF 1.1): Virtuoso 7 garbles
    non-ASCII characters of plain literals bound through VALUES, not of typed ones.
    """
    first_brace = after_where = None
    seen_where = False
    for match in _SCAN.finditer(text):
        if match.group("where"):
            seen_where = True
        elif match.group("brace"):
            first_brace = match.end() if first_brace is None else first_brace
            if seen_where:
                after_where = match.end()
                break
    at = after_where if after_where is not None else first_brace
    if at is None:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    suffix = f"^^<{_XSD_STRING}>" if typed else ""
    clause = " ".join(f"VALUES ?{k} {{ {sparql_literal(v)}{suffix} }}" for k, v in sorted(bindings.items()))
    return text[:at] + " " + clause + " " + text[at:]


def _from_rdflib(term) -> Term | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return Term("uri", str(term))
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    dt = str(term.datatype) if term.datatype is not None and not term.language else None
    return Term("literal", str(term), term.language or None, None if dt == _XSD_STRING else dt)


def _from_ox(term) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    dt = term.datatype.value
    return Term("literal", term.value, term.language or None,
                None if term.language or dt in (_XSD_STRING, _LANG_STRING) else dt)


def _to_rdflib(term):
    t = _from_ox(term)
    if t.kind == "uri":
        return URIRef(t.value)
    if t.kind == "bnode":
        return BNode(t.value)
    return Literal(t.value, lang=t.lang, datatype=URIRef(t.datatype) if t.datatype else None)


# --- formatters ---------------------------------------------------------------------------------

def _compact(iri: str, namespaces: list[tuple[str, str]]) -> str:
    for ns, prefix in namespaces:
        if iri.startswith(ns) and len(iri) > len(ns):
            return prefix + ":" + iri[len(ns):]
    return iri


def to_table(result: Result, *, max_width: int = 40, compact: bool = True) -> str:
    """Aligned columns for a terminal; IRIs as ``person:x`` when ``compact``; long cells cut with an ellipsis."""
    if result.boolean is not None:
        return "true\n" if result.boolean else "false\n"
    namespaces = sorted(((ns, p) for p, ns in QUERY_PREFIXES.items()), key=lambda x: -len(x[0])) if compact else []

    def cell(term: Term | None) -> str:
        if term is None:
            return ""
        text = _compact(term.value, namespaces) if term.kind == "uri" else " ".join(term.value.split())
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    rows = [[cell(t) for t in row] for row in result.terms]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(result.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def to_csv(result: Result) -> str:
    """SPARQL 1.1 Query Results CSV: header of names, plain values, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.boolean is not None:
        writer.writerow(["true" if result.boolean else "false"])
        return out.getvalue()
    writer.writerow(result.columns)
    for row in result.terms:
        writer.writerow(["" if t is None else "_:" + t.value if t.kind == "bnode" else t.value for t in row])
    return out.getvalue()


def _tsv_term(t: Term | None) -> str:
    if t is None:
        return ""
    if t.kind == "uri":
        return "<" + t.value + ">"
    if t.kind == "bnode":
        return "_:" + t.value
    text = '"' + t.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\r", "\\r").replace("\t", "\\t") + '"'
    if t.lang:
        return text + "@" + t.lang
    return text + ("^^<" + t.datatype + ">" if t.datatype else "")


def to_tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV: ``?var`` header, terms in N-Triples syntax."""
    if result.boolean is not None:
        return ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + c for c in result.columns)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.terms]
    return "\n".join(lines) + "\n"


def _json_term(t: Term) -> dict[str, str]:
    out = {"type": t.kind, "value": t.value}
    if t.lang:
        out["xml:lang"] = t.lang
    elif t.datatype:
        out["datatype"] = t.datatype
    return out


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2) + "\n"
    bindings = [{c: _json_term(t) for c, t in zip(result.columns, row) if t is not None} for row in result.terms]
    doc = {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
