"""policykg: Vietnamese news about Party policy, turned into a queryable knowledge graph.

>>> import policykg
>>> sorted(policykg.__all__)[:3]
['InputError', 'KnowledgeGraph', 'PolicyKGError']

``kg = policykg.open("policykg-store")`` opens a store; see the README's "Python API".
"""

from __future__ import annotations

__version__ = "0.1.0"

from policykg.api import KnowledgeGraph, Rows, open
from policykg.errors import InputError, PolicyKGError, QueryError, SheetError, StoreError

__all__ = [
    "InputError",
    "KnowledgeGraph",
    "PolicyKGError",
    "QueryError",
    "Rows",
    "SheetError",
    "StoreError",
    "__version__",
    "open",
]
