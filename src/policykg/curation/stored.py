"""Curation on a store, through the ``Store`` protocol (the embedded store and a SPARQL server alike).

:func:`apply` writes the curation graph and rewrites every article graph a decision touches
(or an earlier one touched) with ``Store.replace_graph``: one transaction per article, which
changes the entity statements and the summaries that article counts with it, so the saved
queries see the curated graph. :func:`raw_view` is the store as extracted, for ``--raw``.
:func:`check` refuses a decision about what the store does not hold, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from policykg.curation.apply import ARTICLE_NS, CURATION_GRAPH_IRI, curate, decision_quads, raw
from policykg.curation.decisions import Curation, CurationError, Decision
from policykg.store.protocol import Store
from policykg.store.terms import Literal, NamedNode, Quad, QueryBoolean, QuerySolutions
from policykg.vocab import ENTITY_GRAPH_IRI, PKG, PREFIXES, RDF

_RELATIONS = {"implements", "achievedBy", "continues", "locatedIn", "partOf", "memberOf", "subOrganizationOf", "issuedBy"}


def shorten(iri: str) -> str:
    """``vn:03638`` for the IRI of a place: how messages name what they are about.

    >>> shorten("https://w3id.org/policykg/id/locality/vn/03638")
    'vn:03638'
    """
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return f"<{iri}>"
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


# -- checking a decision against the store -----------------------------------------------------


def check(store: Store, decision: Decision, curation: Curation) -> None:
    """Raise ``CurationError`` (one line, saying what to do) if ``decision`` names what the
    curated store does not hold; nothing is written either way."""
    if decision.action == "merge":
        _check_merge(store, decision, curation)
    elif decision.action == "reject":
        _check_reject(store, decision)
    elif decision.action == "relabel":
        _entity_classes(store, decision.target, curation)
    elif decision.action == "set-parent":
        _check_parent(store, decision, curation)


def _check_merge(store: Store, decision: Decision, curation: Curation) -> None:
    kept, gone = decision.target, decision.value
    a, b = _entity_classes(store, kept, curation), _entity_classes(store, gone, curation)
    if not a & b:
        raise CurationError(
            f"{shorten(kept)} is a {_kinds(a)} and {shorten(gone)} a {_kinds(b)}: only the same kind of "
            "entity can be merged"
        )


def _check_reject(store: Store, decision: Decision) -> None:
    if not decision.predicate:
        node = NamedNode(decision.target)
        found = _ask(store, "ASK WHERE { GRAPH ?g { ?x a ?c } VALUES ?c { rdf:Statement pkg:Achievement } }", {"x": node})
        if not found:
            raise CurationError(
                f"no statement or achievement {shorten(decision.target)} in the store; name a fact by the "
                "statement IRI 'why' or a sample sheet shows, or as SUBJECT PREDICATE OBJECT"
            )
        return
    predicate = decision.predicate
    if not predicate.startswith(PREFIXES["pkg"]) or predicate[len(PREFIXES["pkg"]) :] not in _RELATIONS:
        raise CurationError(
            f"{shorten(predicate)} is not a relation the extraction states; reject one of "
            + ", ".join(f"pkg:{r}" for r in sorted(_RELATIONS))
        )
    terms = {"s": NamedNode(decision.target), "p": NamedNode(predicate), "o": NamedNode(decision.value)}
    sparql = f'ASK WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{ARTICLE_NS}")) }}'
    if not _ask(store, sparql, terms):
        raise CurationError(
            f"no article states {shorten(decision.target)} {shorten(predicate)} {shorten(decision.value)}; "
            "'policykg why SUBJECT PREDICATE' lists what it does state"
        )


def _check_parent(store: Store, decision: Decision, curation: Curation) -> None:
    place, parent = decision.target, decision.value
    for iri in (place, parent):
        if "Locality" not in _entity_classes(store, iri, curation):
            raise CurationError(f"{shorten(iri)} is not a place (pkg:Locality); set-parent takes two places")
    if place == parent or _ask(store, "ASK WHERE { ?parent pkg:partOf+ ?place }", {"place": NamedNode(place), "parent": NamedNode(parent)}):
        raise CurationError(f"{shorten(parent)} lies within {shorten(place)}: it cannot be its parent")


def _entity_classes(store: Store, iri: str, curation: Curation) -> set[str]:
    sparql = f"SELECT ?x ?c WHERE {{ GRAPH <{ENTITY_GRAPH_IRI}> {{ ?x a ?c }} }}"  # bound: projected
    classes = {row[1].value.rsplit("#", 1)[-1] for row in _rows(store, sparql, {"x": NamedNode(iri)})}
    if classes:
        return classes
    if iri in curation.merges:
        raise CurationError(f"{shorten(iri)} is merged into {shorten(curation.merges[iri])}; name that one")
    raise CurationError(
        f"no entity {shorten(iri)} in the store; give its IRI as 'policykg query run entities -p type …' "
        "or 'articles show' prints it"
    )


def _kinds(classes: set[str]) -> str:
    return "/".join(sorted(classes))


def decisions_about(store: Store, curation: Curation, *iris: str) -> list[Decision]:
    """The decisions naming any of ``iris``, and the rejected statements whose subject is one of
    them (read from what curation took out of the article graphs)."""
    found = curation.about(*iris)
    for d in curation.decisions:
        if d.action != "reject" or d.predicate or d in found:
            continue
        needles = " ".join(str(Literal(f"<{d.target}> <{RDF.subject.value}> <{iri}> .")) for iri in iris)
        sparql = (
            f"ASK {{ VALUES ?needle {{ {needles} }} GRAPH ?g {{ ?g <{PKG.extractedStatement.value}> ?line }} "
            "FILTER(CONTAINS(?line, ?needle)) }"
        )
        if _ask(store, sparql, {}):
            found.append(d)
    return found


# -- applying to what is stored ----------------------------------------------------------------


def apply(store: Store, curation: Curation) -> int:
    """Write the curation graph for ``curation`` and curate every stored article a decision
    touches, or an earlier one did (so a decision taken out of the file is undone); how many
    articles were rewritten. Each article is one transaction: a run stopped half-way leaves
    whole articles, some curated, and running it again finishes the job."""
    _write_decisions(store, curation)
    rewritten = 0
    for graph in _affected(store, curation):
        stored = _graph_quads(store, graph)
        curated = curate(stored, curation)
        mine = {str(q) for q in curated if q.graph_name == NamedNode(graph)}
        if mine == {str(q) for q in stored}:
            continue
        store.replace_graph(graph, "".join(f"{q} .\n" for q in curated).encode("utf-8"))
        rewritten += 1
    store.flush()
    return rewritten


def in_step(store: Store, curation: Curation) -> bool:
    """Whether the store's curation graph holds exactly the decisions of ``curation``."""
    wanted = {_line(q) for q in decision_quads(curation.decisions)}
    sparql = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{CURATION_GRAPH_IRI}> {{ ?s ?p ?o }} }}"
    held = {f"{r[0]} {r[1]} {r[2]} ." for r in _rows(store, sparql)}
    return wanted == held


