"""Vietnamese text helpers: Unicode and tone-mark normalisation, folding, numbers.

Pure functions, no imports from the rest of policykg.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Old-style ("hoà", "uỷ") to new-style ("hòa", "ủy") tone placement, in NFC.  The tone
# mark moves from the second vowel of oa/oe/uy to the first when no letter follows.
_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}
_OLD_TO_NEW: dict[str, str] = {}
for _pair in ("oa", "oe", "uy", "Oa", "Oe", "Uy", "OA", "OE", "UY"):
    for _mark in _TONES:
        _old = unicodedata.normalize("NFC", _pair[0] + _pair[1] + _mark)
        _new = unicodedata.normalize("NFC", _pair[0] + _mark + _pair[1])
        _OLD_TO_NEW[_old] = _new
_OLD_TONE_RE = re.compile(
    r"(?<![qQ])(" + "|".join(sorted(map(re.escape, _OLD_TO_NEW), key=len, reverse=True)) + r")(?!\w)"
)

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)

UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


def nfc(text: str) -> str:
    """Return ``text`` in NFC with zero-width characters removed.

    >>> nfc("Ho\u0300a") == "Hòa"
    True
    """
    return unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)


def new_tone_placement(text: str) -> str:
    """Move tone marks of final oa/oe/uy to the new-style position.

    >>> new_tone_placement("hoá uỷ khoá thuỷ quý")
    'hóa ủy khóa thủy quý'
    """
    return nfc(_OLD_TONE_RE.sub(lambda m: _OLD_TO_NEW[m.group(1)], nfc(text)))


@lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """Key for comparing Vietnamese strings: NFC, new tone placement, casefold, one space.

    >>> match_key("  Đảng uỷ  Xã ") == match_key("đảng ủy xã")
    True
    """
    return " ".join(new_tone_placement(text).casefold().split())


def fold(text: str) -> str:
    """Diacritic-free lower-case form, for search and identifiers.

    >>> fold("Đảng bộ xã Tà Mung"), fold("xã Đắk N’Drót")
    ('dang bo xa ta mung', 'xa dak ndrot')
    """
    decomposed = unicodedata.normalize("NFD", _APOSTROPHES.sub("", match_key(text)).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_APOSTROPHES = re.compile("['’‘ʼ`´]")  # "N’Drót", "M'Drắk": one name, however the mark is typed


def slug(text: str) -> str:
    """ASCII slug for IRIs: folded, non-alphanumerics to single hyphens.

    >>> slug("Ban Thường vụ Huyện ủy Sông Mã"), slug("Đắk N’Drót")
    ('ban-thuong-vu-huyen-uy-song-ma', 'dak-n-drot')
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(_APOSTROPHES.sub("-", text))).strip("-")


_NUMBER_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\d+(?:,\d+)?$|^\d+\.\d{1,2}$")


def parse_number(raw: str) -> Decimal:
    """Read a number written the Vietnamese way: '.' groups thousands, ',' is decimal.

    A single '.' followed by one or two digits is read as a decimal point, as some
    outlets write (``87.6%``).

    >>> parse_number("10.270"), parse_number("41,8"), parse_number("87.6"), parse_number("2618")
    (Decimal('10270'), Decimal('41.8'), Decimal('87.6'), Decimal('2618'))
    """
    value = raw.strip()
    if not _NUMBER_RE.match(value):
        raise ValueError(f"not a Vietnamese number: {raw!r}")
    if re.fullmatch(r"\d+\.\d{1,2}", value):
        return Decimal(value)
    try:
        return Decimal(value.replace(".", "").replace(",", "."))
    except InvalidOperation as err:  # pragma: no cover - guarded by the regex
        raise ValueError(f"not a Vietnamese number: {raw!r}") from err


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(roman: str) -> int:
    """Value of a Roman numeral such as a Party Congress term.

    >>> roman_to_int("XIII")
    13
    """
    total = 0
    values = [_ROMAN[ch] for ch in roman.upper()]
    for i, value in enumerate(values):
        total += -value if i + 1 < len(values) and values[i + 1] > value else value
    return total


_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}  # breve, circumflex, horn
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # à ả ã á ạ


