"""The ``policykg`` command line: a thin click shell over the library.

spaCy is imported only by the commands that extract (``ingest``, ``eval``), so that
``--help`` and queries start fast.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from pathlib import Path

import click

from policykg import __version__
from policykg.audit import KINDS as AUDIT_KINDS
from policykg.errors import PolicyKGError

DEFAULT_STORE = "policykg-store"


def _store_option(command):
    """``--store DIR`` (or ``POLICYKG_STORE``) on a command; it overrides the group's."""

    def remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        if value:
            ctx.ensure_object(dict)["store"] = Path(value)

    return click.option(
        "--store",
        "store",
        envvar="POLICYKG_STORE",
        metavar="DIR",
        expose_value=False,
        callback=remember,
        is_eager=True,
        help=f"Store folder (default ./{DEFAULT_STORE}; env POLICYKG_STORE).",
    )(command)


def _format_option():
    def decorate(command):
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(["table", "markdown", "json", "csv", "tsv", "turtle", "ntriples"]),
            default=None,
            help="Output format (default: table on a terminal, tsv otherwise; "
            "turtle for CONSTRUCT/DESCRIBE).",
        )(command)

    return decorate


def _handle_errors(command):
    """Library errors become one-line messages and exit code 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PolicyKGError as err:
            raise click.ClickException(str(err)) from err

    return wrapper


def _store_path(ctx: click.Context) -> Path:
    return ctx.ensure_object(dict).get("store") or Path(DEFAULT_STORE)


def _open(ctx: click.Context, read_only: bool):
    from policykg.store import open_store

    store = open_store(_store_path(ctx), read_only=read_only)
    ctx.call_on_close(store.close)  # a writer's lock and background work end with the command
    return store


def _default_format(fmt: str | None) -> str:
    return fmt or ("table" if sys.stdout.isatty() else "tsv")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policykg")
@_store_option
def main() -> None:
    """policykg: Vietnamese Party-policy news → knowledge graph (RDF in an embedded Oxigraph store)."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Re-extract articles even when their text has not changed.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Extract in this many worker processes (the store is written by this one).",
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=256,
    show_default=True,
    help="Articles written to the store at a time; an interrupted run redoes at most one batch.",
)
@_store_option
@click.pass_context
@_handle_errors
def ingest(ctx: click.Context, paths: tuple[Path, ...], force: bool, jobs: int, batch: int) -> None:
    """Extract articles (.txt, .html, .jsonl files, .gz or not, or folders of them) into the store.

    Unchanged articles are skipped; a bad JSON Lines record is reported and skipped; an
    interrupted run leaves only complete articles and the same command finishes the job.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise click.ClickException(f"no such file or folder: {missing[0]}")
    from policykg.ingest import ingest_paths

    store = _open(ctx, read_only=False)
    show = _progress_printer() if sys.stderr.isatty() else None
    try:
        report = ingest_paths(store, list(paths), force=force, jobs=jobs, on_progress=show, batch=batch)
    except KeyboardInterrupt:
        click.echo(
            "\ninterrupted: the store holds only complete articles; run the same command to finish", err=True
        )
        ctx.exit(130)
    if show:
        click.echo("", err=True)
    rate = report.articles / report.elapsed if report.elapsed else 0.0
    megabytes = report.text_bytes / 1e6
    click.echo(
        f"ingested {report.articles} article(s), {report.unchanged} unchanged, "
        f"{report.triples} quads in {report.elapsed:.1f}s into {_store_path(ctx)}"
    )
    if report.articles:
        click.echo(
            f"rate: {rate:.1f} articles/s, {megabytes / report.elapsed:.2f} MB/s of text with {jobs} job(s)"
        )
    if report.recovered:
        click.echo(f"redone: {report.recovered} article(s) an interrupted run had left unfinished")
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(report.entities.items()))
    if kinds:
        click.echo(f"entities: {kinds}")
    for path, why in report.skipped:
        click.echo(f"skipped {path}: {why}", err=True)
    for _path, why in report.errors:
        click.echo(f"error: {why}", err=True)
    if report.errors:
        raise click.ClickException(
            f"{len(report.errors)} input(s) could not be ingested in full (listed above); everything else was"
        )


def _progress_printer():
    """A one-line progress display for a terminal: files, articles, rate and ETA."""
    import time

    last = [0.0]

    def show(progress) -> None:
        now = time.perf_counter()
        if now - last[0] < 0.5 and progress.files < progress.total_files:
            return
        last[0] = now
        elapsed = now - progress.started
        rate = progress.articles / elapsed if elapsed else 0.0
        done = progress.files / progress.total_files if progress.total_files else 1.0
        eta = elapsed * (1 - done) / done if done else 0.0
        click.echo(
            f"\r{progress.files}/{progress.total_files} files · {progress.articles} articles written · "
            f"{progress.unchanged} unchanged · {rate:.1f}/s · ETA {eta:.0f}s   ",
            err=True,
            nl=False,
        )

    return show


@main.command()
@click.argument("articles", nargs=-1, required=True)
@_store_option
@click.pass_context
@_handle_errors
def remove(ctx: click.Context, articles: tuple[str, ...]) -> None:
    """Drop articles (by file name or path) and every fact only they supported."""
    from policykg.ingest import remove_articles

    removed, missing = remove_articles(_open(ctx, read_only=False), list(articles))
    for name in removed:
        click.echo(f"removed {name}")
    if missing:
        raise click.ClickException(f"not in the store: {', '.join(missing)}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_handle_errors
def extract(paths: tuple[Path, ...]) -> None:
    """Show what would be extracted from articles, without touching any store."""
    from policykg.describe import describe
    from policykg.extract.to_records import article_record
    from policykg.ingest import IngestReport, articles_in
    from policykg.link import link_places

    report = IngestReport()
    for n, article in enumerate(articles_in(list(paths), report)):
        click.echo(("\n" if n else "") + describe(link_places(article_record(article))), nl=False)
    for path, why in report.skipped:
        click.echo(f"skipped {path}: {why}", err=True)
    for _path, why in report.errors:
        click.echo(f"error: {why}", err=True)
    if report.errors:
        raise click.ClickException(f"{len(report.errors)} file(s) could not be read (listed above)")


@main.group()
def query() -> None:
    """Saved queries: list, show and run them."""


@query.command("list")
@_handle_errors
def query_list() -> None:
    """List the saved queries with their summaries."""
    from policykg.output import table
    from policykg.queries import registry

    rows = [[q.name, ", ".join(p.name for p in q.params), q.summary] for q in registry().values()]
    click.echo(table(["name", "params", "summary"], rows), nl=False)


@query.command("show")
@click.argument("name")
@_handle_errors
def query_show(name: str) -> None:
    """Print a saved query: its header and SPARQL."""
    from policykg.queries import get

    click.echo(get(name).source, nl=False)


def _query_source(file_help: str, remote_help: str):
    """-f/--file and --allow-remote, shared by ``sparql`` and ``update``."""

    def decorate(command):
        command = click.option("--allow-remote", is_flag=True, help=remote_help)(command)
        return click.option(
            "-f",
            "--file",
            "file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help=file_help,
        )(command)

    return decorate


def _run_options(command):
    """--limit, --timeout and --format, shared by every command that runs a query."""
    command = click.option(
        "--limit", type=click.IntRange(min=1), default=None, help="Print at most this many rows."
    )(command)
    command = click.option(
        "--timeout",
        type=click.FloatRange(min=0),
        default=30.0,
        show_default=True,
        help="Stop the query after this many seconds (0: no limit).",
    )(command)
    return _format_option()(command)


def _print_result(ctx: click.Context, sparql_text: str, fmt, limit, timeout, sort=()) -> None:
    from policykg.output import DISPLAY_CAP
    from policykg.runner import QueryJob, run

    fmt = _default_format(fmt)
    cap = DISPLAY_CAP if limit is None and fmt in ("table", "markdown") else None
    from policykg.store import store_exists

    path = _store_path(ctx)
    if not store_exists(path):
        raise click.ClickException(f"no store at {path}; run 'policykg ingest PATH' first (or pass --store)")
    rendered = run(QueryJob(path, sparql_text, fmt, limit, tuple(sort), cap), timeout)
    click.echo(rendered.text, nl=False)
    if rendered.rows == 0 and fmt in ("table", "markdown"):
        click.echo("(no rows: nothing in the store answers this)", err=True)
    if rendered.omitted:
        click.echo(
            f"({rendered.rows} rows shown, {rendered.omitted} more not printed: "
            "use --limit N, or --format csv to get them all)",
            err=True,
        )


@query.command("run")
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    nargs=2,
    multiple=True,
    metavar="KEY VALUE",
    help="A parameter value, e.g. -p document 05-CT/TW; repeat a key to give several values.",
)
@_run_options
@_store_option
@click.pass_context
@_handle_errors
def query_run(
    ctx: click.Context,
    name: str,
    params: tuple[tuple[str, str], ...],
    limit: int | None,
    timeout: float,
    fmt: str | None,
) -> None:
    """Run a saved query with its parameters."""
    from policykg.queries import get

    saved = get(name)
    given: dict[str, list[str]] = {}
    for key, value in params:
        given.setdefault(key, []).append(value)
    _print_result(ctx, saved.prepare(given), fmt, limit, timeout, saved.sort)


@main.command()
@click.argument("question", nargs=-1, required=True)
@_run_options
@_store_option
@click.pass_context
@_handle_errors
def ask(
    ctx: click.Context, question: tuple[str, ...], limit: int | None, timeout: float, fmt: str | None
) -> None:
    """Answer a plain question in English or Vietnamese with a saved query.

    It prints the saved query and parameters it chose, then the answer, e.g.
    policykg ask "which localities implemented Directive 05".
    """
    from policykg.ask import suggestions, understand
    from policykg.queries import get

    text = " ".join(question)
    found = understand(text)
    if found is None:
        hints = "\n".join(f"  policykg ask {q!r}" for q in suggestions(text))
        raise click.ClickException(f"no question template matches {text!r}; the closest ones:\n{hints}")
    saved = get(found.query)
    click.echo(f"→ {found.command()}", err=True)
    click.echo(f"  ({saved.summary})", err=True)
    _print_result(
        ctx, saved.prepare({k: [v] for k, v in found.params.items()}), fmt, limit, timeout, saved.sort
    )


@main.command()
@click.argument("text", required=False)
@_query_source("Read the query from a .rq file.", "Allow SERVICE, which fetches from the network.")
@_run_options
@_store_option
@click.pass_context
@_handle_errors
def sparql(
    ctx: click.Context,
    text: str | None,
    file: Path | None,
    allow_remote: bool,
    limit: int | None,
    timeout: float,
    fmt: str | None,
) -> None:
    """Run a read-only SPARQL query (the default graph is the union of all articles)."""
    from policykg.guard import check_read_only

    query_text = _query_text(text, file)
    check_read_only(query_text, allow_remote)
    _print_result(ctx, query_text, fmt, limit, timeout)


@main.command()
@click.argument("text", required=False)
@_query_source("Read the update from a .ru file.", "Allow LOAD and SERVICE, which fetch from the network.")
@_store_option
@click.pass_context
@_handle_errors
def update(ctx: click.Context, text: str | None, file: Path | None, allow_remote: bool) -> None:
    """Change the store with a SPARQL Update (deliberately; ingest is the usual way in)."""
    from policykg.guard import check_update

    update_text = _query_text(text, file)
    check_update(update_text, allow_remote)
    store = _open(ctx, read_only=False)
    before = len(store)
    store.update(update_text)
    store.flush()
    click.echo(f"updated {_store_path(ctx)}: {before} → {len(store)} quads")


def _query_text(text: str | None, file: Path | None) -> str:
    if bool(text) == bool(file):
        raise click.UsageError("give the query as an argument or with -f FILE, not both")
    return file.read_text(encoding="utf-8") if file else (text or "")


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]),
    default="turtle",
    show_default=True,
    help="RDF format.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--with-ontology", is_flag=True, help="Include the ontology's terms (ontology/policykg.ttl).")
@_store_option
@click.pass_context
@_handle_errors
def export(ctx: click.Context, fmt: str, output: Path | None, with_ontology: bool) -> None:
    """Export the graph (triple formats: the union of all articles; trig/nquads: every graph)."""
    store = _open(ctx, read_only=True)
    if not output:
        sys.stdout.flush()
        store.export(fmt, with_ontology, output=sys.stdout.buffer)
        return
    partial = output.with_name(f".{output.name}.partial")  # FILE is replaced only when complete
    try:
        with partial.open("wb") as out:
            store.export(fmt, with_ontology, output=out)
        partial.replace(output)
    except OSError as err:
        raise PolicyKGError(f"cannot write {output}: {err.strerror or err}") from err
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    click.echo(f"wrote {output.stat().st_size} bytes of {fmt} to {output}", err=True)


@main.command()
@click.argument("triple", nargs=-1)
@click.option("--document", help="Who implements this document, and where the text says so.")
@click.option("--locality", help="With --document: only actors in this place (Tà Mung, xã Tà Mung, Ta Mung).")
@click.option("--org", help="With --document: only actors whose name contains this.")
@_store_option
@click.pass_context
@_handle_errors
def why(
    ctx: click.Context, triple: tuple[str, ...], document: str | None, locality: str | None, org: str | None
) -> None:
    """Print the sentences that support a fact, with each article's title, date and source.

    Either --document [--locality | --org] for implementation facts, or a triple:
    SUBJECT PREDICATE [OBJECT] as IRIs or prefixed names, e.g.
    policykg why id:locality/vn/03638 pkg:partOf id:locality/vn/110
    """
    from policykg.why import citations, expand, format_citations, implementation_citations, reference_origin

    store = _open(ctx, read_only=True)
    if document:
        if triple:
            raise click.UsageError("give --document or a triple, not both")
        found = implementation_citations(store, document, locality, org)
        who = locality or org or "anyone"
        click.echo(format_citations(found, f"{who} implements {document}"), nl=False)
        if not found:
            ctx.exit(1)
        return
    if len(triple) not in (2, 3):
        raise click.UsageError("give --document, or SUBJECT PREDICATE [OBJECT]")
    terms = [expand(t) for t in triple]
    found = citations(store, *terms)
    if not found and (origin := reference_origin(store, *terms)):
        click.echo(f"{' '.join(triple)}: {origin}")
        return
    click.echo(format_citations(found, " ".join(triple)), nl=False)
    if not found:
        ctx.exit(1)


@main.command()
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Validate this RDF file (any format rdflib reads) instead of the store.",
)
@_store_option
@click.pass_context
@_handle_errors
def validate(ctx: click.Context, data: Path | None) -> None:
    """Check the graph against the SHACL shapes (ontology/shapes.ttl); exit 1 on a violation."""
    import rdflib

    from policykg.validate import format_report, load_file
    from policykg.validate import validate as run_validation

    if data is not None:
        graph = load_file(data)
    else:
        graph = rdflib.Graph().parse(data=_open(ctx, read_only=True).export("ntriples"), format="nt")
    report = run_validation(graph)
    click.echo(format_report(report), nl=False)
    if not report.conforms:
        ctx.exit(1)


@main.command()
@_store_option
@click.pass_context
@_handle_errors
def stats(ctx: click.Context) -> None:
    """Count articles, entities per class, implementations and quads in the store."""
    from policykg.output import table

    counts = _open(ctx, read_only=True).stats()
    click.echo(table(["what", "count"], [[k, str(v)] for k, v in counts.items()]), nl=False)


@main.command()
@click.option(
    "--kind",
    type=click.Choice(AUDIT_KINDS),
    required=True,
    help="What to sample: implementation facts, or mentions of one kind of entity in articles.",
)
@click.option("-n", "size", type=click.IntRange(min=1), default=40, show_default=True, help="Items to draw.")
@click.option("--seed", type=int, required=True, help="The random seed; the same seed draws the same items.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write SHEET.csv and SHEET.md (default: sample-KIND-SEED in this folder).",
)
@click.option(
    "--articles",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Sample only within these articles: a file of identifiers (file names), one a line.",
)
@click.option("--force", is_flag=True, help="Replace an existing sheet (it may hold verdicts).")
@_store_option
@click.pass_context
@_handle_errors
def sample(
    ctx: click.Context,
    kind: str,
    size: int,
    seed: int,
    output: Path | None,
    articles: Path | None,
    force: bool,
) -> None:
    """Draw a uniform random sample of what the graph says and write a sheet to judge it.

    An item is an implementation fact (actor, document, article) or one article's mention
    of an entity, with the sentence it was extracted from. Fill the verdict column with
    y, n or ?, then: policykg eval --judged SHEET.csv
    """
    from policykg.sample import article_graphs, read_identifiers, sample_items, write_sheet

    store = _open(ctx, read_only=True)
    within = article_graphs(store, read_identifiers(articles)) if articles else None
    drawn = sample_items(store, kind, size, seed, within)
    csv_path, md_path = write_sheet(drawn, output or Path(f"sample-{kind}-{seed}"), force=force)
    click.echo(
        f"sampled {len(drawn.items)} of {drawn.population} {kind} item(s) with seed {seed}: "
        f"judge in {csv_path} (read: {md_path}), then 'policykg eval --judged {csv_path}'"
    )


@main.command("eval")
@click.option(
    "--gold",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of gold .json annotations.",
)
@click.option(
    "--judged",
    type=click.Path(dir_okay=False, path_type=Path),
    multiple=True,
    help="A judged sheet from 'policykg sample' (repeat for several): precision per kind.",
)
@click.option(
    "--texts",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of the articles the gold files name (default: seeds/ beside the gold folder's parent).",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the scores as JSON to FILE.",
)
@click.option("--show-errors", is_flag=True, help="Also list every false positive and false negative.")
@_handle_errors
def evaluate(
    gold: Path | None, judged: tuple[Path, ...], texts: Path | None, report: Path | None, show_errors: bool
) -> None:
    """Score the extractor: against gold annotations (precision, recall, F1 per kind), or
    from judged sample sheets (precision per kind with its 95 % Wilson interval)."""
    import json

    if bool(gold) == bool(judged):
        raise click.UsageError("give --gold DIR or --judged SHEET.csv (one of them)")
    if judged and (texts or show_errors):
        raise click.UsageError("--texts and --show-errors go with --gold")
    if judged:
        from policykg.audit import format_judged, score_sheets

        scores = score_sheets(judged)
        click.echo(format_judged(scores), nl=False)
    else:
        from policykg.evaluate import evaluate_folder, format_errors, format_scores

        scores = evaluate_folder(gold, texts)
        click.echo(format_scores(scores), nl=False)
        if show_errors:
            click.echo(format_errors(scores), nl=False)
    if report:
        try:
            report.write_text(json.dumps(scores, ensure_ascii=False, indent=2), encoding="utf-8")
        except OSError as err:
            raise PolicyKGError(f"cannot write {report}: {err.strerror or err}") from err


if __name__ == "__main__":  # pragma: no cover
    main()
