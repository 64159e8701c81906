"""Stores: the only package that opens pyoxigraph (or, later, talks to a SPARQL server).

``open_store(path)`` opens the embedded Oxigraph store at a folder; ``memory_store()`` an
in-memory one. Both implement :class:`Store`. RDF term and result classes are re-exported
from :mod:`policykg.store.terms`.

The Oxigraph implementation is imported on first use, so that modules low in the pipeline
(``vocab``, ``rdf``) can take term classes from here without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from policykg.store.protocol import Dataset, Store
from policykg.store.terms import (
    BlankNode,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResult,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    Term,
    Triple,
)

T = TypeVar("T")

if TYPE_CHECKING:
    from policykg.store.oxigraph import EXPORT_FORMATS, GraphStore, OxigraphStore

__all__ = [
    "EXPORT_FORMATS",
    "BlankNode",
    "Dataset",
    "GraphStore",
    "Literal",
    "NamedNode",
    "OxigraphStore",
    "Quad",
    "QueryBoolean",
    "QueryResult",
    "QuerySolution",
    "QuerySolutions",
    "QueryTriples",
    "Store",
    "Term",
    "Triple",
    "memory_store",
    "open_store",
    "read_retrying",
    "store_exists",
]


def open_store(path: Path, read_only: bool = False) -> Store:
    """The store at ``path``; read-only opens work beside a writer. Raises ``StoreError``."""
    from policykg.store.oxigraph import OxigraphStore

    return OxigraphStore.open(path, read_only=read_only)


def read_retrying(path: Path, operation: Callable[[Store], T]) -> T:
    """``operation`` on the store at ``path`` opened read-only, again if a writer beside it moved
    its files under the read (see :func:`policykg.store.oxigraph.read_retrying`)."""
    from policykg.store.oxigraph import read_retrying as retrying

    return retrying(path, operation)


def memory_store() -> Store:
    """An empty in-memory store (tests, evaluation)."""
    from policykg.store.oxigraph import OxigraphStore

    return OxigraphStore.memory()


def store_exists(path: Path) -> bool:
    """Whether ``path`` holds a store (one ``ingest`` has written)."""
    from policykg.store.oxigraph import OxigraphStore

    return OxigraphStore.exists(path)


def __getattr__(name: str) -> Any:
    if name in ("GraphStore", "OxigraphStore", "EXPORT_FORMATS"):
        from policykg.store import oxigraph

        return getattr(oxigraph, name)
    raise AttributeError(f"module 'policykg.store' has no attribute {name!r}")
