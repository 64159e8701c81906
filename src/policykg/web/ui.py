"""The server's pages for people (issue 16): a home page, YASGUI over ``/sparql`` with the saved
queries as ready tabs, and a docs page of the web operations.

YASGUI (``@zazuko/yasgui``, MIT) is vendored in ``web/static/yasgui`` and served from ``/static``, so no
request leaves the machine: the prefix (prefix.cc) and term (LOV) lookups are switched off, and
the endpoint list holds only this server's ``/sparql`` (no default DBpedia or Wikidata).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from policykg.vocab import PREFIXES

WEB_DIR = Path(__file__).parent / "static"  # served at /static: YASGUI and its glue

_STYLE = (
    "<style>body{font-family:sans-serif;max-width:64em;margin:2em auto;padding:0 1em}"
    "code{background:#f3f3f3;padding:0 .2em}td{padding:.15em .6em;vertical-align:top}"
    "h2{margin-top:1.6em}.muted{color:#555;font-size:90%}</style>"
)


def _head(title: str, extra: str = "") -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>{_STYLE}{extra}</head><body>"
    )


def prefix_lines() -> str:
    """The project's prefixes as SPARQL ``PREFIX`` lines."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def example_tabs() -> list[dict[str, str]]:
    """One tab per saved query, its parameters bound to the examples its header gives."""
    from policykg.query.saved import registry

    tabs = []
    for saved in sorted(registry().values(), key=lambda q: q.name):
        given = {p.name: [p.example] for p in saved.params if p.example}
        if any(p.required and p.name not in given for p in saved.params):
            continue  # nothing to bind it with: it stays in /queries
        tabs.append({"name": saved.name, "query": saved.prepare(given)})
    return tabs


def yasgui_html(query: str | None = None, run: bool = False) -> str:
    """YASGUI pointed at ``/sparql``: a tab with ``query`` (run at once when ``run``) or a blank
    query with the project's prefixes, then the saved queries as tabs."""
    first = query or prefix_lines() + "\nSELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10\n"
    config = {
        "endpoint": "/sparql",
        "tabs": [{"name": "query", "query": first}, *example_tabs()],
        "run": bool(query and run),
    }
    extra = (
        "<link rel='stylesheet' href='/static/yasgui/yasgui.min.css'>"
        "<style>body{max-width:none;margin:0 1em}</style>"
    )
    return "".join(
        [
            _head("policykg · SPARQL", extra),
            "<p class='muted'><a href='/'>policykg</a> · SPARQL over this store's /sparql "
            "(read-only; the saved queries are the tabs)</p>",
            "<div id='yasgui'></div>",
            "<script id='policykg-config' type='application/json'>",
            json.dumps(config, ensure_ascii=False).replace("</", "<\\/"),
            "</script>",
            "<script src='/static/yasgui/yasgui.min.js'></script>",
            "<script src='/static/policykg-yasgui.js'></script>",
            "</body></html>\n",
        ]
    )


def yasgui_link(query: str, run: bool = True) -> str:
    """The path that opens ``query`` in YASGUI (and runs it)."""
    from urllib.parse import urlencode

    return "/yasgui?" + urlencode({"query": query, **({"run": "1"} if run else {})})


def home_html() -> str:
    """What the server offers, with links."""
    from policykg.query.saved import registry

    e = html.escape
    rows = "".join(
        f"<tr><td><a href='/queries/{e(q.name)}'>{e(q.name)}</a></td><td>{e(q.summary)}</td></tr>"
        for q in sorted(registry().values(), key=lambda q: q.name)
    )
    return (
        _head("policykg")
        + "<h1>policykg</h1><p>A knowledge graph of Vietnamese news about Party policy, read-only.</p><ul>"
        "<li><a href='/yasgui'>SPARQL editor (YASGUI)</a>, the saved queries as tabs</li>"
        "<li><code>/sparql</code>: the SPARQL 1.1 Protocol endpoint</li>"
        "<li><a href='/docs'>Web operations</a> (<a href='/openapi.json'>OpenAPI</a>)</li>"
        "<li><a href='/ask?q=which%20localities%20implemented%20Directive%2005'>/ask?q=…</a>: a plain question</li>"
        f"</ul><h2>Saved queries</h2><table>{rows}</table></body></html>\n"
    )


def docs_html(document: dict[str, Any]) -> str:
    """The OpenAPI document as a page: each operation with its parameters and a link that runs it."""
    from urllib.parse import urlencode

    from policykg.query.saved import registry

    e = html.escape
    saved = registry()
    parts = [_head("policykg · web operations"), "<h1>Web operations</h1>"]
    parts.append(
        "<p>Every saved query is a GET operation answering SPARQL JSON results or CSV "
        "(<code>Accept</code> or <code>?format=csv</code>), paged with <code>limit</code> and "
        "<code>offset</code>; a list is given by repeating the parameter. "
        "Machine-readable: <a href='/openapi.json'>/openapi.json</a>.</p>"
    )
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            params = operation.get("parameters", [])
            query = saved.get(path.rsplit("/", 1)[-1]) if path.startswith("/queries/") else None
            example = {p.name: p.example for p in query.params if p.example} if query else {}
            try_it = f"{path}?{urlencode(example)}" if example else path
            parts.append(
                f"<h2 id='{e(operation.get('operationId', path))}'>{e(method.upper())} "
                f"<a href='{e(try_it)}'>{e(path)}</a></h2>"
                f"<p>{e(operation.get('summary', ''))}</p>"
            )
            if operation.get("description"):
                parts.append(f"<p class='muted'>{e(operation['description'])}</p>")
            if params:
                parts.append("<table>")
                for p in params:
                    needed = "required" if p.get("required") else "optional"
                    parts.append(
                        f"<tr><td><code>{e(p['name'])}</code></td><td>{needed}</td>"
                        f"<td>{e(p.get('description', ''))}</td></tr>"
                    )
                parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)
