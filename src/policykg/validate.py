"""Checking a graph against ``ontology/shapes.ttl`` with pySHACL, and a readable report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.namespace import SH

from policykg.errors import InputError
from policykg.output import shorten_iri
from policykg.resources import shipped_dir


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
    from pyshacl import validate as shacl_validate

    conforms, results, _text = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    violations = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):

        def one(predicate: rdflib.term.Node, result: rdflib.term.Node = result) -> str:
            value = results.value(result, predicate)
            return "" if value is None else _short(value)

        violations.append(
            Violation(
                one(SH.focusNode),
                one(SH.resultPath),
                one(SH.value),
                one(SH.resultMessage),
                one(SH.sourceShape),
            )
        )
    violations.sort(key=lambda v: (v.shape, v.focus, v.path, v.value))
    return Report(bool(conforms), tuple(violations), len(data))


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
