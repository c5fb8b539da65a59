"""sitemap.xml with each page's own date as lastmod.

MkDocs writes an empty sitemap without `site_url` (which we do not set: it
would add absolute links to every page) and dates pages by the build clock.
This step rewrites it from the built pages: `loc` on the configured domain,
`lastmod` equal to the page's dateModified from its records, no lastmod for
pages without one. Nothing depends on when the build ran.
"""
from __future__ import annotations

import gzip
import io
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

from .. import walk
from ..pages.open_data import base_url
from ..pages.page_meta import page_dates
from ..urls import page_url, urls

SKIP = {"404.html"}


def page_urls(out_dir: Path) -> list[str]:
    urls = []
    for rel in walk.files(out_dir):
        if rel.rsplit("/", 1)[-1] != "index.html" or rel in SKIP or rel.startswith(("search/", "assets/")):
            continue
        urls.append(rel[: -len("index.html")])
    return urls


def sitemap_xml(site, out_dir: Path) -> str:
    dates = {page_url(src): d for src, d in page_dates(site).items()}
    base = base_url(site.config)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in page_urls(out_dir):
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(base + quote(url, safe='/._-~'))}</loc>")
        if url in dates:
            lines.append(f"    <lastmod>{dates[url].isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(site, out_dir, root):
    out_dir = Path(out_dir)
    data = sitemap_xml(site, out_dir).encode("utf-8")
    (out_dir / urls.sitemap()).write_bytes(data)
    buf = io.BytesIO()
    # mtime=0 and no file name: the same data gives the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as gz:
        gz.write(data)
    (out_dir / (urls.sitemap() + ".gz")).write_bytes(buf.getvalue())
