"""``policykg tables``: the graph as tidy tables for R, Stata, pandas and spreadsheets (issue 20).

One table per kind (articles, documents, organisations, places, people, achievements,
implementations), each row keyed by the entity's IRI so the tables join, and a Frictionless
``datapackage.json`` that describes every column, the primary keys and the foreign keys. The
rows come from the internal queries ``queries/internal/tables-*.rq``, read as one operation (so
a read beside a running ingest is retried, never half-read). Tables are CSV, or Parquet through
pyarrow (the ``parquet`` extra) with the column types the data package declares.
"""

from __future__ import annotations

import csv
import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policykg.errors import PolicyKGError
from policykg.store import Store
from policykg.store.results import term_text
from policykg.store.terms import QuerySolutions


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless field type: string, integer, number, boolean, date
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # primary key; empty for a table of facts
    references: tuple[tuple[str, str, str], ...] = ()  # (column, table, its key column)


def _c(name: str, kind: str, description: str) -> Column:
    return Column(name, kind, description)


ARTICLE = _c("article_id", "string", "the article's IRI (table articles)")
TABLES = (
    Table(
        "articles",
        "One row per article in the store.",
        (
            ARTICLE,
            _c(
                "identifier",
                "string",
                "dcterms:identifier: path relative to the folder ingested, or the JSON Lines id",
            ),
            _c("title", "string", "the headline"),
            _c("date", "date", "publication date, when known"),
            _c("about_party_work", "boolean", "pkg:aboutPartyWork"),
            _c("relevance", "string", "why the article is, or is not, about Party work"),
        ),
        key=("article_id",),
    ),
    Table(
        "documents",
        "One row per Party or State document cited.",
        (
            _c("document_id", "string", "the document's IRI"),
            _c("class", "string", "Directive, Resolution, Conclusion, PartyDocument or StateDocument"),
            _c("number", "string", "canonical number (05-CT/TW, TW4-XII)"),
            _c("label", "string", "display label"),
            _c("title", "string", "official title, when known"),
            _c("issued_by", "string", "IRI of the issuing organisation (table organisations)"),
            _c("issue_date", "date", "date of issue, when known"),
            _c("articles", "integer", "number of articles that cite it"),
        ),
        key=("document_id",),
        references=(("issued_by", "organisations", "organisation_id"),),
    ),
    Table(
        "organisations",
        "One row per Party organisation (PartyOrg) or other body (Body).",
        (
            _c("organisation_id", "string", "the organisation's IRI"),
            _c("class", "string", "PartyOrg or Body"),
            _c("label", "string", "display label"),
            _c("level", "string", "trung ương, tỉnh, huyện, xã, chi bộ or đơn vị (PartyOrg)"),
            _c("place_id", "string", "IRI of the place it is in (table places)"),
            _c("articles", "integer", "number of articles that name it"),
        ),
        key=("organisation_id",),
        references=(("place_id", "places", "place_id"),),
    ),
    Table(
        "places",
        "One row per place, with its official code and parent.",
        (
            _c("place_id", "string", "the place's IRI"),
            _c("label", "string", "display label (the official name when linked)"),
            _c("type", "string", "xã, huyện, tỉnh, thôn …"),
            _c("admin_code", "string", "the statistics office's code, when linked"),
            _c("admin_level", "string", "province, district or commune, when linked"),
            _c("parent_id", "string", "IRI of the place it is part of (this table)"),
            _c("parent_source", "string", "where the parent comes from: text, context or gazetteer"),
            _c("articles", "integer", "number of articles that name it"),
        ),
        key=("place_id",),
        references=(("parent_id", "places", "place_id"),),
    ),
    Table(
        "people",
        "One row per person and post as written.",
        (
            _c("person_id", "string", "the person's IRI"),
            _c("name", "string", "the name as written, diacritics intact"),
            _c("position", "string", "a post as written"),
            _c("member_of_id", "string", "IRI of an organisation the post names (table organisations)"),
            _c("articles", "integer", "number of articles that name the person"),
        ),
        references=(("member_of_id", "organisations", "organisation_id"),),
    ),
    Table(
        "achievements",
        "One row per reported result, with the sentence that states it.",
        (
            _c("achievement_id", "string", "the achievement's IRI"),
            _c("quantity", "number", "the figure"),
            _c("unit", "string", "what is counted"),
            _c("year", "integer", "the year the text dates it by, when it does"),
            _c("achieved_by_id", "string", "IRI of the organisation or place credited"),
            _c("phrase", "string", "the phrase that reports it"),
            ARTICLE,
            _c("sentence", "string", "the sentence, as in the article"),
            _c("start", "integer", "character offset of the sentence in the article's text"),
            _c("end", "integer", "end offset of the sentence"),
        ),
        key=("achievement_id",),
        references=(("article_id", "articles", "article_id"),),
    ),
    Table(
        "implementations",
        "One row per (actor, document, sentence) that says the actor carries the document out.",
        (
            _c("actor_id", "string", "IRI of the organisation, body or place (tables organisations, places)"),
            _c("actor_class", "string", "PartyOrg, Body or Locality"),
            _c("actor_label", "string", "the actor's display label"),
            _c("document_id", "string", "IRI of the document (table documents)"),
            _c("document_number", "string", "the document's canonical number"),
            _c(
                "place_id", "string", "the actor's place: itself, or where the organisation is (table places)"
            ),
            ARTICLE,
            _c("sentence", "string", "the sentence that states it"),
            _c("start", "integer", "character offset of the sentence in the article's text"),
            _c("end", "integer", "end offset of the sentence"),
        ),
        references=(
            ("document_id", "documents", "document_id"),
            ("place_id", "places", "place_id"),
            ("article_id", "articles", "article_id"),
        ),
    ),
)


