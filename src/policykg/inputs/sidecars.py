"""What a plain article file says about itself beside it: ``NAME.meta.json`` or the folder's
``manifest.csv`` (issue 20, item 5).

A ``.txt`` or ``.html`` article has no room for its date, address or headline, so they may be
given next to it: ``a.meta.json`` for ``a.txt`` (``a.txt.gz``, ``a.html``), an object with
``date``, ``url`` and ``title`` (strings, each optional), or a row of ``manifest.csv`` in the
same folder (columns ``file,date,url,title``, ``file`` the article's file name). A sidecar's
fields win over the manifest's. Fields are checked as a JSON Lines record's are; a bad sidecar
or manifest row keeps its article out (reported, never a crash), so the article is ingested
whole once it is fixed.
"""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from pathlib import Path

from policykg.errors import InputError
from policykg.store.terms import NamedNode
from policykg.text import is_iso_date, written_date

FIELDS = ("date", "url", "title")
MANIFEST = "manifest.csv"
SIDECAR_SUFFIX = ".meta.json"
_MAX_BYTES = 1024 * 1024  # a sidecar or manifest larger than this is no sidecar
_ARTICLE_SUFFIXES = (".txt.gz", ".txt", ".html.gz", ".html", ".htm.gz", ".htm")


class BadSidecar(InputError):
    """A sidecar or manifest that cannot be read as one; its article is skipped."""


def is_companion(path: Path) -> bool:
    """Whether ``path`` is a sidecar or a manifest, read with its articles and not as one.

    >>> is_companion(Path("2013/a.meta.json")), is_companion(Path("manifest.csv")), is_companion(Path("a.json"))
    (True, True, False)
    """
    return path.name.endswith(SIDECAR_SUFFIX) or path.name == MANIFEST


def sidecar_path(article: Path) -> Path:
    """Where the sidecar of ``article`` is: its name without the article suffix, ``.meta.json``.

    >>> sidecar_path(Path("x/a.txt.gz")).as_posix(), sidecar_path(Path("b.HTML")).as_posix()
    ('x/a.meta.json', 'b.meta.json')
    """
    name = article.name
    for suffix in _ARTICLE_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return article.with_name(name + SIDECAR_SUFFIX)


def metadata(article: Path) -> dict[str, str]:
    """The date, url and title given for ``article`` by its manifest row and its sidecar (the
    sidecar's win); empty when neither is there. Raises BadSidecar with the reason."""
    fields: dict[str, str] = {}
    manifest = article.parent / MANIFEST
    if manifest.is_file():
        row = _manifest(str(manifest), *_stamp(manifest)).get(article.name, {})
        if isinstance(row, str):
            raise BadSidecar(row)
        fields.update(row)
    sidecar = sidecar_path(article)
    if sidecar.is_file():
        fields.update(_sidecar(sidecar))
    return fields


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def _text(path: Path) -> str:
    data = path.read_bytes()[: _MAX_BYTES + 1]
    if len(data) > _MAX_BYTES:
        raise BadSidecar(f"{path.name} is larger than 1 MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise BadSidecar(f"{path.name} is not UTF-8 (byte {err.start + 1})") from None


def _sidecar(path: Path) -> dict[str, str]:
    try:
        item = json.loads(_text(path))
    except (ValueError, RecursionError) as err:
        raise BadSidecar(f"{path.name} is not valid JSON ({str(err).splitlines()[0]})") from None
    if not isinstance(item, dict):
        raise BadSidecar(f'{path.name} is not a JSON object (write {{"date": "2022-12-07", "url": "…"}})')
    return checked(item, path.name)


@lru_cache(maxsize=64)
def _manifest(path: str, _mtime: int, _size: int) -> dict[str, dict[str, str] | str]:
    """The rows of a manifest by file name, read once while the file is unchanged; a bad row is
    the reason it is bad (its article alone is skipped), a bad header or file raises."""
    name = Path(path).name
    reader = csv.DictReader(io.StringIO(_text(Path(path)), newline=""))
    columns = reader.fieldnames or []
    if "file" not in columns:
        raise BadSidecar(f"{name} has no 'file' column (its header: file,date,url,title)")
    unknown = [c for c in columns if c not in ("file", *FIELDS)]
    if unknown:
        raise BadSidecar(f"{name} has a column {unknown[0]!r}; its columns are file,date,url,title")
    rows: dict[str, dict[str, str] | str] = {}
    try:
        for row in reader:
            file = (row.get("file") or "").strip()
            if not file:
                continue
            where = f"{name}, line {reader.line_num}"
            if file in rows:
                rows[file] = f"{where} names {file} a second time"
            elif None in row:
                rows[file] = f"{where}: more cells than columns"
            else:
                try:
                    rows[file] = checked({k: v for k, v in row.items() if k in FIELDS and v}, where)
                except BadSidecar as bad:
                    rows[file] = str(bad)
    except csv.Error as err:
        raise BadSidecar(f"{name}, line {reader.line_num}: not valid CSV ({err})") from None
    return rows


def checked(item: dict[str, object], where: str) -> dict[str, str]:
    """The fields of a sidecar object or manifest row, each a string that says what it should.

    >>> checked({"date": "07/12/2022", "title": None}, "a.meta.json")
    {'date': '07/12/2022'}
    """
    unknown = sorted(set(item) - set(FIELDS))
    if unknown:
        raise BadSidecar(f"{where}: unknown field {unknown[0]!r} (a sidecar gives date, url and title)")
    fields: dict[str, str] = {}
    for key in FIELDS:
        value = item.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise BadSidecar(f'{where}: "{key}" is not a string')
        value = value.strip()
        if not value:
            continue
        if key == "date" and not is_iso_date(written_date(value)):
            raise BadSidecar(f'{where}: "date" is not a date ({value!r}; write it YYYY-MM-DD)')
        if key == "url" and value.startswith("http"):
            try:
                NamedNode(value)
            except ValueError as err:
                raise BadSidecar(f'{where}: "url" is not a valid IRI ({err})') from None
        fields[key] = value
    return fields
