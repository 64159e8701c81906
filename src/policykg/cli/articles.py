"""``policykg articles list|show``: the articles as first-class things (issue 20, item 5)."""

from __future__ import annotations

import click

from policykg import service
from policykg.cli.shell import COUNT, command, main, store_path


@main.group()
def articles() -> None:
    """The stored articles: list them, or show one with what the graph took from it."""


@command(articles, "list")
@click.option("--limit", type=COUNT, default=None, help="List at most this many articles.")
def articles_list(limit: int | None) -> None:
    """List the articles (dated ones by date, then the undated) with their counts."""
    from policykg.query.results import table

    found = service.articles(store_path(), limit)
    rows = [
        [
            a.date or "",
            a.identifier,
            a.outlet or "",
            str(a.entities),
            str(a.implementations),
            str(a.achievements),
            a.title,
        ]
        for a in found
    ]
    headers = ["date", "identifier", "outlet", "entities", "implements", "achievements", "title"]
    click.echo(table(headers, rows), nl=False)


@command(articles, "show")
@click.argument("identifier")
@click.option(
    "--paragraphs",
    is_flag=True,
    help="Show each fact in its paragraph of the article's text, not its sentence alone.",
)
def articles_show(identifier: str, paragraphs: bool) -> None:
    """Show one article (by identifier, as 'articles list' gives it): title, date, outlet,
    byline, counts of entities and facts per kind, and its facts with their sentences."""
    from policykg.query.articles import format_article

    click.echo(format_article(service.article(store_path(), identifier), paragraphs), nl=False)
