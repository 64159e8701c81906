"""Entity pages for ``policykg serve``: what the graph says of one IRI, with the sentences behind it.

Every instance IRI ``https://w3id.org/policykg/id/…`` is served at ``/id/…``. A page lists the
entity's label and types, its properties and the facts it is in (both ways), and under each
fact the sentences that state it, with each article's title, date and source: what a
researcher cites. Links to other entities stay on the server.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from policykg.query.evidence import Citation, citations
from policykg.query.results import shorten_iri
from policykg.store import Store
from policykg.store.results import text_rows
from policykg.store.terms import NamedNode
from policykg.vocab import ID_NS, PREFIXES
from policykg.web.charts import Neighbour, by_period, neighbourhood_svg, timeline_svg

# facts whose sentences a page shows (the relations the extractor states with evidence)
EVIDENCED = ("implements", "locatedIn", "partOf", "memberOf", "achievedBy", "subOrganizationOf", "continues")
_HIDDEN = {PREFIXES["pkg"] + name for name in ("entityStatement", "mentionOf")}
_PKG = PREFIXES["pkg"]
MAX_FACTS = 200  # facts listed each way; a page of a province would otherwise list thousands
CITED_FACTS = 60  # facts shown with their sentences; the rest are listed (`why` gives every sentence)
SENTENCES_SHOWN = 3  # sentences shown under a fact


@dataclass
class Fact:
    predicate: str
    other: str  # the IRI or literal value at the other end
    label: str
    outgoing: bool
    sentences: list[Citation] = field(default_factory=list)  # as ``why`` gives them
    via: tuple[str, str] | None = None  # for a place: the organisation located there that states it (IRI, label)
    where: str = ""  # the label of the place the other end is located in (who implemented a document where)


@dataclass
class Page:
    iri: str
    label: str
    types: list[str]
    properties: list[tuple[str, str, str]]  # predicate, value, link (an IRI) or ""
    facts: list[Fact]
    timeline: list[tuple[str, int]] = field(default_factory=list)  # a document's: (YYYY-MM, facts)
    parents: list[tuple[str, str]] = field(default_factory=list)  # a place's (or organisation's place's) chain up

    def neighbours(self, most: int = 24) -> list[Neighbour]:
        """The entities the facts link this one to, the most often linked first."""
        grouped: dict[str, Neighbour] = {}
        for fact in self.facts:
            other, label = fact.via if fact.via is not None else (fact.other, fact.label)
            if not other.startswith(ID_NS):
                continue
            name = shorten_iri(fact.predicate).split(":")[-1]
            seen = grouped.get(other)
            predicates = tuple(dict.fromkeys((*(seen.predicates if seen else ()), name)))
            weight = (seen.weight if seen else 0) + max(1, len(fact.sentences))
            grouped[other] = Neighbour(other, label or shorten_iri(other), local_link(other), predicates, weight, fact.outgoing)
        return sorted(grouped.values(), key=lambda n: (-n.weight, n.label))[:most]


def entity_page(store: Store, iri: str) -> Page | None:
    """What the store says of ``iri``; None when it says nothing."""
    node = NamedNode(iri)
    named = f"OPTIONAL {{ ?x <{PREFIXES['rdfs']}label> ?label }} OPTIONAL {{ ?x <{PREFIXES['dcterms']}title> ?title }}"
    out = text_rows(
        store.query(
            f"SELECT DISTINCT ?p ?x (COALESCE(?label, ?title) AS ?l) WHERE {{ <{iri}> ?p ?x {named} }} LIMIT 2000"
        ),
        3,
    )
    into = text_rows(
        store.query(
            f"SELECT DISTINCT ?x ?p (COALESCE(?label, ?title) AS ?l) WHERE {{ ?x ?p <{iri}> FILTER(isIRI(?x)) "
            f"FILTER(?p IN ({', '.join(f'<{_PKG}{name}>' for name in EVIDENCED)})) {named} }} LIMIT {MAX_FACTS}"
        ),
        3,
    )
    if not out and not into:
        return None
    label, types, properties, facts = iri, [], [], []
    for p, o, name in out:
        if p in _HIDDEN:
            continue
        if p == PREFIXES["rdfs"] + "label" and label == iri:
            label = o
        elif p == PREFIXES["rdf"] + "type":
            types.append(shorten_iri(o))
        elif p.startswith(_PKG) and p[len(_PKG) :] in EVIDENCED and o.startswith(ID_NS):
            facts.append(Fact(p, o, name or shorten_iri(o), True))
        else:
            properties.append(
                (
                    shorten_iri(p),
                    name or (shorten_iri(o) if o.startswith("http") else o),
                    o if o.startswith(ID_NS) else "",
                )
            )
    for s, p, name in into:  # only the relations that have sentences: a busy place's mentions would fill the limit
        facts.append(Fact(p, s, name or shorten_iri(s), False))
    if shorten_iri(_PKG + "Locality") in types:
        facts += _implemented_here(store, iri)
    facts.sort(key=lambda f: f.predicate != _PKG + "implements")  # implementation first: what is cited most
    for fact in facts[:CITED_FACTS]:
        subject, obj = (node, NamedNode(fact.other)) if fact.outgoing else (NamedNode(fact.other), node)
        if fact.via is not None:
            subject = NamedNode(fact.via[0])
        fact.sentences = citations(store, subject, NamedNode(fact.predicate), obj, limit=SENTENCES_SHOWN)
    document = any(t.endswith("Document") for t in types)
    timeline = _timeline(store, iri) if document else []
    places = _places_of_implementers(store, iri) if document else {}
    for fact in facts:
        if not fact.outgoing and fact.predicate == _PKG + "implements":
            fact.where = places.get(fact.other, "")
    return Page(iri, label, types, sorted(properties), facts, timeline, _parent_chain(store, iri))


TIMELINE_QUERY = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
# implementation facts (an actor in an article) of one document, by the article's month
SELECT ?month (COUNT(*) AS ?facts) WHERE {{
  ?summary pkg:document <{iri}> ; pkg:actor ?actor ; pkg:inArticle ?article .
  ?article dcterms:date ?date .
  BIND(SUBSTR(STR(?date), 1, 7) AS ?month)
}} GROUP BY ?month ORDER BY ?month
"""


