"""Plain, JSON-serialisable records passed between the stages.

``Document`` is what the reader yields; ``DocExtraction`` is what the
extractor returns for one document (the *map* step); both convert to and
from plain dicts so they can be cached or shipped to other processes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class Document:
    id: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO publication date, when known
    url: str | None = None
    source: str | None = None
    lang: str = "fr"
    origin: str = ""  # where it was read from: "path" or "path:line"


@dataclass
class Problem:
    """An input that was skipped or repaired, with where it happened."""

    location: str
    message: str
    severity: str = "error"  # "error" (input lost) or "warning" (repaired)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


@dataclass
class Actor:
    key: str  # local id inside the document ("p1", "s:RU", "o:onu")
    type: str  # "person", "state", "organization"
    name: str
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    state: str | None = None  # ISO alpha-2 of the state a person represents
    org: str | None = None  # organisation key a person represents
    iso2: str | None = None  # for states
    wikidata: str | None = None
    org_key: str | None = None  # for organisations: gazetteer key


@dataclass
class Topic:
    label: str
    kind: str = "topic"  # "topic", "place", "state", "organization", "person", "event"
    ref: str | None = None  # actor key, place name or state code when kind is not "topic"


@dataclass
class Interaction:
    mode: str  # phone_call, meeting, visit, message, statement_to, negotiation
    initiator: list[str] = field(default_factory=list)
    addressee: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    directed: bool = True
    acts: list[str] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    date: str | None = None
    place: str | None = None  # place name, or "state:XX"
    modality: str = "asserted"  # asserted, planned, requested, denied
    confidence: float = 0.5
    evidence: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    quote_by: dict[str, str] = field(default_factory=dict)  # quote -> local key of its speaker
    trigger: str = ""
    sentence: int = 0


@dataclass
class DocExtraction:
    doc: Document
    actors: list[Actor] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    places: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DocExtraction":
        doc = Document(**data["doc"])
        actors = [Actor(**a) for a in data.get("actors", [])]
        inters = []
        for it in data.get("interactions", []):
            it = dict(it)
            it["topics"] = [Topic(**t) for t in it.get("topics", [])]
            inters.append(Interaction(**{k: v for k, v in it.items() if k in _INTERACTION_FIELDS}))
        return cls(doc=doc, actors=actors, interactions=inters, places=list(data.get("places", [])))


_INTERACTION_FIELDS = {f.name for f in fields(Interaction)}
