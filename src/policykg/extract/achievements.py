"""Achievements: completed, countable results, one per (quantity, unit).

A number followed by a unit of the lexicon is a candidate.  It is dropped when its
clause states a target, plan, baseline or deficit, when it is a breakdown (``trong đó``),
a rate per unit (``mỗi``), a range, or a percentage derived from a count just before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

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
_FUTURE_YEAR = re.compile(r"(?:mục tiêu|phấn đấu|đến|vào|tới|kế hoạch|giai đoạn|nhiệm kỳ)[ ]*$")
_RANK_RE = re.compile(r"(?:vị trí|xếp|đứng)[ ]+thứ[ ]+(?P<num>\d{1,3})(?!\d)")
_TARGET_LEAD = re.compile(r"(?i)[ \"“(-]*(?:phấn đấu|mục tiêu|chỉ tiêu|dự kiến|định hướng|kế hoạch)(?![\w])")
_POSITIVE = re.compile(r"xóa|xoá|hỗ trợ|xây|làm mới|sửa chữa|bàn giao|thoát|giúp|tặng|trao")


@dataclass
class AchievementMention:
    start: int
    end: int
    quantity: Decimal
    unit: str
    year: int | None
    text: str


class AchievementRecognizer:
    """Finds reported results with a figure and a unit."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon: Lexicon = load()
        units = self.lexicon.alternation("achievement_units")
        excluded = self.lexicon.alternation("counting_excluded_units")
        members = self.lexicon.alternation("member_units")
        self.candidate_re = compiled(
            rf"(?<![\w/.,])(?P<num>{NUMBER})(?:/(?P<of>\d[\d.]*))?[ ]*"
            rf"(?:(?P<excluded>(?:{excluded})(?![\w]))|(?P<member>(?:{members})(?![\w]))"
            rf"|(?P<unit>(?:{units}))(?P<per>(?:/(?:người|năm|tháng|hộ|ha|ngày|con))*)(?![\w]))"
        )
        self.target_re = compiled(rf"(?i)(?<![\w])(?:{self.lexicon.alternation('target_cues')})(?![\w])")
        self.member_verbs = compiled(rf"(?:{self.lexicon.alternation('member_gain_verbs')})")
        self.deficit_re = compiled(rf"^[ \w,]{{0,12}}(?:{self.lexicon.alternation('deficit_cues')})")
        self.occasion_units = set(self.lexicon.words("occasion_units"))
        self.activity_re = compiled(rf"(?:{self.lexicon.alternation('activity_nouns')})[ ]*$")
        self.result_re = compiled(rf"(?i)(?<![\w])(?:{self.lexicon.alternation('result_verbs')})(?![\w])")
        self.money_units = frozenset(self.lexicon.words("money_units"))
        self.money_not_result = compiled(
            rf"(?i)(?<![\w])(?:{self.lexicon.alternation('money_not_result')})(?![\w])"
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
        year = doc._.article_year
        for m in self.candidate_re.finditer(text):
            if m.group("excluded") or any(overlaps((m.start(), m.end()), t) for t in taken):
                continue
            unit = m.group("member") or m.group("unit")
            if not self._keep(text, m, unit, sents, found):
                continue
            unit = _UNIT_ALIASES.get(unit, unit) + (m.group("per") or "")
            activity = self.activity_re.search(text, max(0, m.start() - 20), m.start())
            if unit == "cuộc" and activity:
                unit = f"cuộc {activity.group(0).strip()}"  # "kiểm tra 3 cuộc" = 3 cuộc kiểm tra
            mention = self._mention(text, m.start(), m.end(), m.group("num"), unit, sents)
            if year and mention.year and mention.year > year:
                continue  # a result dated after the article is a target
            found.append(mention)
        for m in _RANK_RE.finditer(text):
            if not self._is_target(text, m.start(), sents):
                found.append(self._mention(text, m.start(), m.end(), m.group("num"), "thứ hạng", sents))
        return sorted(found, key=lambda a: a.start)

    def _keep(
        self,
        text: str,
        m: re.Match[str],
        unit: str,
        sents: list[tuple[int, int]],
        found: list[AchievementMention],
    ) -> bool:
        start = m.start()
        before = text[max(0, start - 12) : start]
        after = text[m.end() : m.end() + 40]
        if re.search(r"(?<!tổng )(?:số|thứ|lần|khóa|khoá|đợt|tháng|ngày|Điều|điều|mục)[ ]*$", before):
            return False  # an ordinal or identifier ("số 13", "lần thứ 2"), but "tổng số 266 lớp" counts
        if unit in self.occasion_units and parse_number(m.group("num")) == 1 and not m.group("of"):
            return False  # the one meeting an event is held at is the occasion, not a result
        if re.match(r"^[ ]*(?:[-–]|đến)[ ]*\d", text[m.end("num") :]) or re.search(
            r"\d[ ]*(?:[-–]|đến)[ ]*$", before
        ):
            return False  # a range
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
        if m.group("member") and not self.member_verbs.search(clause):
            return False
        if unit in self.money_units and self.money_not_result.search(clause):
            return False  # a debt, cost, price, budget, loss or crime, not a result
        sentence_before = text[sentence_at(sents, start)[0] : start]
        if not self.result_re.search(sentence_before) and not self.percent_cues.search(
            _CLAUSE_BREAK.split(text[m.end() : m.end() + 60])[0]
        ):
            return False  # no word reports a result: a description, a measure or a baseline
        if m.group("member") and re.search(r"đối với[ ]*$", text[max(0, start - 12) : start]):
            return False  # "3 cuộc đối với 10 tổ chức đảng": what was inspected, counted with the inspections
        after_clause = _CLAUSE_BREAK.split(text[m.end() : m.end() + 60])[0]
        if unit == "%" and not (self.percent_cues.search(clause) or self.percent_cues.search(after_clause)):
            return False  # a share that describes, not a rate reached
        if unit == "năm" and not re.match(r"^[ ]*(?:liền|:)", after):
            return False
        if unit in ("hộ", "nhà", "căn nhà") and self.deficit_re.match(after) and not _POSITIVE.search(clause):
            return False
        if unit == "%" and re.search(r"đạt[ ]*(?:trên|gần|hơn)?[ ]*$", clause):
            sentence_start = sentence_at(sents, start)[0]
            if any(a.start >= sentence_start for a in found):
                return False  # a participation rate derived from the count just before
        return True

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
        return AchievementMention(start, end, parse_number(raw), unit, _year_for(text, start), phrase)

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
                year=a.year,
                phrase=a.text,
            )
            for a in mentions
        ]
        return doc


def _year_for(text: str, offset: int) -> int | None:
    """The year the paragraph states for a result: the last ``năm YYYY`` before it."""
    p_start, _ = paragraph_at(text, offset)
    year = None
    for m in _YEAR_RE.finditer(text, p_start, offset):
        if _FUTURE_YEAR.search(text[max(0, m.start() - 15) : m.start()]):
            continue
        year = None if m.group("range") else int(m.group("y"))
    return year


@Language.factory("pkg_achievements", requires=["doc.spans"], assigns=["doc.spans"])
def make_achievement_recognizer(nlp: Language, name: str) -> AchievementRecognizer:
    return AchievementRecognizer(nlp, name)
