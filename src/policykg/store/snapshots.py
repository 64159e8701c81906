"""Snapshots of a store for readers beside a writer (issue 16, item 7).

pyoxigraph documents a read-only open beside a live writer as undefined, and a long-lived
reader (``policykg serve``) would otherwise see RocksDB's files change under it. So a served
store keeps consistent copies in ``<store>/snapshots/``: ``Store.backup`` (a RocksDB checkpoint,
hard-linked, so it costs little disk until compaction rewrites files) into a new folder, then
``snapshots/current`` names it, replaced atomically. A writer publishes one when a write command
completes (``service.opened``), only for a store that a server has served (the folder exists);
the server publishes one when it starts, if no writer holds the store. Readers open the current
snapshot read-only, where no writer ever is, and move to a newer one when ``current`` changes: a
reader sees the store as it was after the last complete command, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path
from typing import Any

FOLDER = "snapshots"
CURRENT = "current"
KEEP = 2  # the current snapshot and the one before, which a reader may still have open


def folder(store: Path) -> Path:
    return store / FOLDER


def served(store: Path) -> bool:
    """Whether a server keeps snapshots of ``store`` (it made the folder)."""
    return folder(store).is_dir()


def current(store: Path) -> Path | None:
    """The snapshot readers should read, if there is one."""
    try:
        name = (folder(store) / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = folder(store) / name
    return path if name and path.is_dir() else None


def publish(handle: Any, store: Path, manifest: str) -> Path:
    """Write a snapshot of the open store ``handle`` (a pyoxigraph Store) of the folder ``store``
    and make it current; older ones but the one before are removed. ``manifest`` is the name of
    the store's manifest file, copied in so the snapshot opens as a store."""
    base = folder(store)
    base.mkdir(exist_ok=True)
    name = f"{time.time_ns():d}-{os.getpid()}"
    target = base / name
    handle.flush()
    handle.backup(str(target))
    shutil.copy2(store / manifest, target / manifest)
    pointer = base / f".{CURRENT}.{os.getpid()}"
    pointer.write_text(name + "\n", encoding="utf-8")
    os.replace(pointer, base / CURRENT)  # readers see the old name or the new one, never neither
    snapshots = sorted((p for p in base.iterdir() if p.is_dir()), key=lambda p: p.name)
    for old in snapshots[:-KEEP]:
        with contextlib.suppress(OSError):
            shutil.rmtree(old)
    return target
