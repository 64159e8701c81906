"""Counts over time, place and level (saved queries ready to plot) and ``policykg plot`` (issue 20, item 6).

The counts are checked against the same counts worked out here in Python from the
``pkg:implements`` facts of the article graphs, on the seeds and the 28 dev articles.
"""

from __future__ import annotations

import shutil
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest
from conftest import ROOT, SEEDS, rows
from test_cli import run

from policykg.ingest import ingest_paths
from policykg.query.saved import get
from policykg.store import GraphStore

DEV = ROOT / "tests" / "dev" / "texts"
P = "PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
LEVEL_OF_TYPE = {
    "tỉnh": "province",
    **dict.fromkeys(("huyện", "quận", "thị xã"), "district"),
    **dict.fromkeys(("xã", "phường", "thị trấn"), "commune"),
    **dict.fromkeys(
        ("thôn", "bản", "ấp", "xóm", "làng", "khu phố", "tổ dân phố", "buôn", "khóm", "khối", "tổ"), "village"
    ),
}


@pytest.fixture(scope="module")
def store() -> GraphStore:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        for text in [*SEEDS.glob("*.txt"), *DEV.glob("*.txt")]:
            shutil.copy(text, Path(tmp) / text.name)
        graph = GraphStore.memory()
        ingest_paths(graph, [Path(tmp)])
    return graph


class Facts:
    """The implementation facts (actor, document, article) and what the counts need, from the
    article graphs and the entity graph, without the summary graph."""

    def __init__(self, store: GraphStore) -> None:
        self.facts = {
            (r["a"], r["d"], r["g"])
            for r in rows(store, P + "SELECT DISTINCT ?a ?d ?g WHERE { GRAPH ?g { ?a pkg:implements ?d } }")
        }
        self.dates = {
            r["g"]: r["date"]
            for r in rows(store, P + "SELECT ?g ?date WHERE { ?g a pkg:Article ; dcterms:date ?date }")
        }
        self.numbers = {
            r["d"]: r["n"] for r in rows(store, P + "SELECT ?d ?n WHERE { ?d pkg:documentNumber ?n }")
        }
        self.located = defaultdict(set)
        for r in rows(store, P + "SELECT DISTINCT ?a ?at WHERE { GRAPH ?g { ?a pkg:locatedIn ?at } }"):
            self.located[r["a"]].add(r["at"])
        self.parents = defaultdict(set)
        for r in rows(store, P + "SELECT DISTINCT ?c ?p WHERE { ?c pkg:partOf ?p }"):
            self.parents[r["c"]].add(r["p"])
        self.props = defaultdict(dict)
        for r in rows(
            store,
            P + "SELECT ?s ?p ?o WHERE { VALUES ?p { pkg:localityType pkg:adminLevel pkg:adminCode pkg:level"
            " <http://www.w3.org/2000/01/rdf-schema#label> } ?s ?p ?o }",
        ):
            self.props[r["s"]][r["p"].rsplit("#", 1)[-1]] = r["o"]

    def places(self, actor: str) -> set[str]:
        if self.located.get(actor):
            return self.located[actor]
        return {actor} if "/id/locality/" in actor else set()

    def provinces(self, place: str) -> set[str]:
        seen, todo, found = set(), [place], set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            props = self.props[node]
            if props.get("localityType") == "tỉnh" or props.get("adminLevel") == "province":
                found.add(node)
            todo += self.parents[node]
        return found

    def level(self, actor: str, place: str | None) -> str:
        if place is None:
            return "central" if self.props[actor].get("level") == "trung ương" else "no place"
        props = self.props[place]
        return props.get("adminLevel") or LEVEL_OF_TYPE.get(props.get("localityType", ""), "other")


def _counts(keyed):
    """{key: (facts, articles, actors)} of (key, actor, document, article) tuples, each fact once per key."""
    facts, articles, actors = defaultdict(set), defaultdict(set), defaultdict(set)
    for key, actor, document, article in keyed:
        facts[key].add((actor, document, article))
        articles[key].add(article)
        actors[key].add(actor)
    return {k: (len(facts[k]), len(articles[k]), len(actors[k])) for k in facts}


def _answer(store, name, columns, **params):
    found = rows(store, get(name).prepare({k: [v] for k, v in params.items()}))
    return {
        tuple(r[c] for c in columns): (int(r["implementations"]), int(r["articles"]), int(r["actors"]))
        for r in found
    }


