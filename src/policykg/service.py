"""The operations of policykg, once: what the CLI, the Python API and a server call.

Each function takes a store (or the folder of one, where a query runs in a child process),
returns data (rows, a report, citations) and raises ``PolicyKGError`` subclasses; none
prints or knows about click. spaCy is imported only by the operations that extract.
"""

from __future__ import annotations

import contextlib
import json
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from policykg.errors import ClusterError, InputError, PolicyKGError, QueryError, StoreError
from policykg.store import (
    Dataset,
    Endpoint,
    Location,
    QuerySolutions,
    Store,
    open_store,
    read_retrying,
    snapshots,
    store_exists,
)

T = TypeVar("T")

if TYPE_CHECKING:
    from policykg.cluster import DaskExtraction
    from policykg.curation import Curation, Decision
    from policykg.ingest import IngestReport, Progress
    from policykg.quality.sample import Sample
    from policykg.quality.validate import Report
    from policykg.query.articles import ArticleDetail, ArticleInfo
    from policykg.query.ask import Match
    from policykg.query.evidence import Citation
    from policykg.query.results import Rendered
    from policykg.query.runner import QueryJob
    from policykg.query.saved import SavedQuery
    from policykg.records import ArticleRecord
    from policykg.shards import ShardsReport
    from policykg.store.probe import Finding

DEFAULT_STORE = Path("policykg-store")
ParamValues = Mapping[str, str | Sequence[str]]  # a value, or several for a repeated parameter


StoreLike = (
    Store | Location
)  # an open store, or where one is: a folder or a server (opened and closed by the call)


# -- stores ----------------------------------------------------------------------------------


@contextlib.contextmanager
def opened(store: StoreLike, read_only: bool = True) -> Iterator[Store]:
    """``store`` itself, or the store at the folder or server ``store`` for the time of the block.

    A folder's store is closed at the end, so a writer's lock ends with the operation; a
    write that completes publishes a snapshot for the server reading the store, if one does.
    """
    if not isinstance(store, Path | Endpoint):
        yield store
        return
    handle = open_store(store, read_only=read_only)
    try:
        yield handle
        if not read_only and isinstance(store, Path) and snapshots.served(store):
            handle.publish_snapshot()  # a server reads this store: show it what the command wrote
    finally:
        handle.close()


def snapshot_for_readers(path: Path) -> bool:
    """Publish a snapshot of the store at ``path`` for a server's readers, and keep publishing
    one after each completed write (:mod:`policykg.store.snapshots`); False when a writer holds
    the store now (the readers then use the last snapshot, or read live until the writer ends)."""
    snapshots.folder(path).mkdir(exist_ok=True)
    try:
        handle = open_store(path, read_only=False)
    except StoreError:
        return False
    try:
        handle.publish_snapshot()
    finally:
        handle.close()
    return True


def check_store(path: Location) -> None:
    """Raise the usual error when ``path`` holds no store (a server is asked by the first read)."""
    if not store_exists(path):
        raise StoreError(f"no store at {path}; run 'policykg ingest PATH' first (or pass --store)")


# -- ingest, extract, remove -----------------------------------------------------------------


def ingest(
    store: StoreLike,
    paths: Sequence[Path],
    force: bool = False,
    jobs: int = 1,
    batch: int | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    dask: str | None = None,
    text: bool = True,
) -> IngestReport:
    """Extract the articles under ``paths`` into ``store``; a bad file is in the report, not fatal.

    ``dask``: the address of a Dask scheduler that extracts (``local``: ``jobs`` worker
    processes of a LocalCluster here); this process still writes. ``text=False`` leaves the
    articles' text out of the store (their facts and sentences stay).
    """
    from policykg.ingest import BATCH, ingest_paths

    _check_paths(paths)
    cluster = _dask(dask, jobs, batch or BATCH)
    decisions = curation(store)
    with opened(store, read_only=False) as target:
        report = ingest_paths(
            target,
            list(paths),
            force=force,
            jobs=jobs,
            on_progress=on_progress,
            batch=batch or BATCH,
            extraction=cluster,
            text=text,
            curation=decisions,
        )
    report.workers = cluster.workers if cluster is not None else 0
    return report


