"""Ingest: files → articles → extraction → quads → store, one named graph per article.

The work streams: files are read one at a time, articles whose text has not changed since
they were stored are skipped (content hash), the others are extracted (in worker processes
with ``jobs > 1``) and written in batches, each followed by the markers that say its articles
are stored (``Store.add_articles``). An ingest stopped by Ctrl-C or ``kill -9`` leaves
complete articles; running it again removes what was left unmarked, skips what is done and
finishes the rest. Memory stays bounded: at most one batch and a few tasks are in flight.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import multiprocessing
import multiprocessing.pool
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from policykg.errors import InputError
from policykg.inputs import InputFile, RawArticle, clean, discover, read
from policykg.iri import article_iri
from policykg.records import Article, ArticleRecord
from policykg.store import Store
from policykg.store.summaries import Contribution, contribution_of, merged
from policykg.vocab import PKG_NS

BATCH = 256  # articles per write: larger writes leave RocksDB fewer files to merge
COMPACT_AFTER = 512  # articles written in one run before the store is compacted
WORKER_TASKS = 500  # articles a worker process extracts before it is replaced
WORKERS_FROM = 8  # fewer new articles than this are extracted in the writing process
MAX_BODY_CHARS = 1_000_000  # spaCy's Language.max_length: a longer text stops the pipeline

T = TypeVar("T")

if TYPE_CHECKING:
    from policykg.curation import Curation


@dataclass
class IngestReport:
    """What an ingest run did."""

    articles: int = 0
    unchanged: int = 0
    triples: int = 0
    files: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path or PATH:LINE of a record, why)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, why): a file not read in full
    elapsed: float = 0.0
    text_bytes: int = 0
    replaced: int = 0
    interrupted: bool = False
    recovered: int = 0  # unfinished articles of an interrupted run, removed to be redone
    workers: int = 0  # the Dask workers that extracted (0: this machine's processes)


@dataclass(frozen=True)
class Extracted:
    """One article, extracted and serialised as N-Quads, its completion marker apart."""

    identifier: str
    graph: str
    nquads: bytes
    marker: bytes  # the pkg:contentHash quad, written once the rest is stored
    quads: int
    entities: Counter[str]
    text_bytes: int
    replace: bool = False
    failure: str | None = None  # why the extractor failed on this article: it is skipped, the run goes on
    contribution: Contribution | None = None  # what it adds to the summary graph


@dataclass
class Progress:
    """What a progress display needs: files seen of all files, articles written."""

    total_files: int
    files: int = 0
    articles: int = 0
    unchanged: int = 0
    started: float = field(default_factory=time.perf_counter)


def summary(report: IngestReport, location: str, jobs: int, verb: str = "ingested") -> str:
    """What an ingest run did, as the lines ``policykg ingest`` prints (``load``: ``verb`` "loaded")."""
    lines = [
        f"{verb} {report.articles} article(s), {report.unchanged} unchanged, "
        f"{report.triples} quads in {report.elapsed:.1f}s into {location}"
    ]
    if report.articles and report.elapsed:
        rate, megabytes = report.articles / report.elapsed, report.text_bytes / 1e6
        by = f"{report.workers} Dask worker(s)" if report.workers else f"{jobs} job(s)"
        lines.append(f"rate: {rate:.1f} articles/s, {megabytes / report.elapsed:.2f} MB/s of text with {by}")
    if report.recovered:
        lines.append(f"redone: {report.recovered} article(s) an interrupted run had left unfinished")
    if report.entities:
        lines.append("entities: " + ", ".join(f"{n} {k}" for k, n in sorted(report.entities.items())))
    return "\n".join(lines) + "\n"


def progress_line(progress: Progress, now: float) -> str:
    """Files, articles, rate and ETA of a run under way, on one line."""
    elapsed = now - progress.started
    rate = progress.articles / elapsed if elapsed else 0.0
    done = progress.files / progress.total_files if progress.total_files else 1.0
    eta = elapsed * (1 - done) / done if done else 0.0
    return (
        f"{progress.files}/{progress.total_files} files · {progress.articles} articles written · "
        f"{progress.unchanged} unchanged · {rate:.1f}/s · ETA {eta:.0f}s"
    )


def progress_printer(write: Callable[[str], None], every: float = 0.5) -> Callable[[Progress], None]:
    """An ``on_progress`` that redraws :func:`progress_line` with ``write``, at most every ``every`` s."""
    last = [0.0]

    def show(progress: Progress) -> None:
        now = time.perf_counter()
        if now - last[0] >= every or progress.files >= progress.total_files:
            last[0] = now
            write(f"\r{progress_line(progress, now)}   ")

    return show


def articles_in(paths: list[Path], report: IngestReport) -> Iterator[Article]:
    """Every readable article under ``paths``, one at a time; what is not is noted in ``report``."""
    files, skipped = discover(paths)
    report.skipped += [(str(p), why) for p, why in skipped]
    yield from articles_of(files, report)


def articles_of(
    files: Iterable[InputFile], report: IngestReport, progress: Progress | None = None
) -> Iterator[Article]:
    """The articles of ``files`` as they are read: a bad JSON Lines record is skipped (noted
    as ``PATH:LINE``), a file that cannot be read is an error, and neither stops the rest."""

    def skip(where: str, why: str) -> None:
        report.skipped.append((where, why))

    for item in files:
        path = item.path
        if progress is not None:
            progress.files += 1
        try:
            for raw in read(path, skip, item.name):
                if (article := _cleaned(raw, report)) is not None:
                    yield article
        except InputError as err:
            report.errors.append((str(path), str(err)))
        except OSError as err:
            report.errors.append((str(path), f"{path.name}: cannot read ({err.strerror or err})"))


def _cleaned(raw: RawArticle, report: IngestReport) -> Article | None:
    """``raw`` cleaned, or None when it cannot be extracted: a file without text is an error;
    a record without text and any article longer than the extractor takes are skipped."""
    try:
        article = clean(raw)
    except InputError as err:
        if raw.line is None:
            report.errors.append((raw.source, str(err)))
        else:
            report.skipped.append((f"{raw.source}:{raw.line}", str(err)))
        return None
    if len(article.body) <= MAX_BODY_CHARS:
        return article
    # read in full and well formed, only too long: refused like a bad record, the run goes on
    report.skipped.append(
        (
            _where(article),
            f"{raw.identifier}: the body is {len(article.body):,} characters, more than the "
            f"{MAX_BODY_CHARS:,} the extractor takes (spaCy's limit); split the article",
        )
    )
    return None


def record_of(article: Article) -> ArticleRecord:
    """What the extractor finds in ``article``, its places linked to the official units."""
    from policykg.extract.to_records import article_record
    from policykg.places.linking import link_places

    return link_places(article_record(article))


def extract(article: Article, replace: bool = False, text: bool = True) -> Extracted:
    """Extract one article into the N-Quads of its graph (runs in a worker with ``jobs > 1``);
    ``text``: keep its normalised text in the graph (``pkg:text``)."""
    from policykg.rdf import article_nquads

    try:
        record = record_of(article)
    except Exception as err:  # a bug on one article must not sink the run: report it, go on
        failure = f"{article.identifier}: the extractor failed on it ({type(err).__name__}: {err}); please report it"
        graph = article_iri(article.identifier)
        return Extracted(_where(article), graph, b"", b"", 0, Counter(), 0, replace, failure)
    nquads, marker, quads = article_nquads(record, text)
    counts = Counter(e.cls for e in record.entities if e.mentions)
    counts["Achievement"] += len(record.achievements)
    return Extracted(
        article.identifier,
        article_iri(article.identifier),
        nquads,
        marker,
        quads,
        counts,
        len(article.text.encode("utf-8")),
        replace,
        contribution=None if replace else contribution_of(nquads),  # a replacement is read afresh
    )


def _extract_task(task: tuple[Article, bool, bool]) -> Extracted:
    return extract(*task)


_extracted_here = [0]  # articles extracted in this process since it started


def extract_here(article: Article, replace: bool = False, text: bool = True) -> Extracted:
    """:func:`extract` in a long-lived process (the writer, a Dask worker): the pipeline is
    built afresh every few thousand articles, the same bound on spaCy's string store as a
    worker process's lifetime."""
    _extracted_here[0] += 1
    if _extracted_here[0] % (WORKER_TASKS * 4) == 0:
        _fresh_pipeline()
    return extract(article, replace, text)


