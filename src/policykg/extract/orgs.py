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

from policykg import keys
from policykg.extract.base import make_span, overlaps, text_of
from policykg.extract.extensions import attrs
from policykg.extract.lexicon import (
    NAME,
    SYLLABLE,
    Lexicon,
    compiled,
    cut_person_tail,
    load,
    place_names,
    starts_with_person,
    trim_name,
)
from policykg.extract.localities import locality_key, main_unit
from policykg.text import UPPER, match_key

# the bodies of a Party committee; crawled text often writes them in lower case ("Ban thường vụ")
_BODIES = (
    r"[Bb]an [Tt]hường vụ|[Bb]an [Cc]hấp hành|[Bb]an [Tt]uyên giáo|[Bb]an [Tt]ổ chức|[Bb]an [Dd]ân vận|[Bb]an [Nn]ội chính"
    r"|Ủy ban [Kk]iểm tra|Uỷ ban [Kk]iểm tra|Thường trực|Thường vụ|Văn phòng"
)
_BODY_NAMES = {
    b.lower(): b
    for b in (
        "Ban Thường vụ",
        "Ban Chấp hành",
        "Ban Tuyên giáo",
        "Ban Tổ chức",
        "Ban Dân vận",
        "Ban Nội chính",
        "Ủy ban Kiểm tra",
        "Uỷ ban Kiểm tra",
        "Thường trực",
        "Thường vụ",
        "Văn phòng",
    )
}


def _body(m: re.Match[str]) -> str | None:
    """The body a match names, written the standard way: "Ban thường vụ" is "Ban Thường vụ"."""
    body = m.group("body")
    return _BODY_NAMES.get(body.lower(), body) if body else None


_TYPE_COMMITTEE = {
    "huyện": "Huyện ủy",
    "quận": "Quận ủy",
    "thị xã": "Thị ủy",
    "thành phố": "Thành ủy",
    "tỉnh": "Tỉnh ủy",
}
_UNIT_TYPES = "|".join(sorted(keys.UNIT_TYPES, key=len, reverse=True))
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
    unit: str | None = None  # the unit a unit's Party body is named after ("Tổng Công ty khí Việt Nam")

    @property
    def key(self) -> str:
        return match_key(self.label)


_UNIT_KINDS = ("Đảng ủy", "Đảng bộ", "Chi bộ")
_GENERIC_BEFORE = re.compile(r"(?:các|Các|những|mỗi|\d+)[ ]*\Z")
_PAIRED_AFTER = re.compile(r"[ ]*(?:,|và|/|hoặc)[ ]*(?:Tỉnh|Thành|Huyện|Quận|Thị)[ ]+(?:ủy|uỷ)(?![ ]+[A-ZĐ])")
_PAIRED_BEFORE = re.compile(r"(?:Tỉnh|Thành|Huyện|Quận|Thị)[ ]+(?:ủy|uỷ)[ ]*(?:,|và|/|hoặc)[ ]*\Z")
_PLURAL_UNITS = re.compile(
    r"(?<![\w])(?:các|những)[ ]+(?:tỉnh|thành phố|huyện|quận|địa phương)(?![\w])[^.;\n]*$"
)
_SITE_BEFORE = re.compile(
    r"(?<![\w])(?:[Kk]hu [Cc]ăn cứ|[Cc]ăn cứ|[Kk]hu [Dd]i tích|[Dd]i tích(?: lịch sử)?|[Nn]hà [Tt]ruyền thống|[Nn]hà lưu niệm)"
    r"(?:[ ]+(?:cách mạng|lịch sử|của))?[ ]*\Z"
)
_POST_BEFORE = re.compile(r"(?:thư|tịch|[Tt]rưởng|[Pp]hó)[ ]*\Z")
_ABBREVIATION_AFTER = re.compile(r"[ ]*\((?P<abbr>[A-ZĐ][A-ZĐ0-9]{1,7})\)")
_MASS_ORG_AFTER = re.compile(r"[ ]+(?:TW[ ]+|T\.Ư[ ]+)?(?:Đoàn|Hội|Công đoàn|MTTQ|Mặt trận|LĐLĐ)(?![\w])")
_FOREIGN_PARTY = re.compile(r"[ ]+(?:của[ ]+)?Đảng[ ]+(?:Cộng sản|Nhân dân|Lao động)[ ]+(?!Việt Nam)[A-ZĐ]")


