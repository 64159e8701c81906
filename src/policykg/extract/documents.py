"""Party and State documents: coded citations, short forms, plenum resolutions.

Every mention gets a canonical key (``05-CT/TW``, ``TW4-XII``, ``477/CT-UBND``) as its
``kb_id``, so that ``Chỉ thị số 05-CT/TW``, ``Chỉ thị 05`` and ``chỉ thị 05 của Bộ Chính
trị`` become one entity.  State documents (``CT-UBND``, ``TT-BTC``) keep their own keys and
class and never merge with a Party document of the same number.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from policykg import keys
from policykg.extract.base import make_span, sentence_at, sentences, text_of
from policykg.extract.lexicon import Lexicon, load
from policykg.text import match_key

PARTY_WORDS = r"Chỉ thị|Nghị quyết|Kết luận|Quy định|Quyết định|Kế hoạch|Hướng dẫn|Thông báo"
STATE_WORDS = r"Thông tư liên tịch|Thông tư|Nghị định|Công văn|Luật|Pháp lệnh"
KIND_CODE = {
    "chỉ thị": "CT",
    "nghị quyết": "NQ",
    "kết luận": "KL",
    "quy định": "QĐ",
    "quyết định": "QĐ",
    "kế hoạch": "KH",
    "hướng dẫn": "HD",
    "thông báo": "TB",
}
_KIND = rf"(?P<kind>(?i:{PARTY_WORDS}|{STATE_WORDS}))"
_SO = r"(?:[ ]+(?i:số))?[ ]*:?[ ]*"
_PARTY_CODE = (
    r"(?P<pnum>\d{1,4})[ ]*-[ ]*(?P<pkind>[A-ZĐ]{1,4}i?)[ ]*/[ ]*(?P<piss>[A-ZĐƯ]{1,8}(?:-[A-ZĐƯ]+)?)"
)
_STATE_CODE = (
    r"(?P<snum>\d{1,4})(?:/(?P<syear>\d{4}))?[ ]*/[ ]*(?P<skind>[A-ZĐ]{1,5})[ ]*-[ ]*"
    r"(?P<siss>[A-ZĐƯ][A-Za-zĐđƯư]*(?:[-&][A-ZĐ][A-Za-zĐ]*)*)"  # "TTLT-BKHCN-BCT-BCA-BGTVT", "UBND-KH&ĐT"
)
# the code is found first (it starts with a digit, so the scan is cheap); the kind word
# written before it ("Chỉ thị số") is then looked for just before the code
CODED_RE = re.compile(rf"(?<![\w/-])(?:{_PARTY_CODE}|{_STATE_CODE})(?![\w/])")
_KIND_BEFORE = re.compile(rf"{_KIND}{_SO}$")
SHORT_RE = re.compile(
    rf"(?P<kind>(?i:{PARTY_WORDS}))(?:[ ]+(?i:số))?[ ]+(?P<num>\d{{1,4}})(?![\d/.,-]*\d|[\w/-])"
)
_ORDINALS = {
    "nhất": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
}
_TERM = r"[(,]?[ ]*(?i:khóa|khoá)[ ]+(?P<term>[IVXL]+)[ ]*\)?"
# a plenum's resolutions ("Nghị quyết Trung ương 7 khóa XI", "các Nghị quyết của Hội nghị lần thứ 5
# Ban Chấp hành Trung ương Đảng") or the plenum itself ("Hội nghị Trung ương 7", "nội dung Hội nghị
# lần thứ 7 Ban Chấp hành Trung ương Đảng (khóa XI)"), which the gold names by the same key
PLENUM_RE = re.compile(
    r"(?:(?P<head>Nghị quyết|nghị quyết|Nghi quyết|NQ)[ ]*(?:của[ ]+)?|(?<![\w])(?=Hội nghị[ ]))"
    r"(?:(?:Hội nghị[ ]+)?(?:Ban Chấp hành[ ]+)?(?:Trung ương|TW|TƯ|T\.Ư)(?:[ ]+Đảng)?[ ]*(?:lần[ ]+thứ[ ]+)?"
    r"(?P<num>\d{1,2})(?![\d/.,]\d|[\w])"
    rf"|Hội nghị[ ]+(?:lần[ ]+)?thứ[ ]+(?:(?P<word>{'|'.join(sorted(_ORDINALS, key=len, reverse=True))})|(?P<num2>\d{{1,2}}))"
    r"[ ]*,?[ ]+(?:Ban Chấp hành[ ]+)?Trung ương(?:[ ]+Đảng)?"
    r"(?![ ]+(?:Đoàn|Hội|Mặt trận|MTTQ|Công đoàn|Liên đoàn|Tổng)(?![\w])))"
    rf"(?:[ ]*{_TERM})?(?P<more>(?:[ ]*,[ ]*(?i:khóa|khoá)[ ]+[IVXL]+)*)"
)
_ISSUER_RE = re.compile(
    r"^(?:,?[ ]*ngày[ ]+[\d/.]+,?)?[ ]*của[ ]+(?P<issuer>Bộ Chính trị|Ban Bí thư|Ban Chấp hành Trung ương|Hội nghị Trung ương"
    r"(?: Đảng)?|Trung ương|TW|Tỉnh ủy|Huyện ủy|Thành ủy|Quận ủy|Thị ủy|Đảng ủy"
    r"|(?:Thường vụ )?Quân ủy (?:Trung ương|T\.Ư|TƯ|TW)"
    r"|Chính phủ|Thủ tướng(?: Chính phủ)?|Bộ [A-ZĐ][^,.;\n]{0,30}?|UBND[^,.;\n]{0,25}?)(?=[\s,.;:\"“(]|$)"
)
_WRITTEN_TERM = re.compile(r"[^.;\n]{0,100}?(?i:khóa|khoá)[ ]+(?P<term>[IVX]+)(?![\w])")
_YEAR_AFTER = re.compile(r"[^.;\n]{0,30}?(?<!\d)(?P<year>(?:19|20)\d\d)(?!\d)")
_DATE_RE = re.compile(r"^,?[ ]*ngày[ ]+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")
_OBJECT_OF_RE = re.compile(
    r"(?:^|[ ,])về[ ]+(?:việc[ ]+)?(?:tiếp[ ]+tục[ ]+)?(?:đẩy[ ]+mạnh[ ]+)?"
    r"(?:thực[ ]+hiện|triển[ ]+khai|sơ[ ]+kết|tổng[ ]+kết)[ ]*\Z"
)
_CONTINUES_RE = re.compile(r"tiếp[ ]+tục")
PARTY_ISSUER_NAMES = {"TW": "Bộ Chính trị"}


@dataclass
class DocumentMention:
    """A document citation before it becomes a span."""

    start: int
    end: int
    key: str
    cls: str
    number: str | None = None
    issuer: str | None = None
    date: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


class DocumentRecognizer:
    """Finds document citations and resolves them to canonical keys."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon: Lexicon = load()
        docs = self.lexicon.documents
        self.kinds = docs["kinds"]
        self.known = docs["known"]
        self.plenum_titles = docs["plenum_titles"]
        self.terms = docs["terms"]

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.match(doc))

    # -- matching -------------------------------------------------------------------------
    def match(self, doc: Doc) -> list[DocumentMention]:
        text = text_of(doc)
        mentions = self._coded(text)
        taken = [(m.start, m.end) for m in mentions]
        mentions += self._plenums(text, doc._.article_year, taken)
        taken = [(m.start, m.end) for m in mentions]
        mentions += self._short_forms(text, mentions, taken)
        mentions.sort(key=lambda m: m.start)
        for mention in mentions:
            self._add_issuer_and_date(text, mention)
        self._link_objects(text, mentions, sentences(doc))
        return mentions

    def _coded(self, text: str) -> list[DocumentMention]:
        found = []
        for m in CODED_RE.finditer(text):
            if m.group("pnum"):
                num, kind, issuer = m.group("pnum"), m.group("pkind"), m.group("piss")
                year = None
            else:
                num, kind, issuer = m.group("snum"), m.group("skind"), m.group("siss")
                year = m.group("syear")
            issuer, kind = keys.issuer_code(issuer), keys.kind_code(kind)
            if kind == "GP":
                continue  # "Giấy phép số 99/GP-BC": an outlet's licence, in the page's footer
            stated = _ISSUER_RE.match(text[m.end() : m.end() + 80])
            kind_word = _KIND_BEFORE.search(text, max(0, m.start() - 30), m.start())
            start = kind_word.start("kind") if kind_word else m.start()
            state_written = (
                bool(m.group("snum")) and stated is not None and not _is_party_issuer(stated.group("issuer"))
            )
            if keys.is_party_notation(kind, issuer, year) and not state_written:
                # "1218/QĐ-BTC của Bộ Tài chính": the ministry's, though BTC is also the Party's Ban Tổ chức
                if stated and _CENTRAL_CODE.get(_canonical_issuer(stated.group("issuer"))) == "TW":
                    issuer = "TW"  # "Nghị quyết 33/NQ-TU của Bộ Chính trị": the centre's, mistyped
                written, key = keys.party_notation(num, kind, issuer), keys.party_key(num, kind, issuer)
                cls = self.known.get(key, {}).get("class") or self.kinds[kind]["class"]
                mention = DocumentMention(start, m.end(), key, cls, number=key)
                if written != key:
                    mention.extra["notation"] = written
                found.append(mention)
            else:
                key = keys.state_key(num, year, kind, issuer)
                found.append(DocumentMention(start, m.end(), key, "StateDocument", number=key))
        return found

    def _plenum_term(
        self, text: str, m: re.Match[str], year: int | None, explicit: dict[int, set[str]]
    ) -> str | None:
        plenum = _plenum_number(m)
        if m.group("term"):
            return m.group("term").upper()
        if len(explicit.get(plenum, ())) == 1:
            return str(next(iter(explicit[plenum])))
        window = match_key(text[m.end() : m.end() + 160])
        for cue, term in self.plenum_titles.items():
            if cue in window:
                return str(term)
        if year and m.group("head"):
            for term, (first, last) in self.terms.items():
                if first <= year - 1 <= last:  # a plenum's resolution is cited from the next year
                    return str(term)
        # a plenum itself is news in its year: the term of that year, if it had held that many
        # plenums by then (about four in the Congress year, two or three a year after), and not
        # a meeting of another time ("Hội nghị lần thứ bảy … (tháng 11-1940)")
        dated = _YEAR_AFTER.match(text, m.end())
        if year and not (dated and int(dated["year"]) != year):
            for term, (first, last) in self.terms.items():
                if first <= year <= last and plenum <= 4 + 3 * (year - first):
                    return str(term)
        return None

    def _plenums(self, text: str, year: int | None, taken: list[tuple[int, int]]) -> list[DocumentMention]:
        matches = [m for m in PLENUM_RE.finditer(text) if not _inside(m.start(), taken)]
        explicit: dict[int, set[str]] = {}
        for m in matches:
            if m.group("term"):
                explicit.setdefault(_plenum_number(m), set()).add(m.group("term").upper())
        found = []
        for m in matches:
            plenum = _plenum_number(m)
            term = self._plenum_term(text, m, year, explicit)
            if term is None:
                continue
            terms = [term, *re.findall(r"[IVXL]+", m.group("more") or "")]
            base = re.split(r"[ ]*[(,]?[ ]*(?i:khóa|khoá)", m.group())[0]
            written = [(t.start(), t.end()) for t in re.finditer(r"(?i:khóa|khoá)[ ]+[IVXL]+\)?", m.group())]
            for i, each in enumerate(terms):
                key = keys.plenum_key(plenum, each)
                start, end = m.start(), m.start() + len(m.group().rstrip())
                if len(terms) > 1 and i < len(written):
                    start = m.start() if i == 0 else m.start() + written[i][0]
                    end = m.start() + written[i][1]
                mention = DocumentMention(start, end, key, "Resolution", number=key)
                mention.extra["label"] = m.group().strip() if len(terms) == 1 else f"{base} khóa {each}"
                if not m.group("head"):
                    mention.extra["meeting"] = True  # the plenum itself, not its resolutions
                if self.known.get(key, {}).get("number"):
                    mention.extra["notation"] = self.known[key]["number"]
                found.append(mention)
        return found

    def _short_forms(
        self, text: str, coded: list[DocumentMention], taken: list[tuple[int, int]]
    ) -> list[DocumentMention]:
        by_kind_number: dict[tuple[str, str], str] = {}
        for mention in coded:
            if mention.cls != "StateDocument" and "-" in mention.key:
                num, rest = mention.key.split("-", 1)
                by_kind_number.setdefault((rest.split("/")[0], num.lstrip("0")), mention.key)
        state_by_kind_number: dict[tuple[str, str], str] = {}
        for mention in coded:
            parts = _STATE_KEY.match(mention.key) if mention.cls == "StateDocument" else None
            if parts:  # "53/2012/QĐ-TTG" cited in full: "Quyết định 53 của Thủ tướng" is the same
                state_by_kind_number.setdefault((parts["kind"], parts["num"].lstrip("0")), mention.key)
        central_topic = any(cue in text for cue in self.lexicon.words("central_topic_cues"))
        found = []
        for m in SHORT_RE.finditer(text):
            if _inside(m.start(), taken):
                continue
            kind = KIND_CODE[match_key(m.group("kind"))]
            num = m.group("num")
            after = text[m.end() : m.end() + 60]
            issuer_match = _ISSUER_RE.match(after)
            issuer = issuer_match.group("issuer") if issuer_match else None
            key = by_kind_number.get((kind, num.lstrip("0")))
            if key is None and issuer and not _is_party_issuer(issuer):
                key = (
                    state_by_kind_number.get((kind, num.lstrip("0")))
                    or keys.state_key(num, None, kind, _state_code(kind, issuer))
                )
                found.append(DocumentMention(m.start(), m.end(), key, "StateDocument", number=None))
                continue
            if key is None:
                key = self._known_by_topic(text, m, kind, issuer, central_topic)
            if key is None:
                continue  # a bare number we cannot place: better no entity than a wrong one
            cls = self.known.get(key, {}).get("class") or self.kinds.get(kind, {}).get(
                "class", "PartyDocument"
            )
            found.append(DocumentMention(m.start(), m.end(), key, cls, number=key))
        return found

    def _known_by_topic(
        self, text: str, m: re.Match[str], kind: str, issuer: str | None, central_topic: bool
    ) -> str | None:
        """A number-only mention of a known central document, when its issuer or topic says so.

        A document with title ``cues`` needs one of them in the words that follow the mention
        ("Nghị quyết 42 về công tác quy hoạch cán bộ"); the others need the article's
        campaign topic or a Party issuer ("Chỉ thị 05 của Bộ Chính trị").
        """
        key = keys.party_key(m.group("num"), kind, "TW")
        info = self.known.get(key)
        if info is None:
            # "Chỉ thị 317 của Thường vụ Quân ủy T.Ư", "Kết luận 120 của Bộ Chính trị": the issuer
            # the text names gives the code of a central document no list knows
            central = _CENTRAL_CODE.get(_canonical_issuer(issuer)) if issuer else None
            return keys.party_notation(m.group("num"), kind, central) if central else None
        party_issuer = bool(issuer and _is_party_issuer(issuer))
        if info.get("cues"):
            window = match_key(text[m.end() : m.end() + 200])
            return key if any(match_key(c) in window for c in info["cues"]) else None
        return key if central_topic or party_issuer else None

    def _add_issuer_and_date(self, text: str, mention: DocumentMention) -> None:
        after = text[mention.end : mention.end + 80]
        issuer = _ISSUER_RE.match(after)
        if issuer and mention.cls != "StateDocument":
            mention.issuer = _canonical_issuer(issuer.group("issuer"))
            mention.extra["issuer_written"] = True
        date = _DATE_RE.match(after)
        if date:
            mention.date = f"{date['y']}-{int(date['m']):02d}-{int(date['d']):02d}"
        known = self.known.get(mention.key, {})
        term = _WRITTEN_TERM.match(text, mention.end, mention.end + 120)
        if known and term and known.get("date") and term["term"].upper() != self._term_of(known["date"]):
            # numbers restart each Congress term: "Kết luận 21-KL/TW … khóa XI" is not the known one
            mention.extra["other_term"] = term["term"].upper()
            return
        mention.issuer = mention.issuer or known.get("issuer")

    def _term_of(self, date: str) -> str | None:
        year = int(date[:4])
        return next((t for t, (first, last) in self.terms.items() if first <= year <= last), None)

    def _link_objects(self, text: str, mentions: list[DocumentMention], sents: list[tuple[int, int]]) -> None:
        """Mark a document cited as the subject matter of the one before it.

        In ``Kết luận 01-KL/TW … về tiếp tục thực hiện Chỉ thị 05-CT/TW`` the directive is
        what the conclusion is about: ``continues`` links them, and nobody in that sentence
        implements the directive by this mention.
        """
        for before, after in itertools.pairwise(mentions):
            if sentence_at(sents, before.start) != sentence_at(sents, after.start):
                continue
            between = text[before.end : after.start]
            if len(between) > 160 or any(p in between for p in ".;\n"):
                continue
            if _OBJECT_OF_RE.search(between):
                after.extra["object_of"] = before.key
                if _CONTINUES_RE.search(between):
                    before.extra["continues"] = after.key

    # -- annotations ----------------------------------------------------------------------
    def set_annotations(self, doc: Doc, mentions: list[DocumentMention]) -> Doc:
        spans = []
        for mention in mentions:
            label = mention.extra.pop("label", text_of(doc)[mention.start : mention.end])
            extra = {
                "issuer": mention.issuer,
                "date": mention.date,
                "number": mention.number,
                "surface": label,
                **mention.extra,
            }
            known = {} if "other_term" in mention.extra else self.known.get(mention.key, {})
            if "continues" in known:
                extra.setdefault("continues", known["continues"])
            spans.append(make_span(doc, mention.start, mention.end, mention.cls, mention.key, **extra))
        doc.spans["documents"] = spans
        return doc


