"""The records that flow between Storyline's stages.

Annotations point into an article's cleaned ``text`` by character offsets
(``start`` inclusive, ``end`` exclusive) instead of copying it, the way a spaCy
``Span`` does. Records are frozen dataclasses; ``to_dict`` gives the shape that
CONTRACT.md section 2 fixes for ``report.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1"

QUALIFIERS = ("exact", "about", "nearly", "more_than", "less_than", "at_least", "at_most")
CLAIM_KINDS = ("money", "count", "percent", "date", "event", "other")
CLAIM_STATUSES = ("agreed", "conflict", "updated", "single_source")
RELATIONS = ("original", "copy", "rewrite", "translation", "independent")


@dataclass(frozen=True, slots=True)
class InputProblem:
    """An input that could not be used (or only partly), and why."""

    input: str
    reason: str

    def __str__(self) -> str:
        return f"{self.input}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Article:
    """One report after ingest and cleaning.

    ``id`` is stable: the caller's id when the input gave one, otherwise derived
    from ``content_hash`` (the hash of the normalized text) so that the same
    report fed twice is the same article.
    """

    id: str
    text: str
    content_hash: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published_at: str | None = None  # ISO 8601 date or datetime
    published_inferred: bool = False  # True when read off the text (a dateline)
    language: str | None = None
    origin: str | None = None  # the file (and line / record) it came from
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def published_date(self) -> str | None:
        """``published_at`` cut to its calendar date (YYYY-MM-DD), if any."""
        if not self.published_at:
            return None
        return self.published_at[:10]


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention in one article."""

    article_id: str
    start: int
    end: int
    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A temporal expression with its normalised value (ISO 8601 / TimeML)."""

    article_id: str
    start: int
    end: int
    text: str
    value: str | None
    kind: str = "DATE"  # DATE | TIME | DURATION | SET

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "value": self.value}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure stated in a report: money, a count or a percentage."""

    article_id: str
    start: int
    end: int
    text: str  # the figure with its qualifier, e.g. "nearly $650,000"
    kind: str  # money | count | percent
    value: float
    unit: str | None  # ISO currency code for money, "%" for percent, counted noun for counts
    qualifier: str = "exact"
    counted: str | None = None  # what is counted / what the money is for, as written
    as_of: str | None = None  # ISO date when the figure held, if the text anchors it
    as_of_text: str | None = None  # the anchoring words ("through Tuesday")
    sentence_start: int = 0
    sentence_end: int = 0


@dataclass(frozen=True, slots=True)
class QuoteMention:
    """A direct quotation in one article, with its speaker if found."""

    article_id: str
    start: int
    end: int
    text: str  # the quoted words, without the quotation marks
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """Who did what (to whom), with a date: feeds the timeline."""

    article_id: str
    start: int
    end: int
    subject: str
    predicate: str
    object: str | None
    date: str | None
    sentence: str


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True, slots=True)
class ClaimValue:
    article_id: str
    value: float | str
    unit: str | None
    qualifier: str
    as_of: str | None
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "as_of": self.as_of,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


@dataclass(slots=True)
class Claim:
    id: str
    kind: str
    subject: str | None
    description: str
    status: str
    values: list[ClaimValue] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "description": self.description,
            "status": self.status,
            "values": [v.to_dict() for v in self.values],
        }


@dataclass(slots=True)
class QuoteGroup:
    id: str
    speaker: str | None
    status: str  # consistent | drift
    versions: list[QuoteMention] = field(default_factory=list)
    fidelity: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "status": self.status,
            "fidelity": round(self.fidelity, 3),
            "versions": [
                {"article_id": v.article_id, "text": v.text, "start": v.start, "end": v.end}
                for v in self.versions
            ],
        }


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: str
    description: str
    article_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "description": self.description, "article_ids": list(self.article_ids)}


@dataclass(frozen=True, slots=True)
class Provenance:
    article_id: str
    derived_from: str | None
    relation: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "derived_from": self.derived_from,
            "relation": self.relation,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    supported_by: tuple[str, ...]
    contradicted_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "supported_by": list(self.supported_by),
            "contradicted_by": list(self.contradicted_by),
        }


@dataclass(slots=True)
class Story:
    id: str
    title: str
    article_ids: list[str]
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quotes: list[QuoteGroup] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    independent_sources: int = 0  # distinct witnesses: copies, rewrites, translations count with their source

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "article_ids": list(self.article_ids),
            "entities": [e.to_dict() for e in self.entities],
            "claims": [c.to_dict() for c in self.claims],
            "quotes": [q.to_dict() for q in self.quotes],
            "timeline": [t.to_dict() for t in self.timeline],
            "provenance": [p.to_dict() for p in self.provenance],
            "independent_sources": self.independent_sources,
            "summary": [s.to_dict() for s in self.summary],
        }
