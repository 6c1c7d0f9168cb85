"""RDF (the shape in docs/rdf-shape.md) -> a networkx graph of who interacted with whom.

Nodes are actors (persons, states, organisations) that take part in at least one
kept interaction; each kept interaction gives one edge per actor pair (a
``MultiDiGraph``: parallel interactions stay separate edges, merged later by the
HTML view).  Only asserted events are kept (``dip:modality`` absent or
``dip:Asserted``).
"""
from __future__ import annotations

import difflib
import logging
import unicodedata
from itertools import combinations
from typing import Iterable

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS
from rdflib.term import Node

from graphbuild.errors import GraphbuildError

log = logging.getLogger(__name__)

DIP = Namespace("https://w3id.org/graphbuild/diplomacy#")

#: Interaction modes: local name of the dip: class -> (key, French label), in display order.
MODES: dict[str, tuple[str, str]] = {
    "PhoneCall": ("phonecall", "Appel téléphonique"),
    "Meeting": ("meeting", "Rencontre"),
    "Visit": ("visit", "Visite"),
    "Message": ("message", "Message"),
    "Statement": ("statement", "Déclaration"),
    "Negotiation": ("negotiation", "Négociation"),
}
GENERIC_MODE = ("interaction", "Interaction")
TOPIC_MODE = ("topic", "Sujet abordé")

#: Speech acts: local name of the SKOS concept -> (key, French label), in display order.
ACTS: dict[str, tuple[str, str]] = {
    "Discuss": ("discuss", "discussion"),
    "Congratulate": ("congratulate", "félicitations"),
    "Condole": ("condole", "condoléances"),
    "Thank": ("thank", "remerciements"),
    "Invite": ("invite", "invitation"),
    "Praise": ("praise", "éloge"),
    "Support": ("support", "soutien"),
    "Criticize": ("criticize", "critique"),
    "Agree": ("agree", "accord"),
    "Request": ("request", "demande"),
    "Inform": ("inform", "information"),
}

ACTOR_TYPES = {DIP.Person: "person", DIP.State: "state", DIP.Organization: "organization"}
LEVELS = ("actor", "state")
_WIKIDATA_PREFIXES = ("http://www.wikidata.org/entity/", "https://www.wikidata.org/entity/",
                      "https://www.wikidata.org/wiki/")


class ViewError(GraphbuildError, ValueError):
    """A view cannot be drawn as asked (unknown focus actor, bad level or depth)."""


