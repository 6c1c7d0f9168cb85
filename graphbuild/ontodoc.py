"""The ontology's HTML page, generated from ``ontology/diplomacy.ttl``.

    python -m graphbuild.ontodoc [ONTOLOGY.ttl] [-o docs/ontology/index.html] [--check]

(``make docs`` runs it.)  One self-contained page, no script and no external resource:
the ontology's metadata, its classes, object, datatype and annotation properties, concept
schemes and concepts, each with its labels and comments (French and English), SKOS
definitions and notes, super- and sub-classes or properties, domains and ranges (unions and
datatype restrictions spelt out), characteristics, CAMEO code and PLOVER category; then a
table of the CAMEO/PLOVER codes, the alignments with external vocabularies, the disjointness
axioms and the namespaces.  Every text from the ontology is HTML-escaped; terms and values
are sorted, so the same ontology gives the same bytes.

pyLODE was considered: on PyPI, 3.4.1 fails at import (it reads a ``pyproject.toml`` it
does not ship) and 3.2.1, which runs offline with our rdflib, embeds a JSON-LD block whose
order changes from run to run, and shows neither CAMEO nor PLOVER codes.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from html import escape
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, SKOS
from rdflib.term import Node

__all__ = ["render_docs", "write_docs", "main", "DEFAULT_OUTPUT"]

#: where ``make docs`` writes the page, relative to the repository root.
DEFAULT_OUTPUT = Path("docs/ontology/index.html")
VANN = "http://purl.org/vocab/vann/"
_DIP = "https://w3id.org/graphbuild/diplomacy#"
_CAMEO = URIRef(_DIP + "cameoCode")
_PLOVER = URIRef(_DIP + "ploverCategory")

#: (anchor, heading, rdf:type) of each section of terms, in page order; a term goes in the first that fits.
SECTIONS = (
    ("classes", "Classes", OWL.Class),
    ("object-properties", "Object properties", OWL.ObjectProperty),
    ("datatype-properties", "Datatype properties", OWL.DatatypeProperty),
    ("annotation-properties", "Annotation properties", OWL.AnnotationProperty),
    ("concept-schemes", "Concept schemes", SKOS.ConceptScheme),
    ("concepts", "Concepts (speech acts and modalities)", SKOS.Concept),
)
#: properties shown for a term, in order: (predicate, label, inverse?).
_LINKS = (
    (RDFS.subClassOf, "subclass of", False),
    (RDFS.subClassOf, "superclass of", True),
    (RDFS.subPropertyOf, "subproperty of", False),
    (RDFS.subPropertyOf, "superproperty of", True),
    (OWL.equivalentClass, "equivalent class", False),
    (OWL.equivalentProperty, "equivalent property", False),
    (OWL.inverseOf, "inverse of", False),
    (RDFS.domain, "domain", False),
    (RDFS.range, "range", False),
    (RDFS.domain, "domain of", True),
    (RDFS.range, "range of", True),
    (SKOS.inScheme, "in scheme", False),
    (SKOS.hasTopConcept, "top concepts", False),
    (RDFS.seeAlso, "see also", False),
)
_TEXTS = ((RDFS.comment, "comment"), (SKOS.definition, "definition"), (SKOS.editorialNote, "note"))
_CHARACTERISTICS = (OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty,
                    OWL.SymmetricProperty, OWL.AsymmetricProperty, OWL.ReflexiveProperty, OWL.IrreflexiveProperty)
_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 2px solid #ccd; margin-top: 2.5rem; }
section.term { border: 1px solid #dde; border-radius: 6px; padding: .2rem 1rem; margin: 1rem 0; }
section.term:target { border-color: #36c; box-shadow: 0 0 0 2px #36c3; }
h3 { margin: .6rem 0 .2rem; } h3 .label { font-weight: normal; color: #555; }
dl { display: grid; grid-template-columns: 11rem 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dt { font-weight: 600; color: #445; } dd { margin: 0; }
code { background: #f3f3f8; padding: 0 .2rem; border-radius: 3px; } .iri { color: #666; font-size: .9rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccd; padding: .2rem .6rem; text-align: left; }
.lang { color: #888; font-size: .8rem; margin-left: .3rem; } nav ul { columns: 2; }
"""