class OrgRecognizer:
    """Finds Party organisations and resolves unnamed ones against the article's places."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon: Lexicon = load()
        self.central = self.lexicon.data["central_orgs"]
        unit_heads = self.lexicon.alternation("unit_org_heads")
        lower = self.lexicon.alternation("org_name_lowercase")
        commands = self.lexicon.alternation("command_words")
        ministries = self.lexicon.alternation("ministries")
        self.head_abbreviations: dict[str, str] = self.lexicon.data["unit_head_abbreviations"]
        countries = self.lexicon.alternation("party_countries")
        self.foreign_after = compiled(rf"[ ]+(?:của[ ]+)?(?:nước[ ]+)?(?:{countries})(?![\w])")
        # a unit's name: capitalised words, numbers, unit words, and the lower-case second
        # syllables of compounds ("Cao đẳng Công nghệ", "Dầu khí Quốc gia")
        # and abbreviations joined by "-" or "&" ("Sở VH-TT", "Cảnh sát PC&CC")
        unit_name = (
            rf"(?:{unit_heads})(?:[ ]+(?:[A-ZĐ]{{1,6}}(?:[-&][A-ZĐ]{{1,6}})+(?![\w])|(?:TP|Tp)\.[ ]?HCM(?![\w])|{SYLLABLE}|\d+"
            rf"|{_UNIT_TAIL_WORDS}|(?:{lower})(?![\w])))*"
        )
        self.patterns: list[tuple[str, re.Pattern[str]]] = [
            (
                "ministry",
                compiled(
                    rf"(?<![\w])(?:(?P<body>Ban [Cc]án sự [Đđ]ảng|Đảng đoàn|Đảng ủy|Đảng uỷ|Đảng bộ)[ ]+)"
                    rf"(?P<unit>{ministries})(?![\w])"
                ),
            ),
            (
                "command",
                compiled(
                    rf"(?<![\w])(?P<head>Đảng ủy|Đảng uỷ)[ ]*,[ ]*(?:{commands})[ ]+(?P<unit>{unit_name})"
                ),
            ),
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
                    rf"(?P<unit>{unit_name})"
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
                    rf"(?<![\w])(?P<head>Chi bộ|chi bộ)[ ]+(?P<type>{_VILLAGE_TYPES})[ ]+"
                    # "chi bộ ấp Tân Quy 2, xã …": a village's number is part of its name
                    rf"(?P<name>{NAME}(?:[ ]\d{{1,2}}(?=[ ]*(?:[,;.)]|[ ]và[ ]|$)))?)"
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
                    # a department named after another body ("Ban Tuyên giáo LĐLĐ") is not this one
                    rf"(?<![\w])(?P<body>Ban Thường vụ|Ban Tuyên giáo|Ủy ban Kiểm tra|Uỷ ban Kiểm tra)"
                    rf"(?![ ]+[{UPPER}]|[ ]+và[ ]+[{UPPER}]|\w)"
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
                if _SITE_BEFORE.search(m.string, max(0, m.start() - 30), m.start()):
                    continue  # "Khu Căn cứ Tỉnh ủy Cần Thơ": a historic site named after it
                mention = getattr(self, f"_{how}")(m, resolver, found)
                if mention is not None:
                    found.append(mention)
                    if how == "committee":
                        found += _coordinated(mention, m.string, resolver)
        return sorted(found, key=lambda o: o.start)

    def _central(self, m: re.Match[str], _r: _PlaceResolver, _f: list[OrgMention]) -> OrgMention | None:
        if _FOREIGN_PARTY.match(m.string, m.end()) or (
            m.group().endswith("Đảng") and _FOREIGN_PARTY.match(m.string, m.end() - len(" Đảng"))
        ):
            return (
                None  # "Bộ Chính trị (Ban Chấp hành Trung ương) Đảng Cộng sản Trung Quốc": another country's
            )
        if self.foreign_after.match(m.string, m.end()):
            return None  # "Quân ủy Trung ương Trung Quốc": another country's
        if _MASS_ORG_AFTER.match(m.string, m.end()):
            return None  # "Ban Bí thư TW Đoàn", "Ban Chấp hành T.Ư Hội NDVN": a mass organisation's
        if m.string[max(0, m.start() - 1) : m.start()] in ("-", "/") or re.match(
            r"-[A-ZĐ]", m.string[m.end() :]
        ):
            return None  # "3023/QĐ-BCT", "TTLT-BKHCN-BCT-BCA": a ministry in a document's code
        return OrgMention(m.start(), m.end(), self.central[m.group()], "trung ương", "central")

    def _committee(self, m: re.Match[str], r: _PlaceResolver, _f: list[OrgMention]) -> OrgMention | None:
        if re.match(r"[ ]+viên(?![\w])", m.string[m.end("committee") + 3 :]):
            return None  # "Tỉnh ủy viên": a member's title, not the committee
        committee = f"{m.group('committee')} ủy"
        place_type = keys.COMMITTEE_TYPES[m.group("committee")]
        after = m.end("committee") + 3
        place = r.starting_at(after)
        if place is not None and attrs(place)["rank"] <= 2:
            end, name = place.end_char, attrs(place)["name"]
        else:
            place, end = None, after
            name = _trim(m.group("name"))
            if name and m.group("committee") == "Tỉnh" and not starts_with_person(name):
                return None  # "Tỉnh ủy Trùng Khánh": no province of Vietnam, a foreign party's committee
            if name and not starts_with_person(name) and match_key(name) in place_names():
                place, end = r.named(name, place_type), m.start("name") + len(name)
            else:
                name = ""  # "Thành ủy Tất Thành Cang", "Thành ủy TP": no unit the lists know follows
        if not name:
            if _GENERIC_BEFORE.search(m.string, max(0, m.start() - 12), m.start()):
                return None  # "các Tỉnh ủy", "10 Ban Thường vụ Tỉnh ủy": committees in general
            if _PAIRED_AFTER.match(m.string, m.end("committee") + 3) or _PAIRED_BEFORE.search(
                m.string, max(0, m.start() - 16), m.start()
            ):
                return None  # "Phó Bí thư Tỉnh ủy, Thành ủy": a kind of post, no one committee
            if _PLURAL_UNITS.search(m.string, max(0, m.start() - 150), m.start()):
                return None  # "Biên phòng các tỉnh … tham mưu cho Tỉnh ủy": each province's committee
            place = r.context_unit(place_type, m.start())
            if place is None:
                return None  # "Ban Thường vụ Tỉnh ủy" of an article that names several provinces
            name = attrs(place)["name"]
        if match_key(name) == match_key("Hồ Chí Minh"):
            name = "TP Hồ Chí Minh"
        body = _body(m)
        if body in ("Thường trực", "Thường vụ") and _POST_BEFORE.search(
            m.string, max(0, m.start() - 12), m.start()
        ):
            body = None  # "Phó Bí thư Thường trực Huyện ủy": part of a post, not the standing body
        label = " ".join(p for p in (body, committee, name) if p)
        level = "tỉnh" if place_type == "tỉnh" or (place and attrs(place)["rank"] == 1) else "huyện"
        return OrgMention(m.start(), end, label, level, committee, *_place_ref(place, place_type, name))

    def _ministry(self, m: re.Match[str], r: _PlaceResolver, _f: list[OrgMention]) -> OrgMention:
        body = re.sub(r"(?i)^ban cán sự đảng$", "Ban cán sự đảng", m.group("body"))
        label = f"{_head(body)} {m.group('unit')}"
        return OrgMention(m.start(), m.end(), label, "đơn vị", _head(body))

    def _command(self, m: re.Match[str], r: _PlaceResolver, found: list[OrgMention]) -> OrgMention:
        """``Đảng ủy, Bộ Tư lệnh Bộ đội Biên phòng``: the Party committee of that unit."""
        written = m.group("unit").strip()
        unit = _expand(written, m.string, found)
        place = r.inside(m.start("unit"), m.end())
        end = m.start("unit") + len(written)  # the text's span, not the expanded name's length
        return OrgMention(m.start(), end, f"Đảng ủy {unit}", "đơn vị", "Đảng ủy", *_place_ref(place))

    def _unit(self, m: re.Match[str], r: _PlaceResolver, found: list[OrgMention]) -> OrgMention:
        written = m.group("unit").strip()
        head = _head(m.group("head"))
        words = written.split()
        if words[0] in self.head_abbreviations:  # "Đảng ủy TCT": of the Tổng công ty
            words[0] = self.head_abbreviations[words[0]]
        unit = _expand(" ".join(words), m.string, found)
        longer = [
            o.unit
            for o in found
            if o.unit and match_key(o.unit).startswith(match_key(unit) + " ") and o.kind in _UNIT_KINDS
        ]
        if longer:  # "Đảng bộ Tổng Công ty", "Đảng ủy TCT" after "Đảng ủy Tổng Công ty khí Việt Nam"
            unit = longer[0]
        label = " ".join(p for p in (_body(m), head, unit) if p)
        place = r.inside(m.start("unit"), m.end())
        level = "chi bộ" if head == "Chi bộ" else "đơn vị"
        mention = OrgMention(
            m.start(), m.start("unit") + len(written), label, level, head, *_place_ref(place)
        )
        mention.unit = unit
        return mention

    def _typed(self, m: re.Match[str], r: _PlaceResolver, _f: list[OrgMention]) -> OrgMention | None:
        place_type = m.group("type")
        name = cut_person_tail(_trim(m.group("name")))
        placed = r.starting_at(m.start("type")) if name else None
        if (
            placed is not None
            and attrs(placed)["type"] == place_type
            and name.startswith(attrs(placed)["name"] + " ")
        ):
            name = attrs(placed)["name"]  # the place recogniser ended the name: "xã Đắc Pring Kring Giúp"
        if name and place_type in ("xã", "phường", "thị trấn") and starts_with_person(name):
            name = ""  # "Bí thư Đảng ủy xã Đinh Quang Hòa": a person's name follows the unnamed body
        place = r.named(name, place_type) if name else r.first_of(place_type)
        if place is None and not name:
            return None
        end = m.start("name") + len(name) if name else m.end("type")
        if not name and place is not None:
            name = attrs(place)["name"]
        head = _head(m.group("head"))
        label = " ".join(p for p in (_body(m), head, place_type, name) if p)
        rank = attrs(place)["rank"] if place else self.lexicon.type_rank(place_type)
        return OrgMention(
            m.start(), end, label, _LEVEL_BY_RANK.get(rank, "xã"), head, *_place_ref(place, place_type, name)
        )

    def _cell(self, m: re.Match[str], r: _PlaceResolver, _f: list[OrgMention]) -> OrgMention:
        name = cut_person_tail(_trim(m.group("name")) or m.group("name"))
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
        label = " ".join(p for p in (_body(m), head, place_type, attrs(place)["name"]) if p)
        level = _LEVEL_BY_RANK.get(attrs(place)["rank"], "xã")
        return OrgMention(m.start(), m.start("name") + len(name), label, level, head, *_place_ref(place))

    def _bare_body(self, m: re.Match[str], r: _PlaceResolver, found: list[OrgMention]) -> OrgMention | None:
        if re.match(r"[ ]+(?:các|mọi)[ ]+cấp", m.string[m.end() :]):
            return None  # "Ủy ban Kiểm tra các cấp": the bodies of every level, not one
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
                o
                for o in found
                if o.kind == "Đảng bộ"
                and o.label.startswith("Đảng bộ")  # the body itself, not its executive committee
                and o.locality
                and o.level in ("xã", "huyện", "tỉnh")
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

    def starting_at(self, offset: int) -> Span | None:
        """The place whose mention starts at ``offset`` (after one space at most)."""
        return next((p for p in self.places if offset <= p.start_char <= offset + 1), None)

    def context_unit(self, place_type: str, offset: int) -> Span | None:
        """The unit an unnamed committee of ``place_type`` belongs to, when the article makes it plain.

        The same sentence's nearest earlier unit of that type, else the article's only one.
        """
        typed = [p for p in self.places if attrs(p)["type"] == place_type]
        if not typed and place_type == "tỉnh":
            typed = [p for p in self.places if attrs(p)["rank"] == 1]
        if not typed:
            return None
        if len({p.kb_id_ for p in typed}) == 1:
            return typed[0]
        main = self.main_unit()
        if main is not None and main in typed:
            return main
        before = [p for p in typed if p.start_char < offset and offset - p.start_char < 200]
        return before[-1] if before else None

    def inside(self, start: int, end: int) -> Span | None:
        """The most local place named within ``[start, end)``."""
        within = [p for p in self.places if start <= p.start_char and p.end_char <= end]
        return max(within, key=lambda p: attrs(p)["rank"], default=None)

    def first_rank(self, rank: int) -> Span | None:
        return next((p for p in self.places if attrs(p)["rank"] == rank), None)

    def main_unit(self) -> Span | None:
        return main_unit(self.places)


def _coordinated(first: OrgMention, text: str, r: _PlaceResolver) -> list[OrgMention]:
    """The same committee of the places listed after it: "Ban Thường vụ Tỉnh ủy Nam Định, Quảng Nam"
    is also Quảng Nam's; each listed place is a bare name of the same rank as the first."""
    placed = r.starting_at(first.end - len(first.locality_name or "")) if first.locality_name else None
    if placed is None or placed.end_char != first.end:
        return []
    body = first.label[: len(first.label) - len(first.locality_name or "") - len(first.kind) - 1]
    out, end = [], first.end
    while (joint := _LIST_JOINT.match(text, end)) is not None:
        place = r.starting_at(joint.end())
        if (
            place is None
            or place.text != attrs(place)["name"]
            or attrs(place)["rank"] != attrs(placed)["rank"]
            or _PARTY_BODY_AFTER.match(text, place.end_char)
        ):
            break
        name, committee = attrs(place)["name"], _COMMITTEE_OF.get(attrs(place)["type"], first.kind)
        label = f"{body}{committee} {name}"
        out.append(
            OrgMention(place.start_char, place.end_char, label, first.level, committee, *_place_ref(place))
        )
        end = place.end_char
    return out


