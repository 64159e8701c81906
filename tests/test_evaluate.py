from conftest import GOLD, SEEDS

from policykg.quality.evaluate import evaluate_folder


def test_evaluate_seeds_meet_the_bar():
    scores = evaluate_folder(GOLD, SEEDS)
    for kind in ("document", "partyorg", "locality", "person"):
        assert scores["kinds"][kind]["f1"] >= 0.95, kind
    for kind in ("achievement", "implements_locality", "implements_actor"):
        assert scores["kinds"][kind]["f1"] >= 0.85, kind
    assert scores["boilerplate_implemented"] == 0