def table_rows(store: Store) -> dict[str, list[list[str]]]:
    """Every table's rows, read from ``store`` (the columns of :data:`TABLES`, in order)."""
    from policykg.query.saved import internal

    out: dict[str, list[list[str]]] = {}
    for table in TABLES:
        result = store.query(internal(f"tables-{table.name}").sparql)
        if not isinstance(result, QuerySolutions):  # pragma: no cover - the queries are SELECTs
            raise PolicyKGError(f"the query of table {table.name} is not a SELECT")
        out[table.name] = [[term_text(row[c.name]) for c in table.columns] for row in result]
    return out


TABLE_FORMATS = ("csv", "parquet")
PARQUET_MISSING = "--format parquet needs pyarrow: pip install 'policykg[parquet]' (or use --format csv)"


def check_format(fmt: str) -> None:
    """Raise PolicyKGError when ``fmt`` is unknown, or is parquet and pyarrow is not installed."""
    if fmt not in TABLE_FORMATS:
        raise PolicyKGError(f"unknown table format {fmt!r}; use one of {', '.join(TABLE_FORMATS)}")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as err:
            raise PolicyKGError(PARQUET_MISSING) from err


def write_tables(rows: dict[str, list[list[str]]], folder: Path, fmt: str = "csv") -> list[Path]:
    """Write each table as ``NAME.csv`` (UTF-8, a header row) or ``NAME.parquet`` (typed columns,
    missing values null) and ``datapackage.json`` into ``folder``."""
    check_format(fmt)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        path = folder / f"{table.name}.{fmt}"
        if fmt == "parquet":
            _write_parquet(table, rows[table.name], path)
        else:
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow([c.name for c in table.columns])
                writer.writerows(rows[table.name])
        written.append(path)
    package = folder / "datapackage.json"
    package.write_text(json.dumps(datapackage(fmt), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [*written, package]


def typed(kind: str, text: str) -> Any:
    """The value of a table cell as the Python value of its Frictionless type; "" is missing.

    >>> typed("integer", "12"), typed("number", "41.8"), typed("boolean", "true"), typed("date", "")
    (12, 41.8, True, None)
    """
    if text == "":
        return None
    if kind == "string":
        return text
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return text in ("true", "1")
    if kind == "date":
        return datetime.date.fromisoformat(text)
    raise ValueError(f"unexpected column type: {kind!r}")


def _write_parquet(table: Table, rows: list[list[str]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    schema = pa.schema(
        [
            pa.field(c.name, types.get(c.type, pa.date32()), metadata={"description": c.description})
            for c in table.columns
        ],
        metadata={"description": table.description},
    )
    columns = [[typed(c.type, row[i]) for row in rows] for i, c in enumerate(table.columns)]
    pq.write_table(
        pa.Table.from_arrays(
            [pa.array(v, f.type) for v, f in zip(columns, schema, strict=True)], schema=schema
        ),
        path,
    )


def datapackage(fmt: str = "csv") -> dict[str, object]:
    """The Frictionless Data Package descriptor of the tables (as ``fmt`` files)."""
    from policykg import __version__

    resources = []
    for table in TABLES:
        schema: dict[str, object] = {
            "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in table.columns],
            "missingValues": [""],
        }
        if table.key:
            schema["primaryKey"] = list(table.key)
        if table.references:
            schema["foreignKeys"] = [
                {"fields": column, "reference": {"resource": target, "fields": key}}
                for column, target, key in table.references
            ]
        resource: dict[str, object] = {
            "name": table.name,
            "path": f"{table.name}.{fmt}",
            "profile": "tabular-data-resource",
            "description": table.description,
            "format": fmt,
        }
        if fmt == "csv":
            resource["encoding"] = "utf-8"
        resources.append({**resource, "schema": schema})
    return {
        "profile": "tabular-data-package",
        "name": "policykg-tables",
        "title": "A policykg knowledge graph as tables",
        "description": f"Written by policykg {__version__} ('policykg tables'); rows join on the IRIs.",
        "resources": resources,
    }
