"""The network page in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Skipped when Chromium is missing, unless the CI variable is set: then the tests fail.
GRAPHBUILD_CHROMIUM points at another Chromium binary.
Never run ``playwright install``: the system browser is used.
"""
from __future__ import annotations

import io
import os
import zlib
from pathlib import Path

import pytest
import rdflib

from graphbuild.views import graph_to_networkx, render_html
from graphbuild.views.payload import build_view_data, edge_width

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("GRAPHBUILD_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]
FIXTURE = Path(__file__).parent / "fixtures" / "view_graph.ttl"
IN_CI = bool(os.environ.get("CI"))

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None

_MISSING = (f"Chromium is not installed at {CHROMIUM}" if not CHROMIUM.exists() else
            "the playwright package is not installed" if sync_playwright is None else "")
if _MISSING and not IN_CI:
    pytest.skip(f"browser tests skipped: {_MISSING} (set CI=1 to make this a failure)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    if _MISSING:
        pytest.fail(f"CI is set but {_MISSING}")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(FIXTURE, format="turtle")


@pytest.fixture(scope="module")
def page_file(graph, tmp_path_factory) -> Path:
    return render_html(graph, tmp_path_factory.mktemp("browser") / "graph.html", title="Fixture")


class Opened:
    """A page with everything it did recorded."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1400, "height": 860})
        self.page = self.context.new_page()
        self.requests, self.dialogs, self.errors = [], [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def close(self):
        self.context.close()


@pytest.fixture
def opened(browser, page_file):
    view = Opened(browser, page_file)
    yield view
    view.close()


def test_drawn_counts_match_the_model(opened, graph):
    G = graph_to_networkx(graph)
    merged = build_view_data(G, title="t", physics_threshold=300)["edges"]
    counts = opened.js("""() => {
        const v = window.graphbuildView;
        return {nodes: v.visibleNodeIds().length, edges: v.visibleEdgeIds().length,
                drawnNodes: v.network.body.nodeIndices.length,
                drawnEdges: v.network.body.edgeIndices.length,
                interactions: v.edges.get().reduce((n, e) => n + e.count, 0),
                physics: v.network.physics.physicsEnabled};
    }""")
    assert counts["nodes"] == counts["drawnNodes"] == G.number_of_nodes() == 12
    assert counts["edges"] == counts["drawnEdges"] == len(merged) == 14
    assert counts["interactions"] == G.number_of_edges() == 15
    assert counts["physics"] is False  # settled: physics switched off after stabilisation
    assert not opened.errors


def test_search_selects_and_focuses_the_actor(opened):
    node_id = opened.js("() => window.graphbuildView.search('cavusoglu')")
    assert node_id is not None
    assert opened.js("id => window.graphbuildView.data.meta[id].label", node_id) == "Mevlüt Çavuşoğlu"
    assert opened.js("() => window.graphbuildView.network.getSelectedNodes()") == [node_id]
    assert opened.page.locator("#gb-panel").is_visible()
    assert opened.page.locator("#gb-panel h2").text_content() == "Mevlüt Çavuşoğlu"
    opened.page.fill("#gb-q", "POUTINE")
    opened.page.press("#gb-q", "Enter")
    selected = opened.js("() => window.graphbuildView.network.getSelectedNodes()")
    assert [opened.js("id => window.graphbuildView.data.meta[id].label", s) for s in selected] == [
        "Vladimir Poutine"]
    assert opened.js("() => window.graphbuildView.search('Angela Merkel')") is None
    assert "Aucun acteur" in opened.page.locator("#gb-search-msg").text_content()


def test_unticking_a_mode_hides_its_edges(opened):
    before = opened.js("() => window.graphbuildView.visibleEdgeIds().length")
    opened.page.locator('#gb-modes input[value="phonecall"]').uncheck()
    after = opened.js("() => window.graphbuildView.visibleEdgeIds().length")
    assert before == 14 and after == 11  # Poutine->Erdogan, Erdogan->Poutine, Rohani->Erdogan
    assert opened.js("() => window.graphbuildView.visibleNodeIds().length") == 11  # Erdogan gone
    assert opened.js("() => window.graphbuildView.setModes(['meeting'])") == 5
    opened.page.click("#gb-reset")
    assert opened.js("() => window.graphbuildView.visibleEdgeIds().length") == 14


def test_act_date_and_state_filters(opened):
    view = "window.graphbuildView"
    assert opened.js(f"() => {view}.setActs(['condole'])") == 1
    width = opened.js(f"() => {view}.edges.get({view}.visibleEdgeIds()[0]).width")
    assert width == edge_width(1)  # the merged Poutine->Erdogan edge, one call left
    opened.js(f"() => {view}.resetFilters()")
    opened.js(f"() => {view}.setDates('2016-12-29', '2016-12-31')")
    assert opened.js(f"() => {view}.visibleEdgeIds().length") == 1
    opened.js(f"() => {view}.resetFilters()")
    opened.page.select_option("#gb-state", label="Syrie")
    assert opened.js(f"() => {view}.visibleEdgeIds().length") == 2  # Lavrov and Guterres to Assad
    assert len(opened.js(f"() => {view}.visibleNodeIds()")) == 3


def test_offline_and_payloads_inert(opened):
    page = opened.page
    assert opened.requests and all(u.startswith(("file://", "data:")) for u in opened.requests)
    node_id = opened.js("() => window.graphbuildView.search('ali akbar')")
    panel = page.locator("#gb-panel")
    assert "<script>window.__pwned=1</script>" in panel.text_content()
    assert 'href="javascript:window.__pwned=1"' in panel.text_content()
    assert opened.js("() => document.querySelectorAll('#gb-panel script, #gb-panel img, #gb-panel a').length") == 0
    # hover the node: the vis tooltip shows the payload as text, not as elements
    page.wait_for_timeout(500)  # the focus animation
    box = page.locator("#gb-network").bounding_box()
    point = opened.js("""id => {
        const net = window.graphbuildView.network;
        return net.canvasToDOM(net.getPosition(id));
    }""", node_id)
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"], steps=5)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert "Ali Akbar <script>" in tooltip.inner_text()
    tags = opened.js("() => [...document.querySelectorAll('div.vis-tooltip *')].map(e => e.tagName)")
    assert set(tags) <= {"BR"}  # innerText turns line breaks into <br>, and nothing else
    # an edge tooltip with evidence holding <img onerror>
    opened.js("() => window.graphbuildView.search('Vladimir Poutine')")
    page.wait_for_timeout(300)
    assert opened.js("() => window.__pwned") is None
    assert opened.js("() => typeof window.__pwned") == "undefined"
    assert not opened.dialogs
    assert not opened.errors
    assert all(u.startswith(("file://", "data:")) for u in opened.requests)


def _png_distinct_colours(png: bytes) -> int:
    """Distinct pixel values, with PIL when installed, else a rough count on the raw data."""
    try:
        from PIL import Image
    except ImportError:
        chunks, pos = [], 8
        while pos < len(png):
            length = int.from_bytes(png[pos:pos + 4], "big")
            if png[pos + 4:pos + 8] == b"IDAT":
                chunks.append(png[pos + 8:pos + 8 + length])
            pos += 12 + length
        return len(set(zlib.decompress(b"".join(chunks))))
    with Image.open(io.BytesIO(png)) as image:
        return len(image.convert("RGB").getcolors(maxcolors=1 << 24) or [])


def test_screenshot_is_not_blank(opened, browser, tmp_path):
    canvas_colours = opened.js("""() => {
        const c = document.querySelector('#gb-network canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return seen.size;
    }""")
    assert canvas_colours > 50
    shot = opened.page.screenshot(path=str(tmp_path / "view.png"))
    blank_page = browser.new_page(viewport={"width": 1400, "height": 860})
    blank_page.set_content("<html><body style='background:#fff'></body></html>")
    blank = blank_page.screenshot()
    blank_page.close()
    assert len(shot) > 5 * len(blank)
    assert _png_distinct_colours(shot) > 5 * max(1, _png_distinct_colours(blank))


@pytest.mark.parametrize("options", [
    {"physics_threshold": 5},  # positions computed in Python, physics off from the start
    {"level": "state", "with_topics": True},
])
def test_other_views_load(browser, graph, tmp_path, options):
    path = render_html(graph, tmp_path / "other.html", **options)
    view = Opened(browser, path)
    try:
        G = graph_to_networkx(graph, level=options.get("level", "actor"),
                              with_topics=options.get("with_topics", False))
        assert view.js("() => window.graphbuildView.visibleNodeIds().length") == G.number_of_nodes()
        assert view.js("() => window.graphbuildView.edges.get().reduce((n, e) => n + e.count, 0)") \
            == G.number_of_edges()
        assert view.js("() => window.graphbuildView.network.physics.physicsEnabled") is False
        assert not view.errors and not view.dialogs
    finally:
        view.close()
