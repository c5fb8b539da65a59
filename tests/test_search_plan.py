"""How the search index is split and run (search.shard_plan, search._batches), at sizes no
test site reaches: one index up to SHARD_PAGES pages, past that the other pages in shards of at
most SHARD_PAGES and the record pages in shards of about RECORD_SHARD_PAGES, no more than
MAX_LEAF_SHARDS of them, and two runs at once only while together they hold at most RUN_PAGES
pages."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from generator.sitebuild import search


def _site(records: int, hubs: int) -> tuple[list[str], frozenset[str]]:
    leaves = [f"zwgk/relief/dibao_stats/r{i:06d}/index.html" for i in range(records)]
    others = [f"zwgk/relief/dibao_stats/list-{i}/index.html" for i in range(hubs)]
    return sorted(leaves + others), frozenset(leaves)


def test_a_province_site_puts_its_records_in_shards_of_about_fifteen_hundred_pages(monkeypatch):
    monkeypatch.delenv("GK_SEARCH_SHARD_PAGES", raising=False)
    rels, leaves = _site(10_000, 856)
    shards, plan = search.shard_plan(rels, leaves)
    sizes = Counter(plan.values())
    # The listings first, then seven shards of records: ceil(10,000 / RECORD_SHARD_PAGES).
    assert shards == 8 and sizes[0] == 856
    assert all(plan[rel] >= 1 for rel in leaves)
    assert all(1300 <= sizes[k] <= 1550 for k in range(1, shards))
    # A one-record push re-indexes the listings' shard and one of records': both at once.
    assert search._batches([0, 3], sizes) == [[0, 3]]
    assert search._batches(list(range(1, shards)), sizes) == [[1, 2], [3, 4], [5, 6], [7]]


def test_a_site_of_a_few_thousand_pages_is_one_index(monkeypatch):
    monkeypatch.delenv("GK_SEARCH_SHARD_PAGES", raising=False)
    rels, leaves = _site(2_700, 290)
    assert search.shard_plan(rels, leaves)[0] == 1
    rels, leaves = _site(3_000, 290)
    shards, plan = search.shard_plan(rels, leaves)
    assert shards == 1 + 2 and Counter(plan.values())[0] == 290


def test_past_the_cap_the_record_shards_grow_instead_of_multiplying(monkeypatch):
    monkeypatch.setenv("GK_SEARCH_SHARD_PAGES", "1000")
    rels, leaves = _site(30_000, 4_300)
    shards, plan = search.shard_plan(rels, leaves)
    assert shards == 5 + search.MAX_LEAF_SHARDS
    assert max(Counter(plan[rel] for rel in leaves).values()) == -(-30_000 // search.MAX_LEAF_SHARDS)


def test_pagefind_runs_two_shards_at_once_only_while_they_fit():
    sizes = {0: 856, 1: 2516, 2: 2475, 3: 900, 4: 100, 5: 3000}
    batches = search._batches([0, 1, 2, 3, 4, 5], sizes)
    assert batches == [[0, 1], [2, 3], [4, 5]]
    assert all(sum(sizes[k] for k in b) <= search.RUN_PAGES and len(b) <= 2 for b in batches)
    assert sorted(k for b in batches for k in b) == list(sizes)


@pytest.mark.build
def test_the_index_of_the_cut_down_pages_is_the_index_of_the_whole_pages(built_site, tmp_path, monkeypatch):
    # search.content_only hands Pagefind the content area alone, without the elements it
    # would skip (data-pagefind-ignore: lists of other records, _macros.md.j2 record_list);
    # the canonical index (reproducible.canonical_pagefind, as every build writes it) is
    # byte for byte the same.
    import hashlib

    from generator.sitebuild import reproducible

    def index(name: str) -> dict:
        staged, out = tmp_path / f"{name}-pages", tmp_path / name
        search.stage(built_site, staged, workers=1)
        search._run([(staged / "0", out / search.bundle_name(0))])
        reproducible.canonical_search_index(None, out, None)
        pages = {p.relative_to(staged).as_posix(): p.read_text("utf-8") for p in staged.rglob("*.html")}
        files = {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in sorted(out.rglob("*")) if p.is_file()}
        return pages, files

    cut_pages, cut = index("cut")
    monkeypatch.setattr(search, "content_only", lambda text: text)
    drop = search._drop_ignored
    monkeypatch.setattr(search, "_drop_ignored", lambda text, unread_only=False: text if unread_only else drop(text))
    whole_pages, whole = index("whole")
    record = next(rel for rel in cut_pages if "/dibao_stats/" in rel and rel.count("/") == 5)
    assert "md-header" in whole_pages[record] and "md-header" not in cut_pages[record]
    assert len(cut_pages[record]) < len(whole_pages[record]) * 0.7
    listing = next(rel for rel in cut_pages if rel.endswith("/dibao_stats/index.html"))
    assert "gk-record-list" in whole_pages[listing] and "gk-record-list" not in cut_pages[listing]
    assert 'data-pagefind-filter="专栏"' in cut_pages[listing]  # ignored, but read by Pagefind
    assert sorted(cut) == sorted(whole)
    assert [rel for rel in cut if cut[rel] != whole[rel]] == []


@pytest.mark.build
def test_leaving_out_the_words_pagefind_finds_itself_loses_no_word_of_the_index(built_site, tmp_path, monkeypatch):
    # search.search_words leaves out of the hidden block the words Pagefind's own segmenter
    # takes from the visible text: every word must still be indexed on every page it was.
    import pagefind_index

    def index(name: str) -> tuple[dict, int]:
        staged, out = tmp_path / f"{name}-pages", tmp_path / name
        search.stage(built_site, staged, workers=1)
        search._run([(staged / "0", out)])
        block = sum(len(m.split(" ")) for p in staged.rglob("*.html")
                    for m in re.findall(r'class="gk-search-words">([^<]+)<', p.read_text("utf-8")))
        return pagefind_index.words(out), block

    search._segment.cache_clear()
    lean, lean_block = index("lean")
    monkeypatch.setattr(search, "indexed_anyway", lambda *args: set())
    full, full_block = index("full")
    assert lean_block < full_block * 0.75  # the block did shrink
    lost = sorted((word, url) for word, urls in full.items() for url in urls - lean.get(word, frozenset()))
    assert lost == []
    assert set(lean) == set(full)
    # Among them: words of the date line after the block's placeholder, outside the indexed element.
    assert "最后" in lean


@pytest.mark.build
def test_cutting_each_text_twice_from_one_route_gives_what_jieba_itself_gives(built_site):
    # search._share_routes lets the two cuts of a text share jieba's word graph and route, and
    # search._WholeFileMarshal loads jieba's dictionary cache: the reference here is built from
    # jieba's dictionary text itself, not from that cache.
    import jieba

    own = jieba.Tokenizer()
    own.FREQ, own.total = own.gen_pfdict(own.get_dict_file())
    own.initialized = True
    search._segment.cache_clear()
    shared = search._segmenter().dt
    shared.check_initialized()
    assert (shared.FREQ, shared.total) == (own.FREQ, own.total)
    texts = {c for page in sorted(built_site.rglob("*.html"))[:60]
             for c in search.text_chunks(page.read_text("utf-8")) if search._CJK.search(c)}
    assert len(texts) > 500
    for text in sorted(texts):
        words, exact = search._segment(text)
        assert words == tuple(w for w in own.cut_for_search(text) if len(w) >= 2 and search._CJK.search(w)) \
            + tuple(search._CJK.findall(text)), text
        assert exact == frozenset(own.cut(text, HMM=False)), text


@pytest.mark.parametrize(("html", "dropped", "unread_dropped"), [
    ('<div data-pagefind-ignore><div>x</div></div>y', "y", "y"),
    ('<ul class="a" data-pagefind-ignore>\n<li>t</li></ul>z', "z", "z"),
    ('<br data-pagefind-ignore>t', "t", "t"),
    # A filter Pagefind still reads: kept when only the unread are dropped.
    ('<span hidden data-pagefind-filter="专栏" data-pagefind-ignore>k</span>z', "z",
     '<span hidden data-pagefind-filter="专栏" data-pagefind-ignore>k</span>z'),
    ('<div data-pagefind-ignore><span data-pagefind-meta="m">v</span></div>w', "w",
     '<div data-pagefind-ignore><span data-pagefind-meta="m">v</span></div>w'),
    # The words outside a tag are text, not an attribute.
    ('<p>a &lt; b data-pagefind-ignore</p><p data-pagefind-ignore>r</p>s',
     "<p>a &lt; b data-pagefind-ignore</p>s", "<p>a &lt; b data-pagefind-ignore</p>s"),
])
def test_ignored_elements_are_dropped_with_what_they_hold(html, dropped, unread_dropped):
    assert search._drop_ignored(html) == dropped
    assert search._drop_ignored(html, unread_only=True) == unread_dropped
