"""Achievements: completed, countable results, one per (quantity, unit).

Results are looked for only in an article that reports political work: Party, mass-organisation
or emulation words (``political_work_cues``) at least ``POLITICAL_WORK_DENSITY`` per 1,000
characters. Elsewhere (land disputes, markets, crime, history) figures describe, they do not
report what a Party body achieved.

A number followed by a unit of the lexicon is a candidate.  It is dropped when its
clause states a target, plan, baseline or deficit, when it is a breakdown (``trong đó``),
a rate per unit (``mỗi``), a range, or a percentage derived from a count just before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from policykg.extract.base import (
    char_range,
    make_span,
    overlaps,
    paragraph_at,
    sentence_at,
    sentences,
    text_of,
)
from policykg.extract.lexicon import NUMBER, Lexicon, compiled, load
from policykg.text import parse_number

_UNIT_ALIASES = {"đ/c": "đồng chí", "hecta": "ha", "héc-ta": "ha", "tin, bài": "tin bài"}
_CLAUSE_BREAK = re.compile(r"[,;:.()\n]|\bnhưng\b|\bsong\b|\btuy nhiên\b|\bvà\b(?=[ ]+(?:đã|được))")
_YEAR_RE = re.compile(r"(?<![\w])[Nn]ăm[ ]+(?P<y>(?:19|20)\d{2})(?P<range>[ ]*[-–][ ]*(?:19|20)\d{2})?(?!\d)")
_FUTURE_YEAR = re.compile(r"(?:mục tiêu|phấn đấu|đến|vào|tới|kế hoạch|giai đoạn|nhiệm kỳ)[ ]*\Z")
_RANK_RE = re.compile(r"(?:vị trí|xếp|đứng)[ ]+thứ[ ]+(?P<num>\d{1,3})(?!\d)")
_TARGET_LEAD = re.compile(
    r"(?i)[ \"“(-]*(?:phấn đấu|mục tiêu|chỉ tiêu|dự kiến|định hướng|kế hoạch|đề nghị|đề xuất|kiến nghị"
    r"|để thực hiện|để đạt)(?![\w])"
)
# words between a verb and its figure: "xóa được hơn 30 hộ", "tặng cho gần 100 hộ"
_QUANTIFIERS = r"(?:hơn|gần|trên|khoảng|được|cho|tổng cộng|tổng số|thêm|mới|tới|đến|lên|xuống|còn|chỉ)"
# a figure that continues a list of results: "796 tổ chức đảng, 1.256 đảng viên", "28 tập thể và 35 cá nhân"
_LIST_GAP = re.compile(
    r"(?:[ ]*[^\W\d]+){0,4}?[ ]*[,;]?[ ]*(?:và|cùng)?[ ]*(?:[^\W\d]+[ ]+){0,3}?(?:hơn|gần|trên|khoảng)?[ ]*"
)
_WITH = re.compile(r"(?<![\w])với(?![\w])")
# "đứng thứ 5 từ trái sang": a place in a photo, not a rank
_PHOTO_PLACE = re.compile(r"[ ]*(?:từ[ ]+(?:trái|phải)|hàng[ ]+(?:đầu|trước|sau))")
_WITH_BEFORE = re.compile(r"(?<![\w])với[ ]+(?:hơn[ ]+|gần[ ]+|trên[ ]+|khoảng[ ]+)?\Z")
_MEETING_HELD = re.compile(
    r"(?i)(?<![\w])(?:đại hội|hội nghị|lễ|buổi lễ)(?![\w])[^.;]*?(?:diễn ra|khai mạc|được tổ chức)"
)
_PROPOSED = re.compile(r"(?<![\w])(?:đề nghị|đề xuất|kiến nghị)(?![\w])")
# a body that lays down a rule: "Bộ Chính trị quy định kiểm tra tài sản khoảng 1.000 cán bộ"
_RULE_GOVERNS = re.compile(
    r"(?:Bộ Chính trị|Ban Bí thư|Trung ương|Chính phủ|Quốc hội|Thủ tướng|Bộ [A-ZĐ]\w*)[ ]+"
    r"(?:đã[ ]+|vừa[ ]+|mới[ ]+)?(?:ban hành[ ]+)?quy định(?![\w])"
)
# a name that is the object, the owner or the giver, not the subject
_OBJECT_BEFORE = re.compile(r"(?<![\w])(?:của|được|bởi|cho|với|tại|ở|từ|thuộc|và|tặng|trao)[ ]*\Z")
_HELD_NOW = re.compile(r"(?<![\w])(?:hiện có|hiện nay có|hiện đang có)(?![\w])")
_ATTENDING_LEAD = re.compile(
    r"(?i)[ \"“(-]*(?:tham dự|đến dự|dự)[ ]+(?:hội thảo|lễ hội|lễ|buổi lễ|chương trình|hội chợ|triển lãm|buổi gặp mặt)(?![\w])"
)
_NOW_LEAD = re.compile(r"(?i)[ \"“(-]*hiện(?:[ ]+nay|[ ]+tại)?(?![\w])")
_HAS = re.compile(r"(?<![\w])có(?![\w])")
_DONE = re.compile(r"(?<![\w])(?:đã|được|vừa|đạt)(?![\w])")
_REGULATION_SCOPE = re.compile(
    r"(?<![\w])(?<!giá )(?<!đúng )(?<!theo )(?:quy định|Quy định)[ ]+(?:này|mới|của|về|việc)(?![\w])|(?<![\w])(?:điều chỉnh|áp dụng)[ ]+bởi(?![\w])"
)
# "6 nhóm nhiệm vụ, giải pháp", "3 nhóm giải pháp": what a document sets out, not a result
_CONTENT_AFTER = re.compile(r"[ ]+(?:nhiệm vụ|giải pháp|nội dung|quan điểm|mục tiêu|vấn đề)(?![\w])")
_VISITORS_AFTER = re.compile(r"[ ]+(?:du khách|khách|khách du lịch|người xem)(?![\w])")
# money saved or earned by the unit's work is a result whatever it was spent on
_SAVED = re.compile(r"(?i)(?<![\w])(?:tiết kiệm|làm lợi)(?![\w])")
_HYPOTHETICAL = re.compile(r"(?i)[ \"“(]*(?:nếu|khi|giả sử)(?![\w])")
_ATTENDANCE_BEFORE = re.compile(r"sự[ ]+(?:tham dự|tham gia|có mặt)[ ]+của[ ]*(?:hơn|gần|trên|khoảng)?[ ]*\Z")
# "tài sản của 1.000 cán bộ", "kiểm tra tại 7 doanh nghiệp": whose or where, not what was done
_OF_OR_AT_BEFORE = re.compile(r"(?<![\w])(?:của|tại)[ ]+(?:hơn[ ]+|gần[ ]+|trên[ ]+|khoảng[ ]+)?\Z")
_FOUNDED = re.compile(r"(?i)(?<![\w])(?:thành lập|ra mắt)(?![\w])")
_MEMBERS = frozenset({"đoàn viên", "hội viên", "đảng viên", "thành viên", "công nhân", "lao động"})
_HISTORY_YEARS = 10  # a result dated more than this many years before the article is history
_POSITIVE = re.compile(r"xóa|xoá|hỗ trợ|xây|làm mới|sửa chữa|bàn giao|thoát|giúp|tặng|trao")


POLITICAL_WORK_DENSITY = 4.0  # cue words per 1,000 characters
_POLITICAL_WORK_MIN = 8  # and at least this many in a short article


# number words read as figures before member units ("kỷ luật chín đảng viên"); "năm" is left
# out, it is far more often "year"
_NUMBER_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}


def _quantity(raw: str) -> Decimal:
    word = _NUMBER_WORDS.get(raw.lower())
    return Decimal(word) if word is not None else parse_number(raw)


@dataclass
class AchievementMention:
    start: int
    end: int
    quantity: Decimal
    unit: str
    year: int | None  # the year its paragraph is about, to tell history and targets
    text: str
    stated_year: int | None = None  # the year the text gives the result, if it plainly does


class AchievementRecognizer:
    """Finds reported results with a figure and a unit."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon: Lexicon = load()
        units = self.lexicon.alternation("achievement_units")
        excluded = self.lexicon.alternation("counting_excluded_units")
        members = self.lexicon.alternation("member_units")
        self.candidate_re = compiled(
            rf"(?<![\w/.,])(?P<num>{NUMBER}|(?:{'|'.join(_NUMBER_WORDS)})(?=[ ]+(?:{members})(?![\w])))"
            rf"(?:/(?P<of>\d[\d.]*))?[ ]*"
            rf"(?:(?P<excluded>(?:{excluded})(?![\w]))|(?P<member>(?:{members})(?![\w]))"
            rf"|(?P<unit>(?:{units}))(?P<per>(?:/(?:người|năm|tháng|hộ|ha|ngày|con))*)(?![\w]))"
        )
        self.target_re = compiled(rf"(?i)(?<![\w])(?:{self.lexicon.alternation('target_cues')})(?![\w])")
        self.member_verbs = compiled(rf"(?i)(?:{self.lexicon.alternation('member_gain_verbs')})")
        self.deficit_re = compiled(rf"^[ \w,]{{0,12}}(?:{self.lexicon.alternation('deficit_cues')})")
        self.occasion_units = set(self.lexicon.words("occasion_units"))
        self.activity_re = compiled(rf"(?:{self.lexicon.alternation('activity_nouns')})[ ]*\Z")
        self.result_re = compiled(rf"(?i)(?<![\w])(?:{self.lexicon.alternation('result_verbs')})(?![\w])")
        adjacent = self.lexicon.alternation("result_verbs_adjacent")
        self.adjacent_re = compiled(rf"(?i)(?<![\w])(?:{adjacent})(?:[ ]+{_QUANTIFIERS})*[ ]*\Z")
        self.after_re = compiled(
            rf"(?i)(?<![\w])(?:{self.lexicon.alternation('result_after_cues')})(?![\w])"
            rf"|(?<![\w])(?:đã|được|đều)[ ]+(?:\w+[ ]+){{0,4}}?(?:{self.lexicon.alternation('result_verbs')})(?![\w])"
        )
        self.people_units = frozenset(("đồng chí", "đ/c", "cán bộ", "người", "đảng viên", "cá nhân", "lượt"))
        self.crime_re = compiled(rf"(?i)(?<![\w])(?:{self.lexicon.alternation('crime_cues')})(?![\w])")
        self.baseline_re = compiled(rf"(?i)(?<![\w])(?:{self.lexicon.alternation('baseline_cues')})(?![\w])")
        self.money_units = frozenset(self.lexicon.words("money_units"))
        # "chống lãng phí" fights waste, "giá trị" is a value, not a price
        self.money_not_result = compiled(
            rf"(?i)(?<![\w])(?<!chống )(?:{self.lexicon.alternation('money_not_result')})(?![\w])(?![ ]+trị)"
        )
        self.misconduct_re = compiled(
            rf"(?i)(?<![\w])(?:{self.lexicon.alternation('misconduct_cues')})(?![\w])"
        )
        self.state_agency_re = compiled(
            rf"(?<![\w])(?:{self.lexicon.alternation('state_agency_subjects')})(?![\w])"
        )
        self.state_finance_re = compiled(
            rf"(?i)(?<![\w])(?:{self.lexicon.alternation('state_finance_cues')})(?![\w])"
        )
        self.percent_cues = compiled(
            rf"(?i)(?<![\w])(?:{self.lexicon.alternation('percent_result_cues')})(?![\w])"
        )

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.match(doc))

    def match(self, doc: Doc) -> list[AchievementMention]:
        text = text_of(doc)
        sents = sentences(doc)
        taken = [char_range(s) for s in doc.spans["documents"]] if "documents" in doc.spans else []
        found: list[AchievementMention] = []
        if not reports_political_work(text):
            return found
        names = [
            char_range(s) for group in ("orgs", "bodies") if group in doc.spans for s in doc.spans[group]
        ]
        year = doc._.article_year
        # a headline sums up what the body reports with its actor, or announces ("Kiểm tra tài sản
        # 1.000 cán bộ cấp cao"): its figures are not results on their own
        title_end = max(0, text.find("\n"))
        for m in self.candidate_re.finditer(text, title_end):
            if m.group("excluded") or any(overlaps((m.start(), m.end()), t) for t in taken):
                continue
            unit = m.group("member") or m.group("unit")
            if not self._keep(text, m, unit, sents, found, names):
                continue
            unit = _UNIT_ALIASES.get(unit, unit) + (m.group("per") or "")
            activity = self.activity_re.search(text, max(0, m.start() - 20), m.start())
            if unit == "cuộc" and activity:
                unit = f"cuộc {activity.group(0).strip()}"  # "kiểm tra 3 cuộc" = 3 cuộc kiểm tra
            mention = self._mention(text, m.start(), m.end(), m.group("num"), unit, sents)
            if year and mention.year and mention.year > year:
                continue  # a result dated after the article is a target
            if year and mention.year and mention.year < year - _HISTORY_YEARS:
                continue  # a historical fact ("năm 1963, huyện có 12.000 người"), not a report
            found.append(mention)
        for m in _RANK_RE.finditer(text, title_end):
            if not self._is_target(text, m.start(), sents) and not (
                _PHOTO_PLACE.match(text, m.end()) or text[max(0, m.start() - 1) : m.start()] == "("
            ):  # "(đứng thứ 5)", "đứng thứ 5 từ trái sang": a place in a photo
                found.append(self._mention(text, m.start(), m.end(), m.group("num"), "thứ hạng", sents))
        return sorted(found, key=lambda a: a.start)

    def _keep(
        self,
        text: str,
        m: re.Match[str],
        unit: str,
        sents: list[tuple[int, int]],
        found: list[AchievementMention],
        names: list[tuple[int, int]],
    ) -> bool:
        start = m.start()
        before = text[max(0, start - 12) : start]
        after = text[m.end() : m.end() + 40]
        if re.search(r"(?<!tổng )(?:số|thứ|lần|khóa|khoá|đợt|tháng|ngày|Điều|điều|mục)[ ]*\Z", before):
            return False  # an ordinal or identifier ("số 13", "lần thứ 2"), but "tổng số 266 lớp" counts
        if unit in self.occasion_units and _quantity(m.group("num")) == 1 and not m.group("of"):
            return False  # the one meeting an event is held at is the occasion, not a result
        if re.match(r"^[ ]*(?:[-–]|đến)[ ]*\d", text[m.end("num") :]) or re.search(
            r"\d[ ]*(?:[-–]|đến)[ ]*\Z", before
        ):
            return False  # a range
        if re.match(r"/[ ]*[^\W\d]", text[m.end() :]):
            return False  # a rate per what the lexicon does not list: "30 triệu đồng/sào", "1.700đồng/CP"
        if (
            m.group("of")
            and re.match(r"^\d{1,2}/\d{1,2}(?:/|[ ]+năm)", text[start:])
            and int(m.group("of").split(".")[0]) <= 12
        ):
            return False  # a date such as 12/12/1953 or 30/3 năm 2015
        clause = self._clause(text, start, sents)
        sentence = text[sentence_at(sents, start)[0] : start]
        if self.target_re.search(clause):
            return False  # a target, plan, baseline, excess or rate per unit
        if _TARGET_LEAD.match(text, sentence_at(sents, start)[0]):
            return False  # "Phấn đấu đến năm 2025, 100% khu phố …": the whole sentence is a target
        if "trong đó" in sentence.lower():
            return False  # a breakdown of a total given before
        if m.group("member") and not (self.member_verbs.search(clause) or _continues(text, m, sents, found)):
            return False
        s_start, s_end = sentence_at(sents, start)
        if self.crime_re.search(text, s_start, s_end):
            return False  # "3.000 vụ trộm cắp điện", "xây dựng trái phép": a case's details
        if (
            unit in self.money_units
            and not _SAVED.search(clause)
            and (self.money_not_result.search(clause) or self.misconduct_re.search(text, s_start, start))
        ):
            return False  # a debt, cost, price, budget, loss or crime, or the sum of a wrongdoing found
        if self.state_finance_re.search(text, s_start, start) or self._by_state_agency(
            names, text, s_start, start
        ):
            return False  # "tổng thu nội địa đạt 101,74% dự toán", "Phòng Cảnh sát PCCC … tổ chức 20 buổi": state work
        if not self._reports_result(text, m, sents, found):
            return False  # no word reports a result: a description, a measure or a baseline
        if m.group("member") and re.search(r"đối với[ ]*\Z", text[max(0, start - 12) : start]):
            return False  # "3 cuộc đối với 10 tổ chức đảng": what was inspected, counted with the inspections
        after_clause = _CLAUSE_BREAK.split(text[m.end() : m.end() + 60])[0]
        if unit == "%" and not (self.percent_cues.search(clause) or self.percent_cues.search(after_clause)):
            return False  # a share that describes, not a rate reached
        if unit == "năm" and not re.match(r"^[ ]*:", after):
            return False  # "(3 năm: 2015, 2016, 2017)", but not "5 năm liền", a duration
        if re.match(r"^[^;.]{0,60}?(?<![\w])sẽ(?![\w])", text[m.end() : m.end() + 70]):
            return False  # "khoảng 1.000 cán bộ thuộc diện Bộ Chính trị, Ban Bí thư quản lý sẽ được kiểm tra"
        if re.search(r"(?<![\w])sẽ(?![\w])(?!.*(?<![\w])(?:đã|vừa)(?![\w]))", sentence):
            return False  # "đoàn viên cũng sẽ tham gia xây dựng … 2.000 …": the future
        if re.search(
            r"(?<![\w])đại diện cho[ ]+(?:hơn[ ]+|gần[ ]+|trên[ ]+)?\Z", text[max(0, start - 20) : start]
        ):
            return False  # "100 đoàn viên đại diện cho 217 đoàn viên": how many there are
        if re.search(r"(?<![\w])[Tt]ừ[ ]+(?:hơn[ ]+|gần[ ]+|trên[ ]+|khoảng[ ]+)?\Z", before):
            return False  # "Từ 40 đoàn viên khi thành lập, …", "tăng từ 40 lên 120": the baseline
        if _HELD_NOW.search(_CLAUSE_BREAK.split(text[m.end() : m.end() + 60])[0]) and not _DONE.search(
            text, s_start, start
        ):
            return False  # "trong tổng số gần 900 triệu đồng Quỹ … của phường hiện có": what there is
        if _ATTENDING_LEAD.match(text, s_start):
            return False  # "Tham dự hội thảo có khoảng 40 DN …": who came to an event
        if (
            _NOW_LEAD.match(text, s_start)
            and _HAS.search(text, s_start, start)
            and not _DONE.search(text, s_start, start)
        ):
            return False  # "Hiện hội có 265 hội viên đơn vị và hơn 200 hội viên": what there is now
        if _HYPOTHETICAL.match(text, s_start) and re.search(r"(?<![\w])thì(?![\w])", text[m.end() : s_end]):
            return False  # "Khi Bộ Chính trị đã kiểm tra … 1.000 cán bộ thì …": a supposition
        if re.match(r"[ ]*(?:trở lên|trở xuống)", after):
            return False  # "doanh nghiệp từ 10 công nhân trở lên": a threshold
        if unit == "tổ" and after.startswith(" chức"):
            return False  # "1.279 tổ chức và cá nhân"
        if _ATTENDANCE_BEFORE.search(text, max(0, start - 40), start):
            return False  # "với sự tham dự của hơn 100 đoàn viên": who came to a meeting
        if _OF_OR_AT_BEFORE.search(text, max(0, start - 16), start):
            return False
        if (
            unit in _MEMBERS
            and _WITH_BEFORE.search(text, max(0, start - 14), start)
            and _FOUNDED.search(text, s_start, start)
        ):
            return False  # "thành lập 81 CĐCS với 2.500 đoàn viên": the members a new unit starts with
        if _WITH_BEFORE.search(text, max(0, start - 14), start) and _MEETING_HELD.search(
            text, s_start, start
        ):
            return False  # "Đại hội CĐ … đã diễn ra ngày 9-7 với 120 đoàn viên tham gia": who came
        since_semicolon = text[max(s_start, text.rfind(";", s_start, start) + 1) : start]
        if _REGULATION_SCOPE.search(text, s_start, start) or _REGULATION_SCOPE.search(
            _CLAUSE_BREAK.split(text[m.end() : m.end() + 80])[0]
        ):
            return False  # "quy định … về kiểm tra tài sản của 1.000 cán bộ": whom a rule covers
        if unit == "lượt" and _VISITORS_AFTER.match(text, m.end()):
            return False  # "đón gần 1.000 lượt du khách": visitors, not a result
        if unit == "nhóm" and _CONTENT_AFTER.match(text, m.end()):
            return False
        if _PROPOSED.search(since_semicolon) or _RULE_GOVERNS.search(text, s_start, start):
            return False  # "đề nghị … thi hành kỷ luật 1 tổ chức đảng", "quy định kiểm tra … 1.000 cán bộ"
        heading = text[s_start:start].split(":")[0] if ":" in text[s_start:start] else ""
        if heading and self.baseline_re.search(heading):
            return False  # "Cơ cấu Giải gồm: 1 giải Đặc biệt, 5 giải A …": a structure, not results
        if re.match(r"^[^,;.]{0,25}?(?<![\w])(?:không|chưa|thấp hơn)(?![\w])", after):
            return False  # "gần 40% phương tiện không truyền dữ liệu": a deficit
        if re.match(r"^[^;.]{0,40}?(?<![\w])so với(?![\w])", after) and re.search(
            r"(?<![\w])(?:tăng|giảm)[ ]*(?:hơn|gần|trên)?[ ]*\Z", text[max(0, start - 15) : start]
        ):
            return False  # "tăng 13 giải so với năm học trước": a change against a baseline, not a count
        if unit in ("hộ", "nhà", "căn nhà") and self.deficit_re.match(after) and not _POSITIVE.search(clause):
            return False
        if unit == "%" and re.search(r"đạt[ ]*(?:trên|gần|hơn)?[ ]*\Z", clause):
            sentence_start = sentence_at(sents, start)[0]
            if any(a.start >= sentence_start for a in found):
                return False  # a participation rate derived from the count just before
        return True

    def _by_state_agency(self, names: list[tuple[int, int]], text: str, s_start: int, start: int) -> bool:
        """Whether the clause of a figure is led by a state agency with no Party organisation or
        body named after it: "Phòng Cảnh sát PCCC TP Vĩnh Yên đã tổ chức 20 buổi tập huấn"."""
        agency = None
        for m in self.state_agency_re.finditer(text, s_start, start):
            if not _OBJECT_BEFORE.search(text, max(s_start, m.start() - 12), m.start()):
                agency = m
        if agency is None:
            return False
        return not any(agency.end() < name_start < start for name_start, _ in names)

    def _reports_result(
        self, text: str, m: re.Match[str], sents: list[tuple[int, int]], found: list[AchievementMention]
    ) -> bool:
        """Whether a word reports the figure as a result: a result verb governing it ("tặng 50
        vé", "xóa được 30 hộ"), a change word right before it ("đạt 315 ha", "còn 7,7%"), a result
        stated after it ("3 tập thể được biểu dương"), or the figure continuing a list of results
        ("kiểm tra 796 tổ chức đảng, 1.256 đảng viên"). A clause that describes (population, area,
        average income) reports nothing unless a change word stands right before the figure.
        """
        s_start, _ = sentence_at(sents, m.start())
        if _continues(text, m, sents, found):
            return True
        if m.group("of") and m.group("member") is None and m.group("unit") in self.people_units:
            return True  # "78/89 đồng chí": a share of those expected who took part
        segments = re.split(r"[,;:(]", text[s_start : m.start()])
        segment = segments[-1]
        governing = " ".join(segment.split()[-6:])
        if _WITH.search(segment):
            # "phát triển nghề nuôi cá, với 84 lồng cá", "triển khai … với tổng số 266 lớp":
            # the figure measures what the verb before "với" did
            governing = segment if segment.strip()[:3] != "với" else text[s_start : m.start()]
        elif not segment.strip() and len(segments) >= 2:
            governing = segments[-2]  # "(3 năm: …)": the figure explains what came before
        adjacent = bool(self.adjacent_re.search(segment))
        if self.baseline_re.search(segment) and not adjacent:
            return False
        if adjacent or self.result_re.search(governing):
            return True
        after = re.split(r"[;:.\n]", text[m.end() : m.end() + 70])[0]
        if self.after_re.search(after):
            return True
        return bool(self.percent_cues.search(_CLAUSE_BREAK.split(after)[0]))

    def _is_target(self, text: str, start: int, sents: list[tuple[int, int]]) -> bool:
        return bool(
            re.search(r"\b(?:chỉ tiêu|phấn đấu|mục tiêu|kế hoạch)\b", self._clause(text, start, sents))
        )

    @staticmethod
    def _clause(text: str, start: int, sents: list[tuple[int, int]]) -> str:
        sentence_start = sentence_at(sents, start)[0]
        window = text[sentence_start:start]
        return _CLAUSE_BREAK.split(window)[-1]

    def _mention(
        self, text: str, start: int, end: int, raw: str, unit: str, sents: list[tuple[int, int]]
    ) -> AchievementMention:
        s_start, s_end = sentence_at(sents, start)
        breaks = [m.end() for m in re.finditer(r"[;:]|,(?!\d)", text[s_start:start])]
        clause_start = s_start + (breaks[-1] if breaks else 0)
        tail = re.search(r"[,;:)\n]|\.(?!\d)", text[end:s_end])
        phrase_end = end + tail.start() if tail else s_end
        if (
            tail
            and tail.group() == ")"
            and text.count("(", clause_start, end) > text.count(")", clause_start, end)
        ):
            phrase_end += 1  # keep "(3 năm)" whole
        phrase = text[clause_start:phrase_end].strip(" ,;")
        mention = AchievementMention(start, end, _quantity(raw), unit, _year_for(text, start), phrase)
        mention.stated_year = _stated_year(text, start, (s_start, s_end))
        return mention

    def set_annotations(self, doc: Doc, mentions: list[AchievementMention]) -> Doc:
        doc.spans["achievements"] = [
            make_span(
                doc,
                a.start,
                a.end,
                "Achievement",
                f"{a.quantity}|{a.unit}|{a.start}",
                quantity=str(a.quantity),
                unit=a.unit,
                year=a.stated_year,
                phrase=a.text,
            )
            for a in mentions
        ]
        return doc


