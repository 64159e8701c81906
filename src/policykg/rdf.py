"""Records → RDF quads: one named graph per article, whose name is the article's IRI.

Every entity mention and every relation also gets a provenance node (``pkg:Mention`` or an
``rdf:Statement``) with the sentence and character offsets it comes from.
"""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from policykg import __version__
from policykg.iri import article_iri, derived_iri, entity_iri
from policykg.records import Achievement, Article, ArticleRecord, Entity, Evidence, Fact
from policykg.text import fold
from policykg.vocab import DCTERMS, ENTITY_GRAPH_IRI, PKG, PROV, RDF, RDFS, SKOS, XSD

SUPERCLASS = {"Directive": "PartyDocument", "Resolution": "PartyDocument", "Conclusion": "PartyDocument"}
DOCUMENT_CLASSES = ("Directive", "Resolution", "Conclusion", "PartyDocument", "StateDocument")
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


ENTITY_GRAPH = NamedNode(ENTITY_GRAPH_IRI)
# what an entity is, the same whichever article names it: kept once, in the entity graph
_IDENTITY = {
    RDF.type,
    RDFS.label,
    SKOS.hiddenLabel,
    SKOS.altLabel,
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


def article_quads(record: ArticleRecord) -> list[Quad]:
    """The quads of one article: its own graph, plus what its entities are in the entity graph.

    An article's graph holds what the article says (mentions, relations, results, with their
    sentences); the description of each entity (type, labels, codes, the gazetteer's links)
    goes to the shared entity graph, so that a Directive named in ten thousand articles is
    described once and queries over the union of graphs do not see it ten thousand times.
    """
    article = record.article
    graph = NamedNode(article_iri(article.identifier))
    triples = list(_article(article, graph))
    for entity in record.entities:
        triples += _entity(entity, graph, article)
    for fact in record.facts:
        triples += _fact(fact, graph, article)
    for achievement in record.achievements:
        triples += _achievement(achievement, graph, article)
    entities = {NamedNode(entity_iri(e.ref)) for e in record.entities}
    official = {NamedNode(entity_iri(e.ref)) for e in record.entities if e.get("partOfSource") == "gazetteer"}
    quads = []
    for s, p, o in dict.fromkeys(triples):
        shared = s in entities and (p in _IDENTITY or (s in official and p in (PKG.partOf, PKG.partOfSource)))
        quads.append(Quad(s, p, o, ENTITY_GRAPH if shared else graph))
    return quads


def _article(article: Article, node: NamedNode) -> Iterator[tuple]:
    yield node, RDF.type, PKG.Article
    yield node, DCTERMS.identifier, Literal(article.identifier)
    yield node, DCTERMS.title, Literal(article.title)
    yield node, DCTERMS.language, Literal("vi")
    yield node, PKG.contentHash, Literal(article.content_hash)
    yield node, PKG.extractorVersion, Literal(__version__)
    if article.date:
        yield node, DCTERMS.date, Literal(article.date, datatype=XSD.date)
    if article.url:
        yield (
            node,
            DCTERMS.source,
            NamedNode(article.url) if article.url.startswith("http") else Literal(article.url),
        )
    for author in article.authors:
        yield node, DCTERMS.creator, Literal(author)


def _entity(entity: Entity, graph: NamedNode, article: Article) -> list[tuple]:
    node = NamedNode(entity_iri(entity.ref))
    cls = getattr(PKG, entity.cls)
    triples = [
        (node, RDF.type, cls),
        (node, RDFS.label, Literal(entity.label)),
    ]
    searchable = [entity.label, *entity.alt_labels]
    if entity.cls in DOCUMENT_CLASSES:
        searchable.append(entity.get("number") or entity.ref.split(":", 1)[1])
    triples += [(node, SKOS.hiddenLabel, Literal(f)) for f in dict.fromkeys(fold(s) for s in searchable)]
    if entity.cls in SUPERCLASS:
        triples.append((node, RDF.type, getattr(PKG, SUPERCLASS[entity.cls])))
    triples += [(node, SKOS.altLabel, Literal(alt)) for alt in entity.alt_labels]
    for name, value in entity.properties:
        if name in _ENTITY_LINK:
            triples.append((node, _ENTITY_LINK[name], NamedNode(entity_iri(value))))
        elif name == "date":
            triples.append((node, PKG.issueDate, Literal(value, datatype=XSD.date)))
        elif name == "candidateCount":
            triples.append((node, PKG.candidateCount, Literal(value, datatype=XSD.integer)))
        elif name == "splitIn2025":
            triples.append((node, PKG.splitIn2025, Literal(value, datatype=XSD.boolean)))
        elif name in _ENTITY_PROPERTY:
            triples.append((node, _ENTITY_PROPERTY[name], Literal(value)))
        elif name != "issuer":
            raise ValueError(f"unexpected property of {entity.ref}: {name!r}")
    if entity.cls in DOCUMENT_CLASSES and entity.get("number") is None:
        triples.append((node, PKG.documentNumber, Literal(entity.ref.split(":", 1)[1])))
    if entity.mentions:
        triples.append((node, PKG.mentionedIn, graph))
    for evidence in entity.mentions:
        mention = NamedNode(
            derived_iri("mention", article.identifier, entity.ref, evidence.start, evidence.end)
        )
        triples += [(mention, RDF.type, PKG.Mention), (mention, PKG.mentionOf, node)]
        triples += _evidence(mention, evidence, graph, article)
    return triples


def _fact(fact: Fact, graph: NamedNode, article: Article) -> list[tuple]:
    subject, obj = NamedNode(entity_iri(fact.subject)), NamedNode(entity_iri(fact.object))
    predicate = getattr(PKG, fact.predicate)
    triples = [(subject, predicate, obj)]
    if fact.evidence is not None:
        statement = NamedNode(
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


def _achievement(achievement: Achievement, graph: NamedNode, article: Article) -> list[tuple]:
    node = NamedNode(derived_iri("achievement", achievement.ref))
    quantity = format(achievement.quantity.normalize(), "f")
    triples = [
        (node, RDF.type, PKG.Achievement),
        (node, RDFS.label, Literal(f"{quantity} {achievement.unit}")),
        (node, PKG.quantity, Literal(quantity, datatype=XSD.decimal)),
        (node, PKG.unit, Literal(achievement.unit)),
        (node, PKG.phrase, Literal(achievement.phrase)),
        (node, PKG.mentionedIn, graph),
    ]
    if achievement.year is not None:
        triples.append((node, PKG.year, Literal(str(achievement.year), datatype=XSD.integer)))
    if achievement.achieved_by:
        triples.append((node, PKG.achievedBy, NamedNode(entity_iri(achievement.achieved_by))))
    return triples + _evidence(node, achievement.evidence, graph, article)


def _evidence(node: NamedNode, evidence: Evidence, graph: NamedNode, article: Article) -> list[tuple]:
    sentence = article.text[evidence.sentence_start : evidence.sentence_end].strip()
    return [
        (node, PROV.wasDerivedFrom, graph),
        (node, PKG.sentence, Literal(sentence)),
        (node, PKG.startOffset, Literal(str(evidence.start), datatype=XSD.integer)),
        (node, PKG.endOffset, Literal(str(evidence.end), datatype=XSD.integer)),
    ]
