"""The ``policykg`` command line: argument parsing and printing over ``policykg.service``.

spaCy is imported only by the commands that extract (``ingest``, ``extract``, ``eval``), so
that ``--help`` and queries start fast. Library errors become one-line messages (``_Shell``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click
from click.core import ParameterSource

from policykg import __version__, service
from policykg.errors import PolicyKGError
from policykg.quality.audit import KINDS as AUDIT_KINDS
from policykg.query.results import FORMATS

if TYPE_CHECKING:
    from policykg.ingest import IngestReport

F = TypeVar("F", bound=Callable[..., Any])
FILE_IN = click.Path(exists=True, dir_okay=False, path_type=Path)
FILE_OUT = click.Path(dir_okay=False, path_type=Path)
DIR_IN = click.Path(exists=True, file_okay=False, path_type=Path)
COUNT = click.IntRange(min=1)
QUERY_FORMATS = list(FORMATS)
EXPORT_FORMATS = ["turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf"]
FORMAT_HELP = "Output format (default: table on a terminal, csv otherwise; turtle for CONSTRUCT/DESCRIBE)."
TIMEOUT_HELP = "Stop the query after this many seconds (0: no limit)."
PARAM_HELP = "A parameter value, e.g. -p document 05-CT/TW; repeat a key to give several values."


def _cores() -> int:
    from policykg.ingest import usable_cores  # the extraction stack loads only where it is used

    return usable_cores()


JOBS_HELP = (
    "Extract in this many worker processes (the store is written by this one); default: the "
    "cores this process may use. A run of a few articles extracts in this process."
)
BATCH_HELP = "Articles written to the store at a time; an interrupted run redoes at most one batch."
KIND_HELP = "What to sample: implementation facts, or mentions of one kind of entity in articles."
JUDGED_HELP = "A judged sheet from 'policykg sample' (repeat for several): precision per kind."
SHEET_HELP = "Write SHEET.csv and SHEET.md (default: sample-KIND-SEED in this folder)."
ARTICLES_HELP = "Sample only within these articles: a file of article identifiers, one a line."
DATA_HELP = "Validate this RDF file (any format rdflib reads) instead of the store."
INTERRUPTED = "\ninterrupted: the store holds only complete articles; run the same command to finish"
TEXTS_HELP = "Folder of the articles the gold files name (default: seeds/ beside the gold folder's parent)."


class _Shell(click.Group):
    """The one place where a library error becomes a one-line message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PolicyKGError as err:
            raise click.ClickException(str(err)) from err


def _store_option(command: F) -> F:
    """``--store DIR`` (or ``POLICYKG_STORE``) on the group and each command; explicit ones win."""

    def remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if not value:
            return
        state = ctx.ensure_object(dict)
        explicit = ctx.get_parameter_source(param.name or "store") is ParameterSource.COMMANDLINE
        if explicit or not state.get("explicit"):
            state["store"], state["explicit"] = Path(value), explicit

    return click.option(
        "--store",
        "store",
        envvar="POLICYKG_STORE",
        metavar="DIR",
        expose_value=False,
        callback=remember,
        is_eager=True,
        help=f"Store folder (default ./{service.DEFAULT_STORE}; env POLICYKG_STORE).",
    )(command)


def _store_path() -> Path:
    path: Path = click.get_current_context().ensure_object(dict).get("store") or service.DEFAULT_STORE
    return path


def _command(group: click.Group | None = None, name: str | None = None) -> Callable[[F], F]:
    """A command of ``group`` (default: ``main``) that takes ``--store``."""

    def decorate(function: F) -> F:
        command = (group or main).command(name)(_store_option(function))
        return cast(F, command)

    return decorate


