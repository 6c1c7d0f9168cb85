"""Interactive network views of a graphbuild RDF graph.

:func:`graph_to_networkx` turns the RDF into a networkx ``MultiDiGraph`` of who
interacted with whom; :func:`render_html` writes a self-contained, offline HTML page
(vis-network inlined, no external URL) to explore it.
"""
from .html import render_html
from .model import ViewError, graph_to_networkx

__all__ = ["ViewError", "graph_to_networkx", "render_html"]
