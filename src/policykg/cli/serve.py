"""``policykg serve``: the store read-only on the web."""

from __future__ import annotations

from pathlib import Path

import click

from policykg import service
from policykg.cli.shell import TIMEOUT_HELP, command, store_path


@command()
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
    store = store_path()
    if not isinstance(store, Path):
        raise click.ClickException(
            f"serve reads a store folder; {store} is a SPARQL server, which answers the SPARQL 1.1 "
            "Protocol itself: point SPARQL clients at it, and run policykg's commands with --store "
            f"{store}"
        )
    service.check_store(store)
    click.echo(
        f"serving {store} at http://{host}:{port}/sparql and /queries (read-only; Ctrl-C to stop)", err=True
    )
    run_server(store, host=host, port=port, timeout=timeout, readers=readers)
