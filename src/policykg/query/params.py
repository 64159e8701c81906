"""Parameters of saved queries: each kind normalises what a researcher types into an RDF term.

Pure functions; this module must not import spaCy (``policykg query`` stays fast).
"""

from __future__ import annotations

import re
import unicodedata

from policykg import keys
from policykg.errors import QueryError
from policykg.iri import entity_iri
from policykg.store.terms import Literal, NamedNode
from policykg.text import fold, match_key
from policykg.vocab import PKG_NS, XSD_NS

_CLASSES = {
    "article": "Article",
    "directive": "Directive",
    "chỉ thị": "Directive",
    "resolution": "Resolution",
    "nghị quyết": "Resolution",
    "conclusion": "Conclusion",
    "kết luận": "Conclusion",
    "partydocument": "PartyDocument",
    "document": "PartyDocument",
    "statedocument": "StateDocument",
    "partyorg": "PartyOrg",
    "org": "PartyOrg",
    "organisation": "PartyOrg",
    "organization": "PartyOrg",
    "tổ chức đảng": "PartyOrg",
    "body": "Body",
    "cơ quan": "Body",
    "đoàn thể": "Body",
    "locality": "Locality",
    "place": "Locality",
    "địa phương": "Locality",
    "person": "Person",
    "người": "Person",
    "achievement": "Achievement",
    "kết quả": "Achievement",
}
# the types a researcher may write before a place's name ("xã Tà Mung", "TP. Huế"), longest first
_LOCALITY_TYPES = tuple(
    sorted((*keys.UNIT_TYPES, *keys.VILLAGE_TYPES, "tp.", "tp"), key=lambda w: (-len(w.split()), w))
)


def document_key(value: str) -> str:
    """Canonical number of a document as a researcher may write it.

    >>> [document_key(v) for v in ("05-CT/TW", "Chỉ thị 05", "05", "CT 05", "05/CT-TW", "Kết luận số 01")]
    ['05-CT/TW', '05-CT/TW', '05-CT/TW', '05-CT/TW', '05-CT/TW', '01-KL/TW']
    >>> document_key("Nghị quyết Trung ương 4 khóa XII"), document_key("477/CT-UBND")
    ('TW4-XII', '477/CT-UBND')
    >>> document_key("chi thi 05"), document_key("nghi quyet trung uong 4 khoa xii")
    ('05-CT/TW', 'TW4-XII')
    """
    text = " ".join(value.strip().split())
    upper = text.upper().replace("TƯ", "TW")
    plenum = re.search(
        r"(?:TW|TRUNG ƯƠNG|TRUNG UONG)\s*(\d{1,2})\W*(?:KHÓA|KHOÁ|KHOA|-)?\s*([IVXL]+)\b", upper
    )
    if plenum:
        return keys.plenum_key(plenum.group(1), plenum.group(2))
    coded = re.search(r"(\d{1,4})(?:/(\d{4}))?\s*[-/]\s*([A-ZĐ]{1,5})\s*[-/]\s*([A-ZĐ]+(?:-[A-ZĐ]+)?)", upper)
    if coded:
        num, year, kind, issuer = coded.groups()
        if keys.is_party_notation(kind, issuer, year):
            return keys.party_key(num, kind, issuer)
        return keys.state_key(num, year, kind, issuer)
    short = re.fullmatch(r"(?:(.+?)\s+)?(?:số\s+)?(\d{1,4})", match_key(text))
    if short:
        kind = _kind_word((short.group(1) or "chỉ thị").strip())
        if kind:
            return keys.party_key(short.group(2), kind, "TW")
    raise QueryError(f"cannot read {value!r} as a document; write it like 05-CT/TW, 'Chỉ thị 05' or TW4-XII")


def _kind_word(word: str) -> str | None:
    """The kind code of a kind as typed, with or without diacritics ("chỉ thị", "chi thi", "CT")."""
    words = keys.kind_words()
    return words.get(word) or words.get(fold(word))


def locality_name(value: str) -> str:
    """Folded bare name of a place: 'xã Tà Mung', 'Tà Mung' and 'Ta Mung' all give 'ta mung'.

    >>> locality_name("xã Tà Mung"), locality_name("Ta Mung")
    ('ta mung', 'ta mung')
    """
    key = match_key(value)
    for word in _LOCALITY_TYPES:
        if key.startswith(word + " "):
            key = key[len(word) + 1 :]
            break
    if not key.strip():
        raise QueryError(f"{value!r} names no place")
    return fold(key)


def class_iri(value: str) -> str:
    """Ontology class IRI from a class name in English or Vietnamese."""
    name = _CLASSES.get(
        match_key(value).replace(" ", "")
        if match_key(value).replace(" ", "") in _CLASSES
        else match_key(value)
    )
    if name is None:
        known = sorted({v for v in _CLASSES.values()})
        raise QueryError(f"unknown type {value!r}; use one of {', '.join(known)}")
    return PKG_NS + name


def to_term(kind: str, value: str) -> NamedNode | Literal:
    """The RDF term a parameter of ``kind`` binds to."""
    if kind == "document":
        return NamedNode(entity_iri(f"document:{document_key(value)}"))
    if kind == "locality":
        return Literal(locality_name(value))
    if kind == "text":
        return Literal(match_key(value))
    if kind in ("org", "person", "string"):
        return Literal(fold(value) if kind in ("org", "person") else value)
    if kind == "type":
        return NamedNode(class_iri(value))
    if kind in ("int", "year"):
        digits = unicodedata.normalize("NFKC", value).strip()  # "２０２２" (full-width) is 2022
        if not re.fullmatch(r"-?[0-9]+", digits):
            raise QueryError(f"{value!r} is not a whole number")
        return Literal(digits, datatype=NamedNode(XSD_NS + "integer"))
    if kind == "iri":
        if not re.fullmatch(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+", value.strip()):
            raise QueryError(f"{value!r} is not an IRI")
        return NamedNode(value.strip())
    raise QueryError(f"unknown parameter kind {kind!r}")
