"""Shard throughput on the real corpora, for bench/SCALE.md (issue 18, item 6).

For each corpus: ``ingest --jobs 2``, ``ingest --dask local --jobs 2``, ``extract --to DIR
--jobs 2`` and ``load DIR``, each into a fresh store or folder, timed with GNU time (wall
seconds, peak RSS of the command's own process); then the three stores' N-Quads exports are
compared byte for byte. Not part of ``make test``: about an hour on 2 cores. ``--steps``
picks some of the four (``plain dask extract load``; ``load`` needs ``extract``).

    python bench/scale.py --corpus ../shared/corpus/baomoi-2013.jsonl.gz ../shared/corpus/baomoi-2017.jsonl.gz
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

POLICYKG = Path(sys.executable).with_name("policykg")
RATE = re.compile(r"rate: ([\d.]+) articles/s, ([\d.]+) MB/s")
DONE = re.compile(r"(?:ingested|loaded|extracted) (\d+) article\(s\)")


def run(label: str, *args: str, log: Path) -> dict[str, object]:
    command = ["/usr/bin/time", "-f", "TIME %e %M %U %S", str(POLICYKG), *args]
    done = subprocess.run(command, capture_output=True, text=True)
    log.write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"{label} failed ({done.returncode}); see {log}")
    wall, rss, user, system = re.findall(r"TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)", done.stderr)[-1]
    rate = RATE.search(done.stdout)
    articles = DONE.search(done.stdout)
    return {
        "step": label,
        "articles": int(articles.group(1)) if articles else 0,
        "wall_s": float(wall),
        "peak_rss_mb": int(rss) // 1024,
        # CPU seconds of the command and the worker processes it waited for: what contention
        # from other programs on the machine changes least
        "cpu_s": round(float(user) + float(system), 1),
        "load_average": round(os.getloadavg()[0], 1),
        "articles_per_s": float(rate.group(1)) if rate else 0.0,
        "mb_per_s": float(rate.group(2)) if rate else 0.0,
        "summary": done.stdout.strip().splitlines()[:2],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", nargs="+", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/policykg-scale"))
    parser.add_argument("--jobs", default="2")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("scale.json"))
    parser.add_argument("--steps", nargs="+", default=["plain", "dask", "extract", "load"])
    options = parser.parse_args()
    results = []
    for corpus in options.corpus:
        work = options.work / corpus.name.split(".")[0]
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shards = work / "shards"
        steps = {
            "plain": ("ingest --jobs", ["ingest", "--jobs", options.jobs, str(corpus)]),
            "dask": (
                "ingest --dask local",
                ["ingest", "--dask", "local", "--jobs", options.jobs, str(corpus)],
            ),
            "extract": (
                "extract --to",
                ["extract", "--to", str(shards), "--jobs", options.jobs, str(corpus)],
            ),
            "load": ("load", ["load", str(shards)]),
        }
        stores = []
        for name in options.steps:
            label, args = steps[name]
            if name != "extract":
                stores.append(work / f"store-{name}")
                args = ["--store", str(stores[-1]), *args]
            results.append({"corpus": corpus.name, **run(label, *args, log=work / f"{name}.log")})
            if name == "extract":
                results[-1]["shards_mb"] = round(sum(p.stat().st_size for p in shards.iterdir()) / 1e6, 1)
            else:
                results[-1]["store_mb"] = round(
                    sum(p.stat().st_size for p in stores[-1].rglob("*") if p.is_file()) / 1e6
                )
        exports = []
        for store in stores:
            out = store.with_suffix(".nq")
            export = [str(POLICYKG), "--store", str(store), "export", "--format", "nquads", "-o", str(out)]
            subprocess.run(export, check=True, capture_output=True)
            exports.append(out)
        if len(exports) > 1:
            same = all(filecmp.cmp(exports[0], other, shallow=False) for other in exports[1:])
            mb = round(exports[0].stat().st_size / 1e6, 1)
            results.append({"corpus": corpus.name, "step": "exports equal", "equal": same, "nquads_mb": mb})
        for out in exports:
            out.unlink()
        print(json.dumps(results, indent=1), flush=True)
        options.out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
