"""Search step: index the built site with Pagefind (extended build, which segments Chinese).

Material's own search ships one lunr index for the whole site to every page
view (4.7 MB at 1,000 pages); Pagefind splits its index into fragments that a
browser fetches only for the words it searches. It runs on the new site
directory before it goes live, from the binary pinned in requirements.txt, so
no network is needed. Only the content area is indexed: pages mark it with
`data-pagefind-body` (overrides/partials/content.html); the search page and
404 do not, so they stay out of the results.

Recall: since 1.5 Pagefind segments a query in the browser with
Intl.Segmenter (ICU), which splits words missing from its dictionary into
single characters (低保标准 → 低 保 标准, 红寺堡区 → 红 寺 堡 区), while the index
side segments with jieba (城乡低保, 特困人员 kept whole). Measured on the sample
site with 1.5.2: 特困 found 0 of 90 pages, 低保 2. So Pagefind reads a staged
copy of each page whose content area also carries, in a hidden low-weight
block, jieba's search-mode words (城乡 低保 特困 人员 …) and every Chinese
character once: whatever ICU splits a query into is then in the index. The
pages served to readers are not changed.

Ranking: Pagefind 1.5 boosts pages whose metadata matches the query, the
title above all. A title is segmented by jieba on the index side, so a query
ICU splits into characters (低 保 标准) matched no title. Each staged page
therefore also carries a `检索词` metadata field: the words and characters of
its title and keywords. A record titled 西吉县…城乡低保… then outranks a long
page that merely mentions 低保 and 标准 many times (the dataset page's data
dictionary did, before it was left out of the index in its template).

Staging parses and segments every page: the first batch of shards in worker
processes, one per core (GK_BUILD_WORKERS overrides, as for MkDocs), each later
batch in the build process while Pagefind indexes the one before.

Large sites are indexed in shards (SHARD_PAGES, RECORD_SHARD_PAGES) to bound Pagefind's memory
and what a push re-indexes.
"""
from __future__ import annotations

import hashlib
import html
import marshal
import os
import re
import shutil
import subprocess
import tempfile
import time
import zlib
from contextlib import contextmanager
from functools import lru_cache, partial
from itertools import chain
from pathlib import Path

from .. import walk
from ..problems import DataError, Problem
from ..urls import urls
from .build_cache import replace_file, signature
from .workers import build_workers, frozen_heap

BUNDLE_DIR = "pagefind"
_BUNDLE = re.compile(r"^pagefind(-\d+)?$")
TIMEOUT_SECONDS = 1800
# Pagefind holds a whole index in memory until it writes it: 3.0 GB at 10,000 pages,
# while the build process itself holds another 0.7 GB. Above this many pages the site is
# indexed in shards, and the search page merges them in the browser (Pagefind's mergeIndex).
# GK_SEARCH_SHARD_PAGES overrides it and RECORD_SHARD_PAGES.
SHARD_PAGES = 3000
# Record pages go to smaller shards of their own. A push of one record re-indexes the listings'
# shard and the one shard holding the record, and Pagefind's time grows with the pages in it;
# but every shard adds its own index chunks (~6 KB for each word of the query) to a search.
# Measured side by side on the 10,000-record corpus (benchmarks/shard_sizes.py; the query 低保标准;
# all three without the worker):
#   records in 4 shards (3,000): a push's two Pagefind runs 10.16 s over 3,378 pages; first search 490.6 KB
#   records in 7 shards (1,500): 6.88 s over 2,245 pages; 572.0 KB
#   records in 8 shards (1,250): 6.26 s over 2,120 pages; 590.4 KB
# The target for a first search is 600 KB; the search page leaves out Pagefind's web worker
# (41 KB, content/assets/gk-search.js) to pay for the extra shards.
RECORD_SHARD_PAGES = 1500
# Every shard is merged on every search: past this many record shards they grow instead.
MAX_LEAF_SHARDS = 16
# Two runs side by side hold at most this many pages together, so two at once never need much
# more memory than one full shard: the two a one-record push re-indexes (the listings' and one
# of records') run at once, a cold build's in pairs.
RUN_PAGES = 3500


def executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise DataError([Problem("requirements.txt", 1, 1,
                                 "缺少搜索索引程序 pagefind_bin_extended：请运行 make site 安装依赖后重新构建。")]) from None
    return get_executable()


