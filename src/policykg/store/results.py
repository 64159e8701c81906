"""Query results and graphs in the standard formats, by pyoxigraph's own serialisers.

SELECT and ASK results: SPARQL 1.1 JSON, XML, CSV and TSV; graphs (CONSTRUCT, DESCRIBE):
every RDF format Oxigraph writes. A cut or re-ordered list of rows (``--limit``, Vietnamese
sort) goes through the same serialisers: its rows are written as SPARQL TSV, which holds
every term exactly (blank nodes included), read back and serialised again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import BinaryIO

import pyoxigraph as ox

from policykg.store.terms import QueryBoolean, QuerySolution, QuerySolutions, Triple

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}


def serialize_result(result: QuerySolutions | QueryBoolean, fmt: str) -> bytes:
    """A whole SELECT or ASK result in ``fmt`` (json, xml, csv, tsv)."""
    return result.serialize(format=RESULT_FORMATS[fmt]) or b""


def stream_result(result: QuerySolutions, fmt: str, output: BinaryIO) -> None:
    """A whole SELECT result in ``fmt`` written to ``output`` as the store yields its rows, so
    an answer of any size is never held in memory."""
    result.serialize(output, format=RESULT_FORMATS[fmt])


def serialize_rows(variables: Sequence[str], rows: Iterable[QuerySolution], fmt: str) -> bytes:
    """Some rows of a SELECT result in ``fmt``, through the same serialisers as a whole result."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if row[v] is None else str(row[v]) for v in variables) for row in rows]
    again = ox.parse_query_results(
        ("\n".join(lines) + "\n").encode("utf-8"), format=ox.QueryResultsFormat.TSV
    )
    if not isinstance(again, QuerySolutions):  # pragma: no cover - TSV with a header is a SELECT
        raise ValueError(f"unexpected result: {again!r}")
    return serialize_result(again, fmt)


def serialize_triples(triples: Iterable[Triple], fmt: str, prefixes: Mapping[str, str]) -> bytes:
    """Triples in the RDF format ``fmt``; ``prefixes`` where the format has them."""
    return ox.serialize(triples, format=GRAPH_FORMATS[fmt], prefixes=dict(prefixes)) or b""


def read_ntriples(stream: BinaryIO) -> Iterator[Triple]:
    """The triples of an N-Triples stream, in its order, read as they come (bounded memory)."""
    for quad in ox.parse(input=stream, format=ox.RdfFormat.N_TRIPLES, without_named_graphs=True):
        yield quad.triple


def term_text(term: object) -> str:
    """The lexical form of an IRI or a literal as text; "" for an unbound variable."""
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return "" if term is None else str(term)


def text_rows(result: object, width: int) -> list[list[str]]:
    """The rows of a SELECT result as text, the first ``width`` variables of each."""
    if not isinstance(result, ox.QuerySolutions):  # pragma: no cover - the callers run SELECTs
        raise ValueError(f"expected the solutions of a SELECT, got {type(result).__name__}")
    return [[term_text(row[i]) for i in range(width)] for row in result]
