"""The on-disk sort behind ``export``: sorted, distinct, and the same however many runs it takes."""

import random

import pyoxigraph as ox
import pytest

from policykg.store import extsort


def _lines(count: int) -> list[str]:
    rng = random.Random(7)
    words = ["Tà Mung", "xã", "Đảng bộ", "Chỉ thị 05-CT/TW", '"a\\nb"', "<http://x/é>", "z", ""]
    return [" ".join(rng.choices(words, k=rng.randint(1, 4))) for _ in range(count)]


@pytest.mark.parametrize(("run_chars", "fan_in"), [(10**9, 128), (200, 128), (200, 3)])
def test_sorted_unique_matches_an_in_memory_sort(monkeypatch, run_chars, fan_in):
    monkeypatch.setattr(extsort, "MAX_FAN_IN", fan_in)  # 3: many runs are merged in rounds
    lines = _lines(3000)
    assert list(extsort.sorted_unique(iter(lines), run_chars)) == sorted(set(lines))


def test_sorted_unique_of_nothing_is_nothing():
    assert list(extsort.sorted_unique([])) == []


def test_nquads_export_is_every_quad_sorted(seed_store):
    expected = ox.serialize(seed_store.quads(), format=ox.RdfFormat.N_QUADS)
    assert seed_store.export("nquads") == expected


@pytest.mark.parametrize("fmt", ["ntriples", "nquads", "turtle", "trig", "jsonld"])
def test_export_is_the_same_whether_sorted_in_one_run_or_many(seed_store, monkeypatch, fmt):
    whole = seed_store.export(fmt, with_ontology=True)
    monkeypatch.setattr(extsort, "RUN_CHARS", 20_000)  # dozens of runs for the seeds
    monkeypatch.setattr(extsort, "MAX_FAN_IN", 8)  # merged in two rounds
    assert seed_store.export(fmt, with_ontology=True) == whole