@pytest.fixture(scope="module")
def facts(store) -> Facts:
    found = Facts(store)
    assert len(found.facts) > 25 and len(found.dates) > 15  # the dev articles carry dates
    return found


def _documents(facts: Facts, most: int = 4) -> list[str]:
    counted = defaultdict(int)
    for _a, d, _g in facts.facts:
        counted[facts.numbers[d]] += 1
    return sorted(counted, key=lambda n: (-counted[n], n))[:most]


@pytest.mark.parametrize("period", ["year", "month"])
def test_plot_counts_per_period_equal_the_implements_facts(store, facts, period):
    cut = 4 if period == "year" else 7
    checked = 0
    for number in _documents(facts, most=6):
        expected = _counts(
            ((facts.dates[g][:cut], facts.numbers[d]), a, d, g)
            for a, d, g in facts.facts
            if facts.numbers[d] == number and g in facts.dates
        )
        checked += bool(expected)
        assert (
            _answer(store, f"implementations-per-{period}", [period, "number"], document=number) == expected
        )
    assert checked >= 3


@pytest.mark.parametrize("document", [None, "first"])
def test_plot_counts_per_province_equal_the_implements_facts(store, facts, document):
    number = _documents(facts)[0] if document else None
    expected = _counts(
        ((facts.props[top]["label"], facts.props[top].get("adminCode")), a, d, g)
        for a, d, g in facts.facts
        if number is None or facts.numbers[d] == number
        for place in facts.places(a)
        for top in facts.provinces(place)
    )
    params = {"document": number} if number else {}
    assert len(expected) >= (2 if number else 5)
    assert _answer(store, "implementations-per-province", ["province", "code"], **params) == expected


@pytest.mark.parametrize("year", [None, "2013", "2022"])
def test_plot_counts_per_level_equal_the_implements_facts(store, facts, year):
    expected = _counts(
        ((facts.level(a, place),), a, d, g)
        for a, d, g in facts.facts
        if year is None or facts.dates.get(g, "")[:4] == year
        for place in (facts.places(a) or {None})
    )
    params = {"year": year} if year else {}
    answer = _answer(store, "implementations-per-level", ["level"], **params)
    assert answer == expected and answer
    if year is None:
        assert {"commune", "district", "province"} <= {k[0] for k in answer}
    found = rows(store, get("implementations-per-level").prepare({}))
    order = ["central", "province", "district", "commune", "village", "other", "no place"]
    assert [r["level"] for r in found] == sorted((r["level"] for r in found), key=order.index)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("plot") / "store"
    assert run("ingest", str(SEEDS), store=path).exit_code == 0
    return path


@pytest.mark.parametrize(
    ("name", "params", "suffix"),
    [
        ("implementations-per-year", ["-p", "document", "01-KL/TW", "-p", "document", "TW4-XII"], ".png"),
        ("implementations-per-month", ["-p", "document", "01-KL/TW"], ".svg"),
        ("implementations-per-province", [], ".png"),
        ("implementations-per-level", ["-p", "document", "05-CT/TW"], ".svg"),
        ("most-active-localities", [], ".png"),  # no plot header: its first numeric column
    ],
)
def test_plot_writes_a_valid_image(seeded, tmp_path, name, params, suffix):
    out = tmp_path / f"chart{suffix}"
    result = run("plot", name, *params, "-o", str(out), store=seeded)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if suffix == ".png":
        from PIL import Image

        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        with Image.open(out) as image:
            image.verify()
            assert image.size[0] > 600 and image.size[1] > 400
    else:
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 5
        again = tmp_path / "again.svg"
        assert run("plot", name, *params, "-o", str(again), store=seeded).exit_code == 0
        assert again.read_bytes() == data  # the same rows, the same file


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["localities-implementing", "-p", "document", "05-CT/TW", "-o", "x.png"], "cannot be plotted"),
        (["implementations-per-level", "-o", "x.pdf"], "name a .png or .svg file"),
        (["implementations-per-year", "-p", "document", "05-CT/TW", "-o", "x.png"], "nothing to plot"),
        (["no-such-query", "-o", "x.png"], "no saved query 'no-such-query'"),
    ],
)
def test_plot_refuses_in_one_line(seeded, tmp_path, args, message):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = run("plot", *args, store=seeded)
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and message in result.output


def test_plot_without_matplotlib_says_what_to_install(seeded, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = run("plot", "implementations-per-level", "-o", str(tmp_path / "x.png"), store=seeded)
    assert result.exit_code == 1
    assert result.output.strip() == "Error: policykg plot needs matplotlib: pip install 'policykg[plot]'"
