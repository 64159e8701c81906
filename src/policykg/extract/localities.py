"""Places: administrative units and settlements, with their type and parent.

A mention is typed (``xã Tà Mung``), implied by a Party committee (``Huyện ủy Sông Mã``
names huyện Sông Mã), a headline's province (``Sơn La: …``), a bare province name, or a
bare repetition of a name already seen.  Parents come from the text first (apposition
``xã A, huyện B``, parentheses ``xã A (B)``, ``thuộc``), then from the article's context
(the only district of an article about a district is the parent of its communes).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from policykg import keys
from policykg.extract.base import make_span, overlaps, text_of
from policykg.extract.extensions import attrs
from policykg.extract.lexicon import (
    NAME,
    Lexicon,
    compiled,
    cut_person_tail,
    end_place_name,
    load,
    place_names,
    starts_with_person,
    trim_name,
)
from policykg.text import is_vietnamese_syllable, match_key

# a facility, a river or a club named after a place is not the place
_FACILITY = (
    r"thủy điện|thuỷ điện|(?:[Bb]áo|Đài)(?:[ ]+[A-ZĐ][A-ZĐ&.-]+)?|Trường|Bệnh viện|Sân vận động|Bảo tàng"
    r"|Công ty(?:[ ]+(?:cổ phần|CP|TNHH(?:[ ]+MTV)?))?|Ngân hàng"
    r"|Nhà hát|Khách sạn|http\S*|www\S*|(?<![\w])(?:[Gg]a|[Ss]ông|[Cc]hợ|[Cc]ảng|[Ss]ân bay|CLB|[Cc]âu lạc bộ"
    r"|[Đđ]ội tuyển|[Đđ]ội bóng|FC|[Qq]uán(?:[ ]+(?:nhậu|ăn|cà phê|cafe|karaoke))?|[Nn]hà hàng|[Mm]ũi"
    r"|[Ss]ông[ ]+\S+[ ]*[-–])"  # "quán nhậu Hòa Bình", "Mũi Cà Mau", "sông Hồng – Thái Bình"
)
_FACILITY_BEFORE = re.compile(rf"(?:{_FACILITY}|\.)[ ]*\Z")  # a province glued to a full stop: page furniture
# a village's number after its name, then the end of the name ("ấp Tân Quy 2, xã …")
_VILLAGE_NUMBER = re.compile(r"(?P<number>[ ]\d{1,2})(?=[ ]*(?:[,;.)]|[ ]và[ ]|$))")
_CLUB_AFTER = re.compile(r"[ ]+(?:FC|F\.C\.)(?![\w])")
_FACILITY_WORD_BEFORE = re.compile(rf"(?:{_FACILITY})[ ]*\Z")
# "tư tưởng, đạo đức HCM": the man, not the city
_THE_MAN_BEFORE = re.compile(
    r"(?:tư tưởng|đạo đức|phong cách|tấm gương|gương|Chủ tịch|Bác|TNCS|Cộng sản|TNTP)[ ,]*\Z"
)
_COMMITTEE_RE = re.compile(rf"(?P<word>Tỉnh|Thành|Huyện|Quận|Thị)[ ]+(?:ủy|uỷ)[ ]+(?P<name>{NAME})")
# "Trung" starts words after a name ("Trung ương", "Trung tá", "Trung tâm"); else it ends the name
_TRUNG_WORD = re.compile(r"[ ]+(?:ương|tá|tướng|úy|uý|tâm|đoàn|đội|học|thu|cấp|bộ)(?![\w])")
_SETTLEMENTS = ("thôn", "ấp", "bản", "xóm", "làng", "khu phố", "tổ dân phố", "buôn", "khóm")
_PARENT_TYPE = {1: None, 2: "tỉnh", 3: "huyện", 4: "xã"}
_NOT_NAMES = frozenset({"Ủy", "Uỷ", "Đảng", "Ban", "Nhân", "Mặt", "Hội", "Đoàn", "Trường", "UBND", "HĐND"})
HCM = "Hồ Chí Minh"
# units the gazetteer lists in full: a name it does not know at these levels is not such a unit


@dataclass
class PlaceMention:
    start: int
    end: int
    name: str
    type: str
    how: str
    parent: tuple[str, str] | None = None  # (type, name)
    parent_source: str | None = None
    parent_stated: bool = False  # this very mention states its parent (apposition, parentheses)

    @property
    def key(self) -> str:
        return locality_key(self.type, self.name)


def locality_key(locality_type: str, name: str) -> str:
    """Canonical key of a place: its type and name, compared after normalisation."""
    return f"{locality_type}|{match_key(name)}"


class LocalityRecognizer:
    """Finds places, their types and the parents the text states or implies."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon: Lexicon = load()
        types = self.lexicon.admin_types
        self.types = types
        self.typed_re = compiled(
            rf"(?<![\w])(?P<type>{'|'.join(re.escape(t) for t in sorted(types, key=len, reverse=True))})"
            # "TP.Sơn La": crawled text drops the space after an abbreviation's full stop
            rf"(?:[ ]+|(?<=\.)(?=[A-ZĐ]))(?P<name>{NAME}|\d{{1,2}}(?![\d/]))"
        )
        self.provinces = self.lexicon.provinces
        self.central_cities = {match_key(c) for c in self.lexicon.words("central_cities")}
        self.stop = _NOT_NAMES | frozenset(self.lexicon.words("name_breakers"))
        # "Bà Rịa - Vũng Tàu", "Bà Rịa– Vũng Tàu", "Bà Rịa-Vũng Tàu": one province, however dashed
        names = [p for k, p in self.provinces.items() if k != match_key("Hồ Chí Minh")]
        forms = {r"[ ]*[-–][ ]*".join(map(re.escape, re.split(r"[ ]*-[ ]*", n))) for n in names}
        self.province_re = compiled(rf"(?<![\w])(?:{'|'.join(sorted(forms, key=len, reverse=True))})(?![\w])")
        self.province_compounds = tuple(self.lexicon.words("province_compounds"))
        self.common_nouns = tuple(self.lexicon.words("capitalised_common_nouns"))
        self.sports_re = compiled(rf"(?<![\w])(?:{self.lexicon.alternation('sports_cues')})(?![\w])")
        self.compounds = {k: frozenset(v) for k, v in self.lexicon.data["type_word_compounds"].items()}
        hcm_forms = sorted(self.lexicon.words("hcm_forms"), key=len, reverse=True)
        # not "VOV-TPHCM", "PV/TP.HCM": an agency's bureau in a byline
        self.hcm_re = compiled(rf"(?<![\w./-])(?:{'|'.join(map(re.escape, hcm_forms))})(?![\w])")
        self.families = self.lexicon.family_names

    def rank(self, mention_type: str, name: str) -> int:
        if mention_type == "thành phố" and match_key(name) in self.central_cities:
            return 1
        return self.lexicon.type_rank(mention_type)

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.match(text_of(doc)))

    # -- matching -------------------------------------------------------------------------
    def match(self, text: str) -> list[PlaceMention]:
        mentions = self._hcm(text)
        mentions += self._typed(text, mentions)
        mentions += self._committees(text, mentions)
        mentions += self._headline(text, mentions)
        if not self._sports(text):  # in sports news a province named alone is a club
            mentions += self._provinces(text, mentions)
        self._text_parents(text, mentions)
        mentions += self._bare(text, mentions)
        mentions.sort(key=lambda m: m.start)
        self._context_parents(mentions)
        return mentions

    def _hcm(self, text: str) -> list[PlaceMention]:
        """``TP.HCM``, ``TPHCM``, ``TP HCM``: Thành phố Hồ Chí Minh (bare "Hồ Chí Minh" is the man)."""
        return [
            PlaceMention(m.start(), m.end(), HCM, "thành phố", "typed")
            for m in self.hcm_re.finditer(text)
            if not _THE_MAN_BEFORE.search(text, max(0, m.start() - 24), m.start())
            and not re.search(r"[-/]TP[ .]?$", text[max(0, m.start() - 4) : m.start()])  # "VOV-TP HCM"
        ]

    def _typed(self, text: str, known: list[PlaceMention]) -> list[PlaceMention]:
        found: list[PlaceMention] = []
        for m in self.typed_re.finditer(text):
            if _covered(m.start(), known):
                continue
            word = m.group("type")
            before = text[max(0, m.start() - 12) : m.start()].split()
            if before and before[-1] in self.compounds.get(word, ()):
                continue  # "nông thôn Mới", "văn bản", "Nhật Bản": a word, not a unit
            if any(text.startswith(n, m.start("name")) for n in self.common_nouns):
                continue  # "bản Tuyên ngôn độc lập": the Declaration, not a village
            place_type = self.types[word]
            province = place_type == "tỉnh" and self.province_re.match(text, m.start("name"))
            # "tỉnh Bà Rịa-Vũng Tàu": a province's whole name, hyphen included
            name = _dashed(province.group()) if province else self._name(m.group("name"), place_type)
            written_name = m.group("name")
            if (
                not province
                and name
                and written_name == f"{name} Trung"
                and place_type in _SETTLEMENTS
                and not _TRUNG_WORD.match(text, m.end("name"))
            ):
                name = written_name  # "ấp Hiệp Trung, xã …": Trung ends the name, it opens no "Trung ương"
            if not name:
                continue
            numbered = _VILLAGE_NUMBER.match(text, m.start("name") + len(name))
            if place_type in _SETTLEMENTS and name == written_name and numbered and not name.isdigit():
                name += numbered.group("number")  # "ấp Tân Quy 2, xã An Phú Tân": the number is its name
            if name.isdigit() and re.match(r"[.,]?\d|[A-Za-z]", text[m.start("name") + len(name) :]):
                continue  # "bản 1.5L Sedan": a version or a measure, not the number of a unit
            if word in ("bản", "Bản") and not all(
                w.isdigit() or is_vietnamese_syllable(w) for w in name.split()
            ):
                continue  # "bản Pop Dance": a version of a song, not a village
            if name == HCM and text[max(0, m.start() - 1) : m.start()] in ("-", "/"):
                continue  # "VOV-TP HCM": an agency's bureau in a byline
            # the name as written ("TP HCM" is named Hồ Chí Minh, but its text is three letters)
            if province:
                written = province.end() - m.start("name")
            else:
                written = (
                    len(name) if text.startswith(name, m.start("name")) else len(m.group("name").split()[0])
                )
            mention = PlaceMention(m.start(), m.start("name") + written, name, place_type, "typed")
            found.append(mention)
            plural = text[max(0, m.start() - 4) : m.start()].endswith(("các ", "Các "))
            if self.rank(place_type, name) == 4 or plural:
                found += self._list_items(text, mention)
        return found

    def _name(self, written: str, place_type: str) -> str:
        """The name of a typed mention, or "" when it cannot be a unit of that type."""
        if written.isdigit():
            return (
                written
                if place_type
                in ("phường", "quận", "khối", "tổ dân phố", "khu phố", "xóm", "thôn", "ấp", "bản")
                else ""
            )
        if place_type == "khối":
            return ""  # "khối DN", "Khối thi đua": only numbered khối are places
        name = end_place_name(written, self.stop)
        if match_key(name) not in place_names():
            name = cut_person_tail(name)  # "Chi bộ thôn Đông Hải Bùi Văn Thành": the secretary follows
        if match_key(name) == "hcm":
            return HCM
        known = match_key(name) in place_names()
        if place_type in keys.UPPER_UNIT_TYPES and not known:
            return ""  # never invent a province, city or district the official lists do not have
        if place_type in ("xã", "phường", "thị trấn") and not known and len(name.split()) < 2:
            return ""
        if place_type in ("xã", "phường", "thị trấn") and not known:
            # "Bí thư Đảng ủy xã Đắc Pring Kring Giúp": a commune the lists know, then a name
            words = name.split()
            prefix = next(
                (n for n in range(len(words) - 1, 1, -1) if match_key(" ".join(words[:n])) in place_names()),
                None,
            )
            if prefix is not None:
                return " ".join(words[:prefix])
        if place_type in ("xã", "phường", "thị trấn") and starts_with_person(name):
            return ""  # "Bí thư Đảng ủy xã Đinh Quang Hòa": the secretary's name, not the commune's
        return name

    def _list_items(self, text: str, first: PlaceMention) -> list[PlaceMention]:
        """``bản Hô Ta, Tà Mung, Đán Tọ`` and ``các xã A, B và C``: one type, several names."""
        items, pos = [], first.end
        item_re = compiled(rf"(?:,[ ]*|[ ]+và[ ]+)(?P<name>{NAME})(?=[ ]*(?:[,;.)]|và[ ]|$))")
        while (m := item_re.match(text, pos)) is not None:
            name = trim_name(m.group("name"), _NOT_NAMES)
            if not name or name.split()[0] in self.types:
                break
            kind = first.type
            if kind == "tỉnh" and match_key(name) in self.central_cities:
                kind = "thành phố"  # "các tỉnh Ninh Bình, Hà Nội": a centrally-run city among provinces
            items.append(PlaceMention(m.start("name"), m.start("name") + len(name), name, kind, "list"))
            pos = m.end("name")
        return items

    def _committees(self, text: str, known: list[PlaceMention]) -> list[PlaceMention]:
        found = []
        for m in _COMMITTEE_RE.finditer(text):
            province = m.group("word") == "Tỉnh" and self.province_re.match(text, m.start("name"))
            # "Tỉnh ủy Bà Rịa - Vũng Tàu": a province's whole name, hyphen included
            name = _dashed(province.group()) if province else end_place_name(m.group("name"), self.stop)
            if match_key(name) in ("tphcm", "hcm"):
                continue  # found as Thành phố Hồ Chí Minh already
            if starts_with_person(name) or match_key(name) not in place_names():
                continue  # "Thành ủy Trần Kim Yến": the committee, then a person's name
            if m.group("word") == "Tỉnh" and match_key(name) not in self.provinces:
                continue  # "Tỉnh ủy Trùng Khánh": a foreign province named like a district of ours
            if name and not _covered(m.start("name"), known):
                found.append(
                    PlaceMention(
                        m.start("name"),
                        province.end() if province else m.start("name") + len(name),
                        name,
                        keys.COMMITTEE_TYPES[m.group("word")],
                        "committee",
                    )
                )
        return found

    def _headline(self, text: str, known: list[PlaceMention]) -> list[PlaceMention]:
        first_line = text.lstrip().split("\n", 1)[0]
        offset = len(text) - len(text.lstrip())
        m = compiled(rf"^(?P<name>{NAME})[ ]*[:–-][ ]").match(first_line)
        if m and match_key(m.group("name")) in self.provinces and not _covered(offset, known):
            central = match_key(m.group("name")) in self.central_cities
            place_type = "thành phố" if central else "tỉnh"
            return [
                PlaceMention(offset, offset + len(m.group("name")), m.group("name"), place_type, "headline")
            ]
        return []

    def _sports(self, text: str) -> bool:
        """Whether ``text`` is sports news: at least 3 sports words, 2 per 1,000 characters."""
        count = len(self.sports_re.findall(text))
        return count >= 3 and count * 1000 >= 2 * len(text)

    def _provinces(self, text: str, known: list[PlaceMention]) -> list[PlaceMention]:
        found = []
        compounds = self.province_compounds
        for m in self.province_re.finditer(text):
            if any(text.startswith(c, m.start()) for c in compounds) or _CLUB_AFTER.match(text, m.end()):
                continue  # "Thái Bình Dương": the Pacific, not Thái Bình; "Hà Nội FC": a club
            if _covered(m.start(), known) or _FACILITY_BEFORE.search(
                text[max(0, m.start() - 30) : m.start()]
            ):
                continue
            before = text[max(0, m.start() - 12) : m.start()].split()
            if before and before[-1] in self.families:
                continue  # "Trương Hòa Bình": a person named after a province
            central = match_key(m.group()) in self.central_cities
            found.append(
                PlaceMention(
                    m.start(), m.end(), _dashed(m.group()), "thành phố" if central else "tỉnh", "province"
                )
            )
        return found

    def _text_parents(self, text: str, mentions: list[PlaceMention]) -> None:
        """Apposition, parentheses and ``thuộc``: the parents the text itself states."""
        ordered = sorted(mentions, key=lambda m: m.start)
        for mention, nxt in itertools.pairwise(ordered):
            between = text[mention.end : nxt.start]
            if re.fullmatch(r"[ ]*(?:,|-|–|\()?[ ]*(?:(?:thuộc|của)[ ]+)?", between) and (
                self.rank(nxt.type, nxt.name) < self.rank(mention.type, mention.name)
            ):
                mention.parent, mention.parent_source = (nxt.type, nxt.name), "text"
                mention.parent_stated = True
        for mention in ordered:
            m = compiled(rf"[ ]*\((?P<name>{NAME})\)").match(text, mention.end)
            if mention.parent or not m:
                continue
            parent_type = _PARENT_TYPE[self.rank(mention.type, mention.name)]
            same = [
                k
                for k in mentions
                if match_key(k.name) == match_key(m.group("name"))
                and self.rank(k.type, k.name) < self.rank(mention.type, mention.name)
            ]
            if same:
                parent_type = same[0].type
            if parent_type:
                mention.parent, mention.parent_source = (parent_type, m.group("name")), "text"
                mention.parent_stated = True
                mentions.append(
                    PlaceMention(m.start("name"), m.end("name"), m.group("name"), parent_type, "parenthesis")
                )

    def _bare(self, text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """Later bare uses of a name already typed in the article (``Hạnh Sơn tổ chức …``)."""
        by_name: dict[str, PlaceMention] = {}
        for mention in sorted(mentions, key=lambda m: self.rank(m.type, m.name)):
            # a numbered unit ("phường 10") is never named by its bare number: "10 hộ" is a count
            if (
                self.rank(mention.type, mention.name) <= 3
                and mention.name != HCM
                and not mention.name.isdigit()
            ):
                by_name.setdefault(mention.name, mention)
        if not by_name:
            return []
        pattern = re.compile(  # names of this article only: not for the shared cache
            rf"(?<![\w])(?:{'|'.join(map(re.escape, sorted(by_name, key=len, reverse=True)))})(?![\w])"
        )
        spans = [(m.start, m.end) for m in mentions]
        found = []
        compounds = self.province_compounds
        for m in pattern.finditer(text):
            if any(overlaps((m.start(), m.end()), s) for s in spans):
                continue
            if any(text.startswith(c, m.start()) for c in compounds) or _CLUB_AFTER.match(text, m.end()):
                continue
            before = text[max(0, m.start() - 30) : m.start()]
            if compiled(r"(?:THCS|THPT|Trạm)[ ]*\Z").search(before) or _FACILITY_WORD_BEFORE.search(before):
                continue  # a school, a station, a river or a club named after the place
            ref = by_name[m.group()]
            found.append(PlaceMention(m.start(), m.end(), ref.name, ref.type, "bare"))
        return found

    def _context_parents(self, mentions: list[PlaceMention]) -> None:
        """Give a parent from context where exactly one unit of the level above is named."""
        by_rank: dict[int, dict[str, PlaceMention]] = {}
        for m in mentions:
            by_rank.setdefault(self.rank(m.type, m.name), {}).setdefault(m.key, m)
        explicit = {m.key: m.parent for m in mentions if m.parent}
        for m in mentions:
            if m.key in explicit:
                m.parent, m.parent_source = explicit[m.key], "text"
                continue
            rank = self.rank(m.type, m.name)
            above = by_rank.get(rank - 1, {}) if rank > 1 else {}
            if len(above) == 1:
                parent = next(iter(above.values()))
                m.parent, m.parent_source = (parent.type, parent.name), "context"

    # -- annotations ----------------------------------------------------------------------
    def set_annotations(self, doc: Doc, mentions: list[PlaceMention]) -> Doc:
        spans = []
        for m in mentions:
            parent = locality_key(*m.parent) if m.parent else None
            spans.append(
                make_span(
                    doc,
                    m.start,
                    m.end,
                    "Locality",
                    m.key,
                    name=m.name,
                    type=m.type,
                    how=m.how,
                    parent=parent,
                    parent_source=m.parent_source,
                    parent_stated=m.parent_stated,
                    rank=self.rank(m.type, m.name),
                )
            )
        doc.spans["localities"] = spans
        return doc


def main_unit(places: list[Span]) -> Span | None:
    """The article's own unit: the most local one its headline names, else the first named."""
    admin = sorted((p for p in places if attrs(p)["rank"] <= 3), key=lambda p: p.start_char)
    if not admin:
        return None
    title_end = text_of(admin[0].doc).find("\n")
    in_title = [p for p in admin if title_end < 0 or p.start_char < title_end]
    if in_title:
        return max(in_title, key=lambda p: (attrs(p)["rank"], -p.start_char))
    return admin[0]


def _dashed(name: str) -> str:
    """A province's name with its dash written one way: "Bà Rịa– Vũng Tàu" is "Bà Rịa - Vũng Tàu"."""
    return re.sub(r"[ ]*[-–][ ]*", " - ", name) if re.search(r"[ ][-–]|[-–][ ]|–", name) else name


def _covered(offset: int, mentions: list[PlaceMention]) -> bool:
    return any(m.start <= offset < m.end for m in mentions)


@Language.factory("policykg_localities_v1", requires=["token.is_sent_start"], assigns=["doc.spans"])
def make_locality_recognizer(nlp: Language, name: str) -> LocalityRecognizer:
    return LocalityRecognizer(nlp, name)