def normalize_name(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def local_name(term: Node) -> str:
    text = str(term)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def best_label(graph: Graph, node: Node, predicate=RDFS.label) -> str | None:
    """The preferred literal: French first, then untagged, then any; ties sorted."""
    values = [o for o in graph.objects(node, predicate) if isinstance(o, Literal)]
    if not values:
        return None
    rank = {"fr": 0, None: 1}
    values.sort(key=lambda lit: (rank.get(lit.language, 2), str(lit)))
    return str(values[0])


def _label_or_slug(graph: Graph, node: Node) -> str:
    return best_label(graph, node) or local_name(node).replace("-", " ")


def _strings(graph: Graph, node: Node, predicate) -> list[str]:
    return sorted({str(o) for o in graph.objects(node, predicate) if isinstance(o, Literal)})


def _actor_info(graph: Graph, node: Node) -> dict:
    types = set(graph.objects(node, RDF.type))
    kind = next((name for cls, name in ACTOR_TYPES.items() if cls in types), "actor")
    label = _label_or_slug(graph, node)
    info = {
        "label": label,
        "type": kind,
        "role": ", ".join(_strings(graph, node, DIP.role)),
        "aliases": [a for a in _strings(graph, node, SKOS.altLabel) if a != label],
        "wikidata": sorted(local_name(o) for o in graph.objects(node, OWL.sameAs)
                           if str(o).startswith(_WIKIDATA_PREFIXES)),
        "state": "", "state_label": "", "organization": "", "organization_label": "",
        "iri": str(node),
    }
    for target in sorted(graph.objects(node, DIP.represents), key=str):
        target_types = set(graph.objects(target, RDF.type))
        if DIP.State in target_types and not info["state"]:
            info["state"], info["state_label"] = str(target), _label_or_slug(graph, target)
        elif DIP.Organization in target_types and not info["organization"]:
            info["organization"] = str(target)
            info["organization_label"] = _label_or_slug(graph, target)
    if kind == "state":
        info["state"], info["state_label"] = str(node), label
    return info


def _is_asserted(graph: Graph, event: Node) -> bool:
    modalities = set(graph.objects(event, DIP.modality))
    return not modalities or modalities == {DIP.Asserted}


def _confidence(graph: Graph, event: Node) -> float | None:
    values = []
    for lit in graph.objects(event, DIP.confidence):
        try:
            values.append(float(lit))
        except (TypeError, ValueError):
            log.debug("ignoring non-numeric confidence %r on %s", lit, event)
    return max(values) if values else None


def _mode(types: set) -> tuple[str, str]:
    for name, mode in MODES.items():
        if DIP[name] in types:
            return mode
    return GENERIC_MODE


def _documents(graph: Graph, event: Node) -> list[dict]:
    docs = []
    for doc in set(graph.objects(event, PROV.wasDerivedFrom)):
        docs.append({
            "id": best_label(graph, doc, DCTERMS.identifier) or local_name(doc),
            "title": best_label(graph, doc, DCTERMS.title) or "",
            "date": best_label(graph, doc, DCTERMS.date) or "",
        })
    return sorted(docs, key=lambda d: (d["id"], d["title"]))


def _interaction_events(graph: Graph) -> list[Node]:
    classes = {DIP.Interaction} | {DIP[name] for name in MODES}
    events: set[Node] = set()
    for cls in classes:
        events.update(graph.subjects(RDF.type, cls))
    return sorted(events, key=str)


def _event_data(graph: Graph, event: Node) -> dict:
    mode, mode_label = _mode(set(graph.objects(event, RDF.type)))
    acts = {local_name(a) for a in graph.objects(event, DIP.act)}
    topics = sorted(set(graph.objects(event, DIP.topic)), key=str)
    dates = _strings(graph, event, DIP.date)
    places = sorted(_label_or_slug(graph, p) for p in graph.objects(event, DIP.place))
    docs = _documents(graph, event)
    return {
        "event": str(event),
        "mode": mode,
        "mode_label": mode_label,
        "date": dates[0] if dates else "",
        "acts": [key for name, (key, _) in ACTS.items() if name in acts]
                + sorted(a.lower() for a in acts if a not in ACTS),
        "topics": sorted(_label_or_slug(graph, t) for t in topics),
        "topic_ids": [str(t) for t in topics],
        "place": ", ".join(places),
        "evidence": _strings(graph, event, DIP.evidence),
        "quotes": _strings(graph, event, DIP.quote),
        "documents": docs,
        "document_id": docs[0]["id"] if docs else "",
        "document_title": docs[0]["title"] if docs else "",
        "modality": "asserted",
        "confidence": _confidence(graph, event),
    }


def _pairs(graph: Graph, event: Node) -> tuple[bool, list[tuple[Node, Node]]]:
    """(directed, actor pairs) of one interaction."""
    initiators = sorted(set(graph.objects(event, DIP.initiator)), key=str)
    addressees = sorted(set(graph.objects(event, DIP.addressee)), key=str)
    if initiators and addressees:
        return True, [(i, a) for i in initiators for a in addressees if i != a]
    everyone = set(graph.objects(event, DIP.participant)) | set(initiators) | set(addressees)
    return False, list(combinations(sorted(everyone, key=str), 2))


def _fold_map(actors: dict[str, dict], level: str) -> dict[str, str]:
    """Actor id -> node id at the given level (persons folded into their state or organisation)."""
    if level == "actor":
        return {a: a for a in actors}
    mapping = {}
    for aid, info in actors.items():
        if info["type"] == "person" and (info["state"] or info["organization"]):
            mapping[aid] = info["state"] or info["organization"]
        else:
            mapping[aid] = aid
    return mapping


def _find_focus(graph: Graph, actors: dict[str, dict], focus: str) -> str:
    wanted = normalize_name(focus)
    if not wanted:
        raise ViewError("focus: empty actor name")
    exact, alias = [], []
    for aid, info in sorted(actors.items()):
        if normalize_name(info["label"]) == wanted:
            exact.append(aid)
        elif any(normalize_name(a) == wanted for a in info["aliases"]):
            alias.append(aid)
    found = exact or alias
    if not found:  # "cavusoglu" for "Mevlüt Çavuşoğlu": whole words of one name only
        padded = f" {wanted} "
        partial = [aid for aid, info in sorted(actors.items())
                   if any(padded in f" {normalize_name(name)} "
                          for name in [info["label"], *info["aliases"]])]
        if len(partial) > 1:
            raise ViewError(
                f"focus: {focus!r} is ambiguous, it names "
                + ", ".join(repr(actors[a]["label"]) for a in partial[:10])
                + "; give the full name")
        found = partial
    if not found:
        close = _close_matches(actors, wanted)
        raise ViewError(
            f"focus: no actor is named {focus!r} (compared with labels and altLabels, "
            "ignoring case and accents)"
            + (f"; close matches: {', '.join(repr(name) for name in close)}" if close else ""))
    if len(found) > 1:
        log.warning("focus %r matches %d actors (%s); using %s", focus, len(found),
                    ", ".join(actors[a]["label"] for a in found), actors[found[0]]["label"])
    return found[0]


def _close_matches(actors: dict[str, dict], wanted: str, n: int = 5) -> list[str]:
    """Labels of the actors whose label or altLabel looks like ``wanted`` (normalised), best first."""
    names: dict[str, set[str]] = {}
    for info in actors.values():
        for name in [info["label"], *info["aliases"]]:
            names.setdefault(normalize_name(name), set()).add(info["label"])
    out: list[str] = []
    for key in difflib.get_close_matches(wanted, sorted(names), n=2 * n, cutoff=0.75):
        out += [label for label in sorted(names[key]) if label not in out]
    return out[:n]


def _all_actor_nodes(graph: Graph) -> list[Node]:
    nodes: set[Node] = set()
    for cls in ACTOR_TYPES:
        nodes.update(graph.subjects(RDF.type, cls))
    return sorted(nodes, key=str)


def graph_to_networkx(graph: Graph, *, level: str = "actor", focus: str | None = None,
                      depth: int = 1, with_topics: bool = False,
                      min_confidence: float = 0.0) -> nx.MultiDiGraph:
    """Build the interaction network of an RDF graph.

    Nodes (id = actor IRI) carry ``label, type, role, state, state_label, aliases,
    wikidata`` (+ ``organization``, ``members`` when folded); each asserted
    interaction with confidence >= ``min_confidence`` gives one edge per actor pair
    (``mode, directed, date, acts, topics, evidence, quotes, documents, document_id,
    document_title, modality, confidence``).  Undirected interactions are stored
    once, from the smaller node id to the larger, with ``directed=False``.

    ``level="state"`` folds persons into the state they represent (else into their
    organisation, else kept).  ``focus`` keeps the ego network (radius ``depth``,
    direction ignored) of the actor whose label or altLabel matches, ignoring case and
    accents; :class:`ViewError` (a ``ValueError``) when none matches.  ``with_topics``
    adds topic nodes (``type="topic"``) linked (``kind="topic"``) to the actors that
    discussed them; topics that are themselves actors are only listed on edges.
    """
    if level not in LEVELS:
        raise ViewError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if not isinstance(depth, int) or depth < 0:
        raise ViewError(f"depth must be a non-negative integer, not {depth!r}")

    actors = {str(n): _actor_info(graph, n) for n in _all_actor_nodes(graph)}
    events = []
    for event in _interaction_events(graph):
        if not _is_asserted(graph, event):
            continue
        conf = _confidence(graph, event)
        if conf is not None and conf < min_confidence:
            continue
        directed, pairs = _pairs(graph, event)
        for a, b in pairs:
            for node in (a, b):
                if str(node) not in actors:  # a participant the graph does not type
                    actors[str(node)] = _actor_info(graph, node)
        events.append((event, directed, pairs))

    fold = _fold_map(actors, level)
    members: dict[str, list[str]] = {}
    for aid, target in fold.items():
        if aid != target:
            members.setdefault(target, []).append(actors[aid]["label"])
    G = nx.MultiDiGraph(level=level, focus=focus or "", depth=depth)

    def add_node(nid: str) -> None:
        if nid in G:
            return
        info = dict(actors[nid])
        info["kind"] = "actor"
        if level == "state":
            info["members"] = sorted(members.get(nid, []))
        G.add_node(nid, **info)

    topic_links = []
    for event, directed, pairs in events:
        data = _event_data(graph, event)
        for n, (a, b) in enumerate(pairs):
            u, v = fold[str(a)], fold[str(b)]
            if u == v:
                continue  # e.g. two Russian officials, at state level
            if not directed and v < u:
                u, v, a, b = v, u, b, a
            add_node(u)
            add_node(v)
            G.add_edge(u, v, key=f"{data['event']}#{n}", kind="interaction", directed=directed,
                       source_label=actors[str(a)]["label"],
                       target_label=actors[str(b)]["label"], **data)
        topic_links.append((event, data, {fold[str(x)] for pair in pairs for x in pair}))

    if focus is not None:
        center = fold[_find_focus(graph, actors, focus)]
        if center not in G:
            add_node(center)
        G = nx.ego_graph(G, center, radius=depth, undirected=True)
        G.graph["focus_id"] = center

    if with_topics:
        _add_topics(graph, G, topic_links, set(actors))
    return G


def _add_topics(graph: Graph, G: nx.MultiDiGraph, links: Iterable, actor_ids: set[str]) -> None:
    for event, data, participants in links:
        for topic in data["topic_ids"]:
            if topic in actor_ids:
                continue
            members = sorted(p for p in participants if p in G and G.nodes[p].get("kind") == "actor")
            if not members:
                continue
            if topic not in G:
                types = {local_name(t) for t in graph.objects(URIRef(topic), RDF.type)}
                G.add_node(topic, kind="topic", label=_label_or_slug(graph, URIRef(topic)),
                           type="topic", topic_type=sorted(types)[0].lower() if types else "topic",
                           role="", state="", state_label="", aliases=[], wikidata=[],
                           iri=topic)
            for actor in members:
                G.add_edge(actor, topic, key=f"{data['event']}#topic", kind="topic",
                           directed=False, mode=TOPIC_MODE[0], mode_label=TOPIC_MODE[1],
                           date=data["date"], acts=[], topics=[G.nodes[topic]["label"]],
                           evidence=data["evidence"], quotes=[], documents=data["documents"],
                           document_id=data["document_id"],
                           document_title=data["document_title"], event=data["event"],
                           modality="asserted", confidence=data["confidence"],
                           source_label=G.nodes[actor]["label"],
                           target_label=G.nodes[topic]["label"], topic_ids=[topic], place="")
