"""Figures about a built graph: what ``graphbuild stats`` prints and plots.

Everything is read from the RDF itself with a few SPARQL queries (pyoxigraph, through
:mod:`graphbuild.query`), so the figures hold for any graph under the ontology, whoever
built it.  Usage::

    stats = graph_stats("out/graph.ttl")          # or an rdflib Graph, or a pyoxigraph Store
    print(format_stats(stats, top=5))
    print(stats.to_dict(top=5)["interactions"])   # {"PhoneCall": 8, "Meeting": 5, ...}
    plot_interactions(stats, "timeline.png")

What counts:

- an *interaction* is a resource typed ``dip:Interaction`` or one of its modes; its mode is
  the first mode class it has (``PhoneCall`` ... ``Negotiation``), else ``Interaction``;
- only asserted interactions (``dip:modality`` absent or ``dip:Asserted``) are counted in
  modes, acts, topics, dates and pairs; the others are counted by modality apart;
- a *pair* is two distinct actors who took part (``dip:participant``, ``dip:initiator``
  or ``dip:addressee``) in the same interaction; it counts once per interaction.
"""
from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from graphbuild.errors import GraphbuildError
from graphbuild.query import Result, load_source, run_query

__all__ = ["GraphStats", "StatsError", "graph_stats", "format_stats", "plot_interactions", "MODE_CLASSES"]

DIP = "https://w3id.org/graphbuild/diplomacy#"
#: interaction classes in display order; "Interaction" is the mode of an event with no mode class
MODE_CLASSES = ("PhoneCall", "Meeting", "Visit", "Message", "Statement", "Negotiation", "Interaction")
MODE_NAMES = {"PhoneCall": "phone call", "Meeting": "meeting", "Visit": "visit", "Message": "message",
              "Statement": "statement", "Negotiation": "negotiation", "Interaction": "other interaction"}
ACTOR_CLASSES = {"Person": "person", "State": "state", "Organization": "organization"}
NOT_ASSERTED = ("planned", "requested", "denied", "alleged")
#: the kind a topic is counted as, when it has several dip: types
_KIND_ORDER = ("Person", "State", "Organization", "Place", "Event", "Topic")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

_Q_COUNTS = """
SELECT ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x a dip:Document . BIND("Document" AS ?what) }
  UNION { VALUES ?class { dip:Person dip:State dip:Organization } ?x a ?class .
          BIND(STRAFTER(STR(?class), "#") AS ?what) }
} GROUP BY ?what"""
_Q_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_Q_EVENTS = """
SELECT DISTINCT ?event ?class WHERE {
  VALUES ?class { dip:Interaction dip:PhoneCall dip:Meeting dip:Visit dip:Message dip:Statement dip:Negotiation }
  ?event a ?class .
}"""
#: (event, property, value) rows for the properties of interactions stats need
_Q_FACTS = """
SELECT DISTINCT ?event ?p ?o WHERE {
  VALUES ?class { dip:Interaction dip:PhoneCall dip:Meeting dip:Visit dip:Message dip:Statement dip:Negotiation }
  VALUES ?p { dip:modality dip:date dip:act dip:topic dip:participant dip:initiator dip:addressee }
  ?event a ?class ; ?p ?o .
}"""
#: labels and dip: types of everything an interaction points to (actors, topics)
_Q_LABELS = """
SELECT DISTINCT ?x ?label ?type WHERE {
  VALUES ?class { dip:Interaction dip:PhoneCall dip:Meeting dip:Visit dip:Message dip:Statement dip:Negotiation }
  VALUES ?p { dip:topic dip:participant dip:initiator dip:addressee }
  ?event a ?class ; ?p ?x .
  OPTIONAL { ?x rdfs:label ?label }
  OPTIONAL { ?x a ?type . FILTER(STRSTARTS(STR(?type), STR(dip:))) }
}"""


class StatsError(GraphbuildError):
    """Figures or a plot cannot be produced (e.g. nothing dated to plot)."""


@dataclass
class Interaction:
    """One interaction as the figures see it."""
    iri: str
    mode: str
    asserted: bool
    modality: str  # "asserted", or "planned", "requested", "denied" (lower-cased local name)
    date: str = ""  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"; "" when undated
    acts: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)


