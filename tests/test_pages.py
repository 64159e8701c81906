"""The pictures on the server's pages (issue 16): an entity's neighbourhood and a document's
implementations over time, drawn as SVG from a store of dated articles."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
import urllib.request
from xml.etree import ElementTree

import pytest
from conftest import SEEDS, serving

from policykg import service
from policykg.web.charts import by_period

SVG = "{http://www.w3.org/2000/svg}"
DATES = ["2022-03-14", "2022-05-02", "2022-05-20", "2023-01-09", "2023-04-30"]


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    """The seeds as JSON Lines records with dates, ingested and served."""
    folder = tmp_path_factory.mktemp("dated")
    records = [
        {"id": path.name, "text": path.read_text(encoding="utf-8"), "date": date}
        for path, date in zip(sorted(SEEDS.glob("*.txt")), DATES, strict=True)
    ]
    source = folder / "seeds.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    service.ingest(folder / "store", [source])
    with serving(folder / "store") as base:
        yield base


def _svg(page: str, kind: str) -> ElementTree.Element:
    start = page.index(f"<svg xmlns='http://www.w3.org/2000/svg' class='{kind}'")
    return ElementTree.fromstring(page[start : page.index("</svg>", start) + len("</svg>")])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read().decode("utf-8")


def test_pages_a_document_shows_its_implementations_month_by_month(dated):
    page = _get(f"{dated}/id/document/05-ct-tw")
    bars = _svg(page, "timeline").findall(f"{SVG}rect")
    counted = {bar.find(f"{SVG}title").text.split(": ")[0]: int(bar.find(f"{SVG}title").text.split(": ")[1]) for bar in bars}
    # the articles implementing 05-CT/TW are dated 2022-05 and 2023-04: every month between has a bar
    assert list(counted) == [key for key, _ in by_period([(min(counted), 0), (max(counted), 0)])]
    assert (min(counted), max(counted)) == ("2022-05", "2023-04") and counted["2022-06"] == 0
    assert counted["2022-05"] >= 1 and counted["2023-04"] >= 1
    csv_link = next(part.split("'")[0] for part in page.split("href='") if "format=csv" in part.split("'")[0])
    rows = list(csv.DictReader(io.StringIO(_get(dated + csv_link.replace("&amp;", "&")))))
    assert {r["month"]: int(r["facts"]) for r in rows} == {k: v for k, v in counted.items() if v}


def test_pages_an_entity_s_neighbourhood_links_to_each_neighbour(dated):
    page = _get(f"{dated}/id/document/05-ct-tw")
    drawn = _svg(page, "neighbourhood")
    links = [a.get("href") for a in drawn.iter(f"{SVG}a")]
    names = [a.find(f"{SVG}text").text for a in drawn.iter(f"{SVG}a")]
    assert "Đảng bộ xã Hạnh Sơn" in names and "Ban Thường vụ Huyện ủy Sông Mã" in names
    assert all(link.startswith("/id/") for link in links)
    for link in links[:3]:  # each neighbour's page is there
        assert "<h1>" in _get(dated + urllib.parse.quote(link))


def test_pages_periods_fill_empty_months_and_fold_long_spans_into_years():
    assert by_period([("2022-11", 2), ("2023-02", 1)]) == [("2022-11", 2), ("2022-12", 0), ("2023-01", 0), ("2023-02", 1)]
    assert by_period([("2015-01", 2), ("2019-06", 1), ("2019-07", 4)]) == [
        ("2015", 2), ("2016", 0), ("2017", 0), ("2018", 0), ("2019", 5)
    ]
    assert by_period([]) == []


def test_pages_a_place_shows_its_parents_and_a_document_who_implemented_it_where(dated):
    hanh_son = _get(f"{dated}/id/locality/vn/04678")
    chain = hanh_son.split("<p class='parents'>in ")[1].split("</p>")[0]
    assert "Nghĩa Lộ" in chain and "Yên Bái" in chain and chain.index("Nghĩa Lộ") < chain.index("Yên Bái")
    document = _get(f"{dated}/id/document/05-ct-tw")
    assert "Ban Thường vụ Huyện ủy Sông Mã</a> (in Sông Mã) pkg:implements this" in document
    assert "pkg:implements: " in document.split("class='src tally'>")[1].split("</p>")[0]


def test_pages_a_relation_s_sentences_read_from_its_statements_are_the_general_query_s(seed_store):
    """The evidence of a relation (and of a result's actor) comes from a query of its own, which
    a big store answers at once; it finds what the general 'fact-evidence' query finds."""
    from policykg.query.evidence import _ACHIEVED_BY, RELATIONS, _citation, citations
    from policykg.query.saved import internal
    from policykg.store.terms import NamedNode

    facts = list(
        seed_store.query(
            "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?o)) "
            f"FILTER(?p IN ({', '.join(f'<{p}>' for p in (*RELATIONS, _ACHIEVED_BY))})) }}"
        )
    )
    assert len(facts) > 50
    for fact in facts:
        s, p, o = (NamedNode(fact[name].value) for name in ("s", "p", "o"))
        general = seed_store.query(internal("fact-evidence").sparql, {"s": s, "p": p, "o": o})
        expected = list(
            dict.fromkeys(_citation(r, r["subjectLabel"].value, r["objectLabel"].value) for r in general)
        )
        def cited(found):  # what a researcher cites (the general query names a result's actor by IRI)
            return sorted((c.sentence, c.start, c.end, c.article, c.title) for c in found)

        assert cited(citations(seed_store, s, p, o)) == cited(expected), (s, p, o)
