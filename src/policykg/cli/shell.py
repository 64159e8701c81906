"""The command group, its ``--store`` option and what the commands share: option types, help
texts, and the one place where a library error becomes a one-line message (``_Shell``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click
from click.core import ParameterSource

from policykg import __version__, service
from policykg.errors import PolicyKGError
from policykg.store import Location, locate

if TYPE_CHECKING:
    from policykg.ingest import IngestReport

F = TypeVar("F", bound=Callable[..., Any])
FILE_IN = click.Path(exists=True, dir_okay=False, path_type=Path)
FILE_OUT = click.Path(dir_okay=False, path_type=Path)
DIR_IN = click.Path(exists=True, file_okay=False, path_type=Path)
COUNT = click.IntRange(min=1)
TIMEOUT_HELP = "Stop the query after this many seconds (0: no limit)."


class _Shell(click.Group):
    """The one place where a library error becomes a one-line message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PolicyKGError as err:
            raise click.ClickException(str(err)) from err


def _store_option(command: F) -> F:
    """``--store DIR|URL`` (or ``POLICYKG_STORE``) on the group and each command; explicit ones win."""

    def remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if not value:
            return
        state = ctx.ensure_object(dict)
        explicit = ctx.get_parameter_source(param.name or "store") is ParameterSource.COMMANDLINE
        if explicit or not state.get("explicit"):
            state["store"], state["explicit"] = value, explicit

    return click.option(
        "--store",
        "store",
        envvar="POLICYKG_STORE",
        metavar="DIR|URL",
        expose_value=False,
        callback=remember,
        is_eager=True,
        help=f"Store folder, or the http(s):// URL of a SPARQL server (default ./{service.DEFAULT_STORE}; env POLICYKG_STORE).",
    )(command)


def store_path() -> Location:
    """Where the store is: a folder, or a SPARQL server (read when a command runs, so that a
    malformed URL is a one-line error)."""
    given: str | None = click.get_current_context().ensure_object(dict).get("store")
    return locate(given) if given else service.DEFAULT_STORE


def command(group: click.Group | None = None, name: str | None = None) -> Callable[[F], F]:
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


def query_source(file_help: str, remote_help: str) -> Callable[[F], F]:
    """TEXT or -f/--file, and --allow-remote, shared by ``sparql`` and ``update``."""

    def decorate(command: F) -> F:
        command = click.argument("text", required=False)(command)
        command = click.option("--allow-remote", is_flag=True, help=remote_help)(command)
        return click.option("-f", "--file", "file", type=FILE_IN, help=file_help)(command)

    return decorate


def query_text(text: str | None, file: Path | None) -> str:
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


def report_inputs(report: IngestReport, failure: str) -> None:
    """The inputs skipped and those that failed; exit 1 when some failed."""
    for path, why in report.skipped:
        click.echo(f"skipped {path}: {why}", err=True)
    for _path, why in report.errors:
        click.echo(f"error: {why}", err=True)
    if report.errors:
        raise click.ClickException(f"{len(report.errors)} {failure}")
