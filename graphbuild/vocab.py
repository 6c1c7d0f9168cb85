"""Namespaces of graphbuild's RDF, and where the ontology files live.

``DIP`` mirrors ``ontology/diplomacy.ttl`` term for term (``_fail = True``:
a typo such as ``DIP.Phonecall`` raises ``AttributeError``). The term list
is generated: after editing the ontology run
``python ontology/gen_vocab.py --write``; ``tests/test_ontology.py`` checks
that the two agree.
"""
# No ``from __future__ import annotations`` here: DefinedNamespace reads the
# term annotations at run time (``DIP.as_jsonld_context`` needs real types).
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "DIP",
    "RES",
    "SEM",
    "SCHEMA",
    "WD",
    "PREFIXES",
    "bind_prefixes",
    "ontology_dir",
    "ontology_path",
]


class DIP(DefinedNamespace):
    """graphbuild diplomacy ontology, ``https://w3id.org/graphbuild/diplomacy#``.

    Generated from: ontology/diplomacy.ttl (version 0.1.0)
    """

    _NS = Namespace("https://w3id.org/graphbuild/diplomacy#")
    _fail = True

    # BEGIN GENERATED TERMS (python ontology/gen_vocab.py --write)

    # Classes
    Actor: URIRef  # Anyone who acts in an event: a person, a state or an organisation.
    Document: URIRef  # A source article facts were read from; identified by dcterms:identifier (file name or the JSON line's id).
    Event: URIRef  # Something that happened (or is planned, requested, denied: see dip:modality). An event that is only a topic of discussion has no mode class.
    Interaction: URIRef  # Actors communicating. What is said inside it (congratulations, condolences, quotes, topics) belongs to it (dip:act, dip:topic, dip:quote) and is not a new interaction. One interaction per occasion, even when reported by several articles.
    Meeting: URIRef  # A face-to-face meeting, talks or summit. With no clear initiator, only dip:participant is given.
    Message: URIRef  # A message, letter or telegram sent by one actor to another (message of congratulations, letter of condolence).
    Negotiation: URIRef  # Talks or negotiations between actors, including mediation (Astana process, Geneva talks).
    Organization: URIRef  # An organisation: international organisation (UN), ministry, army, press service, agency.
    Person: URIRef  # A named person (head of state, minister, diplomat, spokesperson).
    PhoneCall: URIRef  # A telephone conversation or video call between actors; the initiator is the caller.
    Place: URIRef  # A city or a region (Aleppo, Astana). A whole state is a dip:State, not a dip:Place.
    Quotation: URIRef  # A quotation reported within an interaction, with its speaker when the text says who it is ("a déclaré X", "a-t-il dit").
    State: URIRef  # A sovereign state (Russia, Iran), including when named by metonymy (Moscow, the Kremlin, the Élysée).
    Statement: URIRef  # A public statement by an actor (press release, press conference, speech) aimed at or about other actors.
    Topic: URIRef  # A subject discussed that is not itself an actor, place or event ("peace process", "fight against terrorism").
    Visit: URIRef  # A trip by one actor to another; the initiator is the visitor, the addressee is the host.

    # Object properties
    act: URIRef  # A speech act performed inside the interaction, taken from the dip:ActScheme scheme (dip:Discuss, dip:Condole…).
    addressee: URIRef  # Who was called, written to, visited or addressed. Only when the interaction is directed.
    hasQuotation: URIRef  # Links an interaction to an attributed quotation; the text is also given as dip:quote on the interaction.
    inState: URIRef  # The state the city or region lies in.
    initiator: URIRef  # Who called, wrote, visited, hosted or spoke. Only when the interaction is directed.
    modality: URIRef  # Factual status of the event, from dip:ModalityScheme. Absent or dip:Asserted: the text says it happened; otherwise dip:Planned, dip:Requested, dip:Denied or dip:Alleged.
    participant: URIRef  # Every actor taking part in the event. Always given for all participants; for a meeting with no clear initiator it is the only actor property.
    place: URIRef  # Where the event took place: a city, a region, or a state when the text says no more.
    represents: URIRef  # The state or organisation the person acts for.
    speaker: URIRef  # The actor who said or wrote the quotation.
    topic: URIRef  # What it was about: a topic, place, state, organisation, person or another event.

    # Datatype properties
    confidence: URIRef  # How sure the extractor is, a decimal between 0 and 1.
    date: URIRef  # Normalised date of the event, when the text allows it (to the day). Close to schema:startDate, but a single day with no time or end.
    evidence: URIRef  # The sentence(s) the event was read from, language-tagged (@fr).
    isoCode: URIRef  # The state's ISO 3166-1 alpha-2 country code, upper case ("RU").
    quote: URIRef  # A quotation attributed to its speaker within the interaction, language-tagged (@fr).
    role: URIRef  # The person's title or office as written in the text ("président", "ministre des Affaires étrangères").

    # Annotation properties
    cameoCode: URIRef  # Closest CAMEO event code, as a string ("041"), on a mode class, an act or an event.
    ploverCategory: URIRef  # Closest PLOVER event category ("CONSULT", "SUPPORT"…), on a mode class, an act or an event.

    # Concept schemes
    ActScheme: URIRef  # The speech acts an interaction may contain (values of dip:act).
    ModalityScheme: URIRef  # The factual status of an event (values of dip:modality).

    # Concepts (acts and modalities)
    Agree: URIRef  # Agree on something, settle on a course of action or commit to cooperate.
    Alleged: URIRef  # A source reports the event but the text does not assert it (the conditional of unconfirmed news).
    Asserted: URIRef  # The text says the event took place. Same as no dip:modality.
    Condole: URIRef  # Express sympathy or condolences after an attack, a disaster, a death.
    Congratulate: URIRef  # Offer congratulations (election, national day, success).
    Criticize: URIRef  # Criticise, condemn or denounce an actor or its action.
    Denied: URIRef  # The text says the event did not take place, was refused or denied.
    Discuss: URIRef  # Exchange views on a subject, review or raise an issue.
    Inform: URIRef  # Inform another actor, brief it on a decision or a situation.
    Invite: URIRef  # Invite another actor to a visit, a meeting or a conference.
    Planned: URIRef  # The event is agreed, announced or scheduled but has not taken place yet.
    Praise: URIRef  # Praise or commend another actor's action, role or decision.
    Request: URIRef  # Ask, call on or urge another actor to do something.
    Requested: URIRef  # An actor calls for the event to happen (call for talks, request for a meeting).
    Support: URIRef  # Express support for an actor, a position or an initiative.
    Thank: URIRef  # Express gratitude to another actor.

    # END GENERATED TERMS