def collation_key(text: str) -> tuple[object, ...]:
    """Sort key in Vietnamese dictionary order: letters first (a < ă < â … d < đ), tones next.

    >>> sorted(["Đình Cại", "Dương", "Bản Mớ", "Ăn", "An", "Bản Lốm", "ạ", "à", "a"], key=collation_key)
    ['a', 'à', 'ạ', 'An', 'Ăn', 'Bản Lốm', 'Bản Mớ', 'Dương', 'Đình Cại']
    """
    letters, tones = [], []
    for ch in match_key(text):
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        letter = base + "".join(m for m in decomposed[1:] if m in _LETTER_MARKS)
        letter = unicodedata.normalize("NFC", letter)
        rank = _LETTER_RANK.get(letter)
        letters.append((1, rank) if rank is not None else (0, ord(letter[0])))
        tones.append(max((_TONE_RANK.get(m, 0) for m in decomposed[1:]), default=0))
    return tuple(letters), tuple(tones)


def iso_date(year: int, month: int, day: int) -> str | None:
    """``YYYY-MM-DD`` of a real calendar date, None for one that is not (31 February, month 13).

    >>> iso_date(2024, 2, 29), iso_date(2023, 2, 29), iso_date(2022, 13, 45)
    ('2024-02-29', None, None)
    """
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def is_iso_date(value: str | None) -> bool:
    """Whether ``value`` is a real calendar date written ``YYYY-MM-DD`` (what ``xsd:date`` takes here).

    >>> is_iso_date("2024-02-29"), is_iso_date("2023-02-29"), is_iso_date("2022-13-45"), is_iso_date(None)
    (True, False, False, False)
    """
    if value is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    return iso_date(int(value[:4]), int(value[5:7]), int(value[8:])) is not None


# letters only Vietnamese has (ă đ ơ ư and the precomposed tone forms of U+1EA0–U+1EF9)
_VIETNAMESE_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
# what a legacy 8-bit Vietnamese text shows when read as Latin-1 / Windows-1252: TCVN3 (ABC) puts
# its letters with tone marks on the codes of ¡ … ¿ ("§èi t­îng sü quan"), which other languages
# written in Latin-1 use only as punctuation
_LATIN1_SYMBOLS = re.compile("[\u00a1-\u00bf]")


def legacy_vietnamese(text: str) -> bool:
    """Whether ``text`` is Vietnamese in a legacy 8-bit encoding (TCVN3) read as Latin-1.

    Real Vietnamese of a few sentences always has letters only Vietnamese has (đ, ư, ơ, ạ …);
    such text has none and is full of the symbols ¡ … ¿ instead.

    >>> legacy_vietnamese("§èi t­îng sü quan qu©n ®éi nh©n d©n ViÖt Nam ®· ®­îc tuyÓn chän")
    True
    >>> legacy_vietnamese("Đối tượng sĩ quan quân đội nhân dân Việt Nam"), legacy_vietnamese("Prix: 5 € (§ 3)")
    (False, False)
    """
    sample = text[:20000]
    letters = sum(ch.isalpha() for ch in sample)
    if letters < 20 or _VIETNAMESE_ONLY.search(sample):
        return False
    return len(_LATIN1_SYMBOLS.findall(sample)) >= max(3, letters // 30)


_VOWELS = "aeiouy" + LOWER[3:].replace("đ", "")
_SYLLABLE = re.compile(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?[{_VOWELS}]{{1,3}}(?:ch|ng|nh|[cmnpt])?"
)


def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` is spelt like one Vietnamese syllable (names of minority villages are too).

    >>> [is_vietnamese_syllable(w) for w in ("Nà", "Nghịu", "Huổi", "Pop", "Dance", "Sedan", "1.5L")]
    [True, True, True, True, False, False, False]
    """
    return _SYLLABLE.fullmatch(match_key(word)) is not None


_WRITTEN_DATE_PATTERNS = (
    re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})"),
    re.compile(r"[Nn]gày (?P<d>\d{1,2}) tháng (?P<m>\d{1,2}) năm (?P<y>(?:19|20)\d{2})"),
)


def parse_date(text: str) -> str | None:
    """ISO date of the first date written in ``text`` (``07/12/2022``, ``ngày 4 tháng 8 năm 2020``)."""
    for pattern in _WRITTEN_DATE_PATTERNS:
        m = pattern.search(text)
        if m:  # the first date written; 31/02/2022 is none, and is not stored as one
            return iso_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return None


def written_date(date: str | None) -> str | None:
    """ISO date of a date field as given (``2022-12-07T…``, ``07/12/2022``); None if it is no date."""
    if not date:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", date):
        return date[:10] if is_iso_date(date[:10]) else None
    return parse_date(date)