@click.group(cls=_Shell, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policykg")
@_store_option
def main() -> None:
    """policykg: Vietnamese Party-policy news → knowledge graph (RDF in an embedded Oxigraph store)."""


@_command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Re-extract articles even when their text has not changed.")
@click.option("-j", "--jobs", type=COUNT, default=lambda: _cores(), show_default="cores", help=JOBS_HELP)
@click.option("--batch", type=COUNT, default=256, show_default=True, help=BATCH_HELP)
def ingest(paths: tuple[Path, ...], force: bool, jobs: int, batch: int) -> None:
    """Extract articles (.txt, .html, .jsonl files, .gz or not, or folders of them) into the store.

    Unchanged articles are skipped; a bad JSON Lines record is reported and skipped; an
    interrupted run leaves only complete articles and the same command finishes the job.
    """
    from policykg.ingest import progress_printer, summary

    show = (
        progress_printer(lambda line: click.echo(line, err=True, nl=False)) if sys.stderr.isatty() else None
    )
    try:
        report = service.ingest(_store_path(), paths, force=force, jobs=jobs, batch=batch, on_progress=show)
    except KeyboardInterrupt:
        click.echo(INTERRUPTED, err=True)
        sys.exit(130)
    if show:
        click.echo("", err=True)
    click.echo(summary(report, str(_store_path()), jobs), nl=False)
    _report_inputs(report, "input(s) could not be ingested in full (listed above); everything else was")


def _report_inputs(report: IngestReport, failure: str) -> None:
    """The inputs skipped and those that failed; exit 1 when some failed."""
    for path, why in report.skipped:
        click.echo(f"skipped {path}: {why}", err=True)
    for _path, why in report.errors:
        click.echo(f"error: {why}", err=True)
    if report.errors:
        raise click.ClickException(f"{len(report.errors)} {failure}")


@_command()
@click.argument("articles", nargs=-1, required=True)
def remove(articles: tuple[str, ...]) -> None:
    """Drop articles (by exact identifier) and every fact only they supported."""
    removed, missing = service.remove(_store_path(), articles)
    for name in removed:
        click.echo(f"removed {name}")
    if missing:
        raise click.ClickException(
            f"not in the store: {', '.join(missing)}; an article is named by its identifier, the path "
            "relative to the folder ingested or the JSON Lines id ('policykg query run article-timeline' lists them)"
        )


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def extract(paths: tuple[Path, ...]) -> None:
    """Show what would be extracted from articles, without touching any store."""
    from policykg.quality.describe import describe

    found = service.extract(paths)
    for n, record in enumerate(found.records):
        click.echo(("\n" if n else "") + describe(record), nl=False)
    _report_inputs(found.report, "file(s) could not be read (listed above)")


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


def _query_source(file_help: str, remote_help: str) -> Callable[[F], F]:
    """TEXT or -f/--file, and --allow-remote, shared by ``sparql`` and ``update``."""

    def decorate(command: F) -> F:
        command = click.argument("text", required=False)(command)
        command = click.option("--allow-remote", is_flag=True, help=remote_help)(command)
        return click.option("-f", "--file", "file", type=FILE_IN, help=file_help)(command)

    return decorate


def _query_text(text: str | None, file: Path | None) -> str:
    if bool(text) == bool(file):
        raise click.UsageError("give the query as an argument or with -f FILE, not both")
    if not file:
        return text or ""
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise click.ClickException(
            f"{file}: not UTF-8 (byte {err.start + 1}); save the query as UTF-8 (e.g. iconv -f latin1 -t utf-8)"
        ) from None


def _run_options(command: F) -> F:
    """--limit, --timeout and --format, shared by every command that runs a query."""
    command = click.option("--limit", type=COUNT, default=None, help="Print at most this many rows.")(command)
    command = click.option(
        "--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True, help=TIMEOUT_HELP
    )(command)
    return click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default=None, help=FORMAT_HELP)(
        command
    )


