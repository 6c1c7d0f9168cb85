"""The resolved model -> RDF triples under the diplomacy ontology."""
from __future__ import annotations

import hashlib

from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .lexicon import Lexicon, fold, slugify
from .resolve import Model, REvent
from .vocab import DIP, RES, SCHEMA, WD, bind_prefixes, ontology_path

MODE_CLASS = {"phone_call": DIP.PhoneCall, "meeting": DIP.Meeting, "visit": DIP.Visit, "message": DIP.Message,
              "statement_to": DIP.Statement, "negotiation": DIP.Negotiation}
MODE_LABEL = {"phone_call": "Appel téléphonique", "meeting": "Rencontre", "visit": "Visite",
              "message": "Message", "statement_to": "Déclaration", "negotiation": "Négociation"}
ACT = {"discuss": DIP.Discuss, "congratulate": DIP.Congratulate, "condole": DIP.Condole, "thank": DIP.Thank,
       "invite": DIP.Invite, "praise": DIP.Praise, "support": DIP.Support, "criticize": DIP.Criticize,
       "agree": DIP.Agree, "request": DIP.Request, "inform": DIP.Inform}
MODALITY = {"asserted": DIP.Asserted, "planned": DIP.Planned, "requested": DIP.Requested, "denied": DIP.Denied,
            "alleged": DIP.Alleged}
TYPE_CLASS = {"person": DIP.Person, "state": DIP.State, "organization": DIP.Organization}


@lru_cache(maxsize=1)
def event_codes() -> dict[URIRef, tuple[str | None, str | None]]:
    """CAMEO code and PLOVER category of each mode class and act, read from
    the ontology so the two never disagree."""
    onto = Graph().parse(ontology_path("diplomacy.ttl"), format="turtle")
    codes: dict[URIRef, tuple[str | None, str | None]] = {}
    for s in set(onto.subjects(DIP.cameoCode, None)) | set(onto.subjects(DIP.ploverCategory, None)):
        cameo = onto.value(s, DIP.cameoCode)
        plover = onto.value(s, DIP.ploverCategory)
        codes[s] = (str(cameo) if cameo else None, str(plover) if plover else None)
    return codes


def _fr(text: str) -> Literal:
    return Literal(text, lang="fr")


def emit(model: Model, lexicon: Lexicon, *, base: str | None = None) -> Graph:
    res = Namespace(base) if base else RES
    g = Graph()
    bind_prefixes(g, base=base)
    for prefix in ("person", "state", "org", "place", "topic", "event", "doc"):
        g.bind(prefix, URIRef(f"{res}{prefix}/"))
    codes = event_codes()
    doc_iri = {}
    for doc_id, doc in sorted(model.documents.items()):
        iri = res[f"doc/{slugify(doc_id)}"]
        doc_iri[doc_id] = iri
        g.add((iri, RDF.type, DIP.Document))
        g.add((iri, DCTERMS.identifier, Literal(doc_id)))
        if doc.title:
            g.add((iri, DCTERMS.title, _fr(doc.title)))
        if doc.date:
            g.add((iri, DCTERMS.date, Literal(doc.date, datatype=XSD.date)))
        if doc.url:
            g.add((iri, SCHEMA.url, Literal(doc.url, datatype=XSD.anyURI)))
        if doc.source:
            g.add((iri, DCTERMS.source, Literal(doc.source)))
    for rid, a in sorted(model.actors.items()):
        iri = res[rid]
        g.add((iri, RDF.type, TYPE_CLASS[a.type]))
        g.add((iri, RDFS.label, _fr(a.name)))
        for alias in sorted(a.aliases):
            if alias != a.name:
                g.add((iri, SKOS.altLabel, _fr(alias)))
        if a.role:
            g.add((iri, DIP.role, Literal(a.role)))
        if a.state and a.type == "person":
            g.add((iri, DIP.represents, res[a.state]))
        if a.org and a.type == "person":
            g.add((iri, DIP.represents, res[a.org]))
        if a.iso2:
            g.add((iri, DIP.isoCode, Literal(a.iso2)))
        if a.wikidata:
            g.add((iri, OWL.sameAs, WD[a.wikidata]))
    for eid, ev in sorted(model.events.items()):
        _emit_event(g, res, ev, doc_iri, lexicon, codes, model)
    return g


