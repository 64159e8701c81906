"""Formatting query results: aligned tables for people, the standard formats for programs."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import BinaryIO

from policykg.errors import QueryError
from policykg.store.results import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    serialize_result,
    serialize_rows,
    serialize_triples,
    stream_result,
)
from policykg.store.terms import Literal, NamedNode, QueryBoolean, QuerySolution, QuerySolutions, QueryTriples
from policykg.text import collation_key
from policykg.vocab import PREFIXES, XSD_NS

TABLE_FORMATS = ("table", "markdown")
FORMATS = (*TABLE_FORMATS, *RESULT_FORMATS, *GRAPH_FORMATS)
DISPLAY_CAP = 1000  # rows printed in table/markdown unless --limit says otherwise
FOR_PEOPLE = TABLE_FORMATS  # formats a person reads: capped, and told when empty


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

    >>> shorten(NamedNode("https://w3id.org/policykg/ontology#Directive"))
    'pkg:Directive'
    """
    if isinstance(term, NamedNode):
        return shorten_iri(term.value)
    if isinstance(term, Literal):
        return term.value
    return "" if term is None else str(term)


def render(
    result: object,
    fmt: str,
    limit: int | None = None,
    sort: tuple[str, ...] = (),
    cap: int | None = None,
    explicit: bool = True,
    offset: int = 0,
    output: BinaryIO | None = None,
) -> Rendered:
    """Text of a query result in ``fmt``.

    SELECT results print as table, markdown or a SPARQL result format (json, xml, csv, tsv),
    ASK results in those or as ``true``/``false`` in a table; CONSTRUCT/DESCRIBE in an RDF
    format (turtle unless ``fmt`` was ``explicit``ly another). ``sort`` names columns to order
    in Vietnamese collation (numbers by value); ``cap`` bounds the rows a person is shown
    (table and markdown) and reports the rest; ``offset`` skips that many rows of the printed
    order (after ``sort``) first, so ``offset`` and ``limit`` page through the answer. A format
    that does not fit the query form is a ``QueryError``. With ``output``, a whole SELECT
    result in a machine format is written there as it is read (the text returned is empty).
    """
    if isinstance(result, QueryTriples):
        return _render_graph(result, fmt if fmt in GRAPH_FORMATS or explicit else "turtle")
    if fmt in GRAPH_FORMATS:
        raise QueryError(
            f"--format {fmt} is for CONSTRUCT and DESCRIBE; a {_form(result)} result prints as "
            f"{', '.join((*TABLE_FORMATS, *RESULT_FORMATS))}"
        )
    if isinstance(result, QueryBoolean):
        if fmt in RESULT_FORMATS:
            return Rendered(serialize_result(result, fmt).decode("utf-8") + "\n", fmt=fmt)
        return Rendered("true\n" if bool(result) else "false\n", fmt=fmt)
    if not isinstance(result, QuerySolutions):  # pragma: no cover - a store returns one of three
        raise QueryError(f"unexpected query result {type(result).__name__}")
    if fmt in RESULT_FORMATS and limit is None and not sort and not offset:
        if output is not None:
            stream_result(result, fmt, output)
            return Rendered("", fmt=fmt)
        return Rendered(serialize_result(result, fmt).decode("utf-8"), fmt=fmt)
    variables = [v.value for v in result.variables]
    shown = limit if fmt in RESULT_FORMATS or cap is None else min(cap, limit or cap)
    rows: list[QuerySolution] = []
    total = 0
    if sort:  # the page is taken from the whole answer in its printed order
        rows = sorted(result, key=lambda row: tuple(sort_key(row[c]) for c in sort if c in variables))
        rows = rows[offset:] if limit is None else rows[offset : offset + limit]
        total = len(rows)
        rows = rows[:shown] if shown is not None else rows
    else:
        for solution in itertools.islice(result, offset, None):
            if limit is not None and total >= limit:
                break
            total += 1
            if shown is None or len(rows) < shown:
                rows.append(solution)
    if fmt in RESULT_FORMATS:
        return Rendered(serialize_rows(variables, rows, fmt).decode("utf-8"), len(rows), fmt=fmt)
    cells = [[displayable(shorten(row[v])) for v in variables] for row in rows]
    text = markdown(variables, cells) if fmt == "markdown" else table(variables, cells)
    return Rendered(text, len(rows), total - len(rows), fmt)


def _render_graph(result: QueryTriples, fmt: str) -> Rendered:
    if fmt not in GRAPH_FORMATS:
        raise QueryError(
            f"--format {fmt} is for SELECT and ASK; a CONSTRUCT or DESCRIBE result prints as "
            f"{', '.join(GRAPH_FORMATS)}"
        )
    triples = sorted(result, key=str)
    return Rendered(serialize_triples(triples, fmt, PREFIXES).decode("utf-8"), len(triples), fmt=fmt)


def _form(result: object) -> str:
    return "ASK" if isinstance(result, QueryBoolean) else "SELECT"


def sort_key(term: object) -> tuple[int, float, tuple[object, ...]]:
    if isinstance(term, Literal) and term.datatype.value.startswith(XSD_NS) and _is_number(term.value):
        return (0, float(term.value), ())
    return (1, 0.0, collation_key(shorten(term)))


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def displayable(cell: str) -> str:
    r"""A cell as a person may see it: line breaks and control characters (an escape sequence, a
    bell) shown as escapes, so a cell never fakes a row or drives the terminal. Machine formats
    (CSV, JSON …) keep the data exactly.

    >>> print(displayable("two\nlines \x1b[31mred\x07"))
    two\nlines \x1b[31mred\x07
    """
    return _CONTROL.sub(lambda m: _SHOWN.get(m[0], f"\\x{ord(m[0]):02x}"), cell)


_SHOWN = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


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
