"""The errors policykg raises for bad input or state; the CLI turns them into messages."""

from __future__ import annotations


class PolicyKGError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


class InputError(PolicyKGError):
    """An input file that cannot be read as an article."""


class StoreError(PolicyKGError):
    """The store cannot be opened or written (missing, locked, corrupt)."""


class QueryError(PolicyKGError):
    """A saved query or SPARQL text that cannot be run as asked."""


class QueryTimeout(QueryError):
    """A query stopped at its time limit (the server answers 503)."""

    @classmethod
    def stopped(cls, timeout: float) -> QueryTimeout:
        return cls(f"the query ran longer than {timeout:g} s and was stopped; narrow it, add LIMIT, or raise --timeout")


class SheetError(PolicyKGError):
    """A sample sheet that cannot be written, or a judged one that cannot be read back."""


class ShardError(PolicyKGError):
    """A shard folder that cannot be written or loaded (not one, damaged, another extractor's)."""


class ClusterError(PolicyKGError):
    """A Dask cluster that cannot be used: Dask missing, the scheduler unreachable, a worker lost."""
