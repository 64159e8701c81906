"""Bodies outside the Party's own organisation that may carry out a Party document.

A labour federation, a mass organisation, the Youth Union, the Fatherland Front, a police or
army command, a people's committee or a ministry: "LĐLĐ TP Hà Nội đã đánh giá kết quả 2 năm
thực hiện Chỉ thị 03", "Công an tỉnh Cà Mau quán triệt …". Such a body is named by its head
word (lexicon ``non_party_bodies``) and the place it belongs to (a place mention right after,
with or without its unit word), or is a national body of the lexicon ``ministries`` /
``national_bodies``. The label is the text as written. A Party organisation on the same words
("Đảng ủy Công an tỉnh") is the organisation recogniser's, not this one's. The relation
component decides whether the body acts; only bodies that do are recorded.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from policykg.extract.base import char_range, make_span, overlaps, text_of
from policykg.extract.extensions import attrs
from policykg.extract.lexicon import compiled, load
from policykg.text import match_key

_TYPE_WORD = re.compile(
    r"[ ]+(?:tỉnh|thành phố|TP\.?|Tp\.?|huyện|quận|thị xã|TX\.?|xã|phường|thị trấn)(?=[ ])"
)


class BodyRecognizer:
    """Finds named non-Party bodies; see the module docstring."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        lexicon = load()
        heads = lexicon.alternation("non_party_bodies")
        national = "|".join(
            sorted((*lexicon.data["ministries"], *lexicon.data["national_bodies"]), key=len, reverse=True)
        )
        self.local_re = compiled(rf"(?<![\w])(?:{heads})(?![\w])")
        self.national_re = compiled(rf"(?<![\w])(?:{national})(?![\w])")

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        taken = [char_range(o) for o in doc.spans["orgs"]]
        places = sorted(doc.spans["localities"], key=lambda p: p.start_char)
        found: list[tuple[int, int, str, str | None]] = []
        for m in self.national_re.finditer(text):
            found.append((m.start(), m.end(), m.group(), None))
        for m in self.local_re.finditer(text):
            placed = _place_after(text, m.end(), places)
            if placed is not None:
                place, unit_word = placed
                label = " ".join(p for p in (m.group(), unit_word, attrs(place)["name"]) if p)
                found.append((m.start(), place.end_char, label, place.kb_id_))
        spans = []
        for start, end, label, locality in sorted(found):
            if any(overlaps((start, end), r) for r in taken):
                continue
            taken.append((start, end))
            # one label per key, whatever the article's spacing or dots: the entity graph holds one
            spans.append(make_span(doc, start, end, "Body", match_key(label), label=label, locality=locality))
        doc.spans["bodies"] = spans
        return doc


def _place_after(text: str, offset: int, places: list[Span]) -> tuple[Span, str | None] | None:
    """The place a body's name ends with, the mention right after it, and the unit word written
    before the place's name (``TP``, ``tỉnh``), in one spelling ("TP." and "Tp" are "TP")."""
    typed = _TYPE_WORD.match(text, offset)
    starts = (offset, typed.end()) if typed else (offset,)
    for place in places:
        if any(s <= place.start_char <= s + 1 for s in starts) and attrs(place)["rank"] <= 3:
            own = _TYPE_WORD.match(" " + text[place.start_char : place.end_char] + " ")
            written = typed or own
            word = written.group().strip() if written else None
            return place, _UNIT_WORDS.get(word.rstrip(".").lower(), word) if word else None
        if place.start_char > starts[-1] + 1:
            break
    return None


_UNIT_WORDS = {"tp": "TP", "tx": "TX"}


@Language.factory("policykg_bodies_v1", requires=["doc.spans"], assigns=["doc.spans"])
def make_body_recognizer(nlp: Language, name: str) -> BodyRecognizer:
    return BodyRecognizer(nlp, name)
