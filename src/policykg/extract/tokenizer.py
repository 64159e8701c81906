"""A syllable tokenizer for Vietnamese: words split on spaces, punctuation split off.

spaCy's own ``vi`` tokenizer either needs pyvi (word segmentation, not installed) or only
splits on whitespace, leaving ``"Mã,"`` as one token.  Ours keeps numbers such as
``10.270`` and ``41,8`` whole and always reproduces the input: ``doc.text_with_ws == text``.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry
from spacy.vocab import Vocab

TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)?|\d+|[^\w\s]|_", re.UNICODE)


class SyllableTokenizer:
    """Callable tokenizer: syllables, numbers and single punctuation marks."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = TOKEN_RE.findall(text)
        if not words:
            return Doc(self.vocab, words=[text] if text else [], spaces=[False] if text else [])
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    # spaCy serialises tokenizers; ours has no state beyond the vocab.
    def to_bytes(self, **_: object) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_: object) -> SyllableTokenizer:
        return self

    def to_disk(self, _path: object, **_: object) -> None:
        return None

    def from_disk(self, _path: object, **_: object) -> SyllableTokenizer:
        return self


@registry.tokenizers("policykg.syllable_tokenizer.v1")
def create_syllable_tokenizer():
    """Factory used in the pipeline config: ``@tokenizers = policykg.syllable_tokenizer.v1``."""

    def make(nlp) -> SyllableTokenizer:
        return SyllableTokenizer(nlp.vocab)

    return make
