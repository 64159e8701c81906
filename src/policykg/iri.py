"""Deterministic instance IRIs from canonical keys: the same key, the same IRI, everywhere."""

from __future__ import annotations

import functools
import hashlib
from urllib.parse import quote

from policykg.kinds import iri_path
from policykg.text import match_key, slug
from policykg.vocab import ID_NS


def article_iri(identifier: str) -> str:
    """IRI of an article from its exact identifier, percent-encoded (UTF-8, RFC 3986).

    Percent-encoding is injective and reversible: two identifiers that differ in any way
    (case, diacritics, ``_`` or ``-``, folder) get two IRIs, and the identifier can be read
    back from the IRI. A slug would merge ``Tà Mung.txt`` and ``ta_mung.txt``; a slug plus
    a hash would be injective only up to the hash and not readable. ``/`` is encoded too and
    so are lone dot segments, so no IRI resolver can shorten one.

    >>> article_iri("000_b173f7f789c49a6a.txt")
    'https://w3id.org/policykg/id/article/000_b173f7f789c49a6a.txt'
    >>> article_iri("Tà Mung.TXT"), article_iri("2013/a.txt")
    ('https://w3id.org/policykg/id/article/T%C3%A0%20Mung.TXT', 'https://w3id.org/policykg/id/article/2013%2Fa.txt')
    """
    encoded = quote(identifier, safe="")
    if encoded in (".", ".."):
        encoded = encoded.replace(".", "%2E")
    return f"{ID_NS}article/{encoded}"


@functools.lru_cache(maxsize=65536)
def entity_iri(ref: str) -> str:
    """IRI of an entity from its ref ``<group>:<canonical key>``.

    >>> entity_iri("document:05-CT/TW")
    'https://w3id.org/policykg/id/document/05-ct-tw'
    >>> entity_iri("locality:xã|tà mung")
    'https://w3id.org/policykg/id/locality/xa/ta-mung'
    >>> entity_iri("locality:thôn|tân tiến|vn:03638")
    'https://w3id.org/policykg/id/locality/thon/tan-tien/in/vn-03638'
    >>> entity_iri("org:đảng bộ xã tà mung|vn:03638")
    'https://w3id.org/policykg/id/org/dang-bo-xa-ta-mung/in/vn-03638'
    >>> entity_iri("locality:vn:03638")
    'https://w3id.org/policykg/id/locality/vn/03638'
    >>> entity_iri("person:nguyễn văn hùng") != entity_iri("person:nguyễn văn hưng")
    True
    """
    group, _, key = ref.partition(":")
    try:
        path = iri_path(group)
    except KeyError:
        raise ValueError(f"unexpected entity ref: {ref!r}") from None
    if group == "locality" and key.startswith(("vn:", "vn2025:")):
        namespace, _, code = key.partition(":")
        return f"{ID_NS}locality/{namespace}/{code}"
    if group == "locality":
        place_type, _, key = key.partition("|")
        name, _, container = key.partition("|")
        return f"{ID_NS}locality/{slug(place_type)}/{_segment(name)}{_within(container)}"
    name, _, container = key.partition("|")
    if group == "person":
        # a slug folds diacritics: Nguyễn Văn Hùng and Nguyễn Văn Hưng are two people, two IRIs
        return f"{ID_NS}person/{_segment(name)}-{_digest(match_key(name))[:8]}{_within(container)}"
    return f"{ID_NS}{path}/{_segment(name)}{_within(container)}"


def _segment(value: str) -> str:
    return slug(value) or _digest(value)


def _within(container: str) -> str:
    """The path of what a key says its entity is inside, if anything."""
    return f"/in/{_segment(container)}" if container else ""


def derived_iri(kind: str, *parts: object) -> str:
    """IRI of a node that only exists inside one article (an achievement, a mention).

    >>> derived_iri("mention", "a.txt", 10, 20) == derived_iri("mention", "a.txt", 10, 20)
    True
    """
    return f"{ID_NS}{kind}/{_digest('|'.join(map(str, parts)))}"


def _digest(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]
