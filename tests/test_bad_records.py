"""One bad record must not sink the run (issue 19, item 3), through the real CLI.

Every case of the issue in one run, into a store that already holds the seeds: each bad
record or over-long article is one ``skipped`` line, the good ones are ingested, nothing is a
traceback, nothing already stored is lost, and the exit code is 0 because work was done.
"""

import json

from conftest import SEEDS
from test_cli import _identifiers, _jsonl, run

from policykg.ingest import MAX_BODY_CHARS

SENTENCE = "Đảng bộ xã Tà Mung thực hiện Chỉ thị 05-CT/TW. "
LONG = "Tin địa phương\n\n" + SENTENCE * (4_000_000 // len(SENTENCE))  # 4M characters, 5.6 MB of UTF-8

BAD = [
    (b'{"text": "a", "url": "http://x/a b"}', '"url" is not a valid IRI'),
    (b'{"text": "a", "date": 2022}', '"date" is a number, not a string'),
    (b'{"text": "a", "title": ["T"]}', '"title" is an array, not a string'),
    (b'{"text": "a", "url": 1}', '"url" is a number, not a string'),
    (b"[" * 100_000, "not valid JSON (nested too deeply)"),
    (
        json.dumps({"id": "long", "text": LONG}).encode(),
        f"more than the {MAX_BODY_CHARS:,} the extractor takes",
    ),
]


def test_bad_records_each_skipped_with_one_line_and_the_rest_ingested(tmp_path):
    store = tmp_path / "store"
    assert run("ingest", str(SEEDS), store=store).exit_code == 0
    before = set(_identifiers(store))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = [
        {"id": "nel", "text": f"Tin địa phương\n\n{SENTENCE}\u0085Nhân dân hiến đất."},
        {"id": "ls", "text": f"Tin xã\n\n{SENTENCE}\u2028Nhân dân hiến đất.\u2029Hết."},
    ]
    (corpus / "news.jsonl").write_bytes(_jsonl([good[0], *(line for line, _ in BAD), good[1]]))
    (corpus / "huge.txt").write_text(
        "Tin địa phương\n" + SENTENCE * (5 * 2**20 // len(SENTENCE)), encoding="utf-8"
    )
    result = run("ingest", str(corpus), store=store)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "ingested 2 article(s)" in result.stdout
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == len(BAD) + 1
    for number, (_line, reason) in enumerate(BAD, start=2):
        assert any(
            line.startswith(f"skipped {corpus / 'news.jsonl'}:{number}: ") and reason in line
            for line in skipped
        )
    assert any(
        line.startswith(f"skipped {corpus / 'huge.txt'}: ") and "(spaCy's limit)" in line for line in skipped
    )
    assert set(_identifiers(store)) == before | {"nel", "ls"}


# "Ngày 15/5, Đảng bộ xã Tà Mung đã tổ chức hội nghị sơ kết công tác xây dựng Đảng." in TCVN3 (ABC),
# as an old archive holds it once it has been read as Latin-1 and saved again as UTF-8
TCVN3_AS_LATIN1 = "Ngµy 15/5, §¶ng bé x· T¶ Mung ®· tæ chøc héi nghÞ s¬ kÕt c«ng t¸c x©y dùng §¶ng."
# the same sentence in VISCII (as `iconv -t VISCII` writes it), the other 8-bit encoding of old archives
VISCII = (
    b"Ng\xe0y 15/5, \xd0\xe4ng b\xb5 x\xe3 T\xe0 Mung \xf0\xe3 t\xb1 ch\xd1c h\xb5i ngh\xb8 s\xbd k\xaat "
    b"c\xf4ng t\xe1c x\xe2y d\xf1ng \xd0\xe4ng. C\xe1n b\xb5, \xf0\xe4ng vi\xean \xf0\xe3 h\xf7c t\xa7p."
)


def test_bad_records_legacy_encoded_vietnamese_is_refused_not_stored_as_mojibake(tmp_path):
    """Issue 19, item 5: TCVN3 or VISCII text read as Latin-1 is refused with how to convert it: a file as an
    input that could not be ingested (exit 1), a JSON Lines record as a skipped record."""
    store = tmp_path / "store"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "old.txt").write_text(f"Tin cũ\n{TCVN3_AS_LATIN1}\n", encoding="utf-8")
    (corpus / "old-latin1.txt").write_bytes(f"Tin\n{TCVN3_AS_LATIN1}\n".encode("latin-1"))
    (corpus / "old-viscii.txt").write_bytes(b"Tin\n" + VISCII + b"\n")
    (corpus / "news.jsonl").write_bytes(
        _jsonl([{"id": "old", "text": f"Tin\n{TCVN3_AS_LATIN1}"}, {"id": "new", "text": f"Tin\n{SENTENCE}"}])
    )
    result = run("ingest", str(corpus), store=store)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    refused = [line for line in result.stderr.splitlines() if line.startswith(("skipped ", "error: "))]
    assert len(refused) == 4 and all("VISCII" in line and "convert it to Unicode" in line for line in refused)
    assert {line.split(":")[0] for line in refused if line.startswith("error")} == {"error"}
    assert set(_identifiers(store)) == {"new"}
