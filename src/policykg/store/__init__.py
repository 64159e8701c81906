"""Stores: the only package that opens pyoxigraph or talks to a SPARQL server.

A store's location is a folder (the embedded Oxigraph store) or an :class:`Endpoint` (a
store on a SPARQL server, :mod:`policykg.store.remote`); :func:`locate` reads one from what
``--store`` says. ``open_store(location)`` opens either, ``memory_store()`` an in-memory one;
all implement :class:`Store`. RDF term and result classes are re-exported from
:mod:`policykg.store.terms`.

The Oxigraph implementation is imported on first use, so that modules low in the pipeline
(``vocab``, ``rdf``) can take term classes from here without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from policykg.store.endpoint import Endpoint, is_url
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
Location = Path | Endpoint  # where a store is: a folder, or a SPARQL server

if TYPE_CHECKING:
    from policykg.store.oxigraph import EXPORT_FORMATS, GraphStore, OxigraphStore

__all__ = [
    "EXPORT_FORMATS",
    "BlankNode",
    "Dataset",
    "Endpoint",
    "GraphStore",
    "Literal",
    "Location",
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
    "locate",
    "memory_store",
    "open_store",
    "read_retrying",
    "store_exists",
]


def locate(text: str | Path) -> Location:
    """The location ``--store`` names: an ``http(s)://`` URL is a SPARQL server (its engine and
    timeout from the environment, see :class:`Endpoint`), anything else a folder."""
    if isinstance(text, str) and is_url(text):
        return Endpoint.parse(text)
    return Path(text)


def open_store(path: Location, read_only: bool = False) -> Store:
    """The store at ``path``; read-only opens work beside a writer. Raises ``StoreError``."""
    if isinstance(path, Endpoint):
        from policykg.store.remote import RemoteStore

        return RemoteStore.open(path, read_only=read_only)
    from policykg.store.oxigraph import OxigraphStore

    return OxigraphStore.open(path, read_only=read_only)


def read_retrying(path: Location, operation: Callable[[Store], T]) -> T:
    """``operation`` on the store at ``path`` opened read-only, again if a writer beside it moved
    its files under the read (see :func:`policykg.store.oxigraph.read_retrying`); a server's
    store is read once (a server's files do not move under a read)."""
    if isinstance(path, Endpoint):
        store = open_store(path, read_only=True)
        try:
            return operation(store)
        finally:
            store.close()
    from policykg.store.oxigraph import read_retrying as retrying

    return retrying(path, operation)


def memory_store() -> Store:
    """An empty in-memory store (tests, evaluation)."""
    from policykg.store.oxigraph import OxigraphStore

    return OxigraphStore.memory()


def store_exists(path: Location) -> bool:
    """Whether ``path`` holds a store (one ``ingest`` has written); a server is taken to hold
    one (asking costs a request: the first read says when it is not there)."""
    if isinstance(path, Endpoint):
        return True
    from policykg.store.oxigraph import OxigraphStore

    return OxigraphStore.exists(path)


def __getattr__(name: str) -> Any:
    if name in ("GraphStore", "OxigraphStore", "EXPORT_FORMATS"):
        from policykg.store import oxigraph

        return getattr(oxigraph, name)
    raise AttributeError(f"module 'policykg.store' has no attribute {name!r}")
