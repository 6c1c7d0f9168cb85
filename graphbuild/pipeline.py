"""The library entry points: ``build(inputs) -> BuildResult`` and friends.

The CLI is a thin layer over these functions.
"""
from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .corpus import read_inputs, sample_path
from .emit import emit
from .extract import extract
from .lexicon import load_lexicon
from .nlp import DEFAULT_MODEL, load_pipeline
from .records import DocExtraction, Document, Problem
from .resolve import Model, resolve

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    graph: Graph
    model: Model
    extractions: list[DocExtraction]
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed_inputs(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def summary(self) -> dict:
        actors = Counter(a.type for a in self.model.actors.values())
        modes = Counter(e.mode for e in self.model.events.values() if e.modality == "asserted")
        other = Counter(e.modality for e in self.model.events.values() if e.modality != "asserted")
        pairs: Counter = Counter()
        for e in self.model.events.values():
            if e.modality != "asserted":
                continue
            names = sorted(self.model.actors[p].name for p in e.participants[:2])
            pairs[" — ".join(names)] += 1
        return {"documents": len(self.model.documents), "actors": dict(sorted(actors.items())),
                "interactions": dict(sorted(modes.items())), "not_asserted": dict(sorted(other.items())),
                "top_pairs": sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
                "triples": len(self.graph), "problems": len(self.problems), "seconds": round(self.seconds, 2)}


def extract_documents(documents: Iterable[Document], *, model: str = DEFAULT_MODEL, lexicon_dir: str | None = None,
                      batch_size: int = 32, n_process: int = 1,
                      progress: Callable[[int], None] | None = None,
                      problems: list[Problem] | None = None) -> list[DocExtraction]:
    """The *map* step: read → parse → extract, one DocExtraction per document.

    A document the extractor fails on is reported in ``problems`` (its location,
    the error) and left out; the others are still extracted.  Without a
    ``problems`` list the error is raised."""
    nlp = load_pipeline(model, lexicon_dir)
    lexicon = load_lexicon(lexicon_dir)
    docs = list(documents)
    out: list[DocExtraction] = []
    texts = (d.text for d in docs)
    for doc, sdoc in zip(docs, nlp.pipe(texts, batch_size=batch_size, n_process=n_process)):
        try:
            out.append(extract(doc, sdoc, lexicon))
        except Exception as exc:  # one document's failure must not lose the corpus
            if problems is None:
                raise
            where = doc.origin or doc.id
            problems.append(Problem(f"{where} (document {doc.id})",
                                    f"extraction failed, document skipped: {type(exc).__name__}: {exc}"))
        if progress:
            progress(1)
    return out


def build(inputs: Iterable[str] | None = None, *, model: str = DEFAULT_MODEL, lexicon_dir: str | None = None,
          min_confidence: float = 0.0, base: str | None = None, batch_size: int = 32, n_process: int = 1,
          progress: Callable[[int], None] | None = None, on_documents: Callable[[int], None] | None = None,
          ) -> BuildResult:
    """Build the graph of ``inputs`` (paths, folders, globs, ``-``; the
    embedded sample corpus when None)."""
    start = time.perf_counter()
    problems: list[Problem] = []
    specs = list(inputs) if inputs else [str(sample_path())]
    documents = list(read_inputs(specs, problems))
    if on_documents:
        on_documents(len(documents))
    extractions = extract_documents(documents, model=model, lexicon_dir=lexicon_dir, batch_size=batch_size,
                                    n_process=n_process, progress=progress, problems=problems)
    lexicon = load_lexicon(lexicon_dir)
    resolved = resolve(extractions, lexicon, min_confidence=min_confidence)
    graph = emit(resolved, lexicon, base=base)
    return BuildResult(graph, resolved, extractions, problems, time.perf_counter() - start)


class Progress:
    """A progress bar on stderr, only when it is a terminal."""

    def __init__(self, enabled: bool = True, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total = 0
        self.done = 0

    def start(self, total: int) -> None:
        self.total = total

    def __call__(self, n: int) -> None:
        self.done += n
        if not self.enabled or not self.total:
            return
        width = 30
        filled = int(width * self.done / self.total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} documents")
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def write_outputs(result: BuildResult, out_dir: Path, *, formats: list[str], html: bool = True,
                  name: str = "graph") -> list[Path]:
    from .export import write_graph

    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = {"turtle": ".ttl", "ntriples": ".nt", "json-ld": ".jsonld", "nquads": ".nq", "trig": ".trig"}
    written = []
    for fmt in formats:
        if fmt in ("graphml", "plover"):  # not RDF: graph.graphml, events.jsonl (graphbuild.formats)
            from .formats import output_name, write_format

            written.append(write_format(result.graph, out_dir / output_name(fmt, name), fmt))
            continue
        written.append(write_graph(result.graph, out_dir / f"{name}{suffix[fmt]}", fmt))
    if html:
        from .views import render_html

        written.append(render_html(result.graph, out_dir / f"{name}.html", title="graphbuild"))
    return written
