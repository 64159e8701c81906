"""Reading inputs: find files, decode bytes, parse HTML and JSON Lines, clean the page.

Inputs may be gzip-compressed (``a.jsonl.gz``), decompressed as they are read. JSON Lines
are streamed one record at a time, so a file of any size is read in bounded memory; a bad
record is handed to the caller's ``skip`` and reading goes on with the next line.

The cleaning separates the article (title, body) from the page around it (site header,
date line, byline, sidebars, counters) and normalises the text to NFC.  Offsets of all
later stages are into the cleaned ``Article.text``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from policykg.errors import InputError
from policykg.records import Article
from policykg.store.terms import NamedNode
from policykg.text import is_iso_date, iso_date, legacy_vietnamese, nfc

SUFFIXES = (".txt", ".html", ".htm", ".jsonl")  # each also as .gz (``a.jsonl.gz``)
MAX_BYTES = 20 * 1024 * 1024  # one .txt/.html article, after decompression
MAX_LINE_BYTES = 16 * 1024 * 1024  # one JSON Lines record (a .jsonl file has no limit)
_DISCARD_CHUNK = 1024 * 1024  # an over-long line is skipped this many bytes at a time
_EXPECTED = f"expected {', '.join(SUFFIXES)}, or any of them .gz"
_SURROGATE = re.compile("[\ud800-\udfff]")
_OPTIONAL = ("url", "title", "date")

_BODY_END = (
    "Tác giả:",
    "Tác giả :",
    "Tổng số điểm của bài viết",
    "Văn bản mới",
    "Phản hồi",
    "Các tin khác",
    "Tin khác",
    "Mới nhất",
    "Liên kết website",
    "Ý kiến bạn đọc",
    "Tìm kiếm theo ngày",
    "Tin liên quan",
    "Bài viết liên quan",
    "Các bài viết khác",
    "Chia sẻ bài viết",
    "Từ khóa:",
    "Tags:",
    "Thống kê truy cập",
    "Gửi bình luận",
    "In bài viết",
    "Theo http",
    "Theo https",
    "Nguồn:",
    "Nguồn http",
)
_HEADER = ("Trang thông tin điện tử", "Cổng thông tin điện tử", "Cổng Thông tin điện tử", "Trang chủ")
_DATE_PATTERNS = (
    re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})"),
    re.compile(r"[Nn]gày (?P<d>\d{1,2}) tháng (?P<m>\d{1,2}) năm (?P<y>(?:19|20)\d{2})"),
)
_NAME_LINE = re.compile(
    r"^(?:[A-ZÀ-ỸĐ][^\s\d.,:;!?]*(?: [A-ZÀ-ỸĐ][^\s\d.,:;!?]*){1,4}|H['’][A-ZÀ-ỸĐ][^\s\d.,:;!?]*)$"
)
# the page trailer of crawled news: "27/05/13 13:37 GMT+7", then category, tags and outlet
_TRAILER_DATE = re.compile(
    r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{2}|\d{4})[ ]+\d{1,2}:\d{2}(?::\d{2})?(?:[ ]*GMT[ ]*[+-][ ]*\d{1,2})?$"
)
_TRAILER_LINES = 6
_CREDIT_LINE = re.compile(r"^(?:Tác giả|Bài(?:,| và) ảnh|Tin(?:,| và) ảnh|Bài|Tin)[ ]*:[ ]*(?P<name>.+)$")


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


def article_format(path: Path) -> str | None:
    """The article format a file name says (``.gz`` or not), or None if it is not an article file.

    >>> article_format(Path("baomoi-2013.jsonl.gz")), article_format(Path("a.HTM"))
    ('.jsonl', '.html')
    >>> article_format(Path("notes.md")) is None
    True
    """
    name = path.name.lower()
    suffix = Path(name.removesuffix(".gz")).suffix
    if suffix not in SUFFIXES:
        return None
    return ".html" if suffix == ".htm" else suffix


@dataclass(frozen=True)
class InputFile:
    """A file to read and the name that identifies its articles: the path relative to the
    folder it was found in (``2013/a.txt``), or the file's name when it was given itself."""

    path: Path
    name: str


