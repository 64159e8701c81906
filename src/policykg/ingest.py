"""Ingest: files → articles → extraction → quads → store, one article graph at a time."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from policykg.errors import InputError
from policykg.extract.to_records import article_record
from policykg.iri import article_iri
from policykg.link import link_places
from policykg.rdf import article_quads
from policykg.reader import clean, discover, read
from policykg.records import Article
from policykg.store import GraphStore


@dataclass
class IngestReport:
    """What an ingest run did."""

    articles: int = 0
    unchanged: int = 0
    triples: int = 0
    entities: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    elapsed: float = 0.0


def articles_in(paths: list[Path], report: IngestReport) -> Iterator[Article]:
    """Every readable article under ``paths``; unreadable files are noted in ``report``."""
    files, skipped = discover(paths)
    report.skipped += [(str(p), why) for p, why in skipped]
    for path in files:
        try:
            raws = read(path)
        except InputError as err:
            report.errors.append((str(path), str(err)))
            continue
        except OSError as err:
            report.errors.append((str(path), f"{path.name}: cannot read ({err.strerror or err})"))
            continue
        for raw in raws:
            try:
                yield clean(raw)
            except InputError as err:
                report.errors.append((str(path), str(err)))


def ingest_paths(
    store: GraphStore, paths: list[Path], force: bool = False, on_article: Callable[[str], None] | None = None
) -> IngestReport:
    """Ingest every article under ``paths``; a bad file is reported, never fatal."""
    started = time.perf_counter()
    report = IngestReport()
    for article in articles_in(paths, report):
        graph = article_iri(article.identifier)
        if not force and store.content_hash(graph) == article.content_hash:
            report.unchanged += 1
            continue
        record = link_places(article_record(article))
        quads = article_quads(record)
        store.replace_graph(graph, quads)
        report.articles += 1
        report.triples += len(quads)
        report.entities.update(e.cls for e in record.entities if e.mentions)
        report.entities["Achievement"] += len(record.achievements)
        if on_article:
            on_article(article.identifier)
    store.flush()
    report.elapsed = time.perf_counter() - started
    return report
