"""notebooks/explore.ipynb: committed without outputs, and run top to bottom with nbclient.

The kernel is ``python3`` from ipykernel, launched with this interpreter (jupyter_client
swaps a spec's ``python`` for ``sys.executable``); user-level kernel specs and IPython
profiles are kept out through JUPYTER_DATA_DIR / IPYTHONDIR pointing into a temp folder.
The outputs are checked against facts recomputed here from the sample graph.
"""
from __future__ import annotations

import base64
import json
import re
from itertools import combinations
from pathlib import Path

import nbclient
import nbformat
import pytest
from rdflib import RDF, RDFS, Namespace

from graphbuild.corpus import sample_gold_path

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"
DIP = Namespace("https://w3id.org/graphbuild/diplomacy#")


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 8
    for cell in code:
        assert cell.outputs == [], f"cell {cell.id} has outputs"
        assert cell.execution_count is None, f"cell {cell.id} has an execution count"
        assert "execution" not in cell.metadata
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= len(code) - 1  # each step explained


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebook")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_DATA_DIR", str(folder / ".jupyter-data"))
        mp.setenv("IPYTHONDIR", str(folder / ".ipython"))
        mp.delenv("JUPYTER_PATH", raising=False)
        client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=600,
                                         resources={"metadata": {"path": str(folder)}})
        client.execute()
    return nb, folder


