"""Plain questions → saved queries, by deterministic templates (``data/questions.yaml``).

No language model and no network: a question is normalised (NFC, new-style tone marks, lower
case, no final "?") and matched against each template's patterns, first with its diacritics
and then without. An unmatched question gets the closest example questions as suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from policykg.text import fold, match_key


@dataclass(frozen=True)
class Template:
    """One way of asking for a saved query."""

    query: str
    patterns: tuple[re.Pattern[str], ...]
    folded: tuple[re.Pattern[str], ...]
    examples: tuple[str, ...]
    fixed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Match:
    """A question understood: the saved query to run and its parameters."""

    query: str
    params: dict[str, str]

    def command(self) -> str:
        """The equivalent ``policykg query run`` command line."""
        args = "".join(f" -p {k} {_quote(v)}" for k, v in self.params.items())
        return f"policykg query run {self.query}{args}"


def normalise(question: str) -> str:
    """The form patterns are matched against.

    >>> normalise("  Địa phương nào thực hiện Chỉ thị 05? ")
    'địa phương nào thực hiện chỉ thị 05'
    """
    return match_key(question).rstrip(" ?.!").strip()


@cache
def templates() -> tuple[Template, ...]:
    """The templates shipped in the package, in matching order."""
    raw = yaml.safe_load(
        (resources.files("policykg") / "data" / "questions.yaml").read_text(encoding="utf-8")
    )
    return tuple(
        Template(
            query=item["query"],
            patterns=tuple(re.compile(p) for p in item["patterns"]),
            folded=tuple(re.compile(_strip_marks(p)) for p in item["patterns"]),
            examples=tuple(item["examples"]),
            fixed=tuple((item.get("fixed") or {}).items()),
        )
        for item in raw
    )


def understand(question: str) -> Match | None:
    """The saved query and parameters a question asks for, or None."""
    text = normalise(question)
    for attempt, patterns_of in ((text, "patterns"), (fold(text), "folded")):
        for template in templates():
            for pattern in getattr(template, patterns_of):
                found = pattern.fullmatch(attempt)
                if found:
                    params = {k: v.strip(" ,.") for k, v in found.groupdict().items() if v}
                    return Match(template.query, {**params, **dict(template.fixed)})
    return None


def suggestions(question: str, count: int = 3) -> list[str]:
    """Example questions closest to ``question``."""
    examples = {normalise(e): e for t in templates() for e in t.examples}
    close = difflib.get_close_matches(normalise(question), list(examples), n=count, cutoff=0.0)
    return [examples[c] for c in close]


def _strip_marks(pattern: str) -> str:
    """A pattern without diacritics, its regex syntax (``(?P<name>``) untouched."""
    decomposed = unicodedata.normalize("NFD", pattern.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _quote(value: str) -> str:
    return value if re.fullmatch(r"[\w./-]+", value) else "'" + value.replace("'", "'\\''") + "'"
