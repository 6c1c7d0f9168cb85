"""Sanity checks on the French states table (graphbuild/lang/fr/states.tsv).

Reads the file with the csv module only, so these tests do not depend on the
rest of the package.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

LANG_DIR = Path(__file__).resolve().parent.parent / "graphbuild" / "lang" / "fr"
STATES = LANG_DIR / "states.tsv"
PLACES = LANG_DIR / "places.tsv"

HEADER = ["iso2", "iso3", "wikidata", "name", "article", "official", "aliases",
          "demonym_ms", "demonym_fs", "demonym_mp", "demonym_fp", "capital", "seats", "un"]
ARTICLES = {"", "la", "le", "l'", "les"}
SEAT_KINDS = {"head_of_state", "head_of_government", "foreign_ministry", "government"}
UN_STATUSES = {"member", "observer", "other"}
QID = re.compile(r"^Q\d+$")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        body = [line for line in reader]
    for line in body:
        assert len(line) == len(header), f"wrong field count: {line}"
    return header, [dict(zip(header, line)) for line in body]


@pytest.fixture(scope="module")
def table() -> tuple[list[str], list[dict[str, str]]]:
    return _read(STATES)


@pytest.fixture(scope="module")
def rows(table) -> list[dict[str, str]]:
    return table[1]


@pytest.fixture(scope="module")
def by_iso(rows) -> dict[str, dict[str, str]]:
    return {r["iso2"]: r for r in rows}


def _seats(row: dict[str, str]) -> list[tuple[str, str]]:
    out = []
    for item in row["seats"].split("|"):
        if item:
            name, _, kind = item.partition("=")
            out.append((name, kind))
    return out


def test_header(table):
    assert table[0] == HEADER


def test_no_comment_or_blank_lines():
    lines = STATES.read_text(encoding="utf-8").splitlines()
    assert all(line.strip() for line in lines)
    assert not any(line.startswith("#") for line in lines)


def test_un_status_counts(rows):
    counts = Counter(r["un"] for r in rows)
    assert set(counts) <= UN_STATUSES
    assert counts["member"] == 193
    assert counts["observer"] == 2
    assert len(rows) == 197


def test_observers_and_others(by_iso):
    assert by_iso["VA"]["un"] == "observer" and by_iso["VA"]["name"] == "Saint-Siège"
    assert by_iso["PS"]["un"] == "observer" and by_iso["PS"]["name"] == "Palestine"
    assert by_iso["XK"]["un"] == "other"
    assert by_iso["TW"]["un"] == "other"


def test_iso_codes_unique_and_well_formed(rows):
    for key, pattern in (("iso2", r"^[A-Z]{2}$"), ("iso3", r"^[A-Z]{3}$")):
        values = [r[key] for r in rows]
        assert all(re.match(pattern, v) for v in values), [v for v in values if not re.match(pattern, v)]
        assert len(values) == len(set(values)), [v for v, n in Counter(values).items() if n > 1]


def test_names_unique(rows):
    names = [r["name"] for r in rows]
    assert all(names)
    assert len(names) == len(set(names)), [v for v, n in Counter(names).items() if n > 1]


def test_wikidata(rows):
    bad = [(r["name"], r["wikidata"]) for r in rows if not QID.match(r["wikidata"])]
    assert not bad
    qids = [r["wikidata"] for r in rows]
    assert len(qids) == len(set(qids))


def test_members_have_demonyms_and_capital(rows):
    for r in rows:
        if r["un"] != "member":
            continue
        for key in ("demonym_ms", "demonym_fs", "demonym_mp", "demonym_fp", "capital", "official"):
            assert r[key], f"{r['name']}: missing {key}"


def test_demonyms_lowercase(rows):
    for r in rows:
        for key in ("demonym_ms", "demonym_fs", "demonym_mp", "demonym_fp"):
            assert r[key] == r[key].lower(), (r["name"], r[key])


def test_articles(rows):
    bad = [(r["name"], r["article"]) for r in rows if r["article"] not in ARTICLES]
    assert not bad


def test_seats_kinds(rows):
    for r in rows:
        for name, kind in _seats(r):
            assert name, r["name"]
            assert kind in SEAT_KINDS, (r["name"], name, kind)


def test_straight_apostrophes_only():
    text = STATES.read_text(encoding="utf-8") + PLACES.read_text(encoding="utf-8")
    assert "\u2019" not in text and "\u2018" not in text


def test_no_stray_whitespace(rows):
    for r in rows:
        for key, value in r.items():
            assert value == value.strip(), (r["name"], key)
            if key in ("aliases", "seats"):
                assert all(part.strip() == part and part for part in value.split("|") if value), (r["name"], key)


@pytest.mark.parametrize("iso2, iso3, qid, name, article, ms, fs, capital", [
    ("FR", "FRA", "Q142", "France", "la", "français", "française", "Paris"),
    ("RU", "RUS", "Q159", "Russie", "la", "russe", "russe", "Moscou"),
    ("US", "USA", "Q30", "États-Unis", "les", "américain", "américaine", "Washington"),
    ("IR", "IRN", "Q794", "Iran", "l'", "iranien", "iranienne", "Téhéran"),
    ("TR", "TUR", "Q43", "Turquie", "la", "turc", "turque", "Ankara"),
    ("SY", "SYR", "Q858", "Syrie", "la", "syrien", "syrienne", "Damas"),
    ("SN", "SEN", "Q1041", "Sénégal", "le", "sénégalais", "sénégalaise", "Dakar"),
    ("IL", "ISR", "Q801", "Israël", "", "israélien", "israélienne", None),
])
def test_spot_checks(by_iso, iso2, iso3, qid, name, article, ms, fs, capital):
    r = by_iso[iso2]
    assert (r["iso3"], r["wikidata"], r["name"], r["article"]) == (iso3, qid, name, article)
    assert (r["demonym_ms"], r["demonym_fs"]) == (ms, fs)
    if capital is not None:
        assert r["capital"] == capital


def test_spot_check_seats(by_iso):
    assert ("Kremlin", "head_of_state") in _seats(by_iso["RU"])
    assert ("Maison-Blanche", "head_of_state") in _seats(by_iso["US"])
    assert ("Élysée", "head_of_state") in _seats(by_iso["FR"])
    assert ("Quai d'Orsay", "foreign_ministry") in _seats(by_iso["FR"])


def test_turkish_plurals(by_iso):
    r = by_iso["TR"]
    assert (r["demonym_mp"], r["demonym_fp"]) == ("turcs", "turques")


def test_places_table():
    header, places = _read(PLACES)
    assert header == ["name", "iso2", "wikidata", "aliases"]
    assert len(places) >= 150
    names = [p["name"] for p in places]
    assert len(names) == len(set(names))
    state_isos = {r["iso2"] for r in _read(STATES)[1]}
    for p in places:
        assert p["name"]
        assert p["iso2"] == "" or p["iso2"] in state_isos, p
        assert p["wikidata"] == "" or QID.match(p["wikidata"]), p
