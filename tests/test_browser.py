"""The server's pages in a real headless Chromium (Debian's ``chromium``, driven by Playwright):
YASGUI loads from the server alone and answers the headline question; an entity page shows the
sentence behind a fact and opens its SPARQL in YASGUI (issue 16)."""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
import urllib.request

import pytest

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Chromium's own services (sync, updates, field trials) would call out: a page's requests are what is checked
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("CI needs Debian's chromium for the browser tests: 'make test' installs it", pytrace=False)
    pytest.skip("no chromium on this machine ('make test' installs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser, server, tmp_path):
    """A fresh page that records every request it makes."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.requested = []
    opened.on("request", lambda request: opened.requested.append(request.url))
    yield opened
    opened.screenshot(path=str(tmp_path / "page.png"))
    context.close()


def _hanh_son(server: str) -> str:
    query = (
        "SELECT ?place WHERE { ?place <http://www.w3.org/2000/01/rdf-schema#label> 'Hạnh Sơn' ;"
        " a <https://w3id.org/policykg/ontology#Locality> }"
    )
    with urllib.request.urlopen(f"{server}/sparql?query={urllib.parse.quote(query)}", timeout=30) as answer:
        return json.loads(answer.read())["results"]["bindings"][0]["place"]["value"]


def test_browser_yasgui_answers_the_headline_with_no_request_beyond_the_server(page, server):
    page.goto(f"{server}/yasgui")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.click("text=localities-implementing")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr")
    rows = page.inner_text(".tabPanel.active .yasr table tbody")
    assert "Hạnh Sơn" in rows and "Sông Mã" in rows and "Tà Mung" in rows
    assert page.requested and all(url.startswith(server + "/") for url in page.requested), page.requested
    assert f"{server}/sparql" in page.requested  # the query went to this server's endpoint


def test_browser_entity_page_shows_the_sentence_and_opens_its_sparql(page, server):
    iri = _hanh_son(server)
    page.goto(server + iri.removeprefix("https://w3id.org/policykg"))
    assert page.inner_text("h1") == "Hạnh Sơn"
    implemented = page.locator("li", has_text="(located here) pkg:implements Chỉ thị 05-CT/TW").first
    assert "Đảng bộ xã Hạnh Sơn" in implemented.inner_text()
    # the sentence behind the fact, as 'why' gives it
    assert any("Chỉ thị 05" in quote for quote in implemented.locator("blockquote").all_inner_texts())
    page.click("text=The SPARQL behind this page")
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr")
    assert "implements" in page.inner_text(".tabPanel.active .yasr table tbody")
    assert all(url.startswith(server + "/") for url in page.requested), page.requested


def test_browser_a_document_page_draws_its_neighbourhood_and_a_neighbour_opens(page, server):
    page.goto(f"{server}/id/document/05-ct-tw")
    drawn = page.locator("svg.neighbourhood")
    box = drawn.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    page.locator("svg.neighbourhood a", has_text="Ban Thường vụ Huyện ủy Sông Mã").click()
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Ban Thường vụ Huyện ủy Sông Mã"
    assert all(url.startswith(server + "/") for url in page.requested), page.requested
