"""Random samples of the seed store: uniform, reproducible, of one kind, with their real sentences."""

from collections import Counter

import pyoxigraph as ox
import pytest
from conftest import SEEDS, rows

from policykg.inputs import clean, read
from policykg.iri import article_iri
from policykg.quality.audit import KINDS
from policykg.quality.sample import _bottom, sample_items

# how many items of each kind the seeds hold, counted independently of sample.py
COUNTS = {
    "implements": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?x pkg:implements ?d } }",
    "achievement": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?e pkg:mentionedIn ?a } ?e a pkg:Achievement }",
    "partyorg": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?e pkg:mentionedIn ?a } ?e a pkg:PartyOrg }",
    "locality": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?e pkg:mentionedIn ?a } ?e a pkg:Locality }",
    "person": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?e pkg:mentionedIn ?a } ?e a pkg:Person }",
    "document": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?e pkg:mentionedIn ?a } "
    "{ ?e a pkg:PartyDocument } UNION { ?e a pkg:StateDocument } }",
}
# what an item of each kind is in the graph
IS_KIND = {
    "implements": "ASK { ?x a rdf:Statement ; rdf:predicate pkg:implements }",
    "achievement": "ASK { ?x a pkg:Achievement }",
    "partyorg": "ASK { ?x a pkg:PartyOrg }",
    "locality": "ASK { ?x a pkg:Locality }",
    "person": "ASK { ?x a pkg:Person }",
    "document": "ASK { { ?x a pkg:PartyDocument } UNION { ?x a pkg:StateDocument } }",
}
TEXTS = {a.identifier: a.text for a in (clean(raw) for path in SEEDS.glob("*.txt") for raw in read(path))}


@pytest.mark.parametrize("kind", KINDS)
def test_sample_draws_n_items_of_the_kind(seed_store, kind):
    population = int(rows(seed_store, COUNTS[kind])[0]["n"])
    drawn = sample_items(seed_store, kind, 5, seed=1)
    assert drawn.population == population > 5
    assert len(drawn.items) == 5 and len({(i.iri, i.article) for i in drawn.items}) == 5
    for item in drawn.items:
        assert item.kind == kind
        assert seed_store.query(IS_KIND[kind].replace("?x", f"<{item.iri}>")), item


@pytest.mark.parametrize("kind", KINDS)
def test_sample_asked_for_more_than_there_are_takes_them_all(seed_store, kind):
    drawn = sample_items(seed_store, kind, 10_000, seed=1)
    assert len(drawn.items) == drawn.population
    if kind != "implements":  # an entity or achievement per article, each once
        pairs = rows(seed_store, COUNTS[kind].replace("(COUNT(*) AS ?n)", "?e ?a"))
        assert {(r["e"], r["a"]) for r in pairs} == {(i.iri, article_iri(i.article)) for i in drawn.items}


@pytest.mark.parametrize("kind", KINDS)
def test_sample_sentence_is_the_articles_and_holds_the_item(seed_store, kind):
    for item in sample_items(seed_store, kind, 10_000, seed=1).items:
        text = TEXTS[item.article]
        assert item.sentence and item.sentence in text, item
        assert text[item.start : item.end].strip() in item.sentence, item  # the mention, figure or sentence
        if kind == "implements":
            assert text[item.start : item.end].strip() == item.sentence


@pytest.mark.parametrize(
    ("kind", "item", "article"),
    [
        (
            "implements",
            "Ban Thường vụ Huyện ủy Sông Mã → Chỉ thị 05-CT/TW (huyện Sông Mã)",
            "001_fb14a67d0406c0de.txt",
        ),
        ("implements", "huyện Sông Mã → Kết luận 01-KL/TW (tỉnh Sơn La)", "001_fb14a67d0406c0de.txt"),
        ("partyorg", "Đảng bộ xã Tà Mung", "000_b173f7f789c49a6a.txt"),
        ("locality", "xã Hạnh Sơn (thị xã Nghĩa Lộ)", "004_9415e674d670dc88.txt"),
        ("locality", "huyện Than Uyên (tỉnh Lai Châu)", "000_b173f7f789c49a6a.txt"),
        ("person", "Lò Văn Luấn — Phó Chủ tịch Mặt trận Tổ quốc xã", "004_9415e674d670dc88.txt"),
        ("achievement", "995 tỷ đồng — by huyện Sông Mã (2021)", "001_fb14a67d0406c0de.txt"),
        ("document", "TW4-XII: Nghị quyết Trung ương 4 khóa XII [Resolution]", "004_9415e674d670dc88.txt"),
        ("document", "Chỉ thị 05-CT/TW [Directive]", "000_b173f7f789c49a6a.txt"),
    ],
)
def test_sample_renders_what_the_graph_says(seed_store, kind, item, article):
    drawn = sample_items(seed_store, kind, 10_000, seed=1).items
    assert (item, article) in {(i.item, i.article) for i in drawn}


@pytest.mark.parametrize(("kind", "n"), [("achievement", 10), ("partyorg", 8), ("implements", 6)])
def test_sample_same_seed_same_items_other_seed_other_items(seed_store, kind, n):
    first = sample_items(seed_store, kind, n, seed=2024)
    assert sample_items(seed_store, kind, n, seed=2024) == first
    assert sample_items(seed_store, kind, n, seed=2025).items != first.items


@pytest.mark.parametrize("kind", ["achievement", "locality"])
def test_sample_a_larger_sample_of_a_seed_contains_the_smaller(seed_store, kind):
    small = {(i.iri, i.article) for i in sample_items(seed_store, kind, 5, seed=9).items}
    large = {(i.iri, i.article) for i in sample_items(seed_store, kind, 12, seed=9).items}
    assert small < large


@pytest.mark.parametrize(("population", "n", "seeds"), [(50, 5, 4000)])
def test_sample_bottom_k_is_uniform_and_ignores_order(population, n, seeds):
    keys = [(ox.NamedNode(f"https://example.org/item/{i}"),) for i in range(population)]
    drawn = Counter()
    for seed in range(seeds):
        count, chosen = _bottom(keys, n, seed)
        assert count == population and len(set(chosen)) == n
        assert sorted(_bottom(reversed(keys), n, seed)[1], key=str) == sorted(chosen, key=str)
        drawn.update(chosen)
    expected = seeds * n / population  # 400 draws each
    chi2 = sum((drawn[k] - expected) ** 2 / expected for k in keys)
    assert len(drawn) == population
    assert chi2 < 90  # 49 degrees of freedom: P(chi2 > 90) < 0.001 for a uniform draw


@pytest.mark.parametrize(
    ("articles", "kind"),
    [
        ({"004_9415e674d670dc88.txt"}, "person"),
        ({"000_b173f7f789c49a6a.txt", "003_e8dcba4e60d6c28e.txt"}, "document"),
    ],
)
def test_sample_within_articles(seed_store, articles, kind):
    from policykg.quality.sample import article_graphs

    drawn = sample_items(seed_store, kind, 10_000, seed=1, articles=article_graphs(seed_store, articles))
    everything = sample_items(seed_store, kind, 10_000, seed=1).items
    assert {i.article for i in drawn.items} == articles
    assert drawn.population == sum(1 for i in everything if i.article in articles) > 0
