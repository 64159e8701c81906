"""Cleaning a page: the article (title, body) apart from the page around it (site header,
date line, byline, sidebars, counters, the crawled trailer), normalised to NFC. Offsets of
all later stages are into the cleaned ``Article.text``."""

from __future__ import annotations

import hashlib
import json
import re

from policykg.errors import InputError
from policykg.inputs.formats import RawArticle
from policykg.records import Article
from policykg.text import iso_date, nfc, parse_date, written_date

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
_NAME_LINE = re.compile(
    r"^(?:[A-ZÀ-ỸĐ][^\s\d.,:;!?]*(?: [A-ZÀ-ỸĐ][^\s\d.,:;!?]*){1,4}|H['’][A-ZÀ-ỸĐ][^\s\d.,:;!?]*)$"
)
# the page trailer of crawled news: "27/05/13 13:37 GMT+7", then category, tags and outlet
_TRAILER_DATE = re.compile(
    r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{2}|\d{4})[ ]+\d{1,2}:\d{2}(?::\d{2})?(?:[ ]*GMT[ ]*[+-][ ]*\d{1,2})?$"
)
_TRAILER_LINES = 6
_CREDIT_LINE = re.compile(r"^(?:Tác giả|Bài(?:,| và) ảnh|Tin(?:,| và) ảnh|Bài|Tin)[ ]*:[ ]*(?P<name>.+)$")


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
    date = written_date(raw.date) or _date_near_top(lines, index) or trailer_date
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
