"""Search in Chromium on the built sample site: offline, finds the right page, works under a sub-path."""
from __future__ import annotations

import csv
import re
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from browser_support import (PAGE_RESULT, ROOT, SUBPATH, Browsing, browsing, chromium, h1,  # noqa: F401
                             page, page_templates, site_url, subpath_url, wait_results)
from generator.urls import urls

pytestmark = pytest.mark.browser

# Query → the column whose pages answer it (issue 4). A kind whose name holds the
# query (e.g. a 临时救助 kind once it exists) narrows the answer to that kind's pages.
TOPIC_QUERIES = {
    "低保标准": "relief",
    "危房改造补助标准": "housing",
    "随迁子女入学": "education",
    "临时救助": "relief",
}


def counties_in_titles(site: Path) -> list[str]:
    with open(ROOT / "site_data" / "regions.tsv", encoding="utf-8") as f:
        names = [r["name"] for r in csv.DictReader(f, delimiter="\t") if r["level"] == "county"]
    record_pages = site.glob(urls.built(urls.record("*", "*", "*")))  # a glob: every record page
    titles = [h1(site, p.parent.relative_to(site).as_posix()) for p in record_pages]
    return [n for n in names if any(n in t for t in titles)]


def content_of(site: Path, href: str, base_path: str) -> str:
    rel = urlsplit(href).path[len(base_path):]
    text = (site / rel / "index.html").read_text("utf-8")
    start = text.find("data-pagefind-body")
    return text[start:text.find("</article>", start)]


def expected_dirs(site: Path, query: str, column: str) -> list[str]:
    kind_pages = site.glob(urls.built(urls.kind(column, "*")))  # a glob: the column's kind listings
    kinds = [p.parent.relative_to(site).as_posix() + "/" for p in kind_pages
             if query in h1(site, p.parent.relative_to(site).as_posix())]
    return kinds or [urls.url(urls.column(column))]


def query_words(query: str) -> list[str]:
    """The words of a query (jieba, precise mode): a page answers it if it holds every one.
    Not the whole string: 危房改造补助标准 is answered by a page on 农村危房改造 whose
    table is headed 政府补助标准, though the eight characters never stand together."""
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)
    return [w for w in jieba.lcut(query) if len(w) >= 2] or [query]


def top3(page, base: str, query: str) -> list[str]:
    page.goto(base + "search/?q=" + quote(query))
    return wait_results(page)[:3]


@pytest.mark.parametrize("query", list(TOPIC_QUERIES))
def test_topic_query_finds_its_page_in_top_3(page, site_url, built_site, query):
    column = TOPIC_QUERIES[query]
    dirs = expected_dirs(built_site, query, column)
    base_path = urlsplit(site_url).path
    hits = top3(page, site_url, query)
    words = query_words(query)
    good = [h for h in hits
            if any(urlsplit(h).path[len(base_path):].startswith(d) for d in dirs)
            and all(w in re.sub(r"<[^>]+>", "", content_of(built_site, h, base_path)) for w in words)]
    assert good, f"{query}: top 3 {hits} has no page under {dirs} that holds all of {words}"


def test_county_names_find_their_records(page, site_url, built_site):
    counties = counties_in_titles(built_site)
    # A 县 and a 区: the browser splits 红寺堡区 into single characters, 西吉县 into 西吉 + 县.
    picked = [c for c in counties if c.endswith("县")][:1] + [c for c in counties if c.endswith("区")][:1]
    assert len(picked) == 2, counties
    for county in picked:
        hits = top3(page, site_url, county)
        titles = [h1(built_site, urlsplit(h).path.lstrip("/")) for h in hits]
        assert titles and all(county in t for t in titles), f"{county}: {list(zip(hits, titles))}"


