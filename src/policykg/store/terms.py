"""RDF terms and query results, as the rest of policykg sees them.

They are pyoxigraph's classes today; modules outside ``policykg.store`` import them from here,
never from pyoxigraph, so that the store is the one place that knows which engine runs.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as _ox
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    Triple,
    Variable,
)

Term = NamedNode | BlankNode | Literal | Triple
QueryResult = QuerySolutions | QueryBoolean | QueryTriples
Bindings = Mapping[str, NamedNode | Literal]  # substitutions: a variable's name → the term it stands for



def parse_nquads(data: bytes) -> list[Quad]:
    """The quads of N-Quads text."""
    return list(_ox.parse(data, format=_ox.RdfFormat.N_QUADS))


def parse_ntriples(data: bytes) -> list[Triple]:
    """The triples of N-Triples text, in its order."""
    return [q.triple for q in _ox.parse(data, format=_ox.RdfFormat.N_TRIPLES)]


__all__ = [
    "Bindings",
    "BlankNode",
    "DefaultGraph",
    "Literal",
    "NamedNode",
    "Quad",
    "QueryBoolean",
    "QueryResult",
    "QuerySolution",
    "QuerySolutions",
    "QueryTriples",
    "Term",
    "Triple",
    "Variable",
    "parse_nquads",
    "parse_ntriples",
]
