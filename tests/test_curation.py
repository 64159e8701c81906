"""Curation that survives re-ingest (issue 20, item 1): the real CLI on on-disk stores of the seeds."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from policykg.cli import main
from policykg.curation import Curation, Decision
from policykg.curation.decisions import read, write

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ID = "https://w3id.org/policykg/id/"
DANG_UY = "party:dang-uy-xa-ta-mung/in/vn-03638"
DANG_BO = "party:dang-bo-xa-ta-mung/in/vn-03638"
BTV_SONG_MA = "party:ban-thuong-vu-huyen-uy-song-ma/in/vn-126"
# "Đảng ủy xã Tà Mung … thực hiện Kết luận 01" of article 000: a statement to reject by its IRI
STATEMENT = "statement:6a5b51f21e857fdd"
NEW_ARTICLE = (
    "Tà Mung tiếp tục làm theo Bác\n\nNăm 2023, Đảng ủy xã Tà Mung, huyện Than Uyên tiếp tục lãnh đạo "
    "thực hiện Chỉ thị 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, "
    "phong cách Hồ Chí Minh.\n"
)


def _run(store: Path | str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", str(store), *args])
    return result.exit_code, result.output


def _ok(store: Path | str, *args: str) -> str:
    code, out = _run(store, *args)
    assert code == 0, out
    return out


def _rows(store: Path | str, *args: str) -> list[dict[str, str]]:
    out = _ok(store, *args, "--format", "csv")
    return list(csv.DictReader(out.splitlines()))


def _export(store: Path | str) -> str:
    return _ok(store, "export", "--format", "nquads")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds ingested without curation (copied by each test that curates)."""
    store = tmp_path_factory.mktemp("plain") / "store"
    _ok(store, "ingest", "-j", "1", str(SEEDS))
    return store


@pytest.fixture
def store(plain: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(plain, copy)
    return copy


def _curate(store: Path | str) -> None:
    _ok(store, "curate", "merge", DANG_BO, DANG_UY, "--by", "ann", "--because", "one committee, two names")
    _ok(store, "curate", "reject", BTV_SONG_MA, "pkg:implements", "document:05-ct-tw", "--by", "ann", "--because", "it names the directive")
    _ok(store, "curate", "reject", STATEMENT, "--by", "bao", "--because", "the sentence only names the conclusion")


@pytest.mark.parametrize("query", ["localities-implementing"])
def test_curation_merge_and_reject_reach_saved_queries(store: Path, query: str) -> None:
    before = _rows(store, "query", "run", query, "-p", "document", "05-CT/TW")
    assert any(r["how"] == "directly" and r["locality"] == "Sông Mã" for r in before)
    assert any("Đảng ủy xã Tà Mung" in r["actors"] for r in before)
    _curate(store)
    after = _rows(store, "query", "run", query, "-p", "document", "05-CT/TW")
    assert not any(r["how"] == "directly" and r["locality"] == "Sông Mã" for r in after)
    assert [r["actors"] for r in after if r["locality"] == "Tà Mung"] == ["Đảng bộ xã Tà Mung"]
    implementers = _rows(store, "query", "run", "implementers", "-p", "document", "01-KL/TW")
    assert "Đảng ủy xã Tà Mung" not in {r["actor"] for r in implementers}
    # the raw extraction is still there
    raw = _rows(store, "query", "run", query, "-p", "document", "05-CT/TW", "--raw")
    assert raw == before


@pytest.mark.parametrize("force", [True])
def test_curation_survives_force_and_a_new_article(store: Path, tmp_path: Path, force: bool) -> None:
    _curate(store)
    curated = _export(store)
    _ok(store, "ingest", "-j", "1", "--force", str(SEEDS))
    assert _export(store) == curated
    new = tmp_path / "new"
    new.mkdir()
    (new / "tm.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    _ok(store, "ingest", "-j", "1", str(new))
    rows = _rows(store, "query", "run", "implementers", "-p", "document", "05-CT/TW")
    actors = {r["actor"]: r for r in rows}
    assert "Đảng ủy xã Tà Mung" not in actors and "tm.txt" in actors["Đảng bộ xã Tà Mung"]["articles"]
    ask = f"ASK {{ <{ID}org/{BTV_SONG_MA[6:]}> pkg:implements document:05-ct-tw }}"
    assert _ok(store, "sparql", ask, "--format", "table").strip() == "false"


@pytest.mark.parametrize("copy_file", [True])
def test_curation_store_equals_a_clean_ingest_with_the_file(store: Path, tmp_path: Path, copy_file: bool) -> None:
    _curate(store)
    clean = tmp_path / "clean"
    shutil.copy(store.parent / "store.curation.csv", tmp_path / "clean.curation.csv")
    _ok(clean, "ingest", "-j", "1", str(SEEDS))
    assert _export(clean) == _export(store)
    assert "no violation" in _ok(store, "validate")


@pytest.mark.parametrize("undo", ["file emptied"])
def test_curation_undone_and_raw_equal_the_plain_store(store: Path, plain: Path, undo: str) -> None:
    from policykg.curation.stored import raw_view
    from policykg.store import open_store

    _curate(store)
    handle = open_store(store, read_only=True)
    try:
        view = raw_view(handle)
        raw = sorted(str(q) for q in view.query("SELECT * { GRAPH ?g { ?s ?p ?o } }"))  # type: ignore[union-attr]
    finally:
        handle.close()
    plain_handle = open_store(plain, read_only=True)
    try:
        expected = sorted(str(q) for q in plain_handle.query("SELECT * { GRAPH ?g { ?s ?p ?o } }"))  # type: ignore[union-attr]
    finally:
        plain_handle.close()
    assert raw == expected
    write(store.parent / "store.curation.csv", [])
    assert "article(s) rewritten" in _ok(store, "curate", "apply")
    assert _export(store) == _export(plain)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["merge", DANG_BO, "party:nobody/in/vn-03638"], "no entity party:nobody/in/vn-03638 in the store"),
        (["merge", DANG_BO, "vn:03638"], "only the same kind of entity can be merged"),
        (["reject", BTV_SONG_MA, "pkg:implements", "document:tw4-xi"], "no article states"),
        (["reject", "statement:0000000000000000"], "no statement or achievement"),
        (["relabel", "vn:00000", "X"], "no entity vn:00000"),
        (["set-parent", "vn:03638", DANG_BO], "is not a place"),
    ],
)
def test_curation_bad_input_is_one_line_and_changes_nothing(store: Path, args: list[str], message: str) -> None:
    before = _export(store)
    code, out = _run(store, "curate", *args, "--because", "a test")
    assert code == 1 and message in out and len(out.strip().splitlines()) == 1, out
    assert _export(store) == before
    assert not (store.parent / "store.curation.csv").exists()


