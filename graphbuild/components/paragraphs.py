"""``graphbuild_paragraphs``: a line break always starts a new sentence
(headlines, datelines and paragraphs of wire copy are never one sentence),
and a sentence never starts anywhere but after a line break or a full stop
(the parser otherwise cuts at a hyphen or a capitalised "A l'issue").
Runs before the parser, which keeps these boundaries."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


FINAL = {".", "!", "?", "…", "...", "?!", "!?"}
CLOSING = {"»", '"', "”", ")", "'"}


def _ends_sentence(doc: Doc, i: int) -> bool:
    tok = doc[i]
    if tok.text in FINAL:
        return True
    if tok.text in CLOSING and i > 0 and doc[i - 1].text in FINAL:
        return True
    return False


@Language.component("graphbuild_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    for i, token in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if "\n" in token.text or "\n" in token.whitespace_ or token.is_space:
            nxt.is_sent_start = True
        elif not _ends_sentence(doc, i):
            nxt.is_sent_start = False
    return doc
