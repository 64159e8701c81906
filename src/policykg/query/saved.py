"""Saved queries: ``.rq`` files that start with a ``#+`` YAML header.

The header gives a summary, a description, the parameters (name, kind, required or default,
example), tags and the columns to sort in Vietnamese order; the rest is plain SPARQL with its
own PREFIX lines. Parameters are normalised by kind into RDF terms and bound in a ``VALUES``
block; the text a user typed is never pasted into the query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from policykg.errors import QueryError
from policykg.query.lexer import uses_variable, where_groups
from policykg.query.params import to_term
from policykg.resources import internal_query, shipped_dir

PARAM_KINDS = {"document", "locality", "org", "person", "year", "string", "text", "int", "iri", "type"}


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    required: bool = True
    default: str | None = None
    example: str | None = None


PLOT_KINDS = ("line", "bar")


@dataclass(frozen=True)
class PlotSpec:
    """How ``policykg plot`` draws a query's rows (the header's ``plot:``): the column along
    the x axis, the numeric column to draw, a column whose values are one line or bar each."""

    x: str | None = None
    y: str | None = None
    series: str | None = None
    kind: str | None = None  # line or bar; by default line for years and months, else bar


@dataclass(frozen=True)
class SavedQuery:
    name: str
    summary: str
    description: str
    params: tuple[Param, ...]
    tags: tuple[str, ...]
    sparql: str
    source: str
    sort: tuple[str, ...] = ()
    plot: PlotSpec | None = None

    def terms(self, given: dict[str, list[str]]) -> dict[str, list[object]]:
        """Validated, normalised RDF terms for each parameter (a repeated parameter gives several)."""
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {unknown[0]!r}; "
                f"its parameters: {', '.join(declared) or 'none'}"
            )
        out: dict[str, list[object]] = {}
        for param in self.params:
            values = given.get(param.name) or ([param.default] if param.default is not None else [])
            if not values:
                if param.required:
                    raise QueryError(
                        f"query {self.name!r} needs -p {param.name} VALUE "
                        f"(e.g. -p {param.name} {param.example or '…'})"
                    )
                continue
            # "05-CT/TW, 03-CT/TW" names two documents: split, never answer for the first alone
            split = [part for value in values for part in _list_items(param.kind, value)]
            out[param.name] = list(dict.fromkeys(to_term(param.kind, value) for value in split))
        return out

    def prepare(self, given: dict[str, list[str]]) -> str:
        """The SPARQL to run, with each parameter bound by a ``VALUES`` block at the top of WHERE.

        The values are RDF terms built by :func:`policykg.query.params.to_term` and serialised by
        pyoxigraph (escaped), never the raw text a user typed. Binding at the top of the
        WHERE group (rather than with ``substitutions=``) lets a parameter appear in filters
        and aggregates without being projected.
        """
        return self.bind(self.terms(given))

    def bind(self, terms: Mapping[str, Sequence[object]]) -> str:
        """The SPARQL with ``terms`` (RDF terms by parameter name) bound in ``VALUES`` blocks.

        Groups are found by :mod:`policykg.query.lexer`, so a brace or ``WHERE`` inside a string or a
        comment is text, not syntax.
        """
        groups = where_groups(self.sparql)
        if not groups:
            raise QueryError(f"{self.name}.rq: no WHERE {{ … }} to bind parameters in")
        sparql = self.sparql
        # every WHERE group (the query's and its subqueries') that uses a parameter binds it:
        # a subquery is evaluated on its own, so a binding outside would not reach it
        for group in reversed(groups):
            inner = [(g.open, g.end) for g in groups if group.open < g.open and g.end <= group.end]
            own = " ".join(self.sparql[a:b] for a, b in _gaps(group.open, group.end, inner))
            blocks = "".join(
                f"\n  VALUES ?{name} {{ {' '.join(str(t) for t in values)} }}"
                for name, values in terms.items()
                if uses_variable(own, name)
            )
            at = group.open + 1
            sparql = sparql[:at] + blocks + sparql[at:]
        return sparql


def _list_items(kind: str, value: str) -> list[str]:
    """A value that lists several (``"05-CT/TW, 03-CT/TW"``) as its items, for the kinds whose
    values never hold a comma or a semicolon (documents, years, numbers)."""
    if kind not in ("document", "year", "int") or not re.search(r"[,;]", value):
        return [value]
    return [item.strip() for item in re.split(r"[,;]", value) if item.strip()]


def _gaps(start: int, end: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``[start, end)`` outside the (possibly nested) ``holes``.

    >>> _gaps(0, 10, [(2, 8), (3, 5)])
    [(0, 2), (8, 10)]
    """
    parts, pos = [], start
    for a, b in sorted(holes):
        if a >= pos:
            parts.append((pos, a))
            pos = b
        else:
            pos = max(pos, b)
    return [*parts, (pos, end)]


