"""Benchmark: graphbuild's HTML view against pyvis defaults, on a large synthetic graph.

    .venv/bin/python benchmarks/bench_view.py                     # 2,000 actors, 10,000 interactions
    .venv/bin/python benchmarks/bench_view.py --quick             # one run of ours, pyvis capped at 30 s
    .venv/bin/python benchmarks/bench_view.py --actors 500 --interactions 2000 --out /tmp/bench

1. A synthetic graph with the RDF shape graphbuild emits (``synthetic_diplomacy.py``)
   is written as Turtle with ``graphbuild.export``.
2. Our page is written by running ``graphbuild view GRAPH.ttl -o ours.html`` in-process
   (``graphbuild.cli.main``), the exact code users run; each stage is timed.
3. The same network (the nodes and edges of ``graph_to_networkx``) is written with pyvis
   defaults: ``Network()``, ``add_node``/``add_edge``, physics on, no layout given,
   ``generate_html``.  The only change is ``cdn_resources="in_line"``, which inlines
   vis-network (as pyvis offers) so that the page works from a file; pyvis's template
   still links Bootstrap from a CDN: those requests are blocked and counted.
4. Each page is opened over file:// in headless Chromium (Playwright, the system
   browser, never ``playwright install``) with every non-file request blocked.  An init
   script wraps vis-network's event emitter before any network exists, and records when
   the first frame is drawn (``afterDrawing``) and when the layout is stable (the
   ``stabilized`` event, or a frame drawn with physics off; for our page, also not
   before it sets ``body[data-ready="1"]``).  Times are from the start of navigation
   (``performance.now()``).

Figures are printed, never asserted.  Exit 0 on success, 1 when the browser cannot be
started or a page fails to draw at all, 2 on a usage error.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

VIEWPORT = {"width": 1400, "height": 860}
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]

#: Runs before any script of the page.  ``vis`` is caught when vis-network's bundle
#: assigns it, ``vis.Network`` when the bundle exports it; its ``emit`` is wrapped then,
#: so every event of every network is seen, including those fired during construction.
HOOK_JS = r"""
(() => {
  const bench = { first: {}, counts: {}, iterations: 0, total: 0, stableAt: null,
                  readyAt: null, network: null };
  Object.defineProperty(window, "__viewbench", { value: bench });
  const now = () => performance.now();
  function patch(Network) {
    if (!Network || Network.__viewbenchPatched) { return; }
    Network.__viewbenchPatched = true;
    const emit = Network.prototype.emit;
    Network.prototype.emit = function (name, params) {
      if (!bench.network) { bench.network = this; }
      bench.counts[name] = (bench.counts[name] || 0) + 1;
      if (!(name in bench.first)) { bench.first[name] = now(); }
      if (name === "stabilizationProgress" && params) {
        bench.iterations = params.iterations; bench.total = params.total;
      }
      if (bench.stableAt === null && (name === "stabilized" ||
          (name === "afterDrawing" && this.physics && !this.physics.physicsEnabled))) {
        bench.stableAt = now();
      }
      return emit.apply(this, arguments);
    };
  }
  let visObject;
  Object.defineProperty(window, "vis", {
    configurable: true, enumerable: true,
    get() { return visObject; },
    set(value) {
      visObject = value;
      if (!value || typeof value !== "object") { return; }
      if (typeof value.Network === "function") { patch(value.Network); return; }
      let Network;
      Object.defineProperty(value, "Network", {
        configurable: true, enumerable: true,
        get() { return Network; },
        set(N) { Network = N; patch(N); },
      });
    },
  });
  new MutationObserver(() => {
    if (bench.readyAt === null && document.body && document.body.dataset.ready === "1") {
      bench.readyAt = now();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
})();
"""

STATE_JS = """() => {
  const b = window.__viewbench, net = b.network;
  const out = {first: b.first, counts: b.counts, iterations: b.iterations, total: b.total,
               stableAt: b.stableAt, readyAt: b.readyAt, nodes: null, edges: null, physics: null,
               heapMB: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null};
  if (net) {
    out.nodes = net.body.nodeIndices.length; out.edges = net.body.edgeIndices.length;
    out.physics = net.physics.physicsEnabled;
  }
  return out;
}"""

OURS_JS = "() => !!document.querySelector('meta[name=generator][content=graphbuild]')"

REDRAW_JS = """(n) => {
  const net = window.__viewbench.network, times = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); net.redraw(); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}"""


# -- Python side ------------------------------------------------------------------------------

@contextlib.contextmanager
def stage_timers(timings: dict, captured: dict):
    """Time the stages of ``graphbuild view`` by wrapping the functions it calls."""
    import graphbuild.cli as cli
    import graphbuild.views.html as html
    import graphbuild.views.payload as payload

    targets = [(cli, "_read_graph", "read RDF"), (html, "graph_to_networkx", "RDF -> networkx"),
               (html, "build_view_data", "view data (with layout)"),
               (payload, "layout_positions", "  of which layout"),
               (html, "page_html", "page HTML"), (html, "write_atomic", "write")]
    saved = []
    for module, name, label in targets:
        original = getattr(module, name)

        def timed(*args, _original=original, _label=label, _name=name, **kwargs):
            start = time.perf_counter()
            result = _original(*args, **kwargs)
            timings[_label] = timings.get(_label, 0.0) + time.perf_counter() - start
            captured[_name] = result
            return result

        saved.append((module, name, original))
        setattr(module, name, timed)
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def write_ours(ttl: Path, out: Path) -> tuple[dict, dict]:
    from graphbuild.cli import main

    timings, captured = {}, {}
    with stage_timers(timings, captured):
        start = time.perf_counter()
        code = main(["view", str(ttl), "-o", str(out), "--quiet", "--title", "bench"])
        timings["graphbuild view (total)"] = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"bench_view: graphbuild view exited with {code}")
    return timings, captured


def write_pyvis(G, out: Path) -> float:
    """The same network with pyvis defaults (vis-network inlined); returns seconds."""
    from pyvis.network import Network

    from graphbuild.views.html import write_atomic

    start = time.perf_counter()
    net = Network(cdn_resources="in_line")
    for node in sorted(G.nodes):
        attrs = G.nodes[node]
        label = attrs.get("label") or node
        net.add_node(node, label=label, title=f"{label} ({attrs.get('type', 'actor')})")
    for u, v, _key, data in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        net.add_edge(u, v, title=data.get("mode_label", ""))
    page = net.generate_html()
    write_atomic(out, page.encode("utf-8"))
    return time.perf_counter() - start


# -- browser side ------------------------------------------------------------------------------

def _wait(page, expression: str, deadline: float) -> bool:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    remaining = deadline - time.perf_counter()
    if remaining <= 0:
        return False
    try:
        page.wait_for_function(expression, timeout=remaining * 1000, polling=100)
        return True
    except PlaywrightTimeout:
        return False


def measure(browser, path: Path, timeout_s: float) -> dict:
    """Open ``path`` in a fresh context; times in ms from navigation start."""
    context = browser.new_context(viewport=VIEWPORT)
    blocked, requests, errors = [], [], []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    context.route("**/*", route)
    context.add_init_script(HOOK_JS)
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    try:
        start = time.perf_counter()
        deadline = start + timeout_s
        page.goto(path.as_uri(), wait_until="commit", timeout=timeout_s * 1000)
        drawn = _wait(page, "() => window.__viewbench && 'afterDrawing' in window.__viewbench.first",
                      deadline)
        stable = drawn and _wait(page, "() => window.__viewbench.stableAt !== null", deadline)
        if stable and page.evaluate(OURS_JS):  # our page is stable once it says so
            stable = _wait(page, "() => window.__viewbench.readyAt !== null", deadline)
        state = page.evaluate(STATE_JS)
        if stable and state["readyAt"] is not None:
            state["stableAt"] = max(state["stableAt"], state["readyAt"])
        state["redrawMs"] = page.evaluate(REDRAW_JS, 5) if stable else None
        state["wall"] = time.perf_counter() - start
    finally:
        context.close()
    external = [u for u in requests if not u.startswith(("file:", "data:"))]
    return {
        "size": path.stat().st_size,
        "drawn": state["first"].get("afterDrawing") if drawn else None,
        "stable": state["stableAt"] if stable else None,
        "ready": state["readyAt"],
        "iterationsDone": state["first"].get("stabilizationIterationsDone"),
        "iterations": state["iterations"], "total": state["total"],
        "nodes": state["nodes"], "edges": state["edges"], "physics": state["physics"],
        "redraw": state["redrawMs"], "heap": state["heapMB"],
        "blocked": sorted(set(blocked) | set(external)), "errors": errors,
        "timeout": timeout_s,
    }


# -- report ------------------------------------------------------------------------------------

def _ms(value) -> str:
    return "-" if value is None else f"{value / 1000:.2f} s"


def _ratio(theirs, ours, timed_out: bool, timeout_s: float) -> str:
    if not ours:
        return "n/a"
    value = (theirs if theirs is not None else timeout_s * 1000) / ours
    return f"{'> ' if timed_out else ''}{value:.0f}x"


def report(args, facts: dict, ours_runs: list[dict], theirs: dict | None) -> list[str]:
    ours = dict(ours_runs[0])
    for key in ("drawn", "stable", "ready", "redraw"):
        values = [r[key] for r in ours_runs if r[key] is not None]
        ours[key] = statistics.median(values) if values else None
    lines = [
        f"graph: {args.actors} actors, {args.interactions} interactions, {facts['triples']} triples "
        f"(generated in {facts['generate']:.1f} s; Turtle {facts['ttl_size'] / 1e6:.1f} MB, "
        f"written in {facts['write_ttl']:.1f} s)",
        f"network: {facts['nodes']} nodes, {facts['edges']} interaction edges "
        f"({facts['pairs']} distinct actor pairs)",
        "",
        "graphbuild view, Python side (s):",
    ]
    order = ["read RDF", "RDF -> networkx", "view data (with layout)", "  of which layout",
             "page HTML", "write", "graphbuild view (total)"]
    lines += [f"  {label:<26}{facts['timings'][label]:8.2f}" for label in order if label in facts["timings"]]
    if theirs is not None:
        lines.append(f"pyvis page, Python side (s):  {facts['pyvis_python']:8.2f}")
    lines += ["", f"browser (Chromium headless, {VIEWPORT['width']}x{VIEWPORT['height']}; "
              f"ours: median of {len(ours_runs)} run(s); load average {facts['load']}):"]
    header = f"  {'':<24}{'graphbuild':>14}{'pyvis defaults':>18}{'ratio':>10}"
    lines.append(header)

    def row(name, a, b, ratio=""):
        lines.append(f"  {name:<24}{a:>14}{b:>18}{ratio:>10}")

    t = theirs or {}
    timeout = t.get("timeout", 0)
    row("HTML size", f"{ours['size'] / 1e6:.2f} MB", f"{t['size'] / 1e6:.2f} MB" if theirs else "-",
        f"{t['size'] / ours['size']:.1f}x" if theirs else "")
    row("nodes / edges drawn", f"{ours['nodes']} / {ours['edges']}",
        f"{t.get('nodes')} / {t.get('edges')}" if theirs else "-")
    not_drawn = theirs is not None and t["drawn"] is None
    row("first drawn", _ms(ours["drawn"]),
        (f"> {timeout:.0f} s" if not_drawn else _ms(t["drawn"])) if theirs else "-",
        _ratio(t.get("drawn"), ours["drawn"], not_drawn, timeout) if theirs else "")
    not_stable = theirs is not None and t["stable"] is None
    row("stable", _ms(ours["stable"]),
        (f"> {timeout:.0f} s" if not_stable else _ms(t["stable"])) if theirs else "-",
        _ratio(t.get("stable"), ours["stable"], not_stable, timeout) if theirs else "")
    row("page ready (data-ready)", _ms(ours["ready"]), "-")
    def iterations(r):
        if not r["total"]:
            return "physics off" if r["physics"] is False else "-"
        return f"{r['iterations']}/{r['total']}"

    row("stabilisation iterations", iterations(ours), iterations(t) if theirs else "-")
    if theirs and t["iterationsDone"]:
        row("  iterations done at", "", _ms(t["iterationsDone"]))
    row("one redraw (median)", "-" if ours["redraw"] is None else f"{ours['redraw']:.0f} ms",
        ("-" if t.get("redraw") is None else f"{t['redraw']:.0f} ms") if theirs else "-")
    row("JS heap", f"{ours['heap']:.0f} MB" if ours["heap"] else "-",
        (f"{t['heap']:.0f} MB" if t.get("heap") else "-") if theirs else "-")
    row("external requests", f"{len(ours['blocked'])} blocked",
        f"{len(t['blocked'])} blocked" if theirs else "-")
    if len(ours_runs) > 1:
        lines.append("  ours, each run (drawn / stable): " + ", ".join(
            f"{_ms(r['drawn'])} / {_ms(r['stable'])}" for r in ours_runs))
    for name, result in (("ours", ours), ("pyvis", t)):
        for url in result.get("blocked", []):
            lines.append(f"  {name} tried to fetch (blocked): {url}")
        for error in result.get("errors", [])[:5]:
            lines.append(f"  {name} page error: {error}")
    if not_stable:
        lines.append(f"  pyvis: not stable after {timeout:.0f} s; the ratios marked '>' are lower bounds")
    lines.append("")
    meets_time = ours["stable"] is not None and ours["stable"] < 3000
    lines.append(f"goal 1, ours drawn and stable in < 3 s: {'met' if meets_time else 'NOT met'} "
                 f"(stable at {_ms(ours['stable'])})")
    if theirs:
        bound = (t["stable"] if t["stable"] is not None else timeout * 1000) / ours["stable"] \
            if ours["stable"] else 0
        lines.append(f"goal 2, >= 20x faster than pyvis defaults to a stable view: "
                     f"{'met' if bound >= 20 else 'NOT met'} ({'> ' if not_stable else ''}{bound:.0f}x)")
    return lines


# -- main --------------------------------------------------------------------------------------

def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, default=2000, metavar="N", help="actors (default 2000)")
    parser.add_argument("--interactions", type=int, default=10000, metavar="M",
                        help="interactions (default 10000)")
    parser.add_argument("--quick", action="store_true",
                        help="one run of our page, pyvis capped at 30 s (unless --pyvis-timeout)")
    parser.add_argument("--runs", type=int, metavar="R", help="runs of our page (default 3, 1 with --quick)")
    parser.add_argument("--pyvis-timeout", type=float, metavar="T",
                        help="seconds pyvis gets to draw and stabilise (default 180, 30 with --quick)")
    parser.add_argument("--skip-pyvis", action="store_true", help="measure our page only")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic graph (default 7)")
    parser.add_argument("--out", metavar="DIR", help="keep the graph and pages in DIR (default: a temporary folder)")
    parser.add_argument("--chromium", default=os.environ.get("GRAPHBUILD_CHROMIUM", "/usr/bin/chromium"),
                        help="Chromium binary (default $GRAPHBUILD_CHROMIUM or /usr/bin/chromium)")
    args = parser.parse_args(argv)
    if args.actors < 2 or args.interactions < 1:
        parser.error("--actors must be >= 2 and --interactions >= 1")
    args.runs = args.runs or (1 if args.quick else 3)
    if args.runs < 1:
        parser.error("--runs must be >= 1")
    if args.pyvis_timeout is None:
        args.pyvis_timeout = 30.0 if args.quick else 180.0
    return args


def run(args, folder: Path, browser=None) -> list[str]:
    """Write the graph and both pages into ``folder``, measure them; the report's lines.

    ``browser``: a Playwright Chromium browser to use (one is launched when None).
    """
    from graphbuild.export import write_graph
    from synthetic_diplomacy import synthetic_graph

    facts = {}
    start = time.perf_counter()
    graph = synthetic_graph(actors=args.actors, interactions=args.interactions, seed=args.seed)
    facts["generate"] = time.perf_counter() - start
    facts["triples"] = len(graph)
    start = time.perf_counter()
    ttl = write_graph(graph, folder / "graph.ttl", "turtle")
    facts["write_ttl"] = time.perf_counter() - start
    facts["ttl_size"] = ttl.stat().st_size
    del graph

    ours_path = folder / "ours.html"
    facts["timings"], captured = write_ours(ttl, ours_path)
    G = captured["graph_to_networkx"]
    facts["nodes"], facts["edges"] = G.number_of_nodes(), G.number_of_edges()
    facts["pairs"] = len({frozenset((u, v)) for u, v in G.edges()})
    theirs_path = folder / "pyvis.html"
    if not args.skip_pyvis:
        facts["pyvis_python"] = write_pyvis(G, theirs_path)

    facts["load"] = " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"

    def measure_both(browser):
        ours = [measure(browser, ours_path, 120.0) for _ in range(args.runs)]
        return ours, None if args.skip_pyvis else measure(browser, theirs_path, args.pyvis_timeout)

    if browser is not None:
        ours_runs, theirs = measure_both(browser)
    else:
        from playwright.sync_api import sync_playwright

        if not Path(args.chromium).exists():
            raise SystemExit(f"bench_view: no Chromium at {args.chromium} (apt-get install chromium, or --chromium)")
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=args.chromium, args=LAUNCH_ARGS)
            try:
                ours_runs, theirs = measure_both(launched)
            finally:
                launched.close()
    if any(r["drawn"] is None for r in ours_runs):
        raise SystemExit("bench_view: our page was not drawn within 120 s")
    return report(args, facts, ours_runs, theirs)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.out:
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        lines = run(args, folder)
    else:
        with tempfile.TemporaryDirectory(prefix="bench_view.") as tmp:
            lines = run(args, Path(tmp))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
