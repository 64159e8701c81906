"""Inputs: find the article files, decode their bytes, read their formats, clean the page.

``discover`` finds files, ``read`` yields the raw articles of one file (streamed, a bad
record skipped), ``clean`` locates the article in its page.
"""

from __future__ import annotations

from policykg.inputs.clean import clean, content_hash
from policykg.inputs.decode import decode
from policykg.inputs.find import SUFFIXES, InputFile, article_format, discover
from policykg.inputs.formats import MAX_BYTES, MAX_LINE_BYTES, RawArticle, html_to_text, read

__all__ = [
    "MAX_BYTES",
    "MAX_LINE_BYTES",
    "SUFFIXES",
    "InputFile",
    "RawArticle",
    "article_format",
    "clean",
    "content_hash",
    "decode",
    "discover",
    "html_to_text",
    "read",
]
