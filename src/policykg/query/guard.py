"""What an ad-hoc SPARQL text is allowed to do: read, not write, and not reach the network.

The check looks at the query's keywords outside strings, IRIs and comments, as found by
``policykg.query.lexer`` (the lexer parameter binding uses too); the query is then parsed and run
by Oxigraph, which reports any syntax error itself.
"""

from __future__ import annotations

import re

from policykg.errors import QueryError
from policykg.query.lexer import mask

_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_REMOTE = re.compile(r"\b(SERVICE|LOAD)\b", re.IGNORECASE)


def keywords(sparql: str) -> str:
    """The query text with strings, IRIs, comments, variables and prefixed names blanked out.

    >>> keywords('SELECT * WHERE { ?s ?p "INSERT" } # DROP').split()
    ['SELECT', '*', 'WHERE', '{', '}']
    """
    return mask(sparql)


def check_read_only(sparql: str, allow_remote: bool = False) -> None:
    """Refuse updates and, unless ``allow_remote``, federated ``SERVICE`` calls."""
    bare = keywords(sparql)
    update = _UPDATE.search(bare)
    if update:
        raise QueryError(
            f"{update.group(1).upper()} changes the store; ad-hoc queries are read-only "
            "(use 'policykg update' for deliberate changes)"
        )
    _check_remote(bare, allow_remote)
    check_depth(sparql)


MAX_DEPTH = 256  # nested groups; Oxigraph's parser recurses per level and overflows the stack


def check_depth(sparql: str) -> None:
    """Refuse a query nested deeper than ``MAX_DEPTH`` levels before it crashes the parser: groups
    (``{``/``(``) and chains of unary operators (``!!!…``, ``- - -…``), each of which the parser
    descends into."""
    depth = deepest = chain = 0
    masked = mask(sparql)
    for i, char in enumerate(masked):
        if char in "!+-" and masked[i + 1 : i + 2] != "=":
            chain += 1  # "!" (not "!="), or a sign: one more level for the operand after it
        elif not char.isspace():
            chain = 0
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        deepest = max(deepest, depth + chain)
        if deepest > MAX_DEPTH:
            raise QueryError(f"the query is nested more than {MAX_DEPTH} levels deep; flatten it")


def check_update(sparql: str, allow_remote: bool = False) -> None:
    """An update may write, but reaches the network only with ``allow_remote``."""
    check_depth(sparql)
    _check_remote(keywords(sparql), allow_remote)


def _check_remote(bare: str, allow_remote: bool) -> None:
    remote = _REMOTE.search(bare)
    if remote and not allow_remote:
        raise QueryError(
            f"{remote.group(1).upper()} would fetch data from the network; pass --allow-remote if you mean it"
        )
