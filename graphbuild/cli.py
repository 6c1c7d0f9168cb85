"""The ``graphbuild`` command: a thin layer over the library.

Each command parses its options, calls one library function and turns the
library's errors (:class:`~graphbuild.errors.GraphbuildError`, and ``OSError``
on files) into one line on stderr and an exit code (see ``errors.py``).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from pathlib import Path

from . import __version__
from .errors import EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, GraphbuildError, InputError

FORMATS = ("turtle", "ntriples", "json-ld", "trig", "nquads", "graphml", "plover")
EXPORT_FORMATS = ("turtle", "ntriples", "nt", "nquads", "nq", "trig", "json-ld", "jsonld", "graphml", "plover")
MODE_NAMES = {"phone_call": "phone call", "meeting": "meeting", "visit": "visit", "message": "message",
              "statement_to": "statement", "negotiation": "negotiation"}


def _fail(message: str) -> int:
    print(f"graphbuild: error: {message}", file=sys.stderr)
    return EXIT_FAILURE


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} {word if word.endswith('s') else word + 's'}"


def _read_graph(path: str):
    """Read an RDF file into an rdflib Graph (format from the suffix, Turtle otherwise)."""
    import rdflib

    fmt = rdflib.util.guess_format(path) or "turtle"
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    try:
        return rdflib.Graph().parse(path, format=fmt)
    except OSError:
        raise
    except Exception as exc:  # parsers raise their own exception types
        raise InputError(f"{path}: not a readable {fmt} graph: {exc}") from exc


# -- build ----------------------------------------------------------------------------------

def _summary_lines(summary: dict, written: list[Path]) -> list[str]:
    lines = [f"{_plural(summary['documents'], 'document')}, {summary['triples']} triples "
             f"in {summary['seconds']:.1f} s"]
    actors = summary["actors"]
    kinds = ", ".join(_plural(actors[k], k) for k in ("person", "state", "organization") if actors.get(k))
    lines.append(f"actors: {kinds or 'none'}")
    modes = summary["interactions"]
    total = sum(modes.values())
    detail = ", ".join(_plural(n, MODE_NAMES.get(m, m)) for m, n in modes.items())
    lines.append(f"interactions: {total}" + (f" ({detail})" if detail else ""))
    other = summary["not_asserted"]
    lines.append("not asserted: " + ", ".join(f"{other.get(k, 0)} {k}" for k in ("planned", "requested", "denied", "alleged")))
    if summary["top_pairs"]:
        lines.append("busiest pairs:")
        lines += [f"  {pair} ({n})" for pair, n in summary["top_pairs"]]
    lines.append("written: " + ", ".join(str(p) for p in written))
    return lines


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import Progress, build, write_outputs

    progress = Progress(enabled=not args.quiet, stream=sys.stderr)
    result = build(args.inputs or None, model=args.model, lexicon_dir=args.lexicon,
                   min_confidence=args.min_confidence, base=args.base, batch_size=args.batch_size,
                   n_process=args.processes, progress=progress, on_documents=progress.start)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if not result.model.documents:
        return _fail("no document could be read; nothing written")
    formats = list(dict.fromkeys(args.format or ["turtle"]))
    written = write_outputs(result, Path(args.out), formats=formats, html=not args.no_html)
    if not args.quiet:
        print("\n".join(_summary_lines(result.summary(), written)))
    if result.failed_inputs:
        print(f"graphbuild: {_plural(len(result.failed_inputs), 'input')} skipped (listed above); "
              "the graph holds the others", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


# -- export ---------------------------------------------------------------------------------

def cmd_export(args: argparse.Namespace) -> int:
    from .formats import format_for_path, iter_format, load_graph, write_format

    to_stdout = args.output in (None, "-")
    if to_stdout and not args.format:
        raise argparse.ArgumentTypeError("give --format when writing to standard output (no --output FILE)")
    try:
        fmt = args.format or format_for_path(args.output)
    except GraphbuildError as exc:  # an output name without a known suffix: a usage error
        raise argparse.ArgumentTypeError(str(exc)) from None
    graph = load_graph(args.graph)
    if to_stdout:
        for chunk in iter_format(graph, fmt):
            sys.stdout.write(chunk)
        return EXIT_OK
    path = write_format(graph, Path(args.output), fmt)
    if not args.quiet:
        print(f"written: {path} ({fmt}, from {len(graph)} triples)")
    return EXIT_OK


# -- view -----------------------------------------------------------------------------------

def cmd_view(args: argparse.Namespace) -> int:
    from .views import render_html

    graph = _read_graph(args.graph)
    out = Path(args.output) if args.output else Path(args.graph).with_suffix(".html")
    path = render_html(graph, out, level=args.level, focus=args.focus, depth=args.depth,
                       with_topics=args.with_topics, title=args.title or Path(args.graph).stem)
    if not args.quiet:
        print(f"written: {path}")
    return EXIT_OK


# -- query ----------------------------------------------------------------------------------

def _params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise argparse.ArgumentTypeError(f"--param {pair!r}: expected NAME=VALUE")
        params[key.strip()] = value
    return params


def cmd_query(args: argparse.Namespace) -> int:
    from . import query

    if not args.list and not (args.graph and args.query):
        raise argparse.ArgumentTypeError("GRAPH and QUERY are required (or --list)")
    if args.list:
        for named in query.list_queries():
            params = ", ".join(p.name + ("" if p.required else "?") for p in named.params)
            print(f"{named.name}" + (f" ({params})" if params else "") + f"\n    {named.description}")
        return EXIT_OK
    if re.match(r"https?://", args.graph):  # a SPARQL endpoint
        from .store import query_endpoint

        result = query_endpoint(args.graph, args.query, params=_params(args.param))
    else:  # an RDF file or an Oxigraph store folder
        result = query.run_query(args.graph, args.query, params=_params(args.param), engine=args.engine)
    if not isinstance(result, query.Result):  # CONSTRUCT or DESCRIBE: a graph
        from .export import serialize

        sys.stdout.write(serialize(result, "turtle").decode("utf-8"))
        return EXIT_OK
    render = {"table": query.to_table, "csv": query.to_csv, "tsv": query.to_tsv, "json": query.to_json}
    sys.stdout.write(render[args.format or "table"](result))
    return EXIT_OK


# -- validate -------------------------------------------------------------------------------

def _shacl_lines(report) -> list[str]:
    from rdflib import Namespace
    from rdflib.namespace import RDF

    sh = Namespace("http://www.w3.org/ns/shacl#")
    lines = []
    for result in report.subjects(RDF.type, sh.ValidationResult):
        value = lambda p: report.value(result, p)  # noqa: E731
        severity = str(value(sh.resultSeverity) or sh.Violation).rsplit("#", 1)[-1]
        path = value(sh.resultPath)
        where = f"{value(sh.focusNode)}" + (f" {path.n3(report.namespace_manager)}" if path is not None else "")
        message = value(sh.resultMessage) or str(value(sh.sourceConstraintComponent)).rsplit("#", 1)[-1]
        lines.append(f"{severity}: {where}: {message}")
    return sorted(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        import pyshacl
    except ImportError:
        return _fail("validate needs pyshacl: pip install pyshacl (or pip install 'graphbuild[dev]')")
    import rdflib

    from .vocab import ontology_path

    data = _read_graph(args.graph)
    shapes = rdflib.Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    ontology = rdflib.Graph().parse(ontology_path("diplomacy.ttl"), format="turtle")
    # The ontology is merged into a copy of the data by hand: pyshacl's own mix-in
    # (ont_graph=) clones class descriptions recursively and takes minutes on our ontology.
    mixed = rdflib.Graph()
    for graph in (data, ontology):
        for triple in graph:
            mixed.add(triple)
    conforms, report, _ = pyshacl.validate(mixed, shacl_graph=shapes, advanced=True)
    lines = _shacl_lines(report)
    if conforms:
        lines.append(f"{args.graph}: conforms to the graphbuild shapes ({len(data)} triples)")
    else:
        lines.append(f"{args.graph}: does not conform: {_plural(len(lines), 'problem')}")
    if not args.quiet:
        print("\n".join(lines))
    return EXIT_OK if conforms else EXIT_FAILURE


# -- score ----------------------------------------------------------------------------------

def cmd_score(args: argparse.Namespace) -> int:
    from .evaluate import format_report, load_gold, score

    result = score(_read_graph(args.graph), load_gold(args.gold))
    if args.json:
        keep = {k: v for k, v in result.items() if args.verbose or k not in ("misses", "extras")}
        print(json.dumps(keep, ensure_ascii=False, indent=1))
    else:
        print("\n".join(format_report(result, verbose=args.verbose)))
    if args.min_f1 is not None and result["interaction"][2] < args.min_f1:
        return EXIT_FAILURE
    return EXIT_OK


# -- stats ----------------------------------------------------------------------------------

def cmd_stats(args: argparse.Namespace) -> int:
    from .stats import format_stats, graph_stats, plot_interactions

    if not Path(args.graph).is_file():
        raise InputError(f"{args.graph}: no such file")
    stats = graph_stats(args.graph)
    figures = stats.to_dict(top=args.top)
    if args.plot:
        figures["plot"] = str(args.plot)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    elif not args.quiet:
        sys.stdout.write(format_stats(stats, top=args.top))
    sys.stdout.flush()
    if args.plot:
        written = plot_interactions(stats, args.plot, title=f"{Path(args.graph).name}: interactions by mode")
        if not args.quiet and not args.json:
            print(f"written: {written}")
    return EXIT_OK


def _png_path(text: str) -> str:
    if not text.lower().endswith(".png"):
        raise argparse.ArgumentTypeError(f"{text!r}: the plot is a PNG image, give a name ending with .png")
    return text


# -- the parser -----------------------------------------------------------------------------

def number_type(convert, what: str, ok, out_of_range: str):
    """An argparse ``type``: ``convert`` the text (else "'x' is not {what}"),
    then check ``ok(value)`` (else "x {out_of_range}")."""
    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not ok(value):
            raise argparse.ArgumentTypeError(f"{text} {out_of_range}")
        return value
    return parse


_unit_float = number_type(float, "a number", lambda v: 0.0 <= v <= 1.0, "is not between 0 and 1")
_positive_int = number_type(int, "an integer", lambda v: v >= 1, "is not a positive integer")


_IRI_BASE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*[/#]\Z")


def _base_iri(text: str) -> str:
    if not _IRI_BASE.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an absolute IRI ending with / or #")
    return text


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    common.add_argument("-v", "--verbose", action="store_true", help="debug logging on stderr")

    parser = argparse.ArgumentParser(prog="graphbuild", description="Knowledge graphs of diplomatic news "
                                     "(French): who spoke with whom, when, about what.")
    parser.add_argument("--version", action="version", version=f"graphbuild {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("build", parents=[common], help="build the graph of news articles",
                       description="Read articles (files, folders, globs, JSON lines, - for stdin; the embedded "
                                   "sample corpus when none is given), write OUT/graph.ttl and OUT/graph.html.")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help=".txt or .jsonl file, folder, glob or -")
    p.add_argument("-o", "--out", default="out", help="output folder (default: out/)")
    p.add_argument("-f", "--format", action="append", choices=FORMATS,
                   help="format to write (RDF, graphml, plover); repeat for several (default: turtle)")
    p.add_argument("--no-html", action="store_true", help="do not write the HTML view")
    p.add_argument("--model", default="fr_core_news_md", help="spaCy model (default: fr_core_news_md)")
    p.add_argument("--lexicon", metavar="DIR", help="folder of lexicon files overriding the shipped ones")
    p.add_argument("--min-confidence", type=_unit_float, default=0.0, metavar="X",
                   help="drop events below this confidence (0-1, default 0)")
    p.add_argument("--base", type=_base_iri, metavar="IRI",
                   help="namespace of the resources (default https://w3id.org/graphbuild/resource/)")
    p.add_argument("--batch-size", type=_positive_int, default=32, metavar="N", help="spaCy batch size")
    p.add_argument("--processes", type=_positive_int, default=1, metavar="N", help="parallel parser processes")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("export", parents=[common], help="convert a graph file to another format",
                       description="Convert an RDF graph file to RDF (turtle, ntriples, nquads, trig, json-ld), "
                                   "GraphML (the actor network) or PLOVER-style JSON lines (the events).")
    p.add_argument("graph", metavar="GRAPH", help="an RDF file (.ttl, .nt, .nq, .trig, .jsonld)")
    p.add_argument("-f", "--format", choices=EXPORT_FORMATS,
                   help="output format (default: from the suffix of --output)")
    p.add_argument("-o", "--output", metavar="FILE", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("view", parents=[common], help="write the interactive HTML view of a graph")
    p.add_argument("graph", metavar="GRAPH", help="an RDF file (.ttl, .nt, .jsonld, ...)")
    p.add_argument("-o", "--output", metavar="HTML", help="the page to write (default: GRAPH with .html)")
    p.add_argument("--level", choices=("actor", "state"), default="actor",
                   help="one node per actor, or persons folded into their state")
    p.add_argument("--focus", metavar="NAME", help="only the network around this actor")
    p.add_argument("--depth", type=_positive_int, default=1, metavar="N", help="radius of --focus (default 1)")
    p.add_argument("--with-topics", action="store_true", help="also draw what the interactions were about")
    p.add_argument("--title", metavar="T", help="page title")
    p.set_defaults(func=cmd_view)

    p = sub.add_parser("query", parents=[common], help="run a SPARQL query (or a named one) on a graph")
    p.add_argument("graph", nargs="?", metavar="GRAPH",
                   help="an RDF file, a store folder (graphbuild load) or a SPARQL endpoint URL")
    p.add_argument("query", nargs="?", metavar="QUERY", help="SPARQL text, a .rq file or a named query")
    p.add_argument("-p", "--param", action="append", metavar="NAME=VALUE", help="bind a query parameter")
    p.add_argument("-f", "--format", choices=("table", "csv", "tsv", "json"), help="output (default: table)")
    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph", help="SPARQL engine")
    p.add_argument("--list", action="store_true", help="list the named queries")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("validate", parents=[common], help="check a graph against the SHACL shapes")
    p.add_argument("graph", metavar="GRAPH")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("score", parents=[common], help="score a graph against gold annotations")
    p.add_argument("graph", metavar="GRAPH")
    p.add_argument("gold", metavar="GOLD.jsonl")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--min-f1", type=_unit_float, metavar="X", help="exit 1 when interaction F1 is lower")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("stats", parents=[common], help="counts, busiest pairs and a timeline plot of a graph")
    p.add_argument("graph", metavar="GRAPH", help="an RDF file (.ttl, .nt, .jsonld, ...)")
    p.add_argument("--plot", type=_png_path, metavar="FILE.png", help="draw interactions over time by mode")
    p.add_argument("--top", type=_positive_int, default=10, metavar="N", help="pairs and topics listed (default 10)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=cmd_stats)

    from .cli_store import add_store_commands  # load, push, serve

    add_store_commands(sub, common)
    return parser


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of the record."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def _configure_logging(verbose: bool) -> None:
    """Warnings of every library on stderr; with --verbose, graphbuild's debug messages too."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG if verbose else logging.WARNING)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("graphbuild").setLevel(logging.DEBUG if verbose else logging.NOTSET)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    _configure_logging(args.verbose)
    try:
        return args.func(args)
    except argparse.ArgumentTypeError as exc:
        print(f"graphbuild {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except GraphbuildError as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # e.g. `graphbuild query ... | head`: stop quietly
        try:  # no second error when the interpreter flushes stdout at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_FAILURE
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}")
    except KeyboardInterrupt:
        print("graphbuild: interrupted", file=sys.stderr)
        return 130
