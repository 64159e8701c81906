"""Checking a graph against ``ontology/shapes.ttl`` with pySHACL, and a readable report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import rdflib
from rdflib.namespace import SH

from policykg.errors import InputError
from policykg.query.results import shorten_iri
from policykg.resources import shipped_dir

if TYPE_CHECKING:
    from policykg.store import Store


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    value: str
    message: str
    shape: str


@dataclass(frozen=True)
class Report:
    conforms: bool
    violations: tuple[Violation, ...]
    triples: int


def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(shipped_dir("ontology") / "shapes.ttl", format="turtle")


def load_file(path: Path) -> rdflib.Graph:
    """An RDF file in any format rdflib reads (chosen by its extension); datasets are merged."""
    fmt = rdflib.util.guess_format(str(path)) or "turtle"
    try:
        if fmt in ("trig", "nquads"):
            dataset = rdflib.Dataset()
            dataset.parse(path, format=fmt)
            graph = rdflib.Graph()
            for s, p, o, _g in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
            return graph
        return rdflib.Graph().parse(path, format=fmt)
    except Exception as err:
        raise InputError(f"{path}: cannot read it as {fmt} ({str(err).splitlines()[0][:200]})") from err


def validate(data: rdflib.Graph) -> Report:
    """Validate ``data`` (the union graph) against the shapes.

    No inference is needed: the graph states every class of a node (a Directive is also
    typed pkg:PartyDocument), so the ontology is not mixed in.
    """
    conforms, found = _violations(data, shapes_graph())
    violations = sorted((v for _, v in found), key=_order)
    return Report(conforms, tuple(violations), len(data))


# Validating a store: its nodes are checked in parts (the subjects of a batch of article graphs,
# a batch of entities, a batch of summary nodes), each read through the indexes with what its
# shapes look at beyond the nodes' own triples: the classes of the nodes they point to, the
# triple a statement describes, the statement of each implements fact, who implements a state
# document, the statements a summary counts. Only violations whose focus is in the part count:
# a node pulled in for its class is checked in its own part.
_PART_QUERIES = (
    "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?s { %s } ?s ?p ?o }",
    "CONSTRUCT { ?o a ?t } WHERE { VALUES ?s { %s } ?s ?p ?o . ?o a ?t }",
    "CONSTRUCT { ?x ?p ?y } WHERE { VALUES ?s { %s } ?s rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?y . ?x ?p ?y }",
    "CONSTRUCT { ?st rdf:subject ?s ; rdf:predicate pkg:implements ; rdf:object ?o ."
    " ?x pkg:implements ?s . ?st2 rdf:subject ?x ; rdf:predicate pkg:implements ; rdf:object ?s } WHERE {"
    " VALUES ?s { %s } { ?s pkg:implements ?o . ?st rdf:subject ?s ; rdf:predicate pkg:implements ; rdf:object ?o }"
    " UNION { ?x pkg:implements ?s OPTIONAL { ?st2 rdf:subject ?x ; rdf:predicate pkg:implements ; rdf:object ?s } } }",
    "CONSTRUCT { ?st rdf:subject ?a ; rdf:predicate pkg:implements ; rdf:object ?d ; prov:wasDerivedFrom ?g }"
    " WHERE { VALUES ?s { %s } ?s pkg:actor ?a ; pkg:document ?d ; pkg:inArticle ?g ."
    " ?st rdf:subject ?a ; rdf:predicate pkg:implements ; rdf:object ?d ; prov:wasDerivedFrom ?g }",
)
# pySHACL holds about 2 KB a triple: parts of about 150,000 triples
_ARTICLES_A_PART = 150  # an article graph holds about 900 triples
_NODES_A_PART = 2_000


def validate_store(
    store: Store, part_articles: int = _ARTICLES_A_PART, part_nodes: int = _NODES_A_PART
) -> Report:
    """Validate the store's union graph part by part, in bounded memory and in time linear in
    its size; the same report as ``validate`` on the whole graph."""
    from policykg.ingest import batched
    from policykg.store.summaries import SUMMARY_GRAPH_IRI
    from policykg.vocab import ENTITY_GRAPH_IRI

    shared = (ENTITY_GRAPH_IRI, SUMMARY_GRAPH_IRI)
    graphs = sorted(_column(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }") - set(shared))
    entities = _column(store, f"SELECT DISTINCT ?g WHERE {{ GRAPH <{ENTITY_GRAPH_IRI}> {{ ?g ?p ?o }} }}")
    summaries = _column(store, f"SELECT DISTINCT ?g WHERE {{ GRAPH <{SUMMARY_GRAPH_IRI}> {{ ?g ?p ?o }} }}")
    parts: list[set[str]] = []
    for batch in batched(graphs, part_articles):
        values = " ".join(f"<{g}>" for g in batch)
        local = _column(
            store, f"SELECT DISTINCT ?g WHERE {{ VALUES ?graph {{ {values} }} GRAPH ?graph {{ ?g ?p ?o }} }}"
        )
        parts.append(local - entities - summaries)
    for nodes in (sorted(entities), sorted(summaries - entities)):
        parts += [set(batch) for batch in batched(nodes, part_nodes)]
    shapes = shapes_graph()
    found: set[Violation] = set()
    triples = 0
    for focus in parts:
        if not focus:
            continue
        values = " ".join(f"<{node}>" for node in sorted(focus))
        graph = rdflib.Graph()
        for number, template in enumerate(_PART_QUERIES):
            part = _constructed(store, _PREFIXES + template % values)
            if number == 0:
                triples += len(part)
            graph += part
        found |= {v for node, v in _violations(graph, shapes)[1] if node in focus}
    violations = sorted(found, key=_order)
    return Report(not violations, tuple(violations), triples)


def _column(store: Store, sparql: str) -> set[str]:
    """The IRIs a one-column SELECT gives."""
    from policykg.store.terms import NamedNode, QuerySolutions

    result = store.query(sparql)
    if not isinstance(result, QuerySolutions):  # pragma: no cover - each is a SELECT
        raise TypeError(f"expected solutions, got {type(result).__name__}")
    return {term.value for row in result if isinstance(term := row[0], NamedNode)}


def _constructed(store: Store, sparql: str) -> rdflib.Graph:
    """The triples of a CONSTRUCT, as an rdflib graph."""
    from policykg.store.results import serialize_triples
    from policykg.store.terms import QueryTriples

    result = store.query(sparql)
    if not isinstance(result, QueryTriples):  # pragma: no cover - each is a CONSTRUCT
        raise TypeError(f"expected triples, got {type(result).__name__}")
    data = serialize_triples(result, "ntriples", {})
    return rdflib.Graph().parse(data=data, format="nt") if data else rdflib.Graph()


_PREFIXES = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
    "PREFIX pkg: <https://w3id.org/policykg/ontology#>\n"
)


def _order(v: Violation) -> tuple[str, str, str, str]:
    return (v.shape, v.focus, v.path, v.value)


def _violations(data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, list[tuple[str, Violation]]]:
    """Whether ``data`` conforms, and each result pySHACL finds in it with its focus node's IRI."""
    from pyshacl import validate as shacl_validate

    conforms, results, _text = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    found = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):

        def one(predicate: rdflib.term.Node, result: rdflib.term.Node = result) -> str:
            value = results.value(result, predicate)
            return "" if value is None else _short(value)

        focus = results.value(result, SH.focusNode)
        violation = Violation(
            one(SH.focusNode), one(SH.resultPath), one(SH.value), one(SH.resultMessage), one(SH.sourceShape)
        )
        found.append((str(focus), violation))
    return bool(conforms), found


def format_report(report: Report, limit: int = 50) -> str:
    """Summary by shape and message, then the first violations one per line."""
    if report.conforms:
        return f"conforms: {report.triples} triples checked against ontology/shapes.ttl, no violation\n"
    lines = [f"does not conform: {len(report.violations)} violation(s) in {report.triples} triples"]
    for (shape, message), count in Counter((v.shape, v.message) for v in report.violations).most_common():
        lines.append(f"  {count:5}  {shape}: {message}")
    lines.append("")
    for v in report.violations[:limit]:
        where = f" {v.path}" if v.path else ""
        value = f" = {v.value}" if v.value else ""
        lines.append(f"✗ {v.focus}{where}{value}: {v.message}")
    if len(report.violations) > limit:
        lines.append(f"… and {len(report.violations) - limit} more")
    return "\n".join(lines) + "\n"


def _short(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        if str(term).startswith("https://w3id.org/policykg/shapes#"):
            return str(term).split("#", 1)[1]
        return shorten_iri(str(term))
    if isinstance(term, rdflib.BNode):
        return "(property shape)"
    return str(term)
