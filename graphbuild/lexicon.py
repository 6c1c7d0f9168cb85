"""French language knowledge, loaded from the data files in ``lang/fr/``.

One typed, frozen :class:`Lexicon` holds it all; :func:`load_lexicon` reads
the shipped files or a folder the user points at (same file names).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from .corpus import normalize_text

FILES = ("states.tsv", "places.tsv", "organizations.tsv", "titles.tsv", "honorifics.txt",
         "nominals.tsv", "triggers.tsv", "persons.tsv", "not_persons.txt", "name_variants.tsv")


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def fold(text: str) -> str:
    """Lowercase, accents removed, apostrophes and hyphens kept as-is."""
    if len(text) <= 40:
        return _fold_word(text)
    return _fold(text)


@lru_cache(maxsize=65536)
def _fold_word(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", normalize_text(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return text.translate(_LIGATURES) if "œ" in text or "æ" in text else text


def slugify(text: str) -> str:
    """A readable IRI segment: ``Bachar el-Assad`` -> ``bachar-el-assad``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


@dataclass(frozen=True)
class State:
    iso2: str
    iso3: str
    wikidata: str
    name: str
    article: str
    official: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]  # ms, fs, mp, fp
    capital: str
    seats: tuple[tuple[str, str], ...]  # (name, kind)
    un: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class Organization:
    key: str
    name: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]
    wikidata: str
    kind: str
    state: str


@dataclass(frozen=True)
class Title:
    form: str
    role: str
    rank: str
    gender: str


@dataclass(frozen=True)
class Place:
    name: str
    iso2: str
    wikidata: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class KnownPerson:
    """An office holder: who held which office for which state or organisation, when."""
    name: str
    aliases: tuple[str, ...]
    state: str  # iso2, "" for officials of an organisation
    org: str  # organisation key
    role: str
    rank: str
    start: int | None
    end: int | None  # None: still in office
    wikidata: str

    def in_office(self, year: int | None) -> bool:
        if year is None:
            return self.end is None
        return (self.start or 0) <= year <= (self.end or 9999)


def split_form(form: str) -> list[str]:
    """A trigger phrase cut as the tokenizer cuts text: "s'est adressé à" ->
    ["s'", "est", "adressé", "à"] (elided articles and pronouns stand alone)."""
    return re.sub(r"\b((?:l|d|s|n|j|m|t|c|qu|jusqu|lorsqu|puisqu)['’])(?=\w)", r"\1 ", form).split()


def person_tokens(name: str) -> tuple[str, ...]:
    """Folded name tokens, hyphens split: ``Al-Thani`` -> ``al thani``."""
    return tuple(t for t in re.split(r"[^a-z0-9]+", fold(name)) if len(t) > 1)


_SOUNDS = (("sh", "ch"), ("ou", "u"), ("w", "u"), ("q", "k"), ("dj", "j"), ("ee", "i"), ("ph", "f"))
_DOUBLE = re.compile(r"([a-z])\1+")


@lru_cache(maxsize=65536)
def sound_key(token: str) -> str:
    """A folded name token with the spelling differences of transliterations
    evened out (Choukry/Shoukry/Choukri, Ghazouani/Ghazwani, Raïssi/Raisi):
    "sh" as "ch", "ou" and "w" as "u", "q" as "k", doubled letters single, a
    final "y" as "i".  Used to match names, never to write them."""
    for a, b in _SOUNDS:
        if a in token:
            token = token.replace(a, b)
    token = _DOUBLE.sub(r"\1", token)
    if len(token) > 2 and token.endswith("y"):
        token = token[:-1] + "i"
    return token


@dataclass(frozen=True)
class Trigger:
    category: str  # mode, act, modality, ...
    value: str  # phone_call, congratulate, planned ...
    form: str  # a lemma or a phrase of lemmas
    cue: str  # free attribute: "verb", "noun", "phrase"...


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


@dataclass(frozen=True)
class Lexicon:
    states: tuple[State, ...]
    places: tuple[Place, ...]
    organizations: tuple[Organization, ...]
    titles: tuple[Title, ...]
    honorifics: tuple[str, ...]
    nominals: tuple[tuple[str, str], ...]
    triggers: tuple[Trigger, ...]
    persons: tuple[KnownPerson, ...] = ()
    not_persons: frozenset[str] = frozenset()  # folded names that are never persons (deities...)
    name_variants: Mapping[str, str] = field(default_factory=dict)  # folded spelling -> canonical token
    # derived indexes (folded surface form -> entry)
    state_by_iso: Mapping[str, State] = field(default_factory=dict)
    state_names: Mapping[str, State] = field(default_factory=dict)
    demonyms: Mapping[str, tuple[State, ...]] = field(default_factory=dict)
    capitals: Mapping[str, State] = field(default_factory=dict)
    seats: Mapping[str, tuple[State, str]] = field(default_factory=dict)
    org_names: Mapping[str, Organization] = field(default_factory=dict)
    org_by_key: Mapping[str, Organization] = field(default_factory=dict)
    title_forms: Mapping[str, Title] = field(default_factory=dict)
    place_names: Mapping[str, Place] = field(default_factory=dict)
    person_by_token: Mapping[str, tuple[KnownPerson, ...]] = field(default_factory=dict)

    def state(self, iso2: str | None) -> State | None:
        return self.state_by_iso.get(iso2 or "")

    def person_tokens(self, name: str) -> tuple[str, ...]:
        """:func:`person_tokens`, with transliterations of one name matched as one
        token ("Mohamed bin Zayed" = "Mohammed ben Zayed", "Choukry" = "Shoukry")."""
        get = self.name_variants.get
        return tuple(sound_key(get(t, t)) for t in person_tokens(name))

    def triggers_of(self, category: str) -> list[Trigger]:
        return [t for t in self.triggers if t.category == category]


