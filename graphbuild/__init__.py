"""graphbuild: knowledge graphs of diplomatic news."""
__version__ = "0.1.0"
