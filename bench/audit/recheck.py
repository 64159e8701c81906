"""Re-extract the articles of judged sheets and say which judged items the extractor still states.

A judged sample measures the store it was drawn from. After the extractor changes, a fresh
sample must be drawn and judged for a figure to report. Between audits this script is the quick
check: it ingests only the judged articles with the current extractor, lists every item of each
kind in them (``policykg sample`` with ``-n`` large), and compares with the verdicts:

- judged ``y`` still stated (kept) or lost;
- judged ``n`` still stated (a known error left) or gone;
- new items nobody judged yet.

``kept y / (kept y + kept n)`` is a proxy for precision, biased because the new items are
unjudged; it says whether a change removed known errors without losing known facts.

    python bench/audit/recheck.py bench/audit/baomoi-2013-*-14.csv --corpus ../shared/corpus/baomoi-2013.jsonl.gz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

POLICYKG = Path(sys.executable).with_name("policykg")


def read_sheet(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def corpus_records(corpus: Path, wanted: set[str]) -> list[str]:
    """The JSON Lines records of ``corpus`` whose ``id`` is wanted, as they are."""
    found = []
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            if json.loads(line).get("id") in wanted:
                found.append(line)
    return found


def run(*args: str) -> None:
    subprocess.run([str(POLICYKG), *args], check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sheets", nargs="+", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--show", action="store_true", help="list the known errors still stated")
    parser.add_argument(
        "--show-lost", action="store_true", help="list the judged-right items no longer stated"
    )
    parser.add_argument(
        "--show-new", action="store_true", help="list the items nobody judged, with their sentence"
    )
    args = parser.parse_args()
    judged: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for sheet in args.sheets:
        for row in read_sheet(sheet):
            judged[row["kind"]][(row["article"], row["item"])] = row["verdict"].strip().lower()
    articles = {article for rows in judged.values() for article, _ in rows}
    with tempfile.TemporaryDirectory(prefix="policykg-recheck-") as tmp:
        work = Path(tmp)
        (work / "articles.jsonl").write_text("".join(corpus_records(args.corpus, articles)), encoding="utf-8")
        (work / "ids.txt").write_text("\n".join(sorted(articles)) + "\n", encoding="utf-8")
        store = str(work / "store")
        run("--store", store, "ingest", str(work / "articles.jsonl"))
        print(f"{len(articles)} judged articles re-extracted\n")
        print(f"{'kind':12} {'y kept':>8} {'n kept':>8} {'new':>5}  proxy precision")
        for kind, verdicts in judged.items():
            base = work / kind
            run(
                "--store",
                store,
                "sample",
                "--kind",
                kind,
                "-n",
                "1000000",
                "--seed",
                "1",
                "--articles",
                str(work / "ids.txt"),
                "-o",
                str(base),
            )
            rows = read_sheet(base.with_suffix(".csv"))
            stated = {(row["article"], row["item"]) for row in rows}
            yes = [k for k, v in verdicts.items() if v == "y"]
            no = [k for k, v in verdicts.items() if v == "n"]
            kept_yes = sum(k in stated for k in yes)
            kept_no = [k for k in no if k in stated]
            new = len(stated - set(verdicts))
            proxy = kept_yes / (kept_yes + len(kept_no)) if kept_yes + len(kept_no) else float("nan")
            print(
                f"{kind:12} {kept_yes:>3}/{len(yes):<4} {len(kept_no):>3}/{len(no):<4} {new:>5}  {proxy:.3f}"
            )
            if args.show:
                for article, item in kept_no:
                    print(f"    still wrong: {item}  [{article}]")
            if args.show_lost:
                for article, item in yes:
                    if (article, item) not in stated:
                        print(f"    lost: {item}  [{article}]")
            if args.show_new:
                for row in rows:
                    if (row["article"], row["item"]) not in verdicts:
                        print(f"    new: {row['item']}  [{row['article']}]\n         {row['sentence'][:300]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
