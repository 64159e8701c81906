"""The embedded Oxigraph store (RocksDB on disk): the implementation of ``Store`` today.

The only module that opens a ``pyoxigraph.Store`` and knows the store's on-disk files.
"""

from __future__ import annotations

import io
import itertools
import json
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, TypeVar, cast

import pyoxigraph as ox

from policykg.errors import QueryError, StoreError
from policykg.kinds import ENTITY_CLASSES
from policykg.store import summaries
from policykg.store.extsort import sorted_unique
from policykg.store.protocol import Dataset, describe
from policykg.store.terms import Bindings, QueryResult
from policykg.store.updates import canonical as _canonical
from policykg.store.updates import entity_data as _data
from policykg.store.updates import insert_data as _insert_data
from policykg.store.updates import line as _line
from policykg.store.updates import names_dataset
from policykg.store.updates import operations as _operations
from policykg.store.updates import removal as _removal
from policykg.store.updates import then as _then
from policykg.vocab import ENTITY_GRAPH_IRI, PKG, PREFIXES, RDF

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}
DATASET_FORMATS = {"trig", "nquads"}
BULK_LIMIT = 500_000  # quads; Oxigraph's bulk loader writes up to 1,000,000 in one ingestion
ARTICLE_NS = PREFIXES["article"]
# what marks a folder as a policykg store, and the layout of the graph it holds: 2 since exact
# article identity (issue 19) and pkg:Body, 3 since the summary graph (issue 17); stores without
# the file were written before. A layout-2 store is brought up to date when opened for writing.
MANIFEST = "policykg-store.json"
STORE_FORMAT = 3
_UPGRADABLE = {2}


def check_folder(path: Path) -> bool:
    """Whether ``path`` is to become a new store; raises StoreError if it must not be written.

    A store folder holds RocksDB's files and ``policykg-store.json`` (its layout and the
    pyoxigraph release that wrote it). Refused: a folder with other files in it (a user's
    thesis, their own ``LOG``), a store without the manifest (written by a policykg before
    it) or of another layout, and one another pyoxigraph release wrote (opening it for writing
    could upgrade its files so that release cannot read them any more).
    """
    if not path.exists() or not any(path.iterdir()):
        return True
    manifest = path / MANIFEST
    if not manifest.is_file():
        if OxigraphStore.exists(path):
            raise StoreError(
                f"{path} is a store written by an earlier policykg (it has no {MANIFEST}); its graph "
                "layout differs from this version's: ingest into a new --store (or delete this one)"
            )
        raise StoreError(
            f"{path} holds other files and is not a policykg store; give a new or empty folder as --store"
        )
    try:
        layout, release = _manifest(path)
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise StoreError(
            f"{manifest} cannot be read ({err}); restore it or ingest into a new --store"
        ) from err
    if layout != STORE_FORMAT and layout not in _UPGRADABLE:
        raise StoreError(
            f"{path} holds a store of layout {layout}; this policykg writes layout {STORE_FORMAT}: "
            "ingest into a new --store"
        )
    if release.split(".")[:2] != ox.__version__.split(".")[:2]:
        raise StoreError(
            f"{path} was written by pyoxigraph {release} and this policykg runs {ox.__version__}; "
            f"writing could upgrade it so {release} cannot read it: export it with that release "
            "and ingest into a new --store"
        )
    return False


def _manifest(path: Path) -> tuple[int, str]:
    """(layout, pyoxigraph release) the manifest of the store at ``path`` records."""
    data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    return int(data["store_format"]), str(data["pyoxigraph"])


def _layout(path: Path) -> int | None:
    """The layout the manifest of the store at ``path`` records (None: none, or unreadable)."""
    try:
        return _manifest(path)[0]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_manifest(path: Path, curation: str | None = None) -> None:
    from policykg import __version__

    data: dict[str, object] = {
        "store_format": STORE_FORMAT,
        "policykg": __version__,
        "pyoxigraph": ox.__version__,
    }
    recorded = curation or curation_file(path)
    if recorded:
        data["curation"] = recorded
    (path / MANIFEST).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def curation_file(path: Path) -> str | None:
    """The curation file the manifest of the store at ``path`` names (relative to the store's
    folder), if it names one."""
    try:
        value = json.loads((path / MANIFEST).read_text(encoding="utf-8")).get("curation")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value else None


def record_curation_file(path: Path, file: str) -> None:
    """Name ``file`` (relative to the store's folder, or absolute) as the store's curation file."""
    if (path / MANIFEST).is_file():
        _write_manifest(path, file)


_READ_ATTEMPTS = 6
T = TypeVar("T")


