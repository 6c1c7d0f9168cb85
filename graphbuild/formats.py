"""Exports of a graphbuild graph beyond RDF: GraphML and PLOVER-style JSON lines.

Both are computed from the RDF graph alone (any graph file graphbuild can read), so
they can be produced at build time (``graphbuild build -f graphml -f plover``) or
later from a saved graph (``graphbuild export graph.ttl -f graphml -o graph.graphml``).

**GraphML** (:func:`actor_network`, :func:`iter_graphml`) -- the actor network for
Gephi, Cytoscape or yEd.  Nodes are the actors taking part in at least one asserted
interaction (the nodes of the HTML view, :func:`graphbuild.views.graph_to_networkx`);
node ``id`` is the actor's IRI, with ``label``, ``type`` (person, state,
organization), ``role``, ``state`` / ``state_label`` (the state it is or represents),
``organization`` / ``organization_label`` and ``wikidata``.  Edges are actor pairs:
one edge ``initiator -> addressee`` for directed interactions (each direction its own
edge) and one edge from the smaller IRI to the larger with ``directed=false`` for
interactions without a direction.  An edge carries ``weight`` (the number of
interactions), one count per mode (``phonecall``, ``meeting``, ``visit``, ``message``,
``statement``, ``negotiation``, ``interaction`` for an interaction of no known mode)
and ``first_date`` / ``last_date``.  The file declares a directed graph; GraphML
readers (networkx among them) refuse mixed edge directions, hence the ``directed``
attribute.

**PLOVER JSON lines** (:func:`plover_events`, :func:`iter_plover`) -- one JSON object
per interaction, then one per speech act inside it, using the field names of the
PLOVER specification (Open Event Data Alliance, "JSON Data Fields"): ``id``, ``date``,
``source`` and ``recipient`` (lists of actor objects: ``actor_text``, ``code``,
``identifier_id``, ``office``...), ``event`` (PLOVER categories), ``quad_code``,
``mode``, ``context``, ``event_text``, ``event_loc``, ``link``, ``cite_info``,
``coder``; and graphbuild's own fields after them (``record``, ``cameo``,
``interaction``, ``act``, ``modality``, ``confidence``, ``quotes``, ``topics``).
Codes come from the ontology (``dip:cameoCode``, ``dip:ploverCategory``).

Everything is sorted: the same graph gives the same bytes.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from xml.etree import ElementTree

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV
from rdflib.term import Node

from graphbuild import __version__
from graphbuild.errors import ExportError, InputError
from graphbuild.export import FORMATS as RDF_FORMATS
from graphbuild.export import guess_format, write_atomic, write_graph
from graphbuild.views.model import (DIP, GENERIC_MODE, MODES, _actor_info, _confidence, _interaction_events,
                                    best_label, graph_to_networkx, local_name)

__all__ = ["EXTRA_FORMATS", "EXPORT_FORMATS", "actor_network", "iter_graphml", "plover_events", "iter_plover",
           "serialize_format", "write_format", "output_name", "format_for_path", "load_graph", "ontology_codes"]

#: formats written by this module, and their file names in a build folder ({name} = "graph").
EXTRA_FORMATS = {"graphml": "{name}.graphml", "plover": "events.jsonl"}
#: every format name ``graphbuild export`` accepts (RDF names and aliases from export.py, plus ours).
EXPORT_FORMATS = ("turtle", "ntriples", "nt", "nquads", "nq", "trig", "json-ld", "jsonld", "graphml", "plover")

_DIP_NS = str(DIP)  # model.DIP is a plain Namespace: DIP._NS would be a term, not the namespace
_SCHEMA_URL = URIRef("https://schema.org/url")
_WIKIDATA = ("http://www.wikidata.org/entity/", "https://www.wikidata.org/entity/", "https://www.wikidata.org/wiki/")
#: characters XML 1.0 forbids (and lone surrogates): replaced by U+FFFD in GraphML.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: PLOVER CONSULT modes ("phone": by phone or another remote medium) of our interaction classes.
_PLOVER_MODE = {"PhoneCall": "phone", "Message": "phone", "Visit": "visit"}
#: PLOVER quad categories (1 verbal cooperation ... 4 material conflict); DISAPPROVE is ACCUSE's later name.
_QUAD = {**dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),
         **dict.fromkeys(("COOPERATE", "AID", "RETREAT", "INVESTIGATE"), 2),
         **dict.fromkeys(("DEMAND", "ACCUSE", "DISAPPROVE", "REJECT", "SANCTION", "THREATEN"), 3),
         **dict.fromkeys(("PROTEST", "MOBILIZE", "COERCE", "ASSAULT"), 4)}
#: PLOVER context values for our modalities ("future", "negation" are PLOVER contexts).
_CONTEXT = {"planned": ["future"], "denied": ["negation"]}
_MODE_KEYS = [key for key, _ in MODES.values()] + [GENERIC_MODE[0]]
_LINE_BREAKS = {c: f"\\u{c:04x}" for c in (0x85, 0x2028, 0x2029)}


# --- reading -----------------------------------------------------------------------------------

def load_graph(path: str | Path) -> Graph:
    """Read an RDF file (format from its suffix, Turtle when unknown); N-Quads and TriG
    become a Dataset whose default graph is the union.  :class:`InputError` when the file
    is missing or cannot be parsed."""
    import rdflib.util

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        fmt = guess_format(path)
        rdflib_fmt = {"ntriples": "nt"}.get(fmt, fmt)
    except ExportError:  # another suffix: rdflib's guess (.rdf, .owl, .n3...), Turtle when none
        fmt = rdflib_fmt = rdflib.util.guess_format(str(path)) or "turtle"
    graph = Dataset(default_union=True) if fmt in ("nquads", "trig") else Graph()
    try:
        graph.parse(path, format=rdflib_fmt)
    except OSError:
        raise
    except Exception as exc:  # each rdflib parser raises its own exception types
        message = " ".join(str(exc).split())[:300]
        raise InputError(f"{path}: not a readable {fmt} graph: {message}") from exc
    return graph


@lru_cache(maxsize=1)
def ontology_codes() -> dict[str, tuple[str | None, str | None]]:
    """Local name of a mode class or act -> (CAMEO code, PLOVER category), from the ontology."""
    from graphbuild.vocab import ontology_path

    onto = Graph().parse(ontology_path("diplomacy.ttl"), format="turtle")
    codes: dict[str, tuple[str | None, str | None]] = {}
    for term in set(onto.subjects(DIP.cameoCode, None)) | set(onto.subjects(DIP.ploverCategory, None)):
        if str(term).startswith(_DIP_NS):
            codes[local_name(term)] = (_first(onto, term, DIP.cameoCode), _first(onto, term, DIP.ploverCategory))
    return codes


def _first(graph: Graph, node: Node, predicate) -> str | None:
    values = sorted(str(o) for o in graph.objects(node, predicate) if isinstance(o, Literal))
    return values[0] if values else None


def _clean(text: str) -> str:
    return _XML_BAD.sub("\ufffd", text)


# --- GraphML -----------------------------------------------------------------------------------

def actor_network(graph: Graph) -> nx.MultiDiGraph:
    """The actor network of ``graph`` with one edge per actor pair and direction (see the module
    docstring), nodes and edges inserted in sorted order, every attribute present on every
    node (strings) and edge; edge keys ``e0``, ``e1``... follow that order."""
    view = graph_to_networkx(graph, level="actor")
    pairs: dict[tuple[str, str, bool], dict] = {}
    for u, v, data in view.edges(data=True):
        if data.get("kind") != "interaction":
            continue
        entry = pairs.setdefault((u, v, bool(data["directed"])), {"modes": Counter(), "dates": []})
        entry["modes"][data["mode"]] += 1
        if data["date"]:
            entry["dates"].append(data["date"])
    net = nx.MultiDiGraph()
    for node in sorted(view.nodes):
        info = view.nodes[node]
        net.add_node(_clean(node), **{
            "label": _clean(info["label"]),
            "type": info["type"],
            "role": _clean(info["role"]),
            "state": _clean(info["state"]),
            "state_label": _clean(info["state_label"]),
            "organization": _clean(info["organization"]),
            "organization_label": _clean(info["organization_label"]),
            "wikidata": " ".join(info["wikidata"]),
        })
    for n, (u, v, directed) in enumerate(sorted(pairs, key=lambda k: (k[0], k[1], not k[2]))):
        entry = pairs[(u, v, directed)]
        dates = sorted(entry["dates"])
        attrs = {"directed": directed, "weight": sum(entry["modes"].values())}
        attrs.update({key: entry["modes"].get(key, 0) for key in _MODE_KEYS})
        attrs.update(first_date=_clean(dates[0]) if dates else "", last_date=_clean(dates[-1]) if dates else "")
        net.add_edge(_clean(u), _clean(v), key=f"e{n}", **attrs)
    return net


def iter_graphml(graph: Graph) -> Iterator[str]:
    """The GraphML text of :func:`actor_network`, line by line (with the XML declaration)."""
    # networkx's own generate_graphml() writes every non-ASCII letter as a character
    # reference; its writer's tree, serialised as text, keeps them readable.
    writer = GraphMLWriter(encoding="utf-8", prettyprint=False)
    writer.add_graph_element(actor_network(graph))
    ElementTree.indent(writer.xml, "  ")
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield ElementTree.tostring(writer.xml, encoding="unicode") + "\n"


# --- PLOVER JSON lines -----------------------------------------------------------------------

def _literal_strings(graph: Graph, node: Node, predicate) -> list[str]:
    return sorted({str(o) for o in graph.objects(node, predicate) if isinstance(o, Literal)})


def _iso2(graph: Graph, node: Node, info: dict) -> str | None:
    for target in ([node] if info["type"] == "state" else []) + ([URIRef(info["state"])] if info["state"] else []):
        codes = _literal_strings(graph, target, DIP.isoCode)
        if codes:
            return codes[0].upper()
    return None


def _actor_object(graph: Graph, node: Node, cache: dict) -> dict:
    """A PLOVER actor object (plus ``iri`` and ``type``) for one actor node."""
    found = cache.get(node)
    if found is None:
        from graphbuild.lexicon import load_lexicon

        info = _actor_info(graph, node)
        iso2 = _iso2(graph, node, info)
        state = load_lexicon().state(iso2) if iso2 else None
        found = cache[node] = {
            "actor_text": info["label"],
            "code": state.iso3 if state else None,
            "country": iso2,
            "identifier_id": info["wikidata"][0] if info["wikidata"] else None,
            "office": info["role"] or None,
            "iri": str(node),
            "type": info["type"],
        }
    return found


def _documents(graph: Graph, event: Node) -> list[dict]:
    docs = []
    for doc in set(graph.objects(event, PROV.wasDerivedFrom)):
        title = sorted((o for o in graph.objects(doc, DCTERMS.title) if isinstance(o, Literal)), key=str)
        docs.append({
            "citation": best_label(graph, doc, DCTERMS.identifier) or local_name(doc),
            "title": str(title[0]) if title else None,
            "url": (_literal_strings(graph, doc, _SCHEMA_URL) or [str(o) for o in graph.objects(doc, _SCHEMA_URL)]
                    or [None])[0],
            "publication": best_label(graph, doc, DCTERMS.source),
            "date": best_label(graph, doc, DCTERMS.date),
            "language": (title[0].language if title else None),
            "iri": str(doc),
        })
    return sorted(docs, key=lambda d: (d["citation"], d["iri"]))


def _modality(graph: Graph, event: Node) -> str:
    values = sorted(local_name(m).lower() for m in graph.objects(event, DIP.modality))
    return values[0] if values else "asserted"


def _roles(graph: Graph, event: Node) -> tuple[list[Node], list[Node]]:
    """(source, recipient) actors: initiators -> addressees when both are given, else every
    participant as a source and no recipient (PLOVER's rule for reciprocal consultations)."""
    initiators = sorted(set(graph.objects(event, DIP.initiator)), key=str)
    addressees = sorted(set(graph.objects(event, DIP.addressee)), key=str)
    if initiators and addressees:
        return initiators, addressees
    everyone = set(graph.objects(event, DIP.participant)) | set(initiators) | set(addressees)
    return sorted(everyone, key=str), []


def _labels(graph: Graph, nodes: Iterable[Node]) -> list[str]:
    return sorted(best_label(graph, n) or local_name(n).replace("-", " ") for n in nodes)


def plover_events(graph: Graph) -> list[dict]:
    """One record per interaction (any modality), each followed by one record per speech act
    (``dip:act``) inside it, in that order, interactions sorted by IRI, acts by name."""
    codes = ontology_codes()
    cache: dict = {}
    records = []
    for event in _interaction_events(graph):
        types = {local_name(t) for t in graph.objects(event, RDF.type) if str(t).startswith(_DIP_NS)}
        mode = next((name for name in MODES if name in types), "Interaction")
        source, recipient = _roles(graph, event)
        places = sorted(graph.objects(event, DIP.place), key=str)
        modality = _modality(graph, event)
        dates = _literal_strings(graph, event, DIP.date)
        event_cameo = _first(graph, event, DIP.cameoCode) or codes.get(mode, (None, None))[0]
        event_plover = _first(graph, event, DIP.ploverCategory) or codes.get(mode, (None, None))[1]
        common = {
            "date": dates[0] if dates else None,
            "source": [_actor_object(graph, a, cache) for a in source],
            "recipient": [_actor_object(graph, a, cache) for a in recipient],
        }
        rest = {
            "context": list(_CONTEXT.get(modality, [])),
            "event_text": _literal_strings(graph, event, DIP.evidence),
            "event_loc": ({"name": _labels(graph, places[:1])[0], "iri": str(places[0])} if places else None),
            "link": str(event),
            "cite_info": _documents(graph, event),
            "coder": f"graphbuild {__version__}",
        }
        extra = {
            "interaction": mode,
            "modality": modality,
            "confidence": _confidence(graph, event),
            "quotes": _literal_strings(graph, event, DIP.quote),
            "topics": _labels(graph, graph.objects(event, DIP.topic)),
        }
        records.append({"id": str(event), **common, **_coded(event_plover), "mode": _PLOVER_MODE.get(mode), **rest,
                        "record": "interaction", "cameo": event_cameo, "act": None, **extra})
        for act in sorted({local_name(a) for a in graph.objects(event, DIP.act)}):
            cameo, plover = codes.get(act, (None, None))
            records.append({"id": f"{event}#act-{act.lower()}", **common, **_coded(plover), "mode": None, **rest,
                            "record": "act", "cameo": cameo, "act": act, **extra})
    return records


def _coded(category: str | None) -> dict:
    return {"event": [category] if category else [], "quad_code": _QUAD.get(category or "")}


def iter_plover(graph: Graph) -> Iterator[str]:
    """:func:`plover_events` as JSON lines (UTF-8 text, keys in a fixed order).  U+0085, U+2028
    and U+2029, which JSON allows raw but many line splitters (``str.splitlines``) treat as
    line ends, are written as escapes: one record is always one line."""
    for record in plover_events(graph):
        yield json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKS) + "\n"