def _build(folder: Path) -> Lexicon:
    states = tuple(State(
        iso2=r["iso2"], iso3=r["iso3"], wikidata=r["wikidata"], name=r["name"], article=r["article"],
        official=r["official"], aliases=_split(r["aliases"]),
        demonyms=tuple(r[k] for k in ("demonym_ms", "demonym_fs", "demonym_mp", "demonym_fp") if r[k]),
        capital=r["capital"],
        seats=tuple(tuple(s.split("=", 1)) if "=" in s else (s, "government") for s in _split(r["seats"])),
        un=r["un"]) for r in _rows(folder / "states.tsv"))
    places = tuple(Place(r["name"], r.get("iso2", ""), r.get("wikidata", ""), _split(r.get("aliases", "")))
                   for r in _rows(folder / "places.tsv")) if (folder / "places.tsv").exists() else ()
    orgs = tuple(Organization(r["key"], r["name"], _split(r["acronyms"]), _split(r["aliases"]),
                              r["wikidata"], r["kind"], r["state"])
                 for r in _rows(folder / "organizations.tsv"))
    titles = tuple(Title(r["form"].lower(), r["role"], r["rank"], r["gender"]) for r in _rows(folder / "titles.tsv"))
    honorifics = tuple(line.strip() for line in (folder / "honorifics.txt").read_text(encoding="utf-8").splitlines()
                       if line.strip() and not line.startswith("#"))
    nominals = tuple((r["pattern"], r["meaning"]) for r in _rows(folder / "nominals.tsv")) \
        if (folder / "nominals.tsv").exists() else ()
    triggers = tuple(Trigger(r["category"], r["value"], fold(r["form"]), r.get("cue", ""))
                     for r in _rows(folder / "triggers.tsv"))
    persons = tuple(KnownPerson(r["name"], _split(r["aliases"]), r["state"], r["org"], r["role"], r["rank"],
                                int(r["from"]) if r["from"] else None, int(r["to"]) if r["to"] else None,
                                r["wikidata"])
                    for r in _rows(folder / "persons.tsv")) if (folder / "persons.tsv").exists() else ()
    not_persons = frozenset(fold(line.strip()) for line in (folder / "not_persons.txt").read_text(
        encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")) \
        if (folder / "not_persons.txt").exists() else frozenset()
    name_variants: dict[str, str] = {}
    if (folder / "name_variants.tsv").exists():
        for r in _rows(folder / "name_variants.tsv"):
            for v in _split(r["variants"]):
                for t in person_tokens(v):
                    name_variants[t] = fold(r["canonical"])
    person_by_token: dict[str, list[KnownPerson]] = {}
    for kp in persons:
        for n in (kp.name, *kp.aliases):
            for t in person_tokens(n):
                t = sound_key(name_variants.get(t, t))
                lst = person_by_token.setdefault(t, [])
                if kp not in lst:
                    lst.append(kp)

    state_by_iso = {s.iso2: s for s in states}
    state_names: dict[str, State] = {}
    demonyms: dict[str, list[State]] = {}
    capitals: dict[str, State] = {}
    seats: dict[str, tuple[State, str]] = {}
    for s in states:
        for n in (s.name, s.official, *s.aliases):
            state_names.setdefault(fold(n), s)
        for d in s.demonyms:
            lst = demonyms.setdefault(fold(d), [])
            if s not in lst:
                lst.append(s)
        if s.capital:
            capitals.setdefault(fold(s.capital), s)
        for name, kind in s.seats:
            seats.setdefault(fold(name), (s, kind))
    org_names: dict[str, Organization] = {}
    for o in orgs:
        for n in (o.name, *o.aliases):
            org_names.setdefault(fold(n), o)
        for a in o.acronyms:
            org_names.setdefault(a, o)  # acronyms are case-sensitive: kept as written
    place_names: dict[str, Place] = {}
    for p in places:
        for n in (p.name, *p.aliases):
            place_names.setdefault(fold(n), p)
    return Lexicon(
        states=states, places=places, organizations=orgs, titles=titles, honorifics=honorifics,
        nominals=nominals, triggers=triggers, persons=persons, not_persons=not_persons,
        name_variants=MappingProxyType(name_variants),
        person_by_token=MappingProxyType({k: tuple(v) for k, v in person_by_token.items()}),
        state_by_iso=MappingProxyType(state_by_iso), state_names=MappingProxyType(state_names),
        demonyms=MappingProxyType({k: tuple(v) for k, v in demonyms.items()}),
        capitals=MappingProxyType(capitals), seats=MappingProxyType(seats),
        org_names=MappingProxyType(org_names), org_by_key=MappingProxyType({o.key: o for o in orgs}),
        title_forms=MappingProxyType({fold(t.form): t for t in titles}),
        place_names=MappingProxyType(place_names))


def data_dir() -> Path:
    return Path(str(resources.files("graphbuild") / "lang" / "fr"))


@lru_cache(maxsize=8)
def load_lexicon(folder: str | Path | None = None) -> Lexicon:
    """Load the shipped lexicon, or the files of ``folder`` (missing files
    there fall back to the shipped ones)."""
    base = data_dir()
    if folder is None:
        return _build(base)
    folder = Path(folder)
    merged = Path(folder)
    missing = [f for f in FILES if not (folder / f).exists()]
    if missing:
        import shutil
        import tempfile
        tmp = Path(tempfile.mkdtemp(prefix="graphbuild-lexicon-"))
        for f in FILES:
            src = folder / f if (folder / f).exists() else base / f
            if src.exists():
                shutil.copy(src, tmp / f)
        merged = tmp
    return _build(merged)
