"""Sort and de-duplicate more lines than fit in memory: sorted runs on disk, then a merge.

The export of a 50k-article store is tens of millions of statements; sorting them as Python
objects needs more than 10 GB. Here at most ``run_chars`` characters of lines are held at once.
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

RUN_CHARS = 64_000_000  # characters of lines per sorted run (about 150 MB as Python strings)
MAX_FAN_IN = 128  # runs merged at once; more are merged in rounds


def sorted_unique(lines: Iterable[str], run_chars: int | None = None) -> Iterator[str]:
    """Yield the distinct ``lines`` (without newlines) in code-point order, in bounded memory."""
    run_chars = run_chars or RUN_CHARS
    with tempfile.TemporaryDirectory(prefix="policykg-sort-") as workdir:
        work = Path(workdir)
        runs = _write_runs(lines, work, run_chars)
        while len(runs) > MAX_FAN_IN:
            groups = [runs[i : i + MAX_FAN_IN] for i in range(0, len(runs), MAX_FAN_IN)]
            runs = [_write_run(_merge(group), work, f"{len(runs)}-{i}") for i, group in enumerate(groups)]
        yield from _merge(runs)


def _write_runs(lines: Iterable[str], workdir: Path, run_chars: int) -> list[Path]:
    runs: list[Path] = []
    batch: list[str] = []
    size = 0
    for line in lines:
        batch.append(line)
        size += len(line)
        if size >= run_chars:
            runs.append(_write_run(sorted(set(batch)), workdir, str(len(runs))))
            batch, size = [], 0
    if batch or not runs:
        runs.append(_write_run(sorted(set(batch)), workdir, str(len(runs))))
    return runs


def _write_run(lines: Iterable[str], workdir: Path, name: str) -> Path:
    path = workdir / f"run-{name}.txt"
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.writelines(line + "\n" for line in lines)
    return path


def _merge(runs: Iterable[Path]) -> Iterator[str]:
    """Merge sorted, de-duplicated run files into one sorted stream without repeats."""
    with ExitStack() as stack:
        files = [stack.enter_context(path.open(encoding="utf-8", newline="\n")) for path in runs]
        previous = None
        for line in heapq.merge(*files):
            if line != previous:
                yield line[:-1]
                previous = line