def _print_result(prepared: service.Prepared, fmt: str | None, limit: int | None, timeout: float) -> None:
    rendered = service.render(_store_path(), prepared, fmt or _default_format(), limit, timeout, bool(fmt))
    click.echo(rendered.text, nl=False, color=True)  # data exactly as stored: click strips escapes in a pipe
    for note in rendered.notes:
        click.echo(note, err=True)


def _default_format() -> str:
    return "table" if sys.stdout.isatty() else "csv"


@_command(query, "run")
@click.argument("name")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="KEY VALUE", help=PARAM_HELP)
@_run_options
def query_run(
    name: str, params: tuple[tuple[str, str], ...], limit: int | None, timeout: float, fmt: str | None
) -> None:
    """Run a saved query with its parameters."""
    given: dict[str, list[str]] = {}
    for key, value in params:
        given.setdefault(key, []).append(value)
    _print_result(service.saved_query(name, given), fmt, limit, timeout)


@_command()
@click.argument("question", nargs=-1, required=True)
@_run_options
def ask(question: tuple[str, ...], limit: int | None, timeout: float, fmt: str | None) -> None:
    """Answer a plain question in English or Vietnamese with a saved query.

    It prints the saved query and parameters it chose, then the answer, e.g.
    policykg ask "which localities implemented Directive 05".
    """
    asked = service.ask(" ".join(question))
    click.echo(f"→ {asked.command}", err=True)
    if asked.prepared.saved:
        click.echo(f"  ({asked.prepared.saved.summary})", err=True)
    _print_result(asked.prepared, fmt, limit, timeout)


@_command()
@_query_source("Read the query from a .rq file.", "Allow SERVICE, which fetches from the network.")
@_run_options
def sparql(
    text: str | None,
    file: Path | None,
    allow_remote: bool,
    limit: int | None,
    timeout: float,
    fmt: str | None,
) -> None:
    """Run a read-only SPARQL query (the default graph is the union of all articles)."""
    _print_result(service.ad_hoc(_query_text(text, file), allow_remote), fmt, limit, timeout)


@_command()
@_query_source("Read the update from a .ru file.", "Allow LOAD and SERVICE, which fetch from the network.")
def update(text: str | None, file: Path | None, allow_remote: bool) -> None:
    """Change the store with a SPARQL Update (deliberately; ingest is the usual way in)."""
    before, after = service.update(_store_path(), _query_text(text, file), allow_remote)
    click.echo(f"updated {_store_path()}: {before} → {after} quads")


@_command()
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
    service.export(_store_path(), fmt, with_ontology, output or sys.stdout.buffer)
    if output:
        size = f"{output.stat().st_size} bytes of " if output.is_file() else ""
        click.echo(f"wrote {size}{fmt} to {output}", err=True)


@_command()
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
        found = service.why_implements(_store_path(), document, locality, org)
        fact = f"{locality or org or 'anyone'} implements {document}"
    elif len(triple) in (2, 3):
        evidence, fact = service.why(_store_path(), *triple), " ".join(triple)
        if evidence.origin:
            click.echo(f"{fact}: {evidence.origin}")
            return
        found = evidence.citations
    else:
        raise click.UsageError("give --document, or SUBJECT PREDICATE [OBJECT]")
    click.echo(format_citations(found, fact), nl=False)
    if not found:
        sys.exit(1)


@_command()
@click.option("--data", type=FILE_IN, help=DATA_HELP)
def validate(data: Path | None) -> None:
    """Check the graph against the SHACL shapes (ontology/shapes.ttl); exit 1 on a violation."""
    from policykg.quality.validate import format_report

    report = service.validate(None if data else _store_path(), data)
    click.echo(format_report(report), nl=False)
    if not report.conforms:
        sys.exit(1)


