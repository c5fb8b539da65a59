"""What a reader gets from a built page, independent of how an engine spells its HTML.

Two builds of the same sources by different engines (MkDocs + Material, Zensical) or with
and without the MkDocs hooks differ in whitespace, attribute order, how a relative link is
written (`./` or `././`), how a character is escaped (`/` or `&#x2f;`), the theme's own
scripts and stylesheet names. None of that reaches a reader. This module reduces a page to
what does: the title, the meta tags, the headings, the 信息索引 box, every table's cells,
every link (its text and the page it leads to, resolved against the page's own URL), the
images, the article's text and the search filters Pagefind reads.
"""
from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# The theme's machinery, not the page: its scripts, its own stylesheet and icons.
THEME_META = {"generator"}


def _space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Reader(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url  # the page's URL path, as urls.url gives it for the page's source
        self.title = ""
        self.meta: dict[str, str] = {}
        self.links: list[tuple[str, str]] = []
        self.images: list[tuple[str, str]] = []
        self.headings: list[tuple[str, str]] = []
        self.tables: list[list[list[str]]] = []
        self.box: list[list[str]] = []
        self.filters: list[tuple[str, str]] = []
        self.article: list[str] = []
        self._stack: list[str] = []
        self._in = {"title": 0, "article": 0, "script": 0, "style": 0, "hidden": 0, "box": 0}
        self._capture: list[list] = []  # open text captures: [kind, attrs, parts]
        self._tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def _resolve(self, href: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            return href
        path, frag = urldefrag(href)
        if not path:
            target = self.url
        else:
            target = posixpath.normpath(posixpath.join("/" + self.url, unquote(path)))
            if path.endswith("/") or path in (".", "./") or path.endswith("/."):
                target = target.rstrip("/") + "/"
            target = target.lstrip("/")
            if target == ".":
                target = ""
        return target + ("#" + frag if frag else "")

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in VOID:
            self._stack.append(tag)
        for flag in ("title", "article", "script", "style"):
            if tag == flag:
                self._in[flag] += 1
        if tag == "meta" and a.get("name") and a["name"] not in THEME_META:
            self.meta[a["name"]] = _space(a.get("content") or "")
        if tag in VOID:
            if tag == "img" and self._in["article"]:
                self.images.append((self._resolve(a.get("src") or ""), a.get("alt") or ""))
            return
        hidden = "hidden" in a
        self._capture.append([tag, a, [], hidden or self._in["hidden"] > 0])
        if hidden:
            self._in["hidden"] += 1
        if "gk-meta" in (a.get("class") or "").split():
            self._in["box"] += 1
        if tag == "table":
            self._tables.append([])
        elif tag == "tr" and self._tables:
            self._tables[-1].append([])
        elif tag in ("td", "th") and self._tables and self._tables[-1]:
            self._tables[-1][-1].append("")

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self._stack:
            return
        while self._stack:
            open_tag = self._stack.pop()
            kind, attrs, parts, hidden = self._capture.pop()
            text = _space("".join(parts))
            self._close(kind, attrs, text, hidden)
            if open_tag == tag:
                break

    def _close(self, tag, attrs, text, hidden):
        for flag in ("title", "article", "script", "style"):
            if tag == flag:
                self._in[flag] -= 1
        if "hidden" in attrs:
            self._in["hidden"] -= 1
        if "gk-meta" in (attrs.get("class") or "").split():
            self._in["box"] -= 1
        if tag == "title":
            self.title = text
        elif tag == "a" and self._in["article"] and attrs.get("href") is not None and not hidden:
            self.links.append((text, self._resolve(attrs["href"])))
        elif re.fullmatch(r"h[1-6]", tag) and self._in["article"] and not hidden:
            self.headings.append((tag, text))
        elif tag in ("td", "th") and self._tables and self._tables[-1] and self._tables[-1][-1]:
            self._tables[-1][-1][-1] = text
        elif tag == "table" and self._tables:
            table = self._tables.pop()
            self.tables.append(table)
            if self._in["box"]:
                self.box = table
        elif tag == "span" and ("data-pagefind-filter" in attrs or "data-pagefind-meta" in attrs):
            self.filters.append((attrs.get("data-pagefind-filter") or attrs.get("data-pagefind-meta"), text))

    def handle_data(self, data):
        if self._in["script"] or self._in["style"]:
            return
        for capture in self._capture:
            capture[2].append(data)
        if self._in["article"] and not self._in["hidden"]:
            self.article.append(data)


def page_url(rel: str) -> str:
    """A built file's URL path: urls.built(src) → urls.url(src) (a page's index.html → its folder)."""
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def read(site: Path, rel: str) -> dict:
    """The reader's view of one page of a built site."""
    parser = _Reader(page_url(rel))
    parser.feed((site / rel).read_text("utf-8"))
    parser.close()
    return {
        "title": parser.title,
        "meta": parser.meta,
        "headings": parser.headings,
        "box": parser.box,
        "tables": parser.tables,
        "links": parser.links,
        "images": parser.images,
        "filters": sorted(parser.filters),
        "text": _space(" ".join(parser.article)),
    }


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).as_posix().startswith(("assets/", "pagefind")))
