"""The ontology, its SHACL shapes, its JSON-LD context and graphbuild.vocab agree.

Covers the core ontology contract of shared/DESIGN.md and the data shape of
docs/rdf-shape.md.
"""
import importlib.util
import json
from decimal import Decimal

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib import namespace as rns  # rns.XSD: a module-level XSD makes pytest warn
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, PROV

from graphbuild.vocab import (
    DIP,
    PREFIXES,
    RES,
    SCHEMA,
    SEM,
    WD,
    bind_prefixes,
    ontology_dir,
    ontology_path,
)

pyshacl = pytest.importorskip("pyshacl")

NS = "https://w3id.org/graphbuild/diplomacy#"
ONTOLOGY_IRI = URIRef("https://w3id.org/graphbuild/diplomacy")
SH = Namespace("http://www.w3.org/ns/shacl#")

CORE_CLASSES = [
    "Actor", "Person", "State", "Organization", "Place", "Event", "Interaction",
    "PhoneCall", "Meeting", "Visit", "Message", "Statement", "Negotiation",
    "Topic", "Document",
]
MODES = ["PhoneCall", "Meeting", "Visit", "Message", "Statement", "Negotiation"]
CORE_OBJECT_PROPERTIES = [
    "initiator", "addressee", "participant", "act", "topic", "place",
    "represents", "modality", "inState",
]
CORE_DATATYPE_PROPERTIES = ["date", "role", "quote", "confidence", "evidence", "isoCode"]
ANNOTATION_PROPERTIES = ["cameoCode", "ploverCategory"]
ACTS = [
    "Discuss", "Congratulate", "Condole", "Thank", "Invite", "Praise",
    "Support", "Criticize", "Agree", "Request", "Inform",
]
MODALITIES = ["Asserted", "Planned", "Requested", "Denied", "Alleged"]
SCHEMES = ["ActScheme", "ModalityScheme"]

EXPECTED_TYPES = (
    [(name, OWL.Class) for name in CORE_CLASSES]
    + [(name, OWL.ObjectProperty) for name in CORE_OBJECT_PROPERTIES]
    + [(name, OWL.DatatypeProperty) for name in CORE_DATATYPE_PROPERTIES]
    + [(name, OWL.AnnotationProperty) for name in ANNOTATION_PROPERTIES]
    + [(name, SKOS.Concept) for name in ACTS + MODALITIES]
    + [(name, SKOS.ConceptScheme) for name in SCHEMES]
)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ontology_path("shapes.ttl"), format="turtle")


def dip_terms(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(NS)}


def languages(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


# --------------------------------------------------------------------------
# Parsing and metadata
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["diplomacy.ttl", "shapes.ttl"])
def test_parses_with_rdflib_and_pyoxigraph_alike(name):
    path = ontology_path(name)
    graph = Graph().parse(path, format="turtle")
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(graph) > 0
    assert len(store) == len(graph)


def test_ontology_header(onto):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert languages(onto, ONTOLOGY_IRI, DCTERMS.title) >= {"fr", "en"}
    assert languages(onto, ONTOLOGY_IRI, DCTERMS.description) >= {"fr", "en"}
    assert isinstance(onto.value(ONTOLOGY_IRI, DCTERMS.license), URIRef)


def test_ontology_dir_holds_all_files():
    folder = ontology_dir()
    for name in ("diplomacy.ttl", "shapes.ttl", "context.jsonld"):
        assert ontology_path(name) == folder / name
    with pytest.raises(FileNotFoundError):
        ontology_path("no-such-file.ttl")


# --------------------------------------------------------------------------
# Core contract
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "rdf_type"), EXPECTED_TYPES, ids=[n for n, _ in EXPECTED_TYPES])
def test_contract_term_exists_with_type_and_labels(onto, name, rdf_type):
    term = URIRef(NS + name)
    assert (term, RDF.type, rdf_type) in onto
    assert languages(onto, term, RDFS.label) >= {"fr", "en"}


def test_every_term_has_labels_and_comments_in_french_and_english(onto):
    terms = dip_terms(onto)
    assert {URIRef(NS + name) for name, _ in EXPECTED_TYPES} <= terms
    for term in terms:
        assert languages(onto, term, RDFS.label) >= {"fr", "en"}, term
        assert languages(onto, term, RDFS.comment) >= {"fr", "en"}, term
        assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in onto, term