@dataclass
class GraphStats:
    """Counts of one graph; :meth:`to_dict` gives them as plain JSON-able data."""
    source: str
    triples: int
    documents: int
    actors: dict[str, int]
    interactions: list[Interaction]
    labels: dict[str, str]
    kinds: dict[str, str]
    total_actors: int = 0

    @property
    def asserted(self) -> list[Interaction]:
        return [i for i in self.interactions if i.asserted]

    def modes(self) -> dict[str, int]:
        counts = Counter(i.mode for i in self.asserted)
        return {m: counts[m] for m in MODE_CLASSES if counts[m]}

    def not_asserted(self) -> dict[str, int]:
        counts = Counter(i.modality for i in self.interactions if not i.asserted)
        return {**{k: counts.get(k, 0) for k in NOT_ASSERTED}, **dict(sorted(counts.items()))}

    def acts(self) -> dict[str, int]:
        counts = Counter(a for i in self.asserted for a in i.acts)
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def topic_counts(self) -> Counter:
        return Counter(t for i in self.asserted for t in i.topics)

    def dates(self) -> dict[str, Any]:
        dated = sorted(i.date for i in self.asserted if i.date)
        return {"first": dated[0] if dated else None, "last": dated[-1] if dated else None,
                "dated": len(dated), "undated": len(self.asserted) - len(dated)}

    def pairs(self) -> list[tuple[str, str, int]]:
        """(name, name, interactions) for every pair of co-participants, busiest first."""
        counts: Counter = Counter()
        for inter in self.asserted:  # by IRI: two actors sharing a name stay apart
            for a, b in combinations(sorted(set(inter.actors), key=lambda x: (self.label(x), x)), 2):
                counts[(a, b)] += 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], self.label(kv[0][0]), self.label(kv[0][1]), kv[0]))
        return [(self.label(a), self.label(b), n) for (a, b), n in ranked]

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def to_dict(self, *, top: int = 10) -> dict[str, Any]:
        topics = self.topic_counts()
        kinds = Counter(self.kinds.get(t, "other") for t in topics)
        return {
            "graph": self.source,
            "triples": self.triples,
            "documents": self.documents,
            "actors": {**self.actors, "total": self.total_actors},
            "interactions": {**self.modes(), "total": len(self.asserted)},
            "not_asserted": self.not_asserted(),
            "acts": self.acts(),
            "topics": {"distinct": len(topics), "by_kind": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
                       "top": [{"topic": self.label(t), "interactions": n}
                               for t, n in sorted(topics.items(), key=lambda kv: (-kv[1], self.label(kv[0]), kv[0]))[:top]]},
            "dates": self.dates(),
            "top_pairs": [{"a": a, "b": b, "interactions": n} for a, b, n in self.pairs()[:top]],
        }


def _rows(result: Result) -> list[tuple[str | None, ...]]:
    return result.rows if isinstance(result, Result) else []


