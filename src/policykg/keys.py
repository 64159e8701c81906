"""Canonical keys, once: how documents, their issuers and place types are named at every stage.

Extraction (``extract.documents``, ``extract.localities``, ``extract.orgs``), query parameters
(``query.params``) and place linking build and read keys here, so that a document an article
cites as ``07-CT/BTGTW`` and one a researcher types as ``07/CT-BTGTW`` are one key by
construction. The world knowledge behind them (Party issuers, document kinds, documents known by
a second number) is ``data/documents.json``. Pure: no spaCy.

>>> party_key("5", "CT", "TW"), party_key("12", "NQ", "TW"), state_key("477", None, "CT", "UBND")
('05-CT/TW', 'TW4-XI', '477/CT-UBND')
>>> is_party_notation("CT", "BTGTW", None), is_party_notation("CT", "UBND", None)
(True, False)
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from policykg.text import fold


@lru_cache(maxsize=1)
def documents() -> dict[str, Any]:
    """``data/documents.json``: document kinds, Party issuers, well-known central documents."""
    data: dict[str, Any] = json.loads(
        (resources.files("policykg") / "data" / "documents.json").read_text(encoding="utf-8")
    )
    return data


# -- documents ---------------------------------------------------------------------------------
def issuer_code(written: str) -> str:
    """An issuer code as keys write it: upper case, ``TƯ`` as ``TW`` (``Tư`` → ``TW``)."""
    return written.upper().replace("TƯ", "TW")


def kind_code(written: str) -> str:
    """A document kind code as keys write it: ``QD`` (no stroke) as ``QĐ``."""
    return written.replace("QD", "QĐ")


@lru_cache(maxsize=1)
def party_issuers() -> frozenset[str]:
    """Issuer codes of Party bodies (``TW``, ``TU``, ``HU``, ``BTGTW`` …), as keys write them."""
    return frozenset(issuer_code(i) for i in documents()["party_issuers"])


@lru_cache(maxsize=1)
def party_kinds() -> dict[str, str]:
    """Party document kind codes and the ontology class of each (``CT`` → ``Directive``)."""
    return {code: kind["class"] for code, kind in documents()["kinds"].items()}


@lru_cache(maxsize=1)
def kind_words() -> dict[str, str]:
    """Kind names as a researcher types them, lower case, with or without diacritics
    (``chỉ thị``, ``chi thi``, ``ct``) → the kind code."""
    words = {"directive": "CT", "resolution": "NQ", "conclusion": "KL", "regulation": "QĐ"}
    for code, kind in documents()["kinds"].items():
        if code == "QĐi":
            continue  # "Quy định" is QĐ when typed; QĐi is a notation variant of the same kind
        words[code.lower()] = code
        for word in kind["words"]:
            words.setdefault(word.lower(), code)
    for word, code in list(words.items()):
        words.setdefault(fold(word), code)  # typed without diacritics: "chi thi", "qd"
    return words


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Documents known by a second notation: the notation → the key (``12-NQ/TW`` → ``TW4-XI``)."""
    return {v["number"]: key for key, v in documents()["known"].items() if "number" in v}


def is_party_notation(kind: str, issuer: str, year: str | None) -> bool:
    """``NUM-KIND/ISSUER`` is a Party document's notation: a Party issuer and kind, no year
    (``25/2024/TT-BTC`` and ``477/CT-UBND`` are state documents)."""
    return not year and issuer_code(issuer) in party_issuers() and kind_code(kind) in party_kinds()


def party_notation(number: str, kind: str, issuer: str) -> str:
    """A Party document's notation as written, normalised: ``05-CT/TW``."""
    return f"{number.zfill(2)}-{kind_code(kind)}/{issuer_code(issuer)}"


def party_key(number: str, kind: str, issuer: str) -> str:
    """The key of a Party document: its notation, or the key it is better known by."""
    written = party_notation(number, kind, issuer)
    return aliases().get(written, written)


def state_key(number: str, year: str | None, kind: str, issuer: str) -> str:
    """The key of a state document: ``477/CT-UBND``, ``25/2024/TT-BTC``."""
    return f"{number}/{year + '/' if year else ''}{kind_code(kind)}-{issuer_code(issuer)}"


def plenum_key(number: int | str, term: str) -> str:
    """The key of a Central Committee plenum's resolution(s): ``TW4-XII``."""
    return f"TW{number}-{term.upper()}"


# -- places ------------------------------------------------------------------------------------
# official unit types, from the province down (the order ranks a place's level)
UNIT_TYPES = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn")
# the types of provinces and districts: a place of one of them is a unit the gazetteer lists
UPPER_UNIT_TYPES = UNIT_TYPES[:5]
# below the commune: villages and residential groups, which the gazetteer does not list
VILLAGE_TYPES = ("tổ dân phố", "thôn", "bản", "xóm", "ấp", "làng")
# the unit a Party committee's first word names: "Tỉnh ủy", "Thành ủy", "Huyện ủy", "Quận ủy", "Thị ủy"
COMMITTEE_TYPES = {"Tỉnh": "tỉnh", "Thành": "thành phố", "Huyện": "huyện", "Quận": "quận", "Thị": "thị xã"}


def unit_rank(place_type: str | None) -> int:
    """Position of a type from the province down; unknown types rank last."""
    return UNIT_TYPES.index(place_type) if place_type in UNIT_TYPES else len(UNIT_TYPES)
