"""Extraction on a Dask cluster: this process reads the inputs, sends the articles to extract
(those a store holds unchanged are never sent) in tasks of a few hundred, and takes the
extracted N-Quads back as they arrive, for the one writer (``ingest --dask``) or the shard
files (``extract --to DIR --dask``).

Each worker builds the spaCy pipeline and loads the gazetteer once, when it joins
(:class:`PipelinePlugin`), and keeps them for its tasks (the cached module-level pipeline of
``policykg.extract.pipeline``, built afresh every few thousand articles as in a local run). The
workers need policykg installed, the same release as here; they read no input file and write
nothing, so they need no shared disk.

This module needs ``distributed`` (the ``dask`` extra); :mod:`policykg.service` imports it
only for ``--dask`` and says what to install when it is missing.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Iterator

import distributed
from distributed.diagnostics.plugin import WorkerPlugin

from policykg.errors import ClusterError
from policykg.ingest import BATCH, Extracted, Todo, batched, extract_here
from policykg.records import Article

LOCAL = "local"  # ``--dask local``: a LocalCluster of worker processes on this machine
CONNECT_TIMEOUT = 30  # seconds to reach a scheduler


class PipelinePlugin(WorkerPlugin):
    """Builds the pipeline and loads the gazetteer on each worker as it starts."""

    name = "policykg-pipeline"

    def setup(self, worker: distributed.Worker) -> None:
        from policykg.extract.pipeline import shared
        from policykg.places.gazetteer import load

        shared()
        load()


def extract_chunk(chunk: list[tuple[Article, bool, bool]]) -> list[Extracted]:
    """One task: its articles extracted, on a worker."""
    return [extract_here(*task) for task in chunk]


class DaskExtraction:
    """An ``Extraction`` (see :mod:`policykg.ingest`) on the Dask scheduler at ``address``, or
    on a LocalCluster of ``jobs`` worker processes here for ``local``; the cluster is reached
    (or started) only when there is something to extract, and let go with the block."""

    def __init__(self, address: str, jobs: int = 1, task: int = BATCH) -> None:
        self.address, self.jobs, self.task = address, jobs, task
        self.workers = 0  # the most workers seen at once
        self._cluster: distributed.LocalCluster | None = None
        self._client: distributed.Client | None = None

    @contextlib.contextmanager
    def __call__(self, todo: Todo) -> Iterator[Iterator[Extracted]]:
        try:
            yield self._results(todo)
        finally:
            self._close()

    def _results(self, todo: Todo) -> Iterator[Extracted]:
        chunks = batched(todo, self.task)
        first = next(chunks, None)
        if first is None:
            return  # nothing new: no cluster
        client = self._connect()
        pending = distributed.as_completed()
        in_flight = 0
        for chunk in itertools.chain([first], chunks):
            # a few tasks per worker thread in flight: memory stays bounded here and on the
            # scheduler, and no worker waits for the next task
            while in_flight >= self._room(client):
                yield from self._collected(next(pending))
                in_flight -= 1
            pending.add(client.submit(extract_chunk, chunk, pure=False))
            in_flight += 1
        for future in pending:
            yield from self._collected(future)

    def _room(self, client: distributed.Client) -> int:
        threads = client.nthreads()
        self.workers = max(self.workers, len(threads))
        return max(2, 2 * int(sum(threads.values())))

    def _collected(self, future: distributed.Future[list[Extracted]]) -> list[Extracted]:
        try:
            result: list[Extracted] = future.result()
        except Exception as err:  # a worker lost or unable to run policykg: one line, nothing half-written
            raise ClusterError(
                f"the Dask cluster could not extract a task ({type(err).__name__}: {err}); what was "
                "written before is complete: run the same command to finish (are the workers running "
                "this policykg?)"
            ) from err
        future.release()
        return result

    def _connect(self) -> distributed.Client:
        if self.address == LOCAL:
            self._cluster = distributed.LocalCluster(
                n_workers=self.jobs,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # its HTTP server runs anyway: on loopback, a free port
                silence_logs=logging.ERROR,
            )
            self._client = distributed.Client(self._cluster)
        else:
            try:
                self._client = distributed.Client(self.address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as err:
                raise ClusterError(
                    f"cannot reach the Dask scheduler at {self.address} ({err}); start it, check the "
                    "address (tcp://HOST:PORT), or use --dask local"
                ) from err
        self._client.register_plugin(PipelinePlugin(), name=PipelinePlugin.name)
        return self._client

    def _close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
