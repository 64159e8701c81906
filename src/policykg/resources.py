"""Folders shipped beside the code: ``queries/`` and ``ontology/``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def shipped_dir(name: str) -> Path:
    """The installed copy of a top-level folder, or the folder of a source checkout."""
    packaged = Path(str(resources.files("policykg") / name))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


def internal_query(name: str) -> str:
    """The SPARQL text of ``queries/internal/NAME.rq``, a query the library runs itself.

    Its ``#+`` header lines are SPARQL comments, so the file's text runs as it is.
    """
    return (shipped_dir("queries") / "internal" / f"{name}.rq").read_text(encoding="utf-8")
