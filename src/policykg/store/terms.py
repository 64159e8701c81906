"""RDF terms and query results, as the rest of policykg sees them.

They are pyoxigraph's classes today; modules outside ``policykg.store`` import them from here,
never from pyoxigraph, so that the store is the one place that knows which engine runs.
"""

from __future__ import annotations

from collections.abc import Mapping

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
]