@pytest.mark.parametrize(
    ("concepts", "scheme"), [(ACTS, "ActScheme"), (MODALITIES, "ModalityScheme")]
)
def test_concepts_belong_to_their_scheme(onto, concepts, scheme):
    scheme_iri = URIRef(NS + scheme)
    in_scheme = set(onto.subjects(SKOS.inScheme, scheme_iri))
    assert in_scheme == {URIRef(NS + c) for c in concepts}
    for concept in in_scheme:
        assert languages(onto, concept, SKOS.prefLabel) >= {"fr", "en"}
        assert languages(onto, concept, SKOS.definition) >= {"fr", "en"}
        assert (scheme_iri, SKOS.hasTopConcept, concept) in onto


@pytest.mark.parametrize("name", MODES + ACTS)
def test_cameo_and_plover_annotations(onto, name):
    term = URIRef(NS + name)
    codes = list(onto.objects(term, DIP.cameoCode))
    assert len(codes) == 1 and codes[0].datatype is None and codes[0].language is None
    assert str(codes[0]).isdigit() and len(str(codes[0])) == 3
    plover = list(onto.objects(term, DIP.ploverCategory))
    if name == "Statement":  # PLOVER dropped CAMEO 01 comments
        assert plover == []
    else:
        assert len(plover) == 1 and str(plover[0]).isupper()


def test_phone_call_is_cameo_041_consult(onto):
    assert onto.value(DIP.PhoneCall, DIP.cameoCode) == Literal("041")
    assert onto.value(DIP.PhoneCall, DIP.ploverCategory) == Literal("CONSULT")


ALIGNMENTS = [
    (DIP.Actor, RDFS.subClassOf, SEM.Actor),
    (DIP.Person, RDFS.subClassOf, DIP.Actor),
    (DIP.Person, RDFS.subClassOf, FOAF.Person),
    (DIP.Person, RDFS.subClassOf, SCHEMA.Person),
    (DIP.State, RDFS.subClassOf, DIP.Actor),
    (DIP.State, RDFS.subClassOf, SCHEMA.Country),
    (DIP.Organization, RDFS.subClassOf, DIP.Actor),
    (DIP.Organization, RDFS.subClassOf, SCHEMA.Organization),
    (DIP.Place, RDFS.subClassOf, SCHEMA.Place),
    (DIP.Place, RDFS.subClassOf, SEM.Place),
    (DIP.Event, RDFS.subClassOf, SEM.Event),
    (DIP.Event, RDFS.subClassOf, SCHEMA.Event),
    (DIP.Interaction, RDFS.subClassOf, DIP.Event),
    (DIP.Topic, RDFS.subClassOf, SKOS.Concept),
    (DIP.Document, RDFS.subClassOf, SCHEMA.NewsArticle),
    (DIP.Document, RDFS.subClassOf, PROV.Entity),
    (DIP.participant, RDFS.subPropertyOf, SEM.hasActor),
    (DIP.initiator, RDFS.subPropertyOf, DIP.participant),
    (DIP.addressee, RDFS.subPropertyOf, DIP.participant),
    (DIP.place, RDFS.subPropertyOf, SEM.hasPlace),
    (DIP.date, RDFS.subPropertyOf, SEM.hasTimeStamp),
    (DIP.date, RDFS.seeAlso, SCHEMA.startDate),
] + [(URIRef(NS + mode), RDFS.subClassOf, DIP.Interaction) for mode in MODES]


@pytest.mark.parametrize("triple", ALIGNMENTS, ids=lambda t: f"{t[0].n3()} {t[1].n3()} {t[2].n3()}")
def test_alignment(onto, triple):
    assert triple in onto


DOMAINS_RANGES = [
    ("initiator", DIP.Interaction, DIP.Actor),
    ("addressee", DIP.Interaction, DIP.Actor),
    ("participant", DIP.Event, DIP.Actor),
    ("act", DIP.Interaction, SKOS.Concept),
    ("date", DIP.Event, rns.XSD.date),
    ("role", DIP.Person, rns.XSD.string),
    ("evidence", DIP.Event, RDF.langString),
    ("modality", DIP.Event, SKOS.Concept),
    ("inState", DIP.Place, DIP.State),
    ("isoCode", DIP.State, rns.XSD.string),
]


@pytest.mark.parametrize(("name", "domain", "range_"), DOMAINS_RANGES)
def test_domain_and_range(onto, name, domain, range_):
    term = URIRef(NS + name)
    assert onto.value(term, RDFS.domain) == domain
    assert onto.value(term, RDFS.range) == range_


