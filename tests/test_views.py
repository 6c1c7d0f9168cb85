"""The network view without a browser: RDF -> networkx model, and the HTML file it writes."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from graphbuild.views import ViewError, graph_to_networkx, render_html
from graphbuild.views.html import json_for_script, vis_assets, write_atomic
from graphbuild.views.layout import layout_positions
from graphbuild.views.payload import build_view_data, edge_width

FIXTURE = Path(__file__).parent / "fixtures" / "view_graph.ttl"
RES = "https://w3id.org/graphbuild/resource/"
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "javascript:window.__pwned=1",
    '<a href="javascript:window.__pwned=1">',
    "</script><script>",
]


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(FIXTURE, format="turtle")


def labels(G) -> set[str]:
    return {G.nodes[n]["label"] for n in G}


def edges_between(G, a: str, b: str) -> list[dict]:
    return [d for u, v, d in G.edges(data=True) if u == RES + a and v == RES + b]


# ---------- the networkx model ----------

def test_actor_level_counts(graph):
    G = graph_to_networkx(graph)
    assert isinstance(G, nx.MultiDiGraph)
    assert G.number_of_nodes() == 12
    assert G.number_of_edges() == 15
    assert {"Vladimir Poutine", "Russie", "Mevlüt Çavuşoğlu", "Bachar al-Assad"} <= labels(G)


def test_actor_attributes(graph):
    G = graph_to_networkx(graph)
    poutine = G.nodes[RES + "person/vladimir-poutine"]
    assert poutine["type"] == "person"
    assert poutine["role"] == "président"
    assert poutine["state"] == RES + "state/russie"
    assert poutine["state_label"] == "Russie"
    assert poutine["aliases"] == ["M. Poutine", "Poutine"]
    assert poutine["wikidata"] == ["Q7747"]
    assert G.nodes[RES + "state/russie"]["type"] == "state"
    guterres = G.nodes[RES + "person/antonio-guterres"]
    assert guterres["organization_label"] == "Organisation des Nations unies"
    assert guterres["state"] == ""


def test_directed_interaction_attributes(graph):
    G = graph_to_networkx(graph)
    calls = sorted(edges_between(G, "person/vladimir-poutine", "person/recep-tayyip-erdogan"),
                   key=lambda d: d["date"])
    assert [c["date"] for c in calls] == ["2016-12-20", "2016-12-29"]
    call = calls[1]
    assert call["mode"] == "phonecall" and call["directed"] is True
    assert call["acts"] == ["discuss", "agree"]
    assert call["topics"] == ["Alep", "processus de paix"]
    assert call["document_id"] == "000_8248eb8c80891244.txt"
    assert call["document_title"].startswith("Poutine et Erdogan")
    assert call["modality"] == "asserted"
    assert "<script>" in call["evidence"][0]  # kept verbatim in the model; escaped in the page
    back = edges_between(G, "person/recep-tayyip-erdogan", "person/vladimir-poutine")
    assert len(back) == 1 and back[0]["acts"] == ["thank", "inform"]


def test_meeting_without_host_is_undirected(graph):
    G = graph_to_networkx(graph)
    meeting = [d for _, _, d in G.edges(data=True) if d["date"] == "2016-12-20" and d["mode"] == "meeting"]
    assert len(meeting) == 3  # three ministers, every pair once
    assert all(d["directed"] is False for d in meeting)
    assert all(d["place"] == "Moscou" for d in meeting)
    assert meeting[0]["document_id"] == "002_bb02.txt" and len(meeting[0]["documents"]) == 2
    negotiation = [d for _, _, d in G.edges(data=True) if d["mode"] == "negotiation"]
    assert len(negotiation) == 3 and not any(d["directed"] for d in negotiation)
    for u, v, d in G.edges(data=True):
        if not d["directed"]:
            assert u < v


def test_non_asserted_events_are_left_out(graph):
    G = graph_to_networkx(graph)
    assert "Donald Trump" not in labels(G)
    assert "États-Unis" not in labels(G)
    assert all(d["modality"] == "asserted" for _, _, d in G.edges(data=True))
    assert not any(d["date"] == "2017-01-15" for _, _, d in G.edges(data=True))


def test_min_confidence(graph):
    G = graph_to_networkx(graph, min_confidence=0.5)
    assert G.number_of_edges() == 14
    assert not edges_between(G, "person/hassan-rohani", "person/recep-tayyip-erdogan")
    assert graph_to_networkx(graph, min_confidence=0.95).number_of_edges() == 12


def test_state_level_folds_persons(graph):
    G = graph_to_networkx(graph, level="state")
    assert labels(G) == {"Russie", "Turquie", "Iran", "Syrie", "Organisation des Nations unies",
                         "Ali Akbar <script>window.__pwned=1</script>"}
    assert G.number_of_edges() == 14  # the Poutine-Lavrov meeting became a self-loop: dropped
    assert nx.number_of_selfloops(G) == 0
    russie = G.nodes[RES + "state/russie"]
    assert russie["members"] == ["Sergueï Lavrov", "Vladimir Poutine"]
    calls = edges_between(G, "state/russie", "state/turquie")
    assert sum(d["mode"] == "phonecall" for d in calls) == 2
    assert {d["source_label"] for d in calls if d["directed"]} == {"Vladimir Poutine"}
    assert G.nodes[RES + "org/onu"]["members"] == ["António Guterres"]


@pytest.mark.parametrize("focus, depth, level, n_nodes, n_edges, center", [
    ("Mevlüt Çavuşoğlu", 1, "actor", 3, 3, "person/mevlut-cavusoglu"),
    ("mevlut CAVUSOGLU", 2, "actor", 5, 5, "person/mevlut-cavusoglu"),
    ("cavusoglu", 1, "actor", 3, 3, "person/mevlut-cavusoglu"),
    ("poutine", 1, "actor", 4, 6, "person/vladimir-poutine"),
    ("M. Poutine", 0, "actor", 1, 0, "person/vladimir-poutine"),
    ("Téhéran", 1, "actor", 3, 3, "state/iran"),
    ("poutine", 1, "state", 4, 12, "state/russie"),
])
def test_focus(graph, focus, depth, level, n_nodes, n_edges, center):
    G = graph_to_networkx(graph, focus=focus, depth=depth, level=level)
    assert G.graph["focus_id"] == RES + center
    assert (G.number_of_nodes(), G.number_of_edges()) == (n_nodes, n_edges)


def test_focus_unknown_actor(graph):
    with pytest.raises(ValueError, match="no actor is named 'Angela Merkel'"):
        graph_to_networkx(graph, focus="Angela Merkel")
    with pytest.raises(ValueError):
        graph_to_networkx(graph, focus="   ")


def test_bad_options(graph):
    with pytest.raises(ViewError, match="level"):
        graph_to_networkx(graph, level="planet")
    with pytest.raises(ValueError, match="depth"):
        graph_to_networkx(graph, focus="Poutine", depth=-1)


def test_topics(graph):
    G = graph_to_networkx(graph, with_topics=True)
    topics = {G.nodes[n]["label"] for n in G if G.nodes[n]["type"] == "topic"}
    assert topics == {"Alep", "processus de paix", "assassinat de l'ambassadeur russe",
                      'sanctions <a href="javascript:window.__pwned=1">lien</a>'}
    assert "Syrie" not in topics  # an actor: named on edges, not a topic node
    topic_edges = [(u, v) for u, v, d in G.edges(data=True) if d["kind"] == "topic"]
    assert len(topic_edges) == 12
    peace = RES + "topic/processus-de-paix"
    assert {G.nodes[u]["label"] for u, v in topic_edges if v == peace} == {
        "Vladimir Poutine", "Recep Tayyip Erdogan", "Russie", "Turquie", "Iran"}
    assert G.number_of_nodes() == 16 and G.number_of_edges() == 27


def test_empty_graph():
    G = graph_to_networkx(rdflib.Graph())
    assert G.number_of_nodes() == 0
    with pytest.raises(ValueError):
        graph_to_networkx(rdflib.Graph(), focus="Poutine")


# ---------- the page data ----------

def test_merged_edges_and_widths(graph):
    G = graph_to_networkx(graph)
    data = build_view_data(G, title="t", physics_threshold=300)
    assert len(data["nodes"]) == 12
    assert len(data["edges"]) == 14  # one per pair and direction
    assert sum(e["count"] for e in data["edges"]) == G.number_of_edges() == len(data["interactions"])
    by_pair = {(data["meta"][e["from"]]["label"], data["meta"][e["to"]]["label"]): e for e in data["edges"]}
    double = by_pair[("Vladimir Poutine", "Recep Tayyip Erdogan")]
    assert double["count"] == 2 and double["width"] == edge_width(2) > edge_width(1)
    assert double["arrows"]["to"]["enabled"] is True
    assert double["color"]["color"] == "#1f6fb2"  # phone calls
    meeting = by_pair[("Mevlüt Çavuşoğlu", "Mohammad Javad Zarif")]
    assert meeting["arrows"]["to"]["enabled"] is False and meeting["directed"] is False
    shapes = {data["meta"][n["id"]]["type"]: n["shape"] for n in data["nodes"]}
    assert shapes == {"person": "dot", "state": "square"}
    lavrov = next(n for n in data["nodes"] if n["label"] == "Sergueï Lavrov")
    poutine = next(n for n in data["nodes"] if n["label"] == "Vladimir Poutine")
    assert lavrov["color"]["background"] == poutine["color"]["background"]  # both for Russie
    assert poutine["size"] > next(n for n in data["nodes"] if n["label"] == "António Guterres")["size"]
    assert data["options"]["physics"]["enabled"] is True
    assert {m["key"] for m in data["modes"]} == {
        "phonecall", "meeting", "visit", "message", "statement", "negotiation"}


def test_positions_precomputed_above_threshold(graph):
    data = build_view_data(graph_to_networkx(graph), title="t", physics_threshold=5)
    assert data["physics"] is False and data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_big_layout_is_deterministic():
    G = nx.gnm_random_graph(700, 1400, seed=3)
    nx.set_edge_attributes(G, 1, "weight")
    first, second = layout_positions(G), layout_positions(G)
    assert first == second and len(first) == 700
    xs = [x for x, _ in first.values()]
    assert max(xs) - min(xs) > 100  # spread out, not collapsed


# ---------- the HTML file ----------

@pytest.fixture(scope="module")
def page(graph, tmp_path_factory) -> str:
    path = render_html(graph, tmp_path_factory.mktemp("view") / "graph.html",
                       title="Vue <b>test</b>", with_topics=True)
    return path.read_text(encoding="utf-8")


def data_block(page: str) -> str:
    match = re.search(r'<script type="application/json" id="gb-data">(.*?)</script>', page, re.S)
    assert match
    return match.group(1)


def test_no_external_url(page):
    assert not re.search(r"(?i)\b(https?|ftp|wss?)\s*:", page)
    assert not re.search(r"(?i)\b(src|href|action)\s*=\s*[\"']?\s*(//|[a-z]+:)", page.replace(vis_assets()[0], ""))
    styles = "".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    assert styles and not re.search(r"(?i)url\(\s*(?![\"']?data:)", styles)
    assert not re.search(r"(?i)<link|<iframe|@import|<img", page)


def test_vis_is_inlined_with_its_licence(page):
    assert "vis-network" in page and "@license" in page and "dual licensed" in page
    assert "sourceMappingURL" not in page
    ours = page.replace(vis_assets()[0], "")
    assert ours.count("<script") == 3 and ours.count("</script>") == 3
    assert "Content-Security-Policy" in page


def test_payload_strings_never_appear_unescaped(page, graph):
    ours = page.replace(vis_assets()[0], "")
    for payload in PAYLOADS:
        assert payload not in ours
    assert "onerror" not in ours.replace("onerror=\\\"", "")  # only inside escaped JSON strings
    block = data_block(page)
    assert not set(block) & set("<>&")
    assert "javascript:" not in block
    texts = "\n".join(strings(json.loads(block)))
    assert "<script>window.__pwned=1</script>" in texts  # the text itself survives, as data
    assert '<img src=x onerror="window.__pwned=1">' in texts
    assert '<a href="javascript:window.__pwned=1">' in texts
    assert "<title>Vue &lt;b&gt;test&lt;/b&gt;</title>" in page


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_json_for_script_round_trip():
    value = {"a": "</script><!-- <script>&amp; http://x \u2028 \"q\" \\ :", "b:c": [1, 2.5, None]}
    text = json_for_script(value)
    assert not set(text) & set("<>&\u2028")
    assert "http:" not in text and "</" not in text
    assert json.loads(text) == value


def test_render_is_deterministic(graph, tmp_path):
    first = render_html(graph, tmp_path / "a.html").read_bytes()
    second = render_html(graph, tmp_path / "b.html").read_bytes()
    assert first == second
    code = ("import rdflib, sys; from graphbuild.views import render_html; "
            "render_html(rdflib.Graph().parse(sys.argv[1]), sys.argv[2])")
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.html"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", code, str(FIXTURE), str(out)], check=True, env=env)
        assert out.read_bytes() == first


def test_atomic_write_leaves_no_temp_file(graph, tmp_path, monkeypatch):
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")
    assert render_html(graph, target, focus="Poutine") == target
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_render_creates_folder_and_accepts_str(graph, tmp_path):
    path = render_html(graph, str(tmp_path / "out" / "view.html"), level="state")
    assert path == tmp_path / "out" / "view.html" and path.is_file()
