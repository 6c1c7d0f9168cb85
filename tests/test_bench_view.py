"""The view benchmark's pieces: the synthetic graph, the page on a bigger graph, the script itself.

Figures are never asserted here (they belong to ``benchmarks/bench_view.py``); these tests
check that the synthetic graph has our RDF shape, that a page with precomputed positions is
fitted and keeps its tooltips right through filters, and that the benchmark runs end to end.
Browser tests are skipped when Chromium or Playwright is missing, unless CI is set.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib.namespace import RDF

from graphbuild.export import serialize
from graphbuild.views import graph_to_networkx, render_html
from graphbuild.vocab import DIP

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from synthetic_diplomacy import synthetic_graph  # noqa: E402

CHROMIUM = Path(os.environ.get("GRAPHBUILD_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def small():
    return synthetic_graph(actors=60, interactions=200, seed=3)


def test_synthetic_graph_has_our_shape(small):
    types = Counter(t for s, t in small.subject_objects(RDF.type)
                    if t in (DIP.Person, DIP.State, DIP.Organization))
    assert sum(types.values()) == 60 and set(types) == {DIP.Person, DIP.State, DIP.Organization}
    events = set(small.subjects(RDF.type, DIP.Interaction))
    assert len(events) == 200
    for event in events:
        participants = set(small.objects(event, DIP.participant))
        assert len(participants) >= 2
        assert set(small.objects(event, DIP.modality)) == {DIP.Asserted}
        assert set(small.objects(event, DIP.initiator)) | set(small.objects(event, DIP.addressee)) <= participants
        assert len(set(small.objects(event, RDF.type))) == 2  # dip:Interaction and its mode
    for person in small.subjects(RDF.type, DIP.Person):
        assert len(set(small.objects(person, DIP.represents))) == 1


def test_synthetic_graph_covers_every_actor(small):
    G = graph_to_networkx(small)
    assert G.number_of_nodes() == 60  # interactions >= actors / 2: everyone takes part
    assert G.number_of_edges() >= 200
    assert {d["mode"] for _, _, d in G.edges(data=True)} == {
        "phonecall", "meeting", "visit", "message", "statement", "negotiation"}


def test_synthetic_graph_is_deterministic(small):
    again = synthetic_graph(actors=60, interactions=200, seed=3)
    other = synthetic_graph(actors=60, interactions=200, seed=4)
    assert serialize(again) == serialize(small)
    assert serialize(other) != serialize(small)


def test_synthetic_graph_rejects_empty_sizes():
    with pytest.raises(ValueError):
        synthetic_graph(actors=1, interactions=10)


# ---------- in the browser ----------

def _missing() -> str:
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return ""


@pytest.fixture(scope="module")
def browser():
    missing = _missing()
    if missing and not os.environ.get("CI"):
        pytest.skip(f"browser test skipped: {missing} (set CI=1 to make this a failure)")
    if missing:
        pytest.fail(f"CI is set but {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.browser
def test_precomputed_page_is_fitted_and_tooltips_follow_filters(browser, small, tmp_path):
    path = render_html(small, tmp_path / "big.html", physics_threshold=10)  # positions from Python
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
        view = "window.graphbuildView"
        inside = page.evaluate(f"""() => {{
            const net = {view}.network, canvas = document.querySelector('#gb-network canvas');
            const w = canvas.clientWidth, h = canvas.clientHeight;
            return Object.values(net.getPositions()).map(p => net.canvasToDOM(p))
                .filter(p => p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h).length;
        }}""")
        assert inside == 60  # fitted without a second, synchronous draw
        assert page.evaluate(f"() => {view}.network.physics.physicsEnabled") is False

        busiest = page.evaluate(f"""() => {{
            const e = {view}.edges.get().sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1))[0];
            return {{id: e.id, count: e.count, title: e.title, modes: [...new Set(
                e.ix.map(i => {view}.data.interactions[i].mode))]}};
        }}""")
        assert busiest["title"].split("\n")[0].endswith(f"{busiest['count']} interaction"
                                                        + ("s" if busiest["count"] > 1 else ""))
        # one mode of that edge left: its tooltip counts fewer interactions, then all again
        assert len(busiest["modes"]) >= 2
        mode = busiest["modes"][0]
        page.evaluate(f"m => {view}.setModes([m])", mode)
        kept = page.evaluate(f"""id => {view}.data.edges.find(e => e.id === id).ix
            .filter(i => {view}.data.interactions[i].mode === '{mode}').length""", busiest["id"])
        assert 0 < kept < busiest["count"]
        title = page.evaluate(f"id => {view}.edges.get(id).title", busiest["id"])
        assert re.search(rf": {kept} interactions?\n", title)
        hidden = page.evaluate(f"() => {view}.edges.get().filter(e => e.hidden).length")
        assert hidden > 0
        page.evaluate(f"() => {view}.resetFilters()")
        assert page.evaluate(f"id => {view}.edges.get(id).title", busiest["id"]) == busiest["title"]
        assert page.evaluate(f"() => {view}.edges.get().filter(e => e.hidden).length") == 0
        assert not errors
    finally:
        page.close()


@pytest.mark.browser
def test_benchmark_runs_end_to_end(browser, tmp_path):
    import bench_view

    args = bench_view.parse_args(["--actors", "30", "--interactions", "60", "--quick",
                                  "--pyvis-timeout", "60", "--out", str(tmp_path)])
    assert args.runs == 1 and args.pyvis_timeout == 60
    with contextlib.redirect_stdout(io.StringIO()):  # `graphbuild view` prints nothing with --quiet
        out = "\n".join(bench_view.run(args, tmp_path, browser=browser))
    assert (tmp_path / "ours.html").is_file() and (tmp_path / "pyvis.html").is_file()
    drawn = re.search(r"nodes / edges drawn\s+(\d+) / (\d+)\s+(\d+) / (\d+)", out)
    assert drawn and drawn.group(1) == drawn.group(3) == "30"
    assert re.search(r"external requests\s+0 blocked\s+2 blocked", out)
    assert "pyvis tried to fetch (blocked): https://cdn.jsdelivr.net/npm/bootstrap" in out
    assert re.search(r"stable\s+\d+\.\d\d s\s+(> )?\d+(\.\d\d)? s", out)
    assert re.search(r"goal 1, ours drawn and stable in < 3 s: (met|NOT met)", out)
