"""Reading inputs: find files, decode bytes, parse HTML and JSON Lines, clean the page.

The cleaning separates the article (title, body) from the page around it (site header,
date line, byline, sidebars, counters) and normalises the text to NFC.  Offsets of all
later stages are into the cleaned ``Article.text``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from policykg.errors import InputError
from policykg.records import Article
from policykg.text import nfc

SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
MAX_BYTES = 20 * 1024 * 1024

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


def discover(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Input files under ``paths`` (sorted), and the paths skipped with the reason."""
    files, skipped = [], []
    for path in paths:
        if not path.exists():
            skipped.append((path, "no such file or folder"))
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name.startswith("."):
                    continue
                if child.suffix.lower() in SUFFIXES:
                    files.append(child)
                else:
                    skipped.append((child, f"not an article file (expected {', '.join(SUFFIXES)})"))
        elif path.suffix.lower() in SUFFIXES:
            files.append(path)
        else:
            skipped.append((path, f"not an article file (expected {', '.join(SUFFIXES)})"))
    return files, skipped


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
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1258", errors="replace")
    marks = sum(1 for ch in text if unicodedata.combining(ch))
    letters = sum(1 for ch in text if ch.isalpha()) or 1
    if "\ufffd" not in text and marks / letters > 0.02:
        return text
    raise InputError(
        f"{name}: not UTF-8 text (a legacy encoding such as TCVN3 or VNI?); "
        "convert it to UTF-8 first, e.g. with iconv"
    )


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: looks like {codec} but does not decode ({err.reason})") from err


def read(path: Path) -> list[RawArticle]:
    """The articles in one input file (a .jsonl file may hold many)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"{path.name}: {size} bytes is larger than the {MAX_BYTES} byte limit for one file")
    text = decode(path.read_bytes(), path.name)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        title, body = html_to_text(text)
        return [RawArticle(path.name, body, str(path), title=title)]
    if suffix == ".jsonl":
        return list(_jsonl(text, path))
    return [RawArticle(path.name, text, str(path))]


def _jsonl(text: str, path: Path) -> Iterator[RawArticle]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{path.name}:{number}: not valid JSON ({err.msg})") from err
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            raise InputError(f'{path.name}:{number}: each line needs a non-empty "text" field')
        identifier = str(item.get("id") or f"{path.name}#{number}")
        yield RawArticle(
            identifier,
            item["text"],
            str(path),
            url=item.get("url"),
            title=item.get("title"),
            date=item.get("date"),
        )


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
        if m and 1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31:
            return f"{m['y']}-{int(m['m']):02d}-{int(m['d']):02d}"
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
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
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
    )


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
        if m and 1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31:
            year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
            return i, f"{year}-{int(m['m']):02d}-{int(m['d']):02d}"
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
        return date[:10]
    return parse_date(date)
