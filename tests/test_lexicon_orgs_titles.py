"""Sanity checks for the French organisation / title / honorific / nominal lexicons.

These tests read the data files directly with the csv module and do not import
the project, so they stay valid whatever the loading code looks like.
"""

import csv
import re
from pathlib import Path

import pytest

FR = Path(__file__).resolve().parent.parent / "graphbuild" / "lang" / "fr"
ORGS = FR / "organizations.tsv"
TITLES = FR / "titles.tsv"
HONORIFICS = FR / "honorifics.txt"
NOMINALS = FR / "nominals.tsv"

ORG_HEADER = ["key", "name", "acronyms", "aliases", "wikidata", "kind", "state"]
TITLE_HEADER = ["form", "role", "rank", "gender"]
NOMINAL_HEADER = ["pattern", "meaning"]

KINDS = {"igo", "agency", "court", "media", "military", "ministry", "party",
         "armed_group", "ngo", "other"}
RANKS = {"head_of_state", "head_of_government", "foreign_minister", "minister",
         "deputy", "diplomat", "royal", "international_official", "religious",
         "military", "official", "legislator", "local", "counterpart", "leader"}
NOMINAL_MEANINGS = RANKS | {"authority"}  # authority: "les autorités congolaises", the state itself
GENDERS = {"m", "f", ""}
PLACEHOLDERS = {"seat", "demonym", "capital", "state"}

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QID_RE = re.compile(r"^Q\d+$")
ISO2_RE = re.compile(r"^[A-Z]{2}$")


def _read_tsv(path):
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = list(reader)
    assert rows, f"{path.name} is empty"
    return rows[0], rows[1:]


def _dicts(path):
    header, body = _read_tsv(path)
    for lineno, row in enumerate(body, start=2):
        assert len(row) == len(header), f"{path.name}:{lineno}: {len(row)} fields, expected {len(header)}: {row!r}"
    return [dict(zip(header, row)) for row in body]


@pytest.fixture(scope="module")
def orgs():
    return _dicts(ORGS)


@pytest.fixture(scope="module")
def titles():
    return _dicts(TITLES)


@pytest.fixture(scope="module")
def nominals():
    return _dicts(NOMINALS)


@pytest.fixture(scope="module")
def honorifics():
    return HONORIFICS.read_text(encoding="utf-8").splitlines()


# --- organizations.tsv -------------------------------------------------------

def test_org_header():
    header, _ = _read_tsv(ORGS)
    assert header == ORG_HEADER


def test_org_keys_unique_and_slugs(orgs):
    keys = [o["key"] for o in orgs]
    assert len(keys) == len(set(keys)), "duplicate keys"
    bad = [k for k in keys if not SLUG_RE.match(k)]
    assert not bad, f"keys not slug-shaped: {bad}"


def test_org_fields(orgs):
    for o in orgs:
        assert o["name"].strip() == o["name"] and o["name"], o
        assert o["kind"] in KINDS, o
        assert o["wikidata"] == "" or QID_RE.match(o["wikidata"]), o
        assert o["state"] == "" or ISO2_RE.match(o["state"]), o
        for col in ("acronyms", "aliases"):
            if o[col]:
                parts = o[col].split("|")
                assert all(p and p.strip() == p for p in parts), (col, o)
                assert len(parts) == len(set(parts)), (col, o)


def test_org_wikidata_unique(orgs):
    qids = [o["wikidata"] for o in orgs if o["wikidata"]]
    assert len(qids) == len(set(qids)), "the same QID on two organisations"


def test_org_names_unique(orgs):
    names = [o["name"].casefold() for o in orgs]
    assert len(names) == len(set(names))


def test_org_count(orgs):
    assert len(orgs) >= 60


def _by_key(orgs):
    return {o["key"]: o for o in orgs}


@pytest.mark.parametrize(
    "key, name, acronym, qid",
    [
        ("onu", "Organisation des Nations unies", "ONU", "Q1065"),
        ("union-africaine", "Union africaine", "UA", "Q7159"),
        ("otan", "Organisation du traité de l'Atlantique nord", "OTAN", "Q7184"),
        ("ue", "Union européenne", "UE", "Q458"),
        ("ligue-arabe", "Ligue arabe", None, "Q7172"),
        ("cedeao", "Communauté économique des États de l'Afrique de l'Ouest", "CEDEAO", None),
        ("afp", "Agence France-Presse", "AFP", None),
    ],
)
def test_org_spot_checks(orgs, key, name, acronym, qid):
    o = _by_key(orgs)[key]
    assert o["name"] == name
    if acronym:
        assert acronym in o["acronyms"].split("|")
    if qid:
        assert o["wikidata"] == qid