def queries_dir() -> Path:
    """Where the saved queries live."""
    return shipped_dir("queries")


def parse(text: str, name: str, source: str = "") -> SavedQuery:
    """A saved query from the text of its ``.rq`` file."""
    header = [line[2:].removeprefix(" ") for line in text.splitlines() if line.startswith("#+")]
    if not header:
        raise QueryError(f"{name}.rq has no '#+' header")
    try:
        meta = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as err:
        raise QueryError(f"{name}.rq: the '#+' header is not valid YAML ({err})") from err
    if not isinstance(meta, dict) or not meta.get("summary"):
        raise QueryError(f"{name}.rq: the header needs a summary")
    params = []
    for item in meta.get("params") or []:
        if item.get("kind") not in PARAM_KINDS:
            raise QueryError(
                f"{name}.rq: parameter {item.get('name')!r} has unknown kind {item.get('kind')!r}"
            )
        params.append(
            Param(
                str(item["name"]),
                item["kind"],
                bool(item.get("required", "default" not in item)),
                None if item.get("default") is None else str(item["default"]),
                None if item.get("example") is None else str(item["example"]),
            )
        )
    sparql = "\n".join(line for line in text.splitlines() if not line.startswith("#+"))
    plot = _plot_spec(meta.get("plot"), name)
    return SavedQuery(
        name,
        str(meta["summary"]).strip(),
        str(meta.get("description") or "").strip(),
        tuple(params),
        tuple(meta.get("tags") or ()),
        sparql.strip() + "\n",
        text,
        tuple(str(c) for c in meta.get("sort") or ()),
        plot,
    )


def _plot_spec(value: object, name: str) -> PlotSpec | None:
    """The header's ``plot: {x: …, y: …, series: …, kind: line|bar}``, checked."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"x", "y", "series", "kind"}:
        raise QueryError(f"{name}.rq: 'plot' takes x, y, series and kind, e.g. {{x: year, y: articles}}")
    if value.get("kind") not in (None, *PLOT_KINDS):
        raise QueryError(f"{name}.rq: plot kind {value['kind']!r} is not one of {', '.join(PLOT_KINDS)}")
    fields = {key: None if value.get(key) is None else str(value[key]) for key in ("x", "y", "series", "kind")}
    return PlotSpec(**fields)


@cache
def registry() -> dict[str, SavedQuery]:
    """All saved queries by name."""
    folder = queries_dir()
    return {p.stem: parse(p.read_text(encoding="utf-8"), p.stem) for p in sorted(folder.glob("*.rq"))}


@cache
def internal(name: str) -> SavedQuery:
    """A query the library runs itself (``queries/internal/NAME.rq``), not listed for users."""
    return parse(internal_query(name), name)


def internal_names() -> list[str]:
    """The names of the internal queries."""
    return sorted(p.stem for p in (queries_dir() / "internal").glob("*.rq"))


def get(name: str) -> SavedQuery:
    try:
        return registry()[name]
    except KeyError:
        raise QueryError(f"no saved query {name!r}; run 'policykg query list'") from None
