"""Commands that read the store: saved queries, questions, SPARQL, export, why, stats, tables."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from policykg import service
from policykg.cli.shell import (
    COUNT,
    FILE_OUT,
    TIMEOUT_HELP,
    F,
    command,
    main,
    query_source,
    query_text,
    store_path,
)
from policykg.query.results import FORMATS

QUERY_FORMATS = list(FORMATS)
EXPORT_FORMATS = ["turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf"]
FORMAT_HELP = "Output format (default: table on a terminal, csv otherwise; turtle for CONSTRUCT/DESCRIBE)."
PARAM_HELP = "A parameter value, e.g. -p document 05-CT/TW; repeat a key to give several values."


@main.group()
def query() -> None:
    """Saved queries: list, show and run them."""


@query.command("list")
def query_list() -> None:
    """List the saved queries with their summaries."""
    from policykg.query.results import table
    from policykg.query.saved import registry

    rows = [[q.name, ", ".join(p.name for p in q.params), q.summary] for q in registry().values()]
    click.echo(table(["name", "params", "summary"], rows), nl=False)


@query.command("show")
@click.argument("name")
@click.option(
    "--sparql",
    "bound",
    is_flag=True,
    help="Print the SPARQL alone, parameters bound, ready to run elsewhere.",
)
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="KEY VALUE", help=PARAM_HELP)
def query_show(name: str, bound: bool, params: tuple[tuple[str, str], ...]) -> None:
    """Print a saved query: its header and SPARQL; with --sparql, the exact query with the
    parameters bound as a VALUES block (runnable unchanged in YASGUI, the oxigraph CLI, rdflib)."""
    from policykg.query.saved import get

    if not bound:
        if params:
            raise click.UsageError("-p binds parameters for --sparql; add --sparql")
        click.echo(get(name).source, nl=False)
        return
    given: dict[str, list[str]] = {}
    for key, value in params:
        given.setdefault(key, []).append(value)
    click.echo(service.saved_query(name, given).sparql.rstrip("\n"))


RAW_HELP = "Answer from the extraction as it was, before the curation file's corrections."


def _run_options(command: F) -> F:
    """--limit, --timeout, --format and --raw, shared by every command that runs a query."""
    command = click.option("--raw", is_flag=True, help=RAW_HELP)(command)
    command = click.option("--limit", type=COUNT, default=None, help="Print at most this many rows.")(command)
    command = click.option(
        "--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True, help=TIMEOUT_HELP
    )(command)
    return click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default=None, help=FORMAT_HELP)(
        command
    )


def _print_result(
    prepared: service.Prepared, fmt: str | None, limit: int | None, timeout: float, raw: bool = False
) -> None:
    sys.stdout.flush()  # a big answer is written by the query process itself, after what is printed
    rendered = service.render(
        store_path(),
        prepared,
        fmt or _default_format(),
        limit,
        timeout,
        bool(fmt),
        stream_to=sys.stdout.buffer,
        raw=raw,
    )
    click.echo(rendered.text, nl=False, color=True)  # data exactly as stored: click strips escapes in a pipe
    for note in rendered.notes:
        click.echo(note, err=True)


def _default_format() -> str:
    return "table" if sys.stdout.isatty() else "csv"


@command(query, "run")
@click.argument("name")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="KEY VALUE", help=PARAM_HELP)
@_run_options
def query_run(
    name: str, params: tuple[tuple[str, str], ...], limit: int | None, timeout: float, fmt: str | None, raw: bool
) -> None:
    """Run a saved query with its parameters."""
    given: dict[str, list[str]] = {}
    for key, value in params:
        given.setdefault(key, []).append(value)
    _print_result(service.saved_query(name, given), fmt, limit, timeout, raw)


@command()
@click.argument("question", nargs=-1, required=True)
@_run_options
def ask(question: tuple[str, ...], limit: int | None, timeout: float, fmt: str | None, raw: bool) -> None:
    """Answer a plain question in English or Vietnamese with a saved query.

    It prints the saved query and parameters it chose, then the answer, e.g.
    policykg ask "which localities implemented Directive 05".
    """
    asked = service.ask(" ".join(question))
    click.echo(f"→ {asked.command}", err=True)
    if asked.prepared.saved:
        click.echo(f"  ({asked.prepared.saved.summary})", err=True)
    _print_result(asked.prepared, fmt, limit, timeout, raw)


@command()
@query_source("Read the query from a .rq file.", "Allow SERVICE, which fetches from the network.")
@_run_options
def sparql(
    text: str | None,
    file: Path | None,
    allow_remote: bool,
    limit: int | None,
    timeout: float,
    fmt: str | None,
    raw: bool,
) -> None:
    """Run a read-only SPARQL query (the default graph is the union of all articles)."""
    _print_result(service.ad_hoc(query_text(text, file), allow_remote), fmt, limit, timeout, raw)


@command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="turtle",
    show_default=True,
    help="RDF format, or graphml/gexf for the entity network (networkx, Gephi).",
)
@click.option("-o", "--output", type=FILE_OUT, help="Write to FILE.")
@click.option("--with-ontology", is_flag=True, help="Include the ontology's terms (ontology/policykg.ttl).")
def export(fmt: str, output: Path | None, with_ontology: bool) -> None:
    """Export the graph (triple formats: the union of all articles; trig/nquads: every graph;
    graphml/gexf: the network of actors, documents, places and people, edges weighted by articles)."""
    sys.stdout.flush()
    service.export(store_path(), fmt, with_ontology, output or sys.stdout.buffer)
    if output:
        size = f"{output.stat().st_size} bytes of " if output.is_file() else ""
        click.echo(f"wrote {size}{fmt} to {output}", err=True)


@command()
@click.argument("triple", nargs=-1)
@click.option("--document", help="Who implements this document, and where the text says so.")
@click.option("--locality", help="With --document: only actors in this place (Tà Mung, xã Tà Mung, Ta Mung).")
@click.option("--org", help="With --document: only actors whose name contains this.")
def why(triple: tuple[str, ...], document: str | None, locality: str | None, org: str | None) -> None:
    """Print the sentences that support a fact, with each article's title, date and source.

    Either --document [--locality | --org] for implementation facts, or a triple:
    SUBJECT PREDICATE [OBJECT] as IRIs or prefixed names, e.g.
    policykg why id:locality/vn/03638 pkg:partOf id:locality/vn/110
    """
    from policykg.query.evidence import format_citations

    if document and triple:
        raise click.UsageError("give --document or a triple, not both")
    if document:
        found = service.why_implements(store_path(), document, locality, org)
        fact = f"{locality or org or 'anyone'} implements {document}"
    elif len(triple) in (2, 3):
        evidence, fact = service.why(store_path(), *triple), " ".join(triple)
        _curation_notes(triple)
        if evidence.origin:
            click.echo(f"{fact}: {evidence.origin}")
            return
        found = evidence.citations
    else:
        raise click.UsageError("give --document, or SUBJECT PREDICATE [OBJECT]")
    click.echo(format_citations(found, fact), nl=False)
    if not found:
        sys.exit(1)


def _curation_notes(triple: tuple[str, ...]) -> None:
    """The curation decisions about the subject or object of a fact, one line each."""
    from policykg.curation.stored import shorten
    from policykg.query.evidence import expand

    iris = [expand(t).value for n, t in enumerate(triple) if n != 1]
    for d in service.decisions_about(store_path(), *iris):
        what = " ".join(shorten(x) if x.startswith("http") else f"“{x}”" for x in (d.target, d.predicate, d.value) if x)
        click.echo(f"{d.describe()} ({d.action} {what})")


@command()
@click.option(
    "--to",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write into.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="CSV, or Parquet with typed columns (needs pyarrow: pip install 'policykg[parquet]').",
)
def tables(folder: Path, fmt: str) -> None:
    """Write the graph as tidy tables (one per kind, joined by IRIs) with a datapackage.json."""
    for path in service.tables(store_path(), folder, fmt):
        click.echo(f"wrote {path}", err=True)


@command()
def stats() -> None:
    """Count articles, entities per class, implementations and quads in the store."""
    from policykg.query.results import table

    counts = service.stats(store_path())
    click.echo(table(["what", "count"], [[k, str(v)] for k, v in counts.items()]), nl=False)
