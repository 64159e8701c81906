"""Judged sheets: sampled from a real on-disk store, filled in, scored with a Wilson interval."""

import csv
import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from policykg.cli import main
from policykg.quality.audit import SHEET_COLUMNS, read_sheet, wilson


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("audit") / "store"
    result = CliRunner().invoke(main, ["--store", str(path), "ingest", str(SEEDS)])
    assert result.exit_code == 0, result.output
    return path


def run(*args, store=None):
    prefix = ["--store", str(store)] if store else []
    return CliRunner().invoke(main, [*prefix, *args])


def sheet_rows(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def fill(path, verdicts, delimiter=","):
    """Write the verdicts into a sheet, row by row, as a judge would."""
    rows = sheet_rows(path)
    for row, verdict in zip(rows, verdicts, strict=True):
        row["verdict"] = verdict
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=rows[0].keys(), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("correct", "judged", "low", "high"),
    [
        (40, 40, 0.9124, 1.0),
        (36, 40, 0.7695, 0.9604),
        (0, 40, 0.0, 0.0876),
        (1, 1, 0.2065, 1.0),
        (7, 10, 0.3968, 0.8922),
    ],
)
def test_audit_wilson_interval(correct, judged, low, high):
    assert wilson(correct, judged) == pytest.approx((low, high), abs=1e-4)


@pytest.mark.parametrize(("correct", "judged"), [(0, 0), (5, 4), (-1, 3)])
def test_audit_wilson_refuses_what_is_no_proportion(correct, judged):
    with pytest.raises(ValueError):
        wilson(correct, judged)


def test_audit_sample_writes_a_csv_and_a_markdown_sheet(store_dir, tmp_path):
    result = run(
        "sample",
        "--kind",
        "achievement",
        "-n",
        "40",
        "--seed",
        "5",
        "-o",
        str(tmp_path / "a"),
        store=store_dir,
    )
    assert result.exit_code == 0, result.output
    drawn = re.search(r"sampled 40 of (\d+) achievement item\(s\) with seed 5", result.stdout)
    assert drawn and int(drawn[1]) >= 40, result.stdout
    rows = sheet_rows(tmp_path / "a.csv")
    assert list(rows[0]) == list(SHEET_COLUMNS)
    assert [r["n"] for r in rows] == [str(n) for n in range(1, 41)]
    assert {r["kind"] for r in rows} == {"achievement"} and not any(r["verdict"] or r["note"] for r in rows)
    assert all(r["sentence"] and r["article"].endswith(".txt") and r["title"] for r in rows)
    md = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert md.startswith("# Precision audit: achievement (seed 5)\n")
    assert f"40 of {drawn[1]} achievement item(s)" in md and md.count("\n## ") == 40
    assert f"## 1. {rows[0]['item']}\n\n> {rows[0]['sentence']}" in md


def test_audit_sample_is_the_same_file_for_the_same_seed(store_dir, tmp_path):
    for name, seed in (("one", "3"), ("two", "3"), ("three", "4")):
        args = ("sample", "--kind", "partyorg", "-n", "10", "--seed", seed, "-o", str(tmp_path / name))
        assert run(*args, store=store_dir).exit_code == 0
    one, two, three = ((tmp_path / f"{n}.csv").read_bytes() for n in ("one", "two", "three"))
    assert one == two != three


def test_audit_sample_keeps_a_sheet_that_exists(store_dir, tmp_path):
    args = ("sample", "--kind", "person", "--seed", "1", "-o", str(tmp_path / "p.csv"))
    assert run(*args, store=store_dir).exit_code == 0
    fill(tmp_path / "p.csv", ["y"] * 11)
    again = run(*args, store=store_dir)
    assert again.exit_code == 1 and "exists (it may hold verdicts)" in again.stderr
    assert {r["verdict"] for r in sheet_rows(tmp_path / "p.csv")} == {"y"}
    assert run(*args, "--force", store=store_dir).exit_code == 0
    assert {r["verdict"] for r in sheet_rows(tmp_path / "p.csv")} == {""}


def test_audit_eval_judged_gives_precision_and_wilson_interval(store_dir, tmp_path):
    achievements, implements = tmp_path / "ach.csv", tmp_path / "impl.csv"
    run(
        "sample", "--kind", "achievement", "-n", "42", "--seed", "8", "-o", str(achievements), store=store_dir
    )
    run("sample", "--kind", "implements", "--seed", "8", "-o", str(implements), store=store_dir)
    fill(achievements, ["y"] * 36 + ["N"] * 4 + ["?", ""])
    fill(implements, ["y"] * 15, delimiter=";")  # a spreadsheet's semicolons
    report = tmp_path / "scores.json"
    result = run("eval", "--judged", str(achievements), "--judged", str(implements), "--report", str(report))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["implements", "15", "15", "1.000", "0.796–1.000", "0", "0"]
    assert lines[2].split() == ["achievement", "40", "36", "0.900", "0.769–0.960", "1", "1"]
    scores = json.loads(report.read_text(encoding="utf-8"))["kinds"]
    assert scores["achievement"] == {
        "judged": 40,
        "correct": 36,
        "precision": 0.9,
        "wilson95": [0.7695, 0.9604],
        "undecided": 1,
        "blank": 1,
    }


