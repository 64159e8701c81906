"""A store on a SPARQL server: the ``Store`` protocol over the SPARQL 1.1 Protocol (issue 18).

Reads are queries whose answers pyoxigraph's result parsers read, so rows are the very objects
the embedded store gives; the default graph is made the union of all graphs as the engine's
profile says (:mod:`policykg.store.endpoint`). Variables the library binds are written into the
text (:mod:`policykg.store.binding`), since the protocol has no substitutions.

Writes are SPARQL Updates, one request per write, built by the same functions as the embedded
store's (:mod:`policykg.store.updates`, :mod:`policykg.store.summaries`, whose reads go through
this store's ``select``). The Graph Store Protocol could PUT an article's graph in one request,
but a write also changes the entity graph (what only the old version stated goes) and the
summary graph, and a PUT per graph would be three requests, three transactions: a run stopped
between them would leave summaries that count a missing article. One Update request holding
the graph's replacement, the entity statements, the completion markers and the summary changes
is one transaction on Oxigraph's server (and on Fuseki's and GraphDB's), so a server killed
mid-ingest holds complete articles only, and the next run finishes the job.

A batch whose Update would be larger than a server takes (Oxigraph's limit is 128 MB) is sent
as the embedded bulk loader writes one: its data in parts, then one request with the markers
and the summaries; an article counts as stored once its marker is, and ``drop_unfinished``
removes what a stopped run left unmarked.

The store has one writer at a time, as the embedded store has: the summary changes are worked
out from what the server holds just before the write.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from policykg.errors import QueryError, StoreError
from policykg.kinds import ENTITY_CLASSES
from policykg.store import summaries
from policykg.store.binding import bind
from policykg.store.client import Answer, Client, Params
from policykg.store.endpoint import Endpoint
from policykg.store.oxigraph import write_export
from policykg.store.protocol import Dataset
from policykg.store.terms import Bindings, QueryResult
from policykg.store.updates import (
    canonical,
    entity_data,
    insert_data,
    line,
    names_dataset,
    operations,
    prologue,
    removal,
    then,
)
from policykg.vocab import ENTITY_GRAPH_IRI, PKG_NS, PREFIXES, RDF_NS

ARTICLE_NS = PREFIXES["article"]
MAX_UPDATE_CHARS = 32_000_000  # one Update request (at most 96 MB of UTF-8); Oxigraph's server takes 128 MB
PART_CHARS = 8_000_000  # a part of a batch too large for one request
_QUERY_TYPE = "application/sparql-query"
_UPDATE_TYPE = "application/sparql-update"
_FORM_TYPE = "application/x-www-form-urlencoded"
_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
# SELECT and ASK answers as JSON, graphs as N-Triples; the server picks by the query's form
_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.9, text/turtle;q=0.8"
)
_HASH, _STATEMENT = f"<{PKG_NS}contentHash>", f"<{PKG_NS}entityStatement>"


class RemoteStore:
    """A policykg store held by a SPARQL server."""

    def __init__(self, endpoint: Endpoint, writing: bool = False) -> None:
        self.endpoint = endpoint
        self._client = Client(endpoint, writing)
        self._engine = endpoint.profile

    @classmethod
    def open(cls, endpoint: Endpoint, read_only: bool = False) -> RemoteStore:
        """The store at ``endpoint``. Opened for writing, an empty Update is sent first, so that
        a server that is down, read-only or refuses the credentials says so before any work."""
        store = cls(endpoint, writing=not read_only)
        if not read_only:  # sent as a read would be: it writes nothing, so a failure has nothing to finish
            answer = store._post(store._engine.update, "update", "INSERT DATA { }", (), None, write=False)
            if not answer.ok:
                raise store._client.refused(answer, "write")
        return store

    @property
    def location(self) -> str:
        return self.endpoint.url

    # -- talking to the server ------------------------------------------------------------------
    def _post(
        self, path: str, field: str, text: str, params: Params, accept: str | None, write: bool
    ) -> Answer:
        """``text`` (a query or an update) POSTed to ``path``: as the body, or as a form field."""
        if self._engine.form:
            import urllib.parse

            body = urllib.parse.urlencode([(field, text), *params]).encode("utf-8")
            return self._client.send("POST", path, (), body, _FORM_TYPE, accept, write)
        kind = _UPDATE_TYPE if field == "update" else _QUERY_TYPE
        return self._client.send(
            "POST", path, params, text.encode("utf-8"), kind + "; charset=utf-8", accept, write
        )

    def _read(self, sparql: str, params: Params = (), doing: str = "read") -> QueryResult:
        answer = self._post(self._engine.query, "query", sparql, params, _ACCEPT, write=False)
        if not answer.ok:
            raise self._client.refused(answer, doing)
        return self._result(answer)

    def write_update(self, sparql: str, doing: str = "write") -> None:
        """One SPARQL Update request: one transaction on the server."""
        answer = self._post(self._engine.update, "update", sparql, (), None, write=True)
        if not answer.ok:
            raise self._client.refused(answer, doing, size=len(sparql))

    def _result(self, answer: Answer) -> QueryResult:
        """The answer as pyoxigraph's result objects: solutions, a boolean, or triples."""
        media = answer.media_type
        try:
            if media in _RESULTS:
                return ox.parse_query_results(answer.body, format=_RESULTS[media])
            graph_format = ox.RdfFormat.from_media_type(media) if media else None
            if graph_format is None:
                raise StoreError(
                    f"the SPARQL server at {self.location} answered {media or 'without a content type'}, "
                    "not SPARQL results: is --store the URL of a SPARQL endpoint?"
                )
            # a graph's triples as the embedded store gives them: pyoxigraph makes QueryTriples
            # only as a query's answer, so the triples are loaded in memory and read back
            graph = ox.Store()
            graph.load(answer.body, format=graph_format)
            return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
        except SyntaxError as err:
            raise StoreError(
                f"the SPARQL server at {self.location} sent an answer that cannot be read: {err}"
            ) from err

    def _rows(self, sparql: str) -> ox.QuerySolutions:
        result = self._read(sparql)
        if not isinstance(result, ox.QuerySolutions):  # pragma: no cover - the library's SELECTs
            raise StoreError(
                f"the SPARQL server at {self.location} answered a SELECT with {type(result).__name__}"
            )
        return result

    def select(self, sparql: str) -> Iterator[summaries.Row]:
        """SELECT rows for :mod:`summaries` (its queries name their graphs)."""
        result = self._rows(sparql)
        names = [v.value for v in result.variables]
        for solution in result:
            yield dict(zip(names, solution, strict=True))

    def _everywhere(self, pattern: str) -> str:
        """``pattern`` in every graph: the named ones, and the default graph where it is apart."""
        named = f"GRAPH ?g {{ {pattern} }}"
        return named if self._engine.default_is_union else f"{{ {named} }} UNION {{ {pattern} }}"

    # -- writing ----------------------------------------------------------------------------------
    def add_articles(
        self, data: bytes, markers: bytes, contribution: summaries.Contribution | None = None
    ) -> None:
        """Add new articles with their completion markers and their summaries: one Update
        request (one transaction) when it is not too large, else the data in parts and then
        the markers and summaries together (see the module's note)."""
        try:
            quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
            marks = list(ox.parse(markers, format=ox.RdfFormat.N_QUADS))
        except SyntaxError as err:
            raise StoreError(
                f"writing a batch of articles failed; it is not marked as stored: {err}"
            ) from err
        if contribution is None:
            contribution = summaries.contribution(quads)
        deleted, inserted = summaries.change(self.select, summaries.Contribution(), contribution)
        tail = (insert_data(marks), summaries.data("DELETE", deleted), summaries.data("INSERT", inserted))
        whole = operations(insert_data(quads), *tail)
        if len(whole) <= MAX_UPDATE_CHARS:
            self.write_update(whole)
            return
        for part in _parts(quads):
            self.write_update(insert_data(part))  # unmarked until the last request
        self.write_update(operations(*tail))

    def replace_graph(self, graph: str, nquads: bytes) -> None:
        """Replace an article's graph, what only its old version stated and the summaries both
        versions count, in one Update request."""
        quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        kept = {
            q.object.value
            for q in quads
            if q.predicate.value == _STATEMENT[1:-1] and isinstance(q.object, ox.Literal)
        }
        deleted, inserted = self._summary_change([graph], summaries.contribution(quads))
        self.write_update(
            operations(
                summaries.data("DELETE", deleted),
                self._forget(graph, kept),
                f"DROP SILENT GRAPH {_iri(graph)}",
                insert_data(quads),
                summaries.data("INSERT", inserted),
            )
        )

    def remove_graph(self, graph: str) -> bool:
        """Drop an article's graph and what only it supported, in one Update request; False
        when it is not there."""
        if not self._ask(f"ASK {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}"):
            return False
        deleted, inserted = self._summary_change([graph], summaries.Contribution())
        self.write_update(removal(graph, self._forget(graph), deleted, inserted))
        return True

    def drop_unfinished(self) -> int:
        """Remove article graphs without a completion marker (left by a run stopped between the
        parts of a batch too large for one request); how many. The entity graph is rebuilt from
        what the finished articles support, in the request that drops them."""
        unfinished = [
            row["g"].value
            for row in self.select(
                f'SELECT ?g WHERE {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), "{ARTICLE_NS}")) '
                f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?article {_HASH} ?hash }} }} }}"
            )
            if row["g"] is not None
        ]
        if not unfinished:
            return 0
        supported = canonical(
            row["line"].value
            for row in self.select(
                f"SELECT DISTINCT ?line WHERE {{ GRAPH ?g {{ ?a {_STATEMENT} ?line }} "
                f"FILTER EXISTS {{ GRAPH ?g {{ ?article {_HASH} ?hash }} }} }}"
            )
            if row["line"] is not None
        )
        stated = {
            line(ox.Triple(row["s"], row["p"], row["o"]))  # type: ignore[arg-type]
            for row in self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ENTITY_GRAPH_IRI}> {{ ?s ?p ?o }} }}")
        }
        self.write_update(
            operations(
                entity_data("DELETE", stated - supported),
                *(f"DROP SILENT GRAPH {_iri(graph)}" for graph in unfinished),
                entity_data("INSERT", supported - stated),
            )
        )
        return len(unfinished)

    def _summary_change(
        self, leaving: list[str], entering: summaries.Contribution
    ) -> tuple[set[str], set[str]]:
        """The summary statements to delete and insert when the stored graphs ``leaving`` go and
        the articles of ``entering`` come (the embedded store's rule, read over the protocol)."""
        stored = (quad for graph in leaving for quad in self._graph(graph))
        return summaries.change(self.select, summaries.contribution(stored), entering)

    def _graph(self, graph: str) -> Iterator[ox.Quad]:
        node = ox.NamedNode(graph)
        for row in self._rows(f"SELECT ?s ?p ?o WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}"):
            yield ox.Quad(row["s"], row["p"], row["o"], node)

    def _forget(self, graph: str, kept: frozenset[str] | set[str] = frozenset()) -> str:
        """``DELETE DATA`` of the entity-graph statements no article graph but ``graph`` supports,
        but for those the new version ``kept`` supports."""
        node = _iri(graph)
        lost = [
            row["line"].value
            for row in self.select(
                f"SELECT DISTINCT ?line WHERE {{ GRAPH {node} {{ {node} {_STATEMENT} ?line }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?a {_STATEMENT} ?line }} FILTER(?other != {node}) }} }}"
            )
            if isinstance(row["line"], ox.Literal) and row["line"].value not in kept
        ]
        return entity_data("DELETE", canonical(lost))

    def update(self, sparql: str) -> None:
        """A user's SPARQL Update and the summaries built afresh from what it leaves, in one
        request (``policykg update``); the embedded store's default prefixes are declared for it."""
        text = prologue(sparql, PREFIXES) + sparql
        try:
            self.write_update(then(text, *summaries.rebuilt()), doing="update")
        except QueryError:
            # as in the embedded store: a text that parses alone but not followed by more (empty,
            # or declarations only) runs alone, the rebuild after it; a malformed one fails again
            self.write_update(text, doing="update")
            self.write_update(operations(*summaries.rebuilt()))

    def flush(self) -> None:
        """Nothing to do: the server made each write durable when it answered."""

    def publish_snapshot(self) -> Path | None:
        return None  # the server serves its own store; there is no folder to copy

    def compact(self) -> None:
        """Nothing to do: the server looks after its own storage."""

    def close(self) -> None:
        self._client.close_all()

    # -- reading ----------------------------------------------------------------------------------
    def query(
        self, sparql: str, substitutions: Bindings | None = None, dataset: Dataset | None = None
    ) -> QueryResult:
        """Run a query on the union of all graphs, or on the dataset its ``FROM`` clauses or
        ``dataset`` name, as the embedded store does."""
        text = (
            bind(sparql, {name: str(term) for name, term in substitutions.items()})
            if substitutions
            else sparql
        )
        params: list[tuple[str, str]] = []
        if dataset is not None:
            params += [("default-graph-uri", g) for g in dataset.default_graphs]
            params += [("named-graph-uri", g) for g in dataset.named_graphs]
        elif not names_dataset(text):
            params += self._engine.union
        return self._read(prologue(text, PREFIXES) + text, params, doing="query")

    def _ask(self, sparql: str) -> bool:
        return bool(self._read(sparql))

    def content_hash(self, graph: str) -> str | None:
        node = ox.NamedNode(graph)
        for row in self._rows(f"SELECT ?hash WHERE {{ GRAPH {node} {{ {node} {_HASH} ?hash }} }}"):
            if isinstance(row["hash"], ox.Literal):
                return row["hash"].value
        return None

    def export(self, fmt: str, with_ontology: bool = False, output: BinaryIO | None = None) -> bytes | None:
        """The same sorted, stable serialisation as the embedded store's (the same function
        writes it), from every quad read as the server sends it."""
        return write_export(self._quads(), fmt, with_ontology, output)

    def _quads(self) -> Iterator[ox.Quad]:
        """Every quad, streamed as SPARQL TSV (compact, and each term exact)."""
        sparql = f"SELECT ?s ?p ?o ?g WHERE {{ {self._everywhere('?s ?p ?o')} }}"
        body, kind = sparql.encode("utf-8"), _QUERY_TYPE + "; charset=utf-8"
        params: Params = ()
        if self._engine.form:
            import urllib.parse

            body, kind = urllib.parse.urlencode([("query", sparql)]).encode("utf-8"), _FORM_TYPE
        accept = "text/tab-separated-values, application/sparql-results+json;q=0.5"
        with self._client.stream("POST", self._engine.query, params, body, kind, accept) as (media, answer):
            try:
                rows = ox.parse_query_results(answer, format=_RESULTS.get(media, ox.QueryResultsFormat.TSV))
                if not isinstance(rows, ox.QuerySolutions):  # pragma: no cover - the answer of a SELECT
                    raise StoreError(f"the SPARQL server at {self.location} answered a SELECT with a boolean")
                for row in rows:
                    graph = row["g"]
                    yield ox.Quad(
                        row["s"], row["p"], row["o"], graph if graph is not None else ox.DefaultGraph()
                    )
            except (OSError, SyntaxError, ValueError) as err:
                raise StoreError(self._client.failure(err, False)) from None

    def stats(self) -> dict[str, int]:
        """Counts of articles, entities per class, implementations and quads."""
        classes = ("Article", *ENTITY_CLASSES)
        values = " ".join(f"<{PKG_NS}{c}>" for c in classes)
        counted = {
            row["c"].value: int(row["n"].value)
            for row in self.select(
                f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} "
                f"{self._everywhere(f'?s <{RDF_NS}type> ?c')} }} GROUP BY ?c"
            )
            if row["c"] is not None and row["n"] is not None
        }
        counts = {c: counted.get(f"{PKG_NS}{c}", 0) for c in classes}
        counts["implements"] = self._count(
            f"SELECT DISTINCT ?s ?o WHERE {{ {self._everywhere(f'?s <{PKG_NS}implements> ?o')} }}"
        )
        counts["quads"] = len(self)
        return counts

    def _count(self, select: str) -> int:
        rows = list(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {select} }} }}"))
        value = rows[0]["n"] if rows else None
        return int(value.value) if value is not None else 0

    def __len__(self) -> int:
        return self._count(f"SELECT * WHERE {{ {self._everywhere('?s ?p ?o')} }}")


def _iri(graph: str) -> str:
    """A graph's IRI in SPARQL text, checked (pyoxigraph refuses what is not an IRI)."""
    return str(ox.NamedNode(graph))


def _parts(quads: list[ox.Quad]) -> Iterable[list[ox.Quad]]:
    """``quads`` in lists of about ``PART_CHARS`` of Update text each."""
    part: list[ox.Quad] = []
    size = 0
    for quad in quads:
        part.append(quad)
        size += len(str(quad)) + 8
        if size >= PART_CHARS:
            yield part
            part, size = [], 0
    if part:
        yield part
