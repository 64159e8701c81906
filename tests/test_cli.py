"""The policykg command on a real on-disk store."""

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pytest
import rdflib
from click.testing import CliRunner
from conftest import SEEDS

from policykg.cli import main


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(main, ["--store", str(path), "ingest", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "ingested 5 article(s)" in result.output
    return path


def run(*args, store=None):
    prefix = ["--store", str(store)] if store else []
    return CliRunner().invoke(main, [*prefix, *args])


def headline_csv(store):
    """The headline question (localities implementing 05-CT/TW) asked of ``store`` as CSV."""
    return run(
        "query",
        "run",
        "localities-implementing",
        "-p",
        "document",
        "05-CT/TW",
        "--format",
        "csv",
        store=store,
    )


def test_cli_query_run_answers_the_headline_question(store_dir):
    result = run(
        "query",
        "run",
        "localities-implementing",
        "-p",
        "document",
        "Chỉ thị 05",
        "--format",
        "csv",
        store=store_dir,
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("locality,type,how")
    assert any(line.startswith("Tà Mung,xã,through 01-KL/TW") for line in lines)
    assert any(line.startswith("Hạnh Sơn,xã,directly") for line in lines)


def test_cli_query_list_and_show(store_dir):
    listed = run("query", "list")
    assert "localities-implementing" in listed.output and "entities" in listed.output
    shown = run("query", "show", "entities")
    assert shown.output.startswith("#+ summary:") and "SELECT" in shown.output


def test_cli_sparql_json_and_table(store_dir):
    result = run(
        "sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a a pkg:Article }", "--format", "json", store=store_dir
    )
    assert '"value":"5"' in result.output.replace(" ", "")
    table = run(
        "sparql",
        "SELECT ?n WHERE { ?d pkg:documentNumber ?n } ORDER BY ?n LIMIT 2",
        "--format",
        "table",
        store=store_dir,
    )
    assert table.output.splitlines()[0].strip() == "n"


def test_cli_export_turtle_round_trips_with_rdflib(store_dir, tmp_path):
    out = tmp_path / "graph.ttl"
    assert run("export", "--format", "turtle", "-o", str(out), store=store_dir).exit_code == 0
    graph = rdflib.Graph().parse(out, format="turtle")
    nt = run("export", "--format", "ntriples", store=store_dir).output
    store_triples = rdflib.Graph().parse(data=nt, format="nt")
    assert len(graph) == len(store_triples) > 1000
    assert set(graph) == set(store_triples)


def test_cli_export_is_stable(store_dir):
    assert run("export", store=store_dir).output == run("export", store=store_dir).output
    first, second = (run("export", "--with-ontology", store=store_dir).output for _ in range(2))
    assert first == second  # the ontology's blank nodes too


def test_cli_export_to_an_unwritable_file_fails_cleanly(store_dir, tmp_path):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file, not a folder")
    out = not_a_folder / "graph.nt"
    result = run("export", "--format", "ntriples", "-o", str(out), store=store_dir)
    assert result.exit_code == 1 and f"cannot write {out}" in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == [not_a_folder]


def test_cli_export_without_room_to_sort_fails_cleanly(store_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "gone"))  # as if TMPDIR were missing
    out = tmp_path / "graph.ttl"
    out.write_text("an earlier export")
    result = run("export", "-o", str(out), store=store_dir)
    assert result.exit_code == 1 and "the export failed" in result.output and "TMPDIR" in result.output
    assert "Traceback" not in result.output
    assert out.read_text() == "an earlier export" and list(tmp_path.iterdir()) == [out]


@pytest.mark.parametrize("fmt", ["nquads", "turtle"])
def test_cli_export_to_a_full_disk_says_the_output_is_full(store_dir, fmt):
    """Issue 19, item 9: a full output (/dev/full answers every write with ENOSPC) is named as
    such, not blamed on the sort's temporary folder."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    result = run("export", "--format", fmt, "-o", "/dev/full", store=store_dir)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "could not be written: No space left on device" in result.output
    assert "TMPDIR" not in result.output


def test_cli_export_replaces_a_file_only_when_complete(store_dir, tmp_path):
    out = tmp_path / "graph.nq"
    out.write_text("an earlier export")
    assert run("export", "--format", "nquads", "-o", str(out), store=store_dir).exit_code == 0
    assert out.read_text(encoding="utf-8") == run("export", "--format", "nquads", store=store_dir).output
    assert list(tmp_path.iterdir()) == [out]  # no staging file left behind


def test_cli_export_keeps_links_devices_pipes_and_permissions(store_dir, tmp_path):
    """Issue 19, item 9: '-o' through a link replaces its target and keeps the link; a FIFO (as
    /dev/null would be) is written into and stays a FIFO; a file keeps its mode."""
    import os
    import stat
    import threading

    expected = run("export", "--format", "nquads", store=store_dir).output
    target = tmp_path / "graph.nq"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "latest.nq"
    link.symlink_to(target)
    assert run("export", "--format", "nquads", "-o", str(link), store=store_dir).exit_code == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("export", "--format", "nquads", "-o", str(fifo), store=store_dir)
    reader.join(10)
    assert result.exit_code == 0 and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received == [expected.encode("utf-8")]


def test_cli_stats_counts(store_dir):
    output = run("stats", store=store_dir).output
    assert "Article        5" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sparql", "SELEC ?x WHERE"), "malformed SPARQL"),
        (("query", "run", "nope"), "no saved query 'nope'"),
        (("query", "run", "entities", "-p", "colour", "red"), "has no parameter"),
    ],
)
def test_cli_errors_are_one_line_and_non_zero(store_dir, args, message):
    result = run(*args, store=store_dir)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_bad_inputs_leave_the_store_unchanged(store_dir, tmp_path):
    before = run("export", "--format", "nquads", store=store_dir).output
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "notes.md").write_text("not an article")
    missing = run("ingest", str(tmp_path / "nope.txt"), store=store_dir)
    assert missing.exit_code != 0 and "no such file" in missing.output
    folder = run("ingest", str(tmp_path), store=store_dir)
    assert folder.exit_code != 0
    assert "empty file" in folder.output and "binary file" in folder.output and "notes.md" in folder.output
    assert run("export", "--format", "nquads", store=store_dir).output == before


def test_cli_reads_utf16_html_and_jsonl(tmp_path):
    text = (SEEDS / "004_9415e674d670dc88.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(text.encode("utf-16"))
    html = (
        "<html><head><title>T</title></head><body><nav>Trang chủ</nav><article><h1>Tạo phong trào thi đua</h1>"
        + "".join(f"<p>{line}</p>" for line in text.splitlines()[2:])
        + "</article></body></html>"
    )
    (tmp_path / "b.html").write_text(html, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        '{"text": "Đảng bộ xã Hạnh Sơn thực hiện Chỉ thị 05-CT/TW.", "url": "http://x.vn/1"}\n',
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = run(
        "ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.html"), str(tmp_path / "c.jsonl"), store=store
    )
    assert result.exit_code == 0, result.output
    answer = headline_csv(store)
    assert answer.output.count("Hạnh Sơn,xã,directly") == 1


def test_cli_locked_store_is_a_clear_error(tmp_path):
    from policykg.store import GraphStore

    path = tmp_path / "store"
    holder = GraphStore.open(path)  # noqa: F841 - keeps the write lock while the CLI runs
    result = subprocess.run(
        [sys.executable, "-m", "policykg.cli", "--store", str(path), "ingest", str(SEEDS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "in use by another policykg process" in result.stderr


def test_cli_import_does_not_load_spacy():
    code = "import sys, policykg.cli, policykg.query.saved, policykg.store; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_query_run_does_not_load_spacy(store_dir):
    code = (
        "import sys\nfrom policykg.cli import main\n"
        f"main(['--store', {str(store_dir)!r}, 'query', 'run', 'entities', '-p', 'type', 'Locality'],"
        " standalone_mode=False)\n"
        "print('spacy loaded' if 'spacy' in sys.modules else 'spacy not loaded')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Tà Mung" in out.stdout and out.stdout.strip().endswith("spacy not loaded")


def test_cli_markdown_and_vietnamese_order(store_dir):
    result = run(
        "query", "run", "entities", "-p", "type", "Locality", "--format", "markdown", store=store_dir
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "| entity | label | articles |" and lines[1] == "| --- | --- | --- |"
    labels = [line.split(" | ")[1] for line in lines[2:]]
    assert (
        labels.index("Đình Cại") > labels.index("Đán Tọ") > labels.index("Bản Tào")
    )  # Đ after D, not after Z
    assert labels.index("Đình Cại") < labels.index("Hạnh Sơn")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "ad-hoc queries are read-only"),
        ("DELETE WHERE { ?s ?p ?o }", "ad-hoc queries are read-only"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "--allow-remote"),
    ],
)
def test_cli_sparql_is_read_only_and_local(store_dir, query, message):
    before = run("stats", store=store_dir).stdout
    result = run("sparql", query, store=store_dir)
    assert result.exit_code == 1 and message in result.stderr
    assert run("stats", store=store_dir).stdout == before


def test_cli_sparql_keywords_inside_strings_are_not_updates(store_dir):
    result = run(
        "sparql", "SELECT ?x WHERE { BIND('DELETE SERVICE' AS ?x) }", "--format", "csv", store=store_dir
    )
    assert result.exit_code == 0 and "DELETE SERVICE" in result.stdout


def test_cli_timeout_really_stops_a_runaway_query(store_dir):
    import time

    started = time.perf_counter()
    result = run(
        "sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "--timeout",
        "0.5",
        store=store_dir,
    )
    assert result.exit_code == 1 and "was stopped" in result.stderr
    assert time.perf_counter() - started < 20


def test_cli_display_cap_says_what_it_left_out(store_dir):
    result = run("sparql", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--format", "table", store=store_dir)
    assert len(result.stdout.splitlines()) == 1002  # header, rule, 1000 rows
    assert "1000 rows shown" in result.stderr and "more not printed" in result.stderr
    assert (
        len(
            run("sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--limit", "3", store=store_dir).stdout.splitlines()
        )
        == 4
    )


def test_cli_update_changes_the_store_deliberately(tmp_path):
    store = tmp_path / "store"
    assert run("ingest", str(SEEDS / "002_d36d69e27c34a1df.txt"), store=store).exit_code == 0
    result = run(
        "update",
        "INSERT DATA { GRAPH <urn:notes> { <urn:a> rdfs:comment 'checked by hand' } }",
        store=store,
    )
    assert result.exit_code == 0 and "quads" in result.stdout
    found = run("sparql", "SELECT ?c WHERE { <urn:a> rdfs:comment ?c }", "--format", "csv", store=store)
    assert "checked by hand" in found.stdout
    remote = run("update", "LOAD <http://example.org/data.ttl>", store=store)
    assert remote.exit_code == 1 and "--allow-remote" in remote.stderr


def test_cli_why_cites_the_sentences_of_an_implementation(store_dir):
    result = run("why", "--locality", "Hạnh Sơn", "--document", "Chỉ thị 05", store=store_dir)
    assert result.exit_code == 0
    assert "Hạnh Sơn implements Chỉ thị 05: 3 supporting sentence(s)" in result.stdout
    assert "“5 năm triển khai thực hiện Chỉ thị 05, Đảng bộ xã Hạnh Sơn đã tổ chức" in result.stdout
    assert "— Tạo phong trào thi đua thiết thực, hiệu quả · 004_9415e674d670dc88.txt · chars" in result.stdout
    nobody = run("why", "--locality", "Tà Mung", "--document", "03-CT/TW", store=store_dir)
    assert nobody.exit_code == 1 and "no sentence in the store supports" in nobody.stdout


def test_cli_why_for_a_triple_and_for_gazetteer_facts(store_dir):
    stated = run("why", "id:locality/vn/03638", "pkg:partOf", "id:locality/vn/110", store=store_dir)
    assert stated.exit_code == 0 and "Đảng bộ xã Tà Mung, huyện Than Uyên xác định" in stated.stdout
    official = run("why", "id:locality/vn/110", "pkg:partOf", store=store_dir)
    assert official.exit_code == 0 and "official list of administrative units" in official.stdout
    bad = run("why", "not an iri", "pkg:partOf", store=store_dir)
    assert bad.exit_code == 1 and "is not an IRI or a prefixed name" in bad.stderr


def test_cli_export_with_ontology_is_self_describing(store_dir):
    plain = rdflib.Graph().parse(data=run("export", store=store_dir).stdout, format="turtle")
    full = rdflib.Graph().parse(
        data=run("export", "--with-ontology", store=store_dir).stdout, format="turtle"
    )
    directive = rdflib.URIRef("https://w3id.org/policykg/ontology#Directive")
    assert (directive, rdflib.RDF.type, rdflib.OWL.Class) in full
    assert (directive, rdflib.RDF.type, rdflib.OWL.Class) not in plain
    assert set(plain) < set(full)
    text = run("export", store=store_dir).stdout
    assert "vn:03638 a pkg:Locality" in text and "id:locality" not in text  # one prefix per kind


def _seed_records() -> list[dict]:
    return [{"id": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS.glob("*.txt"))]


def _jsonl(records) -> bytes:
    return b"".join(
        (r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode("utf-8")) + b"\n"
        for r in records
    )


def _identifiers(store) -> list[str]:
    found = run(
        "sparql",
        "SELECT ?id WHERE { ?a a pkg:Article ; dcterms:identifier ?id } ORDER BY ?id",
        "--format",
        "csv",
        store=store,
    )
    return found.stdout.splitlines()[1:]


def test_cli_jsonl_gz_ingests_and_answers_as_the_plain_jsonl(tmp_path):
    data = _jsonl(_seed_records())
    answers = []
    for name, content in (("corpus.jsonl", data), ("corpus.jsonl.gz", gzip.compress(data))):
        (tmp_path / name).write_bytes(content)
        store = tmp_path / f"store-{name}"
        result = run("ingest", str(tmp_path / name), store=store)
        assert result.exit_code == 0, result.output
        assert "ingested 5 article(s)" in result.stdout
        query = ("query", "run", "localities-implementing", "-p", "document", "05-CT/TW", "--format", "csv")
        answers.append(
            (run(*query, store=store).stdout, run("export", "--format", "nquads", store=store).stdout)
        )
        again = run("ingest", str(tmp_path / name), store=store)
        assert "ingested 0 article(s), 5 unchanged" in again.stdout  # per record, by content hash
    assert answers[0] == answers[1]
    assert "Hạnh Sơn,xã,directly" in answers[1][0]


def test_cli_txt_gz_article_is_named_by_its_file(tmp_path):
    path = tmp_path / "hanh-son.txt.gz"
    path.write_bytes(gzip.compress((SEEDS / "004_9415e674d670dc88.txt").read_bytes()))
    store = tmp_path / "store"
    assert run("ingest", str(tmp_path), store=store).exit_code == 0
    answer = headline_csv(store)
    assert "Hạnh Sơn,xã,directly" in answer.stdout
    assert _identifiers(store) == ["hanh-son.txt.gz"]
    assert run("remove", path.name, store=store).stdout == f"removed {path.name}\n"
    assert _identifiers(store) == []


def test_cli_bad_jsonl_lines_are_skipped_and_the_rest_ingested(tmp_path):
    seeds = _seed_records()
    records = [
        {"id": "hanh-son", "text": seeds[4]["text"]},
        b'{"id": "broken", "text": ',
        {"id": "dated", "text": seeds[0]["text"], "date": 2022},
        {
            "id": "ta-mung",
            "text": "Tin địa phương\n\nĐảng bộ xã Tà Mung thực hiện Chỉ thị 05-CT/TW.\u2028Nhân dân hiến đất.",
        },
        b'{"id": "long", "text": "' + b"a" * (17 * 2**20) + b'"}',
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(_jsonl(records))
    store = tmp_path / "store"
    result = run("ingest", str(path), store=store)
    assert result.exit_code == 0, result.output  # like a skipped file: reported, not a failure
    assert "ingested 2 article(s)" in result.stdout
    assert f"skipped {path}:2: not valid JSON (Expecting value, column 26)\n" in result.stderr
    assert f'skipped {path}:3: "date" is a number, not a string\n' in result.stderr
    assert f"skipped {path}:5: longer than the 16 MB limit for one line\n" in result.stderr
    assert _identifiers(store) == ["hanh-son", "ta-mung"]
    sentences = run(
        "sparql", "SELECT DISTINCT ?s WHERE { ?m pkg:sentence ?s }", "--format", "json", store=store
    )
    found = {b["s"]["value"] for b in json.loads(sentences.stdout)["results"]["bindings"]}
    assert "Đảng bộ xã Tà Mung thực hiện Chỉ thị 05-CT/TW." in found  # the record with U+2028, read whole


def test_cli_truncated_gz_is_reported_and_the_articles_before_it_kept(tmp_path):
    packed = gzip.compress(_jsonl(_seed_records()))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) * 4 // 5])
    store = tmp_path / "store"
    result = run("ingest", str(path), store=store)
    assert result.exit_code == 1
    kept = _identifiers(store)
    assert 1 <= len(kept) < 5 and kept == [r["id"] for r in _seed_records()][: len(kept)]
    assert f"error: cut.jsonl.gz:{len(kept) + 1}: the compressed data ends early" in result.stderr
    assert "Traceback" not in result.output


def test_cli_link_to_dev_zero_is_refused_quickly(tmp_path):
    (tmp_path / "z.txt").symlink_to("/dev/zero")
    shutil.copy(SEEDS / "004_9415e674d670dc88.txt", tmp_path / "a.txt")
    started = time.perf_counter()
    result = run("ingest", str(tmp_path), store=tmp_path / "store")
    assert time.perf_counter() - started < 30
    assert result.exit_code == 1 and "ingested 1 article(s)" in result.stdout
    assert "error: z.txt: not a regular file (a device, FIFO or socket)" in result.stderr


def test_cli_dangling_and_looping_file_links_are_reported(tmp_path):
    """Issue 19, item 4: a link to nothing and a link to itself are each one error line naming
    the file; the other articles are ingested."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "dangling.txt").symlink_to(corpus / "gone.txt")
    (corpus / "self.txt").symlink_to(corpus / "self.txt")
    shutil.copy(SEEDS / "004_9415e674d670dc88.txt", corpus / "a.txt")
    result = run("ingest", str(corpus), store=tmp_path / "store")
    assert result.exit_code == 1 and "ingested 1 article(s)" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert any("dangling.txt" in line and "cannot read" in line for line in errors), result.stderr
    assert any("self.txt" in line and "symbolic links" in line for line in errors), result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("where", ["group", "command"])
def test_cli_explicit_store_wins_over_the_environment(store_dir, tmp_path, where):
    """POLICYKG_STORE=a policykg --store b stats reads b, wherever --store is given."""
    args = ["--store", str(store_dir), "stats"] if where == "group" else ["stats", "--store", str(store_dir)]
    result = CliRunner(env={"POLICYKG_STORE": str(tmp_path / "elsewhere")}).invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Article" in result.stdout and not (tmp_path / "elsewhere").exists()
    from_env = CliRunner(env={"POLICYKG_STORE": str(store_dir)}).invoke(main, ["stats"])
    assert from_env.exit_code == 0 and from_env.stdout == result.stdout


def test_cli_runs_as_a_module():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "policykg", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("policykg, version")


def test_cli_sparql_edge_cases_of_issue_19_item_11(store_dir, tmp_path):
    """FROM names the dataset; a Latin-1 query file and a bad gold file are one line; full-width
    digits are digits; a comma list of documents is every document, not the first."""
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    nowhere = run(
        "sparql", count.format("FROM <https://nowhere.example/g>"), "--format", "csv", store=store_dir
    )
    article = "FROM <https://w3id.org/policykg/id/article/000_b173f7f789c49a6a.txt>"
    one = run("sparql", count.format(article), "--format", "csv", store=store_dir)
    union = run("sparql", count.format(""), "--format", "csv", store=store_dir)
    assert nowhere.output.splitlines()[1] == "0"
    assert 0 < int(one.output.splitlines()[1]) < int(union.output.splitlines()[1])

    latin1 = tmp_path / "q.rq"
    latin1.write_bytes('SELECT * WHERE { ?s ?p "café" }'.encode("latin-1"))
    result = run("sparql", "-f", str(latin1), store=store_dir)
    assert result.exit_code == 1 and "not UTF-8" in result.stderr and "Traceback" not in result.output
    bad = tmp_path / "gold"
    bad.mkdir()
    (bad / "a.json").write_text("{not json")
    result = run("eval", "--gold", str(bad), "--texts", str(SEEDS))
    assert (
        result.exit_code == 1
        and "not a gold annotation" in result.stderr
        and "Traceback" not in result.output
    )

    by_year = run(
        "query", "run", "article-timeline", "-p", "year", "２０２０", "--format", "csv", store=store_dir
    )
    assert by_year.exit_code == 0 and "2020-08-04" in by_year.output
    both = run(
        "query",
        "run",
        "localities-implementing",
        "-p",
        "document",
        "05-CT/TW, 03-CT/TW",
        "--format",
        "csv",
        store=store_dir,
    )
    assert {"05-CT/TW", "03-CT/TW"} <= {line.split(",")[3] for line in both.output.splitlines()[1:]}


def test_cli_a_query_nested_too_deep_is_refused_before_it_crashes_the_parser(store_dir):
    deep = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000
    result = run("sparql", deep, store=store_dir)
    assert result.exit_code == 1 and "nested more than 256 levels deep" in result.stderr
    fine = "SELECT * WHERE " + "{ " * 200 + "?s ?p ?o " + "} " * 200 + " LIMIT 1"
    assert run("sparql", fine, "--format", "csv", store=store_dir).exit_code == 0
    # a chain of unary operators nests as deep, with no brace at all: it crashed the child (signal 11)
    negated = "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 50_000 + "BOUND(?o)) }"
    result = run("sparql", negated, store=store_dir)
    assert result.exit_code == 1 and "nested more than 256 levels deep" in result.stderr
    usual = "SELECT * WHERE { ?s ?p ?o FILTER(!BOUND(?x) && ?o != 1 && -(-1) < 2) } LIMIT 1"
    assert run("sparql", usual, "--format", "csv", store=store_dir).exit_code == 0


def test_cli_data_out_equals_data_in_and_tables_escape_controls(store_dir):
    """Issue 19, item 10: CSV in a pipe keeps escape characters exactly (click stripped them);
    a table shows line breaks and control characters as escapes, never a fake row."""
    query = 'SELECT ?x WHERE { VALUES ?x { "esc\\u001b[31mred" "two\\nlines" "bell\\u0007" } }'
    csv_out = run("sparql", query, "--format", "csv", store=store_dir).output
    assert "esc\x1b[31mred" in csv_out and '"two\nlines"' in csv_out and "bell\x07" in csv_out
    shown = run("sparql", query, "--format", "table", store=store_dir).output
    assert shown.splitlines()[2:] == ["esc\\x1b[31mred", "two\\nlines", "bell\\x07"]
    assert "\x1b" not in shown and "\x07" not in shown
