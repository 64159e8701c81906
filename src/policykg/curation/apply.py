"""Curation applied to one article's quads, and undone: what the store writes and ``--raw`` reads.

An article graph as extracted (its *raw* quads) goes through :func:`curate` before it is
written, at ingest and when ``curate`` rewrites stored articles, so the entity graph and the
summary graph, worked out from what is written, follow the curated facts in the same
transaction. The article graph keeps what curation changed, as N-Triples lines like
``pkg:entityStatement``: ``pkg:extractedStatement`` for each statement of the extraction that
curation took out, ``pkg:curatedStatement`` for each one it put in. :func:`raw` takes them back,
so the raw extraction is exactly recoverable from the store: ``raw(curate(q, c)) == q``.

Decisions (see :class:`~policykg.curation.decisions.Curation`):

- merge B into A: every B becomes A; B's display label becomes one of A's other labels, B's
  type, other labels and search forms stay, and what may be said once of an entity (its codes,
  level, type of place, document number …) is A's own, so B's is left out;
- reject a statement or achievement IRI: that node goes, and the fact it states goes from
  that article when no other sentence of it states it; reject S P O: the fact and every
  statement of it go, in every article;
- relabel: the entity's display label is the one given, its former labels other labels;
- set-parent: a place's ``pkg:partOf`` links are replaced by the one given
  (``pkg:partOfSource "curation"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from policykg.curation.decisions import Curation, Decision
from policykg.rdf import DESCRIPTION, entity_statement
from policykg.store.terms import Literal, NamedNode, Quad, Triple, parse_nquads, parse_ntriples
from policykg.text import fold
from policykg.vocab import ENTITY_GRAPH_IRI, ID_NS, PKG, RDF, RDFS, SKOS, XSD

CURATION_GRAPH_IRI = ID_NS + "graph/curation"
CURATION_NS = ID_NS + "curation/"
ARTICLE_NS = ID_NS + "article/"

_ENTITIES = NamedNode(ENTITY_GRAPH_IRI)
_STATEMENT, _EXTRACTED, _CURATED = PKG.entityStatement, PKG.extractedStatement, PKG.curatedStatement
_DIFF = (_EXTRACTED, _CURATED)
# what is said once of an entity: a merged entity's values of these are left for the one kept's
_ONCE = DESCRIPTION | {PKG.partOfSource}
_TRIPLE = tuple[Any, Any, Any]  # subject, predicate, object: pyoxigraph terms


def curate(quads: Sequence[Quad], curation: Curation) -> list[Quad]:
    """The curated quads of one article (its graph's quads; the entity graph's are made from its
    ``pkg:entityStatement`` lines, and so are returned with them), or ``quads`` unchanged when no
    decision touches the article. Quads of the article graph already curated are taken back to
    the raw extraction first, so curating twice is curating once."""
    graph = _graph(quads)
    if graph is None:
        return list(quads)
    base = raw([q for q in quads if q.graph_name == graph], graph)
    held = [(q.subject, q.predicate, q.object) for q in base]
    literals = [q.object for q in base if q.predicate == _STATEMENT and isinstance(q.object, Literal)]
    parsed = _statements(lit.value for lit in literals)
    stated = {_line(t): lit for t, lit in zip(parsed, literals, strict=True)}
    own = [t for t in held if t[1] != _STATEMENT]
    shared: list[_TRIPLE] = [(t.subject, t.predicate, t.object) for t in parsed]
    if not curation or not _touches(own, shared, curation):
        return base + [Quad(t[0], t[1], t[2], _ENTITIES) for t in shared]
    own2, shared2 = _apply(own, shared, curation)
    support = {_line_of(t): _literal_of(t, stated) for t in shared2}
    after = own2 + [(graph, _STATEMENT, literal) for literal in support.values()]
    before_lines = {_line_of(t): t for t in held}
    after_lines = {_line_of(t): t for t in after}
    diff = [(graph, _EXTRACTED, Literal(line)) for line in sorted(before_lines.keys() - after_lines.keys())]
    diff += [(graph, _CURATED, Literal(line)) for line in sorted(after_lines.keys() - before_lines.keys())]
    return [Quad(t[0], t[1], t[2], graph) for t in after + diff] + [
        Quad(t[0], t[1], t[2], _ENTITIES) for t in shared2
    ]


def raw(quads: Sequence[Quad], graph: NamedNode | None = None) -> list[Quad]:
    """An article graph's quads as extracted: what curation put in taken out, what it took out
    put back (the entity graph is left out; it follows from the ``pkg:entityStatement`` lines)."""
    graph = graph or _graph(quads)
    if graph is None:
        return list(quads)
    mine = [q for q in quads if q.graph_name == graph]
    added = {q.object.value for q in mine if q.predicate == _CURATED and isinstance(q.object, Literal)}
    taken = [q.object.value for q in mine if q.predicate == _EXTRACTED and isinstance(q.object, Literal)]
    if not added and not taken:
        return mine
    kept = [q for q in mine if q.predicate not in _DIFF and _line(q) not in added]
    return kept + [Quad(t.subject, t.predicate, t.object, graph) for t in _statements(taken)]


def curate_nquads(nquads: bytes, curation: Curation) -> bytes | None:
    """:func:`curate` on an article's N-Quads (what ingest writes); None when nothing changes,
    decided first by a look for the decisions' IRIs in the bytes, which most articles lack."""
    if not curation or not any(f"<{iri}>".encode() in nquads for iri in curation.terms()):
        return None
    quads = parse_nquads(nquads)
    curated = curate(quads, curation)
    if {str(q) for q in curated} == {str(q) for q in quads}:
        return None
    return "".join(f"{q} .\n" for q in curated).encode("utf-8")