BODY_MARK = "<div data-pagefind-body>"
# Placeholder at the end of the content area (overrides/partials/content.html), so
# excerpts come from the page's own text first.
WORDS_MARK = '<div class="gk-search-words" hidden></div>'
_CJK = re.compile(r"[\u3400-\u9fff]")
_SKIP_TAGS = {"script", "style", "template"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# Text is cut out with regular expressions rather than html.parser: at 10,000 pages of
# 60 KB (tables, SVG charts) the parser took nine tenths of the indexing time. MkDocs
# writes well-formed HTML, so tags, comments and the skipped elements are easy to find.
_SKIPPED = re.compile(r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_IGNORED_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-pagefind-ignore\b[^>]*>")
_TAG_TEXT = re.compile(r"<[^>]*>")
_READ_ATTR = re.compile(r"data-pagefind-(?!ignore\b)")  # a filter, metadata, weight…


def _drop_ignored(text: str, unread_only: bool = False) -> str:
    """Remove elements marked data-pagefind-ignore, with everything in them, as Pagefind does
    for the text it indexes. `unread_only`: only those with no other data-pagefind attribute
    in them, whose filters and metadata Pagefind still reads: what is left indexes the same."""
    out, pos = [], 0
    while (m := _next_ignored(text, pos)) is not None:
        tag = m.group(1).lower()
        end = m.end()
        if not (tag in _VOID or m.group(0).endswith("/>")):
            depth = 1
            for t in re.compile(rf"<(/?){tag}\b[^>]*>", re.I).finditer(text, end):
                depth += -1 if t.group(1) else 1
                if not depth:
                    end = t.end()
                    break
            else:
                end = len(text)
        if unread_only and _READ_ATTR.search(text, m.start(), end):
            out.append(text[pos:m.end()])
            pos = m.end()
            continue
        out.append(text[pos:m.start()])
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _next_ignored(text: str, pos: int):
    """The next start tag from pos that carries data-pagefind-ignore (_IGNORED_START's match):
    found from the attribute back to its tag, as searching the regex from every tag of a
    record page cost as much as the rest of staging it."""
    at = text.find("data-pagefind-ignore", pos)
    while at >= 0:
        lt = text.rfind("<", pos, at)
        m = _IGNORED_START.match(text, lt) if lt >= 0 else None
        if m is not None and m.end() > at:
            return m
        at = text.find("data-pagefind-ignore", at + 1)
    return None


def text_chunks(fragment: str) -> list[str]:
    """The text nodes of an HTML fragment (tags split them), without ignored or script content."""
    return _chunks(_drop_ignored(_SKIPPED.sub(" ", fragment)))


def _chunks(fragment: str) -> list[str]:
    return [c for c in (html.unescape(t).strip() for t in _TAG_TEXT.split(fragment)) if c]


_jieba = None


def _segmenter():
    global _jieba
    if _jieba is None:
        import logging

        import jieba
        jieba.setLogLevel(logging.WARNING)
        jieba.marshal = _WholeFileMarshal  # jieba's own module global: nothing else sees it
        _share_routes(jieba.dt)
        _jieba = jieba
    return _jieba


def load_dictionary() -> None:
    """Load the segmenter's dictionary now, not when the first page is segmented."""
    _segmenter().initialize()


def read_ahead(cache) -> None:
    """Read now what `index` reads first with this build cache (build_cache.Cache): the cache's
    tables, and the segmenter's dictionary, which it loads in any build that segments a page.
    For a process that would otherwise wait (sitebuild/build.py: while MkDocs' workers build)."""
    cache.read_tables()
    load_dictionary()


class _WholeFileMarshal:
    """What jieba loads its dictionary cache (jieba.cache, 9 MB) with, reading it whole first:
    marshal.load on a file reads each of its 498,113 words with a read call of its own (0.60 s
    in every build and preview start; marshal.loads of the same bytes: 0.23 s). Same values
    (tests/test_search_plan.py compares them with jieba's own load)."""

    @staticmethod
    def load(f):
        return marshal.loads(f.read())

    dump = staticmethod(marshal.dump)


def _share_routes(tokenizer, keep: int = 256) -> None:
    """Each text is cut twice (_segment): in search mode and in exact mode without the HMM. Both
    start from the same word graph and best route, two thirds of jieba's time: make them once.
    Outputs are unchanged (tests/test_search_plan.py compares them with jieba's own)."""
    graphs: dict = {}
    routes: dict = {}
    get_dag, calc = tokenizer.get_DAG, tokenizer.calc

    def shared_dag(sentence):
        found = graphs.get(sentence)
        if found is None:
            if len(graphs) >= keep:
                graphs.clear()
            found = graphs[sentence] = get_dag(sentence)
        return found

    def shared_calc(sentence, dag, route):
        found = routes.get(sentence)
        if found is None:
            if len(routes) >= keep:
                routes.clear()
            calc(sentence, dag, route)
            routes[sentence] = dict(route)
        else:
            route.update(found)

    tokenizer.get_DAG, tokenizer.calc = shared_dag, shared_calc


# Entries per process. Boilerplate (table headings, labels) repeats on thousands of pages and
# stays; names and figures seldom repeat. An entry holds its text and both cuts, about 5 KB
# (staging 10,000 pages in one process: +221 MB unbounded, +56 MB with 8,192): with 200,000,
# up to a gigabyte a staging worker, the cold build of 50,000 pages peaked at 2038 MB for the
# whole tree (target 2048). 8,192 entries miss 56,000 times where an unbounded cache misses
# 44,500, in about the same time.
SEGMENT_CACHE = 8192


@lru_cache(maxsize=SEGMENT_CACHE)
def _segment(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(the search-mode words of a text, then each of its Chinese characters; the words of
    its exact-mode cut without the HMM). Cached per text node: table headings and boilerplate
    repeat on thousands of pages."""
    jieba = _segmenter()
    words = [w for w in jieba.cut_for_search(text) if len(w) >= 2 and _CJK.search(w)]
    return tuple(words) + tuple(_CJK.findall(text)), frozenset(jieba.cut(text, HMM=False))


def _words(chunk: str) -> tuple[str, ...]:
    return _segment(chunk)[0]


# Elements a browser runs into the text around them: Pagefind reads `城乡<b>低保</b>` as one
# run of text, which its segmenter may cut otherwise than the two parts apart.
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span"
                         r"|strong|sub|sup|time|u|var)\b[^>]*>", re.I)
# Elements whose text Pagefind may leave out (form controls, embedded content): their words
# are not counted as indexed anyway, so they stay in the block.
_UNSURE = re.compile(r"<(noscript|form|select|button|textarea|iframe|object|canvas|svg|math)\b.*?</\1\s*>",
                     re.S | re.I)


def _exact(run: str) -> frozenset[str]:
    """The words jieba's exact mode makes of a run of text without its HMM for unknown words,
    as Pagefind's segmenter (jieba's Rust port) does: Pagefind 1.5.2 indexes 彭堡镇 as 彭 堡 镇
    where jieba's HMM joins 彭堡. Its dictionary is not quite jieba's (固原市 → 固原 市), so which
    words may leave the block is checked on Pagefind's own index, not assumed (search_words)."""
    return _segment(run)[1]


def indexed_anyway(visible: str, chunks: list[str] | None = None) -> set[str]:
    """Words Pagefind indexes from this visible text of a content area (scripts and ignored
    elements already out; `chunks`: its text nodes, when known), however it joins the text
    around inline elements: those both readings give, the text cut at every tag and the text
    joined across inline tags."""
    sure = _UNSURE.sub(" ", visible)
    if chunks is None or sure != visible:
        chunks = _chunks(sure)
    apart = set().union(*(_exact(c) for c in dict.fromkeys(chunks) if _CJK.search(c)))
    joined = set().union(*(_exact(r) for r in dict.fromkeys(_chunks(_INLINE_TAG.sub("", sure)))
                           if _CJK.search(r)))
    return apart & joined


def search_words(page_html: str) -> list[str]:
    """The search-mode words and characters of a page's content area, in first-seen order,
    that Pagefind would not index anyway.

    Words its own segmenter takes from the visible text (城乡低保 → 城乡低保, but not 低保) are
    left out: they were 44 % of the block (326.5 → 183.9 words a page on the 2,516 pages of a
    record shard of the 10,000-page corpus) and Pagefind spends its time per word (8.3 → 7.3 s
    for that shard). The index holds the same words on the same pages either way
    (benchmarks/search_words.py compares the two indexes of a corpus shard,
    tests/test_search_plan.py those of the sample site)."""
    start = page_html.find(BODY_MARK)
    if start < 0:
        return []
    end = page_html.find("</article>", start)
    fragment = _drop_ignored(_SKIPPED.sub(" ", page_html[start:end if end > 0 else None]))
    # Only the text before the block's placeholder is inside the indexed element: the date
    # line after it (本页最后更新) is not, and its words stay in the block.
    mark = fragment.find(WORDS_MARK)
    visible, tail = (fragment[:mark], fragment[mark:]) if mark >= 0 else ("", fragment)
    seen = _chunks(visible)
    chunks = dict.fromkeys(seen + _chunks(tail))
    words = dict.fromkeys(chain.from_iterable(_words(c) for c in chunks if _CJK.search(c)))
    indexed = indexed_anyway(visible, seen) if mark >= 0 else set()
    return [w for w in words if w not in indexed]


_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_KEYWORDS = re.compile(r'<meta name="Keywords" content="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
TERMS_META = "检索词"


def title_terms(page_html: str) -> str:
    """The page's title and keywords as index words and single characters, space-separated."""
    m = _H1.search(page_html, page_html.find(BODY_MARK))
    text = html.unescape(_TAG.sub("", m.group(1))) if m else ""
    k = _KEYWORDS.search(page_html)
    if k:
        text += " " + html.unescape(k.group(1))
    seen: dict[str, None] = {}
    for chunk in re.split(r"[,，、\s]+", text):
        if _CJK.search(chunk):
            seen.setdefault(chunk, None)
            for w in _words(chunk):
                seen.setdefault(w, None)
    return " ".join(seen)


# Charts are drawn as SVG whose text is axis ticks and legends: noise in the index, and
# a third of a statistics page. Their figcaption and table alternative stay indexed.
_SVG = re.compile(r"<svg\b.*?</svg\s*>", re.S | re.I)


# Figures in table cells: nobody searches for 5760, and every distinct number is a
# word of its own in Pagefind's index — at 10,000 statistics pages they made most of
# its vocabulary and memory. Labels, captions and row headers stay indexed.
_NUM_CELL = re.compile(r'(<td class="gk-num">)[^<]*(</td>)')


_HTML_OPEN = re.compile(r"<html\b[^>]*>", re.I)
_TITLE = re.compile(r"<title>.*?</title>", re.S | re.I)


def content_only(text: str) -> str:
    """The page cut down to what Pagefind reads of it: the <html> tag (its lang picks the
    language), the <title>, and the content area, which holds every data-pagefind attribute of
    our pages. Pagefind parses the whole page; the header, navigation and footer around the
    content area are over half a staged record page (24.8 → 10.7 KB on average), and leaving them out made
    Pagefind 4–10 % faster (3,000 record pages: 9.5 → 8.6 s; a one-record push's two runs at
    10,000 pages: 9.3 → 8.9 s). The canonical index comes out byte for byte the same
    (tests/test_search_plan.py compares both). A page with any data-pagefind attribute outside
    the content area is kept whole."""
    start = text.find(BODY_MARK)
    end = text.find("</article>", start)
    opening = _HTML_OPEN.search(text, 0, start)
    if start < 0 or end < 0 or opening is None or "data-pagefind" in text[:start] or "data-pagefind" in text[end:]:
        return text
    title = _TITLE.search(text, 0, start)
    return (f'<!doctype html>\n{opening.group(0)}<head><meta charset="utf-8">{title.group(0) if title else ""}'
            f"</head><body>{text[start:end]}</body></html>\n")


def stage_page(text: str, known: tuple[str, str] | None = None,
               dropped: bool = False) -> tuple[str, bool, tuple[str, str] | None]:
    """The copy of one page that Pagefind reads; True if it has a content area to index; and
    what was added to it (its search words and title terms), which `known` gives instead of
    segmenting the page again (the build cache keeps it by the page's bytes, and by the bytes
    of figure_free(page)). `dropped`: the text is figure_free already."""
    if BODY_MARK not in text:
        return text, False, None
    if known is not None:
        # Cut to the content area first: the charts and figures these drop are all inside it,
        # and the header's icons go with the cut anyway, so the regexes read less. The staged
        # page is the same either way: tests/test_build_cache.py compares the index of every
        # cached build (these pages) with a cold build's (the path below).
        text = _drop_figures(_drop_ignored(content_only(text), unread_only=True))
        return _add(text, known), True, known
    text = text if dropped else _drop_figures(text)
    words = search_words(text)
    block = (f'<div hidden data-pagefind-weight="0.5" class="gk-search-words">'
             f'{html.escape(" ".join(words))}</div>') if words else ""
    terms = title_terms(text)
    meta = (f'<span hidden data-pagefind-meta="{TERMS_META}" data-pagefind-ignore>'
            f'{html.escape(terms)}</span>') if terms else ""
    known = (block, meta)
    text = _drop_ignored(content_only(text), unread_only=True)  # after title_terms (<head>)
    return _add(text, known), True, known


def _drop_figures(text: str) -> str:
    """The page without its charts (_SVG) and the figures of its table cells (_NUM_CELL)."""
    return _NUM_CELL.sub(r"\1\2", _SVG.sub("", text))


def figure_free(page_html: str) -> bytes:
    """What a page's search words and title terms (stage_page) are made from: the whole page
    without its charts and table figures. A corrected figure leaves it as it was."""
    return _drop_figures(page_html).encode("utf-8")


def _add(text: str, known: tuple[str, str]) -> str:
    block, meta = known
    if block:
        text = text.replace(WORDS_MARK, block, 1)
    if meta:
        text = text.replace(BODY_MARK, BODY_MARK + meta, 1)
    return text


def _hash(rel: str, shards: int) -> int:
    return zlib.crc32(rel.encode("utf-8")) % shards if shards > 1 else 0


def shard_plan(rels: list[str], leaves: frozenset[str] | None = None) -> tuple[int, dict[str, int]]:
    """How many shards, and each page's. `leaves`: the record pages among `rels` (None: all).

    Record pages are spread by a hash of their path, not by column or year, so each of their
    shards is a fair sample of the records: term statistics and scores compare when the browser
    merges results. Every other page (home, column and kind listings, a county's part of a
    listing, catalogue slices) goes to shards of its own, listed first. A push of one record
    changes its page and the listings that show it: two Pagefind runs. With every page hashed
    alike, those pages lay in three of the four shards of a 10,859-page site, and a push re-indexed
    three quarters of it.

    The other pages' shard is no sample of the site: Pagefind weighs a page against its own
    shard's page lengths and word counts, so listings now rank higher among records than they
    did. Measured on the 10,000-record corpus: 低保标准 finds the 低保 dataset and listing
    pages first (2017 records before), 划片 the school-zoning listing; the pages
    benchmarks/search_transfer.py expects still rank first or second."""
    per, per_record = _per_shard()
    if len(rels) <= per:
        return 1, {rel: 0 for rel in rels}
    hubs = [] if leaves is None else [rel for rel in rels if rel not in leaves]
    n_hubs = -(-len(hubs) // per)
    per_leaf = per if leaves is None else per_record
    n_leaves = min(MAX_LEAF_SHARDS, max(1, -(-(len(rels) - len(hubs)) // per_leaf)))
    plan = {rel: _hash(rel, n_hubs) for rel in hubs}
    for rel in rels:
        if rel not in plan:
            plan[rel] = n_hubs + _hash(rel, n_leaves)
    return n_hubs + n_leaves, plan


def _signature(path: Path) -> list[int] | None:
    try:
        return signature(os.stat(path))
    except OSError:
        return None


def _staged_path(dest: Path, plan: dict, rel: str) -> Path:
    """Where page `rel` is staged: in its shard's folder (`plan`; none: 0)."""
    return dest / _tree_path(plan, rel)


def _tree_path(plan: dict, rel: str) -> str:
    """Page `rel`'s path in the staging folder, as the staging tree's listing names it."""
    return f"{plan.get(rel, 0)}/{rel}"


def _stage_files(job: tuple[Path, Path, list[str], dict, dict]) -> tuple[int, dict, dict, dict]:
    """Stage `rels` into dest/<shard>/ (`plan`: each page's shard); `known`: a page's additions
    by its path, where the cache had them. Returns how many are indexed, the additions it
    made by path, the SHA-256 of each staged page by path, and that of figure_free(page) of
    each page whose additions it made."""
    site_dir, dest, rels, plan, known = job
    count, made, staged, free = 0, {}, {}, {}
    for rel in rels:
        text = (site_dir / rel).read_text("utf-8")
        if rel in known or BODY_MARK not in text:
            text, indexed, added = stage_page(text, known.get(rel))
        else:
            dropped = figure_free(text)
            free[rel] = hashlib.sha256(dropped).hexdigest()
            text, indexed, added = stage_page(dropped.decode("utf-8"), dropped=True)
        if indexed and rel not in known:
            made[rel] = added
        data = text.encode("utf-8")
        staged[rel] = hashlib.sha256(data).hexdigest()
        out = _staged_path(dest, plan, rel)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        count += indexed
    return count, made, staged, free


def pages(site_dir: Path) -> list[str]:
    """The site's HTML pages, relative to it, outside the search bundles."""
    return sorted(rel for rel in walk.files(site_dir)
                  if rel.endswith(".html") and not _BUNDLE.match(rel.split("/", 1)[0]))


def _per_shard() -> tuple[int, int]:
    """(pages a shard, pages a shard of record pages): GK_SEARCH_SHARD_PAGES sets both."""
    per = os.environ.get("GK_SEARCH_SHARD_PAGES", "")
    return (int(per),) * 2 if per.isdigit() and int(per) > 0 else (SHARD_PAGES, RECORD_SHARD_PAGES)


def bundle_name(k: int) -> str:
    return BUNDLE_DIR if k == 0 else f"{BUNDLE_DIR}-{k}"


def bundles(site_dir: Path) -> list[Path]:
    """The Pagefind bundles in a built site: pagefind/ and any further shards."""
    return sorted(d for d in Path(site_dir).iterdir()
                  if _BUNDLE.match(d.name) and (d / "pagefind-entry.json").exists())


def stage(site_dir: Path, dest: Path, workers: int | None = None, plan: dict | None = None,
          rels: list[str] | None = None, known: dict | None = None) -> tuple[int, dict, dict, dict]:
    """Copy the site's HTML pages (or `rels` of them) to dest/<shard>/ as Pagefind should
    read them (`plan`: each page's shard, shard_plan; None: all in 0); returns how many are
    indexed, the additions made (stage_page) by path, each staged page's SHA-256 by path, and
    the SHA-256 of figure_free(page) of the pages given additions. `known`: the additions of
    some pages by path, instead of segmenting them again."""
    rels = pages(site_dir) if rels is None else rels
    known, plan = known or {}, plan or {}
    if workers is None:
        workers = build_workers()
    unknown = sum(rel not in known for rel in rels)
    # Pages whose words are known are staged at some 1 ms each, mostly reading and writing:
    # a one-record push's shard of 1,468 pages took 1.7 s in one process.
    if workers <= 1 or unknown < 400 and len(rels) < 1000 or not hasattr(os, "fork"):
        return _stage_files((site_dir, dest, rels, plan, known))
    import multiprocessing

    if unknown:
        load_dictionary()  # once, before the workers fork
    jobs = [(site_dir, dest, rels[i::workers * 4], plan, known) for i in range(workers * 4)]
    with frozen_heap(), multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_stage_files, jobs)
    return (sum(result[0] for result in results), *({rel: value for result in results for rel, value in result[i].items()}
                                                    for i in (1, 2, 3)))


WORDS_TABLE = "search-words"
WORDS_BY_TEXT_TABLE = "search-words-text"  # the same additions, by figure_free(page)
STAGED_TABLE = "search-staged"


def index(site_dir: Path, cache=None, leaves: frozenset[str] | None = None, meanwhile=None) -> list[str]:
    """Write the Pagefind bundles into site_dir (pagefind/, and pagefind-1/ … when the site
    is split in shards); returns their names. `cache`: a build_cache.Cache, whose bundle of
    a shard is reused when every page in the shard is staged (stage_page) byte for byte as for
    the bundle it kept (_reuse), and which keeps each page's search words and staged SHA-256
    by the page's bytes. `leaves`: the record pages (shard_plan). `meanwhile()`: run once
    while Pagefind's first runs index (or at the end when no shard is indexed): it may add
    files to site_dir but no HTML page, and what it raises stops the runs."""
    site_dir = Path(site_dir).resolve()
    rels = pages(site_dir)
    shards, plan = shard_plan(rels, leaves)
    names = [bundle_name(k) for k in range(shards)]
    members: dict[int, list[str]] = {k: [] for k in range(shards)}
    for rel in rels:
        members[plan[rel]].append(rel)
    running: list = []
    with _staging(site_dir, cache, shards, plan) as (staging, memo):
        try:
            todo, reusable = list(range(shards)), []
            if cache is not None:
                todo, reusable = _reuse(site_dir, memo, plan, members, staging)
            key_of = {}
            keep = (lambda bundle_dir: cache.keep_bundle(key_of[bundle_dir], bundle_dir)) if cache is not None else None
            # Once, while the first runs index (0.35 s of links to place the reused bundles of a push
            # that indexes one shard of 8), or first when none is to be indexed.
            aside = partial(_set_aside, cache, reusable, site_dir, names, meanwhile)
            set_aside = not todo
            todo, failed, first = todo or aside(), [], True
            while todo:
                for batch in _batches(todo, {k: len(members[k]) for k in todo}):
                    # The first batch is staged by worker processes, each later one by this process
                    # while Pagefind indexes the batch before it, as one run keeps ~1.4 of 2 cores
                    # busy. Cold build of 10,000 pages (benchmarks/cold_profile.py): this step 42.7 →
                    # 36.1 s (staging 12.1 s, then five runs 28.2 s, before).
                    chosen = [rel for k in batch for rel in members[k] if rel not in memo.ready]
                    chosen = memo.place_staged(staging, plan, chosen)
                    memo.add(*stage(site_dir, staging, plan=plan, rels=chosen, known=memo.known,
                                    workers=None if first else 1)[1:], staging=staging, plan=plan)
                    if cache is not None:
                        for k in batch:
                            key_of[site_dir / names[k]] = memo.bundle_key(k, members)
                    _finish(running, keep)
                    running = _start([(staging / str(k), site_dir / names[k]) for k in batch])
                    first = False
                    if not set_aside:
                        set_aside, failed = True, aside()
                _finish(running, keep)
                running = []
                todo, failed = failed, []
        finally:
            _kill(running)
    if shards > 1:
        _announce(site_dir, names[1:])
    return names


@contextmanager
def _staging(site_dir: Path, cache, shards: int, plan: dict):
    """The folder the pages are staged into for Pagefind, and this build's _Memo: the staging
    tree the cache kept (build_cache.take_staging), else a new folder beside site_dir. Kept in
    the cache again for the next build when every run succeeded, otherwise removed."""
    taken = cache.take_staging(site_dir.parent, shards) if cache is not None else None
    staging, tree = taken or (Path(tempfile.mkdtemp(prefix=".search-", dir=site_dir.parent)), {})
    memo = _Memo(cache, tree)
    try:
        yield staging, memo
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if cache is not None:
        cache.keep_staging(staging, memo.tree_listing(staging, plan), shards)
    else:
        shutil.rmtree(staging, ignore_errors=True)


class _Memo:
    """What the build cache knows of the pages being indexed, by path: their search words
    (`known`) and their staged copy's SHA-256 (`staged`), each kept in the cache by the page's
    own bytes; and the pages staged already in this build (`ready`)."""

    def __init__(self, cache, tree: dict | None = None):
        self.cache, self.known, self.staged, self.ready = cache, {}, {}, set()
        self.words: dict[str, str] = {}
        self.staged_keys: dict[str, str] = {}
        # The staging tree the last build kept (build_cache.take_staging), as its listing:
        # `<shard>/<page>` → [SHA-256, then the file's signature].
        self.tree: dict[str, list] = dict(tree or {})

    def recall(self, site_dir: Path, rels: list[str]) -> None:
        cache = self.cache
        shas = {rel: cache.content_sha(site_dir / rel) for rel in rels}
        # Every page's, so that those of a reused shard stay in the cache too.
        self.words = {rel: cache.table_key(WORDS_TABLE, sha) for rel, sha in shas.items()}
        self.known = {rel: tuple(found) for rel, key in self.words.items()
                      if (found := cache.recall(WORDS_TABLE, key)) is not None}
        self.staged_keys = {rel: cache.table_key(STAGED_TABLE, sha) for rel, sha in shas.items()}
        self.staged = {rel: found for rel, key in self.staged_keys.items()
                       if (found := cache.recall(STAGED_TABLE, key)) is not None}

    def bundle_key(self, k: int, members: dict[int, list[str]]) -> str:
        """Shard k's key in the cache: its pages as staged (every one of them staged or recalled)."""
        return self.cache.bundle_key(k, len(members), [(rel, self.staged[rel]) for rel in members[k]])

    def recall_by_text(self, site_dir: Path, rels: list[str]) -> None:
        """The additions of pages whose bytes are new but whose figure_free text the cache has
        seen: the pages a corrected figure changed are then staged without segmenting them."""
        for rel in rels:
            if rel in self.known:
                continue
            free = hashlib.sha256(figure_free((site_dir / rel).read_text("utf-8"))).hexdigest()
            found = self.cache.recall(WORDS_BY_TEXT_TABLE, self.cache.table_key(WORDS_BY_TEXT_TABLE, free))
            if found is not None:
                self.known[rel] = tuple(found)
                self.cache.remember(WORDS_TABLE, self.words[rel], self.known[rel])

    def place_staged(self, staging: Path, plan: dict, rels: list[str]) -> list[str]:
        """Link into staging the cache's staged copy of each of rels it holds (build_cache
        keep_staged); returns the others, to be staged."""
        if self.cache is None:
            return rels
        left = []
        for rel in rels:
            name = _tree_path(plan, rel)
            path = staging / name
            entry = self.tree.get(name)
            if entry is not None:
                if _signature(path) == entry[1:]:  # still the very file the listing names
                    self.cache.hold_staged(entry[0], entry[1:])
                    self.ready.add(rel)
                    continue
                path.unlink(missing_ok=True)
                del self.tree[name]
            sha = self.staged.get(rel)
            if sha is not None and self.cache.place_staged(sha, path):
                self.ready.add(rel)
            else:
                left.append(rel)
        return left

    def prune_tree(self, staging: Path, plan: dict) -> None:
        """Remove from the staging tree each page that is not what this build stages: gone,
        in another shard now, or staged otherwise (changed, or not known yet), so that what
        stays is what Pagefind is to read, and staging a page never writes into a file the
        tree shares with the cache."""
        for path, entry in list(self.tree.items()):
            shard, _, rel = path.partition("/")
            if str(plan.get(rel)) != shard or self.staged.get(rel) != entry[0]:
                (staging / path).unlink(missing_ok=True)
                del self.tree[path]

    def tree_listing(self, staging: Path, plan: dict) -> dict:
        """The listing of the staging tree as this build leaves it (build_cache.keep_staging):
        what stayed of the last one, and each page staged or linked now, by the signature of
        the cache's copy, which it is a link of. A page the cache keeps no copy of is removed
        (staged again next time); one that is not a link of the copy (two pages staged alike)
        has another signature, so the next build stages it again (place_staged)."""
        listing = dict(self.tree)
        held = self.cache.new["staged"]
        for rel in self.ready:
            path = _tree_path(plan, rel)
            if path in listing:
                continue
            sha = self.staged.get(rel)
            sig = held.get(sha) if sha else None
            if sig is not None:
                listing[path] = [sha, *sig]
            else:
                (staging / path).unlink(missing_ok=True)
        return listing

    def add(self, made: dict, found: dict, free: dict, staging: Path, plan: dict) -> None:
        """The words segmented, the SHA-256 of the pages just staged into staging (by `plan`'s
        shard), and of the figure_free text of those segmented (stage's results)."""
        self.ready.update(found)
        if self.cache is None:
            return
        for rel, sha in found.items():
            self.cache.keep_staged(sha, _staged_path(staging, plan, rel))
        for rel, added in made.items():
            self.cache.remember(WORDS_TABLE, self.words[rel], added)
            self.cache.remember(WORDS_BY_TEXT_TABLE, self.cache.table_key(WORDS_BY_TEXT_TABLE, free[rel]), added)
            self.known[rel] = added
        for rel, sha in found.items():
            self.cache.remember(STAGED_TABLE, self.staged_keys[rel], sha)
            self.staged[rel] = sha


def _set_aside(cache, reusable: list[tuple[int, str]], site_dir: Path, names: list[str], meanwhile) -> list[int]:
    """Place the cache's bundle of each (shard, key) of `reusable`, then run `meanwhile`;
    returns the shards whose bundle turned out damaged or missing, to index."""
    failed = [k for k, key in reusable if not cache.place_bundle(key, site_dir / names[k])]
    if meanwhile is not None:
        meanwhile()
    return failed


def _reuse(site_dir: Path, memo: _Memo, plan: dict, members: dict, staging: Path) -> tuple[list[int], list]:
    """The shards to index, and (shard, bundle key) of those whose pages are all staged as for
    a bundle the cache holds, to place (_set_aside).

    A bundle is keyed by what Pagefind reads, the staged pages, not by the built ones: staging
    drops charts and the figures of table cells, so a corrected figure, which changes every
    page of that region's series (their trend tables and charts) and the listings that show
    it, leaves their staged copies as they were. Keyed by the built pages, that push re-indexed
    7 of the 8 shards of the 10,000-page corpus."""
    cache, shards = memo.cache, len(members)
    memo.recall(site_dir, [rel for k in range(shards) for rel in members[k]])  # every page, once
    memo.prune_tree(staging, plan)
    unsure = [rel for k in range(shards) for rel in members[k] if rel not in memo.staged]
    if unsure and cache.holds_bundles():
        # Stage the pages whose staged bytes are not known yet (a push: the few it changed)
        # before deciding which bundles can be reused.
        memo.recall_by_text(site_dir, unsure)
        memo.add(*stage(site_dir, staging, plan=plan, known=memo.known, rels=unsure)[1:], staging=staging, plan=plan)
    todo, reusable = [], []
    held = cache.old.get("bundles") or {}
    for k in range(shards):
        if all(rel in memo.staged for rel in members[k]) and (key := memo.bundle_key(k, members)) in held:
            reusable.append((k, key))
        else:
            todo.append(k)
    return todo, reusable


def _batches(shards: list[int], sizes: dict[int, int]) -> list[list[int]]:
    """The shards in runs of Pagefind side by side: two at a time (one run keeps about 1.4 of
    2 cores busy) while together they hold at most RUN_PAGES pages, else one at a time. The two
    shards a one-record push re-indexes (its record shard and the listings') run at once."""
    out: list[list[int]] = []
    for k in shards:
        if out and len(out[-1]) == 1 and sizes[out[-1][0]] + sizes[k] <= RUN_PAGES:
            out[-1].append(k)
        else:
            out.append([k])
    return out


SEARCH_PAGE = "search/index.html"
MERGE_ATTR = "data-gk-merge"


def _announce(site_dir: Path, extra: list[str]) -> None:
    """Tell the search page (assets/gk-search.js) which further bundles to merge."""
    page = site_dir / SEARCH_PAGE
    if not page.exists():
        return
    # A page indexed before (a copy of a built site) already lists its bundles: a second
    # attribute would be ignored by the browser, which reads the first.
    text = re.sub(rf'{MERGE_ATTR}="[^"]*" ', "", page.read_text("utf-8"), count=1)
    text = text.replace('data-gk-root="', f'{MERGE_ATTR}="{" ".join(extra)}" data-gk-root="', 1)
    replace_file(page, text.encode("utf-8"))  # the page may be a link into the build cache


def _start(jobs: list[tuple[Path, Path]]) -> list:
    """Pagefind over each (staged pages, bundle) of `jobs`, all at once: [(process, bundle dir)]."""
    procs = []
    try:
        for pages_dir, bundle_dir in jobs:
            cmd = [str(executable()), "--site", str(pages_dir), "--output-path", str(bundle_dir), "--quiet"]
            try:
                proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            except OSError as exc:
                raise _failed(f"生成搜索索引失败（{exc}）。网站没有更新，请重试或联系技术人员。") from None
            procs.append((proc, bundle_dir, time.monotonic() + TIMEOUT_SECONDS))
    except BaseException:
        _kill(procs)
        raise
    return procs


def _finish(procs: list, keep=None) -> None:
    """Wait for the runs `_start` began; then `keep(bundle_dir)` each bundle (the cache's)."""
    for proc, bundle_dir, deadline in procs:
        try:
            out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired as exc:
            raise _failed(f"生成搜索索引失败（{exc}）。网站没有更新，请重试或联系技术人员。") from None
        if proc.returncode != 0 or not (bundle_dir / "pagefind.js").exists():
            details = (err or out).strip().splitlines()[-3:]
            raise _failed("生成搜索索引失败，网站没有更新：" + "；".join(details or ["没有生成索引文件"]))
    for _, bundle_dir, _ in procs if keep is not None else ():
        keep(bundle_dir)


def _kill(procs: list) -> None:
    for proc, _, _ in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _run(jobs: list[tuple[Path, Path]]) -> None:
    """Pagefind over each (staged pages, bundle) of `jobs`, all at once, until all are done."""
    procs = _start(jobs)
    try:
        _finish(procs)
    finally:
        _kill(procs)


def _failed(message: str) -> DataError:
    return DataError([Problem("mkdocs.yml", 1, 1, message)])


def record_pages(site) -> frozenset[str]:
    """The built record pages (shard_plan's leaves), by their path in the built site."""
    return frozenset(urls.built(r.src) for r in site.approved_records)


def build_search_index(site, out_dir: Path, root: Path, cache=None, meanwhile=None) -> None:
    index(Path(out_dir), cache=cache, leaves=record_pages(site) if site is not None else None, meanwhile=meanwhile)