@pytest.mark.parametrize("args", [["merge", DANG_BO, DANG_UY], ["reject", STATEMENT]])
def test_curation_needs_a_reason(store: Path, args: list[str]) -> None:
    code, out = _run(store, "curate", *args)
    assert code == 2 and "--because" in out
    assert not (store.parent / "store.curation.csv").exists()


@pytest.mark.parametrize("fact", [(DANG_BO, "pkg:implements", "document:01-kl-tw")])
def test_curation_why_shows_the_decisions(store: Path, fact: tuple[str, str, str]) -> None:
    _curate(store)
    out = _ok(store, "why", *fact)
    assert "merged by ann on " in out and "because one committee, two names" in out
    code, out = _run(store, "why", DANG_UY.replace("dang-uy", "dang-uy"), "pkg:implements", "document:01-kl-tw")
    assert "merged by ann" in out
    code, out = _run(store, "why", BTV_SONG_MA, "pkg:implements", "document:05-ct-tw")
    assert code == 1 and "rejected by ann on " in out and "because it names the directive" in out


@pytest.mark.parametrize("command", [["relabel", "vn:03638", "xã Tà Mung (Than Uyên)"], ["set-parent", "place:thon/dinh-cai/in/vn-04678", "vn:133"]])
def test_curation_relabel_and_set_parent(store: Path, tmp_path: Path, command: list[str]) -> None:
    _ok(store, "curate", *command, "--because", "a test")
    iri, value = command[1], command[2]
    if command[0] == "relabel":
        sparql = f"SELECT ?l WHERE {{ {iri} rdfs:label ?l }}"  # vn:03638: a prefixed name SPARQL reads
        assert [r["l"] for r in _rows(store, "sparql", sparql)] == [value]
    else:
        sparql = f"SELECT ?p ?s WHERE {{ <{ID}locality/thon/dinh-cai/in/vn-04678> pkg:partOf ?p ; pkg:partOfSource ?s }}"
        assert [(r["p"], r["s"]) for r in _rows(store, "sparql", sparql)] == [(f"{ID}locality/vn/133", "curation")]
    assert "no violation" in _ok(store, "validate")
    clean = tmp_path / "clean"
    shutil.copy(store.parent / "store.curation.csv", tmp_path / "clean.curation.csv")
    _ok(clean, "ingest", "-j", "1", str(SEEDS))
    assert _export(clean) == _export(store)


@pytest.mark.parametrize(
    "decisions",
    [[Decision("merge", "x:a", "x:b", by="ann", date="2025-01-01T00:00:00Z", because="same, \"quoted\"\nline")]],
)
def test_curation_file_round_trips(tmp_path: Path, decisions: list[Decision]) -> None:
    path = tmp_path / "c.csv"
    write(path, decisions)
    assert read(path) == decisions
    assert Curation.of(read(path)).merges == {"x:b": "x:a"}


@pytest.mark.parametrize("copy_file", [True])
def test_curation_on_a_sparql_server_equals_a_folder(plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copy_file: bool) -> None:
    from test_remote import OXIGRAPH, running

    if OXIGRAPH is None:
        pytest.skip("no oxigraph server binary (pip install 'oxigraph>=0.5,<0.6', in the dev extra)")
    file = tmp_path / "remote.curation.csv"
    monkeypatch.setenv("POLICYKG_CURATION", str(file))
    with running(tmp_path / "server-data") as server:
        url = server.url
        _ok(url, "ingest", "-j", "1", str(SEEDS))
        _curate(url)
        _ok(url, "ingest", "-j", "1", "--force", str(SEEDS))
        remote = _export(url)
        raw = _rows(url, "query", "run", "localities-implementing", "-p", "document", "05-CT/TW", "--raw")
    folder = tmp_path / "folder"
    _ok(folder, "ingest", "-j", "1", str(SEEDS))
    assert _export(folder) == remote
    assert raw == _rows(plain, "query", "run", "localities-implementing", "-p", "document", "05-CT/TW")


@pytest.mark.parametrize("batch", ["2"])
def test_curation_applies_to_what_load_writes_from_shards(store: Path, tmp_path: Path, batch: str) -> None:
    """Shards hold the extraction as it was; ``load`` applies the store's curation file as it
    writes, so it gives the store ``ingest`` gives with the same file."""
    _curate(store)
    _ok(tmp_path, "extract", "--to", str(tmp_path / "shards"), "-j", "1", str(SEEDS))
    loaded = tmp_path / "loaded"
    shutil.copy(store.parent / "store.curation.csv", tmp_path / "loaded.curation.csv")
    _ok(loaded, "load", "--batch", batch, str(tmp_path / "shards"))
    assert _export(loaded) == _export(store)
