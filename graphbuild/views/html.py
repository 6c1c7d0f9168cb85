"""Write the interactive network page: one self-contained, offline, deterministic HTML file.

vis-network (JS and CSS, licence header kept) is read from the copy pyvis ships in its
package and inlined; our template, script and style live in ``assets/``.  The data
travels as JSON in a ``<script type="application/json">`` block where ``<``, ``>``,
``&`` and ``:`` are ``\\u``-escaped, so no data can close the block or put a URL in
the file; the script builds the interface with ``textContent`` only.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

import rdflib

from .model import graph_to_networkx
from .payload import build_view_data

_ASSETS = resources.files("graphbuild.views") / "assets"
_MARKER = re.compile(r"\{\{(TITLE|CSP_SCRIPTS|VIS_CSS|VIS_JS|VIEW_CSS|VIEW_JS|DATA)\}\}")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SCHEME_IN_CODE = re.compile(r"(?i)\b(https?):(?=//)")
_UNSAFE_IN_SCRIPT = re.compile(r"(?i)</script|<!--")
_UNSAFE_IN_STYLE = re.compile(r"(?i)</style|<!--")


def render_html(graph: rdflib.Graph, path, *, level: str = "actor", focus: str | None = None,
                depth: int = 1, with_topics: bool = False, title: str = "graphbuild",
                physics_threshold: int = 300, min_confidence: float = 0.0) -> Path:
    """Write the network view of ``graph`` to ``path`` (atomically, UTF-8); return the path.

    Options as in :func:`graphbuild.views.graph_to_networkx`.  Below
    ``physics_threshold`` nodes the browser lays the graph out (bounded stabilisation,
    then physics off); at or above it, positions are computed here and physics is off.
    """
    G = graph_to_networkx(graph, level=level, focus=focus, depth=depth, with_topics=with_topics,
                          min_confidence=min_confidence)
    data = build_view_data(G, title=title, physics_threshold=physics_threshold)
    page = page_html(data)
    return write_atomic(Path(path), page.encode("utf-8"))


def page_html(data: dict) -> str:
    """The full page for view data built by :func:`build_view_data`."""
    vis_js, vis_css = vis_assets()
    view_js = _asset("view.js")
    parts = {
        "TITLE": _html_text(data.get("title") or "graphbuild"),
        "CSP_SCRIPTS": " ".join(_csp_hash(script) for script in (vis_js, view_js)),
        "VIS_CSS": vis_css,
        "VIS_JS": vis_js,
        "VIEW_CSS": _asset("view.css"),
        "VIEW_JS": view_js,
        "DATA": json_for_script(data),
    }
    return _MARKER.sub(lambda m: parts[m.group(1)], _asset("page.html"))


def json_for_script(data) -> str:
    """JSON that can sit inside ``<script type="application/json">`` whatever the strings hold.

    Inside string tokens, ``<``, ``>`` and ``&`` become ``\\u003c \\u003e \\u0026`` (so
    neither ``</script>`` nor ``<!--`` can appear) and ``:`` becomes ``\\u003a`` (so the
    file holds no ``http:`` or ``javascript:``); ``JSON.parse`` gives back the original.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return _JSON_STRING.sub(_escape_json_string, text)


def _escape_json_string(match: re.Match) -> str:
    token = match.group(0)
    token = token.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return token.replace(":", "\\u003a")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _html_text(text: str) -> str:
    """Escaped for HTML text and attributes; colons as entities so no URL scheme shows."""
    return html.escape(str(text), quote=True).replace(":", "&#58;")


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's (JS, CSS) from pyvis's package, made safe to inline.

    The source-map comment is dropped; URLs in the licence comment and the few
    string literals that hold one (the SVG namespace, core-js's licence) get their
    ``:`` written ``\\x3a`` in code and ``[:]`` in the licence comment, which leaves
    the script's behaviour unchanged and the file free of ``http:``.
    """
    folder = _vis_folder()
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", js)
    css = re.sub(r"/\*# sourceMappingURL=\S*\s*\*/", "", css)
    header_end = js.find("*/") + 2 if js.lstrip().startswith("/*") else 0
    header, body = js[:header_end], js[header_end:]
    header = _SCHEME_IN_CODE.sub(r"\1[:]", header)
    body = _SCHEME_IN_CODE.sub(r"\1\\x3a", body)
    js = header + body
    if _UNSAFE_IN_SCRIPT.search(js) or _UNSAFE_IN_STYLE.search(css) or re.search(r"(?i)https?:", js + css):
        raise RuntimeError(f"vis-network files in {folder} cannot be inlined safely")
    return js, css


def _vis_folder():
    """The newest ``vis-<version>`` folder shipped with pyvis."""
    base = resources.files("pyvis")
    candidates = []
    for sub in ("templates/lib", "lib"):
        folder = base.joinpath(*sub.split("/"))
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            match = re.fullmatch(r"vis-(\d+)\.(\d+)\.(\d+)", entry.name)
            if match and (entry / "vis-network.min.js").is_file():
                candidates.append((tuple(int(x) for x in match.groups()), entry))
    if not candidates:
        raise RuntimeError("vis-network was not found inside the installed pyvis package")
    return max(candidates, key=lambda c: c[0])[1]


def write_atomic(path: Path, content: bytes) -> Path:
    """Write ``content`` to a temporary file next to ``path``, then ``os.replace`` it."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path
