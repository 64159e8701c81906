"""Commands that check the graph: validate, sample (sheets to judge), eval (gold or judged sheets)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from policykg import service
from policykg.cli.shell import COUNT, DIR_IN, FILE_IN, FILE_OUT, command, main, store_path
from policykg.quality.audit import KINDS as AUDIT_KINDS

KIND_HELP = "What to sample: implementation facts, or mentions of one kind of entity in articles."
JUDGED_HELP = "A judged sheet from 'policykg sample' (repeat for several): precision per kind."
SHEET_HELP = "Write SHEET.csv and SHEET.md (default: sample-KIND-SEED in this folder)."
ARTICLES_HELP = "Sample only within these articles: a file of article identifiers, one a line."
DATA_HELP = "Validate this RDF file (any format rdflib reads) instead of the store."
TEXTS_HELP = "Folder of the articles the gold files name (default: seeds/ beside the gold folder's parent)."


@command()
@click.option("--data", type=FILE_IN, help=DATA_HELP)
def validate(data: Path | None) -> None:
    """Check the graph against the SHACL shapes (ontology/shapes.ttl); exit 1 on a violation."""
    from policykg.quality.validate import format_report

    report = service.validate(None if data else store_path(), data)
    click.echo(format_report(report), nl=False)
    if not report.conforms:
        sys.exit(1)


@command()
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
    sheet = service.sample(store_path(), kind, size, seed, output, articles, force)
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
