"""Party organisations: committees, Party organisations of units, cells and central bodies.

Labels are canonical, ``<body> <committee or kind> [<unit type>] <name>``, with the place
filled in from the article when the text leaves it out (``Ban Thường vụ Huyện ủy`` in an
article on Mường Tè is ``Ban Thường vụ Huyện ủy Mường Tè``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from policykg.extract.base import make_span, overlaps, text_of
from policykg.extract.extensions import attrs
from policykg.extract.lexicon import NAME, SYLLABLE, Lexicon, compiled, load, trim_name
from policykg.extract.localities import locality_key, main_unit
from policykg.text import match_key

_BODIES = r"Ban Thường vụ|Ban Chấp hành|Ban Tuyên giáo|Ban Tổ chức|Ban Dân vận|Ban Nội chính|Ủy ban Kiểm tra|Uỷ ban Kiểm tra"
_COMMITTEE = {"Tỉnh": "tỉnh", "Thành": "thành phố", "Huyện": "huyện", "Quận": "quận", "Thị": "thị xã"}
_TYPE_COMMITTEE = {
    "huyện": "Huyện ủy",
    "quận": "Quận ủy",
    "thị xã": "Thị ủy",
    "thành phố": "Thành ủy",
    "tỉnh": "Tỉnh ủy",
}
_UNIT_TYPES = r"thị trấn|thị xã|thành phố|xã|phường|huyện|quận|tỉnh"
_VILLAGE_TYPES = r"thôn|bản|xóm|ấp|tổ dân phố|khu phố|làng|buôn|khối"
_LEVEL_BY_RANK = {1: "tỉnh", 2: "huyện", 3: "xã", 4: "chi bộ"}
_UNIT_TAIL_WORDS = (
    r"huyện|tỉnh|xã|thị xã|thành phố|quận|phường|thị trấn|nhân dân|vũ trang|các cơ quan|doanh nghiệp"
    r"|y tế|biên phòng|quân sự|cơ sở|tỉnh ủy"
)


@dataclass
class OrgMention:
    start: int
    end: int
    label: str
    level: str
    kind: str
    locality: str | None = None  # locality key
    locality_name: str | None = None

    @property
    def key(self) -> str:
        return match_key(self.label)


_FOREIGN_PARTY = re.compile(r"[ ]+(?:của[ ]+)?Đảng[ ]+(?:Cộng sản|Nhân dân|Lao động)[ ]+(?!Việt Nam)[A-ZĐ]")


class OrgRecognizer:
    """Finds Party organisations and resolves unnamed ones against the article's places."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon: Lexicon = load()
        self.central = self.lexicon.data["central_orgs"]
        unit_heads = self.lexicon.alternation("unit_org_heads")
        self.patterns: list[tuple[str, re.Pattern[str]]] = [
            (
                "central",
                compiled(
                    rf"(?<![\w])(?:{'|'.join(map(re.escape, sorted(self.central, key=len, reverse=True)))})(?![\w])"
                ),
            ),
            (
                "committee",
                compiled(
                    rf"(?<![\w])(?:(?P<body>{_BODIES})[ ]+)?(?P<committee>Tỉnh|Thành|Huyện|Quận|Thị)[ ]+(?:ủy|uỷ)"
                    rf"(?:[ ]+(?P<name>{NAME}))?"
                ),
            ),
            (
                "unit",
                compiled(
                    rf"(?<![\w])(?:(?P<body>{_BODIES})[ ]+)?(?P<head>Đảng bộ|Đảng ủy|Đảng uỷ|Chi bộ)[ ]+"
                    rf"(?P<unit>(?:{unit_heads})(?:[ ]+(?:{SYLLABLE}|\d+|{_UNIT_TAIL_WORDS}))*)"
                ),
            ),
            (
                "typed",
                compiled(
                    rf"(?<![\w])(?:(?P<body>{_BODIES})[ ]+)?(?P<head>Đảng bộ|Đảng ủy|Đảng uỷ)[ ]+(?P<type>{_UNIT_TYPES})"
                    rf"(?:[ ]+(?P<name>{NAME}))?"
                ),
            ),
            (
                "cell",
                compiled(
                    rf"(?<![\w])(?P<head>Chi bộ|chi bộ)[ ]+(?P<type>{_VILLAGE_TYPES})[ ]+(?P<name>{NAME})"
                ),
            ),
            (
                "named",
                compiled(
                    rf"(?<![\w])(?:(?P<body>{_BODIES})[ ]+)?(?P<head>Đảng bộ|Đảng ủy|Đảng uỷ)[ ]+(?P<name>{NAME})"
                ),
            ),
            (
                "bare_body",
                compiled(
                    r"(?<![\w])(?P<body>Ban Thường vụ|Ban Tuyên giáo|Ủy ban Kiểm tra|Uỷ ban Kiểm tra)(?![ ]+(?:Tỉnh|Thành|Huyện|Quận|Thị|Đảng|Trung)|\w)"
                ),
            ),
            ("bare", compiled(r"(?<![\w])(?P<head>Đảng ủy|Đảng uỷ|Đảng bộ)(?![\w])")),
        ]

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.match(doc))

    # -- matching -------------------------------------------------------------------------
    def match(self, doc: Doc) -> list[OrgMention]:
        places = list(doc.spans["localities"]) if "localities" in doc.spans else []
        resolver = _PlaceResolver(places)
        found: list[OrgMention] = []
        for how, pattern in self.patterns:
            for m in pattern.finditer(text_of(doc)):
                if any(overlaps((m.start(), m.end()), (o.start, o.end)) for o in found):
                    continue
                mention = getattr(self, f"_{how}")(m, resolver, found)
                if mention is not None:
                    found.append(mention)
        return sorted(found, key=lambda o: o.start)

    def _central(self, m: re.Match[str], _r: _PlaceResolver, _f: list[OrgMention]) -> OrgMention | None:
        if _FOREIGN_PARTY.match(m.string, m.end()):
            return None  # "Bộ Chính trị Đảng Cộng sản Trung Quốc": another country's party
        return OrgMention(m.start(), m.end(), self.central[m.group()], "trung ương", "central")

    def _committee(self, m: re.Match[str], r: _PlaceResolver, _f: list[OrgMention]) -> OrgMention | None:
        committee = f"{m.group('committee')} ủy"
        place_type = _COMMITTEE[m.group("committee")]
        name = _trim(m.group("name"))
        end = m.start("name") + len(name) if name else m.end("committee") + 3
        place = r.named(name, place_type) if name else r.first_of(place_type)
        name = name or (place and attrs(place)["name"])
        label = " ".join(p for p in (m.group("body"), committee, name) if p)
        level = "tỉnh" if place_type == "tỉnh" or (place and attrs(place)["rank"] == 1) else "huyện"
        return OrgMention(m.start(), end, label, level, committee, *_place_ref(place, place_type, name))

    def _unit(self, m: re.Match[str], r: _PlaceResolver, _f: list[OrgMention]) -> OrgMention:
        unit = m.group("unit").strip()
        head = _head(m.group("head"))
        label = " ".join(p for p in (m.group("body"), head, unit) if p)
        place = r.inside(m.start("unit"), m.end())
        level = "chi bộ" if head == "Chi bộ" else "đơn vị"
        return OrgMention(m.start(), m.start("unit") + len(unit), label, level, head, *_place_ref(place))

    def _typed(self, m: re.Match[str], r: _PlaceResolver, _f: list[OrgMention]) -> OrgMention | None:
        place_type = m.group("type")
        name = _trim(m.group("name"))
        place = r.named(name, place_type) if name else r.first_of(place_type)
        if place is None and not name:
            return None
        name = name or attrs(place)["name"]
        end = m.start("name") + len(name) if m.group("name") and _trim(m.group("name")) else m.end("type")
        head = _head(m.group("head"))
        label = " ".join(p for p in (m.group("body"), head, place_type, name) if p)
        rank = attrs(place)["rank"] if place else self.lexicon.type_rank(place_type)
        return OrgMention(
            m.start(), end, label, _LEVEL_BY_RANK.get(rank, "xã"), head, *_place_ref(place, place_type, name)
        )

    def _cell(self, m: re.Match[str], r: _PlaceResolver, _f: list[OrgMention]) -> OrgMention:
        name = _trim(m.group("name")) or m.group("name")
        label = f"Chi bộ {m.group('type')} {name}"
        place = r.named(name, m.group("type"))
        return OrgMention(
            m.start(),
            m.start("name") + len(name),
            label,
            "chi bộ",
            "Chi bộ",
            *_place_ref(place, m.group("type"), name),
        )

    def _named(self, m: re.Match[str], r: _PlaceResolver, _f: list[OrgMention]) -> OrgMention | None:
        name = _trim(m.group("name"))
        place = r.named(name, None) if name else None
        if place is None or attrs(place)["rank"] > 3:
            return None
        head = _head(m.group("head"))
        place_type = attrs(place)["type"]
        label = " ".join(p for p in (m.group("body"), head, place_type, attrs(place)["name"]) if p)
        level = _LEVEL_BY_RANK.get(attrs(place)["rank"], "xã")
        return OrgMention(m.start(), m.start("name") + len(name), label, level, head, *_place_ref(place))

    def _bare_body(self, m: re.Match[str], r: _PlaceResolver, found: list[OrgMention]) -> OrgMention | None:
        main = r.main_unit()
        if main is None:
            return None
        data = attrs(main)
        if data["rank"] == 3:
            label = f"{m.group('body')} Đảng ủy {data['type']} {data['name']}"
        else:
            committee = _TYPE_COMMITTEE.get(data["type"], "Tỉnh ủy" if data["rank"] == 1 else "Huyện ủy")
            label = f"{m.group('body')} {committee} {data['name']}"
        return OrgMention(
            m.start(), m.end(), label, _LEVEL_BY_RANK[data["rank"]], m.group("body"), *_place_ref(main)
        )

    def _bare(self, m: re.Match[str], r: _PlaceResolver, found: list[OrgMention]) -> OrgMention | None:
        head = _head(m.group("head"))
        if head == "Đảng bộ":
            earlier = [
                o for o in found if o.kind == "Đảng bộ" and o.locality and o.level in ("xã", "huyện", "tỉnh")
            ]
            main = r.main_unit()
            same = [o for o in earlier if main is not None and o.locality == main.kb_id_]
            if not same:
                return None
            o = same[0]
            return OrgMention(m.start(), m.end(), o.label, o.level, head, o.locality, o.locality_name)
        commune = r.first_rank(3)
        if commune is None:
            return None
        data = attrs(commune)
        return OrgMention(
            m.start(), m.end(), f"Đảng ủy {data['type']} {data['name']}", "xã", head, *_place_ref(commune)
        )

    # -- annotations ----------------------------------------------------------------------
    def set_annotations(self, doc: Doc, mentions: list[OrgMention]) -> Doc:
        doc.spans["orgs"] = [
            make_span(
                doc,
                o.start,
                o.end,
                "PartyOrg",
                o.key,
                label=o.label,
                level=o.level,
                kind=o.kind,
                locality=o.locality,
                locality_name=o.locality_name,
            )
            for o in mentions
        ]
        return doc