def _local(iri: str) -> str:
    return iri[len(DIP):] if iri.startswith(DIP) else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def graph_stats(source: Any) -> GraphStats:
    """The figures of ``source``: an RDF file path, an rdflib Graph or a pyoxigraph Store.

    Raises :class:`~graphbuild.errors.QueryError` when the file is missing or unreadable.
    """
    store, _ = load_source(source)  # parsed once; the queries below reuse the store
    counts = {what: int(n) for what, n in _rows(run_query(store, _Q_COUNTS))}
    triples = int(_rows(run_query(store, _Q_TRIPLES))[0][0])

    classes: dict[str, set[str]] = defaultdict(set)
    for event, cls in _rows(run_query(store, _Q_EVENTS)):
        classes[event].add(_local(cls))
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for event, prop, value in _rows(run_query(store, _Q_FACTS)):
        facts[event][_local(prop)].add(value)

    labels: dict[str, list[tuple[int, str]]] = defaultdict(list)
    types: dict[str, set[str]] = defaultdict(set)
    for term, label, kind in run_query(store, _Q_LABELS).terms:
        if label is not None:
            rank = 0 if label.lang == "fr" else 1 if not label.lang else 2
            labels[term.value].append((rank, label.value))
        if kind is not None:
            types[term.value].add(_local(kind.value))
    kinds = {}
    for term, names in types.items():
        names = {"Event" if n in MODE_CLASSES else n for n in names}
        kinds[term] = next((k for k in _KIND_ORDER if k in names), min(names))

    interactions = []
    for event in sorted(classes):
        mode = next((m for m in MODE_CLASSES if m in classes[event]), "Interaction")
        f = facts.get(event, {})
        modalities = {_local(m) for m in f.get("modality", ())} - {"Asserted"}
        dates = sorted(d for d in f.get("date", ()) if _DATE.match(d))
        actors = f.get("participant", set()) | f.get("initiator", set()) | f.get("addressee", set())
        interactions.append(Interaction(
            iri=event, mode=mode, asserted=not modalities,
            modality=min(modalities).lower() if modalities else "asserted",
            date=_DATE.match(dates[0]).group(0) if dates else "",
            acts=sorted(_local(a).lower() for a in f.get("act", ())),
            topics=sorted(f.get("topic", ())), actors=sorted(actors)))

    actor_counts = {ACTOR_CLASSES[c]: counts.get(c, 0) for c in ACTOR_CLASSES}
    total = int(_rows(run_query(store, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { "
                                "VALUES ?c { dip:Person dip:State dip:Organization } ?x a ?c }"))[0][0])
    return GraphStats(
        source=str(source) if isinstance(source, (str, Path)) else type(source).__name__,
        triples=triples, documents=counts.get("Document", 0), actors=actor_counts,
        interactions=interactions, labels={k: sorted(v)[0][1] for k, v in labels.items()},
        kinds=kinds, total_actors=total)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_stats(stats: GraphStats, *, top: int = 10) -> str:
    """The figures as lines of text (what ``graphbuild stats`` prints)."""
    d = stats.to_dict(top=top)
    actors = d["actors"]
    kinds = ", ".join(_plural(actors[k], k) for k in ACTOR_CLASSES.values() if actors.get(k))
    modes = ", ".join(_plural(n, MODE_NAMES[m]) for m, n in d["interactions"].items() if m != "total")
    lines = [
        f"graph: {d['graph']} ({d['triples']} triples)",
        f"documents: {d['documents']}",
        f"actors: {actors['total']}" + (f" ({kinds})" if kinds else ""),
        f"interactions: {d['interactions']['total']}" + (f" ({modes})" if modes else ""),
        "not asserted: " + ", ".join(f"{n} {k}" for k, n in d["not_asserted"].items()),
        "speech acts: " + (", ".join(f"{a} {n}" for a, n in d["acts"].items()) or "none"),
    ]
    topics = d["topics"]
    by_kind = ", ".join(_plural(n, k.lower()) for k, n in topics["by_kind"].items())
    lines.append(f"topics: {topics['distinct']} distinct" + (f" ({by_kind})" if by_kind else ""))
    dates = d["dates"]
    if dates["first"]:
        lines.append(f"dates: {dates['first']} to {dates['last']} "
                     f"({dates['dated']} dated, {dates['undated']} undated)")
    else:
        lines.append(f"dates: none ({dates['undated']} undated)")
    if topics["top"]:
        lines.append("top topics:")
        lines += [f"  {t['interactions']:>4}  {t['topic']}" for t in topics["top"]]
    lines.append("top pairs:" if d["top_pairs"] else "top pairs: none")
    lines += [f"  {p['interactions']:>4}  {p['a']} — {p['b']}" for p in d["top_pairs"]]
    return "\n".join(lines) + "\n"


# --- the plot -----------------------------------------------------------------------------------

def _parse(text: str) -> date:
    year, month, day = _DATE.match(text).groups()
    return date(int(year), int(month or 1), int(day or 1))


def _bins(first: date, last: date) -> str:
    span = (last - first).days
    return "day" if span <= 62 else "month" if span <= 15 * 366 else "year"


def _bin_start(d: date, unit: str) -> date:
    return d if unit == "day" else d.replace(day=1) if unit == "month" else d.replace(month=1, day=1)


def plot_interactions(stats: GraphStats, path, *, title: str | None = None, dpi: int = 100) -> Path:
    """Stacked bars of the asserted, dated interactions per day, month or year (by the span), by mode.

    Written atomically as PNG; the same graph gives the same bytes (no software or date
    metadata, matplotlib's default style whatever the user's settings).
    """
    import matplotlib.dates as mdates
    from matplotlib import style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from graphbuild.views.html import write_atomic
    from graphbuild.views.model import MODES
    from graphbuild.views.payload import MODE_COLORS

    dated = [(_parse(i.date), i.mode) for i in stats.asserted if i.date]
    if not dated:
        raise StatsError("nothing to plot: the graph has no dated asserted interaction")
    undated = len(stats.asserted) - len(dated)
    unit = _bins(min(d for d, _ in dated), max(d for d, _ in dated))
    counts: dict[str, Counter] = defaultdict(Counter)
    for d, mode in dated:
        counts[mode][_bin_start(d, unit)] += 1
    bins = sorted({b for c in counts.values() for b in c})
    width = {"day": 0.8, "month": 25.0, "year": 300.0}[unit]
    colors = {name: MODE_COLORS.get(key, "#34495e") for name, (key, _) in MODES.items()}

    with style.context("default"):
        fig = Figure(figsize=(10, 5), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        bottom = [0] * len(bins)
        for mode in MODE_CLASSES:
            if mode not in counts:
                continue
            heights = [counts[mode][b] for b in bins]
            ax.bar(bins, heights, width=width, bottom=bottom, align="edge" if unit != "day" else "center",
                   color=colors.get(mode, "#34495e"), edgecolor="white", linewidth=0.5,
                   label=f"{MODE_NAMES[mode]} ({sum(heights)})")
            bottom = [b + h for b, h in zip(bottom, heights)]
        locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, max(bottom) * 1.15 + 0.5)
        pad = timedelta(days={"day": 1, "month": 45, "year": 300}[unit])
        ax.set_xlim(bins[0] - pad, bins[-1] + pad + timedelta(days=width))
        ax.set_ylabel(f"interactions per {unit}")
        ax.set_xlabel("date")
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
        ax.set_title(title or f"Interactions per {unit}, by mode")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize="small",
                  title="mode (dated)", alignment="left")
        note = f"{len(dated)} dated interactions shown"
        if undated:
            note += f"; {undated} undated not shown"
        fig.text(0.99, 0.01, note, ha="right", va="bottom", fontsize="small", color="#555555")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return write_atomic(Path(path), buffer.getvalue())
