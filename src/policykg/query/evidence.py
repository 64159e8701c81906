"""The evidence behind a fact: the sentences, with the article each comes from, for citation.

A relation (``pkg:implements``, ``pkg:partOf`` …) is supported by its ``rdf:Statement`` nodes;
an achievement by its own phrase; what an entity is (its type, its labels) by its mentions.
"""

from __future__ import annotations

from dataclasses import dataclass

from policykg.errors import QueryError
from policykg.query.saved import internal
from policykg.store.protocol import Store
from policykg.store.terms import NamedNode, QuerySolution, QuerySolutions
from policykg.vocab import PREFIXES


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


# relations between entities, each stated by rdf:Statement nodes (never by a mention)
RELATIONS = frozenset(
    f"https://w3id.org/policykg/ontology#{name}"
    for name in ("implements", "locatedIn", "partOf", "memberOf", "subOrganizationOf", "continues")
)
_ACHIEVED_BY = "https://w3id.org/policykg/ontology#achievedBy"  # stated by the result's own phrase


def citations(
    store: Store,
    subject: NamedNode,
    predicate: NamedNode,
    obj: NamedNode | None = None,
    limit: int | None = None,
) -> list[Citation]:
    """The sentences supporting ``subject predicate obj`` (any object when ``obj`` is None); the
    first ``limit`` of them when given (the store stops looking there). A relation between two
    entities is read from its statements alone: searching an entity named in thousands of
    articles through its mentions, as for what it is, took minutes on a big store."""
    if obj is not None and predicate.value == _ACHIEVED_BY:
        query = internal("result-evidence")
    else:
        query = internal("statement-evidence" if obj is not None and predicate.value in RELATIONS else "fact-evidence")
    rows = _solutions(store.query(query.sparql, _fact(subject, predicate, obj)))
    found: dict[Citation, None] = {}  # one per sentence, whichever object it supports
    for row in rows:
        found.setdefault(_citation(row, row["subjectLabel"].value, row["objectLabel"].value if row["objectLabel"] else ""))
        if limit is not None and len(found) >= limit:
            break
    return list(found)


def implementation_citations(
    store: Store, document: str, locality: str | None = None, org: str | None = None
) -> list[Citation]:
    """The sentences that say who implements ``document`` (saved query ``evidence``)."""
    from policykg.query.saved import get

    given = {"document": [document]} | {k: [v] for k, v in (("locality", locality), ("org", org)) if v}
    return [
        _citation(r, r["actor"].value, document)
        for r in _solutions(store.query(get("evidence").prepare(given)))
    ]


def _solutions(result: object) -> QuerySolutions:
    if not isinstance(result, QuerySolutions):  # pragma: no cover - the queries are SELECTs
        raise ValueError(f"unexpected query result: {result!r}")
    return result


def _fact(subject: NamedNode, predicate: NamedNode, obj: NamedNode | None) -> dict[str, NamedNode]:
    """Substitutions for the ``?s ?p ?o`` of the internal fact queries (``?o`` free when None)."""
    return {"s": subject, "p": predicate} | ({"o": obj} if obj is not None else {})


def _citation(row: QuerySolution, subject: str, obj: str) -> Citation:
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
    store: Store, subject: NamedNode, predicate: NamedNode, obj: NamedNode | None = None
) -> str | None:
    """Where a fact that no sentence states comes from: the gazetteer or reference knowledge."""
    bindings = _fact(subject, predicate, obj)
    if not bool(store.query(internal("fact-stated").sparql, bindings)):
        return None
    if bool(store.query(internal("fact-from-gazetteer").sparql, bindings)):
        return "from the official list of administrative units (data/gazetteer.json.gz), not from a sentence"
    return (
        "from policykg's reference knowledge of central documents (data/documents.json), not from a sentence"
    )
