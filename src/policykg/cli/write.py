"""Commands that change the store: ingest, load, remove, update; and extract, which shows what
ingest would write, or writes it as shard files for ``load``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from policykg import service
from policykg.cli.shell import (
    COUNT,
    command,
    main,
    query_source,
    query_text,
    report_inputs,
    store_path,
)

if TYPE_CHECKING:
    from policykg.ingest import Progress


def _cores() -> int:
    from policykg.ingest import usable_cores  # the extraction stack loads only where it is used

    return usable_cores()


JOBS_HELP = (
    "Extract in this many worker processes (the store is written by this one); default: the "
    "cores this process may use. A run of a few articles extracts in this process."
)
BATCH_HELP = "Articles written to the store at a time; an interrupted run redoes at most one batch."
DASK_HELP = (
    "Extract on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:PORT), or 'local' for "
    "--jobs worker processes here; this process reads the inputs and writes. Needs the dask extra."
)
NO_TEXT_HELP = (
    "Do not keep the articles' text in the store (kept by default, so that 'articles show "
    "--paragraphs' can show evidence in its paragraph); applies to the articles this run writes."
)
INTERRUPTED = "\ninterrupted: the store holds only complete articles; run the same command to finish"


def _progress() -> Callable[[Progress], None] | None:
    """A progress line on a terminal's stderr; nothing in a pipe."""
    from policykg.ingest import progress_printer

    if not sys.stderr.isatty():
        return None
    return progress_printer(lambda line: click.echo(line, err=True, nl=False))


@command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Re-extract articles even when their text has not changed.")
@click.option("-j", "--jobs", type=COUNT, default=lambda: _cores(), show_default="cores", help=JOBS_HELP)
@click.option("--batch", type=COUNT, default=256, show_default=True, help=BATCH_HELP)
@click.option("--dask", "dask", metavar="ADDRESS", help=DASK_HELP)
@click.option("--no-text", "no_text", is_flag=True, help=NO_TEXT_HELP)
def ingest(
    paths: tuple[Path, ...], force: bool, jobs: int, batch: int, dask: str | None, no_text: bool
) -> None:
    """Extract articles (.txt, .html, .jsonl files, .gz or not, or folders of them) into the store.

    Unchanged articles are skipped; a bad JSON Lines record is reported and skipped; an
    interrupted run leaves only complete articles and the same command finishes the job.
    A .txt article takes its date, url and title from NAME.meta.json beside it or from the
    folder's manifest.csv (columns file,date,url,title) when there is one.
    """
    from policykg.ingest import summary

    show = _progress()
    try:
        report = service.ingest(
            store_path(),
            paths,
            force=force,
            jobs=jobs,
            batch=batch,
            on_progress=show,
            dask=dask,
            text=not no_text,
        )
    except KeyboardInterrupt:
        click.echo(INTERRUPTED, err=True)
        sys.exit(130)
    if show:
        click.echo("", err=True)
    click.echo(summary(report, str(store_path()), jobs), nl=False)
    report_inputs(report, "input(s) could not be ingested in full (listed above); everything else was")


@command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--batch", type=COUNT, default=256, show_default=True, help=BATCH_HELP)
def load(folder: Path, batch: int) -> None:
    """Write the shards 'extract --to FOLDER' wrote into the store.

    Articles the store holds unchanged are skipped; an interrupted load leaves only complete
    articles and the same command finishes the job. The folder is checked whole first.
    """
    from policykg.ingest import summary

    show = _progress()
    try:
        report = service.load(store_path(), folder, batch=batch, on_progress=show)
    except KeyboardInterrupt:
        click.echo(INTERRUPTED, err=True)
        sys.exit(130)
    if show:
        click.echo("", err=True)
    click.echo(summary(report, str(store_path()), 1, verb="loaded"), nl=False)
    report_inputs(report, "shard(s) could not be loaded in full (listed above)")


@command()
@click.argument("articles", nargs=-1, required=True)
def remove(articles: tuple[str, ...]) -> None:
    """Drop articles (by exact identifier) and every fact only they supported."""
    removed, missing = service.remove(store_path(), articles)
    for name in removed:
        click.echo(f"removed {name}")
    if missing:
        raise click.ClickException(
            f"not in the store: {', '.join(missing)}; an article is named by its identifier, the path "
            "relative to the folder ingested or the JSON Lines id ('policykg query run article-timeline' lists them)"
        )


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--to",
    "folder",
    metavar="DIR",
    type=click.Path(path_type=Path),
    help="Write the N-Quads as shard files and a manifest in this folder (for 'load'), not the records.",
)
@click.option("-j", "--jobs", type=COUNT, default=lambda: _cores(), show_default="cores", help=JOBS_HELP)
@click.option(
    "--shard-size",
    type=COUNT,
    default=2000,
    show_default=True,
    help="Articles (JSON Lines: lines) per shard.",
)
@click.option("--dask", "dask", metavar="ADDRESS", help=DASK_HELP)
@click.option(
    "--no-text",
    "no_text",
    is_flag=True,
    help="With --to: leave the articles' text out, as 'ingest --no-text'.",
)
def extract(
    paths: tuple[Path, ...], folder: Path | None, jobs: int, shard_size: int, dask: str | None, no_text: bool
) -> None:
    """Show what would be extracted from articles, without touching any store; or with --to,
    write it as shards for 'load' (shards complete already are kept)."""
    if folder is None:
        given = click.get_current_context().get_parameter_source
        if dask or no_text or given("shard_size") is ParameterSource.COMMANDLINE:
            raise click.UsageError("--dask, --shard-size and --no-text go with --to DIR (shards to write)")
        from policykg.quality.describe import describe

        found = service.extract(paths)
        for n, record in enumerate(found.records):
            click.echo(("\n" if n else "") + describe(record), nl=False)
        report_inputs(found.report, "file(s) could not be read (listed above)")
        return
    from policykg.shards import shards_summary

    show = _progress()
    try:
        report = service.extract_to(
            folder, paths, jobs=jobs, size=shard_size, on_progress=show, dask=dask, text=not no_text
        )
    except KeyboardInterrupt:
        click.echo("\ninterrupted: the shards written are complete; run the same command to finish", err=True)
        sys.exit(130)
    if show:
        click.echo("", err=True)
    click.echo(shards_summary(report, folder, jobs), nl=False)
    report_inputs(report, "input(s) could not be extracted in full (listed above); everything else was")


@command()
@query_source("Read the update from a .ru file.", "Allow LOAD and SERVICE, which fetch from the network.")
def update(text: str | None, file: Path | None, allow_remote: bool) -> None:
    """Change the store with a SPARQL Update (deliberately; ingest is the usual way in)."""
    before, after = service.update(store_path(), query_text(text, file), allow_remote)
    click.echo(f"updated {store_path()}: {before} → {after} quads")