def outputs(nb, tag: str) -> tuple[str, list[dict]]:
    """(stdout text, rich outputs) of the code cell tagged ``tag``."""
    cell = next(c for c in nb.cells if tag in c.metadata.get("tags", []))
    text = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
    rich = [o.data for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert not errors, errors
    return text, rich


def is_asserted(g, e) -> bool:
    return all(m == DIP.Asserted for m in g.objects(e, DIP.modality))


def label(g, node) -> str:
    return str(g.value(node, RDFS.label))


def test_it_builds_and_writes_the_files(executed):
    nb, folder = executed
    text, _ = outputs(nb, "build")
    assert text.startswith("12 documents, ")
    for name in ("graph.ttl", "graph.html", "states.html", "timeline.png"):
        assert (folder / "out" / name).is_file(), name


def test_who_spoke_with_whom_lists_the_gold_pairs(executed, sample_build):
    nb, _ = executed
    text, _ = outputs(nb, "who-spoke-with-whom")
    lines = text.splitlines()
    gold = [json.loads(line) for line in sample_gold_path().read_text(encoding="utf-8").splitlines()]
    call = next(i for d in gold for i in d["interactions"] if i["initiator"] == "Kaïs Saïed")
    assert any(line.split() == [call["date"], "PhoneCall", "Kaïs", "Saïed", "→", "Abdelmadjid", "Tebboune"]
               for line in lines), text
    g = sample_build.graph
    assert len(lines) == len(set(g.subjects(RDF.type, DIP.Interaction)))  # one line per interaction
    dates = [line.split()[0] for line in lines]
    dated = [d for d in dates if d != "undated"]
    assert dated == sorted(dated) and dates == dated + ["undated"] * (len(dates) - len(dated))
    planned = sum(line.endswith("[planned]") for line in lines)
    assert planned == len(set(g.subjects(DIP.modality, DIP.Planned)))


def test_timeline_of_one_person(executed, sample_build):
    nb, _ = executed
    text, _ = outputs(nb, "timeline")
    lines = text.splitlines()
    assert "2019-03-04  Appel téléphonique : Emmanuel Macron → Macky Sall" in lines
    assert all("Macky Sall" in line for line in lines)
    g = sample_build.graph
    sall = next(a for a in g.subjects(RDF.type, DIP.Person) if label(g, a) == "Macky Sall")
    assert len(lines) == len(set(g.subjects(DIP.participant, sall)))
    dates = [line.split()[0] for line in lines]
    dated = [d for d in dates if d != "undated"]
    assert dated == sorted(dated) and dates[:len(dated)] == dated


def test_topics_of_two_states(executed, sample_build):
    nb, _ = executed
    text, _ = outputs(nb, "topics")
    shown = [re.split(r"\s{2,}", line)[0] for line in text.splitlines()]
    g = sample_build.graph
    france = {a for a in g.subjects(RDF.type, DIP.State) if label(g, a) == "France"}
    saudi = {a for a in g.subjects(RDF.type, DIP.State) if label(g, a) == "Arabie saoudite"}
    expected = {}
    for e in set(g.subjects(RDF.type, DIP.Interaction)):
        sides = [{p} | set(g.objects(p, DIP.represents)) for p in g.objects(e, DIP.participant)]
        if any(s & france for s in sides) and any(s & saudi for s in sides):
            for t in g.objects(e, DIP.topic):
                expected[label(g, t)] = expected.get(label(g, t), 0) + 1
    assert set(shown) == set(expected) and shown
    assert expected[shown[0]] == max(expected.values())  # most frequent first


def test_inline_sparql_who_congratulated_whom(executed, sample_build):
    nb, _ = executed
    text, _ = outputs(nb, "inline-sparql")
    g = sample_build.graph
    expected = set()
    for e in g.subjects(DIP.act, DIP.Congratulate):
        if is_asserted(g, e):
            for a in g.objects(e, DIP.initiator):
                for b in g.objects(e, DIP.addressee):
                    expected.add(f"{label(g, a)} congratulated {label(g, b)}")
    shown = {line.split(" (")[0] for line in text.splitlines()}
    assert shown == expected
    assert "Emmanuel Macron congratulated Macky Sall" in shown


def test_ranking(executed, sample_build):
    nb, _ = executed
    text, _ = outputs(nb, "ranking")
    rows = [re.split(r"\s{2,}", line.strip()) for line in text.splitlines()[3:] if line.strip()]
    assert len(rows) == 10
    g = sample_build.graph
    partners: dict[str, set] = {}
    for e in set(g.subjects(RDF.type, DIP.Interaction)):
        if not is_asserted(g, e):
            continue
        ini, add = set(g.objects(e, DIP.initiator)), set(g.objects(e, DIP.addressee))
        pairs = [(i, a) for i in ini for a in add if i != a] if ini and add else list(
            combinations(sorted(set(g.objects(e, DIP.participant)) | ini | add), 2))
        for a, b in pairs:
            partners.setdefault(label(g, a), set()).add(label(g, b))
            partners.setdefault(label(g, b), set()).add(label(g, a))
    degrees = [int(r[1].split()[0]) for r in rows]
    assert degrees == sorted(degrees, reverse=True)
    assert degrees[0] == max(len(p) for p in partners.values())
    for name, degree, *_ in rows:
        assert int(degree.split()[0]) == len(partners[name]), name
    assert all(0.0 <= float(r[-1].split()[-1]) <= 1.0 for r in rows)


def test_stats_and_plot(executed):
    nb, _ = executed
    text, rich = outputs(nb, "stats")
    assert "documents: 12" in text.splitlines()
    assert "top pairs:" in text
    png = base64.b64decode(next(d["image/png"] for d in rich if "image/png" in d))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


def test_view_is_inline_and_offline(executed):
    nb, folder = executed
    text, rich = outputs(nb, "view")
    frame = next(d["text/html"] for d in rich if "text/html" in d)
    assert frame.startswith("<iframe ") and 'sandbox="allow-scripts"' in frame and 'srcdoc="' in frame
    assert "&lt;script type=&quot;application/json&quot; id=&quot;gb-data&quot;&gt;" in frame
    assert "<script" not in frame  # the page is escaped inside the attribute
    assert not re.search(r"(?i)\b(?:https?:|//cdn|src=&quot;http)", frame)  # nothing fetched
    assert "Les États et leurs échanges" in frame
    assert text.startswith("out/states.html (")
