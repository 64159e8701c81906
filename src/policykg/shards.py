"""Extraction as shards: articles → N-Quads files in a folder (``extract --to DIR``), and those
files → a store (``load DIR``), so that extracting and writing can run apart, on other
machines or at other times, and a failed shard is simply redone.

A shard folder holds, for shard number ``N`` (five digits: ``00000``):

- ``N.nq.gz``: the N-Quads of the shard's articles, each article's quads followed by its
  completion marker (its ``pkg:contentHash`` quad): the bytes ``ingest`` would write;
- ``N.json``: the shard's index: its inputs, per article the identifier, content hash, quad
  count, the byte lengths of its quads and of its marker, its text size, entity counts and what
  it adds to the summary graph; the articles the extractor failed on; the SHA-256 of ``N.nq.gz``;
- ``manifest.json``, written once every shard is complete: the extractor version, the shard
  size, per shard its inputs, counts and the SHA-256 of both its files.

What an article contributes to the summary graph (worked out by the extraction workers, as in
``ingest``) is in the index too, so that the one writer, ``load``, need not parse the quads again.

A shard is the records of lines ``k·size+1`` to ``(k+1)·size`` of one JSON Lines file, or
``size`` text or HTML articles read one after another. Every file is written under a temporary
name and renamed when complete, so a killed run leaves complete shards and temporary files;
running it again removes those, keeps the shards whose index matches the articles read now
(identifiers and content hashes) and the file its SHA-256, and writes the others.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykg import __version__
from policykg.errors import ShardError
from policykg.ingest import (
    BATCH,
    Extracted,
    Extraction,
    IngestReport,
    Progress,
    Todo,
    articles_of,
    bring_in_step,
    extracting,
    finish,
    tally,
    unique,
    write_all,
)
from policykg.inputs import discover
from policykg.iri import article_iri
from policykg.records import Article
from policykg.store import Store
from policykg.store.summaries import Contribution, Implemented, Named, Totalled

if TYPE_CHECKING:
    from policykg.curation import Curation

FORMAT = "policykg-shards"
FORMAT_VERSION = 1
SHARD = 2000  # articles (JSON Lines: lines) per shard: a 38 MB corpus file is about 18 shards
MANIFEST = "manifest.json"
_SHARD_FILE = re.compile(r"^(\d{5,})\.(nq\.gz|json)$")
_TEMPORARY = re.compile(r"^\.(\d{5,}\.(nq\.gz|json)|manifest\.json)\.\d+\.tmp$")
# what decides the quads of an article: the extractor, in code and data
_EXTRACTOR = (
    "inputs",
    "extract",
    "places",
    "data",
    "rdf.py",
    "records.py",
    "iri.py",
    "text.py",
    "vocab.py",
    "terms.py",
    "kinds.py",
    "keys.py",
)


@functools.cache
def extractor_version() -> str:
    """``RELEASE+DIGEST``: policykg's release and a digest of the code and data that decide an
    article's quads (and spaCy's release), so that a changed rule is another extractor even
    before a release says so."""
    root = Path(__file__).parent
    digest = hashlib.sha256(f"spacy {metadata.version('spacy')}\n".encode())
    for name in _EXTRACTOR:
        path = root / name
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(file.relative_to(root).as_posix().encode() + b"\0")
                digest.update(file.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"


@dataclass
class ShardsReport(IngestReport):
    """What ``extract --to`` did: an ingest's counts (``unchanged``: articles of shards kept)."""

    shards: int = 0  # in the folder once the run is complete
    written: int = 0  # of them, written by this run (the others were complete already)


@dataclass
class Planned:
    """A shard to be: its number, what it is read from, its articles."""

    number: int
    inputs: list[dict[str, Any]]
    articles: list[Article] = field(default_factory=list)


