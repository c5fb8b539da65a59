"""Feeds step: Atom feeds of the latest published records, one for the site
and one per column, so citizens and aggregators learn what changed.

Dates come only from the records (发布日期/更新日期), never from the build
clock: building the same data twice gives byte-identical feeds.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from ..urls import urls
from ..model.model import Record, Site

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50
SITE_FEED = urls.feed()
# Dates carry no time of day; China Standard Time has no daylight saving.
CST = dt.timezone(dt.timedelta(hours=8))
EPOCH = dt.date(1970, 1, 1)

ET.register_namespace("", ATOM)


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even when it holds !!python/name or !ENV tags we do not need."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_url(site: Site) -> str:
    """The public base URL: mkdocs.yml `site_url` if set, else https://<domain>/ from site.yaml."""
    try:
        cfg = yaml.load((site.root / "mkdocs.yml").read_text("utf-8"), Loader=_AnyTagLoader) or {}
    except (OSError, yaml.YAMLError):
        cfg = {}
    url = cfg.get("site_url") or f"https://{site.config['domain']}/"
    return url if url.endswith("/") else url + "/"


def stamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(), CST).isoformat()


def _sub(parent, tag: str, text: str | None = None, **attrs):
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def latest(records: list[Record], n: int = ENTRIES) -> list[Record]:
    """Newest first by 更新日期 (or 发布日期), ties by 索引号 so the order is stable."""
    return sorted(records, key=lambda r: (r.updated, r.index_no), reverse=True)[:n]


def feed_xml(site: Site, base: str, title: str, page_url: str, feed_path: str,
             records: list[Record]) -> bytes:
    entries = latest(records)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _sub(root, "id", base + page_url)
    _sub(root, "title", title)
    _sub(root, "subtitle", f"{site.config['name']}：最近发布和更新的政府信息")
    _sub(root, "updated", stamp(max((r.updated for r in entries), default=EPOCH)))
    _sub(root, "link", rel="self", type="application/atom+xml", href=base + feed_path)
    _sub(root, "link", rel="alternate", type="text/html", href=base + page_url)
    author = _sub(root, "author")
    _sub(author, "name", site.config.get("office", {}).get("name") or site.config["name"])
    for r in entries:
        entry = _sub(root, "entry")
        _sub(entry, "id", base + r.url)
        _sub(entry, "title", r.title)
        _sub(entry, "link", rel="alternate", type="text/html", href=base + r.url)
        _sub(entry, "published", stamp(r.published))
        _sub(entry, "updated", stamp(r.updated))
        entry_author = _sub(entry, "author")
        _sub(entry_author, "name", r.data.get("publisher") or site.config["name"])
        _sub(entry, "category", term=r.kind.id, label=r.kind.name)
        _sub(entry, "summary", r.data.get("summary") or r.title)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def feeds(site: Site, output, env) -> None:
    base = site_url(site)
    output.add(SITE_FEED, feed_xml(site, base, f"{site.config['name']} - 最近更新", "",
                                   SITE_FEED, site.approved_records))
    for column in site.columns.values():
        records = site.column_records(column.id)
        if records:
            output.add(urls.feed(column.id), feed_xml(
                site, base, f"{column.name} - 最近更新", column.url, urls.feed(column.id), records))
