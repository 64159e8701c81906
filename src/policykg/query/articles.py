"""Articles as first-class (issue 20, item 5): the stored articles, and one article with what it
names, what it states and the sentence (or, when the store keeps its text, the paragraph) of
each fact. Read through the internal queries ``queries/internal/article-*.rq``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from policykg.errors import QueryError
from policykg.iri import article_iri
from policykg.store import NamedNode, QuerySolutions, Store
from policykg.store.results import term_text

ENTITY_ORDER = (
    "Directive",
    "Resolution",
    "Conclusion",
    "PartyDocument",
    "StateDocument",
    "PartyOrg",
    "Body",
    "Locality",
    "Person",
)
FACT_ORDER = (
    "implements",
    "continues",
    "issuedBy",
    "locatedIn",
    "partOf",
    "memberOf",
    "subOrganizationOf",
    "achievement",
)


@dataclass(frozen=True)
class ArticleInfo:
    """One stored article: what it is and how much the graph took from it."""

    identifier: str
    iri: str
    title: str
    date: str | None
    source: str | None  # dcterms:source: its address, as the input gave it
    outlet: str | None  # the address's host, without www.
    authors: tuple[str, ...]
    entities: int = 0
    implementations: int = 0
    achievements: int = 0


@dataclass(frozen=True)
class ArticleFact:
    """A fact the article states, with its sentence; ``paragraph`` when the text is stored."""

    kind: str  # the relation (implements, locatedIn …) or "achievement"
    subject: str
    object: str
    sentence: str
    start: int
    end: int
    paragraph: str | None = None


@dataclass(frozen=True)
class ArticleDetail:
    """One article in full: :class:`ArticleInfo`, its counts by kind and its facts."""

    info: ArticleInfo
    about_party_work: bool | None
    relevance: str
    characters: int | None  # of its stored text; None when ingested with --no-text
    entities: dict[str, int] = field(default_factory=dict)  # by class
    facts: dict[str, int] = field(default_factory=dict)  # by kind
    stated: tuple[ArticleFact, ...] = ()


def outlet(source: str | None) -> str | None:
    """The outlet an address names: its host without ``www.``; None for no web address.

    >>> outlet("https://www.baosonla.vn/a/b.html"), outlet("archive/2013/a.txt")
    ('baosonla.vn', None)
    """
    if not source or not source.startswith(("http://", "https://")):
        return None
    host = urlsplit(source).hostname
    return host.removeprefix("www.") if host else None


def paragraph(text: str, start: int, end: int) -> str | None:
    """The paragraph (line) of ``text`` that holds ``[start, end)``, the span in « »; None when the
    offsets do not fit the text.

    >>> paragraph("Tiêu đề\\nĐảng bộ xã thực hiện Chỉ thị 05.\\nKhác", 19, 39)
    'Đảng bộ xã «thực hiện Chỉ thị 05».'
    """
    if not 0 <= start <= end <= len(text):
        return None
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    last = len(text) if last < 0 else last
    return f"{text[first:start]}«{text[start:end]}»{text[end:last]}".strip()


def list_articles(store: Store, limit: int | None = None) -> list[ArticleInfo]:
    """The complete articles, dated ones by date then the undated, with their counts."""
    from policykg.query.saved import internal

    sparql = internal("article-list").sparql + (f"LIMIT {int(limit)}\n" if limit else "")
    infos = [_info(row) for row in _solutions(store.query(sparql))]
    counts = _counts(store, [i.iri for i in infos])
    return [
        ArticleInfo(
            **{
                **i.__dict__,
                "entities": sum(counts[i.iri]["entities"].values()),
                "implementations": counts[i.iri]["facts"].get("implements", 0),
                "achievements": counts[i.iri]["facts"].get("achievement", 0),
            }
        )
        for i in infos
    ]


def show_article(store: Store, identifier: str) -> ArticleDetail:
    """One article by its identifier (as ``remove`` takes it) or its IRI."""
    from policykg.query.saved import internal

    iri = (
        identifier
        if identifier.startswith("https://w3id.org/policykg/id/article/")
        else article_iri(identifier)
    )
    one = {"article": [NamedNode(iri)]}
    bound = internal("article-list").bind(one)
    found = _solutions(store.query(bound))
    if not found or found[0]["identifier"] is None:
        raise QueryError(
            f"no article {identifier!r} in the store; 'policykg articles list' lists them by identifier"
        )
    row = found[0]
    counts = _counts(store, [iri])[iri]
    info = _info(row)
    info = ArticleInfo(
        **{
            **info.__dict__,
            "entities": sum(counts["entities"].values()),
            "implementations": counts["facts"].get("implements", 0),
            "achievements": counts["facts"].get("achievement", 0),
        }
    )
    text_rows = _solutions(store.query(internal("article-text").bind(one)))
    text = term_text(text_rows[0]["text"]) if text_rows else None
    stated = []
    for fact in _solutions(store.query(internal("article-facts").bind(one))):
        start, end = int(term_text(fact["start"])), int(term_text(fact["end"]))
        stated.append(
            ArticleFact(
                term_text(fact["kind"]),
                term_text(fact["subjectLabel"]),
                term_text(fact["objectLabel"]),
                term_text(fact["sentence"]),
                start,
                end,
                paragraph(text, start, end) if text is not None else None,
            )
        )
    party = row["party"]
    return ArticleDetail(
        info,
        None if party is None else term_text(party) in ("true", "1"),
        term_text(row["relevance"]),
        None if row["characters"] is None else int(term_text(row["characters"])),
        _ordered(counts["entities"], ENTITY_ORDER),
        _ordered(counts["facts"], FACT_ORDER),
        tuple(stated),
    )


def _ordered(counts: dict[str, int], order: tuple[str, ...]) -> dict[str, int]:
    return dict(
        sorted(counts.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]))
    )


def _info(row: dict[str, object]) -> ArticleInfo:
    source = term_text(row["source"]) or None
    authors = term_text(row["authors"])
    return ArticleInfo(
        term_text(row["identifier"]),
        term_text(row["article"]),
        term_text(row["title"]),
        term_text(row["date"]) or None,
        source,
        outlet(source),
        tuple(a for a in authors.split("; ") if a),
    )


def _counts(store: Store, iris: list[str]) -> dict[str, dict[str, dict[str, int]]]:
    """Per article IRI: {"entities": {class: n}, "facts": {kind: n}}."""
    from policykg.query.saved import internal

    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: {"entities": {}, "facts": {}})
    if not iris:
        return counts
    sparql = internal("article-counts").bind({"article": [NamedNode(i) for i in iris]})
    for row in _solutions(store.query(sparql)):
        counts[term_text(row["article"])][term_text(row["what"])][term_text(row["kind"])] = int(
            term_text(row["n"])
        )
    return counts


def _solutions(result: object) -> list[dict[str, object]]:
    if not isinstance(result, QuerySolutions):  # pragma: no cover - the queries are SELECTs
        raise QueryError("an article query did not return rows")
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names} for row in result]


def format_article(detail: ArticleDetail, paragraphs: bool = False) -> str:
    """One article as ``policykg articles show`` prints it: what it is, its counts, then each fact
    with its sentence (or its paragraph, the fact's words in « », with ``paragraphs``)."""
    info = detail.info
    party = {True: "yes", False: "no", None: "?"}[detail.about_party_work]
    lines = [
        f"article   {info.identifier}  <{info.iri}>",
        f"title     {info.title}",
        f"date      {info.date or '(none)'}",
        f"outlet    {info.outlet or '(none)'}" + (f"  {info.source}" if info.source else ""),
        f"byline    {'; '.join(info.authors) or '(none)'}",
        f"party     {party}" + (f" ({detail.relevance})" if detail.relevance else ""),
        "text      "
        + (
            f"{detail.characters:,} characters kept"
            if detail.characters is not None
            else "not kept (--no-text)"
        ),
        f"entities  {info.entities}: "
        + (", ".join(f"{n} {k}" for k, n in detail.entities.items()) or "none"),
        f"facts     {sum(detail.facts.values())}: "
        + (", ".join(f"{n} {k}" for k, n in detail.facts.items()) or "none"),
    ]
    if detail.stated:
        shown = "paragraphs" if paragraphs else "sentences"
        lines += ["", f"{len(detail.stated)} statement(s) of these facts, with their {shown}:"]
    for fact in detail.stated:
        what = f"{fact.subject} → {fact.object}" if fact.object else fact.subject
        lines += ["", f"{fact.kind}: {what}  (chars {fact.start}–{fact.end})"]
        quoted = fact.paragraph if paragraphs and fact.paragraph else fact.sentence
        lines.append(f"    “{quoted}”")
    if paragraphs and detail.characters is None:
        lines += ["", "(the text was not kept, so the sentences are shown: ingest again without --no-text)"]
    return "\n".join(lines) + "\n"
