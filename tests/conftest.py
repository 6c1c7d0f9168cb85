"""Fixtures shared by the test modules.

The spaCy model and the sample build are loaded once per session; tests that
need ``../shared`` (the seeds, the reference scorer) use ``shared_dir`` and are
skipped cleanly when it is absent.
"""
from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def nlp():
    """The French pipeline with graphbuild's components."""
    from graphbuild.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def sample_build():
    """The embedded sample corpus, built once (a pipeline.BuildResult)."""
    from graphbuild.pipeline import build

    return build()


@pytest.fixture(scope="session")
def sample_ttl(sample_build, tmp_path_factory) -> Path:
    """The sample build written as Turtle."""
    from graphbuild.export import write_graph

    return write_graph(sample_build.graph, tmp_path_factory.mktemp("sample") / "graph.ttl", "turtle")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (seeds, gold, reference scorer), or a skip when it is not there."""
    if not SHARED.is_dir():
        pytest.skip("../shared not present")
    return SHARED
