"""Variables bound in the text of a query, for a store that takes no substitutions.

The embedded store binds variables with pyoxigraph's ``substitutions=`` (SEP-0007: the
variable stands for its term everywhere in the query, and stays bound in each solution).
The SPARQL 1.1 Protocol has no such parameter, so for a SPARQL server the text is rewritten
to the same effect:

- inside each ``WHERE { … }`` group, the variable becomes the term itself, so that filters and
  the branches of a ``UNION`` see it too (a ``VALUES`` block at the top of the group would
  not reach a filter inside a branch);
- a group whose projection (``SELECT ?v``, ``SELECT *``), template or modifiers name the
  variable ends with ``BIND(term AS ?v)``, so that it stays bound in each solution.

Strings, IRIs and comments are found by :mod:`policykg.query.lexer`, so a ``?v`` inside a
string is text. What the rewrite cannot express (a bound variable in ``VALUES``, ``GROUP
BY`` of a subquery, or the target of an ``AS``) is a query the server then refuses, never
one that answers something else; the library's own queries use none of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from policykg.errors import QueryError
from policykg.query.lexer import Group, mask, tokens, where_groups

_SELECT = re.compile(r"(?i)\bSELECT\b")
_STAR = re.compile(r"(?i)SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*")


def bind(sparql: str, terms: Mapping[str, object]) -> str:
    """``sparql`` with the variables named in ``terms`` bound to them (``str(term)`` is its
    N-Triples form, as pyoxigraph's terms give it).

    >>> bind('SELECT * WHERE { ?s ?p "?p" }', {"p": "<http://x/p>"})
    'SELECT * WHERE { ?s <http://x/p> "?p"  BIND(<http://x/p> AS ?p)}'
    >>> bind("ASK WHERE { ?s ?p ?o }", {"s": "<http://x/s>"})
    'ASK WHERE { <http://x/s> ?p ?o }'
    """
    if not terms:
        return sparql
    groups = where_groups(sparql)
    if not groups:
        raise QueryError("a query with bound variables needs a WHERE { … } group to run on a SPARQL server")
    bare = mask(sparql)
    clauses = _select_clauses(bare, groups)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    needs: dict[int, set[str]] = {}  # group index -> variables its end binds
    projected_in: dict[int, set[str]] = {}  # group index -> variables projected by a subquery inside it
    variables = [t for t in tokens(sparql) if t.kind == "variable" and sparql[t.start + 1 : t.end] in terms]
    for token in variables:
        name = sparql[token.start + 1 : token.end]
        clause = next((i for i, (a, b) in clauses.items() if a <= token.start < b), None)
        inner = _innermost(groups, token.start)
        if clause is not None:  # a projection: left as it is, bound at the end of its group
            needs.setdefault(clause, set()).add(name)
            for i, g in enumerate(groups):
                if g.open < token.start < g.end and i != clause:
                    projected_in.setdefault(i, set()).add(name)
        elif inner is not None:
            edits.append((token.start, token.end, str(terms[name])))
        else:  # a template or a modifier of the whole query: the outermost group binds it
            needs.setdefault(_outermost(groups), set()).add(name)
    for index, (start, end) in clauses.items():
        if _STAR.match(bare, start, end):
            group = groups[index]
            used = {sparql[t.start + 1 : t.end] for t in variables if group.open < t.start < group.end}
            needs.setdefault(index, set()).update(used)
    for index, names in needs.items():
        at = groups[index].end - 1  # just before the group's closing brace
        binds = "".join(
            f" BIND({terms[n]} AS ?{n})" for n in sorted(names - projected_in.get(index, set()))
        )
        if binds:
            edits.append((at, at, binds))
    out = sparql
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        out = out[:start] + text + out[end:]
    return out


def _select_clauses(bare: str, groups: list[Group]) -> dict[int, tuple[int, int]]:
    """For each group that a ``SELECT`` heads, the span of its select clause (``SELECT`` up to
    the group's brace), by the group's index."""
    clauses: dict[int, tuple[int, int]] = {}
    for found in _SELECT.finditer(bare):
        following = [i for i, g in enumerate(groups) if g.open > found.start()]
        if following:
            index = min(following, key=lambda i: groups[i].open)
            clauses[index] = (found.start(), groups[index].open)
    return clauses


def _innermost(groups: list[Group], offset: int) -> int | None:
    inside = [i for i, g in enumerate(groups) if g.open < offset < g.end]
    return max(inside, key=lambda i: groups[i].open) if inside else None


def _outermost(groups: list[Group]) -> int:
    return min(range(len(groups)), key=lambda i: groups[i].open)
