"""The ontology's HTML page (graphbuild.ontodoc, ``make docs``)."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph

from graphbuild.ontodoc import main, render_docs
from graphbuild.vocab import ontology_path

ROOT = Path(__file__).resolve().parents[1]
CHECKED_IN = ROOT / "docs" / "ontology" / "index.html"
DIP = "https://w3id.org/graphbuild/diplomacy#"


class Page(HTMLParser):
    """Sections (id -> their text) and every id, href and text of a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.sections: dict[str, list[str]] = {}
        self.current: str | None = None
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag == "section":
            self.current = attrs.get("id")
            self.sections[self.current] = []

    def handle_endtag(self, tag):
        if tag == "section":
            self.current = None

    def handle_data(self, data):
        self.text.append(data)
        if self.current:
            self.sections[self.current].append(data)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_path("diplomacy.ttl"), format="turtle")


@pytest.fixture(scope="module")
def page(ontology) -> Page:
    return Page(render_docs(ontology))


def _terms(ontology: Graph, cls: str) -> set[str]:
    rows = ontology.query(f"SELECT DISTINCT ?t WHERE {{ ?t a {cls} FILTER(STRSTARTS(STR(?t), '{DIP}')) }}")
    return {str(t)[len(DIP):] for (t,) in rows}


@pytest.mark.parametrize("cls", ["owl:Class", "owl:ObjectProperty", "owl:DatatypeProperty", "owl:AnnotationProperty",
                                 "skos:Concept", "skos:ConceptScheme"])
def test_every_term_has_its_section(ontology, page, cls):
    terms = _terms(ontology, cls)
    assert terms, cls
    for term in terms:
        assert term in page.sections, f"no section for dip:{term}"
        text = " ".join(page.sections[term])
        assert DIP + term in text and f"dip:{term}" in text
        for (label,) in ontology.query(f"SELECT ?l WHERE {{ <{DIP}{term}> rdfs:label ?l }}"):
            assert str(label) in text, (term, str(label))
        for (comment,) in ontology.query(f"SELECT ?c WHERE {{ <{DIP}{term}> rdfs:comment ?c }}"):
            assert str(comment) in text, term


def test_sections_are_unique_and_links_resolve(page, ontology):
    assert len(page.ids) == len(set(page.ids))
    expected = set().union(*(_terms(ontology, c) for c in ("owl:Class", "owl:ObjectProperty", "owl:DatatypeProperty",
                                                           "owl:AnnotationProperty", "skos:Concept",
                                                           "skos:ConceptScheme")))
    assert set(page.sections) == expected
    for href in page.hrefs:
        assert href.startswith(("#", "http://", "https://")), href
        if href.startswith("#"):
            assert href[1:] in page.ids, href
    assert "script" not in page.tags and not any(h.startswith("javascript") for h in page.hrefs)


def test_codes_domains_and_ranges(page):
    phone = " ".join(page.sections["PhoneCall"])
    assert "CAMEO code" in phone and "041" in phone and "CONSULT" in phone and "dip:Interaction" in phone
    html = render_docs(Graph().parse(ontology_path("diplomacy.ttl"), format="turtle"))
    statement = html[html.index('<section class="term" id="Statement">'):]
    statement = statement[:statement.index("</section>")]
    assert "<dt>CAMEO code</dt><dd><code>010</code>" in statement and "<dt>PLOVER category</dt>" not in statement
    criticize = " ".join(page.sections["Criticize"])
    assert "111" in criticize and "DISAPPROVE" in criticize and "dip:ActScheme" in criticize
    topic = " ".join("".join(page.sections["topic"]).split())  # a union range, spelt out
    assert "range" in topic and "dip:Topic or dip:Place or dip:State" in topic
    confidence = " ".join(page.sections["confidence"])
    assert "xsd:decimal" in confidence and "minInclusive" in confidence and "owl:FunctionalProperty" in confidence
    person = " ".join(page.sections["Person"])
    assert "foaf:Person" in person and "schema:Person" in person and "domain of" in person
    body = " ".join(page.text)
    assert "CAMEO and PLOVER codes" in body and "Alignments with other vocabularies" in body
    assert "Disjoint classes" in body


def test_text_is_escaped():
    ttl = """
    @prefix dip: <https://w3id.org/graphbuild/diplomacy#> .
    @prefix owl: <http://www.w3.org/2002/07/owl#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <https://w3id.org/graphbuild/diplomacy> a owl:Ontology ; rdfs:seeAlso <javascript:alert(1)> .
    dip:Bad a owl:Class ; rdfs:label "<script>alert('x')</script> & co"@en ;
        rdfs:comment "a \\"quoted\\" <b>bold</b> claim" ; dip:cameoCode "0<1" .
    """
    html = render_docs(Graph().parse(data=ttl, format="turtle"))
    assert "<script>" not in html and "<b>" not in html and 'href="javascript' not in html
    parsed = Page(html)
    text = " ".join(parsed.sections["Bad"])
    assert "<script>alert('x')</script> & co" in text
    assert 'a "quoted" <b>bold</b> claim' in text and "0<1" in text
    assert "script" not in parsed.tags and "b" not in parsed.tags


def test_deterministic_and_checked_in(ontology, tmp_path):
    first = render_docs(ontology)
    shuffled = Graph()
    for triple in sorted(ontology, key=repr, reverse=True):
        shuffled.add(triple)
    assert render_docs(shuffled) == first
    assert CHECKED_IN.is_file(), "docs/ontology/index.html is missing: run `make docs`"
    assert CHECKED_IN.read_text(encoding="utf-8") == first, "docs/ontology/index.html is out of date: run `make docs`"
    out = tmp_path / "page.html"
    assert main([str(ontology_path("diplomacy.ttl")), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == first
    assert main(["--check", "-o", str(out)]) == 0
    out.write_text("stale", encoding="utf-8")
    assert main(["--check", "-o", str(out)]) == 1