def discover(paths: list[Path]) -> tuple[list[InputFile], list[tuple[Path, str]]]:
    """Input files under ``paths`` (sorted within each folder), and the paths skipped with the reason.

    A file reached twice (a folder and a file in it) is listed once, under its first name.
    """
    files: list[InputFile] = []
    skipped: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(path: Path, name: str) -> None:
        key = path.absolute()
        if key not in seen:
            seen.add(key)
            files.append(InputFile(path, name))

    for path in paths:
        if not path.exists():
            skipped.append((path, "no such file or folder"))
        elif path.is_dir():
            # anything but a folder is listed, so that a link to a device or a dangling link
            # named like an article is refused by read() with a message, not passed over
            children, passed_over = _walk(path)
            skipped += passed_over
            for child in children:
                if article_format(child):
                    add(child, child.relative_to(path).as_posix())
                else:
                    skipped.append((child, f"not an article file ({_EXPECTED})"))
        elif article_format(path):
            add(path, path.name)
        else:
            skipped.append((path, f"not an article file ({_EXPECTED})"))
    return files, skipped


def _walk(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every non-folder entry under ``folder`` (sorted, hidden ones left out), and the folders
    not entered with the reason: one that cannot be read, a link to a folder (never followed,
    so a link loop cannot run forever)."""
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []

    def unreadable(err: OSError) -> None:
        skipped.append((Path(err.filename), f"folder cannot be read ({err.strerror})"))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        here = Path(root)
        for name in list(dirs):
            if name.startswith("."):
                dirs.remove(name)
            elif (here / name).is_symlink():
                dirs.remove(name)
                skipped.append((here / name, "a link to a folder, not followed (give the folder itself)"))
        found += [here / n for n in names if not n.startswith(".")]
    return sorted(found), skipped


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


_LEGACY = "Vietnamese in a legacy encoding (TCVN3/ABC) saved as Latin-1 text"
_CONVERT = "convert it to Unicode first (e.g. with UniKey's converter, source TCVN3, target Unicode)"


def _not_legacy(text: str, name: str) -> str:
    """``text``, unless it is legacy-encoded Vietnamese that would be stored as mojibake."""
    if legacy_vietnamese(text):
        raise InputError(f"{name}: {_LEGACY} ('{' '.join(text.split())[:30]}…'); {_CONVERT}")
    return text


def read(
    path: Path, skip: Callable[[str, str], None] | None = None, name: str | None = None
) -> Iterator[RawArticle]:
    """The articles of one input file, one at a time (a .jsonl file may hold many).

    The identifier of a .txt or .html article is ``name`` (default: the file's name as it
    is, ``a.txt.gz``); a JSON Lines record's is its ``id``, or ``NAME#LINE`` without one. A bad record is
    passed to ``skip("PATH:LINE", reason)`` and reading goes on; without ``skip`` it raises
    InputError. A file that cannot be read raises InputError or OSError, a .jsonl one
    possibly after the articles before the damage were yielded.
    """
    fmt = article_format(path)
    if fmt is None:
        raise InputError(f"{path.name}: not an article file ({_EXPECTED})")
    if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block, /dev/zero never end
        raise InputError(
            f"{path.name}: not a regular file (a device, FIFO or socket); copy it to a file first"
        )
    name = name or path.name
    if fmt == ".jsonl":
        yield from _jsonl(path, skip, name)
        return
    text = decode(_read_bounded(path), path.name)
    if fmt == ".html":
        title, body = html_to_text(text)
        yield RawArticle(name, body, str(path), title=title)
    else:
        yield RawArticle(name, text, str(path))


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
        raise _BadRecord(f'"text" is {_LEGACY}; {_CONVERT}')
    fields = {key: item.get(key) for key in _OPTIONAL}
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise _BadRecord(f'"{key}" is {_json_type(value)}, not a string')
    identifier = _identifier(item.get("id"), f"{name}#{number}")
    for key, value in (("text", text), ("id", identifier), *fields.items()):
        if value and (found := _SURROGATE.search(value)):
            raise _BadRecord(f'"{key}" holds an unpaired surrogate \\u{ord(found[0]):04x}, which is not text')
    if fields["date"] and not is_iso_date(_iso(fields["date"])):  # an xsd:date that is not one
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


def parse_date(text: str) -> str | None:
    """ISO date of the first date written in ``text`` (``07/12/2022``, ``ngày 4 tháng 8 năm 2020``)."""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if m:  # the first date written; 31/02/2022 is none, and is not stored as one
            return iso_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return None


def clean(raw: RawArticle) -> Article:
    """Normalise and locate the article in its page: title, date, body range, bylines."""
    text = nfc(raw.text).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    index = _first_content_line(lines)
    if index is None:
        raise InputError(f"{raw.identifier}: no text")
    title = raw.title or lines[index].strip()
    body_start = offsets[index]
    trailer_index, trailer_date = _trailer(lines, index + 1)
    date = _iso(raw.date) or _date_near_top(lines, index) or trailer_date
    end_index, authors = _body_end(lines[:trailer_index], index + 1)
    body_end = offsets[end_index] - 1 if end_index < len(lines) else len(text)
    digest = content_hash(text, raw)
    return Article(
        identifier=raw.identifier,
        text=text,
        body_start=body_start,
        body_end=max(body_start, body_end),
        title=nfc(title),
        date=date,
        url=raw.url,
        authors=tuple(authors),
        content_hash=digest,
        source=raw.source,
        line=raw.line,
    )


def content_hash(text: str, raw: RawArticle) -> str:
    """SHA-256 of what an article is made of: its normalised text and the title, date and url
    its container gives (a JSON Lines record), so that a corrected field is a changed article.
    An article with none of them hashes its text alone, as before metadata counted.

    >>> content_hash("Bài.", RawArticle("a", "Bài.", "a")) == hashlib.sha256("Bài.".encode()).hexdigest()
    True
    >>> content_hash("Bài.", RawArticle("a", "Bài.", "a", title="T")) == content_hash("Bài.", RawArticle("a", "Bài.", "a"))
    False
    """
    data = text
    if raw.title is not None or raw.date is not None or raw.url is not None:
        data += "\x00" + json.dumps([raw.title, raw.date, raw.url], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _first_content_line(lines: list[str]) -> int | None:
    index, after_header = 0, False
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        if line.startswith(_HEADER):
            after_header = True
            index += 1
            continue
        if after_header and len(line.split()) <= 4 and not line.endswith((".", ":")):
            after_header = False
            index += 1
            continue
        return index
    return None


def _date_near_top(lines: list[str], title_index: int) -> str | None:
    for line in lines[title_index + 1 : title_index + 5]:
        if line.strip() and len(line) < 80:
            found = parse_date(line)
            if found:
                return found
    return None


def _trailer(lines: list[str], start: int) -> tuple[int, str | None]:
    """Where the page trailer starts (its date line near the end) and the date it gives.

    >>> _trailer(["Title", "Body.", "27/05/13 13:37 GMT+7", "Kinh tế", "SJC,Công tâm", "SGGP"], 1)
    (2, '2013-05-27')
    """
    last = len(lines)
    for i in range(last - 1, max(start, last - _TRAILER_LINES) - 1, -1):
        m = _TRAILER_DATE.match(lines[i].strip())
        if m:
            year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
            return i, iso_date(year, int(m["m"]), int(m["d"]))
    return last, None


def _body_end(lines: list[str], start: int) -> tuple[int, list[str]]:
    """Index of the first line after the body, and the bylines found there."""
    authors: list[str] = []
    for i in range(start, len(lines)):
        line = lines[i].strip()
        if not line.startswith(_BODY_END):
            continue
        end = i
        if line.startswith(("Tác giả:", "Tác giả :", "Nguồn:")):
            authors.append(line.split(":", 1)[1].strip())
        back = i - 1
        while back > start and not lines[back].strip():
            back -= 1
        credit = _CREDIT_LINE.match(lines[back].strip()) if back > start else None
        if credit:
            authors.insert(0, credit["name"].strip())
            end = back
        elif back > start and _NAME_LINE.match(lines[back].strip()):
            authors.insert(0, lines[back].strip())
            end = back
        return end, [a for a in authors if a]
    return _trailing_byline(lines, start)


def _trailing_byline(lines: list[str], start: int) -> tuple[int, list[str]]:
    """An article without page furniture may still end on its byline (``Minh Anh``, ``Bài, ảnh: X``)."""
    last = len(lines) - 1
    while last > start and not lines[last].strip():
        last -= 1
    line = lines[last].strip() if last > start else ""
    credit = _CREDIT_LINE.match(line)
    if credit:
        return last, [credit["name"].strip()]
    if _NAME_LINE.match(line):
        return last, [line]
    return len(lines), []


def _iso(date: str | None) -> str | None:
    if not date:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", date):
        return date[:10] if is_iso_date(date[:10]) else None
    return parse_date(date)
