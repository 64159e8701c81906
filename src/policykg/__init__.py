"""policykg: Vietnamese news about Party policy, turned into a queryable knowledge graph."""

__version__ = "0.1.0"