_COMMITTEE_OF = {place_type: f"{word} ủy" for word, place_type in keys.COMMITTEE_TYPES.items()}
_LIST_JOINT = re.compile(r"[ ]*(?:,|và)[ ]*")
_PARTY_BODY_AFTER = re.compile(r"[ ]*(?:ủy|uỷ)(?![\w])")


def _place_ref(
    place: Span | None, place_type: str | None = None, name: str | None = None
) -> tuple[str | None, str | None]:
    if place is not None:
        return place.kb_id_, attrs(place)["name"]
    if place_type and name:
        return locality_key(place_type, name), name
    return None, None


def _expand(unit: str, text: str, found: list[OrgMention]) -> str:
    """An abbreviation the article defined after an earlier unit ("Bộ đội Biên phòng (BĐBP)")."""
    words = unit.split()
    if not words or not words[-1].isupper():
        return unit
    for o in found:
        m = _ABBREVIATION_AFTER.match(text, o.end)
        if m and m["abbr"] == words[-1]:
            full = o.label.split(" ", 2)[-1] if o.kind in ("Đảng ủy", "Đảng bộ", "Chi bộ") else o.label
            return " ".join([*words[:-1], full]) if len(words) > 1 else full
    return unit


def _head(head: str) -> str:
    return head.replace("uỷ", "ủy")


_NOT_NAMES = frozenset({"Ủy", "Uỷ", "Ban", "Đảng", "Nhân", "UBND", "HĐND", "Mặt", "Hội", "Đoàn", "Bộ"})


def _trim(name: str | None) -> str:
    return trim_name(name, _NOT_NAMES)


@Language.factory("policykg_orgs_v1", requires=["doc.spans"], assigns=["doc.spans"])
def make_org_recognizer(nlp: Language, name: str) -> OrgRecognizer:
    return OrgRecognizer(nlp, name)