class _Doc:
    """One ontology graph and how to name its terms."""

    def __init__(self, graph: Graph):
        self.g = graph
        self.ontology = next(iter(sorted(graph.subjects(RDF.type, OWL.Ontology), key=str)), None)
        ns = self.value(self.ontology, URIRef(VANN + "preferredNamespaceUri")) if self.ontology else None
        self.ns = str(ns) if ns else (str(self.ontology) + "#" if self.ontology else _DIP)
        from graphbuild.vocab import PREFIXES

        # graphbuild's prefixes first, whatever the graph binds, then the graph's other bindings
        known = dict(PREFIXES, vann=VANN)
        self.prefixes = {ns: p for p, ns in sorted(known.items())}
        for p, uri in sorted(graph.namespaces(), key=lambda x: (str(x[0]), str(x[1]))):
            if str(p) and str(uri) not in self.prefixes and str(p) not in known:
                self.prefixes[str(uri)] = str(p)
        self.used: set[str] = set()

    def value(self, node: Node | None, predicate) -> Node | None:
        found = sorted(self.g.objects(node, predicate), key=str) if node is not None else []
        return found[0] if found else None

    def local(self, iri: Node) -> str:
        return str(iri)[len(self.ns):]

    def is_ours(self, node: Node) -> bool:
        return isinstance(node, URIRef) and str(node).startswith(self.ns) and len(str(node)) > len(self.ns)

    def qname(self, iri: URIRef) -> str:
        text = str(iri)
        for ns in sorted(self.prefixes, key=len, reverse=True):
            if text.startswith(ns) and len(text) > len(ns):
                self.used.add(ns)
                return f"{self.prefixes[ns]}:{text[len(ns):]}"
        return text

    def term(self, node: Node) -> str:
        """A term as HTML: a link to its section (ours), to its IRI (http), or text."""
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, BNode):
            return self.anonymous(node)
        name = _esc(self.qname(node))
        if self.is_ours(node):
            return f'<a href="#{_attr(self.local(node))}"><code>{name}</code></a>'
        if str(node).startswith(("http://", "https://")):
            return f'<a href="{_attr(str(node))}"><code>{name}</code></a>'
        return f"<code>{name}</code>"

    def literal(self, lit: Literal) -> str:
        text = _esc(str(lit))
        if lit.language:
            return f'<span lang="{_attr(lit.language)}">{text}</span><span class="lang">{_esc(lit.language)}</span>'
        if lit.datatype is not None and lit.datatype != URIRef("http://www.w3.org/2001/XMLSchema#string"):
            return f"<code>{text}</code> <span class=\"lang\">{_esc(self.qname(lit.datatype))}</span>"
        return text

    def anonymous(self, node: BNode) -> str:
        """Class expressions and datatype restrictions spelt out; anything else as [ … ]."""
        for predicate, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
            members = self.value(node, predicate)
            if members is not None:
                return word.join(self.term(m) for m in Collection(self.g, members))
        base = self.value(node, OWL.onDatatype)
        if base is not None:
            facets = []
            restrictions = self.value(node, OWL.withRestrictions)
            for item in (Collection(self.g, restrictions) if restrictions is not None else []):
                for p, o in sorted(self.g.predicate_objects(item), key=lambda po: (str(po[0]), str(po[1]))):
                    facets.append(f"{_esc(self.qname(p).split(':')[-1])} {self.term(o)}")
            return self.term(base) + (" [" + ", ".join(facets) + "]" if facets else "")
        return "[ anonymous ]"


def _esc(text: str) -> str:
    """Text content: & < > escaped (quotes need no escape outside attributes)."""
    return escape(text, quote=False)


def _attr(text: str) -> str:
    """An attribute value (always double-quoted): & < > " ' escaped."""
    return escape(text, quote=True)


def _sorted(nodes) -> list:
    return sorted(set(nodes), key=lambda n: (not isinstance(n, URIRef), str(n)))


def _labelled(doc: _Doc, node: Node, predicate) -> list[Literal]:
    rank = {"en": 0, "fr": 1}
    values = [o for o in doc.g.objects(node, predicate) if isinstance(o, Literal)]
    return sorted(values, key=lambda lit: (rank.get(lit.language or "", 2), lit.language or "", str(lit)))


