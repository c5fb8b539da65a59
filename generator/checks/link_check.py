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
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..problems import DataError, Problem

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


def _pages(out_dir: Path):
    for path in sorted(out_dir.rglob("*")):
        rel = path.relative_to(out_dir)
        if rel.parts[0].startswith("pagefind") or path.suffix not in (".html", ".xml", ".json"):
            continue
        if path.is_file():
            yield rel.as_posix(), path


def _files(out_dir: Path) -> set[str]:
    """Every file of the built site as a relative POSIX path: one walk, then set lookups
    (a stat per link costs seconds at a few hundred pages)."""
    out = set()
    for dirpath, _, names in os.walk(out_dir):
        rel = os.path.relpath(dirpath, out_dir)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        out.update(prefix + n for n in names)
    return out


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
    """One check of a built site: what every page is checked against, and what it found."""

    def __init__(self, out_dir: Path, base_url: str):
        base = urlsplit(base_url)
        self.own_host = (base.hostname or "").lower()
        self.base_path = base.path if base.path.endswith("/") else base.path + "/"
        self.own_text = re.compile(re.escape(self.own_host) + r"""(/[^\s"'<>()（）\[\]{}，。；、：“”‘’《》！？]*)?""",
                                   re.I) if self.own_host else None
        self.files = _files(out_dir)
        self.resolved: dict[tuple[str, str], bool] = {}
        self.problems: list[Problem] = []
        self.outside: dict[str, set[str]] = {}
        self.seen: set[tuple[str, str]] = set()

    def dead(self, rel: str, shown: str, how: str):
        if (rel, shown) in self.seen:
            return
        self.seen.add((rel, shown))
        self.problems.append(Problem(_source(rel), 1, 1,
                                     f"页面 /{rel} 中{how}“{shown}”在网站中不存在（打不开）。"
                                     "请改成存在的页面或文件的地址，或者删除它。"))

    def own_path(self, path: str) -> str | None:
        path = unquote(path or "/")
        if not path.startswith(self.base_path.rstrip("/") or "/"):
            return None
        return path[len(self.base_path):] if path.startswith(self.base_path) else ""

    def relative_links(self, rel: str, raw: str):
        """href and src values without a scheme: resolved against the page's folder."""
        page_dir = "/" + rel.rsplit("/", 1)[0] + "/" if "/" in rel else "/"
        for value in _ATTR.findall(raw):
            value = html.unescape(value).strip()
            if not value or value.startswith("#") or value.lower().startswith(_SKIP_SCHEMES):
                continue
            parts = urlsplit(value)
            if parts.scheme in ("http", "https") or value.startswith("//"):
                continue  # absolute addresses: checked with the text
            if parts.scheme:
                continue
            key = (page_dir, value)
            ok = self.resolved.get(key)
            if ok is None:
                target = unquote(parts.path)
                joined = target if target.startswith("/") else page_dir + target
                norm = posixpath.normpath(joined) + ("/" if joined.endswith("/") and joined != "/" else "")
                ok = self.resolved[key] = _exists(self.files, norm.lstrip("/")) if parts.path else True
            if not ok:
                self.dead(rel, value, "的链接")

    def own_urls(self, rel: str, text: str):
        """http(s) addresses on the site's own host, wherever they are written."""
        for url in _URL.findall(text):
            url = url.rstrip(_TRAILING)
            parts = urlsplit(url)
            if (parts.hostname or "").lower() == self.own_host:
                site_path = self.own_path(parts.path)
                if site_path is None or not _exists(self.files, site_path):
                    self.dead(rel, url, "的本站地址")

    def outside_urls(self, rel: str, raw: str):
        """Outside addresses a reader can open: links, and addresses in the visible text
        (not XML namespaces, JSON-LD vocabularies or the preview's 127.0.0.1)."""
        visible = html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", raw)))
        candidates = [html.unescape(v) for v in _ATTR.findall(raw)] + _URL.findall(visible)
        for url in candidates:
            url = url.strip().rstrip(_TRAILING)
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            if parts.scheme in ("http", "https") and host and host != self.own_host and host not in _LOCAL:
                self.outside.setdefault(url, set()).add(rel)

    def own_host_text(self, rel: str, text: str):
        """The site's own domain written without a scheme (www.example.gov.cn/zwgk/)."""
        for m in self.own_text.finditer(text):
            before = text[m.start() - 1] if m.start() else " "
            if before.isalnum() or before in "._@/-":
                continue  # part of a longer name, an e-mail address, or after a scheme (handled above)
            site_path = self.own_path(m.group(1) or "/")
            if m.group(1) and (site_path is None or not _exists(self.files, site_path.rstrip(_TRAILING))):
                self.dead(rel, m.group(0), "的本站地址")


def check(out_dir: Path, base_url: str) -> tuple[list[Problem], dict[str, set[str]]]:
    """(problems for dead links, outside address → pages that carry it)."""
    out_dir = Path(out_dir)
    links = _Links(out_dir, base_url)
    for rel, path in _pages(out_dir):
        raw = path.read_text("utf-8", errors="replace")
        if rel.endswith(".html"):
            links.relative_links(rel, raw)
        text = html.unescape(raw)
        links.own_urls(rel, text)
        if rel.endswith(".html"):
            links.outside_urls(rel, raw)
        if links.own_text:
            links.own_host_text(rel, text)
    return links.problems, links.outside


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


def check_links(site, out_dir, root):
    from ..pages.feeds import site_url

    problems, outside = check(Path(out_dir), site_url(site))
    site.outside_addresses = outside
    if problems:
        raise DataError(problems)
