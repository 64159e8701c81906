"""Regenerate the README sections "Saved queries" and "Questions you can ask" from the code.

Run `python scripts/readme_questions.py` after changing question templates, saved queries
or extraction; `tests/test_readme.py` fails while the README shows stale answers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from policykg.ingest import ingest_paths
from policykg.query.ask import templates, understand
from policykg.query.results import render
from policykg.query.saved import get
from policykg.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
START, END = "<!-- questions:start -->", "<!-- questions:end -->"
QUERIES_START, QUERIES_END = "<!-- queries:start -->", "<!-- queries:end -->"
ROWS = 5


def section(store: GraphStore) -> str:
    """The Markdown of the section: each template's first example, the query it runs, the answer."""
    parts = [START, ""]
    for template in templates():
        question = template.examples[0]
        found = understand(question)
        saved = get(found.query)
        result = store.query(saved.prepare({k: [v] for k, v in found.params.items()}))
        rendered = render(result, "table", None, saved.sort, ROWS)
        others = "".join(f" · “{e}”" for e in template.examples[1:])
        parts += [f"**{question}**{others}", "", "```", f"$ policykg ask {question!r}"]
        parts += [f"→ {found.command()}", rendered.text.rstrip("\n")]
        if rendered.rows == 0:
            parts.append("(no rows: nothing in the store answers this)")
        if rendered.omitted:
            parts.append(f"… {rendered.omitted} more rows")
        parts += ["```", ""]
    parts.append(END)
    return "\n".join(parts)


def seed_store() -> GraphStore:
    store = GraphStore.memory()
    ingest_paths(store, [ROOT / "seeds"])
    return store


def query_table() -> str:
    """The Markdown table of every saved query: name, parameters, summary."""
    from policykg.query.saved import registry

    lines = [QUERIES_START, "", "| query | parameters | what it answers |", "| --- | --- | --- |"]
    for saved in registry().values():
        params = ", ".join(f"`{p.name}`" + ("" if p.required else " (optional)") for p in saved.params)
        lines.append(f"| `{saved.name}` | {params or '–'} | {saved.summary} |")
    return "\n".join([*lines, "", QUERIES_END])


def updated(readme: str, store: GraphStore) -> str:
    for start, end, body in ((START, END, section(store)), (QUERIES_START, QUERIES_END, query_table())):
        head, _, rest = readme.partition(start)
        _, _, tail = rest.partition(end)
        readme = head + body + tail
    return readme


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    if START not in text:
        sys.exit(f"{README} has no {START} marker")
    README.write_text(updated(text, seed_store()), encoding="utf-8")
    print(f"updated {README}")
