"""No dead link: every internal link of the built site, and every address on the site's own
domain whether written as a link or as plain text, must resolve to a file of the new site,
or the build fails before it goes live (《政府网站与政务新媒体检查指标》 counts links that do
not open against a site). Addresses of outside systems cannot be checked offline: the build
summary lists them for the editor to open by hand.
"""
from __future__ import annotations

import html
import os
import posixpath
import re
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import walk
from ..problems import DataError, Problem
from ..sitebuild.workers import split_map

# Attribute values that the browser fetches or follows.
_ATTR = re.compile(r"""(?:href|src)=["']([^"']*)["']""")
# A URL written anywhere (text or attribute), after entities are decoded; ends at white
# space, quotes, brackets or CJK punctuation, which Chinese text puts right after an address.
_URL = re.compile(r"""https?://[^\s"'<>()（）\[\]{}，。；、：“”‘’《》！？]+""")
_SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "sms:")
_TRAILING = ".,;:!?"
_TAG = re.compile(r"<[^>]*>")
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_LOCAL = {"127.0.0.1", "localhost", "::1"}
MAX_LISTED = 50


def _pages(files: list[str]) -> list[str]:
    """Of the site's files, those whose links are checked."""
    return [rel for rel in files
            if not rel.startswith("pagefind") and os.path.splitext(rel)[1] in (".html", ".xml", ".json")]


def _exists(files: set[str], path: str) -> bool:
    """Whether a site path (no leading slash, already unquoted) is served by a static server."""
    if path == "" or path.endswith("/"):
        return path + "index.html" in files
    return path in files or path + "/index.html" in files


def _source(rel: str) -> str:
    """The Markdown source a page came from, for the editor to find the link."""
    if rel.endswith("index.html"):
        return f"content/{rel[: -len('html')]}md"
    return f"site/{rel}"


class _Links:
    """One check of a built site: each page scanned for what it links to (`scan`, a function
    of the page's text and the site's address alone, so the build cache can keep it), then
    judged against the files of the new site (`judge`)."""

    def __init__(self, files: set[str], base_url: str):
        base = urlsplit(base_url)
        self.own_host = (base.hostname or "").lower()
        self.base_path = base.path if base.path.endswith("/") else base.path + "/"
        self.own_text = re.compile(re.escape(self.own_host) + r"""(/[^\s"'<>()（）\[\]{}，。；、：“”‘’《》！？]*)?""",
                                   re.I) if self.own_host else None
        self.files = files  # every file of the built site: one walk, then set lookups (a stat per link cost seconds)
        self.problems: list[Problem] = []
        self.outside: dict[str, set[str]] = {}
        self.seen: set[tuple[str, str]] = set()

    def scan(self, rel: str, raw: str) -> dict:
        """What the page links to: `site`, [how it is written, how it is found (see
        relative_links), the site path it must open, or None when it is outside the site];
        `outside`, the outside addresses it shows."""
        found = {"site": [], "outside": []}
        # The href and src values, found once for both uses (benchmarks/link_scan.py times the scan).
        values = _ATTR.findall(raw) if rel.endswith(".html") else None
        if values is not None:
            self.relative_links(rel, values, found)
        text = html.unescape(raw)
        self.own_urls(text, found)
        if values is not None:
            self.outside_urls(raw, values, found)
        if self.own_text:
            self.own_host_text(text, found)
        return found

    def judge(self, rel: str, found: dict) -> None:
        for shown, how, path in found["site"]:
            if (path is None or not _exists(self.files, path)) and (rel, shown) not in self.seen:
                self.seen.add((rel, shown))
                self.problems.append(Problem(_source(rel), 1, 1,
                                             f"页面 /{rel} 中{how}“{shown}”在网站中不存在（打不开）。"
                                             "请改成存在的页面或文件的地址，或者删除它。"))
        for url in found["outside"]:
            self.outside.setdefault(url, set()).add(rel)

    def own_path(self, path: str) -> str | None:
        path = unquote(path or "/")
        if not path.startswith(self.base_path.rstrip("/") or "/"):
            return None
        return path[len(self.base_path):] if path.startswith(self.base_path) else ""

    @staticmethod
    def relative_links(rel: str, values: list[str], found: dict) -> None:
        """The page's href and src `values` without a scheme: resolved against its folder."""
        page_dir = "/" + rel.rsplit("/", 1)[0] + "/" if "/" in rel else "/"
        for value in values:
            value = html.unescape(value).strip()
            if not value or value.startswith("#") or value.lower().startswith(_SKIP_SCHEMES):
                continue
            parts = urlsplit(value)
            if parts.scheme in ("http", "https") or value.startswith("//"):
                continue  # absolute addresses: checked with the text
            if parts.scheme or not parts.path:
                continue
            target = unquote(parts.path)
            joined = target if target.startswith("/") else page_dir + target
            norm = posixpath.normpath(joined) + ("/" if joined.endswith("/") and joined != "/" else "")
            found["site"].append((value, "的链接", norm.lstrip("/")))

    def own_urls(self, text: str, found: dict) -> None:
        """http(s) addresses on the site's own host, wherever they are written."""
        for url in _URL.findall(text):
            url = url.rstrip(_TRAILING)
            parts = urlsplit(url)
            if (parts.hostname or "").lower() == self.own_host:
                found["site"].append((url, "的本站地址", self.own_path(parts.path)))

    def outside_urls(self, raw: str, values: list[str], found: dict) -> None:
        """Outside addresses a reader can open: links (the page's href and src `values`), and
        addresses in the visible text (not XML namespaces, JSON-LD vocabularies or the
        preview's 127.0.0.1)."""
        visible = html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", raw)))
        candidates = [html.unescape(v) for v in values] + _URL.findall(visible)
        for url in candidates:
            url = url.strip().rstrip(_TRAILING)
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            if parts.scheme in ("http", "https") and host and host != self.own_host and host not in _LOCAL:
                found["outside"].append(url)

    def own_host_text(self, text: str, found: dict) -> None:
        """The site's own domain written without a scheme (www.example.gov.cn/zwgk/)."""
        for m in self.own_text.finditer(text):
            before = text[m.start() - 1] if m.start() else " "
            if before.isalnum() or before in "._@/-":
                continue  # part of a longer name, an e-mail address, or after a scheme (handled above)
            if m.group(1):
                site_path = self.own_path(m.group(1))
                found["site"].append((m.group(0), "的本站地址",
                                      None if site_path is None else site_path.rstrip(_TRAILING)))