@pytest.mark.parametrize(
    ("name", "members"),
    [
        ("topic", {DIP.Topic, DIP.Place, DIP.State, DIP.Organization, DIP.Person, DIP.Event}),
        ("place", {DIP.Place, DIP.State}),
        ("represents", {DIP.State, DIP.Organization}),
    ],
)
def test_union_ranges(onto, name, members):
    range_ = onto.value(URIRef(NS + name), RDFS.range)
    union = onto.value(range_, OWL.unionOf)
    assert set(onto.items(union)) == members


# --------------------------------------------------------------------------
# graphbuild.vocab
# --------------------------------------------------------------------------


def test_vocab_lists_exactly_the_ontology_terms(onto):
    assert set(dir(DIP)) == dip_terms(onto)
    assert str(DIP) == NS


def test_vocab_fails_on_unknown_terms():
    assert DIP.PhoneCall == URIRef(NS + "PhoneCall")
    with pytest.raises(AttributeError):
        DIP.Nonexistent  # noqa: B018
    with pytest.raises(AttributeError):
        DIP["Phonecall"]


def test_generated_block_is_up_to_date():
    spec = importlib.util.spec_from_file_location("gen_vocab", ontology_path("gen_vocab.py"))
    gen_vocab = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_vocab)
    assert gen_vocab.main(["--check"]) == 0


def test_prefixes():
    assert set(PREFIXES) == {
        "dip", "res", "rdf", "rdfs", "owl", "xsd", "skos", "prov", "dcterms",
        "schema", "sem", "foaf", "wd",
    }
    assert PREFIXES["dip"] == NS
    assert PREFIXES["res"] == str(RES) == "https://w3id.org/graphbuild/resource/"
    assert PREFIXES["schema"] == str(SCHEMA) == "https://schema.org/"
    assert PREFIXES["wd"] == str(WD) == "http://www.wikidata.org/entity/"
    graph = bind_prefixes(Graph(), base="https://example.org/r/")
    bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    assert bound["dip"] == NS and bound["res"] == "https://example.org/r/"


# --------------------------------------------------------------------------
# JSON-LD context
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads(ontology_path("context.jsonld").read_text(encoding="utf-8"))["@context"]


def test_context_prefixes_match_vocab(context):
    for prefix in ("dip", "res", "rdfs", "skos", "owl", "xsd", "prov", "dcterms", "schema", "wd"):
        assert context[prefix] == PREFIXES[prefix]
    assert context["@version"] == 1.1


def test_context_dip_terms_exist(onto, context):
    known = dip_terms(onto)
    for key, value in context.items():
        iri = value["@id"] if isinstance(value, dict) else value
        if isinstance(iri, str) and iri.startswith("dip:"):
            assert URIRef(NS + iri[4:]) in known, key


TURTLE_EVENT = """
@prefix dip: <https://w3id.org/graphbuild/diplomacy#> .
@prefix res: <https://w3id.org/graphbuild/resource/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/graphbuild/resource/> .
<event/2016-12-29-phonecall-a-b> a dip:PhoneCall, dip:Interaction ;
    rdfs:label "Appel"@fr ;
    dip:initiator <person/a> ; dip:addressee <person/b> ;
    dip:participant <person/a>, <person/b> ;
    dip:act dip:Discuss, dip:Agree ;
    dip:modality dip:Planned ;
    dip:date "2016-12-29"^^xsd:date ;
    dip:confidence 0.85 ;
    dip:evidence "Une phrase."@fr ;
    prov:wasDerivedFrom <doc/d1> .
"""


def test_context_expands_short_keys(context):
    doc = {
        "@context": context,
        "id": "res:event/2016-12-29-phonecall-a-b",
        "type": ["PhoneCall", "Interaction"],
        "label": "Appel",
        "initiator": "res:person/a",
        "addressee": "res:person/b",
        "participant": ["res:person/a", "res:person/b"],
        "act": ["Discuss", "Agree"],
        "modality": "Planned",
        "date": "2016-12-29",
        "confidence": "0.85",
        "evidence": ["Une phrase."],
        "wasDerivedFrom": ["res:doc/d1"],
    }
    from_jsonld = Graph().parse(data=json.dumps(doc), format="json-ld")
    from_turtle = Graph().parse(data=TURTLE_EVENT, format="turtle")
    assert isomorphic(from_jsonld, from_turtle)


