"""Fast, deterministic, atomic RDF writers (Turtle, N-Triples, N-Quads, TriG, JSON-LD).

rdflib's own Turtle serializer is slow and turns quadratic when many IRIs look
like separate namespaces (rdflib issues #1752, #2135), and its output order
depends on insertion order.  The writers here produce the same bytes for the
same graph, whatever order it was built in:

* subjects, predicates (``rdf:type`` first) and objects are sorted;
* a prefixed name is used only when its local part needs no escape at all
  (no ``\\/`` that Virtuoso would keep inside the IRI), otherwise ``<...>``;
* blank nodes get labels ``_:b0``, ``_:b1``... from a structural hash, so that
  isomorphic graphs are written identically.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain
from json.encoder import encode_basestring
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.memory import Memory

from graphbuild.errors import ExportError

try:
    from graphbuild.vocab import PREFIXES
except ImportError:  # vocab.py not available: same table, kept in sync by tests
    PREFIXES = {
        "dip": "https://w3id.org/graphbuild/diplomacy#",
        "res": "https://w3id.org/graphbuild/resource/",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "prov": "http://www.w3.org/ns/prov#",
        "dcterms": "http://purl.org/dc/terms/",
        "schema": "https://schema.org/",
        "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "wd": "http://www.wikidata.org/entity/",
    }

__all__ = ["PREFIXES", "TYPE_SEGMENTS", "FORMATS", "serialize", "write_graph", "write_atomic", "guess_format"]

#: resource types whose IRIs ``<res>/<type>/<slug>`` get their own prefix.
TYPE_SEGMENTS = ("person", "state", "org", "place", "topic", "event", "doc")

#: format names and aliases accepted by :func:`serialize` and :func:`write_graph`.
FORMATS = {"turtle": "turtle", "ttl": "turtle", "nt": "ntriples", "ntriples": "ntriples", "n-triples": "ntriples",
           "nquads": "nquads", "n-quads": "nquads", "nq": "nquads", "trig": "trig",
           "json-ld": "json-ld", "jsonld": "json-ld", "json": "json-ld"}
_SUFFIXES = {".ttl": "turtle", ".nt": "ntriples", ".nq": "nquads", ".trig": "trig",
             ".jsonld": "json-ld", ".json": "json-ld"}

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SHORT_FORMS = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+\Z"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+\Z"),
    _XSD + "boolean": re.compile(r"(?:true|false)\Z"),
}
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*\Z")
_SAFE_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_STR_BAD = re.compile(r'[\x00-\x1f\x7f"\\]')
_STR_ESCAPES = {c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]}
_STR_ESCAPES.update({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n",
                     ord("\r"): "\\r", ord("\t"): "\\t"})
_IRI_ESCAPES = {c: f"\\u{c:04X}" for c in [*range(0x21), *map(ord, '<>"{}|^`\\')]}


def guess_format(path: str | os.PathLike[str]) -> str:
    """The format name for a file name, from its suffix (``.ttl``, ``.nt``...)."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise ExportError(f"cannot guess the RDF format of {str(path)!r}; "
                          f"use one of {', '.join(sorted(_SUFFIXES))} or give a format")
    return _SUFFIXES[suffix]


def _normalise_format(fmt: str) -> str:
    try:
        return FORMATS[fmt.lower()]
    except KeyError:
        raise ExportError(f"unknown RDF format {fmt!r}; known: {', '.join(sorted(FORMATS))}") from None


def _quote(lex: str) -> str:
    if _STR_BAD.search(lex):
        lex = lex.translate(_STR_ESCAPES)
    return '"' + lex + '"'


# Terms are handled as plain keys, hashed and compared in C (rdflib's __eq__ is Python):
# an IRI is a str, a blank node a 1-tuple (label,), a literal (lexical, datatype, language).

def _key(term) -> str | tuple:
    if type(term) is URIRef:
        return str(term)
    if isinstance(term, Literal):
        dt = term.datatype
        return (str(term), "" if dt is None else str(dt), term.language or "")
    if isinstance(term, BNode):
        return (str(term),)
    if isinstance(term, URIRef):  # a subclass
        return str(term)
    raise ExportError(f"cannot serialise term {term!r}")


def _keys(stmts: Iterable[tuple]) -> list[tuple]:
    """Statements of rdflib terms -> statements of plain keys (None stays None)."""
    out = []
    append = out.append
    for st in stmts:
        if len(st) == 3:
            s, p, o = st
            if type(s) is URIRef and type(p) is URIRef:
                append((str(s), str(p), str(o) if type(o) is URIRef else _key(o)))
            else:
                append((_key(s), _key(p), _key(o)))
        else:
            append(tuple(None if t is None else _key(t) for t in st))
    return out


