"""``graphbuild stats`` and :mod:`graphbuild.stats`: figures checked against independent counts."""
from __future__ import annotations

import contextlib
import io
import json
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Namespace

from graphbuild.cli import main
from graphbuild.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from graphbuild.stats import StatsError, _bins, graph_stats, plot_interactions

DIP = Namespace("https://w3id.org/graphbuild/diplomacy#")
MODE_CLASSES = ("PhoneCall", "Meeting", "Visit", "Message", "Statement", "Negotiation")
MODE_COLORS = {"PhoneCall": (0x1F, 0x6F, 0xB2), "Meeting": (0x2E, 0x9E, 0x44), "Visit": (0x8E, 0x44, 0xAD),
               "Message": (0xE6, 0x7E, 0x22), "Statement": (0x6C, 0x7A, 0x89), "Negotiation": (0xC0, 0x39, 0x2B)}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

SMALL = """
@prefix dip: <https://w3id.org/graphbuild/diplomacy#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix r: <https://w3id.org/graphbuild/resource/> .

r:doc-1 a dip:Document .
r:a a dip:Person ; rdfs:label "Anna <b>"@fr, "Anna (en)"@en .
r:b a dip:Person ; rdfs:label "Boris"@fr .
r:c a dip:Person ; rdfs:label "Chen"@fr .
r:x a dip:State ; rdfs:label "Xland"@fr .
r:t a dip:Topic ; rdfs:label "eau"@fr .
r:p a dip:Place ; rdfs:label "Genève"@fr .

r:e1 a dip:Interaction, dip:PhoneCall ; dip:initiator r:a ; dip:addressee r:b ; dip:participant r:a, r:b ;
    dip:act dip:Discuss, dip:Thank ; dip:topic r:t ; dip:date "2024-05-02"^^xsd:date .
r:e2 a dip:Interaction, dip:Meeting ; dip:participant r:a, r:b, r:c ; dip:modality dip:Asserted ;
    dip:act dip:Discuss ; dip:topic r:t, r:p ; dip:date "2024-05-03"^^xsd:date .
r:e3 a dip:Interaction ; dip:participant r:a, r:x ; dip:date "2024-05-09"^^xsd:date .
r:e4 a dip:Interaction, dip:Visit ; dip:initiator r:b ; dip:addressee r:x ; dip:modality dip:Planned ;
    dip:date "2024-06-30"^^xsd:date .
r:e5 a dip:Interaction, dip:Message ; dip:initiator r:c ; dip:addressee r:a ; dip:act dip:Congratulate .
"""


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def count(graph: rdflib.Graph, query: str) -> int:
    return int(next(iter(graph.query(query, initNs={"dip": DIP})))[0])


ASSERTED = "FILTER NOT EXISTS { ?e dip:modality ?m . FILTER(?m != dip:Asserted) }"


@pytest.fixture(scope="module")
def figures(sample_ttl) -> dict:
    code, stdout, stderr = run("stats", sample_ttl, "--json", "--top", "3")
    assert code == EXIT_OK, stderr
    return json.loads(stdout)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("stats") / "small.ttl"
    path.write_text(SMALL, encoding="utf-8")
    return path


