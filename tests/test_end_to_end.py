"""The whole pipeline on real text: the sample corpus and the seeds, scored against their gold."""
from __future__ import annotations

import importlib.util
import io

import pytest
import rdflib
from rdflib.compare import isomorphic

from graphbuild.corpus import sample_gold_path
from graphbuild.evaluate import format_report, load_gold, score
from graphbuild.export import serialize
from graphbuild.pipeline import build

FIGURES = ("documents", "gold_interactions", "system_interactions", "interaction", "pair", "direction_accuracy",
           "acts", "topic_recall", "date_accuracy", "person_recall", "affiliation_accuracy")


def reference_scorer(shared_dir):
    """``../shared/eval/score.py``, imported from its path."""
    spec = importlib.util.spec_from_file_location("shared_eval_score", shared_dir / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_same_figures(ours: dict, theirs: dict) -> None:
    for key in FIGURES:
        assert ours[key] == pytest.approx(theirs[key]), key
    # the same misses and extras; the order of extras follows each scorer's own event order
    assert sorted(ours["misses"]) == sorted(theirs["misses"])
    assert sorted(ours["extras"]) == sorted(theirs["extras"])


@pytest.fixture(scope="module")
def seeds_build(shared_dir):
    return build([str(shared_dir / "seeds" / "*.txt")])


def test_sample_build_has_no_input_problem(sample_build):
    assert sample_build.problems == []
    assert sample_build.summary()["documents"] == len(load_gold(sample_gold_path()))


def test_sample_conforms_to_the_shapes(sample_build):
    pyshacl = pytest.importorskip("pyshacl")
    from graphbuild.vocab import ontology_path

    data = rdflib.Graph()
    for source in (sample_build.graph, rdflib.Graph().parse(ontology_path("diplomacy.ttl"))):
        for triple in source:
            data.add(triple)
    shapes = rdflib.Graph().parse(ontology_path("shapes.ttl"))
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    assert conforms, text


def test_sample_turtle_parses_in_rdflib_and_oxigraph(sample_build):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    data = serialize(sample_build.graph, "turtle")
    graph = rdflib.Graph().parse(data=data.decode("utf-8"), format="turtle")
    assert len(graph) == len(sample_build.graph)
    assert isomorphic(graph, sample_build.graph)
    store = pyoxigraph.Store()
    store.load(io.BytesIO(data), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(sample_build.graph)


def test_seeds_score_with_ours_and_the_reference_scorer(seeds_build, shared_dir, record_property):
    gold = load_gold(shared_dir / "seeds" / "gold.jsonl")
    ours = score(seeds_build.graph, gold)
    theirs = reference_scorer(shared_dir).score(seeds_build.graph, gold)
    record_property("seeds", {k: ours[k] for k in FIGURES})
    print("\nseeds:\n" + "\n".join(format_report(ours, verbose=True)))
    assert_same_figures(ours, theirs)
    assert ours["interaction"][2] >= 0.8
    assert ours["affiliation_accuracy"] >= 0.9


def test_our_scorer_agrees_with_the_reference_on_the_sample(sample_build, shared_dir):
    gold = load_gold(sample_gold_path())
    assert_same_figures(score(sample_build.graph, gold), reference_scorer(shared_dir).score(sample_build.graph, gold))


def test_sample_interaction_f1(sample_build, record_property):
    figures = score(sample_build.graph, load_gold(sample_gold_path()))
    record_property("sample", {k: figures[k] for k in FIGURES})
    print("\nsample:\n" + "\n".join(format_report(figures, verbose=True)))
    assert figures["documents"] == 12
    assert figures["interaction"][2] >= 0.85, "\n".join(format_report(figures, verbose=True))
