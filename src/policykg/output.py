"""Formatting query results: aligned tables, SPARQL 1.1 JSON/CSV/TSV, Turtle and N-Triples."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import pyoxigraph as ox

from policykg.errors import QueryError
from policykg.text import collation_key
from policykg.vocab import PREFIXES, XSD_NS

SELECT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}
FORMATS = ("table", "markdown", *SELECT_FORMATS, *GRAPH_FORMATS)


DISPLAY_CAP = 1000  # rows printed in table/markdown unless --limit says otherwise
FOR_PEOPLE = ("table", "markdown")  # formats a person reads: capped, and told when empty


@dataclass(frozen=True)
class Rendered:
    text: str
    rows: int | None = None
    omitted: int = 0  # rows left out by the display cap
    fmt: str = ""

    @property
    def notes(self) -> list[str]:
        """What to tell a person beside the result (on stderr): no rows, or rows left out."""
        notes = []
        if self.rows == 0 and self.fmt in FOR_PEOPLE:
            notes.append("(no rows: nothing in the store answers this)")
        if self.omitted:
            notes.append(
                f"({self.rows} rows shown, {self.omitted} more not printed: "
                "use --limit N, or --format csv to get them all)"
            )
        return notes


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))  # longest namespace wins


def shorten_iri(iri: str) -> str:
    """``pkg:Directive``, ``vn:03638``; ``<…>`` when no prefix fits.

    >>> shorten_iri("https://w3id.org/policykg/id/locality/vn/03638")
    'vn:03638'
    """
    for prefix, base in _BY_LENGTH:
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base) :]}"
    return f"<{iri}>"


def shorten(term: object) -> str:
    """Display form of an RDF term: prefixed IRIs, bare literal values.

    >>> shorten(ox.NamedNode("https://w3id.org/policykg/ontology#Directive"))
    'pkg:Directive'
    """
    if isinstance(term, ox.NamedNode):
        return shorten_iri(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return "" if term is None else str(term)


def render(
    result: object, fmt: str, limit: int | None = None, sort: tuple[str, ...] = (), cap: int | None = None
) -> Rendered:
    """Text of a query result in ``fmt``.

    SELECT results print as table, markdown, json, csv or tsv; CONSTRUCT/DESCRIBE as turtle
    or ntriples. ``sort`` names columns to order in Vietnamese collation (numbers by value);
    ``cap`` bounds the rows a person is shown (table and markdown) and reports the rest.
    """
    if isinstance(result, ox.QueryBoolean):
        return Rendered("true\n" if bool(result) else "false\n")
    if isinstance(result, ox.QueryTriples):
        graph_format = GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
        triples = sorted(result, key=str)
        data = ox.serialize(triples, format=graph_format, prefixes=PREFIXES) or b""
        return Rendered(data.decode("utf-8"), len(triples))
    if not isinstance(result, ox.QuerySolutions):  # pragma: no cover - pyoxigraph returns one of three
        raise QueryError(f"unexpected query result {type(result).__name__}")
    if fmt in SELECT_FORMATS and limit is None and not sort:
        out = io.BytesIO()
        result.serialize(out, SELECT_FORMATS[fmt])
        return Rendered(out.getvalue().decode("utf-8"))
    variables = [v.value for v in result.variables]
    shown = limit if fmt in SELECT_FORMATS or cap is None else min(cap, limit or cap)
    rows, total = [], 0
    for solution in result:
        if limit is not None and total >= limit:
            break
        total += 1
        if sort or shown is None or len(rows) < shown:
            rows.append(solution)
    if sort:
        rows.sort(key=lambda row: tuple(sort_key(row[c]) for c in sort if c in variables))
        rows = rows[:shown] if shown is not None else rows
    if fmt in SELECT_FORMATS:
        return Rendered(_serialize_rows(variables, rows, fmt), len(rows))
    cells = [[shorten(row[v]) for v in variables] for row in rows]
    text = markdown(variables, cells) if fmt == "markdown" else table(variables, cells)
    return Rendered(text, len(rows), total - len(rows), fmt)


def sort_key(term: object) -> tuple:
    if isinstance(term, ox.Literal) and term.datatype.value.startswith(XSD_NS) and _is_number(term.value):
        return (0, float(term.value), ())
    return (1, 0.0, collation_key(shorten(term)))


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _serialize_rows(variables: list[str], rows: list[ox.QuerySolution], fmt: str) -> str:
    """SPARQL 1.1 JSON, CSV or TSV of the first rows of a result (when ``--limit`` cuts it)."""
    if fmt == "json":
        bindings = []
        for row in rows:
            item = {}
            for v in variables:
                term = row[v]
                if isinstance(term, ox.NamedNode):
                    item[v] = {"type": "uri", "value": term.value}
                elif isinstance(term, ox.Literal):
                    item[v] = {"type": "literal", "value": term.value}
                    if term.language:
                        item[v]["xml:lang"] = term.language
                    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                        item[v]["datatype"] = term.datatype.value
            bindings.append(item)
        return (
            json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)
            + "\n"
        )
    sep = "," if fmt == "csv" else "\t"
    lines = [sep.join(variables if fmt == "csv" else [f"?{v}" for v in variables])]
    for row in rows:
        cells = []
        for v in variables:
            term = row[v]
            text = "" if term is None else (term.value if fmt == "csv" else str(term))
            if fmt == "csv" and any(ch in text for ch in ',"\n\r'):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(sep.join(cells))
    return "\r\n".join(lines) + "\r\n" if fmt == "csv" else "\n".join(lines) + "\n"


def table(header: list[str], rows: list[list[str]]) -> str:
    """An aligned plain-text table.

    >>> print(table(["a", "bb"], [["1", "2"]]), end="")
    a  bb
    -  --
    1  2
    """
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def markdown(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown table.

    >>> print(markdown(["a", "b"], [["x|y", "2"]]), end="")
    | a | b |
    | --- | --- |
    | x\\|y | 2 |
    """

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(cell, header)) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(map(cell, row)) + " |" for row in rows]
    return "\n".join(lines) + "\n"
