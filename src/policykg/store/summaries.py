"""The summary graph: answers kept at ingest time, so that saved queries need not join article
graphs and reified statements over the whole store (issue 17).

The graph ``id/graph/summary`` holds three kinds of node, each a function of the finished
articles (those with a ``pkg:contentHash`` marker) in the store:

- one ``pkg:ImplementationSummary`` per (actor, document) some article states ``pkg:implements``
  of: the actor, the document, the actor's place (``pkg:place``: where it is located, or itself
  when it is a place), the articles (``pkg:inArticle``) and how many (``pkg:articleCount``), how
  many sentences state it (``pkg:statementCount``), the first and last article date;
- per entity (the entity's own IRI), how many articles name it (``pkg:articleCount``) and the
  first and last date;
- one ``pkg:AchievementTotal`` per (unit, year or none): ``pkg:totalUnit``, ``pkg:totalYear``,
  how many results (``pkg:resultCount``) and the sum of their quantities (``pkg:total``); its
  own properties, not an achievement's, so that no query of achievements meets a total.

A write works out what the articles it adds and takes away contribute (:func:`contribution`,
from their quads: new articles' N-Quads in the extraction workers, a stored graph read back),
reads the stored values of the nodes they touch, and returns the change (:func:`change`) as
``DELETE DATA``/``INSERT DATA`` for the same update request as the articles themselves, hence
the same transaction: a killed run leaves summaries
that count exactly the complete articles. Counts and sums are added and taken away; a first
or last date that a removed article held is found again among the articles left. The store has
one writer, so nothing changes between the reads and the write. :func:`rebuilt` builds the
whole graph afresh with plain SPARQL Update (after a user's update, or for an older store).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from policykg.vocab import DCTERMS_NS, ID_NS, PKG_NS, RDF_NS, XSD_NS

SUMMARY_GRAPH_IRI = ID_NS + "graph/summary"
IMPLEMENTATION_NS = ID_NS + "summary/implements/"
ACHIEVEMENT_TOTAL_NS = ID_NS + "summary/achievements/"
_ACHIEVEMENT_NS = ID_NS + "achievement/"
_ARTICLE_NS = ID_NS + "article/"
_LOCALITY_NS = ID_NS + "locality/"

_P = {"pkg": PKG_NS, "rdf": RDF_NS, "dcterms": DCTERMS_NS}
# Oxigraph reads a prologue only at the start of a request, and these operations join others
_PREFIXED = re.compile(r"\b(pkg|rdf|dcterms):(\w+)")
_S = f"<{SUMMARY_GRAPH_IRI}>"


class Term(Protocol):
    """An RDF term of a result row: ``str()`` is its N-Triples form, ``value`` the IRI or the
    literal's lexical form (pyoxigraph's terms are)."""

    @property
    def value(self) -> str: ...


Row = dict[str, "Term | None"]  # a row of a SELECT: variable name -> term (None: unbound)
Select = Callable[[str], Iterable[Row]]


def _expanded(operation: str) -> str:
    """``operation`` with its prefixed names written out as IRIs."""
    return _PREFIXED.sub(lambda m: f"<{_P[m.group(1)]}{m.group(2)}>", operation)


def _pkg(name: str) -> str:
    return f"<{PKG_NS}{name}>"


def _integer(n: int) -> str:
    return f'"{n}"^^<{XSD_NS}integer>'


def _decimal(d: Decimal) -> str:
    return f'"{format(d.normalize(), "f")}"^^<{XSD_NS}decimal>'


def _node(namespace: str, *parts: str) -> str:
    """A summary node's IRI: the MD5 of its key's parts, as :func:`rebuilt` makes it in SPARQL."""
    return f"<{namespace}{hashlib.md5(' '.join(parts).encode('utf-8')).hexdigest()}>"


def _iri(nt: str) -> str:
    return nt[1:-1]


# -- what a set of articles contributes --------------------------------------------------------


@dataclass
class Implemented:
    """What some articles say of one (actor, document)."""

    actor: str
    document: str
    articles: dict[str, str | None] = field(default_factory=dict)  # graph -> its date (N-Triples)
    places: set[str] = field(default_factory=set)
    statements: int = 0


@dataclass
class Named:
    """The articles that name one entity, with their dates."""

    articles: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Totalled:
    """The results of one unit and year."""

    unit: str  # N-Triples
    year: str | None  # N-Triples
    results: int = 0
    total: Decimal = Decimal(0)


@dataclass
class Contribution:
    """What a set of article graphs contributes to the summaries, by node IRI."""

    graphs: frozenset[str] = frozenset()
    implementations: dict[str, Implemented] = field(default_factory=dict)
    entities: dict[str, Named] = field(default_factory=dict)
    totals: dict[str, Totalled] = field(default_factory=dict)


def _values(graphs: Iterable[str]) -> str:
    return "VALUES ?g { " + " ".join(f"<{g}>" for g in sorted(graphs)) + " }"


_IMPLEMENTS, _MENTIONED_IN, _LOCATED_IN = (f"{PKG_NS}{n}" for n in ("implements", "mentionedIn", "locatedIn"))
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = (f"{RDF_NS}{n}" for n in ("type", "subject", "predicate", "object"))
_DATE = f"{DCTERMS_NS}date"
_ACHIEVEMENT_CLASS = f"{PKG_NS}Achievement"
_RESULT = {f"{PKG_NS}{n}": n for n in ("unit", "quantity", "year")}


def contribution(quads: Iterable[Any]) -> Contribution:
    """What the article graphs among ``quads`` (pyoxigraph quads of whole graphs: an article's
    N-Quads parsed, or a stored graph read back) contribute to the summaries; the entity graph
    is left out."""
    by_graph: dict[str, list[Any]] = {}
    for quad in quads:
        graph = getattr(quad.graph_name, "value", "")
        if graph.startswith(_ARTICLE_NS):
            by_graph.setdefault(graph, []).append(quad)
    found = Contribution(graphs=frozenset(by_graph))
    for graph, held in by_graph.items():
        _add_article(found, graph, held)
    return found


def contribution_of(nquads: bytes) -> Contribution:
    """What the articles of N-Quads text contribute (run in extraction workers: it is parsing)."""
    import pyoxigraph as ox

    return contribution(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))


def merged(parts: Iterable[Contribution]) -> Contribution:
    """The contribution of several sets of distinct articles together."""
    out = Contribution()
    graphs: set[str] = set()
    for part in parts:
        graphs |= part.graphs
        for node, item in part.implementations.items():
            into = out.implementations.setdefault(node, Implemented(item.actor, item.document))
            into.articles.update(item.articles)
            into.places |= item.places
            into.statements += item.statements
        for node, named in part.entities.items():
            out.entities.setdefault(node, Named()).articles.update(named.articles)
        for node, total in part.totals.items():
            sum_into = out.totals.setdefault(node, Totalled(total.unit, total.year))
            sum_into.results += total.results
            sum_into.total += total.total
    out.graphs = frozenset(graphs)
    return out


def _add_article(found: Contribution, graph: str, quads: list[Any]) -> None:
    date = next((str(q.object) for q in quads if q.predicate.value == _DATE), None)
    located: dict[str, set[str]] = {}
    statements: dict[str, dict[str, str]] = {}
    results: dict[str, dict[str, Term]] = {}
    implemented: list[Implemented] = []
    for q in quads:
        p = q.predicate.value
        if p == _IMPLEMENTS:
            actor, document = str(q.subject), str(q.object)
            node = _node(IMPLEMENTATION_NS, q.subject.value, q.object.value)
            item = found.implementations.setdefault(node, Implemented(actor, document))
            item.articles[graph] = date
            implemented.append(item)
        elif p == _MENTIONED_IN and not q.subject.value.startswith(_ACHIEVEMENT_NS):
            found.entities.setdefault(str(q.subject), Named()).articles[graph] = date
        elif p == _LOCATED_IN:
            located.setdefault(str(q.subject), set()).add(str(q.object))
        elif p in (_SUBJECT, _PREDICATE, _OBJECT):
            statements.setdefault(str(q.subject), {})[p] = q.object.value
        elif p in _RESULT:
            results.setdefault(str(q.subject), {})[_RESULT[p]] = q.object
        elif p == _TYPE and q.object.value == _ACHIEVEMENT_CLASS:
            results.setdefault(str(q.subject), {})
    for item in implemented:
        item.places |= located.get(item.actor) or (
            {item.actor} if _iri(item.actor).startswith(_LOCALITY_NS) else set()
        )
    for parts in statements.values():
        if parts.get(_PREDICATE) == _IMPLEMENTS and _SUBJECT in parts and _OBJECT in parts:
            node = _node(IMPLEMENTATION_NS, parts[_SUBJECT], parts[_OBJECT])
            if node in found.implementations:
                found.implementations[node].statements += 1
    for result in results.values():
        if "unit" not in result or "quantity" not in result:
            continue
        year = result.get("year")
        key = (result["unit"].value, year.value if year else "")
        total = found.totals.setdefault(
            _node(ACHIEVEMENT_TOTAL_NS, *key),
            Totalled(str(result["unit"]), str(year) if year else None),
        )
        total.results += 1
        total.total += Decimal(result["quantity"].value)


def _nt(row: Row, name: str) -> str:
    term = row[name]
    assert term is not None, name
    return str(term)


def _ntn(row: Row, name: str) -> str | None:
    term = row.get(name)
    return str(term) if term is not None else None


# -- the change to the summary graph ------------------------------------------------------------

Triples = dict[str, dict[str, set[str]]]  # node -> predicate -> objects, all in N-Triples form


def change(select: Select, removed: Contribution, added: Contribution) -> tuple[set[str], set[str]]:
    """The summary statements (N-Triples lines) to delete and to insert when the articles of
    ``removed`` leave the store and those of ``added`` enter it (the same graph may be in
    both: a replacement). ``select`` reads the store as it is before the change."""
    nodes = {
        *removed.implementations,
        *added.implementations,
        *removed.entities,
        *added.entities,
        *removed.totals,
        *added.totals,
    }
    stored = _stored(select, nodes, removed.graphs | added.graphs)
    new: Triples = {}
    deleted, inserted = set(), set()
    for node in nodes:
        held = stored.get(node, {})
        if node in removed.implementations or node in added.implementations:
            new[node], constants = _implementation(select, node, held, removed, added)
        elif node in removed.entities or node in added.entities:
            new[node], constants = _entity(select, node, held, removed, added), {}
        else:
            new[node], constants = _total(held, removed.totals.get(node), added.totals.get(node))
        # what a node is (its type, actor, document, unit) is read and written only when it
        # comes or goes: it never changes while it stays
        existed = bool(set(held) & _COUNTS)
        if not new[node]:
            deleted |= _lines({node: constants})
        elif not existed:
            inserted |= _lines({node: constants})
    before, after = _lines(stored), _lines(new)
    return (before - after) | deleted, (after - before) | inserted


_COUNTS = {f"<{PKG_NS}{name}>" for name in ("articleCount", "resultCount")}
# the statements of a summary node that change as articles come and go: the only ones read
_MUTABLE = [
    f"<{PKG_NS}{name}>"
    for name in ("articleCount", "firstDate", "lastDate", "statementCount", "place", "resultCount", "total")
]


def _stored(select: Select, nodes: set[str], graphs: frozenset[str]) -> Triples:
    """The stored statements of ``nodes`` that change (``_MUTABLE``); of their article lists,
    only the ``graphs`` a change touches (a list can run to thousands of articles, read back on
    every batch otherwise)."""
    found: Triples = {}
    inarticle = _pkg("inArticle")
    for chunk in _chunks(sorted(nodes), 2000):
        values = " ".join(chunk)
        # one predicate at a time: with the predicate a variable too, Oxigraph scans the graph
        for predicate in _MUTABLE:
            for row in select(
                f"SELECT ?n ?o WHERE {{ VALUES ?n {{ {values} }} GRAPH {_S} {{ ?n {predicate} ?o }} }}"
            ):
                found.setdefault(_nt(row, "n"), {}).setdefault(predicate, set()).add(_nt(row, "o"))
    for chunk in _chunks(sorted(graphs), 2000):
        for row in select(f"SELECT ?n ?g WHERE {{ {_values(chunk)} GRAPH {_S} {{ ?n {inarticle} ?g }} }}"):
            found.setdefault(_nt(row, "n"), {}).setdefault(inarticle, set()).add(_nt(row, "g"))
    return found


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _lines(triples: Triples) -> set[str]:
    return {f"{s} {p} {o} ." for s, by in triples.items() for p, objects in by.items() for o in objects}


def _one(stored: dict[str, set[str]], predicate: str) -> str | None:
    values = stored.get(_pkg(predicate), set())
    return next(iter(values)) if values else None


def _count(stored: dict[str, set[str]], predicate: str) -> int:
    value = _one(stored, predicate)
    return int(value.split('"')[1]) if value else 0


def _dates(
    select: Select,
    stored: dict[str, set[str]],
    old: Implemented | Named | None,
    new: Implemented | Named | None,
    dated: str,
    removed: frozenset[str],
) -> tuple[str | None, str | None]:
    """The first and last date once the articles of ``old`` leave and those of ``new`` join.
    When a leaving article held either, they are found again among the articles left: those
    the pattern ``dated`` binds as ``?g`` with their ``?date``, but the ``removed`` graphs."""
    first, last = _one(stored, "firstDate"), _one(stored, "lastDate")
    if old is not None and any(d is not None and d in (first, last) for d in old.articles.values()):
        first, last = _extremes(select, f"{dated} FILTER(?g NOT IN ({_listed(removed)}))")
    dates = [d for d in (first, last, *(new.articles.values() if new else ())) if d is not None]
    return (min(dates, key=_date_key), max(dates, key=_date_key)) if dates else (None, None)


def _date_key(nt: str) -> str:
    return nt.split('"')[1]  # xsd:date lexical forms (YYYY-MM-DD) sort as dates


def _implementation(
    select: Select, node: str, stored: dict[str, set[str]], removed: Contribution, added: Contribution
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(the statements of an implementation node that change, those that do not)."""
    old, new = removed.implementations.get(node), added.implementations.get(node)
    count = (
        _count(stored, "articleCount") - (len(old.articles) if old else 0) + (len(new.articles) if new else 0)
    )
    some = new or old
    assert some is not None
    constants = {
        f"<{RDF_NS}type>": {_pkg("ImplementationSummary")},
        _pkg("actor"): {some.actor},
        _pkg("document"): {some.document},
    }
    if count <= 0:
        return {}, constants

    dated = f"GRAPH {_S} {{ {node} pkg:inArticle ?g }} GRAPH ?g {{ ?g dcterms:date ?date }}"
    first, last = _dates(select, stored, old, new, dated, removed.graphs)
    statements = (
        _count(stored, "statementCount") - (old.statements if old else 0) + (new.statements if new else 0)
    )
    listed = {a for a in stored.get(_pkg("inArticle"), set()) if _iri(a) not in removed.graphs}
    out = {
        # only the articles this change touches were read (see _stored)
        _pkg("inArticle"): listed | {f"<{a}>" for a in (new.articles if new else ())},
        _pkg("articleCount"): {_integer(count)},
        _pkg("statementCount"): {_integer(statements)},
        # an actor's place is the one its IRI is keyed in: the same in every article
        _pkg("place"): stored.get(_pkg("place"), set()) | (new.places if new else set()),
    }
    return _dated(out, first, last), constants