def _continues(
    text: str, m: re.Match[str], sents: list[tuple[int, int]], found: list[AchievementMention]
) -> bool:
    """Whether the figure continues a list of results just before it in its sentence."""
    s_start, _ = sentence_at(sents, m.start())
    return bool(found and found[-1].start >= s_start and _LIST_GAP.fullmatch(text, found[-1].end, m.start()))


@cache
def _political_work_re() -> re.Pattern[str]:
    return compiled(rf"(?i)(?<![\w])(?:{load().alternation('political_work_cues')})(?![\w])")


def political_work_cues(text: str) -> int:
    """How many words of Party, mass-organisation and emulation work ``text`` holds."""
    return len(_political_work_re().findall(text))


def reports_political_work(text: str) -> bool:
    """Whether those words are dense enough in ``text`` for it to report political work."""
    cues = political_work_cues(text)
    return cues >= _POLITICAL_WORK_MIN and cues * 1000 >= POLITICAL_WORK_DENSITY * len(text)


# a period, not a year: "giai đoạn 2008-2013", "2009-2012", "từ năm 2012 đến nay"
_PERIOD = re.compile(
    r"(?:19|20)\d{2}[ ]*[-–][ ]*(?:19|20)?\d{2}(?!\d)"
    r"|(?i:từ[ ]+(?:năm|tháng)?[^.;]{0,20}?(?:19|20)\d{2}[^.;]{0,10}?đến nay)"
)