def _term_section(doc: _Doc, node: URIRef) -> str:
    g = doc.g
    labels = _labelled(doc, node, RDFS.label) or _labelled(doc, node, SKOS.prefLabel)
    heading = " / ".join(_esc(str(lit)) for lit in labels)
    rows = [("IRI", f'<code class="iri">{_esc(str(node))}</code>')]
    types = [t for t in _sorted(g.objects(node, RDF.type)) if t not in _CHARACTERISTICS]
    rows.append(("type", ", ".join(doc.term(t) for t in types)))
    if labels:
        rows.append(("label", "<br>".join(doc.literal(lit) for lit in labels)))
    alt = _labelled(doc, node, SKOS.altLabel)
    if alt:
        rows.append(("other labels", "<br>".join(doc.literal(lit) for lit in alt)))
    for predicate, name in _TEXTS:
        texts = _labelled(doc, node, predicate)
        if texts:
            rows.append((name, "<br>".join(doc.literal(lit) for lit in texts)))
    for predicate, name, inverse in _LINKS:
        found = g.subjects(predicate, node) if inverse else g.objects(node, predicate)
        found = [n for n in _sorted(found) if not (inverse and isinstance(n, BNode))]
        if found:
            rows.append((name, ", ".join(doc.term(n) for n in found)))
    characteristics = [t for t in _sorted(g.objects(node, RDF.type)) if t in _CHARACTERISTICS]
    if characteristics:
        rows.append(("characteristics", ", ".join(doc.term(t) for t in characteristics)))
    for predicate, name in ((_CAMEO, "CAMEO code"), (_PLOVER, "PLOVER category")):
        codes = _sorted(g.objects(node, predicate))
        if codes:
            rows.append((name, ", ".join(f"<code>{_esc(str(c))}</code>" for c in codes)))
    defined = [n for n in _sorted(g.objects(node, RDFS.isDefinedBy)) if n != doc.ontology]
    if defined:
        rows.append(("defined by", ", ".join(doc.term(n) for n in defined)))
    body = "".join(f"<dt>{_esc(name)}</dt><dd>{html}</dd>\n" for name, html in rows)
    anchor = _attr(doc.local(node))
    return (f'<section class="term" id="{anchor}">\n<h3><code>{_esc(doc.qname(node))}</code> '
            f'<span class="label">{heading}</span></h3>\n<dl>\n{body}</dl>\n</section>\n')


def _sections(doc: _Doc) -> dict[str, list[URIRef]]:
    placed: dict[str, list[URIRef]] = defaultdict(list)
    seen: set = set()
    for anchor, _, cls in SECTIONS:
        for node in _sorted(doc.g.subjects(RDF.type, cls)):
            if doc.is_ours(node) and node not in seen:
                placed[anchor].append(node)
                seen.add(node)
    return placed


def _metadata(doc: _Doc) -> list[tuple[str, str]]:
    onto = doc.ontology
    rows = [("namespace", f"<code>{_esc(doc.ns)}</code>")]
    prefix = doc.value(onto, URIRef(VANN + "preferredNamespacePrefix")) if onto is not None else None
    if prefix is not None:
        rows.append(("prefix", f"<code>{_esc(str(prefix))}:</code>"))
    if onto is None:
        return rows
    rows.insert(0, ("IRI", f"<code>{_esc(str(onto))}</code>"))
    for predicate, name in ((OWL.versionInfo, "version"), (OWL.versionIRI, "version IRI"),
                            (DCTERMS.creator, "creator"), (DCTERMS.created, "created"),
                            (DCTERMS.license, "license"), (RDFS.seeAlso, "see also")):
        found = _sorted(doc.g.objects(onto, predicate))
        if found:
            rows.append((name, ", ".join(doc.term(n) for n in found)))
    return rows


def _codes_table(doc: _Doc, placed: dict[str, list[URIRef]]) -> str:
    rows = []
    for anchor, _, _ in SECTIONS:
        for node in placed.get(anchor, []):
            cameo = ", ".join(_esc(str(c)) for c in _sorted(doc.g.objects(node, _CAMEO)))
            plover = ", ".join(_esc(str(c)) for c in _sorted(doc.g.objects(node, _PLOVER)))
            if cameo or plover:
                rows.append(f"<tr><td>{doc.term(node)}</td><td>{cameo or '—'}</td><td>{plover or '—'}</td></tr>")
    if not rows:
        return ""
    return ('<h2 id="codes">CAMEO and PLOVER codes</h2>\n<table>\n<tr><th>term</th><th>CAMEO</th>'
            "<th>PLOVER</th></tr>\n" + "\n".join(rows) + "\n</table>\n")


def _alignments(doc: _Doc, placed: dict[str, list[URIRef]]) -> str:
    rows = []
    predicates = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, RDFS.seeAlso,
                  SKOS.exactMatch, SKOS.closeMatch)
    for node in _sorted(n for nodes in placed.values() for n in nodes):
        for predicate in predicates:
            for target in _sorted(doc.g.objects(node, predicate)):
                if isinstance(target, URIRef) and not doc.is_ours(target):
                    rows.append(f"<tr><td>{doc.term(node)}</td><td>{doc.term(predicate)}</td>"
                                f"<td>{doc.term(target)}</td></tr>")
    if not rows:
        return ""
    return ('<h2 id="alignments">Alignments with other vocabularies</h2>\n<table>\n'
            "<tr><th>term</th><th>relation</th><th>external term</th></tr>\n" + "\n".join(rows) + "\n</table>\n")


