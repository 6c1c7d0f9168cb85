"""The store benchmarks run end to end on a small graph and print every figure they promise."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*argv: str) -> str:
    done = subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_query_floor_prints_each_pattern_with_its_rows():
    out = run("benchmarks/bench_query_floor.py", "--triples", "5000", "--runs", "1")
    rows = dict(re.findall(r"^  (.+?)\s+[\d.]+ ms\s+([\d,]+) rows$", out, re.M))
    assert len(rows) == 7
    # who-spoke-with-whom gives one row per interaction, as the bare pattern does
    assert rows["named query who-spoke-with-whom"] == rows["every interaction and its class"] != "0"
    # interactions-of gives the busiest actor's interactions, as the IRI pattern does
    assert rows["named query interactions-of (busiest actor)"] == rows["the actor's interactions and class, from its IRI"]
    assert rows["an actor by any name, case-insensitive (label scan)"] == "1"


def test_query_floor_rejects_a_bad_size():
    done = subprocess.run([sys.executable, "benchmarks/bench_query_floor.py", "--triples", "10"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--triples" in done.stderr