_YEAR_REACH = 400  # characters before a result's sentence where its year may be stated


def _stated_year(text: str, offset: int, sentence: tuple[int, int]) -> int | None:
    """The year a result is dated by (its paragraph's), none when its sentence speaks of a period
    ("giai đoạn 2008-2013", "từ năm 2012 đến nay") or of the time up to now ("Đến nay, … đạt
    87,7%"), which a year stated sentences before does not date."""
    s_start, s_end = sentence
    if _PERIOD.search(text, s_start, s_end):
        return None
    own = None
    for m in _EVENT_YEAR.finditer(text, s_start, offset):  # "trong “Tháng Công nhân” 2013, …"
        own = int(m.group("y"))
    if (
        own is None
        and _YEAR_RE.search(text, s_start, offset) is None
        and _UP_TO_NOW.search(text, s_start, offset)
    ):
        return None  # "Đến nay, … đạt 87,7%"; but "Kết quả năm 2022 …: … đến nay đã đạt …" is 2022's
    return own or _year_for(text, offset, s_start)


# "Đến nay", "tính đến nay", "hiện nay": the result stands at the time of writing
_UP_TO_NOW = re.compile(r"(?<![\w])(?i:đến nay|hiện nay)(?![\w])")
# a year written after an event's name, a month or a season rather than after "năm": "“Tháng
# Công nhân” 2013", "tháng 5/2013", "dịp Tết 2013", "mùa khô 2016"
_EVENT_YEAR = re.compile(
    r"(?:[”\"][ ]*|(?<![\w])[Tt]háng[ ]+\d{1,2}[ ]*[/.-][ ]*|(?<![\w])(?:dịp|Tết|mùa|đợt|quý)[ ]+(?:\w+[ ]+){0,2})"
    r"(?P<y>(?:19|20)\d{2})(?![\d.,]?\d)"
)


