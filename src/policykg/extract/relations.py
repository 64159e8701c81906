"""Relations between the mentions of one article.

- ``implements``: in a sentence that cites a Directive, Resolution or Conclusion with an
  implementation verb, the Party organisations of that sentence (not the issuer, not one
  named in a person's title, not a central body) implement it; failing those, a place at
  the start of the sentence; failing that, the article's own actor.
- ``continues``, ``issuedBy``: from the document mentions.
- ``subOrganizationOf``: ``Chi bộ Trạm Y tế, thuộc Đảng bộ xã Nà Nghịu``.
- ``memberOf``: a person and the organisation their position names.
- ``achievedBy``: the actor a result is credited to.
"""

from __future__ import annotations

import itertools
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from policykg.extract.base import char_range, overlaps, paragraph_at, sentence_at, sentences, text_of
from policykg.extract.extensions import Relation, attrs
from policykg.extract.lexicon import Lexicon, compiled, load
from policykg.extract.localities import main_unit
from policykg.kinds import kind_of
from policykg.text import match_key

IMPLEMENTABLE = ("Directive", "Resolution", "Conclusion")
# an issuer, owner, giver, congress or meeting named after the body, not the body acting
_NOT_ACTOR_BEFORE = re.compile(
    r"(?:của|được|bởi|cho|thuộc|Đại hội|[Hh]ội nghị)[ ]*(?:BCH|BTV|Ban Chấp hành|Ban Thường vụ)?[ ]*\Z"
)
_REQUESTS = re.compile(r"(?<![\w])(?:yêu cầu|đề nghị|kiến nghị)(?![\w])")
_PURPOSE_BEFORE = re.compile(r"(?<![\w])(?:[Đđ]ể|nhằm)(?:[ ]+(?:tiếp tục|triển khai))?[ ]*\Z")
# an actor that discusses a project or a draft about carrying a document out does not carry it out
_DISCUSSES = re.compile(
    r"(?:thảo luận|cho ý kiến|xem xét|góp ý)[^.;]{0,20}?(?:[Đđ]ề án|[Dd]ự thảo|[Tt]ờ trình)"
)
# a place in apposition or parentheses after another name only locates it: "phường A (quận B)"
# a central body is the acting subject at the start of a sentence or clause
_CENTRAL_SUBJECT_BEFORE = re.compile(
    r"(?:^|[,;:.]|\n|\d{1,2}/\d{1,2}|\d{1,2}-\d{1,2}|[Ss]áng|[Cc]hiều|[Tt]ối|[Nn]gày|vừa qua)[ ]*\Z"
)
# a sentence that opens on the implementation itself: its subject is the article's own actor
_SUBJECTLESS_LEAD = re.compile(
    r"(?i)[ \"“(-]*(?:(?:tóm lại|nhìn chung|như vậy|có thể nói|qua đó)[, ]+)?"
    r"(?:(?:sau|qua|trong)[ ]+(?:hơn[ ]+|gần[ ]+)?(?:\d+|một|hai|ba|bốn|năm)[ ]+(?:năm|tháng)[ ]+|năm[ ]+\d{4},?[ ]+)?"
    r"(?:để[ ]+)?(?:tiếp tục[ ]+)?(?:triển khai[ ]+)?(?:thực hiện|triển khai|quán triệt|sơ kết|tổng kết|lãnh đạo|chỉ đạo)[ ]"
)
# a document cited as the source of something, not carried out
_CITED_BEFORE = re.compile(
    r"(?:được[ ]+)?(?:nêu|đề ra|quy định|xác định|khẳng định|chỉ rõ)[ ]+(?:tại|trong)[ ]*\Z|(?:theo|căn cứ)[ ]*\Z"
    r"|(?<![\w])ban hành[ ]*\Z"  # "khi Ban Bí thư ban hành Chỉ thị số 10": issued, not carried out
    r"|(?<![\w])(?:phù hợp với|đúng)(?:[ ]+(?:tinh thần|định hướng))?(?:[ ]+của)?[ ]*\Z"  # a frame, not the object
)
# "thực hiện tốt Chỉ thị 05 là …": what carrying a document out is, not a report that anyone did
_COPULA_AFTER = re.compile(r"[ ]*(?:\([^)]{0,80}\)[ ]*)?(?:[,][ ]*)?(?:chính[ ]+)?là(?![\w])")
# a view on a document, not a report ("đều cho rằng, thực hiện tốt Chỉ thị 05 …")
_OPINION = re.compile(r"(?<![\w])(?:cho rằng|nhận định|bày tỏ|cho biết ý kiến)(?![\w])")
# documents joined as one object of a verb: "Chỉ thị 05, Nghị quyết 04 và Kết luận 01"
_COORDINATED = re.compile(
    r"[ ]*(?:\([^)]{0,80}\))?[ ]*(?:của[ ]+[^,;.()]{0,60}?(?=[ ]*(?:,|[ ]và|[ ]cùng)))?"
    r"[ ]*(?:,|;|và|cùng|cũng như|gắn với|gắn|với)?[ ]*(?:việc[ ]+)?(?:thực hiện[ ]+)?(?:các[ ]+)?"
)
# an inspection of how a document is carried out, and the words that name what is inspected
_INSPECTING = re.compile(r"(?i)(?<![\w])(?:kiểm tra|giám sát)(?![\w])")
_INSPECTED_BEFORE = re.compile(r"(?:làm việc với|kiểm tra|giám sát|đối với)[ ]*\Z")
_DELEGATION_LEAD = re.compile(r"[ \"“(-]*(?:Các[ ]+)?[Đđ]oàn(?:[ ]+(?:công tác|kiểm tra|giám sát))?(?![\w])")
_LISTED_BETWEEN = re.compile(r"[ ]*(?:,|và|,[ ]*và)[ ]*")
_NOUN_AFTER = re.compile(r"[ ]+của(?![\w])")
_LEADER_NOUN = re.compile(r"(?<![\w])(?:cán bộ|cấp|đội ngũ|người|vai trò|sự)[ ]+\Z")
# a body that commends others for carrying a document out is not said to carry it out itself
_COMMENDS = re.compile(
    r"(?<![\w])(?:tặng|trao|khen thưởng|biểu dương|tuyên dương|vinh danh|đánh giá cao|ghi nhận)(?![\w])"
)
# a body named in a post without its holder's name, whose holder gives a view or a call
# ("Bí thư Tỉnh ủy nhấn mạnh …"), is not said to act; a holder's report of the body's work is
_POST_BEFORE = re.compile(
    r"(?<![\w])(?:[Nn]guyên[ ]+)?(?:Phó[ ]+)?(?:Bí thư|Ủy viên|Uỷ viên|Trưởng [Bb]an|Chủ nhiệm|Chánh [Vv]ăn phòng)"
    r"(?:[ ]+[Tt]hường trực)?[ ]*\Z"
)
_SPEAKS = re.compile(
    r"(?<![\w])(?:nhấn mạnh|yêu cầu|đề nghị|lưu ý|phát biểu|kêu gọi|mong muốn|đề xuất|chỉ rõ|cho rằng)(?![\w])"
)
# the people a document is brought to ("… đến cán bộ, đảng viên", "tới các đồng chí …")
_AUDIENCE = re.compile(
    r"(?<![\w])(?:đến|tới|cho)[ ]+(?:với[ ]+)?(?:toàn thể[ ]+|các[ ]+|hơn[ ]+|gần[ ]+|\d[\d.]*[ ]+)*"
    r"(?:cán bộ|đảng viên|đồng chí|đại biểu|hội viên|đoàn viên|báo cáo viên|lãnh đạo)(?![\w])[^.;:]*\Z"
)
# words that only say where something is or happens
_LOCATING_BEFORE = re.compile(
    r"(?<![\w])(?:tại|ở|trên địa bàn|khu vực|đến|về|từ|thuộc|ngụ|trú|quê|địa chỉ)[ ]*:?[ ]*\Z"
)
# the Party's leadership issues and inspects; a figure is credited to it only in its own sentence
_LEADERSHIP = frozenset({"bộ chính trị", "ban bí thư", "ban chấp hành trung ương"})  # canonical keys
_LIST_JOIN_BEFORE = re.compile(r"(?:,|[ ]+và)[ ]*\Z")
_LIST_JOIN_AFTER = re.compile(r"(?:,|[ ]+và)[ ]*")
_NOT_SUBJECT_BEFORE = re.compile(r"(?<![\w])(?:tại|ở|với|về|đến|từ|cho|thuộc|trên địa bàn)[ ]*\Z")
# the whole country, army or sector, or many provinces: a result they report is not the
# article's unit's
_OTHER_ACTOR = re.compile(
    r"(?i)(?<![\w])(?:toàn quốc|cả nước|toàn quân|các tỉnh|các thành phố|\d+[ ]+tỉnh"
    r"|cấp trung ương|cấp T\.Ư|cấp TW|Trung ương Hội|Tổng LĐLĐ(?:VN)?|Tổng Liên đoàn|Công an các|Thủ tướng)(?![\w])"
)
# a union, association or company named for itself, not for a place, as the subject of a clause
# ("Công đoàn Vietsovpetro đã …", "CĐ TCty đã tặng …", "Hội cũng xây …"): its result is its own
_NAMED_BODY_SUBJECT = re.compile(
    r"(?:(?<=[,;:.\n])|(?<=[,;:.\n] )|(?<=^))(?:[A-ZĐ]\w*[ ]+){0,2}?(?:Công đoàn|CĐ|Hội|Tổng công ty|TCty|Tập đoàn)[ ]+"
    r"(?!(?:tỉnh|thành phố|TP|huyện|quận|xã|phường|thị xã|thị trấn|cơ sở|các|ngành)(?![\w]))"
    r"(?:[A-ZĐ]\S*|cũng|còn)(?![\w])"
)
# a verb with how it must be done, and no subject: an instruction ("Thực hiện nghiêm túc …",
# "Tiếp tục triển khai thực hiện có hiệu quả …")
_IMPERATIVE = re.compile(r"(?<![\w])(?:nghiêm túc|có hiệu quả|hiệu quả|thật tốt|quyết liệt|sâu rộng)(?![\w])")
_MEETING_BEFORE = re.compile(r"(?:Hội nghị|hội nghị|Đại hội|đại hội)[ ]*\Z")
_APPOSITION_BEFORE = re.compile(r"(?:\(|,|[ ][-–])[ ]*(?:thuộc[ ]+)?\Z")


