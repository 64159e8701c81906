"""Checking a graph against ``ontology/shapes.ttl`` with pySHACL, and a readable report."""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import rdflib
from rdflib.namespace import SH

from policykg.errors import InputError
from policykg.output import shorten_iri
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


# Validating a store: its nodes are cut into parts by the MD5 of their IRI, and each part is
# checked with what its shapes look at beyond the node's own triples (the classes of the nodes
# it points to, the triple a statement describes, the statement of each implements fact, the
# statements a summary counts, who implements a state document). Only violations whose focus
# is in the part count: a node pulled in for its class is checked in its own part.
_IN_PART = 'SUBSTR(MD5(STR(?{var})), 1, 2) >= "{low}" && SUBSTR(MD5(STR(?{var})), 1, 2) < "{high}"'
_PART_QUERIES = (
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER({s}) }}",
    "CONSTRUCT {{ ?o a ?t }} WHERE {{ ?s ?p ?o FILTER(isIRI(?o) && {s}) ?o a ?t }}",
    "CONSTRUCT {{ ?x ?p ?y }} WHERE {{ ?s rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?y FILTER({s}) ?x ?p ?y }}",
    "CONSTRUCT {{ ?st rdf:subject ?s ; rdf:predicate pkg:implements ; rdf:object ?o }} WHERE {{"
    " ?s pkg:implements ?o FILTER({s} || {o}) ?st rdf:subject ?s ; rdf:predicate pkg:implements ; rdf:object ?o }}",
    "CONSTRUCT {{ ?s pkg:implements ?o }} WHERE {{ ?s pkg:implements ?o FILTER({o}) }}",
    "CONSTRUCT {{ ?st rdf:subject ?a ; rdf:predicate pkg:implements ; rdf:object ?d ; prov:wasDerivedFrom ?g }}"
    " WHERE {{ ?s pkg:actor ?a ; pkg:document ?d ; pkg:inArticle ?g FILTER({s})"
    " ?st rdf:subject ?a ; rdf:predicate pkg:implements ; rdf:object ?d ; prov:wasDerivedFrom ?g }}",
)
PART_TRIPLES = 150_000  # about this many triples a part: pySHACL holds ~2 KB a triple


def validate_store(store: Store, parts: int | None = None) -> Report:
    """Validate the store's union graph part by part, in bounded memory; the same report as
    ``validate`` on the whole graph."""
    from policykg.store.results import serialize_triples
    from policykg.store.terms import QueryTriples

    parts = parts or max(1, min(256, -(-len(store) // PART_TRIPLES)))
    bounds = [f"{256 * k // parts:02x}" for k in range(parts)] + ["g"]  # "g" sorts after "ff"
    shapes = shapes_graph()
    violations: list[Violation] = []
    conforms, triples = True, 0
    for low, high in itertools.pairwise(bounds):
        within = {var: _IN_PART.format(var=var, low=low, high=high) for var in ("s", "o")}
        graph = rdflib.Graph()
        for number, template in enumerate(_PART_QUERIES):
            result = store.query(_PREFIXES + template.format(**within))
            if not isinstance(result, QueryTriples):  # pragma: no cover - each is a CONSTRUCT
                raise TypeError(f"expected triples, got {type(result).__name__}")
            data = serialize_triples(result, "ntriples", {})
            part = rdflib.Graph().parse(data=data, format="nt") if data else rdflib.Graph()
            if number == 0:
                triples += len(part)
            graph += part
        _, found = _violations(graph, shapes)
        mine = [v for focus, v in found if low <= hashlib.md5(focus.encode("utf-8")).hexdigest()[:2] < high]
        conforms = conforms and not mine
        violations += mine
    violations.sort(key=_order)
    return Report(conforms, tuple(violations), triples)


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
