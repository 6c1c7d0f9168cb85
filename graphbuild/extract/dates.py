"""French date expressions normalised against a reference (publication) date.

Handles what wire copy writes and dateparser misses: "le 19 décembre dernier",
"mardi dernier", "lundi prochain", "hier", "avant-hier", "ce 12 mai 2017",
"le 3 mars" (year from the reference), bare weekdays ("mardi": the latest
such day on or before the reference date).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

MONTHS = {"janvier": 1, "fevrier": 2, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
          "juillet": 7, "aout": 8, "août": 8, "septembre": 9, "octobre": 10, "novembre": 11,
          "decembre": 12, "décembre": 12}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = "|".join(WEEKDAYS)
FULL = re.compile(rf"\b(?:(?:{_DAY})\s+)?(1er|\d{{1,2}})\s+({_MONTH})(?:\s+(\d{{4}}))?(?:\s+(dernier|prochain))?\b",
                  re.IGNORECASE)
WEEKDAY = re.compile(rf"\b({_DAY})(?:\s+(dernier|prochain|matin|soir|après-midi|apres-midi))?\b", re.IGNORECASE)
RELATIVE = re.compile(r"\b(avant-hier|hier|aujourd'hui|ce jour|après-demain|demain)\b", re.IGNORECASE)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
SLASHED = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_OFFSETS = {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "ce jour": 0, "demain": 1, "après-demain": 2}


class DateMatch(NamedTuple):
    start: int  # character offsets in the text searched
    end: int
    date: dt.date | None
    text: str
    future: bool = False


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_reference(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def find_dates(text: str, reference: dt.date | None) -> list[DateMatch]:
    """Every date expression of ``text`` with its normalised date (``None``
    when it needs a reference date that is unknown)."""
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in ISO.finditer(text):
        found.append(DateMatch(m.start(), m.end(), _safe(int(m[1]), int(m[2]), int(m[3])), m[0]))
        taken.append(m.span())
    for m in SLASHED.finditer(text):
        if free(*m.span()):
            found.append(DateMatch(m.start(), m.end(), _safe(int(m[3]), int(m[2]), int(m[1])), m[0]))
            taken.append(m.span())
    for m in FULL.finditer(text):
        if not free(*m.span()):
            continue
        day = 1 if m[1].lower() == "1er" else int(m[1])
        month = MONTHS[m[2].lower()]
        qualifier = (m[4] or "").lower()
        date = None
        if m[3]:
            date = _safe(int(m[3]), month, day)
        elif reference:
            date = _safe(reference.year, month, day)
            if date and qualifier != "prochain" and date > reference + dt.timedelta(days=7):
                date = _safe(reference.year - 1, month, day)  # "le 19 décembre (dernier)" read in January
            elif date and qualifier == "prochain" and date < reference:
                date = _safe(reference.year + 1, month, day)
        future = qualifier == "prochain" or bool(date and reference and date > reference)
        found.append(DateMatch(m.start(), m.end(), date, m[0], future))
        taken.append(m.span())
    for m in WEEKDAY.finditer(text):
        if not free(*m.span()):
            continue
        qualifier = (m[2] or "").lower()
        date = None
        if reference:
            delta = (reference.weekday() - WEEKDAYS[m[1].lower()]) % 7
            if qualifier == "prochain":
                delta = -((WEEKDAYS[m[1].lower()] - reference.weekday()) % 7 or 7)
            elif qualifier == "dernier" and delta == 0:
                delta = 7
            date = reference - dt.timedelta(days=delta)
        found.append(DateMatch(m.start(), m.end(), date, m[0], qualifier == "prochain"))
        taken.append(m.span())
    for m in RELATIVE.finditer(text):
        if not free(*m.span()):
            continue
        offset = _OFFSETS[m[1].lower()]
        date = reference + dt.timedelta(days=offset) if reference else None
        found.append(DateMatch(m.start(), m.end(), date, m[0], offset > 0))
        taken.append(m.span())
    return sorted(found)