# --------------------------------------------------------------------------
# SHACL shapes
# --------------------------------------------------------------------------

# Turtle prefixed names cannot contain "/", so instances are written relative to @base.
PREFIX_BLOCK = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + f"@base <{RES}> .\n"

GOOD_DATA = PREFIX_BLOCK + """
<doc/002-84048996add565ba-txt> a dip:Document ;
    dcterms:identifier "002_84048996add565ba.txt" ;
    dcterms:title "Poutine et Erdogan au téléphone"@fr ;
    dcterms:date "2016-12-29"^^xsd:date ;
    schema:url <http://example.org/article/2> .

<event/2016-12-29-phonecall-vladimir-poutine-recep-tayyip-erdogan>
    a dip:PhoneCall, dip:Interaction ;
    rdfs:label "Appel téléphonique : Vladimir Poutine → Recep Tayyip Erdogan"@fr ;
    dip:initiator <person/vladimir-poutine> ;
    dip:addressee <person/recep-tayyip-erdogan> ;
    dip:participant <person/vladimir-poutine>, <person/recep-tayyip-erdogan> ;
    dip:act dip:Discuss, dip:Agree, dip:Inform ;
    dip:topic <place/alep>, <topic/processus-de-paix>, <event/assassinat-ambassadeur-russe> ;
    dip:date "2016-12-29"^^xsd:date ;
    dip:place <place/ankara> ;
    dip:modality dip:Asserted ;
    dip:confidence 0.85 ;
    dip:evidence "Le président russe Vladimir Poutine a téléphoné à son homologue turc."@fr ;
    dip:quote "Nous devons agir ensemble."@fr ;
    dip:cameoCode "041" ; dip:ploverCategory "CONSULT" ;
    prov:wasDerivedFrom <doc/002-84048996add565ba-txt> .

<event/2016-10-01-meeting-serguei-lavrov-onu> a dip:Meeting, dip:Interaction ;
    rdfs:label "Rencontre : Sergueï Lavrov, ONU"@fr ;
    dip:participant <person/serguei-lavrov>, <org/onu> ;
    dip:modality dip:Planned ;
    dip:evidence "Ils ont convenu de se revoir fin octobre."@fr ;
    prov:wasDerivedFrom <doc/002-84048996add565ba-txt> .

<person/vladimir-poutine> a dip:Person ;
    rdfs:label "Vladimir Poutine"@fr ; skos:altLabel "Poutine"@fr, "M. Poutine"@fr ;
    dip:role "président" ; dip:represents <state/russie> ; owl:sameAs wd:Q7747 .
<person/recep-tayyip-erdogan> a dip:Person ;
    rdfs:label "Recep Tayyip Erdogan"@fr ; dip:role "président" ; dip:represents <state/turquie> .
<person/serguei-lavrov> a dip:Person ;
    rdfs:label "Sergueï Lavrov"@fr ; dip:role "ministre des Affaires étrangères" ;
    dip:represents <state/russie> .

<state/russie> a dip:State ; rdfs:label "Russie"@fr ; skos:altLabel "Moscou"@fr ;
    dip:isoCode "RU" ; owl:sameAs wd:Q159 .
<state/turquie> a dip:State ; rdfs:label "Turquie"@fr ; dip:isoCode "TR" .
<state/syrie> a dip:State ; rdfs:label "Syrie"@fr ; dip:isoCode "SY" .
<org/onu> a dip:Organization ; rdfs:label "Organisation des Nations unies"@fr ;
    skos:altLabel "ONU"@fr ; owl:sameAs wd:Q1065 .
<place/alep> a dip:Place ; rdfs:label "Alep"@fr ; dip:inState <state/syrie> .
<place/ankara> a dip:Place ; rdfs:label "Ankara"@fr ; dip:inState <state/turquie> .
<topic/processus-de-paix> a dip:Topic ; rdfs:label "processus de paix"@fr .
<event/assassinat-ambassadeur-russe> a dip:Event ;
    rdfs:label "assassinat de l'ambassadeur russe"@fr .
"""

CALL = URIRef(RES + "event/2016-12-29-phonecall-vladimir-poutine-recep-tayyip-erdogan")


def broken_data() -> Graph:
    """GOOD_DATA with three faults: no evidence, confidence 1.5, isoCode "xyz"."""
    graph = Graph().parse(data=GOOD_DATA, format="turtle")
    graph.remove((CALL, DIP.evidence, None))
    graph.set((CALL, DIP.confidence, Literal(Decimal("1.5"))))
    graph.set((URIRef(RES + "state/russie"), DIP.isoCode, Literal("xyz")))
    return graph