class _PlaceResolver:
    """Answers 'which place is meant' from the article's locality mentions."""

    def __init__(self, places: list[Span]) -> None:
        self.places = sorted(places, key=lambda s: s.start_char)
        self.by_name: dict[str, list[Span]] = {}
        for place in self.places:
            self.by_name.setdefault(match_key(attrs(place)["name"]), []).append(place)

    def named(self, name: str, place_type: str | None) -> Span | None:
        same = self.by_name.get(match_key(name), [])
        if place_type:
            typed = [p for p in same if attrs(p)["type"] == place_type]
            return typed[0] if typed else None
        return min(same, key=lambda p: attrs(p)["rank"], default=None)

    def first_of(self, place_type: str) -> Span | None:
        typed = [p for p in self.places if attrs(p)["type"] == place_type]
        if not typed and place_type == "tỉnh":
            typed = [p for p in self.places if attrs(p)["rank"] == 1]
        return typed[0] if typed else None

    def inside(self, start: int, end: int) -> Span | None:
        """The most local place named within ``[start, end)``."""
        within = [p for p in self.places if start <= p.start_char and p.end_char <= end]
        return max(within, key=lambda p: attrs(p)["rank"], default=None)

    def first_rank(self, rank: int) -> Span | None:
        return next((p for p in self.places if attrs(p)["rank"] == rank), None)

    def main_unit(self) -> Span | None:
        return main_unit(self.places)


def _place_ref(
    place: Span | None, place_type: str | None = None, name: str | None = None
) -> tuple[str | None, str | None]:
    if place is not None:
        return place.kb_id_, attrs(place)["name"]
    if place_type and name:
        return locality_key(place_type, name), name
    return None, None


def _head(head: str) -> str:
    return head.replace("uỷ", "ủy")


_NOT_NAMES = frozenset({"Ủy", "Uỷ", "Ban", "Đảng", "Nhân", "UBND", "HĐND", "Mặt", "Hội", "Đoàn", "Bộ"})


def _trim(name: str | None) -> str:
    return trim_name(name, _NOT_NAMES)


@Language.factory("pkg_orgs", requires=["doc.spans"], assigns=["doc.spans"])
def make_org_recognizer(nlp: Language, name: str) -> OrgRecognizer:
    return OrgRecognizer(nlp, name)
