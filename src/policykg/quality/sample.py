"""Uniform random samples of what the graph says, written as judging sheets (``policykg sample``).

An *item* is one thing the graph states about one article, the unit a researcher judges:

- ``implements``: one (actor, document, article) fact, ``GRAPH article { actor pkg:implements
  document }``, shown with the first sentence (by offset) of its ``rdf:Statement`` s there;
- an entity kind (``partyorg``, ``locality``, ``person``, ``document``): one (entity, article)
  mention, ``GRAPH article { entity pkg:mentionedIn article }``, shown with the sentence of the
  entity's first ``pkg:Mention`` in that article, so an entity named in many articles is drawn
  as often as it is named;
- ``achievement``: one achievement (each belongs to one article), with its own sentence.

The sample is a bottom-k sample: every item gets a pseudo-random priority, a hash of the seed
and the item's IRIs, and the ``n`` items of lowest priority are drawn. That is a uniform sample
without replacement, the same for the same seed and store whatever order the store returns
items in, and it takes one streamed pass over the items holding only ``n`` of them.
"""

from __future__ import annotations

import csv
import hashlib
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from policykg.errors import QueryError, SheetError
from policykg.iri import article_iri
from policykg.kinds import DOCUMENT_CLASSES
from policykg.quality.audit import KINDS, QUESTIONS, SHEET_COLUMNS
from policykg.resources import internal_query
from policykg.store import Store
from policykg.store.terms import Bindings, Literal, NamedNode, QuerySolution, QuerySolutions
from policykg.vocab import DCTERMS, ENTITY_GRAPH_IRI, PKG, RDF, RDFS

ENTITIES = NamedNode(ENTITY_GRAPH_IRI)
ENTITY_CLASSES = {
    "partyorg": ("PartyOrg",),
    "locality": ("Locality",),
    "person": ("Person",),
    "document": ("PartyDocument", "StateDocument"),
}

# the items of each kind, streamed (types live in the entity graph, achievements in their
# article), the first sentence that supports one item, and the values a sheet shows
ENTITY_ITEMS = internal_query("sample-entities")
ACHIEVEMENT_ITEMS = internal_query("sample-achievements")
IMPLEMENTS_ITEMS = internal_query("sample-implements")
MENTION_EVIDENCE = internal_query("sample-mention-evidence")
ACHIEVEMENT_EVIDENCE = internal_query("sample-result-evidence")
STATEMENT_EVIDENCE = internal_query("sample-statement-evidence")
OBJECTS = internal_query("sample-values")
OBJECTS_IN = internal_query("sample-values-in")

Key = tuple[NamedNode, ...]  # (item, article) or (actor, document, article)

Value = NamedNode | Literal  # what the sheet shows: an IRI or a literal


@dataclass(frozen=True)
class Item:
    """One row of a judging sheet."""

    kind: str
    item: str  # what the graph says, for a person to read
    iri: str  # the entity, achievement or rdf:Statement
    sentence: str
    article: str  # the article's identifier (its file name)
    title: str
    start: int | None  # offsets in the article's normalised text of the mention or sentence
    end: int | None


@dataclass(frozen=True)
class Sample:
    kind: str
    seed: int
    population: int  # items of this kind in the store (or in the chosen articles)
    items: list[Item]


def sample_items(store: Store, kind: str, n: int, seed: int, articles: set[str] | None = None) -> Sample:
    """A uniform random sample of ``n`` items of ``kind`` (all of them if fewer), sorted by article.

    ``articles`` (article graph IRIs) restricts the population to those articles.
    """
    if kind not in KINDS:
        raise ValueError(f"unexpected kind: {kind!r}")
    keys = (k for k in _keys(store, kind) if articles is None or k[-1].value in articles)
    population, chosen = _bottom(keys, n, seed)
    items = sorted(
        (_describe(store, kind, key) for key in chosen), key=lambda i: (i.article, i.start or 0, i.iri)
    )
    return Sample(kind, seed, population, items)


def article_graphs(store: Store, identifiers: Iterable[str]) -> set[str]:
    """The graph IRIs of articles given by exact identifier; unknown ones are an error."""
    graphs = {name: article_iri(name) for name in identifiers}
    missing = [name for name, graph in graphs.items() if store.content_hash(graph) is None]
    if missing:
        raise QueryError(
            f"not in the store: {', '.join(missing[:5])}; 'policykg query run article-timeline' lists them"
        )
    return set(graphs.values())