class _Terms:
    """Renders plain keys (cached), records which prefixes were used, orders terms."""

    def __init__(self, prefixes: dict[str, str] | None, colors: dict[tuple, str]):
        self.by_ns = {ns: p for p, ns in (prefixes or {}).items()}
        self.used: set[str] = set()
        self.colors = colors
        self.cache: dict = {}
        self.get = self.cache.get
        self.bnodes = 0

    def iri(self, iri: str) -> str:
        cut = max(iri.rfind("#"), iri.rfind("/")) + 1
        prefix = self.by_ns.get(iri[:cut]) if cut else None
        if prefix is not None and _SAFE_LOCAL.match(iri, cut):
            self.used.add(prefix)
            return prefix + ":" + iri[cut:]
        if _IRI_BAD.search(iri):
            iri = iri.translate(_IRI_ESCAPES)
        return "<" + iri + ">"

    def literal(self, key: tuple[str, str, str]) -> str:
        lex, dt, lang = key
        if lang:
            return _quote(lex) + "@" + lang
        if not dt:
            return _quote(lex)
        if self.by_ns:  # Turtle-like output: short forms when lexically valid
            pattern = _SHORT_FORMS.get(dt)
            if pattern is not None and pattern.match(lex):
                return lex
        return _quote(lex) + "^^" + self.iri(dt)

    def __call__(self, key) -> str:
        text = self.cache.get(key)
        if text is None:
            if type(key) is str:
                text = self.iri(key)
            elif len(key) == 3:
                text = self.literal(key)
            else:  # blank node: labelled in order of first output
                text = f"_:b{self.bnodes}"
                self.bnodes += 1
            self.cache[key] = text
        return text

    def key(self, key) -> tuple:
        """Total, deterministic order: IRIs, then blank nodes, then literals."""
        if type(key) is str:
            return (0, key)
        if len(key) == 1:
            return (1, self.colors.get(key, ""))
        return (2, *key)


def _bnode_colors(stmts: list[tuple], rounds: int = 32) -> dict[tuple, str]:
    """Structural hashes of blank nodes (colour refinement), equal for isomorphic graphs."""
    if not any(type(k) is tuple and len(k) == 1 for k in set(chain.from_iterable(stmts))):
        return {}
    plain = _Terms(None, {})
    incident: dict[tuple, list[tuple]] = defaultdict(list)
    for st in stmts:
        for k in {k for k in st if type(k) is tuple and len(k) == 1}:
            incident[k].append(st)
    colors = {b: "" for b in incident}
    classes = 1
    for _ in range(rounds):
        new = {}
        for b, sts in incident.items():
            sig = sorted(" ".join("" if k is None else "@self" if k == b else "_:" + colors[k]
                                  if type(k) is tuple and len(k) == 1 else plain(k) for k in st)
                         for st in sts)
            new[b] = hashlib.sha256("\n".join([colors[b], *sig]).encode("utf-8", "surrogatepass")).hexdigest()
        colors, count = new, len(set(new.values()))
        if count == classes:
            break
        classes = count
    return colors


def _prefix_map(graph: Graph, extra: dict[str, str] | None) -> dict[str, str]:
    bound = {str(p): str(ns) for p, ns in graph.namespaces()}
    res = bound.get("res", PREFIXES["res"])
    prefixes = dict(PREFIXES, res=res, **{seg: f"{res}{seg}/" for seg in TYPE_SEGMENTS})
    prefixes.update(extra or {})
    taken = set(prefixes.values())
    for p, ns in sorted(bound.items()):
        if p not in prefixes and ns not in taken and _SAFE_PREFIX.match(p):
            prefixes[p] = ns
            taken.add(ns)
    return {p: ns for p, ns in prefixes.items() if _SAFE_PREFIX.match(p)}


def _is_dataset(graph: Graph) -> bool:
    return bool(getattr(graph, "context_aware", False))


def _triples(graph: Graph) -> Iterable[tuple]:
    """All triples of a plain graph; reads rdflib's Memory store directly when possible
    (its public iterator builds a context generator per triple)."""
    store = graph.store
    if type(store) is Memory:
        try:
            found = store._Memory__contextTriples.get(store._Memory__ctx_to_str(graph))
        except (AttributeError, TypeError):  # another rdflib version: use the public API
            found = None
        if isinstance(found, set) and len(found) == len(graph):
            return found
    return graph.triples((None, None, None))


