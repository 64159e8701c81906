"""Golden end-to-end tests, one per seed article.

``tests/golden/<seed>.txt`` is the reviewed account (``policykg extract``) of what the pipeline
extracts from each seed; any change in extraction shows up here as a readable diff. After a
deliberate change, regenerate with ``POLICYKG_UPDATE_GOLDEN=1 make test`` and review the diff.
Separately, each seed must meet the gold annotation on its own.
"""

import os
from pathlib import Path

import pytest
from conftest import GOLD, SEEDS

from policykg.extract.to_records import article_record
from policykg.inputs import clean, read
from policykg.places.linking import link_places
from policykg.quality.describe import describe
from policykg.quality.evaluate import evaluate_folder

GOLDEN = Path(__file__).parent / "golden"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_golden_seed_extraction_is_unchanged(seed):
    (article,) = [clean(raw) for raw in read(seed)]
    account = describe(link_places(article_record(article)))
    expected = GOLDEN / f"{seed.stem}.txt"
    if os.environ.get("POLICYKG_UPDATE_GOLDEN"):
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(account, encoding="utf-8")
    assert account == expected.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_scores():
    return evaluate_folder(GOLD, SEEDS)


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_golden_seed_meets_its_gold(seed, seed_scores):
    kinds = seed_scores["per_article"][seed.name]
    low = {kind: s["f1"] for kind, s in kinds.items() if s["f1"] < 0.95}
    assert low == {}
    assert kinds["implements_locality"]["f1"] == 1.0
