"""Benchmark: exporting, loading and querying a graph of about a million triples.

    .venv/bin/python benchmarks/bench_store.py                  # ~1,000,000 triples (~20 min on 2 cores)
    .venv/bin/python benchmarks/bench_store.py --quick          # ~50,000 triples, for a smoke run
    .venv/bin/python benchmarks/bench_store.py --triples 300000 --rdflib-triples 50000 --query-runs 7

What it measures, side by side in one run:

1. A synthetic graph with the RDF shape graphbuild emits (``synthetic_diplomacy.py``:
   actors, interactions with their ``dip:`` properties, labels and evidence with accents,
   « », ``<`` and ``&``; here also quotes with ``"`` and ``\\``, dates, source documents),
   scaled to ``--triples``, as an rdflib Graph (what ``graphbuild build`` holds).
2. Export to Turtle and N-Triples with graphbuild's writers (``graphbuild.export``), with
   pyoxigraph's serializer (``Store.dump`` of a store holding the same triples, and
   ``pyoxigraph.serialize`` fed from the rdflib graph, the term conversion included) and,
   on a smaller graph of the same shape (``--rdflib-triples``; its Turtle serializer takes
   many minutes at a million triples), with rdflib's own serializer, next to ours and
   pyoxigraph's on that same smaller graph.
3. Loading into the embedded store: ``graphbuild.store.load_files`` (what ``graphbuild
   load`` runs: a syntax check, then a bulk load into an on-disk Oxigraph store) from our
   Turtle file, and an in-memory ``Store.bulk_load`` of our N-Triples.
4. The median latency of named queries through ``graphbuild.query.run_query``:
   ``who-spoke-with-whom`` (every interaction: one row each) and ``interactions-of`` (the
   busiest actor), on the in-memory store (what ``graphbuild query GRAPH.ttl`` uses) and
   on the on-disk store (``graphbuild query STORE/``), with the SPARQL evaluation alone
   for the first; rdflib's engine runs them on the smaller graph, next to the in-memory
   store on that same graph, in a child process stopped after ``--rdflib-timeout``
   seconds (rdflib's evaluation cannot be interrupted; on the full graph one run takes
   many minutes).

Times are wall-clock seconds, and CPU seconds of this process (all threads) where the
machine may be busy; ratios are of CPU time.  Ours must give byte-identical output on a
second run (checked).  Figures are printed, never asserted.  Exit 0, or 2 on a usage error.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

TRIPLES_PER_INTERACTION = 20.8  # what synthetic_graph yields, documents and actors included
GOAL_EXPORT_RATIO = 2.0
GOAL_QUERY_MS = 100.0


def make_graph(triples: int, seed: int):
    """A synthetic graph of about ``triples`` triples, plus quotes holding ``"`` and ``\\``."""
    from rdflib import Literal
    from rdflib.namespace import RDF
    from synthetic_diplomacy import synthetic_graph

    from graphbuild.vocab import DIP

    interactions = max(10, round(triples / TRIPLES_PER_INTERACTION))
    graph = synthetic_graph(actors=max(20, interactions // 5), interactions=interactions, seed=seed)
    events = sorted(graph.subjects(RDF.type, DIP.Interaction))
    for n, event in enumerate(events[::20]):
        graph.add((event, DIP.quote, Literal(f'il a déclaré : "nous sommes prêts" \\ n°{n}', lang="fr")))
    return graph


def timed(fn, repeat: int = 1):
    """(best wall seconds, best CPU seconds, last result) over ``repeat`` runs."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def median_ms(fn, runs: int) -> tuple[float, int]:
    """(median wall milliseconds over ``runs`` runs after one warm-up, rows of the last run)."""
    rows = len(fn())
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        rows = len(fn())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), rows


class Table:
    def __init__(self, title: str):
        self.lines = ["", title]

    def row(self, label: str, wall: float | None, cpu: float | None, note: str = "") -> None:
        w = f"{wall:8.2f}" if wall is not None else "       -"
        c = f"{cpu:8.2f}" if cpu is not None else "       -"
        self.lines.append(f"  {label:58s} {w} {c}  {note}".rstrip())

    def text(self, line: str) -> None:
        self.lines.append(line)

    def print(self) -> None:
        print("\n".join(self.lines), flush=True)


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs > 0 else "n/a"


def ox_from_rdflib(graph):
    """pyoxigraph triples from an rdflib graph (the conversion a user of both would write)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    cache: dict = {}

    def term(t):
        found = cache.get(t)
        if found is None:
            if isinstance(t, URIRef):
                found = ox.NamedNode(str(t))
            elif isinstance(t, BNode):
                found = ox.BlankNode(str(t))
            elif isinstance(t, Literal):
                if t.language:
                    found = ox.Literal(str(t), language=t.language)
                elif t.datatype is not None:
                    found = ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
                else:
                    found = ox.Literal(str(t))
            else:
                raise TypeError(t)
            cache[t] = found
        return found

    return [ox.Triple(term(s), term(p), term(o)) for s, p, o in graph]


def export_section(graph, label: str, *, repeat: int, with_rdflib: bool, with_conversion: bool) -> dict:
    """Time every serializer on ``graph``; returns our N-Triples and Turtle bytes and the figures."""
    import pyoxigraph as ox

    from graphbuild.export import serialize

    n = len(graph)
    table = Table(f"Export of {label} ({n:,} triples)          wall s    CPU s  CPU ratio to pyoxigraph Store.dump")
    out: dict = {}
    ours = {}
    for fmt in ("turtle", "ntriples"):
        wall, cpu, data = timed(lambda: serialize(graph, fmt), repeat)
        again = serialize(graph, fmt)
        ours[fmt] = (wall, cpu, data, hashlib.sha256(data).digest() == hashlib.sha256(again).digest())
        del again
    store = ox.Store()
    store.bulk_load(ours["ntriples"][2], format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == n, (len(store), n)
    dumps = {}
    for fmt, oxfmt in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES)):
        dumps[fmt] = timed(lambda: store.dump(format=oxfmt, from_graph=ox.DefaultGraph()), repeat)
    conversion = None
    if with_conversion:
        conversion = timed(lambda: ox_from_rdflib(graph))
    rdflib_times = {}
    if with_rdflib:
        for fmt, name in (("turtle", "turtle"), ("ntriples", "nt")):
            rdflib_times[fmt] = timed(lambda: graph.serialize(format=name, encoding="utf-8"))
    for fmt, title, oxfmt in (("turtle", "Turtle", ox.RdfFormat.TURTLE), ("ntriples", "N-Triples",
                                                                          ox.RdfFormat.N_TRIPLES)):
        o_wall, o_cpu, data, same = ours[fmt]
        d_wall, d_cpu, dumped = dumps[fmt]
        table.row(f"{title}: graphbuild.export.serialize", o_wall, o_cpu,
                  f"{ratio(o_cpu, d_cpu)}  ({len(data) / 1e6:.1f} MB, sorted; 2nd run identical: {same})")
        table.row(f"{title}: pyoxigraph Store.dump (triples already in its store)", d_wall, d_cpu,
                  f"1.00x  ({len(dumped) / 1e6:.1f} MB, store order)")
        if conversion is not None:
            c_wall, c_cpu, triples = conversion
            s_wall, s_cpu, _ = timed(lambda: ox.serialize(triples, format=oxfmt))
            table.row(f"{title}: pyoxigraph.serialize from the rdflib graph", c_wall + s_wall, c_cpu + s_cpu,
                      f"{ratio(c_cpu + s_cpu, d_cpu)}  (conversion {c_cpu:.2f} s CPU + serialize {s_cpu:.2f} s)")
        if fmt in rdflib_times:
            r_wall, r_cpu, _ = rdflib_times[fmt]
            table.row(f"{title}: rdflib Graph.serialize", r_wall, r_cpu,
                      f"{ratio(r_cpu, d_cpu)}  (ours is {r_cpu / o_cpu:.1f}x faster than rdflib)")
        out[f"{fmt}_ratio"] = o_cpu / d_cpu
    table.print()
    out.update(ntriples=ours["ntriples"][2], turtle=ours["turtle"][2], store=store)
    return out


def busiest_actor(store) -> str:
    import pyoxigraph as ox

    query = ("PREFIX dip: <https://w3id.org/graphbuild/diplomacy#> SELECT ?a (COUNT(?e) AS ?n) "
             "WHERE { ?e dip:participant ?a } GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 1")
    [solution] = list(store.query(query))
    assert isinstance(solution["a"], ox.NamedNode)
    return solution["a"].value


def query_rows(table: Table, label: str, source, runs: int, actor: str, *, engine_only: bool = False) -> dict:
    """Median latency of the two named queries on a pyoxigraph store, through run_query."""
    from graphbuild.query import resolve_query, run_query

    figures = {}
    for name, params in (("who-spoke-with-whom", None), ("interactions-of", {"actor": actor})):
        ms, rows = median_ms(lambda: run_query(source, name, params=params, engine="oxigraph"), runs)
        figures[name] = ms
        goal = "met" if ms < GOAL_QUERY_MS else "not met"
        table.text(f"  {label:44s} {name:20s} {ms:10.1f} ms  {rows:7,} rows  (goal < {GOAL_QUERY_MS:.0f} ms: {goal})")
        if engine_only and name == "who-spoke-with-whom":
            text = resolve_query(name)
            ms_engine, _ = median_ms(lambda: list(source.query(text)), runs)
            table.text(f"  {label + ', SPARQL alone':44s} {name:20s} {ms_engine:10.1f} ms  "
                       "(solutions iterated, not converted)")
    return figures


def rdflib_query_ms(graph, name: str, params: dict | None, runs: int, timeout: float) -> tuple[list[float], int]:
    """(wall milliseconds of each completed run, rows) of rdflib's engine, in a forked child
    that is stopped after ``timeout`` seconds in all (rdflib's evaluation cannot be interrupted)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)

    def work() -> None:
        from graphbuild.query import run_query

        for _ in range(runs):
            start = time.perf_counter()
            result = run_query(graph, name, params=params, engine="rdflib")
            sender.send(((time.perf_counter() - start) * 1000, len(result)))

    child = ctx.Process(target=work, daemon=True)
    child.start()
    times, rows, deadline = [], 0, time.monotonic() + timeout
    while len(times) < runs:
        left = deadline - time.monotonic()
        if left <= 0 or not receiver.poll(left):
            break
        ms, rows = receiver.recv()
        times.append(ms)
    if child.is_alive():
        child.terminate()  # our own child process, through its handle
    child.join()
    return times, rows


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the graph (default 1,000,000)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 50,000 triples, rdflib on 20,000, 3 query runs")
    parser.add_argument("--rdflib-triples", type=int, default=100_000,
                        help="size of the graph rdflib is measured on (default 100,000)")
    parser.add_argument("--skip-rdflib", action="store_true", help="do not measure rdflib at all")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="rdflib runs per query (default 3)")
    parser.add_argument("--rdflib-timeout", type=float, default=120.0,
                        help="seconds rdflib may spend on one query, all runs included (default 120)")
    parser.add_argument("--query-runs", type=int, default=5, help="runs per query for the median (default 5)")
    parser.add_argument("--repeat", type=int, default=1, help="export runs, the best kept (default 1)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.quick:
        args.triples = min(args.triples, 50_000)
        args.rdflib_triples = min(args.rdflib_triples, 20_000)
        args.query_runs = min(args.query_runs, 3)
        args.rdflib_runs = min(args.rdflib_runs, 1)
        args.rdflib_timeout = min(args.rdflib_timeout, 30.0)
    if args.triples < 1000 or args.rdflib_triples < 1000 or min(args.query_runs, args.repeat, args.rdflib_runs) < 1:
        parser.error("--triples and --rdflib-triples must be >= 1000; --query-runs, --repeat, --rdflib-runs >= 1")
    if args.rdflib_timeout <= 0:
        parser.error("--rdflib-timeout must be positive")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    import pyoxigraph
    import rdflib

    from graphbuild import __version__
    from graphbuild.store import load_files, open_store

    print(f"graphbuild {__version__}, rdflib {rdflib.__version__}, pyoxigraph {pyoxigraph.__version__}, "
          f"Python {sys.version.split()[0]}")
    wall, cpu, graph = timed(lambda: make_graph(args.triples, args.seed))
    print(f"synthetic graph: {len(graph):,} triples built in {wall:.1f} s")
    full = export_section(graph, "the full graph", repeat=args.repeat, with_rdflib=False, with_conversion=True)

    small = None
    if not args.skip_rdflib:
        small = make_graph(args.rdflib_triples, args.seed)
        print(f"\nrdflib is measured on a smaller graph of the same shape ({len(small):,} triples): its Turtle "
              f"serializer and SPARQL engine take many minutes on {len(graph):,} triples.")
        small_figures = export_section(small, "the smaller graph", repeat=args.repeat, with_rdflib=True,
                                       with_conversion=False)

    with tempfile.TemporaryDirectory(prefix="bench_store_") as tmp:
        ttl = Path(tmp) / "graph.ttl"
        ttl.write_bytes(full["turtle"])
        table = Table(f"Loading {len(graph):,} triples                                           wall s    CPU s")
        wall, cpu, report = timed(lambda: load_files(Path(tmp) / "store", [ttl]))
        table.row("graphbuild.store.load_files (graphbuild load): Turtle file -> on-disk store", wall, cpu,
                  f"{report.added:,} triples, syntax check included")
        import pyoxigraph as ox

        wall, cpu, _ = timed(lambda: ox.Store().bulk_load(full["ntriples"], format=ox.RdfFormat.N_TRIPLES))
        table.row("pyoxigraph in-memory Store.bulk_load of our N-Triples", wall, cpu)
        table.print()

        disk = open_store(Path(tmp) / "store", read_only=True)
        actor = busiest_actor(disk)
        table = Table(f"Named queries through graphbuild.query.run_query, median of {args.query_runs} runs after "
                      f"a warm-up (interactions-of: {actor.rsplit('/', 1)[-1]})")
        figures = query_rows(table, f"in-memory store, {len(graph):,} triples", full["store"], args.query_runs,
                             actor, engine_only=True)
        disk_figures = query_rows(table, f"on-disk store, {len(graph):,} triples", disk, args.query_runs, actor,
                                  engine_only=True)
        if small is not None:
            small_actor = busiest_actor(small_figures["store"])
            table.text(f"  smaller graph, {len(small):,} triples (interactions-of: {small_actor.rsplit('/', 1)[-1]}); "
                       f"rdflib: up to {args.rdflib_runs} runs, {args.rdflib_timeout:.0f} s at most per query:")
            ox_small = query_rows(table, "in-memory store", small_figures["store"], args.query_runs, small_actor)
            for name, params in (("who-spoke-with-whom", None), ("interactions-of", {"actor": small_actor})):
                times, rows = rdflib_query_ms(small, name, params, args.rdflib_runs, args.rdflib_timeout)
                if times:
                    ms = statistics.median(times)
                    table.text(f"  {'rdflib engine':44s} {name:20s} {ms:10.1f} ms  {rows:7,} rows  "
                               f"({len(times)} run{'s' if len(times) > 1 else ''}; "
                               f"{ms / ox_small[name]:.0f}x the in-memory store)")
                else:
                    table.text(f"  {'rdflib engine':44s} {name:20s} > {args.rdflib_timeout * 1000:8.0f} ms  "
                               f"(stopped; > {args.rdflib_timeout * 1000 / ox_small[name]:.0f}x the in-memory store)")
        table.print()
        del disk

    print("\nGoals (issue 5):")
    for fmt in ("turtle", "ntriples"):
        r = full[f"{fmt}_ratio"]
        print(f"  {fmt:9s} export within {GOAL_EXPORT_RATIO:.0f}x of pyoxigraph's Store.dump (CPU): {r:.2f}x "
              f"-> {'met' if r <= GOAL_EXPORT_RATIO else 'not met'}")
    for where, found in (("in-memory store", figures), ("on-disk store", disk_figures)):
        for name, ms in found.items():
            print(f"  {name} on the {where} under {GOAL_QUERY_MS:.0f} ms: {ms:.1f} ms -> "
                  f"{'met' if ms < GOAL_QUERY_MS else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