def plan(articles: Iterable[Article], size: int = SHARD) -> Iterator[Planned]:
    """``articles`` in shards: a JSON Lines file's records by runs of ``size`` lines, other
    articles ``size`` at a time in the order they are read; numbered from 0.

    >>> a = [Article(f"a{n}", "x", 0, 1, "x", source="f.jsonl", line=n) for n in (1, 2, 3, 5)]
    >>> [(p.number, p.inputs, len(p.articles)) for p in plan(a, size=2)]
    [(0, [{'path': 'f.jsonl', 'lines': [1, 2]}], 2), (1, [{'path': 'f.jsonl', 'lines': [3, 4]}], 1), (2, [{'path': 'f.jsonl', 'lines': [5, 6]}], 1)]
    """
    number, key, group = 0, ("", "", -1), list[Article]()
    texts = 0
    for article in articles:
        if article.line is not None:
            here = ("jsonl", article.source, (article.line - 1) // size)
        elif key[0] == "text" and len(group) < size:
            here = key
        else:
            texts += 1
            here = ("text", "", texts)
        if here != key and group:
            yield Planned(number, _inputs(key, group, size), group)
            number, group = number + 1, []
        key = here
        group.append(article)
    if group:
        yield Planned(number, _inputs(key, group, size), group)


def _inputs(key: tuple[str, str, int], group: list[Article], size: int) -> list[dict[str, Any]]:
    kind, source, run = key
    if kind == "jsonl":
        return [{"path": source, "lines": [run * size + 1, (run + 1) * size]}]
    return [{"path": article.source} for article in group]


def _name(number: int) -> str:
    return f"{number:05d}"


# -- extract --to -------------------------------------------------------------------------------


def extract_to(
    folder: Path,
    paths: list[Path],
    jobs: int = 1,
    size: int = SHARD,
    extraction: Extraction | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    text: bool = True,
) -> ShardsReport:
    """Extract the articles under ``paths`` into shards in ``folder``, those not complete yet;
    ``text``: keep each article's normalised text in its graph (``pkg:text``), as ``ingest``.

    A bad input is in the report, not fatal, as for ``ingest``. On KeyboardInterrupt the
    shards written stay, the others' temporary files go and ``manifest.json`` is not written.
    """
    started = time.perf_counter()
    version = extractor_version()
    _prepare(folder, version)
    report = ShardsReport()
    files, skipped = discover(paths)
    report.files = len(files)
    report.skipped = [(str(p), why) for p, why in skipped]
    progress = Progress(len(files))
    done: dict[int, dict[str, Any]] = {}  # shard number -> its manifest entry
    writing: dict[str, _Writing] = {}  # article graph -> the shard being written that holds it
    unfinished: set[_Writing] = set()  # shards begun and not yet in place

    def todo() -> Todo:
        for planned in plan(unique(articles_of(files, report, progress), report), size):
            if (entry := _kept(folder, planned, version, text)) is not None:
                done[planned.number] = entry
                report.unchanged += len(planned.articles)
                progress.unchanged += len(planned.articles)
                continue
            shard = _Writing(folder, planned, version, text)
            unfinished.add(shard)
            writing.update((article_iri(a.identifier), shard) for a in planned.articles)
            yield from ((article, False, text) for article in planned.articles)

    extraction = extraction or (lambda items: extracting(items, jobs))
    try:
        with extraction(todo()) as results:
            for item in results:
                tally(report, item)
                shard = writing.pop(item.graph)
                if shard.add(item):
                    done[shard.planned.number] = shard.close()
                    unfinished.discard(shard)
                    report.written += 1
                progress.articles = report.articles
                if on_progress is not None:
                    on_progress(progress)
        _finish_folder(folder, version, size, text, [done[n] for n in sorted(done)])
        report.shards = len(done)
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    finally:
        for shard in list(unfinished):
            shard.abandon()
        report.elapsed = time.perf_counter() - started
    return report


def _prepare(folder: Path, version: str) -> None:
    """Make ``folder`` ready for shards: a new or empty folder, or one of this extractor's
    shards (its ``manifest.json`` is taken away until the run completes); anything else is
    refused."""
    if folder.exists() and not folder.is_dir():
        raise ShardError(f"{folder} is a file, not a shard folder; give a new or empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in folder.iterdir())
    others = [n for n in names if n != MANIFEST and not _SHARD_FILE.match(n) and not _TEMPORARY.match(n)]
    if others:
        raise ShardError(
            f"{folder} holds other files ({others[0]}{', …' if len(others) > 1 else ''}), not shards; "
            "give a new or empty folder"
        )
    if MANIFEST in names:
        try:
            held = _json(folder / MANIFEST).get("extractor")
        except ShardError:
            held = version  # a damaged manifest is written again at the end of this run
        if held != version:
            raise ShardError(
                f"{folder} holds the shards of extractor {held} and this policykg's is {version}: "
                "give another folder, or empty this one to extract afresh"
            )
        (folder / MANIFEST).unlink()  # the folder is a complete extraction again once this run is
    for name in names:
        if _TEMPORARY.match(name):
            (folder / name).unlink()  # left by a killed run


def _kept(folder: Path, planned: Planned, version: str, text: bool) -> dict[str, Any] | None:
    """The manifest entry of the shard ``planned`` when it is complete in ``folder`` already:
    its index is this extractor's, lists these articles with these content hashes, and its
    N-Quads file is the one the index names; the articles' text is kept in it or not as asked."""
    index_file = folder / f"{_name(planned.number)}.json"
    try:
        index = _json(index_file)
        held = {(a["id"], a["hash"]) for a in index["articles"]} | {
            (f["id"], f["hash"]) for f in index["failed"]
        }
        nquads = folder / index["nquads"]
        if (
            index.get("extractor") != version
            or index.get("text", True) != text
            or held != {(a.identifier, a.content_hash) for a in planned.articles}
            or _sha256(nquads) != index["sha256"]
        ):
            return None
    except (OSError, ShardError, KeyError, TypeError):
        return None
    return _entry(planned.number, index, index_file)


class _Writing:
    """A shard being written: its articles' quads go to a temporary file as they come."""

    def __init__(self, folder: Path, planned: Planned, version: str, text: bool = True) -> None:
        self.folder, self.planned, self.version, self.text = folder, planned, version, text
        self.waiting = {article_iri(a.identifier): a for a in planned.articles}
        self.name = _name(planned.number)
        self.temporary = folder / f".{self.name}.nq.gz.{os.getpid()}.tmp"
        self._raw = self.temporary.open("wb")
        # no name, no time in the gzip header: the same articles make the same bytes
        self._file = gzip.GzipFile(fileobj=self._raw, mode="wb", filename="", mtime=0)
        self.articles: list[dict[str, Any]] = []
        self.failed: list[dict[str, Any]] = []

    def add(self, item: Extracted) -> bool:
        """Add one extracted article; True once the shard has them all."""
        article = self.waiting.pop(item.graph)
        if item.failure:
            self.failed.append(
                {
                    "id": article.identifier,
                    "hash": article.content_hash,
                    "where": item.identifier,
                    "why": item.failure,
                }
            )
        else:
            self._file.write(item.nquads)
            self._file.write(item.marker)
            self.articles.append(
                {
                    "id": article.identifier,
                    "hash": article.content_hash,
                    "quads": item.quads,
                    "bytes": [len(item.nquads), len(item.marker)],
                    "text_bytes": item.text_bytes,
                    "entities": dict(sorted(item.entities.items())),
                    "summary": _summary_of(item.contribution),
                }
            )
        return not self.waiting

    def close(self) -> dict[str, Any]:
        """Put the complete shard in place, its N-Quads then its index; its manifest entry."""
        self._file.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        nquads = self.folder / f"{self.name}.nq.gz"
        os.replace(self.temporary, nquads)
        index = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "extractor": self.version,
            "text": self.text,
            "shard": self.planned.number,
            "inputs": self.planned.inputs,
            "nquads": nquads.name,
            "sha256": _sha256(nquads),
            "articles": self.articles,
            "failed": self.failed,
        }
        index_file = self.folder / f"{self.name}.json"
        _write_atomically(index_file, _dumps(index))
        return _entry(self.planned.number, index, index_file)

    def abandon(self) -> None:
        """Drop an unfinished shard's temporary file."""
        self._file.close()
        self._raw.close()
        self.temporary.unlink(missing_ok=True)


def _entry(number: int, index: dict[str, Any], index_file: Path) -> dict[str, Any]:
    articles = index["articles"]
    return {
        "shard": number,
        "inputs": index["inputs"],
        "articles": len(articles),
        "failed": len(index["failed"]),
        "quads": sum(a["quads"] for a in articles),
        "text_bytes": sum(a["text_bytes"] for a in articles),
        "nquads": index["nquads"],
        "nquads_sha256": index["sha256"],
        "index": index_file.name,
        "index_sha256": _sha256(index_file),
    }


def _finish_folder(folder: Path, version: str, size: int, text: bool, entries: list[dict[str, Any]]) -> None:
    """Remove the shards of an earlier run that this one has no more, then write the manifest."""
    numbers = {entry["shard"] for entry in entries}
    for path in folder.iterdir():
        if (match := _SHARD_FILE.match(path.name)) and int(match.group(1)) not in numbers:
            path.unlink()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "extractor": version,
        "policykg": __version__,
        "shard_size": size,
        "text": text,
        "articles": sum(e["articles"] for e in entries),
        "failed": sum(e["failed"] for e in entries),
        "quads": sum(e["quads"] for e in entries),
        "shards": entries,
    }
    _write_atomically(folder / MANIFEST, _dumps(manifest, indent=1))


