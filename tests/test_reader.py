"""Reading inputs: files plain and gzipped, JSON Lines record by record; title, date and
bylines found the way the outlets write them."""

import gzip
import json
import os
import re
import time
import tracemalloc
from pathlib import Path

import pytest

from policykg.errors import InputError
from policykg.inputs import MAX_BYTES, MAX_LINE_BYTES, InputFile, RawArticle, clean, discover, read


def _article(text: str):
    return clean(RawArticle("probe.txt", text, "probe.txt"))


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        ("Tiêu đề\nNội dung bài.\nTác giả: Bích Hạnh\nVăn bản mới\n", ("Bích Hạnh",)),
        ("Tiêu đề\nNội dung bài.\n\nNguyễn Thơm\n\nTheo http://example.vn\n", ("Nguyễn Thơm",)),
        ("Tiêu đề\nNội dung bài.\nMinh Anh\n", ("Minh Anh",)),
        ("Tiêu đề\nNội dung bài.\nH'Linh\n", ("H'Linh",)),
        ("Tiêu đề\nNội dung bài.\nBài, ảnh: Quang Huy\n", ("Quang Huy",)),
        (
            "Tiêu đề\nNội dung bài.\nTin, ảnh: Hoàng Phúc\nTin liên quan\nChỉ thị 24/CT-UBND\n",
            ("Hoàng Phúc",),
        ),
        ("Tiêu đề\nNội dung bài kết thúc bằng câu.\n", ()),
    ],
)
def test_reader_bylines_become_authors_and_leave_the_body(text, authors):
    article = _article(text)
    assert article.authors == authors
    for name in authors:
        assert name not in article.body


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Tiêu đề\nCập nhật: 14:20, 12/06/2019\nNội dung.", "2019-06-12"),
        ("Tiêu đề\nThứ Tư, 20/10/2021 - 08:15\nNội dung.", "2021-10-20"),
        ("Tiêu đề\nNội dung không có ngày.", None),
    ],
)
def test_reader_date_near_the_title(text, date):
    assert _article(text).date == date


def test_reader_nfd_text_is_normalised_to_nfc():
    import unicodedata

    text = unicodedata.normalize("NFD", "Đảng bộ xã Tà Mung\nThực hiện Chỉ thị 05.")
    article = _article(text)
    assert article.title == "Đảng bộ xã Tà Mung"
    assert unicodedata.is_normalized("NFC", article.text)


def _jsonl(*records) -> bytes:
    """JSON Lines of ``records``; a ``bytes`` record is written as it is."""
    return b"".join(
        (r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode("utf-8")) + b"\n"
        for r in records
    )


def _skipping(path: Path) -> tuple[list[RawArticle], list[tuple[str, str]]]:
    skipped: list[tuple[str, str]] = []
    return list(read(path, lambda where, why: skipped.append((where, why)))), skipped


GOOD = {"id": "baomoi-1", "text": "Đảng bộ xã Hạnh Sơn thực hiện Chỉ thị 05-CT/TW.", "date": "2019-06-12"}
HTML = "<html><head><title>T</title></head><body><article><h1>Tiêu đề</h1><p>Nội dung.</p></article></body></html>"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.txt", "Tiêu đề\nNội dung bài.\n".encode("utf-16")),
        ("a.html", HTML.encode("utf-8")),
        ("a.htm", HTML.encode("utf-8")),
        ("a.jsonl", _jsonl(GOOD, {"text": "Bài hai.", "url": "http://x.vn/2"})),
    ],
)
def test_reader_gz_inputs_read_as_their_plain_files(tmp_path, name, data):
    plain, packed = tmp_path / name, tmp_path / f"{name}.GZ"
    plain.write_bytes(data)
    packed.write_bytes(gzip.compress(data))
    assert discover([tmp_path]) == ([InputFile(plain, name), InputFile(packed, f"{name}.GZ")], [])
    expected = list(read(plain))
    got = list(read(packed))
    assert [(r.text, r.title, r.url, r.date, r.line) for r in got] == [
        (r.text, r.title, r.url, r.date, r.line) for r in expected
    ]
    # a file's article is named by the file as it is, .gz included; a record by its id or line
    assert [r.identifier for r in got] == [
        packed.name if r.identifier == plain.name else r.identifier.replace(plain.name, packed.name)
        for r in expected
    ]


