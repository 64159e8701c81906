"""``policykg plot``: a saved query drawn as a chart (PNG or SVG) for a paper."""

from __future__ import annotations

from pathlib import Path

import click

from policykg import service
from policykg.cli.shell import FILE_OUT, command, store_path

PARAM_HELP = "A parameter value, e.g. -p document 05-CT/TW; repeat a key to give several values."


@command()
@click.argument("name")
@click.option("-p", "--param", "params", nargs=2, multiple=True, metavar="KEY VALUE", help=PARAM_HELP)
@click.option(
    "-o", "--output", type=FILE_OUT, required=True, help="The chart to write: FILE.png or FILE.svg."
)
@click.option(
    "--title", default=None, help="The chart's title (default: the query and its parameters; '' for none)."
)
def plot(name: str, params: tuple[tuple[str, str], ...], output: Path, title: str | None) -> None:
    """Draw a saved query as a line or bar chart (needs matplotlib: pip install 'policykg[plot]').

    The query's header says what to draw (implementations-per-year, -per-month, -per-province,
    -per-level); any other query draws its first numeric column against its first column,
    e.g. policykg plot implementations-per-month -p document 05-CT/TW -o 05-by-month.svg
    """
    given: dict[str, list[str]] = {}
    for key, value in params:
        given.setdefault(key, []).append(value)
    written = service.plot(store_path(), name, given, output, title)
    click.echo(
        f"wrote {written.stat().st_size} bytes of {written.suffix.lstrip('.').lower()} to {written}", err=True
    )
