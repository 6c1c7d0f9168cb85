"""View variants written by the CLI, opened in headless Chromium (same setup as test_browser.py).

Skipped when Chromium or Playwright is missing, unless the CI variable is set: then they fail.
"""
from __future__ import annotations

import contextlib
import io
import json
import re

import pytest

# the Chromium fixture, the page helper and the skip rule are those of test_browser.py
from test_browser import Opened, browser  # noqa: F401  (browser is a fixture)

from graphbuild.cli import main

pytestmark = pytest.mark.browser


def test_state_level_page_draws_every_node_of_its_payload(browser, sample_ttl, tmp_path):  # noqa: F811
    page = tmp_path / "etats.html"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["view", str(sample_ttl), "-o", str(page), "--level", "state"]) == 0
    text = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="gb-data">(.*?)</script>', text, re.S).group(1))
    assert data["level"] == "state" and len(data["nodes"]) > 10
    view = Opened(browser, page)
    try:
        drawn = view.js("""() => {
            const v = window.graphbuildView;
            return {nodes: v.network.body.nodeIndices.length, visible: v.visibleNodeIds().length,
                    edges: v.network.body.edgeIndices.length,
                    labels: v.network.body.nodeIndices.map(id => v.network.body.nodes[id].options.label).sort()};
        }""")
        assert drawn["nodes"] == drawn["visible"] == len(data["nodes"]) == data["counts"]["nodes"]
        assert drawn["edges"] == len(data["edges"])
        assert drawn["labels"] == sorted(n["label"] for n in data["nodes"])
        assert {"Algérie", "Tunisie", "France"} <= set(drawn["labels"])
        assert "Abdelmadjid Tebboune" not in drawn["labels"]  # folded into Algérie
        assert not view.errors and not view.dialogs
        assert all(u.startswith(("file://", "data:")) for u in view.requests)
    finally:
        view.close()
