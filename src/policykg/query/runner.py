"""Running a query from the command line with a time limit that really stops it.

Oxigraph evaluates a query while its results are read and offers no way to cancel it, so
the query runs in a child process on a read-only view of the store; past the time limit the
child is killed. The caller's process never holds the store open meanwhile. A whole answer
in a machine format can be written by the child straight to the caller's output
(``QueryJob.stream_to``), so neither process holds it.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TypeVar

from policykg.errors import PolicyKGError, QueryError, QueryTimeout
from policykg.query.results import Rendered, render
from policykg.store import Dataset, Location, Store

T = TypeVar("T")


@dataclass(frozen=True)
class QueryJob:
    """One query to run and print."""

    store: Location  # a folder, or a SPARQL server
    sparql: str
    fmt: str
    limit: int | None = None
    sort: tuple[str, ...] = ()
    cap: int | None = None
    explicit: bool = True  # the format was asked for (else a graph prints as Turtle)
    offset: int = 0  # rows of the printed order skipped before the first one printed
    dataset: Dataset | None = None  # the graphs to query instead of the union
    stream_to: int | None = None  # a file descriptor a whole machine-format answer is written to
    raw: bool = False  # answer from the extraction before curation (policykg.curation.stored.raw_view)


def run(job: QueryJob, timeout: float | None) -> Rendered:
    """Render ``job``'s result; a ``timeout`` of None or 0 runs it here without a limit."""
    if not timeout:
        return _render(job)
    methods = multiprocessing.get_all_start_methods()
    if "fork" not in methods:  # a spawned child does not share the descriptor to stream to
        job = dataclasses.replace(job, stream_to=None)
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(job, sender), daemon=True)  # type: ignore[attr-defined]
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryTimeout.stopped(timeout)
        status, payload = receiver.recv()
    except EOFError:
        child.join(1)
        signal = -child.exitcode if child.exitcode is not None and child.exitcode < 0 else None
        how = f"crashed (signal {signal})" if signal else "ended without an answer"
        raise QueryError(
            f"the query process {how}: out of memory, or a query too deep for the parser?"
        ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status == "error":
        raise QueryError(payload)
    rendered: Rendered = payload
    return rendered


def render_on(store: Store, job: QueryJob) -> Rendered:
    """``job``'s result on ``store``, rendered (what a reader process runs for the server);
    written to ``job.stream_to`` as it is read where the format allows."""
    if job.raw:
        from policykg.curation.stored import raw_view

        store = raw_view(store)
    result = store.query(job.sparql, dataset=job.dataset)
    if job.stream_to is None:
        return render(result, job.fmt, job.limit, job.sort, job.cap, job.explicit, job.offset)
    with os.fdopen(job.stream_to, "wb", closefd=False) as output:
        return render(result, job.fmt, job.limit, job.sort, job.cap, job.explicit, job.offset, output)


def _render(job: QueryJob) -> Rendered:
    from policykg.store import read_retrying

    return read_retrying(job.store, lambda store: render_on(store, job))


def outcome(work: Callable[[], T]) -> tuple[str, T | str]:
    """``("ok", result)`` of ``work()``, or ``("error", message)``: what a query process sends back."""
    try:
        return "ok", work()
    except PolicyKGError as err:
        return "error", str(err)
    except Exception as err:
        return "error", f"the query failed: {err}"


def _child(job: QueryJob, sender: Connection) -> None:  # pragma: no cover - runs in the child process
    try:
        sender.send(outcome(lambda: _render(job)))
    finally:
        sender.close()
