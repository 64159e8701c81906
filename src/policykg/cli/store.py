"""``policykg store check``: what works on a SPARQL server before policykg uses it as a store."""

from __future__ import annotations

import sys

import click

from policykg import service
from policykg.cli.shell import command, main, store_path
from policykg.store import Endpoint


@main.group("store")
def store_group() -> None:
    """Stores on SPARQL servers: check what a server offers."""


@command(store_group, "check")
@click.argument("url", required=False)
def store_check(url: str | None) -> None:
    """Probe a SPARQL server (URL, or the --store given) and print what works: query, auth,
    update, the union default graph, the Graph Store Protocol; exit 1 if policykg cannot use it.

    It writes a probe graph of one triple and drops it again; credentials come from
    POLICYKG_STORE_TOKEN or POLICYKG_STORE_USER/POLICYKG_STORE_PASSWORD, the engine profile from
    POLICYKG_STORE_ENGINE.
    """
    target = url or store_path()
    if url is None and not isinstance(target, Endpoint):
        raise click.UsageError("give the server's URL: policykg store check http://HOST:PORT")
    click.echo(f"checking {target}")
    findings = service.check_server(target)
    for finding in findings:
        click.echo(finding.line())
    if findings[-1].ok is False:
        sys.exit(1)