_SUBJECT_REACH = 200  # characters from a subject to its verb, at most
# the owner after "của", or the end of a list of owners ("nghị quyết của Đảng, Quốc hội, Chính phủ
# được thông qua"): the name is followed by a passive, or "của" stands right before it
_OWNERS_BEFORE = re.compile(r"(?<![\w])của[ ]+(?:[^\s,.;:]+(?:[ ][^\s,.;:]+){0,2}[ ]*(?:,|[ ]và)[ ]*){0,4}\Z")
_FUTURE = re.compile(r"(?i)(?<![\w])(?:thời gian tới|sắp tới|năm tới)(?![\w])")
_PASSIVE_AFTER = re.compile(r"[ ]+(?:được|bị)[ ]")
# what may stand between a subject and its verb ("TP Hồ Chí Minh luôn đẩy mạnh thực hiện …")
_ONLY_ADVERBS = re.compile(
    r"(?:[ ,]+(?:đã|đang|luôn|vừa|cũng|còn|tiếp tục|đẩy mạnh|tích cực|chủ động|tập trung|nghiêm túc|quyết liệt))*[ ]+"
)
# a unit word as the subject, with its verb: "tỉnh đã quán triệt …", "huyện đã triển khai …"
_BARE_SUBJECT = re.compile(
    r"(?<![\w])(?P<type>tỉnh|huyện|thành phố|quận|thị xã|xã|phường|thị trấn)[ ]+(?=(?:đã|cũng|vừa|luôn)[ ])"
)


