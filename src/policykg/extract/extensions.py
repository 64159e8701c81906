"""The only module that registers custom ``Doc`` and ``Span`` extensions.

- ``Doc._.article_year``: the year the article was published (or None), set by the caller.
- ``Doc._.relations``: list of :class:`Relation` found by the relation component.
- the attributes of an entity mention (issuer, position, …): :func:`set_attrs` / :func:`attrs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span


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


_ATTRS_KEY = "pkg_attrs"


def set_attrs(span: Span, values: dict[str, Any]) -> None:
    """Keep ``values`` as the attributes of the mention ``span``.

    They live in ``doc.user_data`` under the span's label and characters, not in a ``Span._``
    extension: spaCy keys those by character range only, so an organisation and a place on the
    same words ("Quảng Nam" in "Tỉnh ủy Nam Định, Quảng Nam") would share one dict.
    """
    span.doc.user_data[(_ATTRS_KEY, span.label, span.start_char, span.end_char)] = values  # type: ignore[index]


def attrs(span: Span) -> dict[str, Any]:
    """The attribute dict of a mention span (never None)."""
    value = span.doc.user_data.get((_ATTRS_KEY, span.label, span.start_char, span.end_char))  # type: ignore[call-overload]
    return value if isinstance(value, dict) else {}


register()
