"""One SPARQL lexer for the read-only guard and for parameter binding.

SPARQL keywords, braces and ``WHERE`` mean something only outside strings, IRIs and ``#``
comments. :func:`mask` blanks those out, character for character, so that a plain regular
expression over the masked text finds the real keywords and groups, and every offset in it
is an offset in the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'  # short strings
    r"|'(?:[^'\\\n]|\\.)*')"
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<variable>[?$]\w+)"  # such as ?add
    r"|(?P<name>[A-Za-z_][\w.-]*:[\w.-]*|:[\w.-]+)"  # prefixed names such as pkg:copy
)
KINDS = ("string", "iri", "comment", "variable", "name")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    """A stretch of SPARQL text whose content is not syntax: a string, IRI, comment, variable or name."""

    kind: str
    start: int
    end: int


def tokens(sparql: str) -> Iterator[Token]:
    """The strings, IRIs, comments, variables and prefixed names of ``sparql``, in order.

    >>> [t.kind for t in tokens('SELECT ?x { <a> :p "}" } # {')]
    ['variable', 'iri', 'name', 'string', 'comment']
    """
    for found in _TOKEN.finditer(sparql):
        kind = found.lastgroup
        if kind is None:  # pragma: no cover - every alternative is a named group
            raise ValueError(f"unexpected token: {found.group()!r}")
        yield Token(kind, found.start(), found.end())


def mask(sparql: str, keep: frozenset[str] = frozenset()) -> str:
    """``sparql`` with every token whose kind is not in ``keep`` blanked out, offsets unchanged.

    >>> mask('SELECT * WHERE { ?s ?p "INSERT {" } # DROP }')
    'SELECT * WHERE {                  }         '
    >>> mask("ASK { ?s ?p 'x' }", keep=frozenset({"variable"}))
    'ASK { ?s ?p     }'
    """
    parts, pos = [], 0
    for token in tokens(sparql):
        if token.kind in keep:
            continue
        parts += [sparql[pos : token.start], _blank(sparql[token.start : token.end])]
        pos = token.end
    return "".join([*parts, sparql[pos:]])


def _blank(text: str) -> str:
    """Spaces for ``text``, its line breaks kept (line numbers in errors stay right)."""
    return re.sub(r"[^\n]", " ", text)


@dataclass(frozen=True)
class Group:
    """A ``WHERE { … }`` group: ``open`` is the offset of its ``{``, ``end`` just after its ``}``."""

    open: int
    end: int


def where_groups(sparql: str) -> list[Group]:
    """Every ``WHERE { … }`` group (the query's and its subqueries'), outside strings and comments.

    >>> [(g.open, g.end) for g in where_groups('SELECT * WHERE { ?s ?p "}" }')]
    [(15, 28)]
    """
    bare = mask(sparql)
    return [Group(w.end() - 1, _group_end(bare, w.end() - 1)) for w in _WHERE.finditer(bare)]


def _group_end(bare: str, open_brace: int) -> int:
    """The offset just after the ``}`` that closes the brace at ``open_brace`` (the end if none)."""
    depth = 0
    for i in range(open_brace, len(bare)):
        if bare[i] == "{":
            depth += 1
        elif bare[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(bare)


def uses_variable(sparql: str, name: str) -> bool:
    """Whether ``?name`` (or ``$name``) occurs in ``sparql`` as a variable, not in a string or comment.

    >>> uses_variable('SELECT ?x { ?s ?p "?year" } # ?year', "year"), uses_variable("?yearly", "year")
    (False, False)
    """
    return any(t.kind == "variable" and sparql[t.start + 1 : t.end] == name for t in tokens(sparql))
