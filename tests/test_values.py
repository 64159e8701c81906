"""Invalid values are not stored, corrected metadata is re-ingested (issue 19, item 6)."""

import json

import pytest
from test_cli import _jsonl, run

from policykg.inputs import RawArticle, clean

CITES = (
    "Đảng bộ xã Tà Mung thực hiện Kết luận số 01-KL/TW, ngày 31/2/2021 của Bộ Chính trị về tiếp tục "
    "thực hiện Chỉ thị số 05-CT/TW, ngày 15/13/2016 của Bộ Chính trị."
)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Tin xã\n\nNgày 31/02/2022\n\nNội dung bài.", None),
        ("Tin xã\n\nngày 30 tháng 2 năm 2022\n\nNội dung bài.", None),
        ("Tin xã\n\nNội dung bài.\n31/02/13 13:37 GMT+7\nKinh tế", None),
        ("Tin xã\n\nNgày 29/02/2024\n\nNội dung bài.", "2024-02-29"),
    ],
)
def test_values_impossible_date_in_the_text_is_no_date(text, date):
    assert clean(RawArticle("a.txt", text, "a.txt")).date == date


def test_values_no_impossible_xsd_date_is_stored(tmp_path):
    (tmp_path / "a.txt").write_text(f"Tin xã\n\nNgày 31/02/2022\n\n{CITES}", encoding="utf-8")
    store = tmp_path / "store"
    assert run("ingest", str(tmp_path / "a.txt"), store=store).exit_code == 0
    found = run(
        "sparql",
        "SELECT ?d WHERE { ?s ?p ?d FILTER(DATATYPE(?d) = xsd:date) }",
        "--format",
        "json",
        store=store,
    )
    assert json.loads(found.stdout)["results"]["bindings"] == []
    documents = run(
        "sparql", "SELECT ?n WHERE { ?d pkg:documentNumber ?n } ORDER BY ?n", "--format", "csv", store=store
    )
    assert documents.stdout.splitlines()[1:] == ["01-KL/TW", "05-CT/TW"]  # the documents stay, without a date


@pytest.mark.parametrize("date", ["2022-13-45", "31/02/2022"])
def test_values_record_with_an_impossible_date_is_skipped(tmp_path, date):
    path = tmp_path / "a.jsonl"
    path.write_bytes(_jsonl([{"id": "a", "text": f"Tin xã\n\n{CITES}", "date": date}]))
    result = run("ingest", str(path), store=tmp_path / "store")
    assert f'skipped {path}:1: "date" is not a date' in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("field", "before", "after", "sparql"),
    [
        ("title", "Tiêu đề sai", "Tiêu đề đúng", "SELECT ?v WHERE { ?a dcterms:title ?v }"),
        ("date", "2022-01-02", "2022-02-01", "SELECT ?v WHERE { ?a dcterms:date ?v }"),
        ("url", "http://x.vn/sai", "http://x.vn/dung", "SELECT ?v WHERE { ?a dcterms:source ?v }"),
    ],
)
def test_values_corrected_metadata_of_an_unchanged_text_is_reingested(tmp_path, field, before, after, sparql):
    path, store = tmp_path / "a.jsonl", tmp_path / "store"
    for value in (before, after):
        path.write_bytes(_jsonl([{"id": "a", "text": f"Tin xã\n\n{CITES}", field: value}]))
        result = run("ingest", str(path), store=store)
        assert "ingested 1 article(s), 0 unchanged" in result.stdout, result.output
    found = run("sparql", sparql, "--format", "csv", store=store)
    assert found.stdout.splitlines()[1:] == [after]
    again = run("ingest", str(path), store=store)
    assert "ingested 0 article(s), 1 unchanged" in again.stdout
