"""The ``policykg`` command line: argument parsing and printing over ``policykg.service``.

``shell`` holds the group and what commands share; each other module a family of commands.
spaCy is imported only by the commands that extract (``ingest``, ``extract``, ``eval``), so
that ``--help`` and queries start fast. Library errors become one-line messages.
"""

from __future__ import annotations

from policykg.cli import articles, curate, plot, quality, read, serve, store, write
from policykg.cli.shell import main

__all__ = ["articles", "curate", "main", "plot", "quality", "read", "serve", "store", "write"]
