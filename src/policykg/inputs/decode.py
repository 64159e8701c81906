"""Decoding bytes to text: UTF-8 (with or without BOM), UTF-16, or a legacy code page, and
refusing Vietnamese in a legacy font encoding that would be stored as mojibake."""

from __future__ import annotations

import unicodedata

from policykg.errors import InputError
from policykg.text import legacy_vietnamese


def decode(data: bytes, name: str) -> str:
    """Text of ``data``: UTF-8 (with or without BOM), UTF-16/32 with BOM or plain UTF-16,
    or Windows-1258; anything else (binary, other legacy encodings) raises InputError."""
    if not data.strip():
        raise InputError(f"{name}: empty file")
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return _strict(data, codec, name)
    if b"\x00" in data[:4096]:
        sample = data[:4096]
        if sample[1::2].count(0) > len(sample) // 4:
            return _strict(data, "utf-16-le", name)
        if sample[0::2].count(0) > len(sample) // 4:
            return _strict(data, "utf-16-be", name)
        raise InputError(f"{name}: binary file, not text")
    try:
        return _not_legacy(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    _not_legacy(data.decode("latin-1"), name)  # TCVN3 bytes: their Latin-1 reading shows it
    text = data.decode("cp1258", errors="replace")
    marks = sum(1 for ch in text if unicodedata.combining(ch))
    letters = sum(1 for ch in text if ch.isalpha()) or 1
    if "\ufffd" not in text and marks / letters > 0.02:
        return _not_legacy(text, name)
    raise InputError(
        f"{name}: not UTF-8 text (a legacy encoding such as TCVN3 or VNI?); "
        "convert it to UTF-8 first, e.g. with iconv"
    )


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return _not_legacy(data.decode(codec), name)
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: looks like {codec} but does not decode ({err.reason})") from err


LEGACY = "Vietnamese in a legacy 8-bit encoding (TCVN3/ABC, VISCII or VNI) saved as Latin-1 text"
CONVERT = (
    "convert it to Unicode first (e.g. with UniKey's converter: source TCVN3, VISCII or VNI, "
    "whichever it was written in; target Unicode)"
)


def _not_legacy(text: str, name: str) -> str:
    """``text``, unless it is legacy-encoded Vietnamese that would be stored as mojibake."""
    if legacy_vietnamese(text):
        raise InputError(f"{name}: {LEGACY} ('{' '.join(text.split())[:30]}…'); {CONVERT}")
    return text