#: Default base of instance IRIs (``res:person/vladimir-poutine``); ``--base`` changes it.
RES = Namespace("https://w3id.org/graphbuild/resource/")
#: Simple Event Model.
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
#: Wikidata entities (``owl:sameAs wd:Q159``).
WD = Namespace("http://www.wikidata.org/entity/")

#: prefix -> namespace IRI, for Turtle output, SPARQL prologues and JSON-LD contexts.
PREFIXES: dict[str, str] = {
    "dip": str(DIP._NS),
    "res": str(RES),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "sem": str(SEM),
    "foaf": str(FOAF),
    "wd": str(WD),
}


def bind_prefixes(graph: Graph, *, base: str | None = None) -> Graph:
    """Bind graphbuild's prefixes on ``graph`` (``res`` to ``base`` if given) and return it."""
    for prefix, namespace in PREFIXES.items():
        if prefix == "res" and base is not None:
            namespace = base
        graph.bind(prefix, URIRef(namespace), override=True, replace=True)
    return graph


_PACKAGE_DIR = Path(__file__).resolve().parent


def ontology_dir() -> Path:
    """The folder holding ``diplomacy.ttl``, ``shapes.ttl`` and ``context.jsonld``.

    An installed wheel ships it as ``graphbuild/ontology`` (hatch
    ``force-include``); a source checkout has it at the repository root.
    """
    candidates = (_PACKAGE_DIR / "ontology", _PACKAGE_DIR.parent / "ontology")
    for candidate in candidates:
        if (candidate / "diplomacy.ttl").is_file():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"graphbuild ontology folder not found (searched {searched})")


def ontology_path(name: str = "diplomacy.ttl") -> Path:
    """Path of one file of the ontology folder, e.g. ``ontology_path("shapes.ttl")``."""
    path = ontology_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"no ontology file {name!r} in {path.parent}")
    return path