def _parent_chain(store: Store, iri: str, most: int = 6) -> list[tuple[str, str]]:
    """The places above ``iri`` (a place: its ``pkg:partOf`` chain; an organisation: where it is
    located, then that place's chain), nearest first."""
    label = PREFIXES["rdfs"] + "label"
    chain: list[tuple[str, str]] = []
    current, step = iri, f"<{_PKG}locatedIn>|<{_PKG}partOf>"
    while len(chain) < most:
        rows = text_rows(
            store.query(
                f"SELECT ?up ?name WHERE {{ <{current}> {step} ?up OPTIONAL {{ ?up <{label}> ?name }} }} "
                "ORDER BY ?up LIMIT 1"
            ),
            2,
        )
        if not rows or rows[0][0] in {iri, *(c for c, _ in chain)}:
            break
        chain.append((rows[0][0], rows[0][1] or shorten_iri(rows[0][0])))
        current, step = rows[0][0], f"<{_PKG}partOf>"
    return chain


def _places_of_implementers(store: Store, iri: str) -> dict[str, str]:
    """For a document: where each actor that implements it is located (actor IRI -> place label)."""
    label = PREFIXES["rdfs"] + "label"
    rows = text_rows(
        store.query(
            f"SELECT ?actor (MIN(?name) AS ?place) WHERE {{ ?actor <{_PKG}implements> <{iri}> ;"
            f" <{_PKG}locatedIn> ?where . ?where <{label}> ?name }} GROUP BY ?actor LIMIT {MAX_FACTS}"
        ),
        2,
    )
    return {actor: place for actor, place in rows}


def _timeline(store: Store, iri: str) -> list[tuple[str, int]]:
    """A document's implementation facts by month, from the summary graph."""
    rows = text_rows(store.query(TIMELINE_QUERY.format(iri=iri)), 2)
    return [(month, int(n)) for month, n in rows if len(month) == 7]


def _implemented_here(store: Store, iri: str) -> list[Fact]:
    """What the organisations located in the place ``iri`` implement: how a place carries out a
    document, since the text mostly credits its Party committee."""
    label = PREFIXES["rdfs"] + "label"
    rows = text_rows(
        store.query(
            f"SELECT DISTINCT ?actor ?actorLabel ?document ?documentLabel WHERE {{ ?actor <{_PKG}locatedIn> <{iri}> ;"
            f" <{_PKG}implements> ?document OPTIONAL {{ ?actor <{label}> ?actorLabel }}"
            f" OPTIONAL {{ ?document <{label}> ?documentLabel }} }} ORDER BY ?document ?actor LIMIT {MAX_FACTS}"
        ),
        4,
    )
    return [
        Fact(_PKG + "implements", document, document_label or shorten_iri(document), True, via=(actor, actor_label))
        for actor, actor_label, document, document_label in rows
    ]