def _statements(graph: Graph, quads: bool) -> list[tuple]:
    """Plain-key triples, or quads (s, p, o, g) with g None for the default graph."""
    if not _is_dataset(graph):
        triples = _keys(_triples(graph))
        return [(s, p, o, None) for s, p, o in triples] if quads else triples
    defaults = {DATASET_DEFAULT_GRAPH_ID}
    default = graph.default_graph if isinstance(graph, Dataset) else getattr(graph, "default_context", None)
    if default is not None:
        defaults.add(default.identifier)
    found = []
    for s, p, o, g in graph.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        found.append((s, p, o, None if name is None or name in defaults else name))
    out = set(_keys(found))
    return list(out) if quads else list({st[:3] for st in out})


class _NotPlain(Exception):
    """A term the fast path does not handle (blank node, term subclass): use the general one."""


def _memory_spo(graph: Graph) -> dict | None:
    """rdflib's own subject -> predicate -> object index of a Memory store that holds this
    graph's triples and nothing else; None otherwise (or on another rdflib version)."""
    store = graph.store
    if type(store) is not Memory:
        return None
    spo = getattr(store, "_Memory__spo", None)
    if not isinstance(spo, dict):
        return None
    try:  # the graph's triples are among the store's: as many means the same
        count = sum(len(objects) for preds in spo.values() for objects in preds.values())
    except (AttributeError, TypeError):
        return None
    return spo if count == len(graph) else None


def _plain_index(graph: Graph) -> dict | None:
    """``subject -> predicate -> [objects]`` as plain keys for the usual graph: a plain graph
    whose subjects and predicates are IRIs and whose objects are IRIs or literals; None
    when anything else shows up (a blank node, a dataset, a term subclass), for the general
    path (``_statements``) to handle.

    It reads rdflib's Memory index when it can (one key per subject and per predicate, not
    per triple) and skips the intermediate list of key triples and the blank-node scan of
    the general path: on a million triples that halves the time to the index."""
    if _is_dataset(graph):
        return None
    uri, lit = URIRef, Literal

    def literal_key(o) -> tuple:
        if type(o) is not lit:
            raise _NotPlain
        dt = o.datatype
        return (str(o), "" if dt is None else str(dt), o.language or "")

    index: dict = {}
    try:
        spo = _memory_spo(graph)
        if spo is not None:
            for s, pmap in spo.items():
                if type(s) is not uri:
                    return None
                preds = {}
                for p, omap in pmap.items():
                    if omap:
                        if type(p) is not uri:
                            return None
                        preds[str(p)] = [str(o) if type(o) is uri else literal_key(o) for o in omap]
                if preds:
                    index[str(s)] = preds
            return index
        for s, p, o in _triples(graph):
            if type(s) is not uri or type(p) is not uri:
                return None
            ok = str(o) if type(o) is uri else literal_key(o)
            preds = index.get(str(s))
            if preds is None:
                preds = index[str(s)] = {}
            objs = preds.get(str(p))
            if objs is None:
                preds[str(p)] = [ok]
            else:
                objs.append(ok)
    except _NotPlain:
        return None
    return index


def _index(triples: Iterable[tuple]) -> dict:
    index: dict = {}
    for s, p, o in triples:
        preds = index.get(s)
        if preds is None:
            preds = index[s] = {}
        objs = preds.get(p)
        if objs is None:
            preds[p] = [o]
        else:
            objs.append(o)
    return index


def _by_graph(stmts: list[tuple]) -> dict:
    by_graph: dict = defaultdict(list)
    for *triple, g in stmts:
        by_graph[g].append(triple)
    return by_graph


def _subjects(index: dict, terms: _Terms) -> list:
    iris = sorted(s for s in index if type(s) is str)
    return iris + sorted((s for s in index if type(s) is not str), key=terms.key)


class _Rendered(dict):
    """key -> text, rendered on first use (``d[key]`` is one C-level lookup when cached)."""

    def __init__(self, render, suffix: str = ""):
        super().__init__()
        self.render, self.suffix = render, suffix

    def __missing__(self, key) -> str:
        text = self[key] = self.render(key) + self.suffix
        return text


def _plain_sorted(objs: list) -> list:
    """Objects of a :func:`_plain_index` (IRIs as str, literals as 3-tuples) in ``_Terms.key``
    order -- IRIs, then literals -- without calling a key function per object."""
    iris = [o for o in objs if type(o) is str]
    if not iris or len(iris) == len(objs):
        return sorted(objs)
    return sorted(iris) + sorted([o for o in objs if type(o) is not str])


