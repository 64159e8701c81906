"""Curation decisions and the file that keeps them (CSV, meant for version control).

One row per decision, in the order they were taken:

    date,by,action,target,predicate,value,because

- ``merge``: ``target`` is the IRI kept, ``value`` the IRI merged into it (B's facts are A's);
- ``reject``: ``target`` is a statement or achievement IRI (one sentence's claim, as ``why`` and
  ``sample`` sheets show it), or with ``predicate`` and ``value`` a fact (subject, predicate,
  object) wherever it is stated;
- ``relabel``: ``target`` an entity, ``value`` its display label;
- ``set-parent``: ``target`` a place, ``value`` the place it lies in.

Nothing here reads a store; :mod:`policykg.curation.apply` applies decisions to quads.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from policykg.errors import PolicyKGError

COLUMNS = ("date", "by", "action", "target", "predicate", "value", "because")
ACTIONS = ("merge", "reject", "relabel", "set-parent")


class CurationError(PolicyKGError):
    """A curation decision that cannot be taken or read, with what to do instead."""


@dataclass(frozen=True)
class Decision:
    """One decision: what (``action`` on ``target``, ``predicate``, ``value``), who, when, why."""

    action: str
    target: str
    value: str = ""
    predicate: str = ""
    by: str = ""
    date: str = ""
    because: str = ""

    def row(self) -> list[str]:
        return [self.date, self.by, self.action, self.target, self.predicate, self.value, self.because]

    @property
    def key(self) -> str:
        """A stable name for the decision (its IRI's last part): a digest of the whole row.

        >>> Decision("merge", "x:a", "x:b", by="ann", date="2025-01-01").key
        '73b29a4aa71c8597'
        """
        return hashlib.sha1("\x1f".join(self.row()).encode("utf-8")).hexdigest()[:16]

    def describe(self) -> str:
        """``merged by ann on 2025-01-01 because …``: how ``why`` shows it."""
        verb = {"merge": "merged", "reject": "rejected", "relabel": "relabelled", "set-parent": "re-parented"}
        return f"{verb[self.action]} by {self.by} on {self.date} because {self.because}"


@dataclass(frozen=True)
class Curation:
    """The decisions of a curation file, resolved for applying: merges followed to the entity
    finally kept, the last relabel and set-parent of each entity winning."""

    decisions: tuple[Decision, ...] = ()
    merges: dict[str, str] = field(default_factory=dict)  # merged IRI -> IRI kept
    rejected_nodes: frozenset[str] = frozenset()  # statement and achievement IRIs
    rejected_facts: frozenset[tuple[str, str, str]] = frozenset()  # (s, p, o) after the merges
    labels: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, decisions: Iterable[Decision]) -> Curation:
        """The decisions resolved.

        >>> c = Curation.of([Decision("merge", "x:a", "x:b"), Decision("merge", "x:c", "x:a")])
        >>> c.merges == {"x:a": "x:c", "x:b": "x:c"}
        True
        """
        held = tuple(decisions)
        merges: dict[str, str] = {}
        for d in held:
            if d.action == "merge":
                merges[d.value] = d.target
        resolved = {b: _kept(b, merges) for b in merges}

        def canonical(iri: str) -> str:
            return resolved.get(iri, iri)

        nodes, facts = set(), set()
        labels: dict[str, str] = {}
        parents: dict[str, str] = {}
        for d in held:
            if d.action == "reject" and not d.predicate:
                nodes.add(d.target)
            elif d.action == "reject":
                facts.add((canonical(d.target), d.predicate, canonical(d.value)))
            elif d.action == "relabel":
                labels[canonical(d.target)] = d.value
            elif d.action == "set-parent":
                parents[canonical(d.target)] = canonical(d.value)
        return cls(held, resolved, frozenset(nodes), frozenset(facts), labels, parents)

    def __bool__(self) -> bool:
        return bool(self.decisions)

    def canonical(self, iri: str) -> str:
        """The IRI an entity goes by once merges are applied."""
        return self.merges.get(iri, iri)

    def terms(self) -> frozenset[str]:
        """Every IRI a decision names: an article that names none of them is not changed."""
        found = set(self.merges) | set(self.merges.values()) | set(self.rejected_nodes)
        found |= {t for fact in self.rejected_facts for t in (fact[0], fact[2])}
        found |= set(self.labels) | set(self.parents) | set(self.parents.values())
        return frozenset(found)

    def about(self, *iris: str) -> list[Decision]:
        """The decisions that name any of ``iris`` (for ``why``)."""
        wanted = set(iris) | {self.canonical(i) for i in iris}
        return [d for d in self.decisions if {d.target, d.value, self.canonical(d.target)} & wanted]


def _kept(iri: str, merges: dict[str, str]) -> str:
    seen = {iri}
    while iri in merges:
        iri = merges[iri]
        if iri in seen:
            raise CurationError(f"the curation file merges {iri} into itself through a cycle; remove one of the rows")
        seen.add(iri)
    return iri


def read(path: Path) -> list[Decision]:
    """The decisions of the curation file at ``path`` (none when there is no file)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as err:
        raise CurationError(f"cannot read the curation file {path}: {err}") from err
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    if tuple(rows[0]) != COLUMNS:
        raise CurationError(f"{path}: the first line must be {','.join(COLUMNS)}; it is {','.join(rows[0])}")
    found = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            raise CurationError(f"{path}:{n}: {len(row)} columns, expected {len(COLUMNS)} ({','.join(COLUMNS)})")
        date, by, action, target, predicate, value, because = row
        decision = Decision(action, target, value, predicate, by, date, because)
        problem = check(decision)
        if problem:
            raise CurationError(f"{path}:{n}: {problem}; fix the row or remove it")
        found.append(decision)
    return found


def check(decision: Decision) -> str | None:
    """What is wrong with a decision's form (None: nothing); the store is not consulted."""
    if decision.action not in ACTIONS:
        return f"unknown action {decision.action!r} (one of {', '.join(ACTIONS)})"
    if not decision.because.strip():
        return "no reason given (--because): say why, for whoever reads the graph next"
    if not decision.target:
        return "no target"
    if decision.action != "reject" and not decision.value:
        return f"{decision.action} needs a value"
    if decision.action == "reject" and bool(decision.predicate) != bool(decision.value):
        return "a rejected fact is a statement IRI, or a subject, predicate and object"
    if decision.action == "merge" and decision.target == decision.value:
        return "an entity cannot be merged into itself"
    return None


def write(path: Path, decisions: Sequence[Decision]) -> None:
    """Write the curation file, replacing it only once the new one is complete."""
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(COLUMNS)
    out.writerows(d.row() for d in decisions)
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(buffer.getvalue(), encoding="utf-8")
        os.replace(partial, path)
    except OSError as err:
        raise CurationError(f"cannot write the curation file {path}: {err.strerror or err}") from err