def read_identifiers(path: Path) -> list[str]:
    """The article identifiers in a file, one a line (blank lines skipped)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise SheetError(f"cannot read the list of articles {path}: {err}") from err
    return [line.strip() for line in lines if line.strip()]


def _keys(store: Store, kind: str) -> Iterator[Key]:
    """Every item of ``kind`` in the store, streamed."""
    if kind == "implements":
        for row in _rows(store, IMPLEMENTS_ITEMS):
            yield row["actor"], row["document"], row["article"]
    elif kind == "achievement":
        for row in _rows(store, ACHIEVEMENT_ITEMS):
            yield row["item"], row["article"]
    else:
        for cls in ENTITY_CLASSES[kind]:
            for row in _rows(store, ENTITY_ITEMS, {"class": getattr(PKG, cls), "entities": ENTITIES}):
                yield row["item"], row["article"]


def priority(seed: int, key: Key) -> int:
    """The pseudo-random rank of an item for a seed: a hash of both, as a 64-bit integer.

    >>> a = (NamedNode("https://example.org/a"),)
    >>> priority(1, a) == priority(1, a) != priority(2, a)
    True
    """
    text = "\0".join([str(seed), *(term.value for term in key)])
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def _bottom(keys: Iterable[Key], n: int, seed: int) -> tuple[int, list[Key]]:
    """(how many keys, the ``n`` of lowest priority), holding at most ``n`` at a time."""
    heap: list[tuple[int, tuple[str, ...]]] = []  # a max-heap by priority, through negation
    count = 0
    for key in keys:
        count += 1
        entry = (-priority(seed, key), tuple(term.value for term in key))  # ties: by IRI
        if len(heap) < n:
            heapq.heappush(heap, entry)
        elif entry > heap[0]:
            heapq.heapreplace(heap, entry)
    return count, [tuple(NamedNode(v) for v in values) for _, values in heap]


# -- one row ---------------------------------------------------------------------------------


def _describe(store: Store, kind: str, key: Key) -> Item:
    """The sheet row of one drawn item: its rendering, evidence and article."""
    article = key[-1]
    if kind == "implements":
        actor, document, _ = key
        evidence = _first_row(store, STATEMENT_EVIDENCE, actor=actor, document=document, article=article)
        text = f"{_name(store, actor)} → {_label(store, document)}{_within(store, actor, article)}"
    else:
        item = key[0]
        query = ACHIEVEMENT_EVIDENCE if kind == "achievement" else MENTION_EVIDENCE
        evidence = _first_row(store, query, item=item, article=article)
        text = _RENDER[kind](store, item, article)
    return Item(
        kind=kind,
        item=text,
        iri=evidence["evidence"].value if kind == "implements" and evidence else key[0].value,
        sentence=evidence["sentence"].value if evidence else "",
        article=_value(store, article, DCTERMS.identifier, article),
        title=_value(store, article, DCTERMS.title, article),
        start=int(evidence["start"].value) if evidence else None,
        end=int(evidence["end"].value) if evidence else None,
    )


def _partyorg(store: Store, item: NamedNode, article: NamedNode) -> str:
    return _label(store, item)


def _locality(store: Store, item: NamedNode, article: NamedNode) -> str:
    """``type name (parent)``: the parents this article or the official list gives."""
    return _name(store, item) + _within(store, item, article)


def _person(store: Store, item: NamedNode, article: NamedNode) -> str:
    """``name — position`` with the positions this article gives."""
    posts = "; ".join(v.value for v in _objects(store, item, PKG.position, article))
    return f"{_label(store, item)} — {posts}" if posts else _label(store, item)


def _achievement(store: Store, item: NamedNode, article: NamedNode) -> str:
    """``quantity unit — by actor (year)``."""
    text = _label(store, item)
    actors = _objects(store, item, PKG.achievedBy, article)
    if actors:
        text += " — by " + "; ".join(_name(store, a) for a in actors)
    years = _objects(store, item, PKG.year, article)
    return text + (f" ({years[0].value})" if years else "")


def _document(store: Store, item: NamedNode, article: NamedNode) -> str:
    """``number label [class]``; the number once when the label holds it."""
    label, number = _label(store, item), _value(store, item, PKG.documentNumber, ENTITIES)
    classes = {v.value.rpartition("#")[2] for v in _objects(store, item, RDF.type, ENTITIES)}
    cls = next((c for c in DOCUMENT_CLASSES if c in classes), "")  # the most specific first
    text = label if number in label else f"{number}: {label}"
    return f"{text} [{cls}]" if cls else text


_RENDER = {
    "partyorg": _partyorg,
    "locality": _locality,
    "person": _person,
    "achievement": _achievement,
    "document": _document,
}


def _within(store: Store, node: NamedNode, article: NamedNode) -> str:
    """`` (place)``: where an organisation is located or a place lies, per this article or the
    official list; empty when neither says."""
    places = []
    for predicate in (PKG.locatedIn, PKG.partOf):
        for graph in (article, ENTITIES):
            places += _objects(store, node, predicate, graph)
    names = list(dict.fromkeys(_name(store, p) for p in places))
    return f" ({'; '.join(names)})" if names else ""


def _name(store: Store, node: Value) -> str:
    """The label, after the unit word for a place: ``xã Tà Mung``."""
    unit = _objects(store, node, PKG.localityType)
    return f"{unit[0].value} {_label(store, node)}" if unit else _label(store, node)


def _label(store: Store, node: Value) -> str:
    labels = _objects(store, node, RDFS.label)
    return labels[0].value if labels else node.value


def _value(store: Store, node: NamedNode, predicate: NamedNode, graph: NamedNode) -> str:
    values = _objects(store, node, predicate, graph)
    return values[0].value if values else ""


def _objects(
    store: Store, subject: Value, predicate: NamedNode, graph: NamedNode | None = None
) -> list[Value]:
    """The objects of ``subject predicate`` (in ``graph``, or any), sorted: the same every run."""
    bindings = {"subject": subject, "predicate": predicate}
    if graph is None:
        rows = _rows(store, OBJECTS, bindings)
    else:
        rows = _rows(store, OBJECTS_IN, bindings | {"graph": graph})
    return sorted({v for row in rows if isinstance(v := row["value"], NamedNode | Literal)}, key=str)


def _rows(store: Store, query: str, bindings: Bindings | None = None) -> QuerySolutions:
    """The solutions of a SELECT the module sends (never an ASK or a CONSTRUCT)."""
    result = store.query(query, bindings)
    if not isinstance(result, QuerySolutions):
        raise QueryError(f"expected solutions of a SELECT, got {type(result).__name__}")
    return result


def _first_row(store: Store, query: str, **bindings: NamedNode) -> QuerySolution | None:
    return next(iter(_rows(store, query, bindings)), None)


# -- the sheet -------------------------------------------------------------------------------


def sheet_paths(base: Path) -> tuple[Path, Path]:
    """``SHEET.csv`` and ``SHEET.md`` for ``SHEET`` (a ``.csv`` or ``.md`` suffix is dropped).

    >>> [p.name for p in sheet_paths(Path("audit/implements-7.csv"))]
    ['implements-7.csv', 'implements-7.md']
    """
    if base.suffix in (".csv", ".md"):
        base = base.with_suffix("")
    return base.with_name(base.name + ".csv"), base.with_name(base.name + ".md")


def write_sheet(sample: Sample, base: Path, force: bool = False) -> tuple[Path, Path]:
    """Write the sample as ``SHEET.csv`` (to judge; ``eval --judged`` reads it) and ``SHEET.md``.

    An existing sheet is kept unless ``force``: it may already hold verdicts.
    """
    csv_path, md_path = sheet_paths(base)
    existing = [str(p) for p in (csv_path, md_path) if p.exists()]
    if existing and not force:
        raise SheetError(f"{existing[0]} exists (it may hold verdicts); choose another -o or pass --force")
    try:
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        with csv_path.open("w", encoding="utf-8-sig", newline="") as out:  # the BOM: Excel reads UTF-8
            writer = csv.writer(out)
            writer.writerow(SHEET_COLUMNS)
            writer.writerows(_csv_row(n, item) for n, item in enumerate(sample.items, start=1))
        md_path.write_text(markdown(sample, csv_path.name), encoding="utf-8")
    except OSError as err:
        raise SheetError(f"cannot write the sheet {csv_path}: {err.strerror or err}") from err
    return csv_path, md_path


def _csv_row(n: int, item: Item) -> list[str]:
    offsets = ["" if x is None else str(x) for x in (item.start, item.end)]
    text = [item.kind, item.item, item.iri, item.sentence, item.article, item.title]
    return [str(n), *text, *offsets, "", ""]  # verdict and note: the judge's


def markdown(sample: Sample, csv_name: str) -> str:
    """The sheet for reading: the question to judge, then each item with its sentence."""
    lines = [
        f"# Precision audit: {sample.kind} (seed {sample.seed})",
        "",
        f"{len(sample.items)} of {sample.population} {sample.kind} item(s) in the store, drawn uniformly "
        "at random.",
        f"Judge each: {QUESTIONS[sample.kind]}",
        f"Write the verdict in `{csv_name}` (column `verdict`): `y` right, `n` wrong, `?` cannot tell. "
        f"Then: `policykg eval --judged {csv_name}`.",
    ]
    for n, item in enumerate(sample.items, start=1):
        where = f"chars {item.start}–{item.end}" if item.start is not None else "no sentence"
        lines += [
            "",
            f"## {n}. {item.item}",
            "",
            f"> {' '.join(item.sentence.split()) or '(no sentence in the store)'}",
            "",
            f"{item.article} · {item.title} · {where} · <{item.iri}>",
        ]
    return "\n".join(lines) + "\n"
