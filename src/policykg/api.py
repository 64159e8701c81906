"""The Python API for notebooks and scripts: ``kg = policykg.open("policykg-store")``.

A thin object over :mod:`policykg.service`: it holds one open store and returns rows of
plain Python values (``Rows``, a list of dicts; ``.to_pandas()`` when pandas is installed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from policykg import service
from policykg.errors import QueryError
from policykg.store import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    Store,
    locate,
    open_store,
)
from policykg.vocab import XSD_NS

if TYPE_CHECKING:
    import pandas

    from policykg.ingest import IngestReport
    from policykg.query.articles import ArticleDetail
    from policykg.query.evidence import Citation

Value = str | int | float | Decimal | bool | None
_NUMBERS: dict[str, type[int] | type[float] | type[Decimal]] = {
    XSD_NS + "integer": int,
    XSD_NS + "int": int,
    XSD_NS + "long": int,
    XSD_NS + "decimal": Decimal,
    XSD_NS + "double": float,
    XSD_NS + "float": float,
}


class Rows(list[dict[str, Value]]):
    """The rows of a SELECT result as dicts of plain values, with the column names in order."""

    def __init__(self, columns: Sequence[str], rows: Iterable[dict[str, Value]] = ()) -> None:
        super().__init__(rows)
        self.columns = list(columns)

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame of the rows (``pip install 'policykg[pandas]'``)."""
        try:
            import pandas
        except ImportError as err:
            raise QueryError("to_pandas() needs pandas: pip install 'policykg[pandas]'") from err
        return pandas.DataFrame(list(self), columns=self.columns)


def plain(term: object) -> Value:
    """A Python value for an RDF term: numbers and booleans by datatype, IRIs and text as str.

    >>> plain(Literal("5", datatype=NamedNode(XSD_NS + "integer"))), plain(NamedNode("urn:a"))
    (5, 'urn:a')
    """
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        datatype = term.datatype.value
        if datatype == XSD_NS + "boolean":
            return term.value in ("true", "1")
        number = _NUMBERS.get(datatype)
        if number is not None:
            try:
                return number(term.value)
            except (ValueError, ArithmeticError):
                return term.value
        return term.value
    return str(term)


class KnowledgeGraph:
    """One policykg store, open for queries (and, unless read-only, for ingest)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- reading ----------------------------------------------------------------------------
    def query(self, name: str, /, **params: str | Sequence[str]) -> Rows:
        """Run saved query ``name``; parameters as keywords, e.g. ``document="Chỉ thị 05"``."""
        return self._rows(service.saved_query(name, params))

    def ask(self, question: str) -> Rows:
        """Answer a plain question with the saved query it matches."""
        return self._rows(service.ask(question).prepared)

    def sparql(self, text: str, allow_remote: bool = False) -> Rows | bool:
        """A read-only SPARQL query: rows for SELECT, a bool for ASK (not CONSTRUCT)."""
        prepared = service.ad_hoc(text, allow_remote)
        result = self.store.query(prepared.sparql)
        if isinstance(result, QueryBoolean):
            return bool(result)
        return self._table(result, ())

    def why(
        self,
        subject: str | None = None,
        predicate: str | None = None,
        obj: str | None = None,
        *,
        document: str | None = None,
        locality: str | None = None,
        org: str | None = None,
    ) -> list[Citation]:
        """The sentences behind a fact: ``why(document=..., locality=...)`` or ``why(s, p, o)``."""
        if document is not None:
            return service.why_implements(self.store, document, locality, org)
        if subject is None or predicate is None:
            raise QueryError("give document=..., or a subject and a predicate")
        return service.why(self.store, subject, predicate, obj).citations

    def stats(self) -> dict[str, int]:
        """Articles, entities per class, implementations and quads."""
        return service.stats(self.store)

    def articles(self, limit: int | None = None) -> Rows:
        """The stored articles, one row each: identifier, date, title, outlet, source, authors,
        and how many entities, implementations and achievements the graph took from it."""
        columns = [
            "identifier",
            "date",
            "title",
            "outlet",
            "source",
            "authors",
            "entities",
            "implementations",
            "achievements",
        ]
        return Rows(
            columns,
            (
                {**{c: getattr(a, c) for c in columns}, "authors": "; ".join(a.authors)}
                for a in service.articles(self.store, limit)
            ),
        )

    def article(self, identifier: str) -> ArticleDetail:
        """One article: ``.info`` (title, date, outlet …), ``.entities`` and ``.facts`` (counts by
        kind), ``.stated`` (each fact with its sentence and, when the text is kept, paragraph)."""
        return service.article(self.store, identifier)

    def export(self, fmt: str = "turtle", with_ontology: bool = False) -> bytes:
        """The graph serialised (sorted, stable) in ``fmt``."""
        return service.export(self.store, fmt, with_ontology) or b""

    # -- writing ----------------------------------------------------------------------------
    def ingest(
        self, paths: str | Path | Iterable[str | Path], force: bool = False, jobs: int = 1, text: bool = True
    ) -> IngestReport:
        """Extract the articles under ``paths`` into the store; a report of what was done.
        ``text=False`` leaves the articles' text out (as ``ingest --no-text``)."""
        items = [paths] if isinstance(paths, str | Path) else list(paths)
        return service.ingest(self.store, [Path(p) for p in items], force=force, jobs=jobs, text=text)

    def remove(self, *articles: str) -> list[str]:
        """Drop articles by identifier; those that were removed."""
        return service.remove(self.store, articles)[0]

    # -- lifetime ---------------------------------------------------------------------------
    def close(self) -> None:
        """Release the store (its lock, if writable)."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _rows(self, prepared: service.Prepared) -> Rows:
        result = self.store.query(prepared.sparql)
        if not isinstance(result, QuerySolutions):
            raise QueryError("a saved query returns rows; this one did not")
        return self._table(result, prepared.sort)

    @staticmethod
    def _table(result: object, sort: tuple[str, ...]) -> Rows:
        from policykg.query.results import sort_key

        if not isinstance(result, QuerySolutions):
            raise QueryError("sparql() returns rows for SELECT and a bool for ASK; use export() for graphs")
        columns = [v.value for v in result.variables]
        solutions = list(result)
        if sort:
            solutions.sort(key=lambda row: tuple(sort_key(row[c]) for c in sort if c in columns))
        return Rows(columns, ({c: plain(row[c]) for c in columns} for row in solutions))


def open(path: str | Path = service.DEFAULT_STORE, read_only: bool = False) -> KnowledgeGraph:
    """The store at ``path`` (created when missing, unless ``read_only``), or on the SPARQL server
    whose ``http(s)://`` URL it is, as a ``KnowledgeGraph``."""
    return KnowledgeGraph(open_store(locate(path), read_only=read_only))