def test_outside_requests_are_caught(chromium, site_url):
    """The guard every browser test runs under (tests/test_browser_a11y.py opens every page
    template with it) is real: a request to another host is aborted and reported."""
    b = Browsing(chromium)
    try:
        b.page.goto(site_url)
        b.page.evaluate("fetch('http://example.org/x.js').catch(() => null)")
        # The route handler runs while Playwright handles events: wait for it, not a fixed time.
        deadline = time.monotonic() + 15
        while not b.outside and time.monotonic() < deadline:
            b.page.wait_for_timeout(50)
        assert b.outside == ["http://example.org/x.js"]
    finally:
        b.close()


def test_header_search_works_under_a_sub_path(browsing, subpath_url, built_site):
    page = browsing().page
    record = next(v for k, v in page_templates(built_site).items() if k.startswith("record:"))
    page.goto(subpath_url + record)
    page.fill("#gk-q", "低保标准")
    page.press("#gk-q", "Enter")
    hits = wait_results(page)
    assert urlsplit(page.url).path == SUBPATH + "search/"
    assert hits and all(urlsplit(h).path.startswith(SUBPATH + urls.generated()) for h in hits), hits
    page.click(".pagefind-ui__result-link >> nth=0")
    page.wait_for_load_state()
    assert urlsplit(page.url).path == urlsplit(hits[0]).path
    assert page.title() and "404" not in page.title()
    assert page.eval_on_selector("h1", "e => e.textContent.trim()")


def filter_names(site: Path) -> set[str]:
    """The Pagefind filters the built pages declare (data-pagefind-filter="专栏:…")."""
    names = set()
    for f in site.rglob("index.html"):
        names.update(re.findall(r'data-pagefind-filter="([^":]+)[:"]', f.read_text("utf-8")))
    return names


def test_every_filter_is_drawn_though_its_index_arrives_after_the_first_results(page, site_url, built_site):
    """Pagefind UI keeps the filters its first results carry, and results carry only the filters
    whose index has loaded (content/assets/gk-search.js). Hold back the first filter file asked
    for, let the search's index chunks through once another filter file has loaded (so results
    could be drawn with that filter alone, as happened by chance on a busy machine), then let it
    come: every filter must be offered."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    expected = filter_names(built_site)
    assert len(expected) >= 2, expected  # otherwise there is no race to lose
    held, waiting, loaded = [], [], []

    def filter_file(route):
        if held:
            route.fallback()
        else:
            held.append(route)

    def index_chunk(route):
        if loaded:
            route.fallback()
        else:
            waiting.append(route)

    page.on("requestfinished", lambda r: r.url.endswith(".pf_filter") and loaded.append(r.url))
    page.route("**/*.pf_filter", filter_file)
    page.route("**/*.pf_index", index_chunk)
    page.goto(site_url + "search/?q=" + quote("低保标准"))
    deadline = time.monotonic() + 15
    while not (held and loaded) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held and loaded, f"filter files held {len(held)}, loaded {loaded}"
    for route in waiting:
        route.fallback()
    try:  # unfixed, the results come now, with the loaded filter only
        page.wait_for_selector(PAGE_RESULT, timeout=2000)
    except PlaywrightTimeout:
        pass
    held[0].fallback()
    wait_results(page)
    try:
        page.wait_for_function(
            "names => names.every(n => [...document.querySelectorAll('summary')].some(s => s.textContent.trim() === n))",
            arg=sorted(expected), timeout=15000)
    except PlaywrightTimeout:
        drawn = page.eval_on_selector_all("summary", "els => els.map(e => e.textContent.trim())")
        pytest.fail(f"filters {sorted(expected)} expected, Pagefind UI drew {drawn}")


def test_search_still_answers_when_the_filters_cannot_be_loaded(page, site_url):
    """content/assets/gk-search.js: filter files that fail to load do not stop the search."""
    page.route("**/*.pf_filter", lambda route: route.abort())
    page.goto(site_url + "search/?q=" + quote("低保标准"))
    assert wait_results(page)
