"""The *reduce* step: all DocExtractions -> one resolved model.

Persons merge across documents by name (a surname alone joins the one full
name that carries it, when the states agree), states by ISO code,
organisations by gazetteer key; one event per occasion (same mode, same
participants, same date — or the same publication day when no date is
given). Identifiers are readable slugs, stable whatever the corpus.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .extract.actors import name_tokens
from .lexicon import Lexicon, slugify
from .records import DocExtraction, Document, Topic


@dataclass
class RActor:
    id: str  # "person/vladimir-poutine", "state/russie", "org/onu"
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    role: str | None = None
    state: str | None = None  # actor id of the represented state
    org: str | None = None  # actor id of the represented organisation
    iso2: str | None = None
    wikidata: str | None = None


@dataclass
class REvent:
    id: str
    mode: str
    initiator: list[str]
    addressee: list[str]
    participants: list[str]
    directed: bool
    acts: set[str] = field(default_factory=set)
    topics: list[Topic] = field(default_factory=list)
    date: str | None = None
    place: str | None = None
    modality: str = "asserted"
    confidence: float = 0.5
    evidence: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    quote_by: dict[str, str] = field(default_factory=dict)  # quote -> actor id of its speaker
    documents: list[str] = field(default_factory=list)  # document ids


@dataclass
class Model:
    documents: dict[str, Document] = field(default_factory=dict)
    actors: dict[str, RActor] = field(default_factory=dict)
    events: dict[str, REvent] = field(default_factory=dict)


def _person_groups(extractions: list[DocExtraction]) -> dict[tuple[str, str], str]:
    """(doc id, local key) -> person slug, merging partial names into full ones."""
    full: dict[str, set[str]] = defaultdict(set)  # slug -> states seen
    for ex in extractions:
        for a in ex.actors:
            if a.type == "person" and len(name_tokens(a.name)) >= 2:
                full[slugify(a.name)].add(a.state or "")
    by_last: dict[str, list[str]] = defaultdict(list)
    for slug in sorted(full):
        toks = slug.split("-")
        by_last[toks[-1]].append(slug)
    out: dict[tuple[str, str], str] = {}
    for ex in extractions:
        for a in ex.actors:
            if a.type != "person":
                continue
            slug = slugify(a.name)
            if len(name_tokens(a.name)) < 2:
                cands = [s for s in by_last.get(slug.split("-")[-1], [])
                         if not a.state or not (full[s] - {""}) or a.state in full[s]]
                if len(cands) == 1:
                    slug = cands[0]
            out[(ex.doc.id, a.key)] = slug
    return out


def resolve(extractions: list[DocExtraction], lexicon: Lexicon, *, min_confidence: float = 0.0) -> Model:
    model = Model()
    groups = _person_groups(extractions)
    local: dict[tuple[str, str], str] = {}
    for ex in sorted(extractions, key=lambda e: e.doc.id):
        model.documents[ex.doc.id] = ex.doc
        for a in ex.actors:
            if a.type == "state" and a.iso2:
                st = lexicon.state(a.iso2)
                rid = f"state/{st.slug if st else slugify(a.name)}"
                actor = model.actors.setdefault(rid, RActor(rid, "state", a.name, iso2=a.iso2,
                                                            wikidata=a.wikidata))
            elif a.type == "organization":
                rid = f"org/{a.org_key or slugify(a.name)}"
                actor = model.actors.setdefault(rid, RActor(rid, "organization", a.name, wikidata=a.wikidata))
                if a.state and not actor.state:
                    st = lexicon.state(a.state)
                    actor.state = f"state/{st.slug}" if st else None
            else:
                rid = f"person/{groups[(ex.doc.id, a.key)]}"
                actor = model.actors.get(rid)
                if actor is None:
                    actor = model.actors[rid] = RActor(rid, "person", a.name)
                if len(a.name) > len(actor.name) and slugify(a.name) == rid.split("/", 1)[1]:
                    actor.name = a.name
                if a.name != actor.name:
                    actor.aliases.add(a.name)
                if a.role and not actor.role:
                    actor.role = a.role
                if a.state and not actor.state:
                    st = lexicon.state(a.state)
                    if st:
                        actor.state = f"state/{st.slug}"
                if a.org and not actor.org:
                    actor.org = f"org/{a.org}"
                if a.wikidata and not actor.wikidata:
                    actor.wikidata = a.wikidata
            actor.aliases.update(x for x in a.aliases if x != actor.name)
            local[(ex.doc.id, a.key)] = rid
        # states and organisations a person represents must exist as nodes
        for rid in [r for r in list(model.actors.values())]:
            for ref in (rid.state, rid.org):
                if ref and ref not in model.actors:
                    _add_ref(model, lexicon, ref)
        for it in ex.interactions:
            if it.confidence < min_confidence:
                continue
            ini = [local[(ex.doc.id, k)] for k in it.initiator if (ex.doc.id, k) in local]
            addr = [local[(ex.doc.id, k)] for k in it.addressee if (ex.doc.id, k) in local]
            parts = [local[(ex.doc.id, k)] for k in it.participants if (ex.doc.id, k) in local]
            parts = list(dict.fromkeys(parts))
            if len(parts) < 2:
                continue
            ev = _find_event(model, it.mode, parts, it.date, ex.doc, it.modality)
            if ev is None:
                ev = REvent(id="", mode=it.mode, initiator=ini, addressee=addr, participants=parts,
                            directed=it.directed and bool(ini and addr), date=it.date, place=it.place,
                            modality=it.modality, confidence=it.confidence)
                ev.id = _event_id(model, ev, ex.doc)
                model.events[ev.id] = ev
            elif it.directed and not ev.directed and ini and addr:
                ev.initiator, ev.addressee, ev.directed = ini, addr, True
            ev.acts.update(it.acts)
            for t in it.topics:
                if not any(t.label == x.label and t.kind == x.kind for x in ev.topics):
                    ev.topics.append(t)
            for s in it.evidence:
                if s not in ev.evidence:
                    ev.evidence.append(s)
            for q in it.quotes:
                if q not in ev.quotes:
                    ev.quotes.append(q)
                who = it.quote_by.get(q)
                if who is not None and (ex.doc.id, who) in local and q not in ev.quote_by:
                    ev.quote_by[q] = local[(ex.doc.id, who)]
            if ex.doc.id not in ev.documents:
                ev.documents.append(ex.doc.id)
            ev.confidence = max(ev.confidence, it.confidence)
            ev.date = ev.date or it.date
            ev.place = ev.place or it.place
    return model


def _add_ref(model: Model, lexicon: Lexicon, ref: str) -> None:
    kind, _, slug = ref.partition("/")
    if kind == "state":
        st = next((s for s in lexicon.states if s.slug == slug), None)
        if st:
            model.actors[ref] = RActor(ref, "state", st.name, iso2=st.iso2, wikidata=st.wikidata or None)
    elif kind == "org":
        o = lexicon.org_by_key.get(slug)
        if o:
            model.actors[ref] = RActor(ref, "organization", o.name, aliases=set(o.acronyms),
                                       wikidata=o.wikidata or None)


def _find_event(model: Model, mode: str, parts: list[str], date: str | None, doc: Document,
                modality: str = "asserted") -> REvent | None:
    for ev in model.events.values():
        if ev.mode != mode or set(ev.participants) != set(parts) or ev.modality != modality:
            continue  # a meeting planned is never the one that took place
        if date and ev.date:
            if date == ev.date:
                return ev
            continue
        if doc.id in ev.documents:
            return ev
        # no date on one side: the same publication day only
        other_days = {model.documents[d].date for d in ev.documents if model.documents[d].date}
        if doc.date and doc.date in other_days and (date or ev.date) is None:
            return ev
    return None


def _event_id(model: Model, ev: REvent, doc: Document) -> str:
    order = ev.initiator + [p for p in ev.addressee if p not in ev.initiator] if ev.directed else sorted(ev.participants)
    who = "-".join(p.split("/", 1)[1] for p in order[:3])
    base = f"event/{ev.date or 'undated'}-{ev.mode.replace('_', '')}-{who}"
    if ev.date is None:
        base += f"-{slugify(doc.id)}"
    rid, n = base, 2
    while rid in model.events:
        rid = f"{base}-{n}"
        n += 1
    return rid