def _opens_clause(text: str, s_start: int, start: int) -> bool:
    """Whether a name at ``start`` opens its sentence or clause (after a date or a comma)."""
    return start - s_start <= 2 or bool(_CENTRAL_SUBJECT_BEFORE.search(text, max(s_start, start - 30), start))


def _in_title(span: Span) -> bool:
    title_end = text_of(span.doc).find("\n")
    return title_end < 0 or span.start_char < title_end


# a unit word with no name, as the subject: "LĐLĐ quận đã …", "CNVC-LĐ huyện cũng …"
_BARE_UNIT = re.compile(
    r"(?<![\w])(?P<type>(?i:quận|huyện|thị xã|xã|phường|thị trấn|ấp|thôn|bản))(?=[ ]+(?:đã|cũng|còn|vừa)(?![\w]))"
)
# "Đảng ủy đã cung cấp 2.200 cuốn tài liệu": the article's committee of that kind
_BARE_COMMITTEE = re.compile(
    r"(?<![\w])(?P<kind>Đảng ủy|Đảng uỷ|Đảng bộ|Chi bộ|Tỉnh ủy|Huyện ủy|Thành ủy|Quận ủy|Thị ủy)"
    r"(?=[ ]+(?:đã|cũng|còn|vừa)(?![\w]))"
)
# whose the figure is, said right after it: "300 tác phẩm của 78 đơn vị trong toàn quốc",
# "125 tập thể, cá nhân điển hình tiên tiến của cả nước"
# "1 hộ được tặng nhà do Đài Truyền hình TPHCM thực hiện": the giver is named after the figure
# who gives an honour to those a result counts: "4 tập thể và 6 cá nhân được Tổng LĐLĐVN và LĐLĐ
# tỉnh Sơn La tặng bằng khen" are the city union's people, honoured by the province's union
_GIVER_OF_HONOUR = re.compile(r"(?<![\w])được(?:(?!(?:đã|đang|sẽ)(?![\w]))[^.;:()\n]){0,70}\Z")
_HONOUR_AFTER = re.compile(
    r"(?:[^.;:()\n]{0,40}?)[ ]+(?:tặng|trao tặng|trao|khen thưởng|biểu dương|tuyên dương|công nhận)(?![\w])"
)
# a name inside a possessive after the subject: "CĐ Giáo dục huyện A đã chuyển quà hỗ trợ của
# LĐLĐ tỉnh, CĐ Giáo dục tỉnh B đến …": B's gifts, A's work
_POSSESSED = re.compile(
    r"(?<![\w])của[ ]+(?:(?!(?:đã|đang|sẽ|được|đến|cho|tại|với|và)(?![\w]))[^.;:()\n]){0,40}\Z"
)
_GIVER_AFTER = re.compile(r"[^.;:()\n]{0,60}?(?<![\w])(?:do|bởi)[ ]+(?=[A-ZĐ])")
_NATIONWIDE_AFTER = re.compile(
    r"[^.;:()]{0,60}?(?<![\w])(?:trong|của|trên|khắp)[ ]+(?:cả nước|toàn quốc)(?![\w])"
)
_ALL_LEVELS = re.compile(r"(?i)(?<![\w])(?:các cấp|các địa phương)(?![\w])")
# the units of a level together ("các LĐLĐ quận, huyện", "các xã"): a province's or city's figure
_ALL_UNITS = re.compile(
    r"(?<![\w])(?:các[ ]+(?:\w+[ ]+)?(?:quận|huyện|xã|phường)|quận, huyện|xã, phường)(?![\w])"
)
_EARLIER_WINDOW = 600  # characters before a subjectless result where its unit may be named
_ORG_LEVEL = {"trung ương": 0, "tỉnh": 1, "huyện": 2, "xã": 3, "đơn vị": 3, "chi bộ": 4}


def _level(span: Span) -> int:
    """How local a place or organisation is: 0 central … 4 a village or cell."""
    data = attrs(span)
    return data["rank"] if span.label_ == "Locality" else _ORG_LEVEL.get(data.get("level", ""), 3)