# articles to extract, with whether they replace a stored one and keep their text (``pkg:text``)
Todo = Iterator[tuple[Article, bool, bool]]
# how the articles to extract become extracted ones, for the time of a block: worker processes
# here (:func:`extracting`) or a Dask cluster (:mod:`policykg.cluster`); results may come in any order
Extraction = Callable[[Todo], AbstractContextManager[Iterator[Extracted]]]


@contextlib.contextmanager
def extracting(todo: Todo, jobs: int = 1) -> Iterator[Iterator[Extracted]]:
    """``todo`` extracted in ``jobs`` worker processes of this machine, in order; a few articles
    (or ``jobs`` 1) in this process. The workers end with the block."""
    pool = None
    try:
        # nothing new: no pipeline built; a few articles: no workers to start and feed
        first = list(itertools.islice(todo, WORKERS_FROM))
        if len(first) == WORKERS_FROM and jobs > 1:
            pool = _pool(jobs)
        yield _extract_all(itertools.chain(first, todo), pool, jobs)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


def ingest_paths(
    store: Store,
    paths: list[Path],
    force: bool = False,
    jobs: int = 1,
    on_progress: Callable[[Progress], None] | None = None,
    batch: int = BATCH,
    extraction: Extraction | None = None,
    text: bool = True,
    curation: Curation | None = None,
) -> IngestReport:
    """Ingest every article under ``paths``; a bad file is reported, never fatal.

    New articles are extracted by ``extraction`` (default: ``jobs`` processes here) and
    written ``batch`` at a time. ``text``: keep each written article's normalised text in its
    graph (``pkg:text``; an unchanged article is not written, so it keeps what it had).
    ``curation``: decisions applied to each article before it is written (and first to the
    stored articles, when the store's curation graph is not in step with them). On
    KeyboardInterrupt the batches already written stay, the report says ``interrupted`` and
    the exception propagates after the store is flushed.
    """
    started = time.perf_counter()
    report = IngestReport()
    files, skipped = discover(paths)
    report.files = len(files)
    report.skipped = [(str(p), why) for p, why in skipped]
    progress = Progress(len(files))
    report.recovered = store.drop_unfinished()
    bring_in_step(store, curation)
    found = _to_extract(store, articles_of(files, report, progress), force, report, progress)
    todo = ((article, replace, text) for article, replace in found)
    extraction = extraction or (lambda items: extracting(items, jobs))
    try:
        with extraction(todo) as results:
            write_all(store, results, report, batch, progress, on_progress, curation)
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    finally:
        finish(store, report, started)
    return report


