"""``policykg serve``: the graph on the web (issue 16), over the library's service layer.

Starlette (a small ASGI toolkit, BSD licence) for routing and uvicorn to serve it: a read-only
endpoint needs no more, and both are the usual pair for Python web services. Routes:

- ``/sparql``: the SPARQL 1.1 Protocol, GET and POST (form or ``application/sparql-query``),
  read-only (an update is 403; SERVICE and LOAD are refused as in the CLI), the default graph the
  union of the articles; results by ``Accept`` (SELECT/ASK: SPARQL JSON, XML, CSV, TSV;
  CONSTRUCT/DESCRIBE: Turtle, N-Triples, JSON-LD, RDF/XML); a query past the timeout is
  stopped and answered 503 with a one-line JSON error; a malformed one 400 with the parser's
  message; GET without a query describes the service.
- ``/queries``: the saved queries with their parameters; ``/queries/{name}?param=…`` runs one
  with the same typed, normalised parameters as the CLI (a list by repeating the parameter),
  as JSON or CSV (``Accept`` or ``?format=``), paged by ``offset`` and ``limit``.
- ``/ask?q=…``: a plain question answered as the CLI does; the headers ``X-Policykg-Query``
  and ``X-Policykg-Command`` say which saved query ran.
- ``/openapi.json``: an OpenAPI 3.1 document with one operation per saved query; ``/docs`` the
  same as a page.
- ``/`` a home page; ``/yasgui`` the YASGUI editor (vendored, :mod:`policykg.web.ui`) over
  ``/sparql`` with the saved queries as tabs (``?query=…&run=1`` opens and runs one);
  ``/static/…`` its files.
- ``/id/…``: the page of an instance IRI ``https://w3id.org/policykg/id/…`` (:mod:`policykg.web.pages`):
  HTML for a browser, Turtle, N-Triples, JSON-LD or RDF/XML by ``Accept``.

CORS is open (any origin, GET and POST): the endpoint only reads. Queries and pages run in a
pool of reader processes (:mod:`policykg.web.readers`) over the store's snapshot.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from policykg import service
from policykg.errors import PolicyKGError, QueryTimeout
from policykg.query.lexer import mask
from policykg.query.runner import render_on
from policykg.store import Dataset
from policykg.store.terms import NamedNode
from policykg.web import ui as webui
from policykg.web.readers import ReaderPool

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
SERVICE_DESCRIPTION = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
[] a sd:Service ;
   sd:endpoint <{endpoint}> ;
   sd:supportedLanguage sd:SPARQL11Query ;
   sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>,
       <http://www.w3.org/ns/formats/SPARQL_Results_XML>, <http://www.w3.org/ns/formats/SPARQL_Results_CSV>,
       <http://www.w3.org/ns/formats/SPARQL_Results_TSV>, <http://www.w3.org/ns/formats/Turtle>,
       <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD>,
       <http://www.w3.org/ns/formats/RDF_XML> ;
   sd:feature sd:UnionDefaultGraph .
"""
LOG = logging.getLogger("policykg.web.server")
_GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
_BASE = re.compile(r"(?i)(?<![?$\w])BASE\b")  # the keyword, not a variable ?base
MAX_BODY = 1 << 20  # bytes of a POSTed query; a SPARQL query of a megabyte is an attack or a mistake


class NotAcceptable(Exception):
    """The client accepts none of the formats offered."""


