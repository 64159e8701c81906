"""What policykg needs of a store: the one interface the ingest, query and service code use.

The embedded Oxigraph store (``policykg.store.oxigraph``) is its implementation today; a
store behind a SPARQL server can implement the same operations with the SPARQL 1.1 protocol
(reads as queries, each article's graph written as one graph replace).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from policykg.store.summaries import Contribution
from policykg.store.terms import Bindings, QueryResult


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query runs on when its caller names one (the SPARQL 1.1 Protocol's
    ``default-graph-uri`` and ``named-graph-uri``): it overrides the query's ``FROM`` clauses
    and the union default graph. A graph the store lacks is empty."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@runtime_checkable
class Store(Protocol):
    """Article graphs in, SPARQL results and serialisations out."""

    @property
    def location(self) -> str:
        """Where the store is, for messages (a folder, an address, ``memory``)."""
        ...

    # -- writing ----------------------------------------------------------------------------
    def add_articles(self, data: bytes, markers: bytes, contribution: Contribution | None = None) -> None:
        """Add the N-Quads of new articles, then their completion markers (content hashes) and
        the summaries: ``contribution`` is what the articles add to them (worked out from
        ``data`` when not given)."""
        ...

    def replace_graph(self, graph: str, nquads: bytes) -> None:
        """Replace the named graph ``graph`` with the N-Quads ``nquads``, all at once, and
        take out of the entity graph what only the old version supported."""
        ...

    def remove_graph(self, graph: str) -> bool:
        """Drop an article graph and the entity statements only it supported, all at once;
        False when it was not there."""
        ...

    def drop_unfinished(self) -> int:
        """Remove article graphs an interrupted run left without a completion marker; how many."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update in one transaction."""
        ...

    def flush(self) -> None:
        """Make what was written durable."""
        ...

    def publish_snapshot(self) -> Path | None:
        """Make a consistent copy of the store current for readers beside writers (None where
        there is nothing to copy: in memory, a remote server)."""
        ...

    def compact(self) -> None:
        """Reorganise storage after a large write (a no-op where it means nothing)."""
        ...

    def close(self) -> None:
        """Release the store (locks, connections)."""
        ...

    # -- reading ----------------------------------------------------------------------------
    def query(
        self, sparql: str, substitutions: Bindings | None = None, dataset: Dataset | None = None
    ) -> QueryResult:
        """Run a SPARQL query whose default graph is the union of all graphs (or on ``dataset``)."""
        ...

    def content_hash(self, graph: str) -> str | None:
        """The content hash recorded for an article graph, if it is in the store."""
        ...

    def export(self, fmt: str, with_ontology: bool = False, output: BinaryIO | None = None) -> bytes | None:
        """A sorted, stable serialisation: to ``output`` if given, else as bytes."""
        ...

    def stats(self) -> dict[str, int]:
        """Counts of articles, entities per class, implementations and quads."""
        ...

    def __len__(self) -> int:
        """The number of quads."""
        ...


def describe(path: Path | None) -> str:
    """``location`` of a store at ``path`` (None: in memory)."""
    return "memory" if path is None else str(path)
