"""The spaCy pipeline: a blank Vietnamese ``Language`` with our tokenizer and rule components."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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

COMPONENTS = (
    "pkg_sentences",
    "pkg_documents",
    "pkg_localities",
    "pkg_orgs",
    "pkg_bodies",
    "pkg_persons",
    "pkg_achievements",
    "pkg_relations",
)


def build() -> Language:
    """A fresh pipeline: blank ``vi`` with the syllable tokenizer and the rule components."""
    register()
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "policykg.syllable_tokenizer.v1"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name)
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