def read_retrying(path: Path, operation: Callable[[OxigraphStore], T]) -> T:
    """``operation`` run on the store at ``path`` opened read-only, run again on a fresh open when
    a writer beside it (an ingest) removed a file the read needed. RocksDB compacts and deletes
    its files as it writes; a read-only open beside a live writer sees the files of its open,
    which may be gone by the time it reads them. ``operation`` must finish its reading (return
    data, not an iterator); reads are side-effect free, so running one again is safe.
    """
    for attempt in range(_READ_ATTEMPTS):
        store = OxigraphStore.open(path, read_only=True)
        try:
            return operation(store)
        except (OSError, RuntimeError, StoreError, QueryError) as err:
            if not _moved_by_writer(err):
                raise
            if attempt == _READ_ATTEMPTS - 1:
                raise StoreError(
                    f"cannot read the store at {path}: it is being written (an ingest?) and changed "
                    "under this read several times; try again, or when the writer ends"
                ) from err
        finally:
            store.close()
        time.sleep(0.02 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _open_beside_writer(path: Path) -> ox.Store:
    """A read-only store at ``path``, opened again when a writer beside it (an ingest) removed a
    file between listing and opening it (RocksDB compacts its files as it writes)."""
    for attempt in range(_READ_ATTEMPTS):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as err:
            if not _moved_by_writer(err) or attempt == _READ_ATTEMPTS - 1:
                if _moved_by_writer(err):
                    raise StoreError(
                        f"cannot read the store at {path}: it is being written (an ingest?) and changed "
                        "under this read several times; try again, or when the writer ends"
                    ) from err
                raise StoreError(_damaged(path, err)) from err
            time.sleep(0.02 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _moved_by_writer(err: Exception) -> bool:
    return "No such file or directory" in str(err)


def _damaged(path: Path, err: Exception) -> str:
    """One line for a store that cannot be opened, with what to do next."""
    reason = " ".join(str(err).split())[:200]
    return (
        f"cannot open the store at {path}: {reason}; if its files are damaged, restore the folder "
        "from a backup or ingest again into a new --store"
    )


class OxigraphStore:
    """A policykg store: article graphs in, SPARQL and serialisations out."""

    def __init__(self, store: ox.Store, path: Path | None) -> None:
        self._store = store
        self.path = path

    @property
    def location(self) -> str:
        return describe(self.path)

    @staticmethod
    def exists(path: Path) -> bool:
        """Whether ``path`` is a store folder (RocksDB writes ``CURRENT`` first)."""
        return (path / "CURRENT").exists()

    @classmethod
    def memory(cls) -> OxigraphStore:
        """An in-memory store (tests, evaluation)."""
        return cls(ox.Store(), None)

    @classmethod
    def open(cls, path: Path, read_only: bool = False) -> OxigraphStore:
        """Open the on-disk store at ``path``; read-only opens work beside a writer.

        A write open checks the folder first (:func:`check_folder`): a new or empty folder
        becomes a store with its manifest; a folder of other files, a store of another layout
        or one written by another pyoxigraph release is refused, never written into or upgraded.
        """
        if read_only:
            if not cls.exists(path):
                raise StoreError(f"no store at {path}; run 'policykg ingest PATH' first (or pass --store)")
            if _layout(path) in _UPGRADABLE:
                raise StoreError(
                    f"{path} was written by an earlier policykg, without the summaries saved queries read: "
                    "run 'policykg ingest' into it once (its articles, or an empty folder) to add them"
                )
            return cls(_open_beside_writer(path), path)
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path} is a file, not a store folder")
        new = check_folder(path)
        try:
            store = cls(ox.Store(str(path)), path)
        except (OSError, RuntimeError) as err:
            if "lock" in str(err).lower():
                raise StoreError(
                    f"the store at {path} is in use by another policykg process; "
                    "wait for it to finish or use another --store"
                ) from err
            raise StoreError(_damaged(path, err)) from err
        if new:
            _write_manifest(path)
        elif _layout(path) in _UPGRADABLE:
            store.rebuild_summaries()
            _write_manifest(path)
        return store

    # -- writing ----------------------------------------------------------------------------
    def replace_graph(self, graph: str, nquads: bytes) -> None:
        """Replace the named graph ``graph`` with the N-Quads ``nquads`` in one transaction.

        The entity-graph statements that only the old version supported go in the same
        transaction (see ``_forget``), and so do the summaries both versions count.
        """
        quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        kept = {
            q.object.value
            for q in quads
            if q.predicate == PKG.entityStatement and isinstance(q.object, ox.Literal)
        }
        deleted, inserted = self._summary_change([graph], summaries.contribution(quads))
        update = _operations(
            summaries.data("DELETE", deleted),
            self._forget(graph, kept),
            f"DROP SILENT GRAPH <{graph}>",
            _insert_data(quads),
            summaries.data("INSERT", inserted),
        )
        try:
            self._store.update(update)
        except OSError as err:
            raise StoreError(f"writing {graph} failed: {err}") from err

    def add_articles(
        self, data: bytes, markers: bytes, contribution: summaries.Contribution | None = None
    ) -> None:
        """Add the N-Quads of new articles, then those of their completion markers (content hashes).

        The quads go through Oxigraph's bulk loader: sorted files handed to RocksDB in one
        ingestion, about three times faster than a transaction, and the write buffers do not
        grow with the store. An article counts as stored once its marker is: the markers are
        one transaction written after the quads, and ``drop_unfinished`` removes any article
        graph that an interrupted run left without one. Past ``BULK_LIMIT`` quads (where the
        loader would split its work) the batch is one transaction instead. The summaries
        follow in the markers' transaction: ``contribution`` is what the articles add to them,
        worked out from ``data`` when not given (see ``ingest``, whose workers work it out).
        """
        try:
            if data.count(b"\n") <= BULK_LIMIT:
                self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            else:
                self._store.load(data, format=ox.RdfFormat.N_QUADS)
            if contribution is None:
                contribution = summaries.contribution_of(data)
            deleted, inserted = self._summary_change([], contribution)
            self._store.update(
                _operations(
                    _insert_data(ox.parse(markers, format=ox.RdfFormat.N_QUADS)),
                    summaries.data("DELETE", deleted),
                    summaries.data("INSERT", inserted),
                )
            )
        except (OSError, SyntaxError) as err:
            raise StoreError(
                f"writing a batch of articles failed; it is not marked as stored: {err}"
            ) from err

    def drop_unfinished(self) -> int:
        """Remove article graphs without a completion marker (left by a killed run); how many.

        A bulk load killed part-way may have written entity-graph statements without the
        article statements that support them: with unfinished graphs about, the entity graph
        is rebuilt from what the finished articles support, in the transaction that drops them.
        """
        finished = {q.graph_name for q in self._store.quads_for_pattern(None, PKG.contentHash, None)}
        unfinished = [
            graph.value
            for graph in self._store.named_graphs()
            if isinstance(graph, ox.NamedNode)
            and graph.value.startswith(ARTICLE_NS)
            and graph not in finished
        ]
        if unfinished:
            supported = _canonical(
                q.object.value
                for q in self._store.quads_for_pattern(None, PKG.entityStatement, None)
                if isinstance(q.object, ox.Literal) and q.graph_name in finished
            )
            entities = ox.NamedNode(ENTITY_GRAPH_IRI)
            stated = {_line(q) for q in self._store.quads_for_pattern(None, None, None, entities)}
            self._store.update(
                _operations(
                    _data("DELETE", stated - supported),
                    *(f"DROP SILENT GRAPH <{graph}>" for graph in unfinished),
                    _data("INSERT", supported - stated),
                )
            )
        return len(unfinished)

    def remove_graph(self, graph: str) -> bool:
        """Drop the named graph ``graph`` and what only it supported, in one transaction; False
        when it was not there."""
        if not self._store.contains_named_graph(ox.NamedNode(graph)):
            return False
        deleted, inserted = self._summary_change([graph], summaries.Contribution())
        self._store.update(_removal(graph, self._forget(graph), deleted, inserted))
        return True

    def _summary_change(
        self, leaving: list[str], entering: summaries.Contribution
    ) -> tuple[set[str], set[str]]:
        """The summary statements to delete and to insert when the stored graphs ``leaving``
        go and the articles of ``entering`` come."""
        stored = (
            q for g in leaving for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        )
        return summaries.change(self._select, summaries.contribution(stored), entering)

    def _select(self, sparql: str) -> Iterable[summaries.Row]:
        return _selector(self._store)(sparql)

    def _forget(self, graph: str, kept: AbstractSet[str] = frozenset()) -> str:
        """``DELETE DATA`` of the entity-graph statements that no article graph but ``graph``
        supports, but for those the new version ``kept`` supports."""
        node = ox.NamedNode(graph)
        lost = []
        for quad in self._store.quads_for_pattern(node, PKG.entityStatement, None, node):
            line = quad.object
            if not isinstance(line, ox.Literal) or line.value in kept:
                continue
            others = self._store.quads_for_pattern(None, PKG.entityStatement, line, None)
            if all(q.graph_name == node for q in others):
                lost.append(line.value)
        return _data("DELETE", _canonical(lost))

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update in one transaction (``policykg update``); the summaries are built
        afresh from what it leaves, in the same transaction."""
        try:
            try:
                self._store.update(_then(sparql, *summaries.rebuilt()), prefixes=PREFIXES)
            except SyntaxError:
                # the user's text alone: a malformed one gets the parser's message on its own
                # lines; one that parses alone has no operation the rebuild could follow (empty,
                # or declarations only), so it runs alone and the rebuild after it
                self._store.update(sparql, prefixes=PREFIXES)
                self.rebuild_summaries()
        except SyntaxError as err:
            raise QueryError(f"malformed SPARQL Update: {err}") from err
        except (RuntimeError, OSError) as err:
            raise StoreError(f"the update failed and changed nothing: {err}") from err

    def rebuild_summaries(self) -> None:
        """Build the summary graph afresh from the finished articles, in one transaction."""
        self._store.update(_operations(*summaries.rebuilt()))

    def __len__(self) -> int:
        return len(self._store)

    def compact(self) -> None:
        """Merge the files that writes left behind, so that reads touch few of them.

        Each bulk-loaded batch adds small files to RocksDB's first level; a process that exits
        right after its writes never lets the background compaction merge them, and reads over
        many such files are several times slower. Compacting a compacted store costs nothing.
        """
        if self.path is not None:
            self._store.optimize()

    def close(self) -> None:
        """Release the store now rather than at garbage collection.

        A writer's lock and background compaction end here, so another open of the same
        folder, even read-only, never reads files that a lingering writer is replacing.
        """
        if hasattr(self, "_store"):
            del self._store

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def flush(self) -> None:
        """Make what was written durable (a no-op in memory)."""
        if self.path is not None:
            self._store.flush()

    def publish_snapshot(self) -> Path | None:
        """A consistent copy of the store for readers (:mod:`policykg.store.snapshots`), made
        current; None in memory."""
        from policykg.store import snapshots

        return None if self.path is None else snapshots.publish(self._store, self.path, MANIFEST)

    # -- reading ----------------------------------------------------------------------------
    def query(
        self, sparql: str, substitutions: Bindings | None = None, dataset: Dataset | None = None
    ) -> QueryResult:
        """Run a SPARQL query over the union of all article graphs, or over the dataset its own
        ``FROM`` / ``FROM NAMED`` clauses name, or over ``dataset``, which overrides them (a
        graph the store lacks is empty)."""
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): term for name, term in (substitutions or {}).items()
        }
        named: dict[str, Any] = {}
        if dataset is not None:
            named["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs] or ox.DefaultGraph()
            named["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
        union = dataset is None and not names_dataset(sparql)
        try:
            return self._store.query(
                sparql,
                use_default_graph_as_union=union,
                substitutions=subs or None,
                prefixes=PREFIXES,
                **named,
            )
        except SyntaxError as err:
            raise QueryError(f"malformed SPARQL: {err}") from err
        except RuntimeError as err:
            raise QueryError(f"the query cannot run: {err}") from err
        except OSError as err:
            raise StoreError(f"reading the store failed: {err}") from err

    def content_hash(self, graph: str) -> str | None:
        """The content hash recorded for an article graph, if it is in the store."""
        quads = self._store.quads_for_pattern(ox.NamedNode(graph), PKG.contentHash, None, ox.NamedNode(graph))
        return next((q.object.value for q in quads if isinstance(q.object, ox.Literal)), None)

    def quads(self) -> list[ox.Quad]:
        """Every quad, sorted (tests compare stores with it)."""
        return sorted(self._store.quads_for_pattern(None, None, None), key=str)

    def export(self, fmt: str, with_ontology: bool = False, output: BinaryIO | None = None) -> bytes | None:
        """Serialise the store: the union graph for triple formats, every graph for trig/nquads.

        Statements come out sorted, so two exports of the same store are byte-identical. The
        sort runs on disk (``extsort``), so memory stays bounded whatever the store's size.
        Writes to ``output`` if given, else returns the bytes.

        With ``with_ontology`` the terms of ``ontology/policykg.ttl`` come along (in the graph
        named by the ontology's IRI for dataset formats), so the file is self-describing.
        """
        return write_export(self._store.quads_for_pattern(None, None, None), fmt, with_ontology, output)

    def stats(self) -> dict[str, int]:
        """Counts of articles, entities per class, implementations and quads."""
        counts: dict[str, int] = {}
        for cls in ("Article", *ENTITY_CLASSES):
            rows = self._store.quads_for_pattern(None, RDF.type, getattr(PKG, cls))
            counts[cls] = len({q.subject for q in rows})
        counts["implements"] = len(
            {(q.subject, q.object) for q in self._store.quads_for_pattern(None, PKG.implements, None)}
        )
        # distinct triples over all graphs would need every triple held at once: 43M at 50k
        counts["quads"] = len(self._store)
        return counts


def _selector(store: ox.Store) -> summaries.Select:
    """SELECT rows of ``store`` (its own default graph: the queries name their graphs)."""

    def select(sparql: str) -> Iterator[summaries.Row]:
        result = store.query(sparql)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        for solution in result:
            yield dict(zip(names, solution, strict=True))

    return select


def write_export(
    quads: Iterable[ox.Quad], fmt: str, with_ontology: bool = False, output: BinaryIO | None = None
) -> bytes | None:
    """``quads`` (a whole store's, in any order) serialised sorted and stable: what
    ``Store.export`` writes, for the embedded store and a remote one alike."""
    if fmt not in EXPORT_FORMATS:
        raise QueryError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    dataset = fmt in DATASET_FORMATS
    lines: Iterable[str] = (str(q) if dataset else f"{q.subject} {q.predicate} {q.object}" for q in quads)
    extra: list[str] = []
    if with_ontology:
        terms = [str(t) for t in _ontology_triples()]
        if dataset:  # the ontology's own graph, after the articles'
            extra = sorted({f"{t} <{ONTOLOGY_IRI}>" for t in terms})
        else:
            lines = itertools.chain(lines, terms)
    statements = itertools.chain(sorted_unique(lines), extra)
    buffer = io.BytesIO() if output is None else None
    try:
        _serialise(statements, fmt, cast(BinaryIO, _Output(output or buffer or io.BytesIO())))
    except BrokenPipeError:
        raise  # the reader stopped (`| head`): not an error of ours
    except _OutputFailed as failed:
        err = failed.__cause__ if isinstance(failed.__cause__, OSError) else None
        raise StoreError(
            f"the export could not be written: {(err and err.strerror) or failed} (is the output's disk full?)"
        ) from failed.__cause__
    except OSError as err:
        raise StoreError(
            f"the export failed: {err.strerror or err}. It sorts in {tempfile.gettempdir()} "
            "(set TMPDIR to move it), which needs about twice the N-Quads size free"
        ) from err
    return buffer.getvalue() if buffer is not None else None


GraphStore = OxigraphStore  # the name the rest of policykg used before the Store protocol


ONTOLOGY_IRI = "https://w3id.org/policykg/ontology"


def _ontology_triples() -> list[ox.Triple]:
    """The ontology's triples, its blank nodes labelled in document order (stable exports)."""
    from policykg.resources import shipped_dir

    path = shipped_dir("ontology") / "policykg.ttl"
    labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def stable(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return labels.setdefault(term, ox.BlankNode(f"o{len(labels)}"))
        return term

    return [
        ox.Triple(stable(q.subject), q.predicate, stable(q.object))
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    ]


class _OutputFailed(Exception):
    """Writing the export's output failed (not the sort on disk before it)."""


class _Output(io.RawIOBase):
    """The export's output, telling its own write errors (a full disk) from the sort's."""

    def __init__(self, output: BinaryIO) -> None:
        self._output = output

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        try:
            self._output.write(data)
        except BrokenPipeError:
            raise
        except OSError as err:
            raise _OutputFailed(str(err)) from err
        return len(data)

    def flush(self) -> None:
        try:
            self._output.flush()
        except BrokenPipeError:
            raise
        except OSError as err:
            raise _OutputFailed(str(err)) from err


def _serialise(statements: Iterable[str], fmt: str, output: BinaryIO) -> None:
    """Write N-Triples/N-Quads statement lines (sorted) in ``fmt``, streaming."""
    if fmt in ("ntriples", "nquads"):  # the lines already are the canonical serialisation
        chunk: list[str] = []
        for line in statements:
            chunk.append(f"{line} .\n")
            if len(chunk) == 10_000:
                output.write("".join(chunk).encode())
                chunk.clear()
        output.write("".join(chunk).encode())
        return
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".nq") as lines:
        lines.writelines(f"{line} .\n" for line in statements)
        lines.flush()
        parsed = ox.parse(path=lines.name, format=ox.RdfFormat.N_QUADS)
        terms = parsed if fmt in DATASET_FORMATS else (q.triple for q in parsed)
        ox.serialize(terms, output, format=EXPORT_FORMATS[fmt], prefixes=PREFIXES)