def _turtle_body(index: dict, terms: _Terms, indent: str = "", plain: bool = False) -> Iterator[str]:
    """Subjects in order, each with its predicates (``rdf:type`` first, then by IRI) and their
    sorted objects.  ``plain``: the index has no blank node (see :func:`_plain_index`)."""
    verbs: dict = {_RDF_TYPE: "a "}
    key, text = terms.key, _Rendered(terms)
    order = _plain_sorted if plain else (lambda objs: sorted(objs, key=key))
    sep = " ;\n" + indent + "    "
    for s in _subjects(index, terms):
        preds = index[s]
        parts = []
        if len(preds) > 1:
            ps = sorted(preds)
            if _RDF_TYPE in preds and ps[0] != _RDF_TYPE:
                ps.remove(_RDF_TYPE)
                ps.insert(0, _RDF_TYPE)
        else:
            ps = preds
        for p in ps:
            objs = preds[p]
            verb = verbs.get(p)
            if verb is None:
                verb = verbs[p] = terms(p) + " "
            if len(objs) > 1:
                parts.append(verb + ", ".join([text[o] for o in order(objs)]))
            else:
                parts.append(verb + text[objs[0]])
        yield indent + terms(s) + " " + sep.join(parts) + " .\n\n"


def _prefix_lines(terms: _Terms, prefixes: dict[str, str]) -> str:
    lines = [f"@prefix {p}: <{prefixes[p]}> .\n" for p in sorted(terms.used)]
    return "".join(lines) + ("\n" if lines else "")


def _iter_turtle(graph: Graph, prefixes: dict[str, str]) -> Iterator[str]:
    index = _plain_index(graph)
    if index is not None:  # no blank node: nothing to colour
        terms = _Terms(prefixes, {})
        body = list(_turtle_body(index, terms, plain=True))
    else:
        stmts = _statements(graph, quads=False)
        terms = _Terms(prefixes, _bnode_colors(stmts))
        body = list(_turtle_body(_index(stmts), terms))
    yield _prefix_lines(terms, prefixes)
    yield from body


def _iter_trig(graph: Graph, prefixes: dict[str, str]) -> Iterator[str]:
    stmts = _statements(graph, quads=True)
    terms = _Terms(prefixes, _bnode_colors(stmts))
    by_graph = _by_graph(stmts)
    chunks = list(_turtle_body(_index(by_graph.pop(None, [])), terms))
    for g in sorted(by_graph, key=terms.key):
        chunks.append(terms(g) + " {\n")
        chunks.extend(_turtle_body(_index(by_graph[g]), terms, indent="    "))
        chunks.append("}\n\n")
    yield _prefix_lines(terms, prefixes)
    yield from chunks


def _lines_by_subject(index: dict) -> Iterator[str]:
    """N-Triples of a :func:`_plain_index`, in the order of the sorted lines, built per
    subject and predicate rather than line by line.  The orders agree because IRI texts end
    with ``>``, which they never hold elsewhere: no subject or predicate text is a prefix of
    another, so lines compare by subject text, then predicate text, then object text."""
    terms = _Terms(None, {})
    heads, tails_of = _Rendered(terms, " "), _Rendered(terms, " .\n")
    head_of, tail_of = heads.__getitem__, tails_of.__getitem__
    texts = {terms(s): s for s in index}
    for text in sorted(texts):
        preds = index[texts[text]]
        prefix = text + " "
        pieces = []
        for p in sorted(preds, key=head_of) if len(preds) > 1 else preds:
            objs = preds[p]
            line_head = prefix + heads[p]
            if len(objs) == 1:
                pieces.append(line_head + tails_of[objs[0]])
            else:
                pieces.append(line_head + line_head.join(sorted(map(tail_of, objs))))
        yield "".join(pieces)


def _iter_lines(graph: Graph, quads: bool) -> Iterator[str]:
    index = None if quads else _plain_index(graph)
    if index is not None:
        yield from _lines_by_subject(index)
        return
    stmts = _statements(graph, quads=quads)
    colors = _bnode_colors(stmts)
    terms = _Terms(None, colors)
    if colors:  # order by structure first, so that labels follow the sorted output
        stmts.sort(key=lambda st: [terms.key(k) if k is not None else (-1,) for k in st])
    get = terms.get
    if quads:
        lines = [" ".join([get(k) or terms(k) for k in st if k is not None]) + " .\n" for st in stmts]
    else:
        lines = [f"{get(s) or terms(s)} {get(p) or terms(p)} {get(o) or terms(o)} .\n" for s, p, o in stmts]
    lines.sort()
    yield from lines