def decision_quads(decisions: Iterable[Decision]) -> list[Quad]:
    """The decisions as RDF, in the graph ``id/graph/curation``."""
    graph = NamedNode(CURATION_GRAPH_IRI)
    classes = {
        "merge": PKG.Merge,
        "reject": PKG.Rejection,
        "relabel": PKG.Relabelling,
        "set-parent": PKG.ParentSetting,
    }
    out = []
    for d in decisions:
        node = NamedNode(CURATION_NS + d.key)
        value: NamedNode | Literal = (
            Literal(d.value) if d.action == "relabel" else NamedNode(d.value) if d.value else Literal("")
        )
        triples: list[_TRIPLE] = [
            (node, RDF.type, classes[d.action]),
            (node, PKG.curationTarget, NamedNode(d.target)),
            (node, PKG.decidedBy, Literal(d.by)),
            (
                node,
                PKG.decidedOn,
                Literal(d.date, datatype=XSD.dateTime) if _is_datetime(d.date) else Literal(d.date),
            ),
            (node, PKG.because, Literal(d.because)),
        ]
        if d.value:
            triples.append((node, PKG.curationValue, value))
        if d.predicate:
            triples.append((node, PKG.curationPredicate, NamedNode(d.predicate)))
        out += [Quad(*t, graph) for t in triples]
    return out


def _is_datetime(text: str) -> bool:
    try:
        Literal(text, datatype=XSD.dateTime)
    except ValueError:
        return False
    return len(text) >= 19 and text[10] == "T"


# -- the decisions on triples ------------------------------------------------------------------


def _touches(own: list[_TRIPLE], shared: list[_TRIPLE], curation: Curation) -> bool:
    terms = curation.terms()
    return any(
        getattr(t[0], "value", "") in terms or getattr(t[2], "value", "") in terms for t in own + shared
    )


def _apply(
    own: list[_TRIPLE], shared: list[_TRIPLE], curation: Curation
) -> tuple[list[_TRIPLE], list[_TRIPLE]]:
    own, shared = _merged(own, curation, False), _merged(shared, curation, True)
    own, shared = _rejected(own, curation), _rejected(shared, curation)
    shared = _relabelled(shared, curation)
    own, shared = _reparented(own, shared, curation)
    return list(dict.fromkeys(own)), list(dict.fromkeys(shared))


def _merged(triples: list[_TRIPLE], curation: Curation, shared: bool) -> list[_TRIPLE]:
    if not curation.merges:
        return triples
    out = []
    for s, p, o in triples:
        if s.value in curation.merges:
            if shared and p in _ONCE:
                continue
            if p == RDFS.label:
                p = SKOS.altLabel
        out.append((_map(s, curation), p, _map(o, curation)))
    return out


def _map(term: Any, curation: Curation) -> Any:
    if isinstance(term, NamedNode) and term.value in curation.merges:
        return NamedNode(curation.merges[term.value])
    return term


