"""The store commands of ``graphbuild``: ``load``, ``push`` and ``serve`` (thin layers over
:mod:`graphbuild.store` and :mod:`graphbuild.serve`); registered by ``cli.build_parser``."""
from __future__ import annotations

import argparse
import os
import signal
import sys

from graphbuild.cli import number_type
from graphbuild.errors import EXIT_OK
from graphbuild.store import PASSWORD_ENV


_seconds = number_type(float, "a number of seconds", lambda v: v > 0, "is not a positive number of seconds")
_port = number_type(int, "a port number", lambda v: 0 <= v <= 65535, "is not a port number (0-65535)")


def cmd_load(args: argparse.Namespace) -> int:
    from graphbuild.store import load_files

    if args.replace and not args.graph:
        raise argparse.ArgumentTypeError("--replace needs --graph (the named graph to replace)")
    report = load_files(args.store, args.graphs, graph=args.graph, replace=args.replace)
    if not args.quiet:
        where = f"named graph <{report.graph}>" if report.graph else "the default graph"
        print(f"loaded {len(report.files)} file{'s' if len(report.files) != 1 else ''} into {where} "
              f"of {args.store}: {report.added:+d} quads, {report.quads_after} in the store"
              + (f" ({len(report.named_graphs)} named graphs)" if report.named_graphs else ""))
    return EXIT_OK


def cmd_push(args: argparse.Namespace) -> int:
    from graphbuild.store import push

    password = os.environ.get(PASSWORD_ENV) if args.user else None
    if args.user and password is None:
        raise argparse.ArgumentTypeError(f"--user needs the password in the {PASSWORD_ENV} environment variable")
    report = push(args.graph_file, args.endpoint, graph=args.graph, timeout=args.timeout, user=args.user,
                  password=password, append=args.append)
    if not args.quiet:
        print(f"pushed {report.triples} triples to <{report.graph}> at {report.endpoint} "
              f"({report.method}, HTTP {report.status})")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from graphbuild.serve import make_server, open_source

    store, what = open_source(args.source)
    server = make_server(store, host=args.host, port=args.port)

    def stop(signum, frame):  # SIGTERM: same clean exit as Ctrl-C
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if not args.quiet:
            print(f"serving {what} read-only at {server.url} (Ctrl-C to stop)", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
    if not args.quiet:
        print("stopped", file=sys.stderr)
    return EXIT_OK


def add_store_commands(sub, common: argparse.ArgumentParser) -> None:
    """Add ``load``, ``push`` and ``serve`` to the ``graphbuild`` sub-command parser."""
    p = sub.add_parser("load", parents=[common], help="bulk-load graph files into an Oxigraph store folder",
                       description="Load graph files (.ttl .nt .nq .trig .jsonld) into a persistent Oxigraph "
                                   "store. Loading the same or an overlapping build again adds nothing.")
    p.add_argument("graphs", nargs="+", metavar="GRAPH", help="RDF files written by graphbuild build")
    p.add_argument("-s", "--store", required=True, metavar="DIR", help="the store folder (created if needed)")
    p.add_argument("--graph", metavar="IRI", help="load the triples into this named graph (default: the default graph)")
    p.add_argument("--replace", action="store_true", help="empty the --graph named graph first")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("push", parents=[common], help="send a graph to a triple store (Graph Store protocol)",
                       description="PUT a graph file into a named graph of a store, over the SPARQL 1.1 Graph "
                                   "Store HTTP Protocol, as N-Triples.")
    p.add_argument("graph_file", metavar="GRAPH", help="an RDF file (.ttl .nt .nq .trig .jsonld)")
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="the store's Graph Store protocol URL, e.g. http://localhost:7878/store")
    p.add_argument("--graph", metavar="IRI", help="the named graph (default: derived from the build's documents)")
    p.add_argument("--timeout", type=_seconds, default=60.0, metavar="S", help="seconds to wait (default 60)")
    p.add_argument("--user", metavar="NAME", help=f"user name; the password is read from ${PASSWORD_ENV}")
    p.add_argument("--append", action="store_true", help="POST: add to the named graph instead of replacing it")
    p.set_defaults(func=cmd_push)

    p = sub.add_parser("serve", parents=[common], help="a read-only SPARQL endpoint over a graph or a store",
                       description="Serve a graph file or an Oxigraph store folder as a read-only SPARQL 1.1 "
                                   "Protocol endpoint at http://HOST:PORT/sparql.")
    p.add_argument("source", metavar="GRAPH|STORE", help="an RDF file or a store folder made by graphbuild load")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=_port, default=7878, metavar="N", help="port (default 7878; 0: any free port)")
    p.set_defaults(func=cmd_serve)