def _emit_event(g: Graph, res: Namespace, ev: REvent, doc_iri, lexicon: Lexicon, codes, model: Model) -> None:
    iri = res[ev.id]
    cls = MODE_CLASS[ev.mode]
    g.add((iri, RDF.type, cls))
    g.add((iri, RDF.type, DIP.Interaction))
    names = [model.actors[p].name for p in (ev.initiator + ev.addressee if ev.directed else ev.participants)]
    sep = " → " if ev.directed else " — "
    label = f"{MODE_LABEL[ev.mode]} : " + (sep.join([", ".join(model.actors[p].name for p in ev.initiator),
                                                       ", ".join(model.actors[p].name for p in ev.addressee)])
                                           if ev.directed else sep.join(names))
    g.add((iri, RDFS.label, _fr(label)))
    if ev.directed:
        for p in ev.initiator:
            g.add((iri, DIP.initiator, res[p]))
        for p in ev.addressee:
            g.add((iri, DIP.addressee, res[p]))
    for p in ev.participants:
        g.add((iri, DIP.participant, res[p]))
    for act in sorted(ev.acts):
        if act in ACT:
            g.add((iri, DIP.act, ACT[act]))
    cameo, plover = codes.get(cls, (None, None))
    if cameo:
        g.add((iri, DIP.cameoCode, Literal(cameo)))
    if plover:
        g.add((iri, DIP.ploverCategory, Literal(plover)))
    for t in ev.topics:
        g.add((iri, DIP.topic, _topic_node(g, res, t, lexicon, model)))
    if ev.date:
        g.add((iri, DIP.date, Literal(ev.date, datatype=XSD.date)))
    if ev.place:
        if ev.place.startswith("state:"):
            st = lexicon.state(ev.place[6:])
            if st:
                g.add((iri, DIP.place, res[f"state/{st.slug}"]))
                _ensure_state(g, res, st)
        else:
            g.add((iri, DIP.place, _place_node(g, res, ev.place, lexicon)))
    g.add((iri, DIP.modality, MODALITY.get(ev.modality, DIP.Asserted)))
    g.add((iri, DIP.confidence, Literal(Decimal(str(round(ev.confidence, 2))), datatype=XSD.decimal)))
    for s in ev.evidence:
        g.add((iri, DIP.evidence, _fr(s)))
    for q in ev.quotes:
        g.add((iri, DIP.quote, _fr(q)))
        speaker = ev.quote_by.get(q)
        if speaker is not None and speaker in model.actors:
            # the attributed quotation: text and speaker (stable IRI from the event and the text)
            node = res[f"quote/{hashlib.sha1((ev.id + chr(0) + q).encode('utf-8')).hexdigest()[:16]}"]
            g.add((iri, DIP.hasQuotation, node))
            g.add((node, RDF.type, DIP.Quotation))
            g.add((node, SCHEMA.text, _fr(q)))
            g.add((node, DIP.speaker, res[speaker]))
    for d in ev.documents:
        g.add((iri, PROV.wasDerivedFrom, doc_iri[d]))


def _ensure_state(g: Graph, res: Namespace, st) -> URIRef:
    iri = res[f"state/{st.slug}"]
    if (iri, RDF.type, DIP.State) not in g:
        g.add((iri, RDF.type, DIP.State))
        g.add((iri, RDFS.label, _fr(st.name)))
        g.add((iri, DIP.isoCode, Literal(st.iso2)))
        if st.wikidata:
            g.add((iri, OWL.sameAs, WD[st.wikidata]))
    return iri


def _place_node(g: Graph, res: Namespace, name: str, lexicon: Lexicon) -> URIRef:
    place = lexicon.place_names.get(fold(name))
    label = place.name if place else name
    iri = res[f"place/{slugify(label)}"]
    if (iri, RDF.type, DIP.Place) not in g:
        g.add((iri, RDF.type, DIP.Place))
        g.add((iri, RDFS.label, _fr(label)))
        if place and place.iso2:
            st = lexicon.state(place.iso2)
            if st:
                g.add((iri, DIP.inState, _ensure_state(g, res, st)))
        if place and place.wikidata:
            g.add((iri, OWL.sameAs, WD[place.wikidata]))
    return iri


def _topic_node(g: Graph, res: Namespace, t, lexicon: Lexicon, model: Model) -> URIRef:
    if t.kind == "place":
        return _place_node(g, res, t.ref or t.label, lexicon)
    if t.kind == "state" and t.ref:
        st = lexicon.state(t.ref)
        if st:
            return _ensure_state(g, res, st)
    if t.kind == "event":
        iri = res[f"event/topic-{slugify(t.label)}"]
        if (iri, RDF.type, DIP.Event) not in g:
            g.add((iri, RDF.type, DIP.Event))
            g.add((iri, RDFS.label, _fr(t.label)))
        return iri
    iri = res[f"topic/{slugify(t.label)}"]
    if (iri, RDF.type, DIP.Topic) not in g:
        g.add((iri, RDF.type, DIP.Topic))
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, RDFS.label, _fr(t.label)))
    return iri