def _write_decisions(store: Store, curation: Curation) -> None:
    if in_step(store, curation):
        return
    quads = decision_quads(curation.decisions)
    store.replace_graph(CURATION_GRAPH_IRI, "".join(f"{q} .\n" for q in quads).encode("utf-8"))


def _affected(store: Store, curation: Curation) -> list[str]:
    """The article graphs to curate again: those that name a decision's IRI (in their own quads
    or the entity statements they support) and those an earlier curation changed."""
    graphs = set(_column(store, _CURATED_BEFORE))
    terms = sorted(curation.terms())
    for start in range(0, len(terms), 200):
        part = terms[start : start + 200]
        values = " ".join(f"<{t}>" for t in part)
        needles = " ".join(str(Literal(f"<{t}>")) for t in part)
        graphs |= set(_column(store, _NAMING.replace("$VALUES", values).replace("$NEEDLES", needles)))
    return sorted(graphs)


_CURATED_BEFORE = f"""SELECT DISTINCT ?g WHERE {{
  GRAPH ?g {{ ?g ?diff ?line }} VALUES ?diff {{ <{PKG.extractedStatement.value}> <{PKG.curatedStatement.value}> }}
}}"""
# the IRIs are serialised terms (``<…>`` of IRIs checked as NamedNodes), never text pasted in
_NAMING = f"""SELECT DISTINCT ?g WHERE {{
  {{ VALUES ?x {{ $VALUES }} GRAPH ?g {{ ?x ?p ?o }} }}
  UNION {{ VALUES ?x {{ $VALUES }} GRAPH ?g {{ ?s ?p ?x }} }}
  UNION {{ VALUES ?needle {{ $NEEDLES }} GRAPH ?g {{ ?g <{PKG.entityStatement.value}> ?line }} FILTER(CONTAINS(?line, ?needle)) }}
  FILTER(STRSTARTS(STR(?g), "{ARTICLE_NS}"))
}}"""