def _listed(graphs: Iterable[str]) -> str:
    return ", ".join(f"<{g}>" for g in sorted(graphs))


def _entity(
    select: Select, node: str, stored: dict[str, set[str]], removed: Contribution, added: Contribution
) -> dict[str, set[str]]:
    old, new = removed.entities.get(node), added.entities.get(node)
    count = (
        _count(stored, "articleCount") - (len(old.articles) if old else 0) + (len(new.articles) if new else 0)
    )
    if count <= 0:
        return {}

    dated = f"GRAPH ?g {{ {node} pkg:mentionedIn ?g . ?g pkg:contentHash ?marker ; dcterms:date ?date }}"
    first, last = _dates(select, stored, old, new, dated, removed.graphs)
    return _dated({_pkg("articleCount"): {_integer(count)}}, first, last)


def _extremes(select: Select, pattern: str) -> tuple[str | None, str | None]:
    rows = list(
        select(_expanded(f"SELECT (MIN(?date) AS ?first) (MAX(?date) AS ?last) WHERE {{ {pattern} }}"))
    )
    return (_ntn(rows[0], "first"), _ntn(rows[0], "last")) if rows else (None, None)


def _dated(out: dict[str, set[str]], first: str | None, last: str | None) -> dict[str, set[str]]:
    if first is not None and last is not None:
        out[_pkg("firstDate")], out[_pkg("lastDate")] = {first}, {last}
    return out