def _plenum_number(m: re.Match[str]) -> int:
    """The plenum number of a plenum citation, written as a digit or an ordinal word."""
    number = m.group("num") or m.group("num2")
    return int(number) if number else _ORDINALS[m.group("word").lower()]


def _inside(offset: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in ranges)


def _is_party_issuer(issuer: str) -> bool:
    return issuer.startswith(
        (
            "Bộ Chính trị",
            "Ban Bí thư",
            "Hội nghị Trung ương",
            "Ban Chấp hành",
            "Trung ương",
            "TW",
            "Tỉnh ủy",
            "Huyện ủy",
            "Thành ủy",
            "Quận ủy",
            "Thị ủy",
            "Đảng ủy",
            "Quân ủy",
            "Thường vụ Quân ủy",
        )
    )


# the issuer part of the code of a central body's documents
_CENTRAL_CODE = {
    "Bộ Chính trị": "TW",
    "Ban Bí thư": "TW",
    "Ban Chấp hành Trung ương": "TW",
    "Quân ủy Trung ương": "QUTW",
}


_STATE_KEY = re.compile(r"(?P<num>\d+)/(?:\d{4}/)?(?P<kind>[^-/]+)-")


def _state_code(kind: str, issuer: str) -> str:
    """The issuer part of a state document's code: the Government's resolutions are ``NQ-CP``,
    the Prime Minister's decisions and directives ``QĐ-TTg``, ``CT-TTg`` (upper case, as keys are)."""
    if issuer.startswith("Thủ tướng") or (issuer == "Chính phủ" and kind in ("CT", "QĐ")):
        return "TTG"
    if issuer == "Chính phủ":
        return "CP"
    return issuer


def _canonical_issuer(issuer: str) -> str:
    issuer = issuer.strip()
    if "Quân ủy" in issuer:
        return "Quân ủy Trung ương"
    if issuer in ("Trung ương", "TW") or issuer.startswith("Hội nghị Trung ương"):
        return "Ban Chấp hành Trung ương"
    if issuer.startswith("Ban Chấp hành Trung ương"):
        return "Ban Chấp hành Trung ương"
    return issuer


@Language.factory("policykg_documents_v1", requires=["token.is_sent_start"], assigns=["doc.spans"])
def make_document_recognizer(nlp: Language, name: str) -> DocumentRecognizer:
    return DocumentRecognizer(nlp, name)