def test_counts_equal_independent_sparql_counts(figures, sample_build):
    g = sample_build.graph  # rdflib's own SPARQL engine, on the in-memory graph (stats uses pyoxigraph on the file)
    assert figures["triples"] == len(g)
    assert figures["documents"] == count(g, "SELECT (COUNT(DISTINCT ?d) AS ?n) { ?d a dip:Document }") == 12
    for kind, cls in (("person", "Person"), ("state", "State"), ("organization", "Organization")):
        assert figures["actors"][kind] == count(g, f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ ?x a dip:{cls} }}") > 0
    for mode in MODE_CLASSES:
        expected = count(g, f"SELECT (COUNT(DISTINCT ?e) AS ?n) {{ ?e a dip:{mode} {ASSERTED} }}")
        assert figures["interactions"].get(mode, 0) == expected
    total = count(g, f"SELECT (COUNT(DISTINCT ?e) AS ?n) {{ ?e a dip:Interaction {ASSERTED} }}")
    assert figures["interactions"]["total"] == total > 10
    planned = count(g, "SELECT (COUNT(DISTINCT ?e) AS ?n) { ?e a dip:Interaction ; dip:modality dip:Planned }")
    assert figures["not_asserted"]["planned"] == planned
    for act, n in figures["acts"].items():
        cls = act[0].upper() + act[1:]
        assert n == count(g, f"SELECT (COUNT(DISTINCT ?e) AS ?n) {{ ?e a dip:Interaction ; dip:act dip:{cls} {ASSERTED} }}")
    assert figures["topics"]["distinct"] == count(
        g, f"SELECT (COUNT(DISTINCT ?t) AS ?n) {{ ?e a dip:Interaction ; dip:topic ?t {ASSERTED} }}")
    dates = sorted(str(d) for e in g.subjects(RDF.type, DIP.Interaction) for d in g.objects(e, DIP.date)
                   if all(m == DIP.Asserted for m in g.objects(e, DIP.modality)))
    assert (figures["dates"]["first"], figures["dates"]["last"]) == (dates[0], dates[-1])
    assert figures["dates"]["dated"] == len(dates)


def test_counts_agree_with_the_build_summary(figures, sample_build):
    summary = sample_build.summary()
    assert figures["documents"] == summary["documents"]
    assert {k: v for k, v in figures["actors"].items() if k != "total"} == summary["actors"]
    assert figures["interactions"]["total"] == sum(summary["interactions"].values())


def test_top_pair(figures, sample_build):
    g = sample_build.graph
    pairs: Counter = Counter()  # co-participants of asserted interactions, by plain triple walking
    for e in set(g.subjects(RDF.type, DIP.Interaction)):
        if any(m != DIP.Asserted for m in g.objects(e, DIP.modality)):
            continue
        actors = set(g.objects(e, DIP.participant)) | set(g.objects(e, DIP.initiator)) | set(g.objects(e, DIP.addressee))
        names = sorted(str(g.value(a, RDFS.label)) for a in actors)
        pairs.update(combinations(names, 2))
    (best, n), (_, runner_up) = pairs.most_common(2)
    assert n > runner_up  # one busiest pair in the sample
    top = figures["top_pairs"][0]
    assert ((top["a"], top["b"]), top["interactions"]) == (best, n)
    assert best == ("Emmanuel Macron", "Mohammed ben Salmane")
    assert len(figures["top_pairs"]) == 3  # --top 3
    assert all(p["interactions"] == pairs[(p["a"], p["b"])] for p in figures["top_pairs"])


def test_text_output(sample_ttl):
    code, stdout, _ = run("stats", sample_ttl, "--top", "2")
    assert code == EXIT_OK
    lines = stdout.splitlines()
    assert lines[0] == f"graph: {sample_ttl} ({lines[0].split('(')[1]}"
    assert "documents: 12" in lines
    pairs = lines[lines.index("top pairs:") + 1:]
    assert len(pairs) == 2 and pairs[0].split() == ["2", "Emmanuel", "Macron", "—", "Mohammed", "ben", "Salmane"]
    assert next(l for l in lines if l.startswith("interactions: ")).count("phone call") == 1