def _iter_jsonld(graph: Graph, prefixes: dict[str, str]) -> Iterator[str]:
    stmts = _statements(graph, quads=True)
    terms = _Terms(prefixes, _bnode_colors(stmts))
    key, enc, cache = terms.key, encode_basestring, {}

    def iri(k: str) -> str:  # a compact IRI, or the raw IRI (JSON escapes, not Turtle's)
        text = terms(k)
        return k if text[0] == "<" else text

    def ident(k) -> str:
        return iri(k) if type(k) is str else terms(k)

    def value(k) -> str:  # a JSON value object, keys in sorted order
        text = cache.get(k)
        if text is None:
            if type(k) is str or len(k) == 1:
                text = '{"@id": ' + enc(ident(k)) + "}"
            else:
                lex, dt, lang = k
                extra = f'"@language": {enc(lang)}, ' if lang else f'"@type": {enc(iri(dt))}, ' if dt else ""
                text = "{" + extra + '"@value": ' + enc(lex) + "}"
            cache[k] = text
        return text

    def nodes(triples) -> dict:
        out = {}
        index = _index(triples)
        for s in _subjects(index, terms):
            head, props = '{"@id": ' + enc(ident(s)), []
            for p, objs in index[s].items():
                objs = sorted(objs, key=key) if len(objs) > 1 else objs
                if p == _RDF_TYPE and all(type(o) is str for o in objs):
                    head += ', "@type": [' + ", ".join([enc(iri(o)) for o in objs]) + "]"
                else:
                    props.append((p if p == _RDF_TYPE else ident(p), ", ".join([value(o) for o in objs])))
            props.sort()
            out[key(s)] = head + "".join([f", {enc(n)}: [{v}]" for n, v in props]) + "}"
        return out

    by_graph = _by_graph(stmts)
    top = nodes(by_graph.pop(None, []))
    for g in sorted(by_graph, key=key):
        inner = ",\n    ".join(nodes(by_graph[g]).values())
        node = top.get(key(g), '{"@id": ' + enc(ident(g)) + "}")
        top[key(g)] = node[:-1] + ', "@graph": [\n    ' + inner + "]}"
    ordered = [top[k] for k in sorted(top)]
    context = ", ".join(f"{enc(p)}: {enc(prefixes[p])}" for p in sorted(terms.used))
    yield '{"@context": {' + context + '},\n "@graph": [\n  '
    yield ",\n  ".join(ordered)
    yield "\n]}\n"


def _chunks(graph: Graph, fmt: str, prefixes: dict[str, str] | None) -> Iterator[str]:
    fmt = _normalise_format(fmt)
    if fmt in ("ntriples", "nquads"):
        return _iter_lines(graph, quads=fmt == "nquads")
    table = _prefix_map(graph, prefixes)
    writer = {"turtle": _iter_turtle, "trig": _iter_trig, "json-ld": _iter_jsonld}[fmt]
    return writer(graph, table)


def serialize(graph: Graph, format: str = "turtle", *, prefixes: dict[str, str] | None = None) -> bytes:
    """The graph (or dataset) in ``format``, as UTF-8 bytes; same graph, same bytes.

    ``prefixes`` adds or overrides prefix bindings (Turtle, TriG, JSON-LD).
    """
    return "".join(_chunks(graph, format, prefixes)).encode("utf-8")


def write_graph(graph: Graph, path: str | os.PathLike[str], format: str | None = None,
                *, prefixes: dict[str, str] | None = None) -> Path:
    """Write atomically (temporary file next to ``path``, fsync, rename); returns ``path``.

    The format comes from the suffix unless given.  On failure (:class:`ExportError`) the
    temporary file is removed and an existing ``path`` is left untouched.
    """
    path = Path(path)
    fmt = _normalise_format(format) if format else guess_format(path)
    return write_atomic(path, _chunks(graph, fmt, prefixes))


def write_atomic(path: str | os.PathLike[str], chunks: Iterable[str]) -> Path:
    """Write text ``chunks`` (UTF-8) to ``path`` atomically: temporary file next to it,
    fsync, rename.  On failure (:class:`ExportError`) the temporary file is removed and an
    existing ``path`` is left untouched.  Used by every graphbuild writer."""
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, (OSError, ValueError)):  # UnicodeEncodeError is a ValueError
            raise ExportError(f"cannot write {path}: {exc}") from exc
        raise
    try:  # make the rename durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:  # not supported on this platform
        pass
    return path
