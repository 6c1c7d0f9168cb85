"""Score a built graph against gold annotations of "who spoke with whom".

This is the project's own implementation of the figures printed by
``../shared/eval/score.py`` (same definitions, same keys), so that the CLI
(``graphbuild score GRAPH GOLD.jsonl``) and the tests can score without the
shared folder.  Gold files follow ``../shared/eval/GUIDELINES.md``: one JSON
object per line with ``doc``, ``actors`` and ``interactions``.

Definitions, in short:

* an *interaction* of the system is an event derived from a document, typed
  with one of the mode classes and not marked planned, requested or denied;
  it yields one candidate per (actor pair, mode) - initiator × addressee when
  both are given, otherwise every pair of participants (undirected);
* candidates of one document with the same mode and the same pair of names
  (in either direction) are collapsed into one, their acts, topics and dates
  merged;
* two actors are the same when a normalised name is equal, or the content
  words of one name are all in the other ("Poutine" ~ "Vladimir Poutine");
* gold and system candidates are matched greedily, in a fixed order.
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from .errors import InputError

__all__ = ["MODE_CLASSES", "ACT_CONCEPTS", "score", "load_gold", "load_graph", "format_report", "names_match"]

_DIP = "https://w3id.org/graphbuild/diplomacy#"
DIP = rdflib.Namespace(_DIP)

#: gold mode -> local name of the dip: class
MODE_CLASSES = {"phone_call": "PhoneCall", "meeting": "Meeting", "visit": "Visit", "message": "Message",
                "statement_to": "Statement", "negotiation": "Negotiation"}
_MODE_OF_CLASS = {cls: mode for mode, cls in MODE_CLASSES.items()}
#: gold act -> local name of the dip: concept
ACT_CONCEPTS = {act: act.capitalize() for act in ("discuss", "congratulate", "condole", "thank", "invite", "praise",
                                                  "support", "criticize", "agree", "request", "inform")}
#: words that never identify an actor on their own (titles, articles)
_STOPWORDS = frozenset("le la les l de du des d el al m mme et president presidente premier ministre roi reine "
                       "prince cheikh emir sa son majeste excellence monsieur madame".split())
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


# -- names -------------------------------------------------------------------------------------

def _fold(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", bare).strip()


def _content_words(text: str) -> set[str]:
    return {w for w in _fold(text).split() if len(w) > 1 and w not in _STOPWORDS}


def names_match(first: Iterable[str], second: Iterable[str]) -> bool:
    """True when some name of ``first`` and some name of ``second`` designate the same actor."""
    second = list(second)
    for a in first:
        a_fold, a_words = _fold(a), _content_words(a)
        for b in second:
            if a_fold == _fold(b):
                return True
            b_words = _content_words(b)
            if a_words and b_words and (a_words <= b_words or b_words <= a_words):
                return True
    return False


def _local(term, namespace: str = _DIP) -> str | None:
    text = str(term)
    return text[len(namespace):] if text.startswith(namespace) else None


def _slug_name(node) -> str:
    return str(node).rstrip("/").rsplit("/", 1)[-1].replace("_", " ")


def _node_names(graph: rdflib.Graph, node) -> list[str]:
    names = [str(o) for o in graph.objects(node, RDFS.label)] + [str(o) for o in graph.objects(node, SKOS.altLabel)]
    return names or [_slug_name(node)]


# -- the system side ---------------------------------------------------------------------------

@dataclass
class _Candidate:
    mode: str
    a_names: list[str]
    b_names: list[str]
    directed: bool
    acts: set[str] = field(default_factory=set)
    topics: list[str] = field(default_factory=list)
    dates: set[str] = field(default_factory=set)

    def same_occasion(self, other: "_Candidate") -> bool:
        if self.mode != other.mode:
            return False
        return ((names_match(self.a_names, other.a_names) and names_match(self.b_names, other.b_names))
                or (names_match(self.a_names, other.b_names) and names_match(self.b_names, other.a_names)))

    def orientation(self, initiator: list[str], addressee: list[str]) -> str | None:
        if names_match(initiator, self.a_names) and names_match(addressee, self.b_names):
            return "forward"
        if names_match(initiator, self.b_names) and names_match(addressee, self.a_names):
            return "backward"
        return None


def _document_names(graph: rdflib.Graph) -> dict:
    out = {}
    for doc in graph.subjects(RDF.type, DIP.Document):
        ident = graph.value(doc, DCTERMS.identifier)
        if ident is not None:
            out[doc] = Path(str(ident)).name
    return out


def _event_pairs(graph: rdflib.Graph, event) -> list[tuple]:
    initiators = sorted(set(graph.objects(event, DIP.initiator)), key=str)
    addressees = sorted(set(graph.objects(event, DIP.addressee)), key=str)
    if initiators and addressees:
        return [(a, b, True) for a in initiators for b in addressees if a != b]
    people = sorted(set(graph.objects(event, DIP.participant)) | set(initiators) | set(addressees), key=str)
    return [(a, b, False) for i, a in enumerate(people) for b in people[i + 1:]]


def _event_topics(graph: rdflib.Graph, event) -> list[str]:
    topics: list[str] = []
    for t in graph.objects(event, DIP.topic):
        labels = [] if isinstance(t, rdflib.Literal) else [str(x) for x in graph.objects(t, RDFS.label)]
        topics.extend(labels or [_slug_name(t)])
    return topics


def _system_candidates(graph: rdflib.Graph) -> tuple[dict[str, list[_Candidate]], set[str]]:
    """Document name -> its candidates (before collapsing), and the set of document names."""
    doc_names = _document_names(graph)
    found: dict[str, list[_Candidate]] = defaultdict(list)
    for event in sorted(set(graph.subjects(PROV.wasDerivedFrom, None)), key=str):
        if {_local(m) for m in graph.objects(event, DIP.modality)} - {"Asserted"}:
            continue  # planned, requested or denied: did not happen
        modes = sorted({_MODE_OF_CLASS[name] for t in graph.objects(event, RDF.type)
                        if (name := _local(t)) in _MODE_OF_CLASS})
        if not modes:
            continue
        pairs = _event_pairs(graph, event)
        acts = {_local(a) or str(a) for a in graph.objects(event, DIP.act)}
        dates = {str(d)[:10] for d in graph.objects(event, DIP.date)}
        topics = _event_topics(graph, event)
        for doc in graph.objects(event, PROV.wasDerivedFrom):
            if doc not in doc_names:
                continue
            for a, b, directed in pairs:
                for mode in modes:
                    found[doc_names[doc]].append(_Candidate(mode, _node_names(graph, a), _node_names(graph, b),
                                                            directed, set(acts), list(topics), set(dates)))
    return found, set(doc_names.values())


def _collapse(candidates: list[_Candidate]) -> list[_Candidate]:
    kept: list[_Candidate] = []
    for cand in candidates:
        same = next((k for k in kept if k.same_occasion(cand)), None)
        if same is None:
            kept.append(_Candidate(cand.mode, cand.a_names, cand.b_names, cand.directed,
                                   set(cand.acts), list(cand.topics), set(cand.dates)))
        else:
            same.acts |= cand.acts
            same.topics += cand.topics
            same.dates |= cand.dates
    return kept


# -- the gold side -----------------------------------------------------------------------------

def _gold_names(record: dict, name: str) -> list[str]:
    """The name plus its capitalised aliases (descriptions like "le président" are not names)."""
    for actor in record.get("actors", []):
        if actor["name"] == name:
            return [name] + [a for a in actor.get("aliases", []) if a[:1].isupper()]
    return [name]


def _gold_interactions(record: dict) -> list[dict]:
    seen, out = set(), []
    for item in record.get("interactions", []):
        key = (frozenset((item["initiator"], item["addressee"])), item["mode"])
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _topic_stems(texts: Iterable[str]) -> set[str]:
    return {w[:5] for text in texts for w in _content_words(text) if len(w) > 3}


# -- scoring -----------------------------------------------------------------------------------

def _prf(tp: float, n_system: float, n_gold: float) -> tuple[float, float, float]:
    p = tp / n_system if n_system else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _score_document(record: dict, candidates: list[_Candidate], counts: dict, misses: list[str],
                    extras: list[str]) -> None:
    name = record["doc"]
    gold = _gold_interactions(record)
    system = _collapse(candidates)
    counts["gold"] += len(gold)
    counts["sys"] += len(system)
    used_full: set[int] = set()
    used_pair: set[int] = set()
    for g in gold:
        gi, ga = _gold_names(record, g["initiator"]), _gold_names(record, g["addressee"])
        full = next((i for i, s in enumerate(system)
                     if i not in used_full and s.mode == g["mode"] and s.orientation(gi, ga)), None)
        pair = next((i for i, s in enumerate(system) if i not in used_pair and s.orientation(gi, ga)), None)
        if pair is not None:
            used_pair.add(pair)
            counts["pair_tp"] += 1
        if full is None:
            misses.append(f"{name}: {g['initiator']} -> {g['addressee']} [{g['mode']}]")
            continue
        used_full.add(full)
        s = system[full]
        counts["tp"] += 1
        if g.get("directed", True) and s.directed:
            counts["dir_n"] += 1
            counts["dir_ok"] += s.orientation(gi, ga) == "forward"
        if g.get("date"):
            counts["dates_gold"] += 1
            counts["dates_ok"] += g["date"] in s.dates
        gold_acts = {ACT_CONCEPTS[a] for a in g.get("acts", []) if a in ACT_CONCEPTS}
        counts["acts_gold"] += len(gold_acts)
        counts["acts_sys"] += len(s.acts)
        counts["acts_tp"] += len(gold_acts & s.acts)
        system_stems = _topic_stems(s.topics)
        for topic in g.get("topics", []):
            counts["topics_gold"] += 1
            counts["topics_hit"] += bool(_topic_stems([topic]) & system_stems)
    extras.extend(f"{name}: {s.a_names[0]} -> {s.b_names[0]} [{s.mode}]"
                  for i, s in enumerate(system) if i not in used_full)


def _score_affiliations(graph: rdflib.Graph, record: dict, persons: list, counts: dict) -> None:
    for actor in record.get("actors", []):
        if actor.get("type") != "person" or not actor.get("state"):
            continue
        names = [actor["name"]] + [a for a in actor.get("aliases", []) if a[:1].isupper()]
        found = [p for p, p_names in persons if names_match(names, p_names)]
        counts["persons_gold"] += 1
        if not found:
            continue
        counts["persons_found"] += 1
        states = [st for p in found for st in graph.objects(p, DIP.represents)]
        counts["affil_ok"] += any(names_match([actor["state"]], _node_names(graph, st)) for st in states)


def score(graph: rdflib.Graph | str | os.PathLike, gold_records: Iterable[dict] | str | os.PathLike) -> dict:
    """Figures of ``graph`` against ``gold_records`` (dicts, or a JSON-lines path).

    Keys: documents, gold_interactions, system_interactions, interaction and pair and
    acts (precision, recall, F1), direction_accuracy, topic_recall, date_accuracy,
    person_recall, affiliation_accuracy, misses and extras (lists of readable lines).
    """
    if not isinstance(graph, rdflib.Graph):
        graph = load_graph(graph)
    gold = load_gold(gold_records) if isinstance(gold_records, (str, os.PathLike)) else list(gold_records)
    by_doc, doc_names = _system_candidates(graph)
    persons = [(p, _node_names(graph, p)) for p in sorted(set(graph.subjects(RDF.type, DIP.Person)), key=str)]
    counts: dict[str, float] = defaultdict(float)
    misses: list[str] = []
    extras: list[str] = []
    for record in gold:
        if record["doc"] not in doc_names:
            misses.append(f"{record['doc']}: document missing from graph")
        _score_document(record, by_doc.get(record["doc"], []), counts, misses, extras)
        _score_affiliations(graph, record, persons, counts)
    c = counts
    return {
        "documents": len(gold),
        "gold_interactions": int(c["gold"]),
        "system_interactions": int(c["sys"]),
        "interaction": _prf(c["tp"], c["sys"], c["gold"]),
        "pair": _prf(c["pair_tp"], c["sys"], c["gold"]),
        "direction_accuracy": _ratio(c["dir_ok"], c["dir_n"]),
        "acts": _prf(c["acts_tp"], c["acts_sys"], c["acts_gold"]),
        "topic_recall": _ratio(c["topics_hit"], c["topics_gold"]),
        "date_accuracy": _ratio(c["dates_ok"], c["dates_gold"]),
        "person_recall": _ratio(c["persons_found"], c["persons_gold"]),
        "affiliation_accuracy": _ratio(c["affil_ok"], c["persons_found"]),
        "misses": misses,
        "extras": extras,
    }


# -- input and output --------------------------------------------------------------------------

def load_graph(path: str | os.PathLike) -> rdflib.Graph:
    """Read an RDF file; the format is guessed from the suffix (Turtle by default)."""
    graph = rdflib.Graph()
    try:
        graph.parse(str(path), format=rdflib.util.guess_format(str(path)) or "turtle")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except Exception as exc:  # rdflib raises many parser-specific exceptions
        raise InputError(f"{path}: cannot read the graph: {exc}") from exc
    return graph


def load_gold(path: str | os.PathLike) -> list[dict]:
    """Read a gold file (JSON lines); a malformed line is an :class:`InputError` with its line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    records = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{lineno}: malformed JSON line: {exc.msg}") from None
        if not isinstance(record, dict) or "doc" not in record:
            raise InputError(f"{path}:{lineno}: a gold record must be an object with a 'doc' field")
        records.append(record)
    return records


def format_report(result: dict, *, verbose: bool = False) -> list[str]:
    """The figures as readable lines; the last one is the headline ``interaction F1 = X.XXX``."""
    lines = []
    if verbose:
        lines += [f"missed: {m}" for m in result["misses"]] + [f"extra:  {e}" for e in result["extras"]]
    lines.append(f"documents {result['documents']}, gold interactions {result['gold_interactions']}, "
                 f"system interactions {result['system_interactions']}")
    for key in ("pair", "acts"):
        p, r, f = result[key]
        lines.append(f"{key:12s} P={p:.3f} R={r:.3f} F1={f:.3f}")
    lines.append(f"direction accuracy {result['direction_accuracy']:.3f}; "
                 f"topic recall {result['topic_recall']:.3f}; date accuracy {result['date_accuracy']:.3f}; "
                 f"person recall {result['person_recall']:.3f}; "
                 f"affiliation accuracy {result['affiliation_accuracy']:.3f}")
    p, r, f = result["interaction"]
    lines.append(f"interaction P={p:.3f} R={r:.3f}")
    lines.append(f"interaction F1 = {f:.3f}")
    return lines
