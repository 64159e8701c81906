"""The entity kinds, in one table: ontology class, record ref group, IRI path, span group.

Extraction, records, RDF, IRIs and statistics read this table; a lookup of a kind it does not
list raises instead of falling back to another kind (an unknown label used to become a document).
Adding a kind means a row here, its class in ``ontology/policykg.ttl`` and ``shapes.ttl``, the
recogniser that fills its span group, and its properties in :mod:`policykg.extract.to_records`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of entity and the names it goes by at each stage."""

    cls: str  # ontology class (``pkg:PartyOrg``)
    ref: str  # record ref group (``org:<key>``)
    path: str | None  # IRI path under ``id/`` (``id/org/…``); None for nodes derived per article
    span_group: str  # ``doc.spans`` group holding its mentions
    superclass: str | None = None  # also typed as this class
    is_document: bool = False


KINDS = (
    Kind("Directive", "document", "document", "documents", "PartyDocument", True),
    Kind("Resolution", "document", "document", "documents", "PartyDocument", True),
    Kind("Conclusion", "document", "document", "documents", "PartyDocument", True),
    Kind("PartyDocument", "document", "document", "documents", None, True),
    Kind("StateDocument", "document", "document", "documents", None, True),
    Kind("PartyOrg", "org", "org", "orgs"),
    Kind("Body", "body", "body", "bodies"),
    Kind("Locality", "locality", "locality", "localities"),
    Kind("Person", "person", "person", "persons"),
    Kind("Achievement", "achievement", None, "achievements"),
)
_BY_CLASS = {k.cls: k for k in KINDS}
_PATH_BY_REF = {k.ref: k.path for k in KINDS if k.path}

DOCUMENT_CLASSES = tuple(k.cls for k in KINDS if k.is_document)
ENTITY_CLASSES = tuple(k.cls for k in KINDS)
SPAN_GROUPS = tuple(dict.fromkeys(k.span_group for k in KINDS))
SUPERCLASS = {k.cls: k.superclass for k in KINDS if k.superclass}


def kind_of(cls: str) -> Kind:
    """The kind of ontology class ``cls``; raises KeyError for a class that is not an entity kind."""
    try:
        return _BY_CLASS[cls]
    except KeyError:
        raise KeyError(f"not an entity kind: {cls!r} (see policykg.kinds.KINDS)") from None


def iri_path(ref_group: str) -> str:
    """The IRI path of entities whose refs start ``ref_group:``; raises KeyError if none."""
    try:
        return _PATH_BY_REF[ref_group]
    except KeyError:
        raise KeyError(f"unexpected entity ref group: {ref_group!r}") from None