def _acting_places(doc: Doc, places: list[Span]) -> set[str]:
    """The places an article names other than only to locate something: every mention of a
    venue ("tại Hà Nội", "chợ lớn ở TP Hồ Chí Minh"), an address or a place in parentheses or in
    apposition after another ("phường 4, quận Gò Vấp", "(Sóc Sơn)") only says where. Such a place
    acts in nothing the article reports; a Party organisation, a body or a subject named after
    it does ("Đảng ủy xã A", "Cục Hải quan Hà Nội", "TP Hồ Chí Minh luôn …").
    """
    text = text_of(doc)
    ends = {p.end_char for p in places}
    acting = set()
    for place in places:
        before = text[max(0, place.start_char - 16) : place.start_char]
        locating = (
            _LOCATING_BEFORE.search(before)
            or before.rstrip(" ").endswith("(")
            or (before.endswith(", ") and place.start_char - 2 in ends)
        )
        if not locating:
            acting.add(place.kb_id_)
    return acting


def _objects_of_inspection(doc: Doc, actors: list[Span], sentence: tuple[int, int]) -> list[Span]:
    """The local bodies a sentence names as what is inspected or worked with ("làm việc với X",
    "kiểm tra X, Y và Z"), with those listed after them."""
    text = text_of(doc)
    start, end = sentence
    found: list[Span] = []
    for org in sorted((o for o in actors if start <= o.start_char < end), key=lambda o: o.start_char):
        listed = bool(found) and _LISTED_BETWEEN.fullmatch(text, found[-1].end_char, org.start_char)
        if attrs(org)["level"] != "trung ương" and (
            listed or _INSPECTED_BEFORE.search(text, max(start, org.start_char - 16), org.start_char)
        ):
            found.append(org)
    return found


def _enumerated(text: str, span: Span, others: list[Span]) -> bool:
    """Whether ``span`` is one item of a list of names ("… là Chi bộ A, Chi bộ B, Đảng bộ C")."""
    ends = {o.end_char for o in others if o is not span}
    starts = {o.start_char for o in others if o is not span}
    before = _LIST_JOIN_BEFORE.search(text, max(0, span.start_char - 6), span.start_char)
    after = _LIST_JOIN_AFTER.match(text, span.end_char)
    return bool((before and before.start() in ends) or (after and after.end() in starts))


def _level_word(kind: str) -> int:
    """3 for a commune-level unit word or above, 4 for a hamlet's."""
    return 4 if kind in ("ấp", "thôn", "bản") else 3


def _unit_of(span: Span) -> str | None:
    """The place a place or an organisation is: "Đảng ủy xã A" and "xã A" are the same unit."""
    return span.kb_id_ if span.label_ == "Locality" else attrs(span).get("locality")


def entity_ref(span: Span) -> str:
    """The relation-level key of a mention: its group and canonical key."""
    return f"{kind_of(span.label_).ref}:{span.kb_id_}"