def extract_to(
    folder: Path,
    paths: Sequence[Path],
    jobs: int = 1,
    size: int | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    dask: str | None = None,
    text: bool = True,
) -> ShardsReport:
    """Extract the articles under ``paths`` into shard files in ``folder`` (see
    :mod:`policykg.shards`), no store touched; shards complete already are kept. ``text=False``
    leaves the articles' text out of the quads, as for ``ingest``."""
    from policykg.shards import SHARD, extract_to

    _check_paths(paths)
    cluster = _dask(dask, jobs)
    report = extract_to(
        folder,
        list(paths),
        jobs=jobs,
        size=size or SHARD,
        extraction=cluster,
        on_progress=on_progress,
        text=text,
    )
    report.workers = cluster.workers if cluster is not None else 0
    return report


def load(
    store: StoreLike,
    folder: Path,
    batch: int | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> IngestReport:
    """Write the shards in ``folder`` into ``store``, skipping the articles it holds unchanged.
    The folder is checked whole first: a bad one raises ``ShardError`` and the store is untouched."""
    from policykg.ingest import BATCH
    from policykg.shards import load_shards, open_shards

    shards = open_shards(folder)
    decisions = curation(store)
    with opened(store, read_only=False) as target:
        return load_shards(target, shards, batch=batch or BATCH, on_progress=on_progress, curation=decisions)


def _dask(address: str | None, jobs: int, task: int | None = None) -> DaskExtraction | None:
    """The Dask extraction at ``address`` (None: none); ClusterError when Dask is missing."""
    if address is None:
        return None
    try:
        from policykg.cluster import DaskExtraction
    except ImportError as err:
        raise ClusterError(
            f"--dask needs Dask's distributed scheduler ({err}); install it: pip install 'policykg[dask]'"
        ) from err
    from policykg.ingest import BATCH

    return DaskExtraction(address, jobs=jobs, task=task or BATCH)


# -- curation --------------------------------------------------------------------------------


def curation_file(store: StoreLike) -> Path | None:
    """Where the curation file of ``store`` is: ``POLICYKG_CURATION`` when set; for a folder,
    the file its manifest names, else ``NAME.curation.csv`` beside the folder; for a server,
    ``policykg-curation.csv`` in the working folder; None for a store opened in memory."""
    import os

    from policykg.store.oxigraph import curation_file as recorded

    if given := os.environ.get("POLICYKG_CURATION"):
        return Path(given)
    if isinstance(store, Endpoint):
        return Path("policykg-curation.csv")
    folder = store if isinstance(store, Path) else getattr(store, "path", None)
    if not isinstance(folder, Path):
        return None
    named = recorded(folder)
    if named:
        return Path(named) if Path(named).is_absolute() else Path(os.path.normpath(folder / named))
    return folder.parent / f"{folder.name}.curation.csv"


def curation(store: StoreLike) -> Curation:
    """The decisions of the curation file of ``store`` (none without a file)."""
    from policykg.curation import Curation
    from policykg.curation.decisions import read

    file = curation_file(store)
    return Curation.of(read(file)) if file is not None else Curation()


@dataclass(frozen=True)
class Curated:
    """What a curation command did: the file it wrote and the articles it rewrote."""

    file: Path
    articles: int
    decision: Decision | None = None


def curate(store: StoreLike, decision: Decision, file: Path | None = None) -> Curated:
    """Take ``decision``: check it against the (curated) store, add it to the curation file (or
    ``file``, which the store's manifest then names), and apply it to the stored articles.
    Nothing is written when it is refused."""
    from policykg.curation import Curation, CurationError
    from policykg.curation import stored as curated
    from policykg.curation.decisions import check, read, write

    target = file or curation_file(store)
    if target is None:
        raise CurationError("a store in memory has no curation file; open one by its folder")
    problem = check(decision)
    if problem:
        raise CurationError(problem)
    before = read(target)
    what = (decision.action, decision.target, decision.predicate, decision.value)
    same = next((d for d in before if (d.action, d.target, d.predicate, d.value) == what), None)
    if same is not None:
        raise CurationError(f"already decided: {same.describe()} (in {target})")
    if isinstance(store, Path | Endpoint):
        check_store(store)
    with opened(store, read_only=False) as handle:
        curated.check(handle, decision, Curation.of(before))
        after = [*before, decision]
        resolved = Curation.of(after)
        write(target, after)
        if isinstance(store, Path):
            _record_curation_file(store, target)
        return Curated(target, curated.apply(handle, resolved), decision)


def curate_apply(store: StoreLike) -> Curated:
    """Apply the curation file to what is stored (after editing the file by hand, a pull, or a
    run stopped half-way)."""
    from policykg.curation import stored as curated

    decisions = curation(store)
    if isinstance(store, Path | Endpoint):
        check_store(store)
    with opened(store, read_only=False) as handle:
        return Curated(curation_file(store) or Path("-"), curated.apply(handle, decisions))


def decisions_about(store: StoreLike, *iris: str) -> list[Decision]:
    """The decisions of the curation file about any of ``iris`` (for ``why``): those naming one,
    and the rejected statements of which one is the subject."""
    from policykg.curation import stored

    decisions = curation(store)
    if not decisions:
        return []
    return reading(store, lambda source: stored.decisions_about(source, decisions, *iris))


def _record_curation_file(folder: Path, file: Path) -> None:
    import os

    from policykg.store.oxigraph import record_curation_file

    absolute = file.resolve()
    try:
        named = os.path.relpath(absolute, folder.resolve())
    except ValueError:  # another drive
        named = str(absolute)
    record_curation_file(folder, named)


@dataclass
class Extraction:
    """What ``extract`` read: the records, one at a time, and what could not be read."""

    records: Iterator[ArticleRecord]
    report: IngestReport = field(repr=False)


def extract(paths: Sequence[Path]) -> Extraction:
    """The records that ingesting ``paths`` would store, without touching any store."""
    from policykg.ingest import IngestReport, articles_in, record_of

    _check_paths(paths)
    report = IngestReport()
    return Extraction((record_of(a) for a in articles_in(list(paths), report)), report)


def remove(store: StoreLike, articles: Sequence[str]) -> tuple[list[str], list[str]]:
    """Drop articles (by identifier) and what only they supported: (removed, not in the store)."""
    from policykg.ingest import remove_articles

    with opened(store, read_only=False) as target:
        return remove_articles(target, list(articles))


def _check_paths(paths: Sequence[Path]) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InputError(f"no such file or folder: {missing[0]}")


# -- queries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """A query ready to run: its SPARQL, its saved query (if any) and columns to sort."""

    sparql: str
    saved: SavedQuery | None = None
    dataset: Dataset | None = None  # named by the caller (the SPARQL protocol's graph parameters)

    @property
    def sort(self) -> tuple[str, ...]:
        return self.saved.sort if self.saved else ()

    def job(
        self,
        path: Location,
        fmt: str,
        limit: int | None = None,
        cap: int | None = None,
        explicit: bool = True,
        offset: int = 0,
    ) -> QueryJob:
        """This query as a job for a query process (:mod:`policykg.query.runner`, :mod:`policykg.web.readers`)."""
        from policykg.query.runner import QueryJob

        return QueryJob(path, self.sparql, fmt, limit, self.sort, cap, explicit, offset, self.dataset)


def saved_query(name: str, params: ParamValues | None = None) -> Prepared:
    """Saved query ``name`` with raw parameter values (``{"document": "Chỉ thị 05"}``) bound."""
    from policykg.query.saved import get

    saved = get(name)
    given = {k: [v] if isinstance(v, str) else list(v) for k, v in (params or {}).items()}
    return Prepared(saved.prepare(given), saved)


def ad_hoc(sparql: str, allow_remote: bool = False) -> Prepared:
    """An ad-hoc SPARQL query, refused if it writes or (unless ``allow_remote``) fetches."""
    from policykg.query.guard import check_read_only

    check_read_only(sparql, allow_remote)
    return Prepared(sparql)


@dataclass(frozen=True)
class Asked:
    """A plain question understood: the template's match and the query to run."""

    match: Match
    prepared: Prepared

    @property
    def command(self) -> str:
        return self.match.command()


def ask(question: str) -> Asked:
    """The saved query a plain question asks for; the closest examples when none matches."""
    from policykg.query.ask import suggestions, understand

    found = understand(question)
    if found is None:
        hints = "\n".join(f"  policykg ask {q!r}" for q in suggestions(question))
        raise QueryError(f"no question template matches {question!r}; the closest ones:\n{hints}")
    return Asked(found, saved_query(found.query, found.params))


def render(
    path: Location,
    prepared: Prepared,
    fmt: str,
    limit: int | None = None,
    timeout: float | None = None,
    explicit: bool = True,
    offset: int = 0,
    stream_to: BinaryIO | None = None,
    raw: bool = False,
) -> Rendered:
    """Run ``prepared`` on the store at ``path`` (in a child process killed after ``timeout``
    seconds) and format the result in ``fmt`` (for a graph, Turtle unless ``explicit``); a table for a person shows at most
    ``DISPLAY_CAP`` rows unless ``limit`` says otherwise; ``offset`` rows are skipped first.
    With ``stream_to`` (a file with a descriptor), a whole SELECT answer in a machine format is
    written there as the store yields it, and the text returned is empty. ``raw``: answer from
    the extraction before curation (built in memory when curation changed the store)."""
    import dataclasses

    from policykg.query.results import DISPLAY_CAP, FOR_PEOPLE
    from policykg.query.runner import run

    check_store(path)
    cap = DISPLAY_CAP if limit is None and fmt in FOR_PEOPLE else None
    job = dataclasses.replace(prepared.job(path, fmt, limit, cap, explicit, offset), raw=raw)
    if stream_to is not None and (descriptor := _descriptor(stream_to)) is not None:
        stream_to.flush()
        job = dataclasses.replace(job, stream_to=descriptor)
    return run(job, timeout)


def _descriptor(output: BinaryIO) -> int | None:
    """The file descriptor behind ``output``, or None (an in-memory buffer, a test's capture)."""
    try:
        return output.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
        return None


def update(store: StoreLike, sparql: str, allow_remote: bool = False) -> tuple[int, int]:
    """Run a deliberate SPARQL Update; the quads (before, after)."""
    from policykg.query.guard import check_update

    check_update(sparql, allow_remote)
    with opened(store, read_only=False) as target:
        before = len(target)
        target.update(sparql)
        target.flush()
        return before, len(target)


# -- export, why, validate, stats ------------------------------------------------------------


def export(
    store: StoreLike, fmt: str, with_ontology: bool = False, output: Path | BinaryIO | None = None
) -> bytes | None:
    """Serialise the store (sorted, stable): an RDF format (``jsonld`` with an ``@context`` of the
    ontology's prefixes), or the entity network as ``graphml`` or ``gexf``. A file ``output`` is
    replaced only when complete."""
    from policykg.exports.network import NETWORK_FORMATS, read_network, serialize

    if fmt in NETWORK_FORMATS:
        data = serialize(reading(store, read_network), fmt)
        if output is None:
            return data
        if isinstance(output, Path):
            _write_file(lambda out: out.write(data), output)
        else:
            output.write(data)
        return None
    with opened(store) as source:

        def write(out: BinaryIO | None) -> bytes | None:
            if fmt == "jsonld":
                return _jsonld(source, with_ontology, out)
            return source.export(fmt, with_ontology, output=out)

        if not isinstance(output, Path):
            return write(output)
        _write_file(write, output)
    return None


def _jsonld(source: Store, with_ontology: bool, output: BinaryIO | None) -> bytes | None:
    """The union graph as JSON-LD with the ontology's prefixes as ``@context``
    (:mod:`policykg.exports.jsonld`), from the store's sorted N-Triples export."""
    import io
    import tempfile

    from policykg.exports.jsonld import write_jsonld
    from policykg.store.results import read_ntriples

    buffer = io.BytesIO() if output is None else None
    with tempfile.TemporaryFile() as lines:
        source.export("ntriples", with_ontology, output=lines)
        lines.seek(0)
        write_jsonld(read_ntriples(lines), output or buffer or io.BytesIO())
    return buffer.getvalue() if buffer is not None else None


def _write_file(write: Callable[[BinaryIO], object], output: Path) -> None:
    """Write the export to ``output``: a device or a pipe (``/dev/stdout``) is written into, never
    replaced; a link's target is replaced, the link kept; a file keeps its permissions."""
    try:
        target = output.resolve() if output.is_symlink() else output
        if target.exists() and not target.is_file():
            with target.open("wb") as out:  # /dev/null, a FIFO: write into it, it stays what it is
                write(out)
            return
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
    except OSError as err:
        raise PolicyKGError(f"cannot write {output}: {err.strerror or err}") from err
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("wb") as out:
            write(out)
        if mode is not None:
            partial.chmod(mode)
        partial.replace(target)
    except OSError as err:
        raise PolicyKGError(f"cannot write {output}: {err.strerror or err}") from err
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def why_implements(
    store: StoreLike, document: str, locality: str | None = None, org: str | None = None
) -> list[Citation]:
    """The sentences that say who implements ``document`` (in a place, or by an organisation)."""
    from policykg.query.evidence import implementation_citations

    return reading(store, lambda source: implementation_citations(source, document, locality, org))


@dataclass(frozen=True)
class Evidence:
    """What supports one fact: its sentences, or where it comes from when none states it."""

    citations: list[Citation]
    origin: str | None = None


def why(store: StoreLike, subject: str, predicate: str, obj: str | None = None) -> Evidence:
    """The evidence for ``subject predicate [obj]`` (IRIs or prefixed names such as ``pkg:partOf``)."""
    from policykg.query.evidence import citations, expand, reference_origin

    terms = (expand(subject), expand(predicate), None if obj is None else expand(obj))

    def evidence(source: Store) -> Evidence:
        found = citations(source, *terms)
        return Evidence(found, None if found else reference_origin(source, *terms))

    return reading(store, evidence)


def validate(store: StoreLike | None = None, data: Path | None = None) -> Report:
    """Check the store, or the RDF file ``data``, against the SHACL shapes."""
    from policykg.quality.validate import load_file, validate_store
    from policykg.quality.validate import validate as run_validation

    if data is not None:
        return run_validation(load_file(data))
    if store is not None:
        return reading(store, validate_store)  # part by part: a big store fits in memory
    raise ValueError("unexpected call: validate needs a store or a file")


def stats(store: StoreLike) -> dict[str, int]:
    """Articles, entities per class, implementations and quads."""
    return reading(store, lambda source: source.stats())


def tables(store: StoreLike, folder: Path, fmt: str = "csv") -> list[Path]:
    """Write the graph as tidy tables (``csv`` or ``parquet``, the latter needing pyarrow) with a
    ``datapackage.json`` into ``folder``."""
    from policykg.exports.tables import check_format, table_rows, write_tables

    check_format(fmt)  # before the store is read: a missing pyarrow is said at once
    rows = reading(store, table_rows)
    try:
        return write_tables(rows, folder, fmt)
    except OSError as err:
        raise PolicyKGError(f"cannot write the tables to {folder}: {err.strerror or err}") from err


def articles(store: StoreLike, limit: int | None = None) -> list[ArticleInfo]:
    """The stored articles (dated ones by date, then the undated), with title, date, outlet,
    bylines and how many entities, implementations and achievements the graph took from each."""
    from policykg.query.articles import list_articles

    return reading(store, lambda source: list_articles(source, limit))


def article(store: StoreLike, identifier: str) -> ArticleDetail:
    """One article by identifier: what it is, its counts of entities and facts per kind, and
    its facts with their sentences and, when its text is kept, their paragraphs."""
    from policykg.query.articles import show_article

    return reading(store, lambda source: show_article(source, identifier))


def plot(
    store: StoreLike, name: str, params: ParamValues | None, output: Path, title: str | None = None
) -> Path:
    """Draw saved query ``name`` (parameters bound) as a chart in ``output`` (``.png`` or ``.svg``):
    the query's ``plot:`` header says which columns, else the first numeric column against the
    first; ``title`` defaults to the query and its parameters ("" for none)."""
    import dataclasses

    from policykg.exports.plot import cell, chart, check_output, draw
    from policykg.query.results import sort_key

    fmt = check_output(output)
    prepared = saved_query(name, params)

    def solutions(source: Store) -> tuple[list[str], list[list[object]]]:
        result = source.query(prepared.sparql)
        if not isinstance(result, QuerySolutions):  # pragma: no cover - saved queries are SELECTs
            raise QueryError(f"{name} does not return rows; only a SELECT can be plotted")
        columns = [v.value for v in result.variables]
        found = [[row[c] for c in columns] for row in result]
        order = [columns.index(c) for c in prepared.sort if c in columns]
        if order:
            found.sort(key=lambda row: tuple(sort_key(row[i]) for i in order))
        return columns, found

    columns, found = reading(store, solutions)
    spec = prepared.saved.plot if prepared.saved else None
    drawn = chart(name, columns, [[cell(t) for t in row] for row in found], spec)
    given = "; ".join(
        f"{k} {v if isinstance(v, str) else ', '.join(v)}" for k, v in (params or {}).items() if v
    )
    default = f"{name} ({given})" if given else name
    draw(dataclasses.replace(drawn, title=default if title is None else title), output, fmt)
    return output


def reading(store: StoreLike, operation: Callable[[Store], T]) -> T:
    """``operation`` on ``store`` or on the store at the folder or server ``store``, opened
    read-only (a folder's read again if an ingest beside it moves its files under the read)."""
    if not isinstance(store, Path | Endpoint):
        return operation(store)
    check_store(store)
    return read_retrying(store, operation)


# -- auditing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleSheet:
    """A drawn sample and where its sheet was written."""

    sample: Sample
    csv: Path
    markdown: Path


def sample(
    store: StoreLike,
    kind: str,
    size: int,
    seed: int,
    output: Path | None = None,
    articles: Path | None = None,
    force: bool = False,
) -> SampleSheet:
    """Draw a uniform random sample of ``kind`` and write it as a sheet to judge."""
    from policykg.quality.sample import article_graphs, read_identifiers, sample_items, write_sheet

    def draw(source: Store) -> Sample:
        within = article_graphs(source, read_identifiers(articles)) if articles else None
        return sample_items(source, kind, size, seed, within)

    drawn = reading(store, draw)
    csv_path, md_path = write_sheet(drawn, output or Path(f"sample-{kind}-{seed}"), force=force)
    return SampleSheet(drawn, csv_path, md_path)


def evaluate_gold(gold: Path, texts: Path | None = None) -> dict[str, Any]:
    """Precision, recall and F1 per kind against gold annotations."""
    from policykg.quality.evaluate import evaluate_folder

    return evaluate_folder(gold, texts)


def evaluate_judged(sheets: Sequence[Path]) -> dict[str, Any]:
    """Precision per kind of judged sample sheets, with Wilson intervals."""
    from policykg.quality.audit import score_sheets

    return score_sheets(sheets)


def write_report(scores: Mapping[str, Any], path: Path) -> None:
    """Scores as JSON in ``path``."""
    try:
        path.write_text(json.dumps(scores, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as err:
        raise PolicyKGError(f"cannot write {path}: {err.strerror or err}") from err


# -- a store on a SPARQL server ----------------------------------------------------------------


def check_server(url: str | Location) -> list[Finding]:
    """What works on the SPARQL server at ``url``, one finding each (``policykg store check``);
    the last says whether policykg can use it."""
    from policykg.store import locate
    from policykg.store.probe import check

    endpoint = locate(url) if isinstance(url, str) else url
    if not isinstance(endpoint, Endpoint):
        raise StoreError(f"{url} is a folder; 'store check' probes a SPARQL server: give its http(s):// URL")
    return check(endpoint)