def write_all(
    store: Store,
    results: Iterable[Extracted],
    report: IngestReport,
    batch: int = BATCH,
    progress: Progress | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    curation: Curation | None = None,
) -> None:
    """Write extracted articles ``batch`` at a time, each batch marked as it is written, each
    article with the ``curation`` decisions applied first."""
    for written in batched(results, batch):
        _write(store, [_curated(item, curation) for item in written], report)
        if progress is not None:
            progress.articles = report.articles
            if on_progress is not None:
                on_progress(progress)


def bring_in_step(store: Store, curation: Curation | None) -> None:
    """Apply ``curation`` to the stored articles when the store was curated with other decisions
    (the file changed since), before a run writes more."""
    if curation is not None:
        from policykg.curation import stored

        if not stored.in_step(store, curation):
            stored.apply(store, curation)  # the file changed since the store was curated


def finish(store: Store, report: IngestReport, started: float) -> None:
    """What ends a run that wrote articles, completed or interrupted."""
    store.flush()
    if report.articles >= COMPACT_AFTER and not report.interrupted:
        store.compact()  # rewrites the whole store: worth it after a large run only
    report.elapsed = time.perf_counter() - started


def usable_cores() -> int:
    """The cores this process may run on (its affinity where the system says), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def _to_extract(
    store: Store, articles: Iterator[Article], force: bool, report: IngestReport, progress: Progress
) -> Iterator[tuple[Article, bool]]:
    """Articles that need extracting, with whether they replace a stored version."""
    for article in unique(articles, report):
        stored = store.content_hash(article_iri(article.identifier))
        if stored == article.content_hash and not force:
            report.unchanged += 1
            progress.unchanged += 1
            continue
        yield article, stored is not None


def unique(articles: Iterable[Article], report: IngestReport) -> Iterator[Article]:
    """``articles`` but those whose identifier an earlier one of the run has (an error each)."""
    seen: dict[str, str] = {}  # identifier -> where the first input with it came from
    for article in articles:
        where = _where(article)
        if (first := seen.get(article.identifier)) is not None:
            report.errors.append(
                (
                    where,
                    f"{where}: not ingested, its identifier {article.identifier!r} is also that of "
                    f'{first} in this run; give each article its own path or "id"',
                )
            )
            continue
        seen[article.identifier] = where
        yield article


def _where(article: Article) -> str:
    """Where an article came from, for a message: its file, ``FILE:LINE`` for a record."""
    return f"{article.source}:{article.line}" if article.line is not None else article.source


def _pool(jobs: int) -> multiprocessing.pool.Pool:
    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:
        # built once here, each forked worker starts with the pipeline and the gazetteer ready
        # instead of spending 1.5-2 s building its own
        from policykg.extract.pipeline import shared
        from policykg.places.gazetteer import load

        shared()
        load()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    # a worker is replaced after a while: spaCy's string store keeps every new word it sees,
    # so a long-lived worker would grow with the corpus
    return context.Pool(jobs, maxtasksperchild=WORKER_TASKS)


def _extract_all(todo: Todo, pool: multiprocessing.pool.Pool | None, jobs: int) -> Iterator[Extracted]:
    if pool is None:
        for task in todo:
            yield extract_here(*task)
        return
    # Pool.imap reads its input ahead in a thread of its own: a semaphore keeps at most a few
    # batches in flight, so memory stays bounded and the workers never wait for the writer
    in_flight = threading.Semaphore(64 * jobs)
    stopped = threading.Event()

    def fed() -> Iterator[tuple[Article, bool, bool]]:
        for task in todo:
            while not in_flight.acquire(timeout=0.1):
                if stopped.is_set():
                    return
            yield task

    try:
        for result in pool.imap(_extract_task, fed(), chunksize=4):
            in_flight.release()
            yield result
    finally:
        stopped.set()


def _fresh_pipeline() -> None:
    from policykg.extract.pipeline import shared

    shared.cache_clear()


def _write(store: Store, batch: list[Extracted], report: IngestReport) -> None:
    """New articles are written together, then marked; a replaced article is one transaction."""
    fresh = [e for e in batch if not e.replace and not e.failure]
    if fresh:
        contribution = merged(e.contribution or contribution_of(e.nquads) for e in fresh)
        store.add_articles(b"".join(e.nquads for e in fresh), b"".join(e.marker for e in fresh), contribution)
    for item in batch:
        if item.replace and not item.failure:
            store.replace_graph(item.graph, item.nquads + item.marker)
    for item in batch:
        tally(report, item)


def tally(report: IngestReport, item: Extracted) -> None:
    """Count an article written (or stored in a shard) into ``report``; one the extractor
    failed on is noted as skipped."""
    if item.failure:
        report.skipped.append((item.identifier, item.failure))
        return
    report.replaced += item.replace
    report.articles += 1
    report.triples += item.quads
    report.entities.update(item.entities)
    report.text_bytes += item.text_bytes


def _curated(item: Extracted, curation: Curation | None) -> Extracted:
    """``item`` with the curation decisions applied (itself when none touches it)."""
    if curation is None or not curation or item.failure:
        return item
    from policykg.curation.apply import curate_nquads

    changed = curate_nquads(item.nquads + item.marker, curation)
    if changed is None:
        return item
    marker = f" <{PKG_NS}contentHash> ".encode()
    lines = changed.splitlines(keepends=True)
    body = b"".join(line for line in lines if marker not in line.split(b'"', 1)[0])
    hashes = b"".join(line for line in lines if marker in line.split(b'"', 1)[0])
    return dataclasses.replace(item, nquads=body, marker=hashes, contribution=None)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter); ``itertools.batched`` of Python 3.12."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def remove_articles(store: Store, names: list[str]) -> tuple[list[str], list[str]]:
    """Drop the graphs of the articles of these exact identifiers; (removed, not found).

    What an interrupted ingest left unfinished goes first, as at the start of an ingest: an
    unfinished article is not in the store, and what it partly wrote is cleaned up only there.
    """
    store.drop_unfinished()
    removed, missing = [], []
    for name in names:
        if store.remove_graph(article_iri(name)):
            removed.append(name)
        else:
            missing.append(name)
    store.flush()
    return removed, missing
