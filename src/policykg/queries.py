"""Saved queries: ``.rq`` files that start with a ``#+`` YAML header.

The header gives a summary, a description, the parameters (name, kind, required or default,
example) and tags; the rest is plain SPARQL with its own PREFIX lines.  Parameters are
bound with pyoxigraph's ``substitutions=``, never pasted into the query text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from policykg.errors import QueryError
from policykg.params import to_term

PARAM_KINDS = {"document", "locality", "org", "person", "year", "string", "int", "iri", "type"}


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    required: bool = True
    default: str | None = None
    example: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    name: str
    summary: str
    description: str
    params: tuple[Param, ...]
    tags: tuple[str, ...]
    sparql: str
    source: str

    def bindings(self, given: dict[str, str]) -> dict[str, object]:
        """Validated, normalised substitutions for ``given`` parameter values."""
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {unknown[0]!r}; "
                f"its parameters: {', '.join(declared) or 'none'}"
            )
        out: dict[str, object] = {}
        for param in self.params:
            value = given.get(param.name, param.default)
            if value is None:
                if param.required:
                    raise QueryError(
                        f"query {self.name!r} needs -p {param.name} VALUE "
                        f"(e.g. -p {param.name} {param.example or '…'})"
                    )
                continue
            out[param.name] = to_term(param.kind, value)
        return out


def queries_dir() -> Path:
    """Where the saved queries live: the package copy, or ``queries/`` of a source checkout."""
    packaged = Path(str(resources.files("policykg") / "queries"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "queries"


def parse(text: str, name: str, source: str = "") -> SavedQuery:
    """A saved query from the text of its ``.rq`` file."""
    header = [line[2:].removeprefix(" ") for line in text.splitlines() if line.startswith("#+")]
    if not header:
        raise QueryError(f"{name}.rq has no '#+' header")
    try:
        meta = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as err:
        raise QueryError(f"{name}.rq: the '#+' header is not valid YAML ({err})") from err
    if not isinstance(meta, dict) or not meta.get("summary"):
        raise QueryError(f"{name}.rq: the header needs a summary")
    params = []
    for item in meta.get("params") or []:
        if item.get("kind") not in PARAM_KINDS:
            raise QueryError(
                f"{name}.rq: parameter {item.get('name')!r} has unknown kind {item.get('kind')!r}"
            )
        params.append(
            Param(
                str(item["name"]),
                item["kind"],
                bool(item.get("required", "default" not in item)),
                None if item.get("default") is None else str(item["default"]),
                None if item.get("example") is None else str(item["example"]),
            )
        )
    sparql = "\n".join(line for line in text.splitlines() if not line.startswith("#+"))
    return SavedQuery(
        name,
        str(meta["summary"]).strip(),
        str(meta.get("description") or "").strip(),
        tuple(params),
        tuple(meta.get("tags") or ()),
        sparql.strip() + "\n",
        text,
    )


@cache
def registry() -> dict[str, SavedQuery]:
    """All saved queries by name."""
    folder = queries_dir()
    return {p.stem: parse(p.read_text(encoding="utf-8"), p.stem) for p in sorted(folder.glob("*.rq"))}


def get(name: str) -> SavedQuery:
    try:
        return registry()[name]
    except KeyError:
        raise QueryError(f"no saved query {name!r}; run 'policykg query list'") from None
