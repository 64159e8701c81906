"""Precision from judged sample sheets: what fraction of what the graph says is right.

``policykg sample`` writes a sheet of randomly drawn items; a researcher writes a verdict on
each row (``y`` right, ``n`` wrong, ``?`` undecidable); ``policykg eval --judged`` reads the
sheets back and reports, per kind, the precision with its 95 % Wilson score interval. Rows
marked ``?`` or left blank are excluded from the proportion and counted apart.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policykg.errors import SheetError

KINDS = ("implements", "partyorg", "locality", "person", "achievement", "document")
SHEET_COLUMNS = (
    "n",
    "kind",
    "item",
    "iri",
    "sentence",
    "article",
    "title",
    "start",
    "end",
    "verdict",
    "note",
)
QUESTIONS = {  # what a judge decides for each kind (the sheet's header and the README say it)
    "implements": "does the sentence say that this actor carries out this document (and is the place in "
    "brackets the actor's)?",
    "partyorg": "does the sentence name this Party organisation, a Party body and not a State one (a short "
    "form such as “Đảng ủy xã” counts when the article makes clear which)?",
    "locality": "does the sentence name this place, of this type (and does it lie in the place in brackets)?",
    "person": "does the sentence name this person, a real person of the events (and is the position theirs)?",
    "achievement": "does the sentence report this figure and unit as a result (of this actor, in this "
    "year)? Figures have a decimal point: 41.8 is the text's 41,8, 9614 its 9.614.",
    "document": "does the sentence cite this document (and are its number and class right)?",
}
REQUIRED_COLUMNS = ("n", "kind", "item", "iri", "verdict")
VERDICTS = {"y": True, "n": False, "?": None, "": None}
Z95 = 1.96


def wilson(correct: int, judged: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of the proportion ``correct / judged`` (z = 1.96: 95 %).

    It stays inside [0, 1] and is honest at small n and at 0 % or 100 %, where the
    normal approximation collapses to a point.

    >>> [round(b, 3) for b in wilson(36, 40)]
    [0.769, 0.96]
    >>> [round(b, 3) for b in wilson(40, 40)]
    [0.912, 1.0]
    """
    if judged <= 0 or not 0 <= correct <= judged:
        raise ValueError(f"unexpected proportion: {correct}/{judged}")
    p = correct / judged
    shrink = 1 + z * z / judged
    centre = (p + z * z / (2 * judged)) / shrink
    half = z * math.sqrt(p * (1 - p) / judged + z * z / (4 * judged * judged)) / shrink
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Tally:
    """The verdicts on one kind's rows."""

    correct: int = 0
    wrong: int = 0
    undecided: int = 0  # "?"
    blank: int = 0

    def add(self, verdict: str) -> None:
        value = VERDICTS[verdict]
        if value is True:
            self.correct += 1
        elif value is False:
            self.wrong += 1
        elif verdict == "?":
            self.undecided += 1
        else:
            self.blank += 1

    def scores(self) -> dict[str, Any]:
        """Judged n, correct, precision and its Wilson interval (None when nothing was judged)."""
        judged = self.correct + self.wrong
        interval = [round(b, 4) for b in wilson(self.correct, judged)] if judged else None
        return {
            "judged": judged,
            "correct": self.correct,
            "precision": round(self.correct / judged, 4) if judged else None,
            "wilson95": interval,
            "undecided": self.undecided,
            "blank": self.blank,
        }


def read_sheet(path: Path) -> list[dict[str, str]]:
    """The rows of a judged sheet (CSV, comma, semicolon or tab separated), checked.

    Raises ``SheetError`` naming the file (and row) for a missing column, an unknown kind or
    an unknown verdict.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise SheetError(f"{path}: no such sheet") from err
    except (OSError, UnicodeDecodeError) as err:
        raise SheetError(f"{path}: cannot read it as a UTF-8 CSV sheet ({err})") from err
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SheetError(
            f"{path}: no column {', '.join(missing)}; a sheet from 'policykg sample' has "
            f"{', '.join(SHEET_COLUMNS)}"
        )
    reader.fieldnames = header
    rows = []
    try:
        for raw in reader:
            row = {k: (v or "").strip() for k, v in raw.items() if k}
            if any(row.values()):  # a spreadsheet may save empty rows at the end
                rows.append(_checked(path, reader.line_num, row))
    except csv.Error as err:
        raise SheetError(f"{path} line {reader.line_num}: not a CSV sheet ({err})") from err
    return rows


def _delimiter(text: str) -> str:
    """The delimiter of the header line: a spreadsheet may save with ``;`` or tabs.

    >>> _delimiter("n;kind;item;iri;verdict"), _delimiter("n,kind,item,iri,verdict")
    (';', ',')
    """
    header = text.split("\n", 1)[0]
    return max(",;\t", key=header.count)


def _checked(path: Path, line: int, row: dict[str, str]) -> dict[str, str]:
    """The row with its verdict in lower case; a ``SheetError`` for an unknown kind or verdict."""
    if row["kind"] not in KINDS:
        raise SheetError(f"{path} line {line}: unknown kind {row['kind']!r}; one of {', '.join(KINDS)}")
    verdict = row["verdict"].lower()
    if verdict not in VERDICTS:
        raise SheetError(
            f"{path} line {line}: verdict {row['verdict']!r} is not y, n, ? or blank (row n={row['n']})"
        )
    return row | {"verdict": verdict}


def score_sheets(paths: Iterable[Path]) -> dict[str, Any]:
    """Per kind (in ``KINDS`` order): judged n, correct, precision, Wilson 95 %, ``?`` and blank."""
    tallies: dict[str, Tally] = {}
    sheets = []
    for path in paths:
        for row in read_sheet(path):
            tallies.setdefault(row["kind"], Tally()).add(row["verdict"])
        sheets.append(str(path))
    kinds = {k: tallies[k].scores() for k in KINDS if k in tallies}
    return {"kinds": kinds, "sheets": sheets, "z": Z95}


def format_judged(scores: dict[str, Any]) -> str:
    """The precision table as text.

    >>> print(format_judged({"kinds": {"person": Tally(36, 4, 1, 0).scores()}}), end="")
    kind         judged  correct  precision  95% interval   ?  blank
    person           40       36      0.900  0.769–0.960    1      0
    """
    lines = [
        f"{'kind':12} {'judged':>6} {'correct':>8} {'precision':>10}  {'95% interval':13} {'?':>2} {'blank':>6}"
    ]
    for kind, s in scores["kinds"].items():
        if s["judged"]:  # from the counts: the JSON's figures are rounded already
            low, high = wilson(s["correct"], s["judged"])
            precision, interval = f"{s['correct'] / s['judged']:.3f}", f"{low:.3f}–{high:.3f}"
        else:
            precision, interval = "–", "–"
        lines.append(
            f"{kind:12} {s['judged']:6} {s['correct']:8} {precision:>10}  {interval:13} "
            f"{s['undecided']:2} {s['blank']:6}"
        )
    return "\n".join(lines) + "\n"