def create_app(store: Path, timeout: float = 30.0, readers: int = 2) -> Starlette:
    """The web app over the store at ``store``; ``readers`` processes answer (:mod:`policykg.web.readers`,
    from the store's snapshot); queries past ``timeout`` seconds are stopped."""
    service.check_store(store)
    pool: list[ReaderPool] = []  # the app's readers, while it runs

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await run_in_threadpool(service.snapshot_for_readers, store)
        pool.append(ReaderPool(store, readers))
        try:
            yield
        finally:
            pool.pop().close()

    async def _run(prepared: service.Prepared, fmt: str, limit: int | None, offset: int = 0) -> Response:
        """Run a query in a reader (stopped at ``timeout``) and answer."""
        job = prepared.job(store, fmt, limit, offset=offset)
        try:
            rendered = await run_in_threadpool(pool[0].run, render_on, job, timeout=timeout)
        except PolicyKGError as err:
            return _error(503 if isinstance(err, QueryTimeout) else 400, str(err))
        return Response(rendered.text, media_type=CONTENT_TYPES[rendered.fmt or fmt])

    async def sparql(request: Request) -> Response:
        fields: list[tuple[str, str]] = list(request.query_params.multi_items())
        if request.method == "POST":
            body = await request.body()
            if len(body) > MAX_BODY:
                return _error(413, f"the query is over {MAX_BODY:,} bytes")
            kind, charset = _media_type(request.headers.get("content-type", ""))
            if kind == "application/sparql-update":
                return _error(403, "updates are refused: this endpoint is read-only")
            if charset not in ("", "utf-8", "utf8"):
                return _error(415, f"a query comes in UTF-8, not {charset}")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return _error(400, "the body is not UTF-8")
            if kind == "application/sparql-query":
                fields.append(("query", text))
            elif kind == "application/x-www-form-urlencoded":
                try:
                    fields += parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
                except UnicodeDecodeError:
                    return _error(400, "the form is not UTF-8")
            elif not kind:
                return _error(400, "a POST needs a Content-Type: application/x-www-form-urlencoded or application/sparql-query")
            else:
                return _error(415, f"a query comes as a form or as application/sparql-query, not {kind}")
        names = [name for name, _ in fields]
        if "update" in names:
            return _error(403, "updates are refused: this endpoint is read-only")
        queries = [value for name, value in fields if name == "query"]
        if len(queries) > 1:
            return _error(400, "one query per request")
        if not queries and request.method == "GET":
            description = SERVICE_DESCRIPTION.format(endpoint=str(request.url).split("?")[0])
            return Response(description, media_type="text/turtle; charset=utf-8")
        query = queries[0] if queries else ""
        if not query.strip():
            return _error(
                400, "no query: give it as 'query' (GET or form) or as an application/sparql-query body"
            )
        try:
            dataset = _dataset(fields)
        except ValueError as err:
            return _error(400, str(err))
        graph = _form(query) in _GRAPH_FORMS
        offered = GRAPH_TYPES if graph else RESULT_TYPES
        asked = [value for name, value in fields if name == "format"]  # a link's way to choose
        try:
            fmt = asked[0] if asked else _negotiate(request.headers.get("accept", ""), offered)
        except NotAcceptable as err:
            return _error(406, str(err))
        if fmt not in offered.values():
            return _error(400, f"format {fmt!r}: this query answers as {', '.join(sorted(set(offered.values())))}")
        if not _BASE.search(mask(query)):  # relative IRIs resolve against the endpoint
            query = f"BASE <{str(request.url).split('?')[0]}> {query}"
        try:
            prepared = replace(service.ad_hoc(query), dataset=dataset)
        except PolicyKGError as err:
            status = 403 if "changes the store" in str(err) else 400
            return _error(status, str(err))
        return await _run(prepared, fmt, None)

    async def queries(request: Request) -> Response:
        from policykg.query.saved import registry

        listed = [
            {
                "name": q.name,
                "summary": q.summary,
                "parameters": [
                    {"name": p.name, "kind": p.kind, "required": p.required, "example": p.example}
                    for p in q.params
                ],
                "href": f"/queries/{q.name}",
            }
            for q in sorted(registry().values(), key=lambda q: q.name)
        ]
        return JSONResponse(listed)

    async def saved(request: Request) -> Response:
        from policykg.query.saved import registry

        name = request.path_params["name"]
        if name not in registry():
            return _error(404, f"no saved query {name!r}; see /queries")
        params: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            if key not in ("format", "limit", "offset"):
                params.setdefault(key, []).append(value)
        try:
            fmt = request.query_params.get("format") or _negotiate(
                request.headers.get("accept", ""),
                {k: v for k, v in RESULT_TYPES.items() if v in ("json", "csv")},
            )
        except NotAcceptable as err:
            return _error(406, str(err))
        if fmt not in ("json", "csv"):
            return _error(400, f"format {fmt!r}: a saved query answers as json or csv")
        try:
            limit = int(request.query_params["limit"]) if "limit" in request.query_params else None
            offset = int(request.query_params.get("offset", "0"))
            if (limit is not None and limit < 0) or offset < 0:
                raise ValueError
            prepared = service.saved_query(name, params)
        except ValueError:
            return _error(400, "limit and offset must be whole numbers, 0 or more")
        except PolicyKGError as err:
            return _error(400, str(err))
        return await _run(prepared, fmt, limit, offset)

    async def ask(request: Request) -> Response:
        question = request.query_params.get("q", "")
        if not question.strip():
            return _error(400, "no question: give it as ?q=")
        try:
            asked = service.ask(question)
        except PolicyKGError as err:
            return _error(404, str(err))
        fmt = request.query_params.get("format") or "json"
        if fmt not in ("json", "csv"):
            return _error(400, f"format {fmt!r}: an answer comes as json or csv")
        answer = await _run(asked.prepared, fmt, None)
        answer.headers["X-Policykg-Query"] = asked.match.query  # which saved query answered
        answer.headers["X-Policykg-Command"] = _ascii(asked.command)
        return answer

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document())

    async def home(request: Request) -> Response:
        return HTMLResponse(webui.home_html())

    async def docs(request: Request) -> Response:
        return HTMLResponse(webui.docs_html(openapi_document()))

    async def yasgui(request: Request) -> Response:
        query = request.query_params.get("query")
        return HTMLResponse(webui.yasgui_html(query, run=request.query_params.get("run") == "1"))

    async def entity(request: Request) -> Response:
        from policykg.vocab import ID_NS
        from policykg.web.pages import TIMELINE_QUERY, entity_page, render_html

        iri = ID_NS + request.path_params["path"]
        accept = request.headers.get("accept", "")
        try:
            fmt = _negotiate(accept, {"text/html": "html", **GRAPH_TYPES}) if accept else "html"
        except NotAcceptable as err:
            return _error(406, str(err))
        try:
            node = str(NamedNode(iri))  # a path that is no IRI ("x> ?p ?o } …") is refused, never pasted
            if fmt != "html":
                described = service.ad_hoc(f"CONSTRUCT {{ {node} ?p ?o }} WHERE {{ {node} ?p ?o }}")
                return await _run(described, fmt, None)
            page = await run_in_threadpool(pool[0].run, entity_page, iri, timeout=timeout)
        except (PolicyKGError, ValueError) as err:
            return _error(503 if isinstance(err, QueryTimeout) else 400, str(err))
        if page is None:
            return _error(404, f"the store says nothing of {iri}")
        behind = (
            f"SELECT ?predicate ?value ?direction WHERE {{\n  {{ {node} ?predicate ?value BIND(\"out\" AS ?direction) }}\n"
            f"  UNION {{ ?value ?predicate {node} BIND(\"in\" AS ?direction) }}\n}} ORDER BY ?direction ?predicate LIMIT 500\n"
        )
        timeline = "/sparql?" + urlencode({"query": TIMELINE_QUERY.format(iri=iri), "format": "csv"})
        links = "/sparql?" + urlencode({"query": behind, "format": "csv"})
        return HTMLResponse(render_html(page, webui.yasgui_link(behind), timeline, links))

    routes = [
        Route("/", home),
        Route("/yasgui", yasgui),
        Route("/docs", docs),
        Mount("/static", StaticFiles(directory=webui.WEB_DIR), name="static"),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", queries),
        Route("/queries/{name}", saved),
        Route("/ask", ask),
        Route("/openapi.json", openapi),
        Route("/id/{path:path}", entity),
    ]
    cors = Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"], allow_headers=["*"])
    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _error(exc.status_code, str(exc.detail).lower())

    return Starlette(
        routes=routes,
        middleware=[Middleware(ErrorLog), cors],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )


class ErrorLog:
    """ASGI middleware: one log line for each answer that is an error (status, method, path)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def logged(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and message["status"] >= 400:
                query = scope.get("query_string", b"").decode("latin-1")
                target = scope["path"] + (f"?{query[:200]}" if query else "")
                LOG.warning("%s %s %s", message["status"], scope["method"], target)
            await send(message)

        await self.app(scope, receive, logged)


def openapi_document() -> dict[str, Any]:
    """An OpenAPI 3.1 document of the web operations, one per saved query from its headers."""
    from policykg.query.saved import registry

    answers = {
        "200": {
            "description": "SPARQL JSON results, or CSV",
            "content": {"application/sparql-results+json": {}, "text/csv": {}},
        },
        "400": {"description": "a bad parameter: a one-line JSON error"},
        "503": {"description": "the query ran past the server's timeout"},
    }
    common = [
        {"name": "format", "in": "query", "schema": {"enum": ["json", "csv"]}},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0}},
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
    ]
    paths: dict[str, Any] = {}
    for q in sorted(registry().values(), key=lambda q: q.name):
        parameters = [
            {
                "name": p.name,
                "in": "query",
                "required": p.required,
                "description": f"{p.kind}; repeat for a list" + (f" (e.g. {p.example})" if p.example else ""),
                "schema": {"type": "array", "items": {"type": "string"}},
                "explode": True,
            }
            for p in q.params
        ]
        paths[f"/queries/{q.name}"] = {
            "get": {
                "operationId": q.name.replace("-", "_"),
                "summary": q.summary,
                "description": q.description,
                "tags": list(q.tags),
                "parameters": parameters + common,
                "responses": answers,
            }
        }
    paths["/sparql"] = {
        "get": {
            "summary": "SPARQL 1.1 Protocol query (read-only)",
            "parameters": [{"name": "query", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "results by Accept"}, "400": {}, "403": {}, "503": {}},
        }
    }
    paths["/ask"] = {
        "get": {
            "summary": "A plain question in English or Vietnamese, answered by a saved query",
            "parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}],
            "responses": answers,
        }
    }
    from policykg import __version__

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "policykg",
            "version": __version__,
            "description": "Read-only access to a policykg store.",
        },
        "paths": paths,
    }


def _ascii(text: str) -> str:
    """A header value (HTTP headers are Latin-1): non-ASCII characters percent-encoded."""
    from urllib.parse import quote

    return quote(text, safe=" -_./:='\"")


def _negotiate(accept: str, offered: dict[str, str]) -> str:
    """The format of the first media type in ``accept`` (by q value) that is ``offered``; the
    first offered one for no header or a wildcard (``*/*``, ``text/*``); NotAcceptable when the
    client names only types not offered."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        media, *options = (p.strip() for p in part.split(";"))
        q = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    q = float(option[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, media.lower()))
    for _q, _i, media in sorted(ranked):
        if media in offered:
            return offered[media]
        family = media.split("/")[0]
        if media == "*/*" or (media.endswith("/*") and any(m.startswith(family + "/") for m in offered)):
            wild = [f for m, f in offered.items() if media == "*/*" or m.startswith(family + "/")]
            return wild[0]
    if any(q < 0 for q, _i, media in ranked if media):
        raise NotAcceptable(f"none of {accept!r} is offered here; ask for one of {', '.join(offered)}")
    return next(iter(offered.values()))


def _media_type(header: str) -> tuple[str, str]:
    """The media type of a ``Content-Type`` header and its charset, both lower case."""
    kind, _, rest = header.partition(";")
    charset = ""
    for parameter in rest.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return kind.strip().lower(), charset


def _dataset(fields: list[tuple[str, str]]) -> Dataset | None:
    """The dataset the protocol's ``default-graph-uri``/``named-graph-uri`` name, if any."""
    default = tuple(value for name, value in fields if name == "default-graph-uri")
    named = tuple(value for name, value in fields if name == "named-graph-uri")
    for iri in (*default, *named):
        try:
            NamedNode(iri)
        except ValueError as err:
            raise ValueError(f"not a graph IRI: {iri!r}") from err
    return Dataset(default, named) if default or named else None


def _form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside strings and comments."""
    bare = mask(query).upper()
    found = [(bare.find(f), f) for f in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") if f in bare]
    return min(found)[1] if found else "SELECT"


def _error(status: int, message: str) -> Response:
    return Response(
        json.dumps({"error": " ".join(message.split())}, ensure_ascii=False) + "\n",
        status_code=status,
        media_type="application/json",
    )


def serve(
    store: Path, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0, readers: int = 2, **options: Any
) -> None:
    """Serve the app with uvicorn until interrupted."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="policykg serve: %(message)s")  # one line per error answer
    app = create_app(store, timeout, readers)
    uvicorn.run(app, host=host, port=port, log_level="warning", **options)
