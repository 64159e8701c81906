"""Records → RDF quads: one named graph per article, whose name is the article's IRI.

Every entity mention and every relation also gets a provenance node (``pkg:Mention`` or an
``rdf:Statement``) with the sentence and character offsets it comes from.

Terms are written straight in their N-Triples form (``<iri>``, ``"text"^^<datatype>``) and
the result is N-Quads text for the store's bulk loader: an article has about 900 quads, and
building them as pyoxigraph terms cost more than the rest of the RDF step together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import SimpleNamespace

from policykg import __version__, vocab
from policykg.iri import article_iri, derived_iri, entity_iri
from policykg.kinds import DOCUMENT_CLASSES, SUPERCLASS
from policykg.records import Achievement, Article, ArticleRecord, Entity, Evidence, Fact
from policykg.store.terms import NamedNode
from policykg.text import fold, is_iso_date

# a triple of N-Triples terms: subject, predicate, object
Triple = tuple[str, str, str]


def _ntriples(namespace: Iterable[str]) -> SimpleNamespace:
    """A vocabulary namespace whose terms are their N-Triples form, ``<iri>``."""
    return SimpleNamespace(**{name: str(getattr(namespace, name)) for name in namespace})


# in this module the vocabulary is strings in N-Triples form, not pyoxigraph terms
PKG, RDF, RDFS, SKOS, PROV, XSD, DCTERMS = map(
    _ntriples, (vocab.PKG, vocab.RDF, vocab.RDFS, vocab.SKOS, vocab.PROV, vocab.XSD, vocab.DCTERMS)
)

_ENTITY_PROPERTY = {
    "number": PKG.documentNumber,
    "title": PKG.documentTitle,
    "localityType": PKG.localityType,
    "partOfSource": PKG.partOfSource,
    "notation": SKOS.notation,
    "level": PKG.level,
    "position": PKG.position,
    "adminCode": PKG.adminCode,
    "adminLevel": PKG.adminLevel,
}
_ENTITY_LINK = {"partOf": PKG.partOf, "locatedIn": PKG.locatedIn, "successor": PKG.successor}


ENTITY_GRAPH = f"<{vocab.ENTITY_GRAPH_IRI}>"
# what describes an entity beyond its type and its names: codes, number, title, level, successors
DESCRIPTION = frozenset(
    {
        SKOS.notation,
        PKG.documentNumber,
        PKG.documentTitle,
        PKG.issueDate,
        PKG.localityType,
        PKG.level,
        PKG.adminCode,
        PKG.adminLevel,
        PKG.candidateCount,
        PKG.successor,
        PKG.splitIn2025,
    }
)
# what an entity is, the same whichever article names it: kept once, in the entity graph
_IDENTITY = {RDF.type, RDFS.label, SKOS.hiddenLabel, SKOS.altLabel, *DESCRIPTION}


def article_nquads(record: ArticleRecord, text: bool = True) -> tuple[bytes, bytes, int]:
    """One article as N-Quads: (its quads, its completion marker, how many quads in all).

    The marker is the article's ``pkg:contentHash`` quad, kept apart so that the store can
    write it once the rest is stored. ``text``: keep the article's normalised text (``pkg:text``).
    """
    quads = article_quads(record, text)
    body = "".join(f"{s} {p} {o} {g} .\n" for s, p, o, g in quads if p != PKG.contentHash)
    marker = "".join(f"{s} {p} {o} {g} .\n" for s, p, o, g in quads if p == PKG.contentHash)
    return body.encode("utf-8"), marker.encode("utf-8"), len(quads)


def article_quads(record: ArticleRecord, text: bool = True) -> list[tuple[str, str, str, str]]:
    """The quads of one article: its own graph, plus what its entities are in the entity graph.

    An article's graph holds what the article says (mentions, relations, results, with their
    sentences); the description of each entity (type, labels, codes, the gazetteer's links)
    goes to the shared entity graph, so that a Directive named in ten thousand articles is
    described once and queries over the union of graphs do not see it ten thousand times.
    The article graph records each statement it adds there (``pkg:entityStatement``), and,
    with ``text``, the article's normalised text that every offset counts into (``pkg:text``).
    """
    article = record.article
    graph = _iri(article_iri(article.identifier))
    triples = list(_article(article, graph))
    if text:
        triples.append((graph, PKG.text, _literal(article.text)))
    triples.append((graph, PKG.aboutPartyWork, _literal(str(record.party_work).lower(), XSD.boolean)))
    if record.relevance:
        triples.append((graph, PKG.relevance, _literal(record.relevance)))
    for entity in record.entities:
        triples += _entity(entity, graph, article)
    for fact in record.facts:
        triples += _fact(fact, graph, article)
    for achievement in record.achievements:
        triples += _achievement(achievement, graph, article)
    entities = {_iri(entity_iri(e.ref)) for e in record.entities}
    official = {_iri(entity_iri(e.ref)) for e in record.entities if e.get("partOfSource") == "gazetteer"}
    quads, support = [], []
    for s, p, o in dict.fromkeys(triples):
        shared = s in entities and (p in _IDENTITY or (s in official and p in (PKG.partOf, PKG.partOfSource)))
        quads.append((s, p, o, ENTITY_GRAPH if shared else graph))
        if shared:
            support.append((graph, PKG.entityStatement, _literal(entity_statement(s, p, o)), graph))
    return quads + support


def entity_statement(s: str, p: str, o: str) -> str:
    """How an article graph records a statement of the entity graph it supports (``pkg:entityStatement``).

    The store keeps an entity-graph statement exactly while some article graph records it,
    so that what an entity is never outlives the articles that said so.

    >>> entity_statement("<http://x/d>", "<http://x/label>", '"Kết luận 01"')
    '<http://x/d> <http://x/label> "Kết luận 01" .'
    """
    return f"{s} {p} {o} ."


def _iri(value: str) -> str:
    return f"<{value}>"


def _literal(value: str, datatype: str | None = None) -> str:
    """A literal in N-Triples form; ``datatype`` is an IRI in N-Triples form."""
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"^^{datatype}' if datatype else f'"{text}"'


def _article(article: Article, node: str) -> Iterator[Triple]:
    yield node, RDF.type, PKG.Article
    yield node, DCTERMS.identifier, _literal(article.identifier)
    yield node, DCTERMS.title, _literal(article.title)
    yield node, DCTERMS.language, _literal("vi")
    yield node, PKG.contentHash, _literal(article.content_hash)
    yield node, PKG.extractorVersion, _literal(__version__)
    if article.date and is_iso_date(article.date):  # an impossible date (31/02) is no xsd:date: left out
        yield node, DCTERMS.date, _literal(article.date, XSD.date)
    if article.url:
        yield (
            node,
            DCTERMS.source,
            # NamedNode checks that the address is a valid IRI
            str(NamedNode(article.url)) if article.url.startswith("http") else _literal(article.url),
        )
    for author in article.authors:
        yield node, DCTERMS.creator, _literal(author)


def _entity(entity: Entity, graph: str, article: Article) -> list[Triple]:
    node = _iri(entity_iri(entity.ref))
    cls = getattr(PKG, entity.cls)
    triples = [
        (node, RDF.type, cls),
        (node, RDFS.label, _literal(entity.label)),
    ]
    searchable = [entity.label, *entity.alt_labels]
    if entity.cls in DOCUMENT_CLASSES:
        searchable.append(entity.get("number") or entity.ref.split(":", 1)[1])
    triples += [(node, SKOS.hiddenLabel, _literal(f)) for f in dict.fromkeys(fold(s) for s in searchable)]
    if entity.cls in SUPERCLASS:
        triples.append((node, RDF.type, getattr(PKG, SUPERCLASS[entity.cls])))
    triples += [(node, SKOS.altLabel, _literal(alt)) for alt in entity.alt_labels]
    for name, value in entity.properties:
        if name in _ENTITY_LINK:
            triples.append((node, _ENTITY_LINK[name], _iri(entity_iri(value))))
        elif name == "date":
            if is_iso_date(value):  # the extractor reads 'ngày 31/2/2021' as it is written
                triples.append((node, PKG.issueDate, _literal(value, XSD.date)))
        elif name == "candidateCount":
            triples.append((node, PKG.candidateCount, _literal(value, XSD.integer)))
        elif name == "splitIn2025":
            triples.append((node, PKG.splitIn2025, _literal(value, XSD.boolean)))
        elif name in _ENTITY_PROPERTY:
            triples.append((node, _ENTITY_PROPERTY[name], _literal(value)))
        elif name != "issuer":
            raise ValueError(f"unexpected property of {entity.ref}: {name!r}")
    if entity.cls in DOCUMENT_CLASSES and entity.get("number") is None:
        triples.append((node, PKG.documentNumber, _literal(entity.ref.split(":", 1)[1])))
    if entity.mentions:
        triples.append((node, PKG.mentionedIn, graph))
    for evidence in entity.mentions:
        mention = _iri(derived_iri("mention", article.identifier, entity.ref, evidence.start, evidence.end))
        triples += [(mention, RDF.type, PKG.Mention), (mention, PKG.mentionOf, node)]
        triples += _evidence(mention, evidence, graph, article)
    return triples


def _fact(fact: Fact, graph: str, article: Article) -> list[Triple]:
    subject, obj = _iri(entity_iri(fact.subject)), _iri(entity_iri(fact.object))
    predicate = getattr(PKG, fact.predicate)
    triples = [(subject, predicate, obj)]
    if fact.evidence is not None:
        statement = _iri(
            derived_iri(
                "statement",
                article.identifier,
                fact.subject,
                fact.predicate,
                fact.object,
                fact.evidence.start,
            )
        )
        triples += [
            (statement, RDF.type, RDF.Statement),
            (statement, RDF.subject, subject),
            (statement, RDF.predicate, predicate),
            (statement, RDF.object, obj),
        ]
        triples += _evidence(statement, fact.evidence, graph, article)
    return triples


def _achievement(achievement: Achievement, graph: str, article: Article) -> list[Triple]:
    node = _iri(derived_iri("achievement", achievement.ref))
    quantity = format(achievement.quantity.normalize(), "f")
    triples = [
        (node, RDF.type, PKG.Achievement),
        (node, RDFS.label, _literal(f"{quantity} {achievement.unit}")),
        (node, PKG.quantity, _literal(quantity, XSD.decimal)),
        (node, PKG.unit, _literal(achievement.unit)),
        (node, PKG.phrase, _literal(achievement.phrase)),
        (node, PKG.mentionedIn, graph),
    ]
    if achievement.year is not None:
        triples.append((node, PKG.year, _literal(str(achievement.year), XSD.integer)))
    if achievement.achieved_by:
        triples.append((node, PKG.achievedBy, _iri(entity_iri(achievement.achieved_by))))
    return triples + _evidence(node, achievement.evidence, graph, article)


def _evidence(node: str, evidence: Evidence, graph: str, article: Article) -> list[Triple]:
    sentence = article.text[evidence.sentence_start : evidence.sentence_end].strip()
    return [
        (node, PROV.wasDerivedFrom, graph),
        (node, PKG.sentence, _literal(sentence)),
        (node, PKG.startOffset, _literal(str(evidence.start), XSD.integer)),
        (node, PKG.endOffset, _literal(str(evidence.end), XSD.integer)),
    ]
