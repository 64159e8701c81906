"""The evidence behind a fact: the sentences, with the article each comes from, for citation.

A relation (``pkg:implements``, ``pkg:partOf`` …) is supported by its ``rdf:Statement`` nodes;
an achievement by its own phrase; what an entity is (its type, its labels) by its mentions.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from policykg.errors import QueryError
from policykg.vocab import PREFIXES

_EVIDENCE = """
PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?subjectLabel ?objectLabel ?sentence ?start ?end ?title ?date ?source ?articleId
WHERE {
  {
    VALUES_BLOCK
    ?ev rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    OPTIONAL { ?o rdfs:label ?ol }
  } UNION {
    VALUES_BLOCK
    ?s a pkg:Achievement . BIND(?s AS ?ev)
    FILTER(?p != rdf:type || ?o = pkg:Achievement)
    FILTER EXISTS { ?s ?p ?o }
  } UNION {
    VALUES_BLOCK
    ?ev pkg:mentionOf ?s .
    FILTER(?p IN (rdf:type, rdfs:label, skos:altLabel, pkg:mentionedIn))
    FILTER EXISTS { ?s ?p ?o }
  }
  ?ev pkg:sentence ?sentence ; pkg:startOffset ?start ; pkg:endOffset ?end ; prov:wasDerivedFrom ?article .
  ?article dcterms:identifier ?articleId ; dcterms:title ?title .
  OPTIONAL { ?article dcterms:date ?published }
  OPTIONAL { ?article dcterms:source ?url }
  OPTIONAL { ?s rdfs:label ?sl }
  BIND(COALESCE(?sl, STR(?s)) AS ?subjectLabel)
  BIND(COALESCE(?ol, STR(?o), "") AS ?objectLabel)
  BIND(COALESCE(STR(?published), "") AS ?date)
  BIND(COALESCE(STR(?url), "") AS ?source)
}
ORDER BY ?date ?articleId ?start
"""


@dataclass(frozen=True)
class Citation:
    subject: str
    object: str
    sentence: str
    start: int
    end: int
    title: str
    date: str
    source: str
    article: str


def expand(term: str) -> NamedNode:
    """An IRI from ``<…>``, a full IRI, or a prefixed name such as ``id:locality/vn/03638``."""
    text = term.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    prefix, colon, rest = text.partition(":")
    if colon and prefix in PREFIXES and not rest.startswith("//"):
        text = PREFIXES[prefix] + rest
    if text in ("a",):
        text = PREFIXES["rdf"] + "type"
    try:
        return NamedNode(text)
    except ValueError as err:
        raise QueryError(f"{term!r} is not an IRI or a prefixed name (pkg:, id:, rdf: …)") from err


def citations(
    store, subject: NamedNode, predicate: NamedNode, obj: NamedNode | None = None
) -> list[Citation]:
    """The sentences supporting ``subject predicate obj`` (any object when ``obj`` is None)."""
    values = f"VALUES (?s ?p) {{ ({subject} {predicate}) }}"
    if obj is not None:
        values += f" VALUES ?o {{ {obj} }}"
    rows = store.query(_EVIDENCE.replace("VALUES_BLOCK", values))  # each branch binds its own
    return [
        _citation(r, r["subjectLabel"].value, r["objectLabel"].value if r["objectLabel"] else "")
        for r in rows
    ]


def implementation_citations(
    store, document: str, locality: str | None = None, org: str | None = None
) -> list[Citation]:
    """The sentences that say who implements ``document`` (saved query ``evidence``)."""
    from policykg.queries import get

    given = {"document": [document]} | {k: [v] for k, v in (("locality", locality), ("org", org)) if v}
    return [_citation(r, r["actor"].value, document) for r in store.query(get("evidence").prepare(given))]


def _citation(row, subject: str, obj: str) -> Citation:
    return Citation(
        subject,
        obj,
        row["sentence"].value,
        int(row["start"].value),
        int(row["end"].value),
        row["title"].value,
        row["date"].value,
        row["source"].value,
        row["articleId"].value,
    )


def format_citations(found: list[Citation], fact: str) -> str:
    """Each supporting sentence as a quotation with its source."""
    if not found:
        return f"no sentence in the store supports: {fact}\n"
    lines = [f"{fact}: {len(found)} supporting sentence(s)", ""]
    for c in found:
        where = " · ".join(
            x for x in (c.title, c.date, c.source or c.article, f"chars {c.start}–{c.end}") if x
        )
        lines += [f"“{c.sentence}”", f"    — {where}", ""]
    return "\n".join(lines)


def reference_origin(
    store, subject: NamedNode, predicate: NamedNode, obj: NamedNode | None = None
) -> str | None:
    """Where a fact that no sentence states comes from: the gazetteer or reference knowledge."""
    where = f"VALUES (?s ?p) {{ ({subject} {predicate}) }}" + (f" VALUES ?o {{ {obj} }}" if obj else "")
    ask = f"""PREFIX pkg: <https://w3id.org/policykg/ontology#>
    ASK {{ {where} ?s ?p ?o . }}"""
    if not bool(store.query(ask)):
        return None
    gazetteer = f"""PREFIX pkg: <https://w3id.org/policykg/ontology#>
    ASK {{ {where} ?s ?p ?o . FILTER(?p IN (pkg:successor, pkg:adminCode, pkg:adminLevel)
          || (?p = pkg:partOf && EXISTS {{ ?s pkg:partOfSource "gazetteer" }})) }}"""
    if bool(store.query(gazetteer)):
        return "from the official list of administrative units (data/gazetteer.json.gz), not from a sentence"
    return (
        "from policykg's reference knowledge of central documents (data/documents.json), not from a sentence"
    )
