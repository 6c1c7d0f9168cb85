"""``graphbuild_paragraphs``: a line break always starts a new sentence
(headlines, datelines and paragraphs of wire copy are never one sentence).
Runs before the parser, which keeps these boundaries."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("graphbuild_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    for i, token in enumerate(doc[:-1]):
        nxt = doc[i + 1]
        if "\n" in token.text or "\n" in token.whitespace_:
            nxt.is_sent_start = True
    return doc
