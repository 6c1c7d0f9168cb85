"""``graphbuild_gazetteer``: marks states, demonyms, capitals, seats of power,
organisations, places, titles and honorifics from the lexicon data files as
spans in ``doc.spans["graphbuild"]`` (label = kind, ``kb_id_`` = key).

It adds annotations only; it never changes tokens or ``doc.ents``.
"""
from __future__ import annotations

import unicodedata

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..lexicon import Lexicon, fold, load_lexicon

SPAN_KEY = "graphbuild"
TITLE_LABELS = ("TITLE", "HONORIFIC")
LABELS = ("STATE", "DEMONYM", "CAPITAL", "SEAT", "ORG", "PLACE", "TITLE", "HONORIFIC")


def _unaccent_capitals(text: str) -> str:
    """"République arabe d'Égypte" -> "république arabe d'egypte": the press
    often drops the accent of a capital letter and of nothing else."""
    out = []
    for c in text:
        if c.isupper():
            c = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
        out.append(c)
    return "".join(out).lower()


def _unaccent_initials(text: str) -> str:
    """"secrétaire d'état" -> "secrétaire d'etat": a word's first letter may be
    a capital written without its accent ("d'Etat", "Egypte")."""
    out, initial = [], True
    for c in text:
        if initial and c.isalpha():
            c = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
        initial = not c.isalpha()
        out.append(c)
    return "".join(out).lower()


def _variants(text: str) -> set[str]:
    """The lowercase form as written, without accents, and without the
    accents of its (possibly capitalised) initials."""
    low = text.lower()
    caps = _unaccent_capitals(text)
    initials = _unaccent_initials(text)
    return {low, fold(text), low.replace("-", " "), fold(text).replace("-", " "), caps, caps.replace("-", " "),
            initials, initials.replace("-", " ")}


class GazetteerRuler:
    def __init__(self, nlp: Language, name: str = "graphbuild_gazetteer", *,
                 data_dir: str | None = None, span_key: str = SPAN_KEY) -> None:
        self.name = name
        self.span_key = span_key
        self.lexicon: Lexicon = load_lexicon(data_dir)
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.norm = PhraseMatcher(nlp.vocab, attr="NORM")
        self._keys: dict[str, dict[str, str]] = {label: {} for label in LABELS}
        make = nlp.make_doc
        entries = list(self._entries())
        by_label: dict[tuple[str, bool], dict[str, str]] = {}
        for label, surface, key, case_sensitive in entries:
            forms = {surface} if case_sensitive else _variants(surface)
            for form in forms:
                by_label.setdefault((label, case_sensitive), {}).setdefault(form, key)
        for (label, case_sensitive), forms in sorted(by_label.items()):
            matcher = self.exact if case_sensitive else self.lower
            matcher.add(label, [make(f) for f in sorted(forms)])
            for form, key in forms.items():
                self._keys[label].setdefault(form, key)

    def _entries(self) -> Iterable[tuple[str, str, str, bool]]:
        lex = self.lexicon
        for s in lex.states:
            for n in (s.name, s.official, *s.aliases):
                if n:
                    yield "STATE", n, s.iso2, False
            for d in s.demonyms:
                yield "DEMONYM", d, s.iso2, False
            if s.capital:
                yield "CAPITAL", s.capital, s.iso2, False
            for seat, kind in s.seats:
                yield "SEAT", seat, f"{s.iso2}:{kind}", False
        for o in lex.organizations:
            for n in (o.name, *o.aliases):
                yield "ORG", n, o.key, False
            for a in o.acronyms:
                yield "ORG", a, o.key, True
        for p in lex.places:
            for n in (p.name, *p.aliases):
                yield "PLACE", n, p.name, False
        for t in lex.titles:
            yield "TITLE", t.form, t.form, False
        for h in lex.honorifics:
            yield "HONORIFIC", h, h, True

    def key_of(self, span: Span) -> str:
        label = span.label_
        table = self._keys[label]
        text = span.text
        for form in (text, text.lower(), fold(text), fold(text).replace("-", " "), text.lower().replace("-", " ")):
            if form in table:
                return table[form]
        return fold(text)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.lower(doc) + self.exact(doc)
        spans = []
        for match_id, start, end in matches:
            label = doc.vocab.strings[match_id]
            span = Span(doc, start, end, label=label)
            # a lowercase demonym or title only; a state/org/place name must start
            # with a capital unless it is an acronym or a multi-word name
            if label in ("STATE", "CAPITAL", "PLACE", "SEAT", "ORG") and not doc[start].text[:1].isupper() \
                    and doc[start].lower_ not in ("palais", "maison", "quai") and end - start == 1:
                continue
            spans.append(span)
        # titles and entity names are filtered apart: "président de la République"
        # may overlap "République arabe syrienne"
        kept = filter_spans([s for s in spans if s.label_ in TITLE_LABELS])
        kept += filter_spans([s for s in spans if s.label_ not in TITLE_LABELS])
        kept.sort(key=lambda s: (s.start, s.end))
        doc.spans[self.span_key] = [Span(doc, s.start, s.end, label=s.label_, kb_id=self.key_of(s)) for s in kept]
        return doc


@Language.factory("graphbuild_gazetteer", default_config={"data_dir": None, "span_key": SPAN_KEY})
def make_gazetteer_ruler(nlp: Language, name: str, data_dir: str | None, span_key: str) -> GazetteerRuler:
    return GazetteerRuler(nlp, name, data_dir=data_dir, span_key=span_key)