def shards_summary(report: ShardsReport, folder: Path, jobs: int) -> str:
    """What ``extract --to`` did, as the lines it prints."""
    by = f"{report.workers} Dask worker(s)" if report.workers else f"{jobs} job(s)"
    lines = [
        f"extracted {report.articles} article(s) into {report.written} shard(s), {report.unchanged} "
        f"article(s) in complete shards kept, {report.triples} quads in {report.elapsed:.1f}s "
        f"into {folder} ({report.shards} shard(s))"
    ]
    if report.articles and report.elapsed:
        rate, megabytes = report.articles / report.elapsed, report.text_bytes / 1e6
        lines.append(f"rate: {rate:.1f} articles/s, {megabytes / report.elapsed:.2f} MB/s of text with {by}")
    return "\n".join(lines) + "\n"


# -- load ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shards:
    """A complete shard folder, checked whole (``open_shards``)."""

    folder: Path
    manifest: dict[str, Any]

    def __len__(self) -> int:
        return len(self.manifest["shards"])


def open_shards(folder: Path) -> Shards:
    """The shard folder ``folder``, every file checked against the manifest before anything is
    written from it; ShardError when it is none, not finished, damaged or another extractor's."""
    extract = f"'policykg extract --to {folder} PATHS'"
    if not folder.is_dir():
        raise ShardError(f"{folder} is not a shard folder (no such folder); write one with {extract}")
    if not (folder / MANIFEST).is_file():
        if any(_SHARD_FILE.match(p.name) for p in folder.iterdir()):
            raise ShardError(
                f"{folder}: the extraction is not finished (no {MANIFEST} yet); run {extract} again"
            )
        raise ShardError(f"{folder} is not a shard folder (no {MANIFEST}); write one with {extract}")
    manifest = _json(folder / MANIFEST)
    if manifest.get("format") != FORMAT:
        raise ShardError(
            f"{folder} is not a shard folder ({MANIFEST} is not policykg's); write one with {extract}"
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ShardError(
            f"{folder}: shards of format {manifest.get('format_version')}, this policykg reads {FORMAT_VERSION}; "
            f"extract again with {extract}"
        )
    if (held := manifest.get("extractor")) != extractor_version():
        raise ShardError(
            f"{folder} holds the shards of extractor {held} and this policykg's is {extractor_version()}: "
            f"extract again into another folder, or load with the policykg that wrote them"
        )
    try:
        for entry in manifest["shards"]:
            for name, digest in (
                (entry["nquads"], entry["nquads_sha256"]),
                (entry["index"], entry["index_sha256"]),
            ):
                path = folder / name
                if not _SHARD_FILE.match(name) or not path.is_file():
                    raise ShardError(f"{path} is missing; run {extract} again to redo it")
                if _sha256(path) != digest:
                    raise ShardError(
                        f"{path} is damaged (not the file the manifest lists); run {extract} again to redo it"
                    )
    except (KeyError, TypeError) as err:
        raise ShardError(
            f"{folder / MANIFEST} is damaged ({type(err).__name__}: {err}); run {extract} again"
        ) from err
    return Shards(folder, manifest)


def shard_items(shards: Shards, progress: Progress | None = None) -> Iterator[tuple[str, Extracted]]:
    """Every article of the shards as extracted, with its content hash, in the manifest's order;
    those the extractor failed on as failures. ``progress`` counts the shards begun."""
    for entry in shards.manifest["shards"]:
        if progress is not None:
            progress.files += 1
        index = _json(shards.folder / entry["index"])
        for failed in index["failed"]:
            graph = article_iri(failed["id"])
            yield (
                failed["hash"],
                Extracted(failed["where"], graph, b"", b"", 0, Counter(), 0, failure=failed["why"]),
            )
        path = shards.folder / entry["nquads"]
        with gzip.open(path, "rb") as stream:
            for article in index["articles"]:
                body, marker = article["bytes"]
                nquads, mark = stream.read(body), stream.read(marker)
                if len(nquads) != body or len(mark) != marker:
                    raise ShardError(f"{path} ends before {article['id']!r}: damaged; extract it again")
                graph = article_iri(article["id"])
                counts = Counter(article["entities"])
                summary = _contribution(article["summary"], graph) if article.get("summary") else None
                extracted = Extracted(
                    article["id"],
                    graph,
                    nquads,
                    mark,
                    article["quads"],
                    counts,
                    article["text_bytes"],
                    contribution=summary,
                )
                yield article["hash"], extracted


def load_shards(
    store: Store,
    shards: Shards,
    batch: int = BATCH,
    on_progress: Callable[[Progress], None] | None = None,
    curation: Curation | None = None,
) -> IngestReport:
    """Write the articles of ``shards`` into ``store`` as ``ingest`` would: those whose content
    hash the store holds are skipped, a changed one replaces its graph, new ones are written
    ``batch`` at a time with their markers, so an interrupted load is finished by another. The
    shards hold what the extractor found; ``curation`` is applied as each article is written."""
    started = time.perf_counter()
    report = IngestReport(files=len(shards))
    progress = Progress(len(shards))
    report.recovered = store.drop_unfinished()
    bring_in_step(store, curation)

    def todo() -> Iterator[Extracted]:
        for content_hash, item in shard_items(shards, progress):
            if item.failure:
                yield item
                continue
            stored = store.content_hash(item.graph)
            if stored == content_hash:
                report.unchanged += 1
                progress.unchanged += 1
                continue
            yield replace(item, replace=stored is not None)

    try:
        write_all(store, todo(), report, batch, progress, on_progress, curation)
    except KeyboardInterrupt:
        report.interrupted = True
        raise
    finally:
        finish(store, report, started)
    return report


def _summary_of(contribution: Contribution | None) -> dict[str, Any] | None:
    """What one article adds to the summaries (see :mod:`policykg.store.summaries`), as JSON:
    terms in N-Triples form, the article's date once (None: ``load`` works it out)."""
    if contribution is None or len(contribution.graphs) != 1:
        return None
    (graph,) = contribution.graphs
    held: list[Implemented | Named] = [
        *contribution.implementations.values(),
        *contribution.entities.values(),
    ]
    return {
        "date": held[0].articles[graph] if held else None,
        "implements": [
            [node, item.actor, item.document, sorted(item.places), item.statements]
            for node, item in sorted(contribution.implementations.items())
        ],
        "entities": sorted(contribution.entities),
        "totals": [
            [node, total.unit, total.year, total.results, str(total.total)]
            for node, total in sorted(contribution.totals.items())
        ],
    }


def _contribution(data: dict[str, Any], graph: str) -> Contribution:
    """The contribution :func:`_summary_of` wrote, of the article ``graph``."""
    date = data["date"]
    return Contribution(
        graphs=frozenset([graph]),
        implementations={
            node: Implemented(actor, document, {graph: date}, set(places), statements)
            for node, actor, document, places, statements in data["implements"]
        },
        entities={node: Named({graph: date}) for node in data["entities"]},
        totals={
            node: Totalled(unit, year, results, Decimal(total))
            for node, unit, year, results, total in data["totals"]
        },
    )


# -- files --------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as err:
        raise ShardError(f"{path} cannot be read ({err}); run 'policykg extract --to' again") from err
    if not isinstance(data, dict):
        raise ShardError(f"{path} is not a policykg shard file; run 'policykg extract --to' again")
    return data


def _dumps(data: dict[str, Any], indent: int | None = None) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=indent) + "\n").encode("utf-8")


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
