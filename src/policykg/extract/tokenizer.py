"""A syllable tokenizer for Vietnamese: words split on spaces, punctuation split off.

spaCy's own ``vi`` tokenizer either needs pyvi (word segmentation, not installed) or only
splits on whitespace, leaving ``"Mã,"`` as one token.  Ours keeps numbers such as
``10.270`` and ``41,8`` whole and always reproduces the input: ``doc.text_with_ws == text``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)?|\d+|[^\w\s]|_", re.UNICODE)


_PIECE_RE = re.compile(rf"(?P<word>{TOKEN_RE.pattern})(?P<space> ?)|(?P<gap>\s+)|(?P<other>.)", re.DOTALL)


def words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    r"""Tokens of ``text`` and whether each is followed by one space, as spaCy's ``Doc`` wants them.

    Same result as ``spacy.util.get_words_and_spaces(TOKEN_RE.findall(text), text)`` (a test
    checks), in one regex pass: one space after a token is its trailing space; any other run
    of white space becomes a token of its own.

    >>> words_and_spaces("Sông Mã,  đạt\n10.270 ha")
    (['Sông', 'Mã', ',', ' ', 'đạt', '\n', '10.270', 'ha'], [True, False, True, False, False, False, True, False])
    """
    pieces = _PIECE_RE.findall(text)
    return [w or g or o for w, _s, g, o in pieces], [bool(sp) for _w, sp, _g, _o in pieces]


class SyllableTokenizer:
    """Callable tokenizer: syllables, numbers and single punctuation marks."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["text"] = text  # see policykg.extract.base.text_of
        return doc

    # spaCy serialises tokenizers; ours has no state beyond the vocab.
    def to_bytes(self, **_: object) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_: object) -> SyllableTokenizer:
        return self

    def to_disk(self, _path: object, **_: object) -> None:
        return None

    def from_disk(self, _path: object, **_: object) -> SyllableTokenizer:
        return self


@registry.tokenizers("policykg.syllable_tokenizer.v1")  # type: ignore[untyped-decorator]
def create_syllable_tokenizer() -> Callable[[Language], SyllableTokenizer]:
    """Factory used in the pipeline config: ``@tokenizers = policykg.syllable_tokenizer.v1``."""

    def make(nlp: Language) -> SyllableTokenizer:
        return SyllableTokenizer(nlp.vocab)

    return make
