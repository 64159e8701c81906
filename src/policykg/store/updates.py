"""The SPARQL text both stores send: the embedded one to pyoxigraph, the remote one to a SPARQL
server, so that the two write the same operations in the same order and read the same dataset.

Each write is one request of several operations joined by ``;``: one request is one transaction
in Oxigraph, embedded or served (and in Fuseki and GraphDB).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet

import pyoxigraph as ox

from policykg.query.lexer import mask, tokens
from policykg.store import summaries
from policykg.vocab import ENTITY_GRAPH_IRI


def entity_data(verb: str, statements: AbstractSet[str]) -> str:
    """``DELETE DATA``/``INSERT DATA`` of N-Triples ``statements`` in the entity graph ("" for none)."""
    lines = " ".join(sorted(statements))
    return f"{verb} DATA {{ GRAPH <{ENTITY_GRAPH_IRI}> {{ {lines} }} }}" if lines else ""


def operations(*parts: str) -> str:
    """One SPARQL Update request (one transaction) of the operations given, blanks left out.

    >>> operations("DROP GRAPH <x:a>", "", "CLEAR DEFAULT")
    'DROP GRAPH <x:a> ;\\nCLEAR DEFAULT'
    """
    return " ;\n".join(op for op in parts if op)


def removal(graph: str, forget: str, deleted: set[str], inserted: set[str]) -> str:
    """The one request that takes an article graph out: its summary rows as they were out, the
    entity statements only it supported (``forget``) out, the graph dropped, the summary rows as
    they are without it in."""
    return operations(
        summaries.data("DELETE", deleted),
        forget,
        f"DROP GRAPH {ox.NamedNode(graph)}",
        summaries.data("INSERT", inserted),
    )


def then(sparql: str, *parts: str) -> str:
    """A user's SPARQL Update followed by ``parts`` in the same request (one transaction);
    a trailing ``;`` of the user's, allowed by the grammar, would make the join a syntax error."""
    masked = mask(sparql).rstrip()
    head = sparql[: len(masked) - 1] if masked.endswith(";") else sparql
    return operations(head.rstrip() + "\n", *parts)


def insert_data(quads: Iterable[ox.Quad]) -> str:
    """``INSERT DATA`` of quads, graph by graph ("" for none)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    blocks = " ".join(f"GRAPH {name} {{ {' '.join(lines)} }}" for name, lines in by_graph.items())
    return f"INSERT DATA {{ {blocks} }}" if blocks else ""


def line(quad: ox.Quad | ox.Triple) -> str:
    """A statement as one N-Triples line (its graph left out)."""
    return f"{quad.subject} {quad.predicate} {quad.object} ."


def canonical(lines: Iterable[str]) -> set[str]:
    """N-Triples lines as pyoxigraph writes them (``pkg:entityStatement`` values are N-Triples
    as ``policykg.rdf`` writes them, which may escape differently)."""
    text = "\n".join(lines).encode("utf-8")
    return {line(t) for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)}


_FROM = re.compile(r"(?i)(?<![\w?$:])FROM(?![\w:])")  # a dataset clause, outside strings and comments
_DECLARED = re.compile(r"(?i)\bPREFIX\s+([A-Za-z_][\w.-]*)?:")


def names_dataset(sparql: str) -> bool:
    """Whether a query names its own dataset (``FROM``/``FROM NAMED``), outside strings and comments.

    >>> names_dataset("SELECT * FROM <x:g> { ?s ?p ?o }"), names_dataset('SELECT * { ?s ?p "from" }')
    (True, False)
    """
    # the lexer only when the word is there at all: this runs for every query, ingest included
    return "from" in sparql.lower() and bool(_FROM.search(mask(sparql)))


def prologue(sparql: str, prefixes: Mapping[str, str]) -> str:
    """``PREFIX`` declarations for the ``prefixes`` that ``sparql`` uses without declaring, on one
    line ending in a space: put before the text, they shift no line of it (nor a server's message
    about one); the embedded store takes the same prefixes as defaults.

    >>> prologue("SELECT * { ?s a pkg:Article }", {"pkg": "x:p#", "rdf": "x:r#"})
    'PREFIX pkg: <x:p#> '
    >>> prologue("PREFIX pkg: <y:> SELECT * { ?s a pkg:A }", {"pkg": "x:p#"})
    ''
    """
    declared = {m.group(1) or "" for m in _DECLARED.finditer(mask(sparql, keep=frozenset({"name"})))}
    used = {sparql[t.start : t.end].split(":", 1)[0] for t in tokens(sparql) if t.kind == "name"}
    return "".join(f"PREFIX {p}: <{prefixes[p]}> " for p in sorted(used - declared) if p in prefixes)