def _year_for(text: str, offset: int, s_start: int | None = None) -> int | None:
    """The year the paragraph states for a result: the last ``năm YYYY`` before it; given the
    result's sentence, only in it or not far before (crawled pages run articles into one paragraph).
    A period up to now ("Từ năm 2007 đến nay") dates nothing (but "từ năm 2021 chỉ còn …" is 2021's), and "Riêng năm 2016" (that year
    alone) only its own sentence."""
    p_start = paragraph_at(text, offset)[0]
    if s_start is not None:
        p_start = max(p_start, s_start - _YEAR_REACH)
    year = None
    for m in _YEAR_RE.finditer(text, p_start, offset):
        before = text[max(0, m.start() - 15) : m.start()]
        if _FUTURE_YEAR.search(before):
            continue
        since = _SINCE_YEAR.search(before) and _UP_TO_NOW.search(text, m.end(), m.end() + 30)
        if since or (_ONLY_YEAR.search(before) and s_start is not None and m.start() < s_start):
            year = None
            continue
        year = None if m.group("range") else int(m.group("y"))
    return year


_SINCE_YEAR = re.compile(r"(?<![\w])(?i:từ|kể từ)[ ]*\Z")
_ONLY_YEAR = re.compile(r"(?<![\w])(?i:riêng|riêng trong)[ ]*\Z")


@Language.factory("policykg_achievements_v1", requires=["doc.spans"], assigns=["doc.spans"])
def make_achievement_recognizer(nlp: Language, name: str) -> AchievementRecognizer:
    return AchievementRecognizer(nlp, name)
