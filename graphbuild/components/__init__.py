"""spaCy components of graphbuild (registered through the ``spacy_factories``
entry point and at import). They only annotate the Doc; the graph is built
afterwards from those annotations."""
from __future__ import annotations

from .gazetteer import SPAN_KEY, GazetteerRuler, make_gazetteer_ruler
from .paragraphs import paragraph_boundaries

__all__ = ["SPAN_KEY", "GazetteerRuler", "make_gazetteer_ruler", "paragraph_boundaries"]
