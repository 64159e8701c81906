"""Checked names of the ontology terms: a misspelt term fails at import, not in the data.

``PKG.Directive`` is the IRI of ``pkg:Directive``; ``PKG.Directiv`` raises AttributeError.
The term lists come from ``policykg.terms``, generated from ``ontology/policykg.ttl`` by
``scripts/ontology_docs.py`` (a test checks it is current).
"""

from __future__ import annotations

from collections.abc import Iterator

from policykg.store.terms import NamedNode
from policykg.terms import CLASSES, PROPERTIES

PKG_NS = "https://w3id.org/policykg/ontology#"
ID_NS = "https://w3id.org/policykg/id/"
ENTITY_GRAPH_IRI = ID_NS + "graph/entities"  # what entities are, shared by every article graph
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
DCTERMS_NS = "http://purl.org/dc/terms/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
PROV_NS = "http://www.w3.org/ns/prov#"
OWL_NS = "http://www.w3.org/2002/07/owl#"

PREFIXES = {
    "pkg": PKG_NS,
    "id": ID_NS,
    # one prefix per kind of instance, so Turtle and tables show ``vn:03638``, ``document:05-ct-tw``
    "article": ID_NS + "article/",
    "document": ID_NS + "document/",
    "party": ID_NS + "org/",
    "person": ID_NS + "person/",
    "place": ID_NS + "locality/",
    "vn": ID_NS + "locality/vn/",
    "vn2025": ID_NS + "locality/vn2025/",
    "mention": ID_NS + "mention/",
    "statement": ID_NS + "statement/",
    "achievement": ID_NS + "achievement/",
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "xsd": XSD_NS,
    "dcterms": DCTERMS_NS,
    "skos": SKOS_NS,
    "prov": PROV_NS,
    "owl": OWL_NS,
}


class _Namespace:
    """Attribute access to a fixed set of terms of one namespace."""

    def __init__(self, base: str, terms: tuple[str, ...]) -> None:
        self._base = base
        self._terms = frozenset(terms)
        for name in terms:  # plain attributes from now on: no lookup cost in hot loops
            object.__setattr__(self, name, NamedNode(base + name))

    def __getattr__(self, name: str) -> NamedNode:
        raise AttributeError(f"{name!r} is not a term of {self._base}")

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._terms))


PKG = _Namespace(PKG_NS, CLASSES + PROPERTIES)
RDF = _Namespace(RDF_NS, ("type", "Statement", "subject", "predicate", "object"))
RDFS = _Namespace(RDFS_NS, ("label",))
DCTERMS = _Namespace(DCTERMS_NS, ("identifier", "title", "date", "creator", "source", "language"))
SKOS = _Namespace(SKOS_NS, ("altLabel", "hiddenLabel", "notation"))
PROV = _Namespace(PROV_NS, ("wasDerivedFrom",))
XSD = _Namespace(XSD_NS, ("decimal", "integer", "date", "dateTime", "gYear", "string", "boolean"))