def _disjoint(doc: _Doc) -> str:
    groups = []
    for axiom in doc.g.subjects(RDF.type, OWL.AllDisjointClasses):
        members = doc.value(axiom, OWL.members)
        if members is not None:
            groups.append(sorted(Collection(doc.g, members), key=str))
    for a, b in doc.g.subject_objects(OWL.disjointWith):
        groups.append(sorted([a, b], key=str))
    if not groups:
        return ""
    items = sorted(", ".join(doc.term(m) for m in group) for group in groups)
    return ('<h2 id="disjoint">Disjoint classes</h2>\n<ul>\n'
            + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>\n")


def render_docs(graph: Graph) -> str:
    """The HTML page of an ontology graph."""
    doc = _Doc(graph)
    placed = _sections(doc)
    titles = _labelled(doc, doc.ontology, DCTERMS.title) if doc.ontology is not None else []
    title = str(titles[0]) if titles else doc.ns
    descriptions = _labelled(doc, doc.ontology, DCTERMS.description) if doc.ontology is not None else []
    parts = []
    for anchor, heading, _ in SECTIONS:
        nodes = placed.get(anchor, [])
        if nodes:
            parts.append(f'<h2 id="{anchor}">{_esc(heading)} ({len(nodes)})</h2>\n')
            parts.extend(_term_section(doc, n) for n in nodes)
    tail = _codes_table(doc, placed) + _alignments(doc, placed) + _disjoint(doc)
    meta = "".join(f"<dt>{_esc(n)}</dt><dd>{h}</dd>\n" for n, h in _metadata(doc))
    namespaces = "".join(f"<tr><td><code>{_esc(doc.prefixes[ns])}:</code></td><td><code>{_esc(ns)}</code></td></tr>\n"
                         for ns in sorted(doc.used, key=lambda ns: doc.prefixes[ns]))
    nav = "".join(f'<li><a href="#{a}">{_esc(h)}</a> ({len(placed[a])})</li>\n'
                  for a, h, _ in SECTIONS if placed.get(a))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{_esc(title)}</h1>\n"
        + "".join(f"<p>{doc.literal(d)}</p>\n" for d in descriptions)
        + f"<dl>\n{meta}</dl>\n<nav><h2>Contents</h2>\n<ul>\n{nav}"
        + ('<li><a href="#codes">CAMEO and PLOVER codes</a></li>\n' if 'id="codes"' in tail else "")
        + ('<li><a href="#alignments">Alignments</a></li>\n' if 'id="alignments"' in tail else "")
        + ('<li><a href="#disjoint">Disjoint classes</a></li>\n' if 'id="disjoint"' in tail else "")
        + '<li><a href="#namespaces">Namespaces</a></li>\n</ul></nav>\n'
        + "".join(parts) + tail
        + f'<h2 id="namespaces">Namespaces</h2>\n<table>\n{namespaces}</table>\n'
        + "<p class=\"iri\">Generated from the ontology's Turtle by <code>graphbuild.ontodoc</code> "
        "(<code>make docs</code>).</p>\n</body>\n</html>\n"
    )


def write_docs(ontology: str | Path | None = None, output: str | Path = DEFAULT_OUTPUT) -> Path:
    """Render ``ontology`` (default: the shipped ``diplomacy.ttl``) to ``output``, atomically."""
    from graphbuild.export import write_atomic
    from graphbuild.vocab import ontology_path

    source = Path(ontology) if ontology else ontology_path("diplomacy.ttl")
    graph = Graph().parse(source, format="turtle")
    return write_atomic(output, [render_docs(graph)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graphbuild.ontodoc",
                                     description="Write the HTML page of the graphbuild ontology.")
    parser.add_argument("ontology", nargs="?", help="the ontology's Turtle (default: the shipped diplomacy.ttl)")
    parser.add_argument("-o", "--output", default=str(DEFAULT_OUTPUT), help=f"the page (default {DEFAULT_OUTPUT})")
    parser.add_argument("--check", action="store_true", help="only check that the page is up to date (exit 1 if not)")
    args = parser.parse_args(argv)
    if args.check:
        from graphbuild.vocab import ontology_path

        source = Path(args.ontology) if args.ontology else ontology_path("diplomacy.ttl")
        expected = render_docs(Graph().parse(source, format="turtle")).encode("utf-8")
        output = Path(args.output)
        if not output.is_file() or output.read_bytes() != expected:
            print(f"{output} is out of date: run `make docs`", file=sys.stderr)
            return 1
        print(f"{output} is up to date")
        return 0
    print(f"written: {write_docs(args.ontology, args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
