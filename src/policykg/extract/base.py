"""Helpers shared by the rule components: spans from character offsets, text units."""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Span

from policykg.extract.extensions import attrs, set_attrs


def make_span(doc: Doc, start: int, end: int, cls: str, key: str, **extra: object) -> Span:
    """A span over ``doc.text[start:end]`` labelled ``cls``, with canonical ``key`` as kb_id.

    The exact character range is kept in its attributes since a span snaps to tokens.
    """
    span = doc.char_span(start, end, label=cls, kb_id=key, alignment_mode="expand")
    if span is None:  # pragma: no cover - expand mode always finds tokens in range
        raise ValueError(f"no tokens between {start} and {end}")
    set_attrs(span, {"start": start, "end": end, **extra})
    return span


def text_of(doc: Doc) -> str:
    """``doc.text``, kept once per Doc: spaCy rebuilds ``doc.text`` from every token on each access."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def char_range(span: Span) -> tuple[int, int]:
    """The exact character range of a mention made by :func:`make_span`."""
    data = attrs(span)
    return int(data.get("start", span.start_char)), int(data.get("end", span.end_char))


def sentences(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the sentences, as the ``pkg_sentences`` component recorded them."""
    cached = doc.user_data.get("pkg_sentences")
    if cached is None:  # a Doc made without the pipeline's sentence splitter
        cached = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else []
        doc.user_data["pkg_sentences"] = cached
    return cached


def sentence_at(ranges: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The sentence range containing ``offset`` (the whole text if none does).

    >>> sentence_at([(0, 5), (6, 10)], 7), sentence_at([(0, 5), (6, 10)], 5)
    ((6, 10), (0, 10))
    """
    i = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    if i >= 0 and ranges[i][0] <= offset < ranges[i][1]:
        return ranges[i]
    return (0, ranges[-1][1]) if ranges else (0, 0)


def paragraph_at(text: str, offset: int) -> tuple[int, int]:
    """The line containing ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