def test_reader_jsonl_identifiers(tmp_path):
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(
        gzip.compress(_jsonl({"id": "baomoi-7", "text": "a"}, {"id": 42, "text": "b"}, {"text": "c"}))
    )
    assert [r.identifier for r in read(path)] == ["baomoi-7", "42", "c.jsonl.gz#3"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\r"])
def test_reader_jsonl_lines_end_at_newline_only(tmp_path, separator):
    text = f"Tiêu đề{separator}Nội dung bài."
    path = tmp_path / "s.jsonl"
    path.write_bytes(_jsonl({"text": text}, GOOD))
    assert [r.text for r in read(path)] == [text, GOOD["text"]]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"id": "x", "text": ', "not valid JSON (Expecting value, column 21)"),
        (b"[1, 2]", "not a JSON object but an array"),
        (b'"text"', "not a JSON object but a string"),
        (b'{"id": "x"}', 'no "text" field'),
        (b'{"text": ""}', '"text" is empty'),
        (b'{"text": " \\n "}', '"text" is empty'),
        (b'{"text": 12}', '"text" is a number, not a string'),
        (b'{"text": "a", "date": 2020}', '"date" is a number, not a string'),
        (b'{"text": "a", "title": ["T"]}', '"title" is an array, not a string'),
        (
            b'{"text": "a", "date": "2022-13-45"}',
            "\"date\" is not a date ('2022-13-45'; write it YYYY-MM-DD)",
        ),
        (b'{"text": "a", "date": "31/02/2023"}', '"date" is not a date'),
        ('{"text": "a", "date": "hôm qua"}'.encode(), '"date" is not a date'),
        (b'{"text": "a", "url": 1}', '"url" is a number, not a string'),
        (b'{"text": "a", "url": "http://x.vn/a b"}', '"url" is not a valid IRI'),
        (b'{"text": "a", "id": 1.5}', '"id" is a number, not a string or an integer'),
        (b'{"text": "a", "id": ""}', '"id" is empty'),
        (b'{"text": "a\\ud800"}', '"text" holds an unpaired surrogate \\ud800'),
        (b'{"text": "caf\xe9"}', "not UTF-8 (byte 14 of the line)"),
        (b"[" * 100_000, "not valid JSON (nested too deeply)"),
        (b'{"text": "a", "n": ' + b"9" * 5000 + b"}", "not valid JSON (Exceeds the limit"),
    ],
)
def test_reader_bad_jsonl_record_is_skipped_with_its_line(tmp_path, line, reason):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(_jsonl(GOOD, line, {"text": "Bài sau."}))
    articles, skipped = _skipping(path)
    assert [r.line for r in articles] == [1, 3]
    assert len(skipped) == 1 and skipped[0][0] == f"{path}:2" and skipped[0][1].startswith(reason)
    with pytest.raises(InputError, match=f"^bad.jsonl:2: {re.escape(reason)}"):
        list(read(path))  # without a skip, a bad record is an error


