"""Curation: corrections a person makes to the graph (merge, reject, relabel, set-parent), kept
in a curation file under version control and in the graph ``id/graph/curation``, and applied
to every article they touch, at ingest and on demand, so that they survive re-ingest.

``decisions`` reads and writes the file; ``apply`` curates one article's quads (and takes them
back to the raw extraction); ``stored`` does both on a ``Store``.
"""

from policykg.curation.decisions import Curation, CurationError, Decision

__all__ = ["Curation", "CurationError", "Decision"]
