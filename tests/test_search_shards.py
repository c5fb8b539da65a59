"""A large site is indexed in shards, so Pagefind's memory stays bounded, and still searches
as one: the session's built sample site, indexed again split by GK_SEARCH_SHARD_PAGES with the
build's own search steps, and searched in Chromium through the search page. The record pages
and the other pages (listings, home, conventions) are in shards of their own
(search.shard_plan), so that a push of one record re-indexes two shards, not most of them."""
from __future__ import annotations

import json
import shutil
from urllib.parse import quote, urlsplit

import pytest

from browser_support import browsing, chromium, h1, page, search_transfer, wait_results  # noqa: F401
from generator.sitebuild import reproducible, search
from generator.urls import urls

pytestmark = pytest.mark.browser

PER_SHARD = 150


@pytest.fixture(scope="module")
def sample_model(sample_build):
    from generator.model.validate import load_site

    site, _ = load_site(sample_build.root)
    return site


@pytest.fixture(scope="module")
def record_pages(sample_model) -> frozenset:
    return search.record_pages(sample_model)


@pytest.fixture(scope="module")
def plan(sharded_site, record_pages):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GK_SEARCH_SHARD_PAGES", str(PER_SHARD))
        return search.shard_plan(search.pages(sharded_site), record_pages)


@pytest.fixture(scope="module")
def sharded_site(built_site, sample_model, tmp_path_factory):
    """The sample's pages with their search index made again, in shards. The index is the last
    step of a build (generator/sitebuild/search.py, on_post_build at order 90, then the canonical form at
    95) and reads only the built HTML, so a copy of the built site needs no second MkDocs run."""
    site = tmp_path_factory.mktemp("shards") / "site"
    shutil.copytree(built_site, site)
    for bundle in search.bundles(site):
        shutil.rmtree(bundle)
    assert not search.bundles(site)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GK_SEARCH_SHARD_PAGES", str(PER_SHARD))
        search.build_search_index(sample_model, site, None)
        reproducible.canonical_search_index(None, site, None)
    return site


@pytest.fixture(scope="module")
def sharded_url(sharded_site):
    server, base = search_transfer.serve(sharded_site, "/")
    yield base
    server.shutdown()


def test_every_page_is_in_exactly_one_shard_and_the_search_page_lists_them(sharded_site, plan, record_pages):
    html_pages = search.pages(sharded_site)
    shards, where = plan
    others = [rel for rel in html_pages if rel not in record_pages]
    hub_shards = -(-len(others) // PER_SHARD)
    assert hub_shards >= 1 and shards - hub_shards >= 2, (shards, hub_shards)
    # The other pages first, then the record pages, each spread by the hash of its path.
    assert all(where[rel] < hub_shards for rel in others)
    assert {where[rel] for rel in record_pages} == set(range(hub_shards, shards))
    names = ["pagefind"] + [f"pagefind-{k}" for k in range(1, shards)]
    assert sorted(p.parent.name for p in sharded_site.glob("pagefind*/pagefind.js")) == sorted(names)

    indexed = [rel for rel in html_pages
               if search.BODY_MARK in (sharded_site / rel).read_text("utf-8")]
    counts = []
    for name in names:
        entry = json.loads((sharded_site / name / "pagefind-entry.json").read_text("utf-8"))
        counts.append(sum(lang["page_count"] for lang in entry["languages"].values()))
    assert all(counts) and sum(counts) == len(indexed), (counts, len(indexed))
    by_plan = [sum(1 for rel in indexed if where[rel] == k) for k in range(shards)]
    assert counts == by_plan

    search_page = (sharded_site / "search" / "index.html").read_text("utf-8")
    assert f'data-gk-merge="{" ".join(names[1:])}"' in search_page


def test_a_record_in_any_shard_is_found_from_the_search_page(page, sharded_site, sharded_url, plan, record_pages):
    shards, where = plan
    for k in sorted({where[rel] for rel in record_pages}):
        rel = next(r for r in sorted(record_pages) if where[r] == k).removesuffix("index.html")
        title = h1(sharded_site, rel.rstrip("/"))
        page.goto(sharded_url + "search/?q=" + quote(title))
        top = [urlsplit(h).path.lstrip("/") for h in wait_results(page)[:3]]
        assert rel in top, f"shard {k}: “{title}” → {top}"


@pytest.mark.parametrize("query, column", [("低保标准", "relief"), ("随迁子女入学", "education")])
def test_topic_queries_rank_across_shards(page, sharded_url, query, column):
    page.goto(sharded_url + "search/?q=" + quote(query))
    top = [urlsplit(h).path for h in wait_results(page)[:3]]
    assert any(p.startswith("/" + urls.url(urls.column(column))) for p in top), top


def test_the_search_page_searches_every_shard_with_one_engine_and_no_worker(page, sharded_url, plan):
    # Each record shard adds its own index chunks to a first search; the search page pays for them
    # by searching on the page itself, without Pagefind's web worker (content/assets/gk-search.js).
    shards, _ = plan
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    page.goto(sharded_url + "search/?q=" + quote("低保标准"))
    wait_results(page)
    assert not [p for p in fetched if "worker" in p], fetched
    assert [p for p in fetched if p.endswith(".pagefind")] == ["/pagefind/wasm.unknown.pagefind"]
    bundles = {p.split("/")[1] for p in fetched if p.endswith(".pf_meta")}
    assert bundles == {search.bundle_name(k) for k in range(shards)}