def test_small_graph_semantics(small):
    stats = graph_stats(small)
    d = stats.to_dict(top=10)
    assert d["documents"] == 1
    assert d["actors"] == {"person": 3, "state": 1, "organization": 0, "total": 4}
    assert d["interactions"] == {"PhoneCall": 1, "Meeting": 1, "Message": 1, "Interaction": 1, "total": 4}
    assert d["not_asserted"] == {"planned": 1, "requested": 0, "denied": 0, "alleged": 0}  # the visit is left out
    assert d["acts"] == {"discuss": 2, "congratulate": 1, "thank": 1}
    assert d["topics"]["distinct"] == 2 and d["topics"]["by_kind"] == {"Place": 1, "Topic": 1}
    assert d["topics"]["top"][0] == {"topic": "eau", "interactions": 2}
    assert d["dates"] == {"first": "2024-05-02", "last": "2024-05-09", "dated": 3, "undated": 1}
    # French label chosen; every pair of a three-person meeting counts; the planned visit does not
    assert [(p["a"], p["b"], p["interactions"]) for p in d["top_pairs"]] == [
        ("Anna <b>", "Boris", 2), ("Anna <b>", "Chen", 2), ("Anna <b>", "Xland", 1), ("Boris", "Chen", 1)]


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return {c for _, c in image.convert("RGB").getcolors(maxcolors=1 << 24)}


def test_plot_is_a_readable_deterministic_png(sample_ttl, figures, tmp_path):
    first, second = tmp_path / "a" / "timeline.png", tmp_path / "b.png"
    code, stdout, stderr = run("stats", sample_ttl, "--plot", first)
    assert code == EXIT_OK, stderr
    assert stdout.splitlines()[-1] == f"written: {first}"
    png = first.read_bytes()
    assert png.startswith(PNG_MAGIC)
    assert b"Software" not in png and b"matplotlib" not in png  # no version metadata
    import matplotlib.image

    pixels = matplotlib.image.imread(str(first))
    assert pixels.shape[0] > 300 and pixels.shape[1] > 600
    colours = _colours(png)
    assert len(colours) > 10
    for mode, rgb in MODE_COLORS.items():  # one bar colour per mode present, none for the others
        assert (rgb in colours) == (figures["interactions"].get(mode, 0) > 0), mode
    assert run("stats", sample_ttl, "--plot", second, "--quiet") == (EXIT_OK, "", "")
    assert second.read_bytes() == png
    assert not list(tmp_path.rglob(".*.tmp"))  # atomic write left nothing behind


def test_plot_bins_by_span(small, tmp_path):
    from datetime import date

    assert _bins(date(2024, 5, 2), date(2024, 6, 30)) == "day"
    assert _bins(date(2018, 4, 27), date(2023, 1, 25)) == "month"
    assert _bins(date(1990, 1, 1), date(2023, 1, 1)) == "year"
    path = plot_interactions(graph_stats(small), tmp_path / "small.png")
    colours = _colours(path.read_bytes())
    assert {MODE_COLORS["PhoneCall"], MODE_COLORS["Meeting"]} <= colours
    assert MODE_COLORS["Visit"] not in colours  # planned: not drawn
    assert MODE_COLORS["Message"] not in colours  # undated: not drawn


def test_errors(tmp_path, small):
    code, stdout, stderr = run("stats", tmp_path / "absent.ttl")
    assert (code, stdout) == (EXIT_FAILURE, "")
    assert stderr == f"graphbuild: error: {tmp_path / 'absent.ttl'}: no such file\n"
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle {", encoding="utf-8")
    code, _, stderr = run("stats", bad)
    assert code == EXIT_FAILURE and stderr.startswith("graphbuild: error: cannot parse") and stderr.count("\n") == 1
    code, _, stderr = run("stats", small, "--plot", tmp_path / "plot.jpg")
    assert code == EXIT_USAGE and "ending with .png" in stderr
    assert run("stats", small, "--top", "0")[0] == EXIT_USAGE
    undated = tmp_path / "undated.ttl"
    undated.write_text(SMALL.replace('dip:date "', 'dip:note "'), encoding="utf-8")
    code, stdout, stderr = run("stats", undated, "--plot", tmp_path / "none.png")
    assert code == EXIT_FAILURE and "no dated asserted interaction" in stderr
    assert "dates: none (4 undated)" in stdout  # the figures were still printed
    assert not (tmp_path / "none.png").exists()
    with pytest.raises(StatsError):
        plot_interactions(graph_stats(undated), tmp_path / "none.png")