def _total(
    stored: dict[str, set[str]], old: Totalled | None, new: Totalled | None
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(the statements of an achievement total that change, those that do not)."""
    some = new or old
    assert some is not None
    constants = {f"<{RDF_NS}type>": {_pkg("AchievementTotal")}, _pkg("totalUnit"): {some.unit}}
    if some.year:
        constants[_pkg("totalYear")] = {some.year}
    results = _count(stored, "resultCount") - (old.results if old else 0) + (new.results if new else 0)
    if results <= 0:
        return {}, constants
    total = _one(stored, "total")
    amount = (Decimal(total.split('"')[1]) if total else Decimal(0)) - (old.total if old else 0)
    amount += new.total if new else 0
    return {_pkg("resultCount"): {_integer(results)}, _pkg("total"): {_decimal(amount)}}, constants


def data(verb: str, lines: set[str]) -> str:
    """``DELETE DATA``/``INSERT DATA`` of summary statements ("" for none)."""
    body = " ".join(sorted(lines))
    return f"{verb} DATA {{ GRAPH {_S} {{ {body} }} }}" if body else ""


# -- built from nothing -------------------------------------------------------------------------

_MARKED = "GRAPH ?g { ?g pkg:contentHash ?marker }"
_IMPLEMENTATION_NODE = f'BIND(IRI(CONCAT("{IMPLEMENTATION_NS}", MD5(CONCAT(STR(?a), " ", STR(?d))))) AS ?n)'


def rebuilt() -> list[str]:
    """Operations that build the summary graph afresh from every finished article: the same
    statements the incremental changes keep (``tests/test_summaries.py`` checks it)."""
    operations = [
        f"DROP SILENT GRAPH {_S}",
        f"""INSERT {{ GRAPH {_S} {{ ?n a pkg:ImplementationSummary ; pkg:actor ?a ; pkg:document ?d ;
  pkg:articleCount ?count }} }}
WHERE {{
  {{ SELECT ?a ?d (COUNT(DISTINCT ?g) AS ?count) WHERE {{ {_MARKED} GRAPH ?g {{ ?a pkg:implements ?d }} }}
     GROUP BY ?a ?d }}
  {_IMPLEMENTATION_NODE}
}}""",
        # the first and last date of the dated articles (MIN over a group with an undated
        # article would be unbound)
        f"""INSERT {{ GRAPH {_S} {{ ?n pkg:firstDate ?first ; pkg:lastDate ?last }} }}
WHERE {{
  {{ SELECT ?a ?d (MIN(?date) AS ?first) (MAX(?date) AS ?last) WHERE {{
      {_MARKED} GRAPH ?g {{ ?a pkg:implements ?d . ?g dcterms:date ?date }}
  }} GROUP BY ?a ?d }}
  {_IMPLEMENTATION_NODE}
}}""",
        f"""INSERT {{ GRAPH {_S} {{ ?n pkg:inArticle ?g ; pkg:place ?place }} }}
WHERE {{
  {_MARKED} GRAPH ?g {{ ?a pkg:implements ?d OPTIONAL {{ ?a pkg:locatedIn ?at }} }}
  BIND(COALESCE(?at, IF(STRSTARTS(STR(?a), "{_LOCALITY_NS}"), ?a, ?unbound)) AS ?place)
  {_IMPLEMENTATION_NODE}
}}""",
        f"""INSERT {{ GRAPH {_S} {{ ?n pkg:statementCount ?count }} }}
WHERE {{
  {{ SELECT ?a ?d (COUNT(DISTINCT ?st) AS ?count) WHERE {{
      {_MARKED} GRAPH ?g {{ ?st rdf:predicate pkg:implements ; rdf:subject ?a ; rdf:object ?d }}
  }} GROUP BY ?a ?d }}
  {_IMPLEMENTATION_NODE}
}}""",
        f"""INSERT {{ GRAPH {_S} {{ ?e pkg:articleCount ?count }} }}
WHERE {{
  {{ SELECT ?e (COUNT(DISTINCT ?g) AS ?count) WHERE {{
      {_MARKED} GRAPH ?g {{ ?e pkg:mentionedIn ?g }} FILTER(!STRSTARTS(STR(?e), "{_ACHIEVEMENT_NS}"))
  }} GROUP BY ?e }}
}}""",
        f"""INSERT {{ GRAPH {_S} {{ ?e pkg:firstDate ?first ; pkg:lastDate ?last }} }}
WHERE {{
  {{ SELECT ?e (MIN(?date) AS ?first) (MAX(?date) AS ?last) WHERE {{
      {_MARKED} GRAPH ?g {{ ?e pkg:mentionedIn ?g . ?g dcterms:date ?date }}
      FILTER(!STRSTARTS(STR(?e), "{_ACHIEVEMENT_NS}"))
  }} GROUP BY ?e }}
}}""",
        f"""INSERT {{ GRAPH {_S} {{ ?n a pkg:AchievementTotal ; pkg:totalUnit ?u ; pkg:totalYear ?y ;
  pkg:resultCount ?count ; pkg:total ?total }} }}
WHERE {{
  {{ SELECT ?u ?y (COUNT(DISTINCT ?r) AS ?count) (SUM(?q) AS ?total) WHERE {{
      {{ SELECT DISTINCT ?r ?u ?y ?q WHERE {{ {_MARKED} GRAPH ?g {{
          ?r a pkg:Achievement ; pkg:unit ?u ; pkg:quantity ?q OPTIONAL {{ ?r pkg:year ?y }} }} }} }}
  }} GROUP BY ?u ?y }}
  BIND(IRI(CONCAT("{ACHIEVEMENT_TOTAL_NS}", MD5(CONCAT(?u, " ", STR(COALESCE(?y, "")))))) AS ?n)
}}""",
    ]
    return [_expanded(op) for op in operations]