def local_link(iri: str) -> str:
    """The server's path of an instance IRI (``/id/…``), else the IRI itself."""
    return "/id/" + iri[len(ID_NS) :] if iri.startswith(ID_NS) else iri


def render_html(
    page: Page, sparql_link: str | None = None, timeline_link: str | None = None, facts_csv: str | None = None
) -> str:
    """The page as HTML (no scripts, no outside assets, pictures as inline SVG);
    ``sparql_link`` opens the SPARQL behind it in an editor, ``timeline_link`` and ``facts_csv``
    download the timeline's counts and the entity's links."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>",
        f"<title>{e(page.label)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
        "blockquote{border-left:3px solid #ccc;margin:.3em 0 .3em 1em;padding-left:.6em}"
        "td{padding:.1em .6em;vertical-align:top}.src{color:#555;font-size:90%}</style></head><body>",
        f"<h1>{e(page.label)}</h1>",
        f"<p><code>{e(page.iri)}</code> · {e(', '.join(page.types))}</p>",
    ]
    if page.parents:
        chain = " › ".join(f"<a href='{e(local_link(up))}'>{e(name)}</a>" for up, name in page.parents)
        parts.append(f"<p class='parents'>in {chain}</p>")
    if page.properties:
        parts.append("<table>")
        for predicate, value, link in page.properties:
            shown = f"<a href='{e(local_link(link))}'>{e(value)}</a>" if link else e(value)
            parts.append(f"<tr><td>{e(predicate)}</td><td>{shown}</td></tr>")
        parts.append("</table>")
    neighbours = page.neighbours()
    if neighbours:
        parts.append("<h2>Linked entities</h2>" + neighbourhood_svg(page.label, page.iri, neighbours))
    if page.timeline:
        parts.append(
            "<h2>Implementations over time</h2>"
            + timeline_svg(by_period(page.timeline), "implementation facts (an actor in an article) by the article's date")
        )
        if timeline_link:
            parts.append(f"<p class='src'><a href='{e(timeline_link)}'>These counts as CSV</a></p>")
    if page.facts:
        counts: dict[str, int] = {}
        for fact in page.facts:
            counts[shorten_iri(fact.predicate)] = counts.get(shorten_iri(fact.predicate), 0) + 1
        tally = " · ".join(f"{e(name)}: {n}" for name, n in sorted(counts.items()))
        parts.append(f"<h2>Facts and their sentences</h2><p class='src tally'>{tally}</p><ul>")
        for fact in page.facts:
            name = shorten_iri(fact.predicate)
            other = f"<a href='{e(local_link(fact.other))}'>{e(fact.label)}</a>"
            where = f" (in {e(fact.where)})" if fact.where else ""
            what = f"{e(name)} {other}" if fact.outgoing else f"{other}{where} {e(name)} this"
            if fact.via is not None:  # a place's organisation
                actor = f"<a href='{e(local_link(fact.via[0]))}'>{e(fact.via[1] or shorten_iri(fact.via[0]))}</a>"
                what = f"{actor} (located here) {e(name)} {other}"
            parts.append(f"<li>{what}")
            for c in fact.sentences:
                source = f" · <a href='{e(c.source)}'>{e(c.source)}</a>" if c.source.startswith("http") else ""
                where = f"{e(c.article)}, characters {c.start}–{c.end}"
                parts.append(
                    f"<blockquote>{e(c.sentence)}<div class='src'>{e(c.title)} · {e(c.date or 'no date')} · "
                    f"{where}{source}</div></blockquote>"
                )
            parts.append("</li>")
        parts.append("</ul>")
    if sparql_link:
        parts.append(f"<p class='src'><a href='{e(sparql_link)}'>The SPARQL behind this page</a></p>")
    if facts_csv:
        parts.append(f"<p class='src'><a href='{e(facts_csv)}'>Its links as CSV</a></p>")
    parts.append("</body></html>\n")
    return "".join(parts)