def test_org_kinds_spot(orgs):
    by = _by_key(orgs)
    assert by["afp"]["kind"] == "media"
    assert by["cpi"]["kind"] == "court"
    assert by["hamas"]["kind"] == "armed_group"
    assert by["tsahal"]["kind"] == "military" and by["tsahal"]["state"] == "IL"
    assert by["pentagone"]["state"] == "US"
    assert by["onu"]["state"] == ""


def test_org_state_only_for_national_bodies(orgs):
    # bodies belonging to one state carry its code; intergovernmental ones never do
    for o in orgs:
        if o["kind"] in {"igo", "court"}:
            assert o["state"] == "", o
        if o["kind"] in {"ministry", "military"}:
            assert o["state"], o


# --- titles.tsv ----------------------------------------------------------------

def test_title_header():
    header, _ = _read_tsv(TITLES)
    assert header == TITLE_HEADER


def test_title_fields(titles):
    for t in titles:
        assert t["form"] and t["form"] == t["form"].lower() == t["form"].strip(), t
        assert "  " not in t["form"], t
        assert t["role"] and t["role"].strip() == t["role"], t
        assert t["rank"] in RANKS, t
        assert t["gender"] in GENDERS, t


def test_title_forms_unique(titles):
    forms = [t["form"] for t in titles]
    dups = sorted({f for f in forms if forms.count(f) > 1})
    assert not dups, dups


def test_title_count(titles):
    assert len(titles) >= 80


def test_every_rank_used(titles):
    assert {t["rank"] for t in titles} == RANKS


@pytest.mark.parametrize(
    "form, rank, role",
    [
        ("ministre des affaires étrangères", "foreign_minister", "ministre des Affaires étrangères"),
        ("chef de la diplomatie", "foreign_minister", "ministre des Affaires étrangères"),
        ("roi", "royal", "roi"),
        ("prince héritier", "royal", "prince héritier"),
        ("secrétaire général", "international_official", "secrétaire général"),
        ("homologue", "counterpart", None),
        ("président", "head_of_state", "président"),
        ("premier ministre", "head_of_government", "Premier ministre"),
        ("ambassadeur", "diplomat", "ambassadeur"),
        ("dirigeant", "leader", None),
    ],
)
def test_title_spot_checks(titles, form, rank, role):
    by = {t["form"]: t for t in titles}
    assert form in by, form
    assert by[form]["rank"] == rank
    if role:
        assert by[form]["role"] == role


def test_title_gender_spot(titles):
    by = {t["form"]: t for t in titles}
    assert by["présidente"]["gender"] == "f"
    assert by["première ministre"]["gender"] == "f"
    assert by["ambassadrice"]["gender"] == "f"
    assert by["roi"]["gender"] == "m"
    assert by["ministre"]["gender"] == ""


# --- honorifics.txt ------------------------------------------------------------

def test_honorifics(honorifics):
    assert honorifics, "empty honorifics file"
    for h in honorifics:
        assert h and h.strip() == h, repr(h)
        assert "\t" not in h
    assert len(honorifics) == len(set(honorifics)), "duplicate honorific"
    for expected in ("M.", "Mme", "Son Excellence", "Sa Majesté", "Dr"):
        assert expected in honorifics
    # cheikh is a title, not an honorific
    assert "cheikh" not in {h.casefold() for h in honorifics}


# --- nominals.tsv --------------------------------------------------------------

def test_nominal_header():
    header, _ = _read_tsv(NOMINALS)
    assert header == NOMINAL_HEADER


def test_nominal_fields(nominals):
    patterns = [n["pattern"] for n in nominals]
    assert len(patterns) == len(set(patterns)), "duplicate pattern"
    for n in nominals:
        assert n["meaning"] in NOMINAL_MEANINGS, n
        holes = re.findall(r"\{([^{}]*)\}", n["pattern"])
        assert holes, f"pattern without placeholder: {n}"
        assert set(holes) <= PLACEHOLDERS, n
        assert n["pattern"].count("{") == n["pattern"].count("}") == len(holes), n


def test_nominal_seat_head_of_state(nominals):
    assert any("{seat}" in n["pattern"] and n["meaning"] == "head_of_state" for n in nominals)
    assert any("{demonym}" in n["pattern"] and n["meaning"] == "foreign_minister" for n in nominals)
