"""The only module that registers custom ``Doc`` and ``Span`` extensions.

- ``Doc._.article_year``: the year the article was published (or None), set by the caller.
- ``Doc._.relations``: list of :class:`Relation` found by the relation component.
- ``Span._.attrs``: a dict of extra attributes of an entity mention (issuer, position, …).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

SPAN_GROUPS = ("documents", "localities", "orgs", "persons", "achievements")


@dataclass(frozen=True)
class Relation:
    """A relation between two entity keys, with the character range of its evidence."""

    subject: str
    predicate: str
    object: str
    start: int
    end: int


def register() -> None:
    """Register the extensions once; calling it again is harmless."""
    if not Doc.has_extension("article_year"):
        Doc.set_extension("article_year", default=None)
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", default=None)
    if not Span.has_extension("attrs"):
        Span.set_extension("attrs", default=None)


_ATTRS_KEY = ("._.", "attrs")


def attrs(span: Span) -> dict:
    """The attribute dict of a mention span (never None).

    Reads the value where spaCy keeps ``span._.attrs`` (``doc.user_data``) without building an
    ``Underscore`` object per call: the rule components ask for it tens of thousands of times.
    """
    value = span.doc.user_data.get((*_ATTRS_KEY, span.start_char, span.end_char))
    if value is None:
        value = span._.attrs
    return value if value is not None else {}


register()
