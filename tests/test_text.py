from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policykg.text import fold, match_key, new_tone_placement, nfc, parse_number


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("10.270", "10270"),
        ("41,8", "41.8"),
        ("16.940", "16940"),
        ("87.6", "87.6"),
        ("2618", "2618"),
        ("1.800", "1800"),
        ("7,7", "7.7"),
    ],
)
def test_text_parse_number_reads_vietnamese_numbers(raw, value):
    assert parse_number(raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["", "abc", "1,2,3"])
def test_text_parse_number_rejects_non_numbers(raw):
    with pytest.raises(ValueError, match="not a Vietnamese number"):
        parse_number(raw)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoá", "hóa"),
        ("uỷ", "ủy"),
        ("thuỷ", "thủy"),
        ("khoá", "khóa"),
        ("Hoà", "Hòa"),
        ("quý", "quý"),
        ("hoàn", "hoàn"),
    ],
)
def test_text_new_tone_placement(old, new):
    assert new_tone_placement(old) == new


def test_text_nfd_and_nfc_give_one_key():
    nfd = "Đảng ủy xã Tà Mung".encode().decode()
    import unicodedata

    assert match_key(unicodedata.normalize("NFD", nfd)) == match_key(nfd)
    assert fold("Đảng uỷ") == fold("Đảng ủy") == "dang uy"


vietnamese = st.text(
    alphabet="aăâeêioôơuưyàáảãạòóỏõọùúủũụỳýỷỹỵđĐHhoaeuyqQ \u0300\u0301\u0309\u0303\u0323", max_size=30
)


@given(vietnamese)
def test_text_match_key_is_idempotent(text):
    assert match_key(match_key(text)) == match_key(text)


@given(vietnamese)
def test_text_match_key_ignores_tone_placement(text):
    assert match_key(new_tone_placement(text)) == match_key(text)
    assert nfc(nfc(text)) == nfc(text)
