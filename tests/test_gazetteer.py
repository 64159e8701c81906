"""Places linked to Vietnam's official administrative units (shared/GAZETTEER.md)."""

import pytest
from conftest import SEEDS

from policykg.extract.to_records import article_record
from policykg.inputs import RawArticle, clean, read
from policykg.places.gazetteer import load
from policykg.places.linking import link_places


def test_gazetteer_data_has_the_official_counts_and_sources():
    gazetteer = load()
    levels = [unit.level for unit in gazetteer.units.values()]
    assert (levels.count(1), levels.count(2), levels.count(3)) == (63, 713, 10874)
    current = [u for u in gazetteer.units.values() if u.last_seen == "2025-01-04"]
    assert len([u for u in current if u.level == 3]) == 10051
    assert len([u for u in gazetteer.units_2025.values() if u.level == 1]) == 34
    assert gazetteer.sources["current"]["version"] == "2026.9.0"


@pytest.mark.parametrize(
    ("level", "code", "name", "parent"),
    [
        (3, 3638, "Tà Mung", 110),
        (2, 110, "Than Uyên", 12),
        (2, 126, "Sông Mã", 14),
        (3, 4168, "Sông Mã", 126),
    ],
)
def test_gazetteer_known_units(level, code, name, parent):
    unit = load().units[(level, code)]
    assert (unit.name, unit.parent) == (name, parent)


def _linked(text: str, date: str | None = None) -> dict[str, dict]:
    article = clean(RawArticle("probe.txt", text, "probe.txt", date=date))
    record = link_places(article_record(article))
    return {
        (e.label, e.get("localityType")): dict(e.properties) for e in record.entities if e.cls == "Locality"
    }


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("000_b173f7f789c49a6a.txt", {("Tà Mung", "xã"): "03638", ("Than Uyên", "huyện"): "110"}),
        (
            "001_fb14a67d0406c0de.txt",
            {("Sông Mã", "huyện"): "126", ("Sông Mã", "thị trấn"): "04168", ("Nà Nghịu", "xã"): "04198"},
        ),
        ("002_d36d69e27c34a1df.txt", {("Mường Chiên", "xã"): "03682", ("Quỳnh Nhai", "huyện"): "118"}),
        ("003_e8dcba4e60d6c28e.txt", {("Mường Tè", "huyện"): "107", ("Lai Châu", "tỉnh"): "12"}),
        ("004_9415e674d670dc88.txt", {("Hạnh Sơn", "xã"): "04678", ("Nghĩa Lộ", "thị xã"): "133"}),
    ],
)
def test_gazetteer_every_seed_place_gets_its_official_code(seed, expected):
    (article,) = [clean(raw) for raw in read(SEEDS / seed)]
    record = link_places(article_record(article))
    codes = {
        (e.label, e.get("localityType")): e.get("adminCode") for e in record.entities if e.cls == "Locality"
    }
    assert {k: codes.get(k) for k in expected} == expected
    villages = [e for e in record.entities if e.get("localityType") in ("thôn", "bản")]
    assert all(
        e.get("adminCode") is None and (e.get("partOf") or "").startswith("locality:vn:") for e in villages
    )


def test_gazetteer_chain_reaches_the_province_with_its_source():
    places = _linked("Xã Tà Mung, huyện Than Uyên thực hiện tốt Chỉ thị 05-CT/TW.")
    assert places[("Tà Mung", "xã")]["partOfSource"] == "text"
    assert places[("Than Uyên", "huyện")]["partOf"] == "locality:vn:12"
    assert places[("Than Uyên", "huyện")]["partOfSource"] == "gazetteer"
    assert places[("Lai Châu", "tỉnh")]["adminLevel"] == "province"


def test_gazetteer_ambiguous_name_stays_unlinked_without_context_and_links_with_it():
    alone = _linked("Đảng bộ xã Tân Lập thực hiện tốt Chỉ thị 05-CT/TW.")[("Tân Lập", "xã")]
    assert "adminCode" not in alone and int(alone["candidateCount"]) > 10
    with_context = _linked("Sơn La: Đảng bộ xã Tân Lập (Mộc Châu) thực hiện tốt Chỉ thị 05-CT/TW.")
    unit = load().units[(3, int(with_context[("Tân Lập", "xã")]["adminCode"]))]
    assert load().units[(2, unit.parent)].name == "Mộc Châu"


def test_gazetteer_unit_that_moved_district_follows_the_article():
    """Xã Hạnh Sơn was in huyện Văn Chấn before 2020 and in thị xã Nghĩa Lộ after."""
    old = _linked("Xã Hạnh Sơn, huyện Văn Chấn học tập và làm theo Bác.", date="2018-05-02")
    new = _linked("Xã Hạnh Sơn, thị xã Nghĩa Lộ học tập và làm theo Bác.", date="2022-05-02")
    assert old[("Hạnh Sơn", "xã")]["adminCode"] == new[("Hạnh Sơn", "xã")]["adminCode"] == "04678"
    assert old[("Văn Chấn", "huyện")]["adminCode"] == "140"
    assert new[("Nghĩa Lộ", "thị xã")]["adminCode"] == "133"
    bare = _linked("Yên Bái: xã Hạnh Sơn học tập và làm theo Bác.", date="2018-05-02")
    assert bare[("Hạnh Sơn", "xã")]["partOf"] == "locality:vn:140"  # its district at the article's date


def test_gazetteer_2025_successor():
    places = _linked("Xã Hạnh Sơn, thị xã Nghĩa Lộ học tập và làm theo Bác.")
    successor = places[("Hạnh Sơn", "xã")]["successor"]
    assert successor == "locality:vn2025:04681"
    assert places[("Cầu Thia", "phường")]["partOf"] == "locality:vn2025:p15"


def test_gazetteer_loads_only_when_places_are_linked():
    import subprocess
    import sys

    code = (
        "import policykg.ingest, policykg.places.linking, policykg.places.gazetteer as g\nprint(g.load.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