LINKS_TABLE = "links"


def check(out_dir: Path, base_url: str, cache=None) -> tuple[list[Problem], dict[str, set[str]]]:
    """(problems for dead links, outside address → pages that carry it). `cache`: a
    build_cache.Cache, which keeps what each page links to by the page's bytes."""
    out_dir = Path(out_dir)
    files = walk.files(out_dir)
    links = _Links(set(files), base_url)
    pages = _pages(files)
    found: list = []
    keys: list = []
    for rel in pages:
        # By the page's SHA-256, which the cache knows without reading a page it placed.
        key = cache.table_key(LINKS_TABLE, rel, base_url, cache.content_sha(out_dir / rel)) if cache else None
        keys.append(key)
        found.append(cache.recall(LINKS_TABLE, key) if cache else None)
    unknown = [i for i, f in enumerate(found) if f is None]
    # A cold build scans every page, 12 s at 10,000 pages in one process: shared out.
    scanned = split_map(partial(_scan, links, out_dir), [pages[i] for i in unknown])
    for i, f in zip(unknown, scanned):
        found[i] = f
        if cache:
            cache.remember(LINKS_TABLE, keys[i], f)
    for rel, f in zip(pages, found):
        links.judge(rel, f)
    return links.problems, links.outside


def _scan(links: _Links, out_dir: Path, rel: str) -> dict:
    return links.scan(rel, (out_dir / rel).read_bytes().decode("utf-8", errors="replace"))


def outside_summary(outside: dict[str, set[str]]) -> list[str]:
    """Lines for the build summary: each outside address once, with how many pages carry it."""
    if not outside:
        return []
    lines = [f"站外地址 {len(outside)} 个（构建时无法检查，请逐个打开确认仍然有效）："]
    for url in sorted(outside)[:MAX_LISTED]:
        pages = sorted(outside[url])
        where = f"/{pages[0]}" + (f" 等 {len(pages)} 个页面" if len(pages) > 1 else "")
        lines.append(f"  {url}（{where}）")
    if len(outside) > MAX_LISTED:
        lines.append(f"  ……另有 {len(outside) - MAX_LISTED} 个。")
    return lines


def check_links(site, out_dir, root, cache=None):
    from ..pages.feeds import site_url

    problems, outside = check(Path(out_dir), site_url(site), cache)
    site.outside_addresses = outside
    if problems:
        raise DataError(problems)
