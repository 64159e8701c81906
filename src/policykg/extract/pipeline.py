"""The spaCy pipeline: a blank Vietnamese ``Language`` with our tokenizer and rule components."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from policykg.errors import PolicyKGError

# Importing the component modules registers their factories.
from policykg.extract import (  # noqa: F401
    achievements,
    bodies,
    documents,
    localities,
    orgs,
    persons,
    relations,
    sentences,
    tokenizer,
)
from policykg.extract.extensions import register


@dataclass(frozen=True)
class Component:
    """A pipeline component: its name in the pipeline, its versioned factory, the span groups (or
    sentences) it reads and what it writes. ``build`` checks that each reads only what a component
    before it writes, so a pipeline missing one fails when it is built, not on its first text."""

    name: str
    factory: str
    reads: tuple[str, ...]
    writes: str


COMPONENTS = (
    Component("pkg_sentences", "policykg_sentences_v1", (), "sentences"),
    Component("pkg_documents", "policykg_documents_v1", ("sentences",), "documents"),
    Component("pkg_localities", "policykg_localities_v1", ("sentences",), "localities"),
    Component("pkg_orgs", "policykg_orgs_v1", ("localities",), "orgs"),
    Component("pkg_bodies", "policykg_bodies_v1", ("localities", "orgs"), "bodies"),
    Component("pkg_persons", "policykg_persons_v1", ("localities", "orgs", "documents"), "persons"),
    Component(
        "pkg_achievements",
        "policykg_achievements_v1",
        ("sentences", "documents", "orgs", "bodies"),
        "achievements",
    ),
    Component(
        "pkg_relations",
        "policykg_relations_v1",
        ("sentences", "documents", "localities", "orgs", "bodies", "persons", "achievements"),
        "relations",
    ),
)


class PipelineError(PolicyKGError):
    """A pipeline whose components do not get what they read."""


def check(components: tuple[Component, ...]) -> None:
    """Raise ``PipelineError`` unless every component reads only what one before it writes."""
    written: set[str] = set()
    for component in components:
        missing = [group for group in component.reads if group not in written]
        if missing:
            raise PipelineError(
                f"{component.name} reads {', '.join(missing)}, which no component before it writes"
            )
        written.add(component.writes)


def build(components: tuple[Component, ...] = COMPONENTS) -> Language:
    """A fresh pipeline: blank ``vi`` with the syllable tokenizer and the rule components."""
    check(components)
    register()
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "policykg.syllable_tokenizer.v1"}}})
    for component in components:
        nlp.add_pipe(component.factory, name=component.name)
    return nlp


@cache
def shared() -> Language:
    """One pipeline per process (building it loads the lexicons and compiles patterns)."""
    return build()


def analyse(text: str, year: int | None = None, nlp: Language | None = None) -> Doc:
    """Run the pipeline over ``text``; ``year`` (publication year) helps date plenum names."""
    nlp = nlp or shared()
    doc = nlp.make_doc(text)
    doc._.article_year = year
    return nlp(doc)