def validate(data: Graph, shapes: Graph, **kwargs) -> tuple[bool, Graph, str]:
    return pyshacl.validate(data, shacl_graph=shapes, advanced=True, **kwargs)


def violations(report: Graph) -> list[tuple[URIRef, URIRef, URIRef]]:
    """(focus node, path, constraint component) of each result of a report."""
    return sorted(
        (
            report.value(result, SH.focusNode),
            report.value(result, SH.resultPath),
            report.value(result, SH.sourceConstraintComponent),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    )


def test_good_data_conforms(shapes):
    conforms, report, text = validate(Graph().parse(data=GOOD_DATA, format="turtle"), shapes)
    assert conforms, text


def test_good_data_conforms_with_rdfs_inference_over_the_ontology(shapes, onto):
    data = Graph().parse(data=GOOD_DATA, format="turtle")
    conforms, _, text = validate(data, shapes, ont_graph=onto, inference="rdfs")
    assert conforms, text


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_broken_data_has_the_three_expected_violations(shapes, onto, inference):
    conforms, report, text = validate(broken_data(), shapes, ont_graph=onto, inference=inference)
    assert not conforms
    assert violations(report) == sorted(
        [
            (CALL, DIP.evidence, SH.MinCountConstraintComponent),
            (CALL, DIP.confidence, SH.MaxInclusiveConstraintComponent),
            (URIRef(RES + "state/russie"), DIP.isoCode, SH.PatternConstraintComponent),
        ]
    ), text


@pytest.mark.parametrize(
    ("triple", "component"),
    [
        ((CALL, DIP.act, DIP.Planned), SH.InConstraintComponent),
        ((CALL, DIP.modality, DIP.Denied), SH.MaxCountConstraintComponent),
        ((CALL, DIP.initiator, URIRef(RES + "place/alep")), SH.OrConstraintComponent),
        ((CALL, DIP.evidence, Literal("sans langue")), SH.DatatypeConstraintComponent),
        ((CALL, PROV.wasDerivedFrom, URIRef(RES + "doc/unknown")), SH.ClassConstraintComponent),
        ((URIRef(RES + "person/vladimir-poutine"), RDFS.label, Literal("Poutine", lang="fr")),
         SH.MaxCountConstraintComponent),
        ((URIRef(RES + "person/vladimir-poutine"), DIP.represents, URIRef(RES + "place/alep")),
         SH.OrConstraintComponent),
        ((URIRef(RES + "doc/002-84048996add565ba-txt"), DCTERMS.identifier, Literal("other")),
         SH.MaxCountConstraintComponent),
        ((URIRef(RES + "topic/processus-de-paix"), RDFS.label, Literal("paix", lang="fr")),
         SH.MaxCountConstraintComponent),
    ],
)
def test_single_added_faults_are_reported(shapes, triple, component):
    """Adding one bad triple to the good data gives exactly one violation."""
    data = Graph().parse(data=GOOD_DATA, format="turtle")
    data.add(triple)
    conforms, report, _ = validate(data, shapes)
    assert not conforms
    assert [v[2] for v in violations(report)] == [component]


@pytest.mark.parametrize(
    ("triple", "component"),
    [
        ((CALL, DIP.date, Literal("29 décembre 2016")), SH.DatatypeConstraintComponent),
        ((CALL, DIP.confidence, Literal(0.85)), SH.DatatypeConstraintComponent),  # xsd:double
        ((CALL, DIP.cameoCode, Literal("41a")), SH.PatternConstraintComponent),
        ((URIRef(RES + "state/russie"), DIP.isoCode, Literal("RUS")), SH.PatternConstraintComponent),
    ],
)
def test_single_replaced_values_are_reported(shapes, triple, component):
    """Replacing one value of the good data by a bad one gives exactly one violation."""
    data = Graph().parse(data=GOOD_DATA, format="turtle")
    data.set(triple)
    conforms, report, _ = validate(data, shapes)
    assert not conforms
    assert [v[2] for v in violations(report)] == [component]


def test_every_property_shape_has_an_english_message(shapes):
    property_shapes = set(shapes.subjects(SH.path, None))
    assert property_shapes
    for shape in property_shapes:
        assert "en" in languages(shapes, shape, SH.message), shapes.value(shape, SH.path)
