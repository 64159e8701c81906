"""Sentence boundaries: line breaks, and . ! ? … before an upper-case letter or quote."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from policykg.text import UPPER

_BOUNDARY_RE = re.compile(rf"\n+|(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]*[{UPPER}0-9])")
_ABBREVIATIONS = ("TP.", "Tp.", "ThS.", "TS.", "PGS.", "GS.", "BS.", "St.")


class SentenceSplitter:
    """Marks ``token.is_sent_start`` from character-level boundaries."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.match(doc.text))

    def match(self, text: str) -> list[int]:
        """Character offsets where a new sentence starts."""
        starts = []
        for m in _BOUNDARY_RE.finditer(text):
            before = text[max(0, m.start() - 4) : m.start()]
            if m.group().startswith("\n") or not before.endswith(_ABBREVIATIONS):
                starts.append(m.end())
        return starts

    def set_annotations(self, doc: Doc, starts: list[int]) -> Doc:
        boundaries = set(starts)
        for i, token in enumerate(doc):
            token.is_sent_start = i == 0 or (
                token.idx in boundaries
                or (not token.is_space and doc[i - 1].is_space and "\n" in doc[i - 1].text)
            )
        return doc


@Language.factory("pkg_sentences", assigns=["token.is_sent_start"])
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    return SentenceSplitter(nlp, name)
