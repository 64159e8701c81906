"""``policykg articles list|show`` and ``KnowledgeGraph.articles()/article()`` (issue 20, item 5)."""

import json
import shutil

import pytest
from conftest import SEEDS
from test_cli import run

import policykg

TA_MUNG = "000_b173f7f789c49a6a.txt"
SONG_MA = "001_fb14a67d0406c0de.txt"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The seeds, one of the undated ones given a date, an address and a headline by its sidecar."""
    folder = tmp_path_factory.mktemp("articles-in")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    sidecar = {
        "date": "2021-06-15",
        "url": "https://www.baosonla.vn/song-ma.html",
        "title": "Ba khâu đột phá",
    }
    (folder / "001_fb14a67d0406c0de.meta.json").write_text(
        json.dumps(sidecar, ensure_ascii=False), encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def stores(corpus, tmp_path_factory):
    made = {}
    for name, extra in (("text", ()), ("no-text", ("--no-text",))):
        path = tmp_path_factory.mktemp(f"articles-{name}") / "store"
        result = run("ingest", *extra, str(corpus), store=path)
        assert result.exit_code == 0 and "skipped" not in result.output, result.output
        made[name] = path
    return made


def test_articles_list_shows_every_article_in_date_order_with_counts(stores):
    result = run("articles", "list", store=stores["text"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "date",
        "identifier",
        "outlet",
        "entities",
        "implements",
        "achievements",
        "title",
    ]
    body = [line.split() for line in lines[2:]]
    assert len(body) == 5
    dated = [cells[0] for cells in body if cells[0][:2] == "20"]
    assert dated == sorted(dated) and len(dated) == 4  # the sidecar dated 001; 004 stays undated
    song_ma = next(cells for cells in body if cells[1] == SONG_MA)
    assert song_ma[:3] == ["2021-06-15", SONG_MA, "baosonla.vn"]
    assert body[-1][0] == "004_9415e674d670dc88.txt"  # the undated last (no date cell)
    limited = run("articles", "list", "--limit", "2", store=stores["text"])
    assert len(limited.output.splitlines()) == 4


def test_articles_counts_equal_what_the_graph_says(stores):
    with policykg.open(stores["text"], read_only=True) as kg:
        rows = {r["identifier"]: r for r in kg.articles()}
        for identifier, row in rows.items():
            graph = f"<https://w3id.org/policykg/id/article/{identifier}>"
            implements = kg.sparql(
                f"SELECT (COUNT(DISTINCT *) AS ?n) WHERE {{ GRAPH {graph} {{ ?a pkg:implements ?d }} }}"
            )[0]["n"]
            achievements = kg.sparql(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?a a pkg:Achievement }} }}"
            )[0]["n"]
            entities = kg.sparql(
                f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH {graph} {{ ?e pkg:mentionedIn ?x }} "
                "FILTER NOT EXISTS { ?e a pkg:Achievement } }"
            )[0]["n"]
            assert (row["implementations"], row["achievements"], row["entities"]) == (
                implements,
                achievements,
                entities,
            )
            detail = kg.article(identifier)
            assert detail.facts.get("implements", 0) == implements
            assert detail.facts.get("achievement", 0) == achievements
            assert sum(detail.entities.values()) == entities
        assert rows[TA_MUNG]["implementations"] > 0 and rows[TA_MUNG]["date"] == "2022-12-07"


def test_articles_show_gives_metadata_counts_and_facts_with_sentences(stores):
    result = run("articles", "show", SONG_MA, store=stores["text"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "title     Ba khâu đột phá" in out and "date      2021-06-15" in out
    assert "outlet    baosonla.vn  https://www.baosonla.vn/song-ma.html" in out
    assert "characters kept" in out and "implements" in out
    assert "implements: Ban Thường vụ Huyện ủy Sông Mã → Nghị quyết Trung ương 4 khóa XII" in out
    with policykg.open(stores["text"], read_only=True) as kg:
        detail = kg.article(SONG_MA)
    assert detail.stated and all(f.sentence for f in detail.stated)
    for fact in detail.stated:  # the paragraph holds the sentence, the fact's own words marked
        assert fact.paragraph and "«" in fact.paragraph
        plain = fact.paragraph.replace("«", "").replace("»", "")
        assert fact.sentence in plain


def test_articles_show_paragraphs_need_the_text(stores):
    kept = run("articles", "show", TA_MUNG, "--paragraphs", store=stores["text"]).output
    bare = run("articles", "show", TA_MUNG, "--paragraphs", store=stores["no-text"]).output
    assert "«" in kept and "not kept (--no-text)" in bare and "ingest again without --no-text" in bare
    assert "«" not in bare.split("with their")[1].split("(the text")[0]


@pytest.mark.parametrize("identifier", ["no-such.txt", "000_b173f7f789c49a6a"])
def test_articles_show_an_unknown_article_says_how_to_find_one(stores, identifier):
    result = run("articles", "show", identifier, store=stores["text"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: no article {identifier!r} in the store; 'policykg articles list' lists them by identifier"
    )