def _rejected(triples: list[_TRIPLE], curation: Curation) -> list[_TRIPLE]:
    if not curation.rejected_nodes and not curation.rejected_facts:
        return triples
    reified: dict[Any, dict[Any, Any]] = {}
    for s, p, o in triples:
        if p in (RDF.subject, RDF.predicate, RDF.object):
            reified.setdefault(s, {})[p] = o
    facts = {
        node: (parts[RDF.subject].value, parts[RDF.predicate].value, parts[RDF.object].value)
        for node, parts in reified.items()
        if len(parts) == 3
    }
    gone = {node for node in facts if node.value in curation.rejected_nodes}
    gone |= {node for node, fact in facts.items() if fact in curation.rejected_facts}
    gone |= {s for s, _, _ in triples if s.value in curation.rejected_nodes}  # an achievement
    still = {facts[node] for node in facts if node not in gone}
    unstated = {facts[node] for node in gone if node in facts} - still
    drop = set(curation.rejected_facts) | unstated
    return [t for t in triples if t[0] not in gone and (t[0].value, t[1].value, t[2].value) not in drop]


def _relabelled(shared: list[_TRIPLE], curation: Curation) -> list[_TRIPLE]:
    if not curation.labels:
        return shared
    described = {s.value for s, p, _ in shared if p == RDF.type}
    out: list[_TRIPLE] = []
    for s, p, o in shared:
        label = curation.labels.get(s.value)
        if label is not None and p in (RDFS.label, SKOS.altLabel):
            if o.value != label:
                out.append((s, SKOS.altLabel, o))
            continue
        out.append((s, p, o))
    for iri, label in curation.labels.items():
        if iri in described:
            node = NamedNode(iri)
            out += [(node, RDFS.label, Literal(label)), (node, SKOS.hiddenLabel, Literal(fold(label)))]
    return out


def _reparented(
    own: list[_TRIPLE], shared: list[_TRIPLE], curation: Curation
) -> tuple[list[_TRIPLE], list[_TRIPLE]]:
    if not curation.parents:
        return own, shared

    def moved(t: _TRIPLE) -> bool:
        return t[0].value in curation.parents and t[1] in (PKG.partOf, PKG.partOfSource)

    reified: dict[Any, dict[Any, Any]] = {}
    for s, p, o in own:
        if p in (RDF.subject, RDF.predicate):
            reified.setdefault(s, {})[p] = o
    stated = {
        node
        for node, parts in reified.items()
        if parts.get(RDF.predicate) == PKG.partOf
        and getattr(parts.get(RDF.subject), "value", "") in curation.parents
    }
    own = [t for t in own if not moved(t) and t[0] not in stated]  # the link and the sentences stating it
    described = {s.value for s, p, _ in shared if p == RDF.type}
    shared = [t for t in shared if not moved(t)]
    for place, parent in sorted(curation.parents.items()):
        if place in described:
            node = NamedNode(place)
            shared += [(node, PKG.partOf, NamedNode(parent)), (node, PKG.partOfSource, Literal("curation"))]
    return own, shared


# -- lines -------------------------------------------------------------------------------------


def _graph(quads: Sequence[Quad]) -> NamedNode | None:
    return next(
        (
            q.graph_name
            for q in quads
            if isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(ARTICLE_NS)
        ),
        None,
    )


def _statements(lines: Iterable[str]) -> list[Triple]:
    text = "\n".join(lines)
    return parse_ntriples(text.encode("utf-8")) if text else []


def _line(q: Quad | Triple) -> str:
    return f"{q.subject} {q.predicate} {q.object} ."


def _line_of(t: _TRIPLE) -> str:
    return f"{t[0]} {t[1]} {t[2]} ."


def _literal_of(t: _TRIPLE, stated: Mapping[str, Literal]) -> Literal:
    """The ``pkg:entityStatement`` literal of a statement: the extraction's own when it made this
    one (so that two articles support it with the same line), else as :mod:`policykg.rdf` writes."""
    found = stated.get(_line_of(t))
    if isinstance(found, Literal):
        return found
    return Literal(entity_statement(_nt(t[0]), _nt(t[1]), _nt(t[2])))


def _nt(term: NamedNode | Literal) -> str:
    """A term in N-Triples as :mod:`policykg.rdf` writes it."""
    if isinstance(term, NamedNode):
        return f"<{term.value}>"
    text = term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    datatype = term.datatype.value
    return f'"{text}"' if datatype == XSD.string.value else f'"{text}"^^<{datatype}>'
