"""Read news articles from files, folders, globs, JSON lines or stdin.

Every input problem becomes a :class:`~graphbuild.records.Problem` with its
location (``file`` or ``file:line``); reading goes on with the rest.
"""
from __future__ import annotations

import glob
import io
import json
import logging
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from .errors import InputError
from .records import Document, Problem

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_FIELDS = ("id", "text", "title", "date", "url", "source", "lang")

_TRANSLATE = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u2002": " ", "\u2003": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None, "\u00ad": None,
    "\u2010": "-", "\u2011": "-",
})
_SPACES = re.compile(r"[ \t\f\v]+")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def normalize_text(text: str) -> str:
    """NFC, straight apostrophes and double quotes (French « » are kept),
    ordinary spaces for the non-breaking ones, one space between words."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def _decode(data: bytes, location: str, problems: list[Problem]) -> str | None:
    if not data.strip():
        problems.append(Problem(location, "empty input"))
        return None
    if b"\x00" in data[:4096]:
        problems.append(Problem(location, "binary content (NUL bytes), not a text article"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            problems.append(Problem(location, f"undecodable bytes (neither UTF-8 nor cp1252): {exc}"))
            return None
        problems.append(Problem(location, f"not UTF-8 ({exc.reason} at byte {exc.start}); "
                                          "decoded as cp1252", "warning"))
        return text


def _clean_date(value, location: str, problems: list[Problem]) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and _DATE.match(value):
        return value[:10]
    problems.append(Problem(location, f"ignored date {value!r}: expected YYYY-MM-DD", "warning"))
    return None


def read_text(data: bytes, doc_id: str, location: str, problems: list[Problem]) -> Iterator[Document]:
    text = _decode(data, location, problems)
    if text is None:
        return
    text = normalize_text(text)
    if not text:
        problems.append(Problem(location, "empty input"))
        return
    yield Document(id=doc_id, text=text, origin=location)


def read_jsonl(data: bytes, location: str, problems: list[Problem]) -> Iterator[Document]:
    text = _decode(data, location, problems)
    if text is None:
        return
    seen: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        where = f"{location}:{lineno}"
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(where, f"malformed JSON line: {exc.msg} (column {exc.colno})"))
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(where, "a JSON line must be an object"))
            continue
        missing = [k for k in ("id", "text") if not obj.get(k)]
        if missing:
            problems.append(Problem(where, f"missing field(s): {', '.join(missing)}"))
            continue
        if not isinstance(obj["text"], str):
            problems.append(Problem(where, "field 'text' must be a string"))
            continue
        doc_id = str(obj["id"])
        if doc_id in seen:
            problems.append(Problem(where, f"duplicate id {doc_id!r}: line skipped"))
            continue
        seen.add(doc_id)
        body = normalize_text(obj["text"])
        if not body:
            problems.append(Problem(where, "empty text"))
            continue
        extra = {k: (normalize_text(str(obj[k])) if obj.get(k) not in (None, "") else None)
                 for k in ("title", "url", "source")}
        yield Document(id=doc_id, text=body, title=extra["title"], url=extra["url"],
                       source=extra["source"], date=_clean_date(obj.get("date"), where, problems),
                       lang=str(obj.get("lang") or "fr"), origin=where)


def _read_path(path: Path, doc_id: str, problems: list[Problem]) -> Iterator[Document]:
    location = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(location, f"cannot read: {exc.strerror or exc}"))
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from read_jsonl(data, location, problems)
    else:
        yield from read_text(data, doc_id, location, problems)


def _expand(spec: str) -> list[tuple[Path, str]]:
    """(path, id) pairs for one input spec: a file, a folder or a glob."""
    path = Path(spec)
    if path.is_dir():
        found = [p for p in sorted(path.rglob("*"))
                 if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                 and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES]
        return [(p, p.relative_to(path).as_posix()) for p in found]
    if path.is_file():
        return [(path, path.name)]
    if glob.has_magic(spec):
        return [(Path(p), Path(p).name) for p in sorted(glob.glob(spec, recursive=True)) if Path(p).is_file()]
    raise InputError(f"{spec}: no such file or folder")


def read_inputs(specs: Iterable[str], problems: list[Problem], *, stdin: io.BufferedReader | None = None
                ) -> Iterator[Document]:
    """Yield documents from every input spec; ``-`` reads JSON lines or one
    text from standard input. Raises :class:`InputError` for a path that does
    not exist (before reading anything)."""
    plan: list[tuple[Path | None, str]] = []
    for spec in specs:
        if spec == "-":
            plan.append((None, "-"))
        else:
            plan.extend(_expand(spec))
    ids: set[str] = set()
    for path, doc_id in plan:
        if path is None:
            data = (stdin or sys.stdin.buffer).read()
            stripped = data.lstrip()
            docs = (read_jsonl(data, "<stdin>", problems) if stripped.startswith(b"{")
                    else read_text(data, "stdin", "<stdin>", problems))
        else:
            docs = _read_path(path, doc_id, problems)
        for doc in docs:
            if doc.id in ids:
                problems.append(Problem(doc.origin, f"duplicate document id {doc.id!r}: skipped"))
                continue
            ids.add(doc.id)
            yield doc


def sample_path() -> Path:
    """The embedded sample corpus (JSON lines)."""
    return Path(str(resources.files("graphbuild") / "data" / "sample" / "articles.jsonl"))


def sample_gold_path() -> Path:
    return Path(str(resources.files("graphbuild") / "data" / "sample" / "gold.jsonl"))
