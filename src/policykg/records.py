"""Plain, frozen records: what the extractor hands to the RDF stage.

Nothing here imports spaCy or RDF libraries; offsets are into ``Article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Article:
    """A cleaned article: normalised text, where its body is, and page metadata."""

    identifier: str
    text: str
    body_start: int
    body_end: int
    title: str
    date: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    content_hash: str = ""
    source: str = ""
    line: int | None = None  # of a JSON Lines record: where it is in ``source``

    @property
    def body(self) -> str:
        return self.text[self.body_start : self.body_end]

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


@dataclass(frozen=True)
class Evidence:
    """Where a fact is stated: a character range and the sentence around it."""

    start: int
    end: int
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True)
class Entity:
    """One entity of the article under its canonical key, with every mention of it."""

    ref: str  # "<group>:<canonical key>", e.g. "document:05-CT/TW"
    cls: str  # ontology class name, e.g. "Directive"
    label: str
    properties: tuple[tuple[str, str], ...] = ()
    alt_labels: tuple[str, ...] = ()
    mentions: tuple[Evidence, ...] = ()

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.properties if key == name), None)


@dataclass(frozen=True)
class Fact:
    """A relation between two entity refs, with its evidence."""

    subject: str
    predicate: str
    object: str
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Achievement:
    """A reported result: a figure, its unit, when, by whom, and the phrase that says so."""

    ref: str
    quantity: Decimal
    unit: str
    phrase: str
    year: int | None
    evidence: Evidence
    achieved_by: str | None = None


@dataclass(frozen=True)
class ArticleRecord:
    """Everything extracted from one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    facts: tuple[Fact, ...] = ()
    achievements: tuple[Achievement, ...] = field(default=())
    party_work: bool = True  # the article is about Party work (see ``relevance``)
    relevance: str = ""  # why it is or is not