# --- writing -------------------------------------------------------------------------------

def format_for_path(path: str | Path) -> str:
    """The export format a file name asks for: ``.graphml``, ``.jsonl`` (PLOVER) or an RDF suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".graphml":
        return "graphml"
    if suffix in (".jsonl", ".ndjson"):
        return "plover"
    try:
        return guess_format(path)
    except ExportError:
        raise ExportError(f"cannot guess the format of {str(path)!r} from its suffix; use .ttl, .nt, .nq, .trig, "
                          ".jsonld, .graphml or .jsonl, or give a format") from None


def _normalise(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt in EXTRA_FORMATS:
        return fmt
    if fmt in RDF_FORMATS:
        return RDF_FORMATS[fmt]
    raise ExportError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")


def iter_format(graph: Graph, fmt: str) -> Iterator[str]:
    """The text of ``graph`` in any export format, in chunks."""
    from graphbuild.export import _chunks

    fmt = _normalise(fmt)
    if fmt == "graphml":
        return iter_graphml(graph)
    if fmt == "plover":
        return iter_plover(graph)
    return _chunks(graph, fmt, None)


def serialize_format(graph: Graph, fmt: str) -> bytes:
    """The graph in any export format (RDF, ``graphml`` or ``plover``), as UTF-8 bytes."""
    return "".join(iter_format(graph, fmt)).encode("utf-8")


def write_format(graph: Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``graph`` atomically in ``fmt`` (default: from the file name) and return the path."""
    fmt = _normalise(fmt) if fmt else format_for_path(path)
    if fmt in EXTRA_FORMATS:
        return write_atomic(path, iter_format(graph, fmt))
    return write_graph(graph, path, fmt)


def output_name(fmt: str, name: str = "graph") -> str:
    """File name of a non-RDF format in a build folder: ``graph.graphml``, ``events.jsonl``."""
    if fmt == "plover" and name != "graph":
        return f"{name}-events.jsonl"
    return EXTRA_FORMATS[fmt].format(name=name)
