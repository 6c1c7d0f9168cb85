"""Exceptions and exit codes of graphbuild (documented in the README)."""
from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1  # nothing could be built, or a command failed
EXIT_USAGE = 2  # bad command line (argparse)
EXIT_PARTIAL = 3  # the build finished but some inputs were skipped or damaged


class GraphbuildError(Exception):
    """Base class of the errors graphbuild reports to users."""


class InputError(GraphbuildError):
    """An input could not be read at all (missing path, nothing to read)."""


class ModelError(GraphbuildError):
    """The spaCy model could not be loaded."""


class QueryError(GraphbuildError):
    """A SPARQL query is unknown, malformed or misses a parameter."""


class ExportError(GraphbuildError):
    """A graph could not be written."""
