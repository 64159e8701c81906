"""``policykg curate``: corrections that survive re-ingest (issue 20, item 1).

Each decision goes into the store's curation file (CSV, for version control) and is applied
to the stored articles it touches; ingest applies the file to every article it writes.
"""

from __future__ import annotations

import datetime
import getpass
from pathlib import Path

import click

from policykg import service
from policykg.cli.shell import FILE_OUT, F, command, main, store_path


@main.group()
def curate() -> None:
    """Correct the graph: merge, reject, relabel, set-parent; kept in a curation file and
    applied at every ingest (see 'Correcting the graph' in the README)."""


def _decision_options(function: F) -> F:
    function = click.option(
        "--file", "file", type=FILE_OUT, default=None,
        help="The curation file to keep decisions in (remembered in the store's manifest); default: the one the manifest names, else NAME.curation.csv beside the store folder.",
    )(function)
    function = click.option("--by", default=None, help="Who decides (default: your user name).")(function)
    return click.option("--because", required=True, help="Why (required): kept with the decision.")(function)


def _take(action: str, target: str, value: str, predicate: str, by: str | None, because: str, file: Path | None) -> None:
    from policykg.curation import Decision
    from policykg.curation.stored import shorten

    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    decision = Decision(action, target, value, predicate, by or _user(), now, because.strip())
    done = service.curate(store_path(), decision, file)
    what = " ".join(shorten(x) for x in (target, predicate, value) if x) if action != "relabel" else f"{shorten(target)} “{value}”"
    click.echo(f"{action} {what}: {decision.describe()}")
    click.echo(f"recorded in {done.file}; {done.articles} article(s) rewritten")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "unknown"


def _iri(term: str) -> str:
    from policykg.query.evidence import expand

    return expand(term).value


@command(curate, "merge")
@click.argument("kept")
@click.argument("merged")
@_decision_options
def curate_merge(kept: str, merged: str, by: str | None, because: str, file: Path | None) -> None:
    """KEPT and MERGED are one entity: MERGED's facts become KEPT's (its label one of KEPT's
    other labels), in every article, now and at every ingest."""
    _take("merge", _iri(kept), _iri(merged), "", by, because, file)


@command(curate, "reject")
@click.argument("fact", nargs=-1, required=True)
@_decision_options
def curate_reject(fact: tuple[str, ...], by: str | None, because: str, file: Path | None) -> None:
    """A wrong fact: a STATEMENT or achievement IRI (as 'why' and sample sheets show it: that
    sentence's claim), or SUBJECT PREDICATE OBJECT (wherever it is stated)."""
    if len(fact) == 1:
        _take("reject", _iri(fact[0]), "", "", by, because, file)
    elif len(fact) == 3:
        _take("reject", _iri(fact[0]), _iri(fact[2]), _iri(fact[1]), by, because, file)
    else:
        raise click.UsageError("give a statement IRI, or SUBJECT PREDICATE OBJECT")


@command(curate, "relabel")
@click.argument("entity")
@click.argument("label")
@_decision_options
def curate_relabel(entity: str, label: str, by: str | None, because: str, file: Path | None) -> None:
    """ENTITY's display label is LABEL (its former labels stay as other labels)."""
    from policykg.text import nfc

    text = " ".join(nfc(label).split())
    if not text:
        raise click.UsageError("the label is empty")
    _take("relabel", _iri(entity), text, "", by, because, file)


@command(curate, "set-parent")
@click.argument("place")
@click.argument("parent")
@_decision_options
def curate_set_parent(place: str, parent: str, by: str | None, because: str, file: Path | None) -> None:
    """PLACE lies in PARENT (replacing what the text or the gazetteer said)."""
    _take("set-parent", _iri(place), _iri(parent), "", by, because, file)


@command(curate, "apply")
def curate_apply() -> None:
    """Apply the curation file to what is stored (after editing it, a pull, or a stopped run)."""
    done = service.curate_apply(store_path())
    click.echo(f"applied {done.file}: {done.articles} article(s) rewritten")


@command(curate, "list")
def curate_list() -> None:
    """List the decisions of the store's curation file."""
    from policykg.curation.stored import shorten
    from policykg.query.results import table

    decisions = service.curation(store_path()).decisions
    rows = [
        [d.date, d.by, d.action, " ".join(shorten(x) if x.startswith("http") else x for x in (d.target, d.predicate, d.value) if x), d.because]
        for d in decisions
    ]
    click.echo(table(["date", "by", "action", "what", "because"], rows), nl=False)
    click.echo(f"{len(rows)} decision(s) in {service.curation_file(store_path())}", err=True)
