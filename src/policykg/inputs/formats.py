"""Reading the article formats: plain text, HTML and JSON Lines, each possibly gzip-compressed.

Inputs may be gzip-compressed (``a.jsonl.gz``), decompressed as they are read. JSON Lines
are streamed one record at a time, so a file of any size is read in bounded memory; a bad
record is handed to the caller's ``skip`` and reading goes on with the next line.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import stat
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from policykg.errors import InputError
from policykg.inputs.decode import CONVERT, LEGACY, decode
from policykg.inputs.find import EXPECTED, article_format
from policykg.inputs.sidecars import BadSidecar, metadata
from policykg.store.terms import NamedNode
from policykg.text import is_iso_date, legacy_vietnamese, written_date

MAX_BYTES = 20 * 1024 * 1024  # one .txt/.html article, after decompression
MAX_LINE_BYTES = 16 * 1024 * 1024  # one JSON Lines record (a .jsonl file has no limit)
_DISCARD_CHUNK = 1024 * 1024  # an over-long line is skipped this many bytes at a time
_SURROGATE = re.compile("[\ud800-\udfff]")
_OPTIONAL = ("url", "title", "date")


@dataclass(frozen=True)
class RawArticle:
    """Decoded text of one input article and what its container said about it."""

    identifier: str
    text: str
    source: str
    url: str | None = None
    title: str | None = None
    date: str | None = None
    line: int | None = None  # of a JSON Lines record: where it is in its file


def read(
    path: Path, skip: Callable[[str, str], None] | None = None, name: str | None = None
) -> Iterator[RawArticle]:
    """The articles of one input file, one at a time (a .jsonl file may hold many).

    The identifier of a .txt or .html article is ``name`` (default: the file's name as it
    is, ``a.txt.gz``), its date, url and title those of its sidecar or manifest row
    (:mod:`policykg.inputs.sidecars`), if any; a JSON Lines record's is its ``id``, or
    ``NAME#LINE`` without one. A bad sidecar skips its article. A bad record is
    passed to ``skip("PATH:LINE", reason)`` and reading goes on; without ``skip`` it raises
    InputError. A file that cannot be read raises InputError or OSError, a .jsonl one
    possibly after the articles before the damage were yielded.
    """
    fmt = article_format(path)
    if fmt is None:
        raise InputError(f"{path.name}: not an article file ({EXPECTED})")
    if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block, /dev/zero never end
        raise InputError(
            f"{path.name}: not a regular file (a device, FIFO or socket); copy it to a file first"
        )
    name = name or path.name
    if fmt == ".jsonl":
        yield from _jsonl(path, skip, name)
        return
    try:
        given = metadata(path)
    except BadSidecar as bad:
        why = f"{name}: not ingested, {bad}; fix it and ingest again"
        if skip is None:
            raise InputError(why) from None
        skip(str(path), why)
        return
    text = decode(_read_bounded(path), path.name)
    title: str | None = None
    if fmt == ".html":
        title, text = html_to_text(text)
    yield RawArticle(
        name, text, str(path), url=given.get("url"), title=given.get("title") or title, date=given.get("date")
    )


def _open(path: Path) -> io.BufferedIOBase:
    """The file's bytes, decompressed as they are read when its name ends in ``.gz``."""
    return gzip.GzipFile(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


def _read_bounded(path: Path) -> bytes:
    """The bytes of a .txt/.html file, decompressed; more than MAX_BYTES is refused unread."""
    with _open(path) as stream:
        try:
            data = stream.read(MAX_BYTES + 1)  # what stat says of a device or /proc file is no bound
        except (EOFError, zlib.error, gzip.BadGzipFile) as err:
            raise InputError(f"{path.name}: {_gzip_reason(err)}") from err
    if len(data) > MAX_BYTES:
        raise InputError(
            f"{path.name}: more than the {MAX_BYTES // 2**20} MB limit for one .txt or .html article; "
            "split it, or give its articles as JSON Lines (.jsonl, no size limit)"
        )
    return data


def _gzip_reason(err: Exception) -> str:
    """What a gzip error means, for a message."""
    if isinstance(err, EOFError):
        return "the compressed data ends early (a truncated .gz file?)"
    return f"not valid gzip data ({err or type(err).__name__})"


def _lines(stream: io.BufferedIOBase, name: str) -> Iterator[tuple[int, bytes | None]]:
    """(number, bytes) of each line, split on ``\\n`` only; None for a line over the limit.

    A line is read MAX_LINE_BYTES + 1 bytes at most, and an over-long one is passed over in
    bounded chunks, so no line of any length sits in memory whole.
    """
    number = 0
    try:
        while line := stream.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while (rest := stream.readline(_DISCARD_CHUNK)) and not rest.endswith(b"\n"):
                    pass
                yield number, None
            else:
                yield number, line
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:
        raise InputError(
            f"{name}:{number + 1}: {_gzip_reason(err)}; the {number} line(s) before it were read"
        ) from err


def _jsonl(path: Path, skip: Callable[[str, str], None] | None, name: str) -> Iterator[RawArticle]:
    blank = True
    with _open(path) as stream:
        for number, line in _lines(stream, path.name):
            if number == 1 and line is not None:
                if line.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
                    raise InputError(
                        f"{path.name}: UTF-16 or UTF-32 text; JSON Lines are UTF-8: "
                        "convert it first, e.g. with iconv -t UTF-8"
                    )
                line = line.removeprefix(b"\xef\xbb\xbf")
            try:
                if line is None:
                    raise _BadRecord(f"longer than the {MAX_LINE_BYTES // 2**20} MB limit for one line")
                if not line.strip():
                    continue
                blank = False
                yield _record(line.rstrip(b"\r\n"), path, name, number)
            except _BadRecord as bad:
                blank = False
                if skip is None:
                    raise InputError(f"{path.name}:{number}: {bad}") from None
                skip(f"{path}:{number}", str(bad))
    if blank:
        raise InputError(f"{path.name}: empty file")


class _BadRecord(Exception):
    """Why one JSON Lines record is not an article."""


def _record(line: bytes, path: Path, name: str, number: int) -> RawArticle:
    """The article of one JSON Lines record; a record that is not one raises _BadRecord."""
    try:
        item = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise _BadRecord(f"not UTF-8 (byte {err.start + 1} of the line)") from None
    except json.JSONDecodeError as err:
        raise _BadRecord(f"not valid JSON ({err.msg}, column {err.colno})") from None
    except ValueError as err:  # e.g. an integer of more digits than Python converts
        raise _BadRecord(f"not valid JSON ({err})") from None
    except RecursionError:
        raise _BadRecord("not valid JSON (nested too deeply)") from None
    if not isinstance(item, dict):
        raise _BadRecord(f"not a JSON object but {_json_type(item)}")
    text = item.get("text")
    if not isinstance(text, str):
        raise _BadRecord('no "text" field' if text is None else f'"text" is {_json_type(text)}, not a string')
    if not text.strip():
        raise _BadRecord('"text" is empty')
    if legacy_vietnamese(text):
        raise _BadRecord(f'"text" is {LEGACY}; {CONVERT}')
    fields = {key: item.get(key) for key in _OPTIONAL}
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise _BadRecord(f'"{key}" is {_json_type(value)}, not a string')
    identifier = _identifier(item.get("id"), f"{name}#{number}")
    for key, value in (("text", text), ("id", identifier), *fields.items()):
        if value and (found := _SURROGATE.search(value)):
            raise _BadRecord(f'"{key}" holds an unpaired surrogate \\u{ord(found[0]):04x}, which is not text')
    if fields["date"] and not is_iso_date(written_date(fields["date"])):  # an xsd:date that is not one
        raise _BadRecord(f'"date" is not a date ({fields["date"]!r}; write it YYYY-MM-DD)')
    url = fields["url"]
    if url and url.startswith("http"):  # stored as an IRI: one that is not valid would stop the run
        try:
            NamedNode(url)
        except ValueError as err:
            raise _BadRecord(f'"url" is not a valid IRI ({err})') from None
    return RawArticle(
        identifier, text, str(path), url=url, title=fields["title"], date=fields["date"], line=number
    )


def _identifier(value: object, default: str) -> str:
    """A record's ``id`` (a string, or an integer written in decimal), ``default`` without one."""
    if value is None:
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _BadRecord(f'"id" is {_json_type(value)}, not a string or an integer')
    if not value.strip():
        raise _BadRecord('"id" is empty')
    return value


def _json_type(value: object) -> str:
    """How JSON names the type of a decoded value.

    >>> _json_type([1]), _json_type(True), _json_type(2.5)
    ('an array', 'a boolean', 'a number')
    """
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    return "a string"


class _HTMLText(HTMLParser):
    """Visible text of a page's main content, one line per block element."""

    SKIP = frozenset(
        {
            "script",
            "style",
            "nav",
            "header",
            "footer",
            "aside",
            "form",
            "noscript",
            "iframe",
            "svg",
            "button",
            "select",
        }
    )
    BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "li",
            "tr",
            "section",
            "article",
            "blockquote",
            "figcaption",
            "td",
            "main",
            "ul",
            "ol",
            "table",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.article_parts: list[str] = []
        self.skip_depth = 0
        self.article_depth = 0
        self.title = ""
        self.h1 = ""
        self._in = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip_depth += 1
        if tag == "article":
            self.article_depth += 1
        if tag in ("title", "h1"):
            self._in = tag
        if tag in self.BLOCK:
            self._add("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        if tag == "article" and self.article_depth:
            self.article_depth -= 1
        if tag in ("title", "h1"):
            self._in = ""
        if tag in self.BLOCK:
            self._add("\n")

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
            return
        if self.skip_depth:
            return
        if self._in == "h1":
            self.h1 += data
        self._add(data)

    def _add(self, data: str) -> None:
        self.parts.append(data)
        if self.article_depth:
            self.article_parts.append(data)


def html_to_text(html: str) -> tuple[str | None, str]:
    """(title, main text) of an HTML page; the ``<article>`` element when there is one."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    raw = "".join(parser.article_parts or parser.parts)
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    text = "\n".join(line for line in lines if line)
    title = " ".join((parser.h1 or parser.title).split()) or None
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return title, text
