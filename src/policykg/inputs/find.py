"""Finding input files: the article files under the paths given, and what was skipped and why."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from policykg.inputs.sidecars import is_companion

SUFFIXES = (".txt", ".html", ".htm", ".jsonl")  # each also as .gz (``a.jsonl.gz``)
EXPECTED = f"expected {', '.join(SUFFIXES)}, or any of them .gz"


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
                elif is_companion(child):
                    continue  # NAME.meta.json, manifest.csv: read with the articles they describe
                else:
                    skipped.append((child, f"not an article file ({EXPECTED})"))
        elif article_format(path):
            add(path, path.name)
        else:
            skipped.append((path, f"not an article file ({EXPECTED})"))
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
