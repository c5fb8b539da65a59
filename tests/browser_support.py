"""Browser fixtures: the session's built sample site on 127.0.0.1, one Chromium per session.

Every page a test opens runs in a context that routes all requests: anything
not addressed to 127.0.0.1 is aborted and recorded, and the test fails at
teardown if there was any. The static server is the benchmark's own
(benchmarks/search_transfer.py), so tests and figures see the same setup.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from generator.urls import ROOT as URL_ROOT, urls

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import search_transfer  # noqa: E402

SUBPATH = "/zwgk-site/"


@pytest.fixture(scope="module")
def chromium():
    # Per module, not per session: Playwright's sync API allows one instance at a time in a
    # process, and other modules (print, catalogue) start their own.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = search_transfer.launch(p)
        yield browser
        browser.close()


def _server(site_dir: Path, prefix: str):
    server, base = search_transfer.serve(site_dir, prefix)
    return server, base


@pytest.fixture(scope="session")
def site_url(built_site):
    server, base = _server(built_site, "/")
    yield base
    server.shutdown()


@pytest.fixture(scope="session")
def subpath_url(built_site):
    server, base = _server(built_site, SUBPATH)
    yield base
    server.shutdown()


class Browsing:
    """A fresh browser context (empty storage) whose requests may only go to 127.0.0.1."""

    def __init__(self, browser, **context_args):
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.popups: list[str] = []
        self.context = browser.new_context(locale="zh-CN", **context_args)
        search_transfer.block_outside(self.context, self.outside)
        self.context.on("page", lambda p: self.popups.append(p.url))
        self.page = self.context.new_page()
        self.popups.clear()  # the first page is ours, not a pop-up
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def close(self):
        self.context.close()


@pytest.fixture
def browsing(chromium):
    made: list[Browsing] = []

    def open_(**context_args) -> Browsing:
        b = Browsing(chromium, **context_args)
        made.append(b)
        return b
    yield open_
    outside = [u for b in made for u in b.outside]
    for b in made:
        b.close()
    assert not outside, f"requests left 127.0.0.1: {outside}"


@pytest.fixture
def page(browsing):
    return browsing().page


# --- the page templates present in a built site -------------------------------------------

def _rel(site: Path, f: Path) -> str:
    rel = f.parent.relative_to(site).as_posix()
    return "" if rel == "." else rel + "/"


def page_templates(site: Path) -> dict[str, str]:
    """One URL path per kind of page in the site: home, a column, a list page per shape, a
    record per kind, a dataset, search results, 404, and every other page that is not a record
    (数据下载, 指南, 目录, 自查报告, editors' guide …), so a template another step adds is
    covered without changing the tests.

    Each kind's record page has a template of its own (templates/kinds/); their list pages all
    come from templates/kind.md.j2, whose branches give a few shapes (list_shape). One page of
    each shape, the largest (its tables the widest), stands for the others: 3 pages instead of
    27 in every browser pass."""
    pages: dict[str, str] = {"home": "", "search": "search/?q=低保标准", "404": "no-such-page/"}
    lists: dict[tuple, tuple[int, str, str]] = {}
    for f in sorted(site.rglob("index.html")):
        rel = _rel(site, f)
        parts = rel.strip("/").split("/")
        if rel in ("", "search/") or re.match(r"pagefind(-\d+)?/", rel):
            continue
        if parts[0] == URL_ROOT and len(parts) == 2:
            # A column holds record pages (urls.record: <column>/<kind>/<record>/); other pages sit beside them.
            if any(f.parent.glob("*/*/index.html")):
                pages.setdefault("column", rel)
            else:
                pages[f"page:{rel}"] = rel
        elif parts[0] == URL_ROOT and len(parts) == 3:
            if rel.startswith(urls.url(urls.datasets())):
                pages.setdefault("dataset", rel)
                continue
            size, shape = f.stat().st_size, list_shape(site, rel)
            if shape not in lists or size > lists[shape][0]:
                lists[shape] = (size, f"kind:{parts[2]}", rel)
        elif parts[0] == URL_ROOT and len(parts) == 4:
            pages.setdefault(f"record:{parts[2]}", rel)
        else:
            pages[f"page:{rel}"] = rel
    pages.update((name, rel) for _, name, rel in lists.values())
    return pages


def component_cover(site: Path, pages: dict[str, str]) -> set[str]:
    """Names of a few of `pages` that between them show every element-and-class combination
    any of them has in its content area: the others add no combination the site's CSS could
    style differently (the header, navigation and footer are the same on every page). The
    search page and 404 are always in: what their scripts draw is not in their HTML."""
    combos = {}
    for name, rel in pages.items():
        f = site / rel.split("?")[0] / "index.html"
        text = f.read_text("utf-8") if f.is_file() else ""
        article = text[text.find("<article"):text.find("</article>")]
        combos[name] = frozenset(re.findall(r'<([a-z0-9]+)\b(?:[^>]*?\sclass="([^"]*)")?', article))
    kept: list[str] = []
    for name in sorted(combos, key=lambda n: (-len(combos[n]), n)):
        if not any(combos[name] <= combos[k] for k in kept):
            kept.append(name)
    return set(kept) | {"search", "404"}


def list_covered(site: Path, pages: dict[str, str], kind: str) -> bool:
    """Whether a page of the same shape as `kind`'s list page is among `pages`."""
    own = next(site.glob(f"{URL_ROOT}/*/{kind}/index.html"))
    return list_shape(site, _rel(site, own)) in {list_shape(site, rel) for name, rel in pages.items()
                                                 if name.startswith("kind:")}


def list_shape(site: Path, rel: str) -> tuple:
    """A list page's section headings and how many tables and charts it has: which branches of
    kind.md.j2 made it."""
    text = (site / rel / "index.html").read_text("utf-8")
    article = text[text.find("<article"):text.find("</article>")]
    headings = tuple(re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", article, re.S))
    return headings, article.count("<table"), article.count("<svg")


def h1(site: Path, rel: str) -> str:
    text = (site / rel / "index.html").read_text("utf-8")
    m = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    return re.sub(r"<[^>]+>", "", m.group(1)).strip() if m else ""


# A result as a reader counts it: one page, with its matching sections (sub-results) nested under it.
PAGE_RESULT = ".pagefind-ui__result-inner > .pagefind-ui__result-title > .pagefind-ui__result-link"


def wait_results(page, timeout=15000):
    """The result pages in the order shown (their sub-results are parts of them, not results)."""
    page.wait_for_selector(PAGE_RESULT, timeout=timeout)
    return page.eval_on_selector_all(PAGE_RESULT, "els => els.map(e => e.getAttribute('href'))")
