"""People: family name first, found by a cue (``đồng chí``, ``ông``), a post beside the name,
or a common middle name; with ``pkg:position`` as written.

Hồ Chí Minh is never an actor of the events and bylines are authors, not persons.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from policykg.extract.base import char_range, make_span, overlaps, text_of
from policykg.extract.lexicon import SYLLABLE, Lexicon, compiled, load
from policykg.text import LOWER, UPPER, match_key

_MIDDLE_NAMES = {"Văn", "Thị", "A", "Seo", "Sào", "Vần", "Mí"}
_NAME_STOP = {
    "Bí",
    "Phó",
    "Chủ",
    "Trưởng",
    "Ủy",
    "Giám",
    "Hiệu",
    "Huyện",
    "Tỉnh",
    "Đảng",
    "Ban",
    "Thường",
    "Trạm",
    "Chánh",
    "Tổng",
    "Đại",
    "Thượng",
    "Trung",
    "Thiếu",
    "Xã",
    "UBND",
    "HĐND",
    "Hội",
    "Đoàn",
    "Mặt",
    "Công",
    "Chi",
    "Bộ",
    "Nhân",
    "Sở",
    "Phòng",
    "Trường",
    "Viện",
    # words that open a sentence, not given names: "Ảnh: Hoàng Anh Các hình thức …" (a caption run on)
    "Các",
    "Những",
    "Theo",
    "Trong",
    "Tại",
    "Để",
    "Với",
}
# stop words that are also given names: a stop only when the word they start follows
_GIVEN_TOO = {
    "Nhân": (" dân",),
    "Công": (" an",),
    "Trung": (" ương",),
    "Đại": (" hội",),
    "Luật": (" sư",),
    # "Nguyễn Đức Trường", but "… Trường THPT", "… Trường Đại học"
    "Trường": (
        " THPT",
        " THCS",
        " Đại",
        " ĐH",
        " Cao",
        " CĐ",
        " Tiểu",
        " Trung",
        " Mầm",
        " Chính",
        " Quân",
        " Sĩ",
    ),
}
# names of persons that are places: oceans and archipelagos ("Bộ Chỉ huy Thái Bình Dương")
_NOT_PERSONS = {
    "hồ chí minh",
    "bác hồ",
    "thái bình dương",
    "đại tây dương",
    "ấn độ dương",
    "hoàng sa",
    "trường sa",
}
_PLACE_BEFORE = re.compile(
    r"(?:xã|phường|huyện|tỉnh|thôn|bản|xóm|ấp|đường|phố|Trường|trường|TP\.?|thành phố|quận|thị trấn"
    r"|THPT|THCS|trung học phổ thông|trung học cơ sở|tiểu học|ngã tư|ngã ba|[Đđ]ại lộ|[Cc]ầu"
    r"|(?:ngã tư|ngã ba)[ ]+\S+(?:[ ]+\S+){0,3}[ ]*[-–]"
    r"|Thành phố|Quận|Huyện|Tỉnh|Xã|Phường|Đường|Phố|tư tưởng|tấm gương|gương|Bác|Chủ tịch|[Cc]hâu"
    r"|(?:[Cc]ông ty|Cty|TNHH|Tập đoàn|[Dd]oanh nghiệp)(?:[ ]+[A-ZĐ][A-ZĐ&]+)*"  # "công ty TNHH XNK Hoàng Gia Phát"
    r"|\d+(?:/\d+)+|(?:số|số nhà)[ ]+\d+[A-Z]?[ ]*,?"  # "229/20 Bùi Văn Ngữ", "số 12 Lê Lợi": a street
    r"|[Đđ]ịa chỉ[ ]*:)[ ]*\Z"  # "Địa chỉ: Nguyễn Ngọc Nại, Thanh Xuân": a street
)


# an institution named after a person: "Viện bỏng quốc gia Lê Hữu Trác", "Giải thưởng Trần Văn Giàu"
_NAMED_AFTER_A_PERSON = re.compile(
    r"(?<![\w])(?:[Vv]iện|[Bb]ệnh viện|[Hh]ọc viện|[Qq]uỹ|[Gg]iải thưởng|[Tt]rường|[Bb]ảo tàng|[Cc]ung|[Nn]hà văn hóa"
    r"|[Kk]hu di tích|[Cc]ông viên|[Cc]âu lạc bộ)(?![\w])[^,;]*\Z"
)
# looked for at every word, overlaps included: in "Bộ Công Thương Trần Tuấn Anh" the name starts at Trần
_FULL_NAME = re.compile(
    rf"(?<![\w])(?=(?P<full>(?P<family>[{UPPER}][{LOWER}]+)(?:[ ]+[{UPPER}][{LOWER}]*){{2,3}}(?![\w])))"
)
_POSITION_END = re.compile(
    r"[;:\n)\"“”]|(?<!TP)(?<!Tp)\.(?:\s|$|(?=[A-ZĐ]))|\.\.\.|…|,"
)  # "…xã Phú Điền.VĨNH SƠN": a byline; but "TP.HCM" goes on
_VOWEL = re.compile(r"(?i)[aăâeêioôơuưyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")
_SPEECH_VERB = re.compile(
    r"[ ]+(?:thông tin|cho biết|chia sẻ|nói|phát biểu|khẳng định|nhấn mạnh|cho rằng|trao đổi|tâm sự"
    r"|cho hay|bày tỏ|tiết lộ|giải thích|thừa nhận|báo cáo|kể|nhớ lại|nhận định|nhận xét"
    r"|đã|đến dự|tham dự|dự|đến thăm|thăm hỏi|thăm|chủ trì|chỉ đạo|trao|tặng|làm việc|kiểm tra|đánh giá|yêu cầu|đề nghị"
    r"|cũng|đang|sẽ|thì|(?<!và )vừa(?![ ]+và[ ])|lại|trả lời|ngày[ ]+\d+|có mặt|phân tích|tại[ ]+(?:[Ll]ễ|hội nghị|buổi|cuộc)|làm trưởng đoàn|dẫn đầu|vui mừng|phấn khởi|bổ nhiệm|giữ chức|Theo)(?![\w])"
)


_JOINED_SYLLABLE = re.compile(r"[ ]?-[a-z]{1,7}(?![\w-])")  # "Kim In-ryong", "Kim Jong -un"
# a dash before a lower-case word opens a clause after the post: "… LĐLĐ tỉnh Quảng Nam - có mặt …"
_CLAUSE_DASH = re.compile(r"[ ]+[-–][ ]+(?=[a-zđàáảãạăâêôơư])")
# words after which a post may open in the middle of a clause: "Dự lễ có Thủ tướng …"
_POST_OPENS = re.compile(r"(?<![\w])(?:có|gồm|cùng|của|với|là|thay mặt|như|đón)[ ]+\Z")
_PERSON_WORD = re.compile(r"(?<![\w])(?:ông|bà)(?![\w])")


@dataclass
class PersonMention:
    start: int
    end: int
    name: str
    position: str | None


class PersonRecognizer:
    """Finds named people and the post written beside each."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon: Lexicon = load()
        families = "|".join(map(re.escape, sorted(self.lexicon.family_names, key=len, reverse=True)))
        # Kinh and north-western names: family name first; Ê Đê / Gia Rai / M'Nông names start
        # with the gender prefix Y (men) or H' (women) and may run to five syllables.
        self.family_re = compiled(
            rf"(?<![\w])(?:(?:{families})(?:[ ]{SYLLABLE}){{1,3}}"
            rf"|Y(?:[ ]{SYLLABLE}){{1,4}}|H['’]{SYLLABLE}(?:[ ]{SYLLABLE}){{0,3}})(?![\w'’])"
        )
        cues = self.lexicon.alternation("person_cues")
        self.cue_re = compiled(rf"(?:{cues})[ ]*:?[ ]+$")
        heads = self.lexicon.alternation("position_heads")
        self.head_re = compiled(rf"(?:{heads})(?![\w])")
        self.after_re = compiled(r"[ ]*(?:[-–,(:]|là)[ ]*")
        self.countries = frozenset(self.lexicon.data["countries"])  # "Hàn Quốc": Hàn is a family name
        self.families = self.lexicon.family_names

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.match(doc))

    def match(self, doc: Doc) -> list[PersonMention]:
        text = text_of(doc)
        taken = [
            char_range(s)
            for group in ("localities", "orgs", "documents")
            if group in doc.spans
            for s in doc.spans[group]
        ]
        found: list[PersonMention] = []
        for m in self._candidates(text, taken):
            words = m.group().split()
            while len(words) > 1 and words[-1] in _NAME_STOP:
                if words[-1] in _GIVEN_TOO and not text.startswith(_GIVEN_TOO[words[-1]], m.end()):
                    break  # "Nguyễn Thiện Nhân", but "… Nhân dân"
                words.pop()
            if len(words) < 2 and not re.match(r"H['’]", words[0]):
                continue
            if not _VOWEL.search(words[-1]) or (len(words[-1]) == 1 and words[-1].isupper()):
                continue  # "Nguyễn Thị Th.", "Vũ Việt A.": a name shortened to keep the person anonymous
            if len(words) == 2 and words[1] in ("Văn", "Thị"):
                continue  # "Nguyễn Văn": a family and a middle name, the given name cut off
            name = " ".join(words)
            start, end = m.start(), m.start() + len(name)
            joined = _JOINED_SYLLABLE.match(text, end) if name == m.group() else None
            if joined:  # "Kim Jong-un", "Lim Kwan-bin": a given name written with a hyphen
                name, end = name + joined.group().lstrip(), end + len(joined.group())
            before = text[max(0, start - 40) : start]
            if (
                match_key(name) in _NOT_PERSONS
                or name.startswith("Hồ Chí Minh")
                or " ".join(words[:2]) in self.countries  # "Hàn Quốc", "Hàn Quốc Lim Kwan-bin"
            ):
                continue
            if any(overlaps((start, end), t) for t in taken) or _PLACE_BEFORE.search(before):
                continue
            position = self._position_after(text, end) or self._position_before(text, start)
            cue = bool(self.cue_re.search(before))
            listed = bool(found) and re.search(r"[;,:][ ]*\Z", before) and found[-1].end > start - 120
            middle = len(words) > 1 and words[1] in _MIDDLE_NAMES and words[0] != "Y"
            if not (cue or position or middle or listed):
                continue
            found.append(PersonMention(start, end, name, position))
        return found

    def _candidates(self, text: str, taken: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
        """Family-name matches; one that starts inside a place or body is tried again after it:
        in "Thành ủy Hà Nội Ngô Thị Thanh Hằng" the family name Hà starts the place, Ngô the person."""
        pos = 0
        while (m := self.family_re.search(text, pos)) is not None:
            inside = [end for start, end in taken if start <= m.start() < end]
            if inside:
                pos = max(inside)
                continue
            yield m
            pos = m.end()

    def _position_after(self, text: str, end: int) -> str | None:
        """``Name, Phó Bí thư …,`` / ``Name - Bí thư Chi bộ, Trưởng ban …;``."""
        sep = self.after_re.match(text, end)
        if not sep or not self.head_re.match(text, sep.end()):
            return None
        pos = sep.end()
        while True:
            m = _POSITION_END.search(text, pos)
            if m is None:
                return text[sep.end() :].strip() or None
            if m.group() == ",":
                rest = text[m.end() :].lstrip()
                if self.head_re.match(rest) or rest.startswith("thuộc "):
                    pos = m.end()
                    continue
            end = m.start()
            if m.group() == ")" and text.count("(", sep.end(), end) > text.count(")", sep.end(), end):
                end += 1  # "Trưởng khoa Thận nhân tạo (bệnh viện Bạch Mai)": the bracket closes the post
            position = self._before_a_name(
                _CLAUSE_DASH.split(_SPEECH_VERB.split(text[sep.end() : end])[0])[0]
            )
            return position.strip(" -–,") or None

    def _before_a_name(self, position: str) -> str:
        """No position when what follows the name runs into another person's full name ("Bà A,
        Bộ trưởng Bộ LĐTBXH Phạm Thị Hải Chuyền": the post is the next person's): a family name
        and two more capitalised words, not naming a school, a street or a ward ("Trường THPT
        Nguyễn Gia Thiều")."""
        for m in _FULL_NAME.finditer(position):
            before = position[: m.start()]
            if m.group("family") in self.families and not (
                _PLACE_BEFORE.search(before) or _NAMED_AFTER_A_PERSON.search(before)
            ):
                return ""
        return position

    def _position_before(self, text: str, start: int) -> str | None:
        """``Bí thư Huyện ủy Nguyễn Văn A``: a post right before the name."""
        window = text[max(0, start - 90) : start]
        clause = re.split(r"[,;:.()\n]|\bvà\b", window)[-1]
        clause = re.sub(r"^\s*(?:đồng chí|Đồng chí|ông|Ông|bà|Bà)\s+", "", clause)
        for m in self.head_re.finditer(clause):
            if clause[: m.start()].strip() and not _POST_OPENS.search(clause, 0, m.start()):
                continue  # the head word inside another phrase
            post = clause[m.start() :]
            if _SPEECH_VERB.search(post) or _PERSON_WORD.search(post) or self._before_a_name(post) == "":
                continue  # "Thủ tướng Nguyễn Tấn Dũng đã hội đàm với …", "… bổ nhiệm ông A": another's post
            return post.strip() or None
        return None

    def set_annotations(self, doc: Doc, mentions: list[PersonMention]) -> Doc:
        doc.spans["persons"] = [
            make_span(doc, p.start, p.end, "Person", match_key(p.name), name=p.name, position=p.position)
            for p in mentions
        ]
        return doc


@Language.factory("policykg_persons_v1", requires=["doc.spans"], assigns=["doc.spans"])
def make_person_recognizer(nlp: Language, name: str) -> PersonRecognizer:
    return PersonRecognizer(nlp, name)