def test_reader_over_long_line_is_skipped_without_holding_it(tmp_path):
    path = tmp_path / "long.jsonl"
    with path.open("wb") as out:
        out.write(_jsonl(GOOD) + b'{"text": "')
        for _ in range(64):  # a 64 MB line
            out.write(b"a" * 2**20)
        out.write(b'"}\n' + _jsonl({"text": "Bài sau."}))
    tracemalloc.start()
    try:
        articles, skipped = _skipping(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [r.line for r in articles] == [1, 3]
    assert skipped == [(f"{path}:2", "longer than the 16 MB limit for one line")]
    assert peak < 2 * MAX_LINE_BYTES + 4 * 2**20  # readline joins its chunks: twice the limit, not the line


def test_reader_truncated_gz_keeps_the_articles_before_the_damage(tmp_path):
    data = _jsonl(
        *({"id": f"baomoi-{i}", "text": f"Bài số {i} về Chỉ thị 05-CT/TW. " * 40} for i in range(200))
    )
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(data)[: len(gzip.compress(data)) // 2])
    got = []
    with pytest.raises(InputError) as raised:
        got.extend(read(path))
    assert 0 < len(got) < 200 and [r.identifier for r in got] == [f"baomoi-{i}" for i in range(len(got))]
    assert str(raised.value).startswith(f"cut.jsonl.gz:{len(got) + 1}: the compressed data ends early")


@pytest.mark.parametrize("name", ["z.txt", "z.jsonl", "z.html.gz"])
def test_reader_refuses_a_device_quickly(tmp_path, name):
    (tmp_path / name).symlink_to("/dev/zero")  # stat says 0 bytes; reading would never end
    started = time.perf_counter()
    with pytest.raises(InputError, match="not a regular file"):
        list(read(tmp_path / name))
    assert time.perf_counter() - started < 1
    assert discover([tmp_path]) == ([InputFile(tmp_path / name, name)], [])  # listed, so that it is reported


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs mkfifo")
def test_reader_refuses_a_fifo_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "f.txt")
    with pytest.raises(InputError, match="not a regular file"):
        list(read(tmp_path / "f.txt"))


@pytest.mark.parametrize(("name", "pack"), [("big.txt", lambda b: b), ("big.txt.gz", gzip.compress)])
def test_reader_plain_article_over_the_limit_is_refused(tmp_path, name, pack):
    (tmp_path / name).write_bytes(pack(b"Tin. " * (MAX_BYTES // 5 + 1)))
    with pytest.raises(InputError, match=r"more than the 20 MB limit for one \.txt or \.html article"):
        list(read(tmp_path / name))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\n  \n", "empty file"),
        (_jsonl(GOOD).decode("utf-8").encode("utf-16"), "JSON Lines are UTF-8"),
    ],
)
def test_reader_jsonl_that_is_not_json_lines_at_all(tmp_path, data, message):
    (tmp_path / "x.jsonl").write_bytes(data)
    with pytest.raises(InputError, match=message):
        list(read(tmp_path / "x.jsonl", lambda where, why: None))


def test_reader_jsonl_utf8_bom_and_crlf_are_accepted(tmp_path):
    (tmp_path / "b.jsonl").write_bytes(b"\xef\xbb\xbf" + _jsonl(GOOD).replace(b"\n", b"\r\n") * 2)
    assert [r.text for r in read(tmp_path / "b.jsonl")] == [GOOD["text"]] * 2


def test_reader_a_folder_link_is_reported_not_followed_and_hidden_folders_are_left_out(tmp_path):
    """Issue 19, item 4: a link loop cannot run forever, and every folder not entered is said."""
    corpus = tmp_path / "corpus"
    (corpus / "2013").mkdir(parents=True)
    (corpus / ".git").mkdir()
    (corpus / "2013" / "a.txt").write_text("Tin\nĐảng bộ xã Tà Mung họp.", encoding="utf-8")
    (corpus / ".git" / "b.txt").write_text("Tin\nkhông phải bài báo", encoding="utf-8")
    (corpus / "2013" / "loop").symlink_to(corpus, target_is_directory=True)
    files, skipped = discover([corpus])
    assert [f.name for f in files] == ["2013/a.txt"]
    assert [(p.name, "not followed" in reason) for p, reason in skipped] == [("loop", True)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_reader_an_unreadable_folder_is_reported(tmp_path):
    locked = tmp_path / "corpus" / "locked"
    locked.mkdir(parents=True)
    (locked / "a.txt").write_text("Tin\nĐảng bộ xã Tà Mung họp.", encoding="utf-8")
    locked.chmod(0)
    try:
        files, skipped = discover([tmp_path / "corpus"])
    finally:
        locked.chmod(0o755)
    assert files == [] and [(p.name, "cannot be read" in r) for p, r in skipped] == [("locked", True)]


SIDECAR_TEXT = "Tiêu đề của bài\nĐảng bộ xã Tà Mung thực hiện tốt Chỉ thị 05-CT/TW.\n"


def _read_folder(folder):
    files, skipped = discover([folder])
    found, skips = [], []
    for item in files:
        found += [
            clean(raw) for raw in read(item.path, lambda where, why: skips.append((where, why)), item.name)
        ]
    return {a.identifier: a for a in found}, skipped, skips


@pytest.mark.parametrize(
    ("sidecar", "manifest", "expected"),
    [
        (
            {"date": "2021-06-15", "url": "https://baosonla.vn/a.html", "title": "Ba khâu đột phá"},
            None,
            ("2021-06-15", "https://baosonla.vn/a.html", "Ba khâu đột phá"),
        ),
        (
            None,
            "file,date,url,title\na.txt,12/03/2021,https://x.vn/a,\n",
            ("2021-03-12", "https://x.vn/a", "Tiêu đề của bài"),
        ),
        (
            {"date": "2022-01-02"},
            "file,date,url\na.txt,2021-01-01,https://x.vn/a\n",
            ("2022-01-02", "https://x.vn/a", "Tiêu đề của bài"),
        ),
        (None, None, (None, None, "Tiêu đề của bài")),
    ],
    ids=["sidecar", "manifest", "sidecar-wins", "neither"],
)
def test_reader_txt_takes_date_url_and_title_from_its_sidecar_or_manifest(
    tmp_path, sidecar, manifest, expected
):
    (tmp_path / "a.txt").write_text(SIDECAR_TEXT, encoding="utf-8")
    if sidecar is not None:
        (tmp_path / "a.meta.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    if manifest is not None:
        (tmp_path / "manifest.csv").write_text(manifest, encoding="utf-8")
    found, skipped, skips = _read_folder(tmp_path)
    article = found["a.txt"]
    assert (article.date, article.url, article.title) == expected
    assert skipped == [] and skips == []  # the sidecar and the manifest are no articles to report
    bare = clean(RawArticle("a.txt", SIDECAR_TEXT, "a.txt"))
    assert (article.content_hash == bare.content_hash) == (
        expected[0] is None
    )  # a corrected field is a change


@pytest.mark.parametrize(
    ("sidecar", "manifest", "reason"),
    [
        ("{not json", None, "a.meta.json is not valid JSON"),
        ('["2021-01-01"]', None, "a.meta.json is not a JSON object"),
        ('{"date": "31/02/2021"}', None, '"date" is not a date'),
        ('{"date": 20210101}', None, '"date" is not a string'),
        ('{"data": "2021-01-01"}', None, "unknown field 'data'"),
        ('{"url": "http://x y"}', None, '"url" is not a valid IRI'),
        (None, "name,date\na.txt,2021-01-01\n", "manifest.csv has no 'file' column"),
        (None, "file,date,author\na.txt,2021-01-01,X\n", "a column 'author'"),
        (None, "file,date\na.txt,2021-13-01\n", 'manifest.csv, line 2: "date" is not a date'),
        (None, "file,date\na.txt,2021-01-01\na.txt,2021-01-02\n", "names a.txt a second time"),
    ],
)
def test_reader_bad_sidecar_skips_its_article_in_one_line(tmp_path, sidecar, manifest, reason):
    (tmp_path / "a.txt").write_text(SIDECAR_TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(SIDECAR_TEXT, encoding="utf-8")
    if sidecar is not None:
        (tmp_path / "a.meta.json").write_text(sidecar, encoding="utf-8")
    if manifest is not None:
        (tmp_path / "manifest.csv").write_text(manifest, encoding="utf-8")
    found, _, skips = _read_folder(tmp_path)
    (where, why), *more = skips
    assert where.endswith("a.txt") and reason in why and "\n" not in why
    assert why.startswith("a.txt: not ingested, ") and why.endswith("; fix it and ingest again")
    assert "a.txt" not in found
    if "column" not in reason:  # a bad row or sidecar keeps out its own article only
        assert more == [] and "b.txt" in found
    with pytest.raises(InputError, match="not ingested"):
        list(read(tmp_path / "a.txt"))
