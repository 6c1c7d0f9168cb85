"""Sanity checks for the French gazetteer of office holders (persons.tsv).

The data files are read with the csv module only; the project itself is not
imported, so these checks hold whatever the loading code looks like.
"""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

FR = Path(__file__).resolve().parent.parent / "graphbuild" / "lang" / "fr"
PERSONS = FR / "persons.tsv"
STATES = FR / "states.tsv"
ORGS = FR / "organizations.tsv"

HEADER = ["name", "aliases", "state", "org", "role", "rank", "from", "to", "wikidata"]
RANKS = {"head_of_state", "head_of_government", "foreign_minister", "minister",
         "royal", "international_official", "diplomat", "leader"}
QID_RE = re.compile(r"^Q\d+$")
YEAR_RE = re.compile(r"^\d{4}$")


def _read(path):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows, f"{path.name} is empty"
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def table():
    return _read(PERSONS)


@pytest.fixture(scope="module")
def rows(table):
    header, body = table
    return [dict(zip(header, line)) for line in body]


@pytest.fixture(scope="module")
def iso2_codes():
    header, body = _read(STATES)
    col = header.index("iso2")
    return {line[col] for line in body if len(line) > col}


@pytest.fixture(scope="module")
def org_keys():
    header, body = _read(ORGS)
    col = header.index("key")
    return {line[col] for line in body if len(line) > col}


def _find(rows, name, **expected):
    hits = [r for r in rows if r["name"] == name
            and all(r[k] == v for k, v in expected.items())]
    assert hits, f"no row for {name!r} with {expected}"
    return hits


def test_header(table):
    assert table[0] == HEADER


def test_field_count(table):
    for n, line in enumerate(table[1], start=2):
        assert len(line) == len(HEADER), f"line {n}: {len(line)} fields: {line}"


def test_no_comment_or_blank_lines():
    with PERSONS.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            assert line.strip(), f"line {n} is blank"
            assert not line.startswith("#"), f"line {n} is a comment"


def test_size(rows):
    assert len(rows) >= 500


def test_names_and_roles_present(rows):
    for r in rows:
        assert r["name"].strip() == r["name"] and r["name"], r
        assert r["role"].strip() == r["role"] and r["role"], r


def test_aliases_well_formed(rows):
    for r in rows:
        if not r["aliases"]:
            continue
        parts = r["aliases"].split("|")
        assert all(p and p == p.strip() for p in parts), r
        assert r["name"] not in parts, r
        assert len(parts) == len(set(parts)), r


def test_states_known(rows, iso2_codes):
    for r in rows:
        assert r["state"] == "" or r["state"] in iso2_codes, r


def test_orgs_known(rows, org_keys):
    for r in rows:
        assert r["org"] == "" or r["org"] in org_keys, r


def test_exactly_one_of_state_or_org(rows):
    for r in rows:
        assert bool(r["state"]) != bool(r["org"]), r


def test_ranks(rows):
    for r in rows:
        assert r["rank"] in RANKS, r


def test_years(rows):
    for r in rows:
        for key in ("from", "to"):
            assert r[key] == "" or YEAR_RE.match(r[key]), r
        assert r["from"], r
        if r["from"] and r["to"]:
            assert int(r["from"]) <= int(r["to"]), r


def test_wikidata(rows):
    for r in rows:
        assert r["wikidata"] == "" or QID_RE.match(r["wikidata"]), r


def test_qid_consistent_per_name(rows):
    seen = {}
    for r in rows:
        if r["wikidata"]:
            assert seen.setdefault(r["name"], r["wikidata"]) == r["wikidata"], r
    by_qid = {}
    for name, qid in seen.items():
        assert by_qid.setdefault(qid, name) == name, (qid, name)


def test_no_duplicates(rows):
    counts = Counter((r["name"], r["role"], r["from"]) for r in rows)
    dups = [k for k, c in counts.items() if c > 1]
    assert not dups, dups


def test_spot_poutine(rows):
    hits = _find(rows, "Vladimir Poutine", state="RU")
    assert any(r["rank"] == "head_of_state" and r["to"] == "" for r in hits)


def test_spot_erdogan(rows):
    hits = _find(rows, "Recep Tayyip Erdogan", state="TR")
    assert any(r["rank"] == "head_of_state" for r in hits)


def test_spot_guterres(rows):
    hits = _find(rows, "António Guterres", org="onu")
    assert all(r["state"] == "" for r in hits)
    assert any(r["rank"] == "international_official" for r in hits)


def test_spot_mohammed_vi(rows):
    _find(rows, "Mohammed VI", state="MA", rank="royal")


def test_spot_tebboune(rows):
    hits = _find(rows, "Abdelmadjid Tebboune", state="DZ")
    assert any(r["rank"] == "head_of_state" for r in hits)


def test_spot_le_drian(rows):
    _find(rows, "Jean-Yves Le Drian", state="FR", rank="foreign_minister")


def test_name_variants_are_single_tokens_mapped_to_one_canonical_form():
    from graphbuild.lexicon import data_dir, load_lexicon, person_tokens

    lex = load_lexicon()
    rows = [line.rstrip("\n").split("\t") for line in (data_dir() / "name_variants.tsv").read_text(
        encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    assert rows[0] == ["canonical", "variants"]
    canon = {r[0] for r in rows[1:]}
    seen = set()
    for canonical, variants in rows[1:]:
        for v in variants.split("|"):
            assert len(person_tokens(v)) == 1, v  # a variant is one word
            assert v not in canon and v not in seen, v  # no chain, no variant listed twice
            seen.add(v)
            assert lex.person_tokens(v.title()) == lex.person_tokens(canonical.title())
    assert len(seen) >= 60
    # spellings of one holder's name meet on the same tokens
    assert lex.person_tokens("Mohamed bin Zayed Al Nahyan") == lex.person_tokens("Mohammed ben Zayed Al Nahyane")
    assert lex.person_tokens("Abdullah ibn Hussein") == lex.person_tokens("Abdallah ben Hussein")
    assert lex.person_tokens("Volodymyr Zelensky") == lex.person_tokens("Volodimir Zelenski")
    # and spelling differences of transliteration are evened out
    assert lex.person_tokens("Sameh Choukry") == lex.person_tokens("Sameh Shoukry") == lex.person_tokens("Sameh Choukri")
    assert lex.person_tokens("Ghazouani") == lex.person_tokens("Ghazwani")
    assert lex.person_tokens("Raïssi") == lex.person_tokens("Raisi")
    assert lex.person_tokens("Macron") != lex.person_tokens("Micron")