class RelationExtractor:
    """Links the mentions found by the recognisers."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon: Lexicon = load()
        verbs = self.lexicon.alternation("implementation_verbs")
        self.verb_re = compiled(rf"(?i)(?<![\w])(?:{verbs})(?![\w])")
        cues = self.lexicon.alternation("recommendation_cues")
        self.recommend_re = compiled(rf"(?i)(?<![\w])(?:{cues})(?![\w])")
        obligations = self.lexicon.alternation("obligation_cues")
        self.obligation_re = compiled(rf"(?i)(?<![\w])(?:{obligations})(?![\w])")
        self.passive_re = compiled(
            rf"(?i)[^.;\n]{{0,60}}?(?:đã[ ]+)?được[ ]+(?:\w+[ ]+)?(?P<verb>{verbs})(?![\w])"
        )
        directing = self.lexicon.alternation("directing_verbs")
        # "Chỉ đạo Bộ phận giúp việc và Ban Tuyên giáo …": the subject is elided, the orgs are directed
        self.directed_re = compiled(rf"(?i)[ ]*(?:{directing})[ ]")

    def __call__(self, doc: Doc) -> Doc:
        doc._.relations = self.match(doc)
        return doc

    def match(self, doc: Doc) -> list[Relation]:
        sents = sentences(doc)
        documents = list(doc.spans["documents"])
        orgs = list(doc.spans["orgs"])
        places = list(doc.spans["localities"])
        persons = list(doc.spans["persons"])
        relations: list[Relation] = []
        position_ranges = self._posts(doc, persons, orgs, relations)
        actors = [
            o
            for o in orgs
            if not any(overlaps(char_range(o), r) for r in position_ranges)
            and not _NOT_ACTOR_BEFORE.search(text_of(doc), max(0, o.start_char - 12), o.start_char)
        ]
        local = [o for o in actors if attrs(o)["level"] != "trung ương"]
        main = self._main_actor(doc, local, places)
        for span in documents:
            relations += self._document_facts(span, orgs, sents)
        relations += self._implements(doc, documents, actors, places, main, sents)
        relations += self._suborganizations(doc, orgs)
        relations += self._achieved_by(doc, actors, places, main, sents)
        return relations

    def _posts(
        self, doc: Doc, persons: list[Span], orgs: list[Span], out: list[Relation]
    ) -> list[tuple[int, int]]:
        ranges = []
        for person in persons:
            position = attrs(person).get("position")
            if not position:
                continue
            start = text_of(doc).find(position, max(0, person.start_char - len(position) - 20))
            if start < 0:
                continue
            ranges.append((start, start + len(position)))
            for org in orgs:
                if overlaps(char_range(org), (start, start + len(position))):
                    out.append(
                        Relation(
                            entity_ref(person), "memberOf", entity_ref(org), start, start + len(position)
                        )
                    )
        return ranges

    @staticmethod
    def _main_actor(doc: Doc, actors: list[Span], places: list[Span]) -> Span | None:
        title_end = text_of(doc).find("\n")
        title_end = len(text_of(doc)) if title_end < 0 else title_end
        in_title = [o for o in actors if o.start_char < title_end]
        if in_title:
            return in_title[0]
        unit = main_unit(places)
        if unit is not None and unit.start_char < title_end:
            return unit
        early = [o for o in actors if o.start_char < title_end + 1500]
        return early[0] if early else unit

    def _document_facts(self, span: Span, orgs: list[Span], sents: list[tuple[int, int]]) -> list[Relation]:
        data = attrs(span)
        s_start, s_end = sentence_at(sents, span.start_char)
        facts = []
        if data.get("continues"):
            facts.append(
                Relation(entity_ref(span), "continues", f"document:{data['continues']}", s_start, s_end)
            )
        issuer = data.get("issuer")
        if issuer and data.get("issuer_written"):  # otherwise it is reference knowledge, not this sentence
            facts.append(Relation(entity_ref(span), "issuedBy", f"org:{match_key(issuer)}", s_start, s_end))
        return facts

    def _implements(
        self,
        doc: Doc,
        documents: list[Span],
        actors: list[Span],
        places: list[Span],
        main: Span | None,
        sents: list[tuple[int, int]],
    ) -> list[Relation]:
        out = []
        text = text_of(doc)
        for span in documents:
            data = attrs(span)
            if span.label_ not in IMPLEMENTABLE or data.get("object_of") or data.get("meeting"):
                continue  # a plenum named as a meeting ("thông báo nhanh kết quả Hội nghị TW 7") is not yet carried out
            s_start, s_end = sentence_at(sents, span.start_char)
            verb = self._verb_for(text, span, s_start)
            if verb is None:
                continue
            # "… đều cho rằng, thực hiện tốt Chỉ thị 05 là thực hiện một chủ trương …": a view of what
            # carrying it out means; "Xác định thực hiện Chỉ thị 05 … là nhiệm vụ …, Đảng bộ xã lãnh
            # đạo …": the body named after it acts
            judged = verb < span.start_char and bool(
                _COPULA_AFTER.match(text, span.end_char) or _OPINION.search(text, s_start, verb)
            )
            clause_start = max(s_start, text.rfind(";", s_start, verb) + 1)
            obliged = list(self.obligation_re.finditer(text, clause_start, verb))
            # "X yêu cầu …; làm tốt …; để đưa Nghị quyết … vào cuộc sống": the request governs the list,
            # and so does "A, B phải …; phát huy … để thực hiện …" when the later clause has no subject
            subject_here = any(clause_start <= a.start_char < verb for a in actors)
            governing = _REQUESTS if subject_here else self.obligation_re
            obliged = list(governing.finditer(text, s_start, clause_start)) + obliged
            # "phải/cần thực hiện …" is an obligation or a call, not a report; but in "Đoàn sẽ kiểm
            # tra việc thực hiện …" the plan is the delegation's, and the inspected implement
            if obliged and not _INSPECTING.search(text, obliged[-1].end(), verb):
                continue
            if _PURPOSE_BEFORE.search(text, max(s_start, verb - 12), verb) and self.obligation_re.search(
                text, verb, s_end
            ):
                continue  # "Để thực hiện Nghị quyết 4, Thành ủy cần bàn …": a purpose, then a call
            for actor in self._actors_in(doc, span, actors, places, main, (s_start, s_end), verb):
                if judged and not span.end_char <= actor.start_char < s_end:
                    continue
                # an inspected body named in the sentence before: the evidence is both sentences
                start = s_start if actor is main else min(s_start, sentence_at(sents, actor.start_char)[0])
                out.append(Relation(entity_ref(actor), "implements", entity_ref(span), start, s_end))
        return out

    def _verb_for(self, text: str, document: Span, s_start: int) -> int | None:
        """Where the implementation verb of ``document`` starts: before it in its sentence, or
        right after it in the passive ("Chỉ thị 05 được quán triệt"); None if there is none.

        A verb after the document is usually its title ("… về đẩy mạnh học tập và làm theo"),
        which says what the document is about, not that anyone carries it out.
        """
        if _CITED_BEFORE.search(text, max(s_start, document.start_char - 40), document.start_char):
            return None  # "… được nêu tại Nghị quyết Trung ương 4": the document is cited, not carried out
        before = [
            v
            for v in self.verb_re.finditer(text, max(s_start, document.start_char - 220), document.start_char)
            if not _NOUN_AFTER.match(text, v.end())  # "giải pháp chỉ đạo của Trung ương": a noun
            and not (  # "cán bộ lãnh đạo", "sự chỉ đạo": a noun
                v.group().lower() in ("lãnh đạo", "chỉ đạo")
                and _LEADER_NOUN.search(text, max(0, v.start() - 12), v.start())
            )
        ]
        if before and not self._object_of_other(text, before[-1].end(), document):
            return before[-1].start()
        passive = self.passive_re.match(text, char_range(document)[1])
        return passive.start("verb") if passive else None

    @staticmethod
    def _object_of_other(text: str, verb_end: int, document: Span) -> bool:
        """Whether the verb before ``document`` takes another document as its object first.

        "thực hiện tốt Chỉ thị 05 là … giải pháp của Nghị quyết Trung ương 4": the verb is about
        Chỉ thị 05; "thực hiện Chỉ thị 05 và Nghị quyết 04" coordinates both.
        """
        between = [
            d
            for d in document.doc.spans["documents"]
            if verb_end <= d.start_char and d.end_char <= document.start_char
        ]
        if not between:
            return False
        return not _COORDINATED.fullmatch(text, between[-1].end_char, document.start_char)

    def _actors_in(
        self,
        doc: Doc,
        document: Span,
        actors: list[Span],
        places: list[Span],
        main: Span | None,
        sentence: tuple[int, int],
        verb: int,
    ) -> list[Span]:
        s_start, s_end = sentence
        text = text_of(doc)
        doc_ranges = [char_range(d) for d in doc.spans["documents"] if overlaps(char_range(d), sentence)]
        found = []
        for org in actors:
            org_range = char_range(org)
            start = org_range[0]
            if not s_start <= start < s_end or any(overlaps(org_range, r) for r in doc_ranges):
                continue
            clause_start = max((m.end() for m in re.finditer(r"[,;:]", text[s_start:start])), default=0)
            if self.directed_re.match(text, s_start + clause_start, start):
                continue  # the object of a directive verb whose subject is left out
            if _POST_BEFORE.search(text, max(s_start, start - 30), start) and _SPEAKS.search(
                text, org_range[1], max(org_range[1], verb)
            ):
                continue  # "Bí thư Tỉnh ủy nhấn mạnh …": the Bí thư's view, the body is in the post
            if start > document.end_char and _AUDIENCE.search(text, document.end_char, start):
                continue  # "thông báo … Nghị quyết … đến cán bộ chủ chốt và Ủy viên BTV Tỉnh ủy"
            if start < verb and _DISCUSSES.search(text, org_range[1], verb):
                continue  # "BCH TW thảo luận về Đề án tổng kết 15 năm thực hiện Nghị quyết 5"
            if start < verb and _COMMENDS.search(text, org_range[1], verb):
                continue  # "BTV tặng bằng khen cho 47 tập thể … trong thực hiện": the awarded implement
            if (
                attrs(org)["level"] == "trung ương"
                and start < verb
                and _INSPECTING.search(text, org_range[1], verb)
            ):
                continue  # "Bộ Chính trị đã thành lập 5 đoàn kiểm tra việc thực hiện …": it inspects
            if attrs(org)["level"] == "trung ương" and not (
                start < verb and verb - start <= _SUBJECT_REACH and _opens_clause(text, s_start, start)
            ):
                continue  # a central body acts only as the subject before the verb, never as issuer
            found.append(org)
        if found:
            return found
        inspected = (
            self._inspected(doc, actors, s_start)
            if _INSPECTING.search(text, max(s_start, verb - 100), verb)
            else []
        ) or (self._inspected_next(doc, actors, s_end) if _INSPECTING.search(text, s_start, s_end) else [])
        if inspected:
            # "Đoàn … làm việc với X. Đoàn kiểm tra việc … thực hiện Kết luận 24"; "… thành lập 5 đoàn kiểm
            # tra việc thực hiện Kết luận này. Đoàn kiểm tra số 470 kiểm tra Ban Thường vụ Tỉnh ủy Nam Định"
            return inspected
        bodies = [
            body
            for body in doc.spans["bodies"]
            if s_start <= body.start_char < verb
            and verb - body.start_char <= _SUBJECT_REACH
            and _opens_clause(text, s_start, body.start_char)
            and not _OWNERS_BEFORE.search(text, s_start, body.start_char)
            and not _PASSIVE_AFTER.match(text, body.end_char)
            and not _FUTURE.search(text, s_start, verb)  # "thời gian tới, Chính phủ chỉ đạo triển khai …"
            and not _DISCUSSES.search(text, body.end_char, verb)
            and not _COMMENDS.search(text, body.end_char, verb)
        ]
        if bodies:
            return bodies[-1:]  # "LĐLĐ TP Hà Nội đã đánh giá kết quả 2 năm thực hiện Chỉ thị 03": its subject
        for org in doc.spans["orgs"]:
            if s_start <= org.start_char < verb and _MEETING_BEFORE.search(
                text, max(0, org.start_char - 12), org.start_char
            ):
                place = next((p for p in places if p.kb_id_ == attrs(org).get("locality")), None)
                if place is not None:
                    return [place]  # "Hội nghị Ban Chấp hành Đảng bộ xã Tà Mung quán triệt …"
        lead = text[s_start : s_start + 40]
        if re.match(r"(?i)tại[ ]", lead):
            return []  # "Tại Hà Nội, …": a venue, not an actor
        lead_skip = len(lead) - len(re.sub(r"^(?:Năm[ ]+\d{4},?[ ]*)", "", lead))
        named = [char_range(b) for b in doc.spans["bodies"]]
        for place in places:
            if (
                attrs(place)["rank"] <= 3
                and s_start + lead_skip <= place.start_char < s_start + lead_skip + 12
                and not any(overlaps(char_range(place), r) for r in named)  # "LĐLĐ TP Hà Nội tặng …"
            ):
                return [place]
        for place in places:
            if (
                attrs(place)["rank"] <= 3
                and s_start < place.start_char < verb
                and not any(overlaps(char_range(place), r) for r in named)
                and _opens_clause(text, s_start, place.start_char)
                and _ONLY_ADVERBS.fullmatch(text, place.end_char, verb)
            ):
                return [place]  # "Vinh dự được mang tên Bác, TP Hồ Chí Minh luôn đẩy mạnh thực hiện …"
        bare = _BARE_SUBJECT.search(text, s_start, s_end)
        if bare and _opens_clause(text, s_start, bare.start()):
            same = [p for p in places if attrs(p)["type"] == bare.group("type") and p.start_char < s_start]
            if same:
                return [same[-1]]  # "Cụ thể như triển khai Chỉ thị 18, tỉnh đã quán triệt …": the province
        if self.recommend_re.search(text, s_start, document.start_char):
            return []  # "đề nghị các cấp ủy tiếp tục thực hiện …": a call for the future, nobody named
        if main is not None and _SUBJECTLESS_LEAD.match(text, s_start) and _in_title(main):
            if _IMPERATIVE.search(text, verb, document.start_char):
                return []  # "Thực hiện nghiêm túc Nghị quyết 4 …": an instruction, not a report
            return [main]  # "Thực hiện Chỉ thị 05, …" in an article about that organisation or place
        return []

    @staticmethod
    def _inspected(doc: Doc, actors: list[Span], s_start: int) -> list[Span]:
        """The bodies an inspection sentence is about, named in the sentence before it: "Đoàn … làm
        việc với Ban Thường vụ Tỉnh ủy Cà Mau. Đoàn kiểm tra việc … thực hiện Kết luận 24" (the
        inspected body implements; the delegation does not)."""
        previous = [r for r in sentences(doc) if r[1] <= s_start]
        return _objects_of_inspection(doc, actors, previous[-1]) if previous else []

    @staticmethod
    def _inspected_next(doc: Doc, actors: list[Span], s_end: int) -> list[Span]:
        """The bodies a delegation inspects in the sentence right after the one that says what it
        inspects: "… 5 đoàn kiểm tra việc thực hiện Kết luận này. Đoàn kiểm tra số 470 kiểm tra Ban
        Thường vụ Tỉnh ủy Nam Định, Quảng Nam và Ban cán sự đảng Bộ Khoa học và Công nghệ."."""
        following = [r for r in sentences(doc) if r[0] >= s_end]
        if not following or not _DELEGATION_LEAD.match(text_of(doc), following[0][0]):
            return []
        return _objects_of_inspection(doc, actors, following[0])

    @staticmethod
    def _suborganizations(doc: Doc, orgs: list[Span]) -> list[Relation]:
        out = []
        for child, parent in itertools.pairwise(orgs):
            between = text_of(doc)[char_range(child)[1] : char_range(parent)[0]]
            if re.fullmatch(r"[ ]*,?[ ]*(?:thuộc|trực thuộc)[ ]+", between):
                out.append(
                    Relation(
                        entity_ref(child),
                        "subOrganizationOf",
                        entity_ref(parent),
                        child.start_char,
                        parent.end_char,
                    )
                )
        return out

    @staticmethod
    def _achieved_by(
        doc: Doc,
        actors: list[Span],
        places: list[Span],
        main: Span | None,
        sents: list[tuple[int, int]],
    ) -> list[Relation]:
        out = []
        actor_ranges = [char_range(a) for a in actors]
        name_ends = {char_range(s)[1] for s in (*places, *doc.spans["orgs"], *doc.spans["bodies"])}
        admin = [
            p
            for p in places
            if attrs(p)["rank"] <= 3
            and not any(overlaps(char_range(p), r) for r in actor_ranges)
            and not (
                (
                    apposition := _APPOSITION_BEFORE.search(
                        text_of(doc), max(0, p.start_char - 10), p.start_char
                    )
                )
                and (
                    apposition.group().startswith("(")
                    or any(apposition.start() - 2 <= end <= apposition.start() for end in name_ends)
                )
            )
        ]  # a place named inside an organisation's name, or locating another name or a figure
        # ("phường A, quận B", "… 5 tấn gạo (Sóc Sơn)"), is not the actor; "Ngay sau đó, xã A …" is
        text = text_of(doc)
        candidates = [
            a
            for a in actors + admin
            if not _NOT_SUBJECT_BEFORE.search(text, max(0, a.start_char - 14), a.start_char)
        ]  # "tham mưu với Tỉnh ủy", "tại Hà Nội": an object, a venue
        # an article about one unit only: its subjectless figures are that unit's (a digest of
        # several provinces' news, or a national report, credits none by default)
        units = {p.kb_id_ for p in admin if attrs(p)["rank"] <= 2} | {
            attrs(o).get("locality") for o in actors if attrs(o)["level"] != "trung ương"
        }
        single = len(units - {None}) <= 1
        # a report of the centre's bodies ("UBKT Trung ương … cấp ủy các cấp đã kỷ luật …"): its
        # figures are the country's, not those of the one place a person's post names
        central = sum(1 for o in actors if attrs(o)["level"] == "trung ương")
        national = central > 2 * (len(actors) - central)
        provinces = list({p.kb_id_: p for p in admin if attrs(p)["rank"] == 1}.values())
        acting = _acting_places(doc, places)
        if main is not None and main.label_ == "Locality" and main.kb_id_ not in acting:
            main = None  # "Tối 20/5, tại Hà Nội, Tổng LĐLĐ …": a venue is nobody's actor
        candidates = [a for a in candidates if a.label_ != "Locality" or a.kb_id_ in acting]
        previous: tuple[int, Span] | None = None  # the sentence and actor of the last result credited
        for result in doc.spans["achievements"]:
            s_start, s_end = sentence_at(sents, result.start_char)
            before = [a for a in candidates if s_start <= a.start_char < result.start_char]
            earlier = [a for a in candidates if s_start - _EARLIER_WINDOW <= a.start_char < s_start]
            if _ALL_LEVELS.search(text, s_start, result.start_char):
                # "UBKT các cấp đã kiểm tra …": every level of the unit the article reports on,
                # never a central body, nor a unit named in another paragraph
                before = [a for a in before if _level(a) > 0]
                p_start = paragraph_at(text, result.start_char)[0]
                earlier = [a for a in earlier if a.start_char >= p_start and _level(a) > 0 and not national]
            all_units = _ALL_UNITS.search(text, s_start, result.start_char)
            if all_units:
                before = [a for a in before if _level(a) <= 1]
                earlier = [a for a in earlier if _level(a) <= 1]  # not one district of them
                if not before and not earlier and len(provinces) == 1:
                    before = provinces[:1]  # "các LĐLĐ quận, huyện đã vận động …": the city's
            bare = None if all_units else _BARE_UNIT.search(text, s_start, result.start_char)
            if bare and not before:
                # "LĐLĐ quận đã tuyên dương 48 cá nhân": the district the text spoke of last
                kind = bare.group("type").lower()  # "Ấp còn thành lập 1 tổ": the hamlet, not its commune
                same = [
                    p
                    for p in (admin if _level_word(kind) <= 3 else places)
                    if attrs(p)["type"] == kind and p.start_char < s_start
                ]
                if same:
                    before = [max(same, key=lambda p: p.start_char)]
            earlier = [
                a for a in earlier if a.kb_id_ not in _LEADERSHIP and not _enumerated(text, a, candidates)
            ]  # the leadership is credited only where named; one of a list of examples is no subject
            committee = None if before else _BARE_COMMITTEE.search(text, s_start, result.start_char)
            if committee:
                kind = committee.group("kind").lower()
                same = [
                    a
                    for a in ([main] if main is not None else [])
                    + [c for c in candidates if c.start_char < s_start]
                    if a.text.lower().startswith(kind)
                ]
                if same:
                    before = same[:1] if same[0] is main else [max(same, key=lambda a: a.start_char)]
            before = [
                a
                for a in before
                if not _GIVER_OF_HONOUR.search(text, max(s_start, a.start_char - 80), a.start_char)
                or not _HONOUR_AFTER.match(text, a.end_char)
            ]
            if len(before) > 1:
                subjects = [
                    a
                    for a in before
                    if not _POSSESSED.search(text, max(s_start, a.start_char - 50), a.start_char)
                ]
                before = subjects or before
            if before:
                actor = max(before, key=lambda a: a.start_char)
            elif earlier and not _OTHER_ACTOR.search(text, s_start, result.start_char):
                actor = max(earlier, key=lambda a: a.start_char)  # the unit the text just spoke of
                just_before = sentence_at(sents, max(0, s_start - 1))[0]
                if (
                    main is not None
                    and _in_title(main)
                    and _level(actor) <= _level(main)
                    and (
                        actor.start_char < just_before
                        or _level(actor) < _level(main)
                        or _unit_of(main) in (None, _unit_of(actor))
                    )
                ):
                    # "… tỉnh Lai Châu" before a report of the article's district; but "LĐLĐ An
                    # Giang vừa tặng 300 phần quà. Cụ thể: Trao …" goes on about that unit
                    actor = main
            elif (
                main is not None
                and _level(main) > 0
                and (_in_title(main) or (single and not national))
                and not _OTHER_ACTOR.search(text, s_start, result.start_char)
            ):
                actor = main  # a subjectless report in an article about that organisation or place
            elif (
                previous is not None
                and previous[0] >= sentence_at(sents, max(0, s_start - 1))[0]
                and not _OTHER_ACTOR.search(text, s_start, result.start_char)
                and not (_level(previous[1]) == 0 and _ALL_LEVELS.search(text, s_start, result.start_char))
            ):
                actor = previous[1]  # "… 406.000 CN ổn định cuộc sống. Riêng dịp Tết, các cấp CĐ đã …"
            else:
                continue  # "Công an các thành phố", "cả nước", a digest's item: not the article's unit
            if _OTHER_ACTOR.search(text, actor.end_char, result.start_char) or _NATIONWIDE_AFTER.match(
                text, result.end_char
            ):
                continue  # the figure belongs to another body named after the candidate
            giver = _GIVER_AFTER.match(text, result.end_char)
            if giver:
                named = [a for a in candidates if a.start_char == giver.end()]
                if not named:
                    continue  # given by a body that is none of ours
                actor = named[0]
            if any(
                not _POSSESSED.search(text, max(s_start, m.start() - 50), m.start())
                for m in _NAMED_BODY_SUBJECT.finditer(text, max(actor.end_char, s_start), result.start_char)
            ):
                continue  # "Công đoàn Vietsovpetro đã tặng …": a body with no place of ours
            out.append(Relation(entity_ref(result), "achievedBy", entity_ref(actor), s_start, s_end))
            previous = (s_start, actor)
        return out


@Language.factory("policykg_relations_v1", requires=["doc.spans"], assigns=["doc._.relations"])
def make_relation_extractor(nlp: Language, name: str) -> RelationExtractor:
    return RelationExtractor(nlp, name)
