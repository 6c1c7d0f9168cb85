"""Regenerate the term list of ``graphbuild/vocab.py`` from ``diplomacy.ttl``.

Usage (from anywhere)::

    python ontology/gen_vocab.py           # print the generated block
    python ontology/gen_vocab.py --check   # exit 1 if vocab.py is out of date
    python ontology/gen_vocab.py --write   # rewrite the block inside vocab.py

Only the lines between the ``BEGIN GENERATED TERMS`` and ``END GENERATED
TERMS`` markers of ``class DIP`` are touched; the rest of vocab.py is
hand-written. ``tests/test_ontology.py`` fails when the two disagree.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

HERE = Path(__file__).resolve().parent
TTL = HERE / "diplomacy.ttl"
VOCAB = HERE.parent / "graphbuild" / "vocab.py"
NS = "https://w3id.org/graphbuild/diplomacy#"
BEGIN = "    # BEGIN GENERATED TERMS (python ontology/gen_vocab.py --write)\n"
END = "    # END GENERATED TERMS\n"

# Order of the groups in the generated block; a term goes in the first
# group whose type it has.
KINDS: list[tuple[URIRef, str]] = [
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
    (OWL.AnnotationProperty, "Annotation properties"),
    (SKOS.ConceptScheme, "Concept schemes"),
    (SKOS.Concept, "Concepts (acts and modalities)"),
]


def _english(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal) and value.language == "en":
            return " ".join(str(value).split())
    return ""


def terms(graph: Graph) -> dict[str, list[tuple[str, str]]]:
    """Group the dip: terms of ``graph`` by kind: {group: [(name, doc)]}."""
    groups: dict[str, list[tuple[str, str]]] = {title: [] for _, title in KINDS}
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(NS)}
    for subject in sorted(subjects):
        types = set(graph.objects(subject, RDF.type))
        title = next((t for kind, t in KINDS if kind in types), None)
        if title is None:
            raise SystemExit(f"{subject} has no type gen_vocab knows")
        doc = _english(graph, subject, SKOS.definition) or _english(graph, subject, RDFS.comment)
        groups[title].append((subject[len(NS):], doc))
    return groups


def render(graph: Graph) -> str:
    """The generated block, markers included."""
    lines = [BEGIN]
    for title, entries in terms(graph).items():
        if not entries:
            continue
        lines.append(f"\n    # {title}\n")
        for name, doc in entries:
            lines.append(f"    {name}: URIRef  # {doc}\n" if doc else f"    {name}: URIRef\n")
    lines.append("\n" + END)
    return "".join(lines)


def splice(source: str, block: str) -> str:
    """Replace the generated block of ``source`` (vocab.py's text) by ``block``."""
    start = source.index(BEGIN)
    stop = source.index(END, start) + len(END)
    return source[:start] + block + source[stop:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite graphbuild/vocab.py")
    mode.add_argument("--check", action="store_true", help="exit 1 if vocab.py is stale")
    parser.add_argument("--ttl", type=Path, default=TTL)
    parser.add_argument("--vocab", type=Path, default=VOCAB)
    args = parser.parse_args(argv)

    block = render(Graph().parse(args.ttl, format="turtle"))
    if not (args.write or args.check):
        sys.stdout.write(block)
        return 0
    current = args.vocab.read_text(encoding="utf-8")
    updated = splice(current, block)
    if args.check:
        if updated != current:
            print(f"{args.vocab} is out of date: run {Path(__file__).name} --write", file=sys.stderr)
            return 1
        return 0
    if updated != current:
        args.vocab.write_text(updated, encoding="utf-8")
        print(f"updated {args.vocab}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