@_command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every network)."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="Port to listen on."
)
@click.option("--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True, help=TIMEOUT_HELP)
@click.option(
    "--readers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Reader processes answering requests (each keeps the store's snapshot open).",
)
def serve(host: str, port: int, timeout: float, readers: int) -> None:
    """Serve the store read-only on the web: SPARQL 1.1 Protocol at /sparql, saved queries at /queries."""
    try:
        from policykg.web.server import serve as run_server
    except ImportError as err:
        raise click.ClickException(
            f"serving needs the 'serve' extra: pip install 'policykg[serve]' ({err})"
        ) from err
    store = _store_path()
    service.check_store(store)
    click.echo(
        f"serving {store} at http://{host}:{port}/sparql and /queries (read-only; Ctrl-C to stop)", err=True
    )
    run_server(store, host=host, port=port, timeout=timeout, readers=readers)


@_command()
@click.option(
    "--to",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write into.",
)
def tables(folder: Path) -> None:
    """Write the graph as tidy CSV tables (one per kind, joined by IRIs) with a datapackage.json."""
    for path in service.tables(_store_path(), folder):
        click.echo(f"wrote {path}", err=True)


@_command()
def stats() -> None:
    """Count articles, entities per class, implementations and quads in the store."""
    from policykg.query.results import table

    counts = service.stats(_store_path())
    click.echo(table(["what", "count"], [[k, str(v)] for k, v in counts.items()]), nl=False)


@_command()
@click.option("--kind", type=click.Choice(AUDIT_KINDS), required=True, help=KIND_HELP)
@click.option("-n", "size", type=COUNT, default=40, show_default=True, help="Items to draw.")
@click.option("--seed", type=int, required=True, help="The random seed; the same seed draws the same items.")
@click.option("-o", "--output", type=FILE_OUT, help=SHEET_HELP)
@click.option("--articles", type=FILE_IN, help=ARTICLES_HELP)
@click.option("--force", is_flag=True, help="Replace an existing sheet (it may hold verdicts).")
def sample(kind: str, size: int, seed: int, output: Path | None, articles: Path | None, force: bool) -> None:
    """Draw a uniform random sample of what the graph says and write a sheet to judge it.

    An item is an implementation fact (actor, document, article) or one article's mention
    of an entity, with the sentence it was extracted from. Fill the verdict column with
    y, n or ?, then: policykg eval --judged SHEET.csv
    """
    sheet = service.sample(_store_path(), kind, size, seed, output, articles, force)
    click.echo(
        f"sampled {len(sheet.sample.items)} of {sheet.sample.population} {kind} item(s) with seed {seed}: "
        f"judge in {sheet.csv} (read: {sheet.markdown}), then 'policykg eval --judged {sheet.csv}'"
    )


@main.command("eval")
@click.option("--gold", type=DIR_IN, help="Folder of gold .json annotations.")
@click.option("--judged", type=FILE_OUT, multiple=True, help=JUDGED_HELP)
@click.option("--texts", type=DIR_IN, help=TEXTS_HELP)
@click.option("--report", type=FILE_OUT, help="Also write the scores as JSON to FILE.")
@click.option("--show-errors", is_flag=True, help="Also list every false positive and false negative.")
def evaluate(
    gold: Path | None, judged: tuple[Path, ...], texts: Path | None, report: Path | None, show_errors: bool
) -> None:
    """Score the extractor: against gold annotations (precision, recall, F1 per kind), or
    from judged sample sheets (precision per kind with its 95 % Wilson interval)."""
    if bool(gold) == bool(judged):
        raise click.UsageError("give --gold DIR or --judged SHEET.csv (one of them)")
    if judged and (texts or show_errors):
        raise click.UsageError("--texts and --show-errors go with --gold")
    if gold is None:
        from policykg.quality.audit import format_judged

        scores = service.evaluate_judged(judged)
        click.echo(format_judged(scores), nl=False)
    else:
        from policykg.quality.evaluate import format_errors, format_scores

        scores = service.evaluate_gold(gold, texts)
        click.echo(format_scores(scores) + (format_errors(scores) if show_errors else ""), nl=False)
    if report:
        service.write_report(scores, report)


if __name__ == "__main__":  # pragma: no cover
    main()