def test_audit_eval_judged_with_nothing_judged_says_so(store_dir, tmp_path):
    sheet = tmp_path / "doc.csv"
    run("sample", "--kind", "document", "-n", "3", "--seed", "1", "-o", str(sheet), store=store_dir)
    result = run("eval", "--judged", str(sheet))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].split() == ["document", "0", "0", "–", "–", "0", "3"]


BAD_SHEETS = [
    ("n,kind,item,iri,note\n1,person,x,y,\n", "no column verdict"),
    ("n,kind,item,iri,verdict\n1,person,x,y,yes\n", "line 2: verdict 'yes' is not y, n, ? or blank"),
    ("n,kind,item,iri,verdict\n1,person,x,y,y\n2,people,x,y,n\n", "line 3: unknown kind 'people'"),
    ("", "no column n, kind, item, iri, verdict"),
]


@pytest.mark.parametrize(("text", "message"), BAD_SHEETS)
def test_audit_bad_sheets_fail_in_one_line(tmp_path, text, message):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(text, encoding="utf-8")
    result = run("eval", "--judged", str(sheet))
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback


@pytest.mark.parametrize("content", [b"\xff\xfe n,kind\x00", None])
def test_audit_unreadable_or_missing_sheet_fails_in_one_line(tmp_path, content):
    sheet = tmp_path / "sheet.csv"
    if content is not None:
        sheet.write_bytes(content)
    result = run("eval", "--judged", str(sheet))
    assert result.exit_code == 1 and str(sheet) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give --gold DIR or --judged SHEET.csv"),
        (("--gold", str(SEEDS), "--judged", "x.csv"), "give --gold DIR or --judged SHEET.csv"),
        (("--judged", "x.csv", "--show-errors"), "--texts and --show-errors go with --gold"),
    ],
)
def test_audit_eval_takes_gold_or_judged(args, message):
    result = run("eval", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_audit_read_sheet_keeps_a_sentence_with_line_breaks(tmp_path):
    sheet = tmp_path / "s.csv"
    sheet.write_text('n,kind,item,iri,sentence,verdict\n1,person,A,x,"one\ntwo",Y\n', encoding="utf-8")
    assert read_sheet(sheet) == [
        {"n": "1", "kind": "person", "item": "A", "iri": "x", "sentence": "one\ntwo", "verdict": "y"}
    ]


def test_audit_commands_do_not_load_spacy(store_dir, tmp_path):
    sheet = tmp_path / "s"
    code = (
        "import sys\nfrom policykg.cli import main\n"
        f"main(['--store', {str(store_dir)!r}, 'sample', '--kind', 'locality', '--seed', '1', '-o', {str(sheet)!r}],"
        " standalone_mode=False)\n"
        f"main(['eval', '--judged', {str(sheet) + '.csv'!r}], standalone_mode=False)\n"
        "print('spacy loaded' if 'spacy' in sys.modules else 'spacy not loaded')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "locality" in out.stdout and out.stdout.strip().endswith("spacy not loaded")


@pytest.mark.parametrize(
    ("listed", "exit_code", "expected"),
    [
        (
            "004_9415e674d670dc88.txt\n\n001_fb14a67d0406c0de.txt\n",
            0,
            {"004_9415e674d670dc88.txt", "001_fb14a67d0406c0de.txt"},
        ),
        ("004_9415e674d670dc88.txt\nnope.txt\n", 1, "not in the store: nope.txt"),
    ],
)
def test_audit_sample_within_a_list_of_articles(store_dir, tmp_path, listed, exit_code, expected):
    (tmp_path / "articles.txt").write_text(listed, encoding="utf-8")
    args = ("sample", "--kind", "locality", "--seed", "1", "-o", str(tmp_path / "s"))
    result = run(*args, "--articles", str(tmp_path / "articles.txt"), store=store_dir)
    assert result.exit_code == exit_code
    if exit_code:
        assert expected in result.stderr and not (tmp_path / "s.csv").exists()
    else:
        assert {r["article"] for r in sheet_rows(tmp_path / "s.csv")} == expected


def test_audit_readme_states_the_questions_the_sheets_ask():
    from conftest import ROOT

    from policykg.quality.audit import QUESTIONS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind, question in QUESTIONS.items():
        assert f"| `{kind}` | {question} |" in readme, f"README's audit-questions table lacks {kind}"
