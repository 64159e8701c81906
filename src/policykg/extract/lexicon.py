"""The lexicons and shared regular expressions of the rule components.

Word lists live in ``policykg/data/*.json``; this module loads them once and builds the
patterns every component shares (capitalised names, numbers, type words).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from policykg.text import LOWER, UPPER, match_key

# a capitalised syllable or an acronym; a glued "LạcLúc" is two words, "N’Drót" one
SYLLABLE = rf"[{UPPER}](?:[{LOWER}]+|[{UPPER}]+)?(?:['’][{UPPER}][{LOWER}]*)?"
NAME = rf"{SYLLABLE}(?:[ ]{SYLLABLE}){{0,3}}"
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?!\d)"


def _alternation(words: list[str]) -> str:
    """Regex alternation of ``words``, longest first, each escaped."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:
    """All word lists plus the compiled patterns built from them."""

    data: dict[str, Any]
    documents: dict[str, Any]

    def words(self, name: str) -> list[str]:
        return list(self.data[name])

    @property
    def admin_types(self) -> dict[str, str]:
        return dict(self.data["admin_types"])

    def type_rank(self, locality_type: str) -> int:
        return int(self.data["type_rank"].get(locality_type, 9))

    @property
    def family_names(self) -> frozenset[str]:
        return frozenset(self.data["family_names"])

    @property
    def provinces(self) -> dict[str, str]:
        """Match key of each province name → its spelling in the lexicon."""
        return {match_key(p): p for p in self.data["provinces"]}

    def alternation(self, name: str) -> str:
        return _alternation(self.words(name))

    def document_label(self, key: str) -> str:
        """The display label of a document from its canonical key, the same in every article.

        >>> [load().document_label(k) for k in ("05-CT/TW", "TW4-XII", "477/CT-UBND", "25/2024/TT-BTC")]
        ['Chỉ thị 05-CT/TW', 'Nghị quyết Trung ương 4 khóa XII', 'Chỉ thị 477/CT-UBND', 'Thông tư 25/2024/TT-BTC']
        """
        plenum = re.fullmatch(r"TW(\d+)-([IVXL]+)", key)
        if plenum:
            return f"Nghị quyết Trung ương {plenum[1]} khóa {plenum[2]}"
        party = re.fullmatch(r"\d+-([^/]+)/.+", key)
        if party and party[1] in self.documents["kinds"]:
            return f"{self.documents['kinds'][party[1]]['words'][0]} {key}"
        state = re.fullmatch(r"[\d/]+/([^-/]+)-.+", key)
        if state and state[1] in self.documents["state_kinds"]:
            return f"{self.documents['state_kinds'][state[1]]} {key}"
        return key


def trim_name(name: str | None, stop: frozenset[str]) -> str:
    """A captured name without trailing words of ``stop``; empty if it starts with one.

    >>> trim_name("Sông Mã Đảng", frozenset({"Đảng"}))
    'Sông Mã'
    """
    words = (name or "").split()
    while words and words[-1] in stop:
        words.pop()
    return "" if words and words[0] in stop else " ".join(words)


# middle names that mark a person's name when they follow a family name ("Bùi Văn", "Lê Thị")
PERSON_MIDDLES = frozenset(
    {"Văn", "Thị", "Đức", "Hữu", "Xuân", "Ngọc", "Quang", "Minh", "Thanh", "Công", "Đình"}
)


def cut_person_tail(name: str) -> str:
    """A place's name without a person's name run on after it ("Đông Hải Bùi Văn" is Đông Hải):
    a family name followed by a middle name, after at least one word of the place.

    >>> cut_person_tail("Đông Hải Bùi Văn"), cut_person_tail("Lê Lợi"), cut_person_tail("Tân Quy")
    ('Đông Hải', 'Lê Lợi', 'Tân Quy')
    """
    words = name.split()
    families = load().family_names
    for i in range(1, len(words) - 1):
        if words[i] in families and words[i + 1] in PERSON_MIDDLES:
            return " ".join(words[:i])
    return name


@cache
def place_names() -> frozenset[str]:
    """Match keys of every official unit's name (all snapshots) and of the provinces."""
    from policykg.places.gazetteer import load as load_gazetteer

    names = {match_key(u.name) for u in load_gazetteer().units.values()}
    return frozenset(names | set(load().provinces))


def end_place_name(name: str, stop: frozenset[str]) -> str:
    """A captured place name ended where the place's name ends.

    Capitalised words run on into what follows a name: a post ("tỉnh Yên Bái Thứ trưởng"), a
    person ("Tỉnh ủy Yên Bái Đỗ Đức Duy"), a body. A name the gazetteer knows is kept whole
    ("huyện Xuân Trường"); otherwise trailing ``stop`` words go, and a known name followed by
    a family name or a ``stop`` word is cut there.

    >>> end_place_name("Yên Bái Đỗ Đức", frozenset({"Thứ"})), end_place_name("Yên Bái Thứ", frozenset({"Thứ"}))
    ('Yên Bái', 'Yên Bái')
    >>> end_place_name("Xuân Trường", frozenset({"Trường"})), end_place_name("Tà Mung", frozenset())
    ('Xuân Trường', 'Tà Mung')
    """
    known = place_names()
    if match_key(name) in known:
        return name
    words = trim_name(name, stop).split()
    if not words:
        return ""
    breakers = load().family_names | stop
    for cut in range(len(words) - 1, 0, -1):
        if match_key(" ".join(words[:cut])) in known and words[cut] in breakers:
            return " ".join(words[:cut])
    return " ".join(words)


def starts_with_person(name: str) -> bool:
    """A name of two or more words that starts with a family name and is no official unit.

    >>> starts_with_person("Trần Kim Yến"), starts_with_person("Lê Lợi"), starts_with_person("Sơn La")
    (True, False, False)
    """
    words = name.split()
    return len(words) >= 2 and words[0] in load().family_names and match_key(name) not in place_names()


@cache
def load() -> Lexicon:
    """The lexicon shipped in the package (loaded once per process)."""
    base = resources.files("policykg") / "data"
    data = json.loads((base / "lexicon.json").read_text(encoding="utf-8"))
    documents = json.loads((base / "documents.json").read_text(encoding="utf-8"))
    return Lexicon(data=data, documents=documents)


@cache
def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile`` with a process-wide cache for patterns built at run time."""
    return re.compile(pattern, flags)
