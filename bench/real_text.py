"""Ingest of real news against spaCy's bare tokenizer on the same text (issue 14: within 7x).

Takes the first ``--articles`` records of a real corpus (``../shared/corpus/*.jsonl.gz``), and in
one process times, over exactly the article bodies policykg reads:

- spaCy's blank ``xx`` tokenizer (the floor: what any spaCy pipeline pays to read the text);
- policykg's extraction alone (``article_record``: pipeline, records, place linking);
- ``policykg ingest --jobs 1`` of the same records into a fresh store (extraction, RDF, writes).

Writes ``bench/REAL.md``. Ratios are measured in one run on one machine, so they compare.

    python bench/real_text.py --corpus ../shared/corpus/baomoi-2017.jsonl.gz --articles 3000
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy

from policykg.extract.to_records import article_record
from policykg.inputs import RawArticle, clean
from policykg.places.linking import link_places

HERE = Path(__file__).parent
TARGET = 7.0


def first_records(corpus: Path, n: int) -> list[str]:
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        return list(itertools.islice(handle, n))


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=HERE.parent.parent / "shared/corpus/baomoi-2017.jsonl.gz"
    )
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=HERE / "REAL.md")
    args = parser.parse_args()
    lines = first_records(args.corpus, args.articles)
    articles = [clean(RawArticle(r["id"], r["text"], str(args.corpus))) for r in map(json.loads, lines)]
    bodies = [a.body for a in articles]
    megabytes = sum(len(b.encode("utf-8")) for b in bodies) / 1e6

    tokenizer = spacy.blank("xx").tokenizer
    article_record(articles[0])  # build the pipeline outside the timing
    floor = timed(lambda: [tokenizer(b) for b in bodies])
    extraction = timed(lambda: [link_places(article_record(a)) for a in articles])
    with tempfile.TemporaryDirectory(prefix="policykg-real-") as tmp:
        source = Path(tmp) / "articles.jsonl"
        source.write_text("".join(lines), encoding="utf-8")
        policykg = Path(sys.executable).with_name("policykg")
        command = [str(policykg), "--store", str(Path(tmp) / "store"), "ingest", "--jobs", "1", str(source)]
        ingest = timed(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL))

    ratio = ingest / floor
    report = [
        "# Real news against the bare tokenizer",
        "",
        "Written by `bench/real_text.py` (part of `make bench`). One process, one run: the ratios compare.",
        "",
        f"Corpus: the first {len(articles)} records of `{args.corpus.name}` (real news of all topics), "
        f"{megabytes:.1f} MB of article text.",
        "",
        "| stage | seconds | MB/s | × tokenizer |",
        "| --- | ---: | ---: | ---: |",
        f"| spaCy blank 'xx' tokenizer | {floor:.1f} | {megabytes / floor:.2f} | 1.0 |",
        f"| policykg extraction (article_record + place linking) | {extraction:.1f} | "
        f"{megabytes / extraction:.2f} | {extraction / floor:.1f} |",
        f"| `policykg ingest --jobs 1` (extraction, RDF, store; process start included) | {ingest:.1f} | "
        f"{megabytes / ingest:.2f} | {ratio:.1f} |",
        "",
        f"Target (issue 14): ingest within {TARGET:.0f}× the tokenizer: {ratio:.1f}× — "
        + ("met." if ratio <= TARGET else "**missed**."),
    ]
    args.out.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