def _graph_quads(store: Store, graph: str) -> list[Quad]:
    node = NamedNode(graph)
    sparql = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    return [Quad(r[1], r[2], r[3], node) for r in _rows(store, sparql, {"g": node})]


# -- the raw extraction ------------------------------------------------------------------------


def curated(store: Store) -> bool:
    """Whether curation changed any article of the store (else the raw view is the store)."""
    sparql = f"ASK {{ GRAPH ?g {{ ?g ?diff ?line }} VALUES ?diff {{ <{PKG.extractedStatement.value}> <{PKG.curatedStatement.value}> }} }}"
    return _ask(store, sparql, {})


def raw_view(store: Store) -> Store:
    """The store as extracted, before any curation: ``store`` itself when curation changed
    nothing, else an in-memory store of every article graph taken back (:func:`raw`), with the
    entity and summary graphs its articles make and no curation graph. It holds the whole
    store in memory, and takes about as long as reading it."""
    if not curated(store):
        return store
    from policykg.store import memory_store

    view = memory_store()
    data: list[str] = []
    markers: list[str] = []
    for graph, quads in _article_graphs(store):
        for q in raw(quads, NamedNode(graph)):
            (markers if q.predicate == PKG.contentHash else data).append(f"{q} .\n")
            if q.predicate == PKG.entityStatement and isinstance(q.object, Literal):
                data.append(q.object.value[:-1] + f"<{ENTITY_GRAPH_IRI}> .\n")
    view.add_articles("".join(data).encode("utf-8"), "".join(markers).encode("utf-8"))
    return view


def _article_graphs(store: Store) -> Iterator[tuple[str, list[Quad]]]:
    sparql = f'SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{ARTICLE_NS}")) }} ORDER BY ?g'
    current, held = "", list[Quad]()
    for row in _rows(store, sparql):
        graph = row[0].value
        if graph != current and held:
            yield current, held
            held = []
        current = graph
        held.append(Quad(row[1], row[2], row[3], row[0]))
    if held:
        yield current, held


# -- reading -----------------------------------------------------------------------------------


def _rows(store: Store, sparql: str, bindings: dict[str, NamedNode] | None = None) -> Iterator[list[Any]]:
    result = store.query(sparql, bindings or None)
    if not isinstance(result, QuerySolutions):  # pragma: no cover - these are SELECTs
        raise ValueError(f"unexpected query result: {result!r}")
    names = [v.value for v in result.variables]
    for solution in result:
        yield [solution[n] for n in names]


def _column(store: Store, sparql: str) -> list[str]:
    return [row[0].value for row in _rows(store, sparql)]


def _ask(store: Store, sparql: str, bindings: Mapping[str, NamedNode | Literal]) -> bool:
    result = store.query(sparql, bindings or None)
    return bool(result) if isinstance(result, QueryBoolean) else False


def _line(q: Quad) -> str:
    return f"{q.subject} {q.predicate} {q.object} ."


__all__ = ["apply", "check", "curated", "decisions_about", "in_step", "raw_view", "shorten"]
