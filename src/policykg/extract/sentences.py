"""Sentence boundaries: line breaks, and . ! ? … before an upper-case letter or quote."""

from __future__ import annotations

import bisect
import re

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from policykg.extract.base import text_of
from policykg.text import LOWER, UPPER

_BOUNDARY_RE = re.compile(
    rf"\n+|(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]*[{UPPER}0-9])"
    # crawled text glues sentences ("cán bộ.Trong năm"): a stop right after a word of two or
    # more lower-case letters (or a number) and before a capital; "TP.HCM", "T.Ư", initials
    # and decimals have a capital or a digit on one side and are left whole
    rf"|(?<=[{LOWER}]{{2}}[.!?…])[\"”’)]*(?=[\"“‘(]*[{UPPER}])"
    rf"|(?<=[{LOWER}]{{2}}[.!?…][\"”’)])(?=[{UPPER}])|(?<=[{LOWER}][\"”’)][.!?…])(?=[{UPPER}])"
    rf"|(?<=\d{{2}}[.!?])(?=[{UPPER}][{LOWER}])"
    # after a bracket or a quote: "(khóa XI).Tỉnh ủy …"
    rf"|(?<=[\"”’)][.!?…])(?=[{UPPER}][{LOWER}])"
)
SENTENCES_KEY = "pkg_sentences"
_INITIAL = re.compile(rf"(?:^|[ (])[{UPPER}]\.\Z")  # "Nguyễn V. An"
_ABBREVIATIONS = ("TP.", "Tp.", "ThS.", "TS.", "PGS.", "GS.", "BS.", "St.")


class SentenceSplitter:
    """Marks ``token.is_sent_start`` from character-level boundaries."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.match(text_of(doc)))

    def match(self, text: str) -> list[int]:
        """Character offsets where a new sentence starts."""
        starts = []
        for m in _BOUNDARY_RE.finditer(text):
            before = text[max(0, m.start() - 4) : m.start()]
            if m.group().startswith("\n") or not (before.endswith(_ABBREVIATIONS) or _INITIAL.search(before)):
                starts.append(m.end())
        return starts

    def set_annotations(self, doc: Doc, starts: list[int]) -> Doc:
        """Mark the first token of each sentence and keep the sentences' character ranges.

        Only boundary tokens are touched (located by bisecting the token offsets), so the cost
        is in the number of sentences, not of tokens; the ranges are kept in
        ``doc.user_data`` for :func:`policykg.extract.base.sentences`.
        """
        offsets = doc.to_array([IDX]).tolist() if len(doc) else []
        bounds = sorted({0, *starts})
        for start in bounds:
            i = bisect.bisect_left(offsets, start)
            if i < len(offsets):
                doc[i].is_sent_start = True
        ends = [*bounds[1:], len(text_of(doc))]
        ranges = [
            (start, _trim_end(text_of(doc), start, end)) for start, end in zip(bounds, ends, strict=True)
        ]
        doc.user_data[SENTENCES_KEY] = [(a, b) for a, b in ranges if b > a] or [(0, len(text_of(doc)))]
        return doc


def _trim_end(text: str, start: int, end: int) -> int:
    """A sentence ends before the spaces and line breaks that separate it from the next."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


@Language.factory("policykg_sentences_v1", assigns=["token.is_sent_start"])
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(nlp, name)
