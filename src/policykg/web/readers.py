"""A pool of reader processes for ``policykg serve`` (issue 16, items 7 and 9).

The CLI runs each query in a child process it can kill past the time limit (Oxigraph cannot
cancel a query); forking and opening the store for every request costs a server about 60 ms.
Here a few worker processes each keep the store open and run request after request; a worker
past the time limit is killed and replaced, so the limit still really stops a query.

Workers read the store's current snapshot (:mod:`policykg.store.snapshots`) where there is one,
and move to a newer one when a writer publishes it: no reader ever opens files a writer is
changing, and every answer comes from the store as one complete command left it. A store with
no snapshot yet (a writer held it when the server started) is read live, as the CLI reads it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from policykg.errors import QueryError, QueryTimeout, StoreError

Operation = Callable[..., Any]  # a module-level function (store, *args) -> picklable result


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process of the spawn context
    connection: Connection


def _orphaned(parent: int) -> None:  # pragma: no cover - runs in a worker
    """End the worker when the server is gone, even in the middle of a query."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _serve(store_path: Path, connection: Connection) -> None:  # pragma: no cover - runs in a worker
    from policykg.query.runner import outcome
    from policykg.store import open_store, read_retrying, snapshots

    threading.Thread(target=_orphaned, args=(os.getppid(),), daemon=True).start()

    opened: tuple[Path, Any] | None = None  # the snapshot open, and its store
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        if task is None:
            return
        operation, args = task

        def run(operation: Operation = operation, args: tuple[Any, ...] = args) -> Any:
            nonlocal opened
            snapshot = snapshots.current(store_path)
            if snapshot is None:  # no snapshot: read live, again if a writer moves files
                return read_retrying(store_path, lambda store: operation(store, *args))
            if opened is None or opened[0] != snapshot:
                if opened is not None:
                    opened[1].close()
                opened = None  # not the closed one, if this open fails
                opened = (snapshot, open_store(snapshot, read_only=True))
            return operation(opened[1], *args)

        connection.send(outcome(run))


class ReaderPool:
    """``size`` reader processes over the store at ``store``; :meth:`run` one operation at a time
    per worker, waiting for a free one."""

    def __init__(self, store: Path, size: int = 2) -> None:
        self.store = store
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        for _ in range(max(1, size)):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        mine, theirs = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(self.store, theirs), daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, mine)
        with self._lock:
            self._all.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.connection.close()
        with self._lock:
            self._all.remove(worker)

    def run(self, operation: Operation, *args: Any, timeout: float | None = None) -> Any:
        """``operation(store, *args)`` in a worker; ``timeout`` seconds bound the wait for a free
        worker and the run together: past them the worker is killed (and replaced) and a
        ``QueryError`` says so."""
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=timeout or None)
        except queue.Empty:
            raise QueryTimeout(
                f"the query ran longer than {timeout:g} s waiting for a free reader (the server is busy); "
                "try again, or start the server with more --readers"
            ) from None
        left = None if not timeout else max(0.0, timeout - (time.monotonic() - started))
        try:
            worker.connection.send((operation, args))
            if left is not None and not worker.connection.poll(left):
                self._retire(worker)
                worker = self._start()
                raise QueryTimeout.stopped(timeout or 0.0)
            status, payload = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError) as err:
            self._retire(worker)
            worker = self._start()
            raise StoreError(f"the reader process ended without an answer ({err or 'crashed'})") from err
        finally:
            self._idle.put(worker)
        if status == "error":
            raise QueryError(payload)
        return payload

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        for worker in workers:
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
            worker.connection.close()
