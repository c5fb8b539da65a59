"""Knowing what changed: 最近更新, Atom feeds, last-updated dates, 404 and print."""
import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET

import yaml
from conftest import ROOT
from generator.urls import page_url, urls
from sample_data import Elements, approved, article, column_of, records, schema, updated, url

A = "{http://www.w3.org/2005/Atom}"
SITE = yaml.safe_load((ROOT / "site_data/site.yaml").read_text("utf-8"))
HOME = urls.built(urls.home())  # the home page in the built site


def base_url() -> str:
    m = re.search(r"(?m)^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text("utf-8"))
    base = m.group(1).strip("'\"") if m else f"https://{SITE['domain']}/"
    return base if base.endswith("/") else base + "/"


def newest_first(recs):
    return sorted(recs, key=lambda kd: (updated(kd[1]), kd[1]["index_no"]), reverse=True)


def stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def recent_section(html: str, page_url: str) -> list[tuple[str, str]]:
    """(target URL, date) of the 最近更新 list, in page order."""
    body = article(html)
    m = re.search(r"<h2[^>]*>最近更新</h2>(.*?)(?=<h2|$)", body, re.S)
    assert m, "no 最近更新 section"
    items = re.findall(r'<li><a href="([^"]+)">.*?</a><span class="gk-date">([0-9-]+)</span></li>', m.group(1))
    return [(posixpath.normpath(posixpath.join(page_url, href)) + "/", day) for href, day in items]


def test_recent_updates_newest_first_on_home_and_columns(built_site):
    home = recent_section((built_site / HOME).read_text("utf-8"), "")
    expect = newest_first(approved())[:len(home)]
    assert len(home) >= 10
    assert home == [(url(k, d), updated(d).isoformat()) for k, d in expect]
    for column in SITE["columns"]:
        recs = [(k, d) for k, d in approved() if column_of(k, d) == column["id"]]
        if not recs:
            continue
        page = page_url(urls.column(column["id"]))
        listed = recent_section((built_site / page / "index.html").read_text("utf-8"), page)
        assert listed == [(url(k, d), updated(d).isoformat()) for k, d in newest_first(recs)[:10]]
        days = [day for _, day in listed]
        assert days == sorted(days, reverse=True)


def check_feed(path, expect_records, page_url):
    base = base_url()
    root = ET.parse(path).getroot()
    assert root.tag == f"{A}feed"
    assert re.search(r"[\u4e00-\u9fff]", root.findtext(f"{A}title"))
    assert root.findtext(f"{A}id") == base + page_url
    assert root.find(f"{A}author/{A}name").text
    links = {l.get("rel"): l.get("href") for l in root.findall(f"{A}link")}
    assert links["self"].startswith(base) and links["self"].endswith("/atom.xml")
    assert links["alternate"] == base + page_url
    entries = root.findall(f"{A}entry")
    want = newest_first(expect_records)[:50]
    assert len(entries) == len(want) > 0
    for entry, (kind, data) in zip(entries, want):
        link = entry.find(f"{A}link").get("href")
        assert link == base + url(kind, data) == entry.findtext(f"{A}id")
        assert entry.findtext(f"{A}title") == data["title"]
        assert entry.findtext(f"{A}updated") == stamp(updated(data))
        assert entry.findtext(f"{A}published") == stamp(dt.date.fromisoformat(data["published"]))
        assert entry.findtext(f"{A}summary")
    assert root.findtext(f"{A}updated") == max(e.findtext(f"{A}updated") for e in entries)
    return links["self"]


def test_atom_feeds_hold_only_approved_records_dated_from_the_records(built_site):
    assert check_feed(built_site / urls.feed(), approved(), "") == base_url() + urls.feed()
    for column in SITE["columns"]:
        recs = [(k, d) for k, d in approved() if column_of(k, d) == column["id"]]
        if recs:
            path = built_site / urls.feed(column["id"])
            assert check_feed(path, recs, page_url(urls.column(column["id"]))) == \
                base_url() + urls.feed(column["id"])
            assert column["name"] in ET.parse(path).getroot().findtext(f"{A}title")
    drafts = [d for _, d in records() if d["review"]["status"] != "已通过"]
    assert drafts
    for feed in built_site.rglob("atom.xml"):
        text = feed.read_text("utf-8")
        for d in drafts:
            assert d["index_no"] not in text and d["title"] not in text, feed


def feed_links(html: str) -> list[str]:
    return [e["attrs"]["href"] for e in Elements(html).find("link", rel="alternate")
            if e["attrs"].get("type") == "application/atom+xml"]


def test_pages_announce_their_feeds(built_site):
    assert feed_links((built_site / HOME).read_text("utf-8")) == [urls.feed()]
    for column in SITE["columns"]:
        page = built_site / urls.built(urls.column(column["id"]))
        links = feed_links(page.read_text("utf-8"))
        assert links[0] == "../atom.xml"
        if (page.parent / "atom.xml").exists():
            assert links[1:] == ["atom.xml"]
    kind, data = approved()[0]
    page = built_site / url(kind, data) / "index.html"
    for href in feed_links(page.read_text("utf-8")):
        assert (page.parent / href).resolve().is_file()


def last_updated(path) -> str:
    found = re.findall(r'<p class="gk-updated">本页最后更新：<time datetime="([0-9-]+)">',
                       path.read_text("utf-8"))
    assert len(found) == 1, path
    return found[0]


def test_every_generated_page_shows_the_date_of_its_newest_record(built_site):
    recs = approved()
    newest = max(updated(d) for _, d in recs).isoformat()
    assert last_updated(built_site / HOME) == newest
    assert last_updated(built_site / urls.built(urls.datasets())) == max(
        updated(d) for k, d in recs if schema(k)["x-kind"].get("dataset")).isoformat()
    for kind, data in recs:
        assert last_updated(built_site / url(kind, data) / "index.html") == updated(data).isoformat()
    by_column, by_kind = {}, {}
    for kind, data in recs:
        col = column_of(kind, data)
        by_column.setdefault(col, []).append(updated(data))
        by_kind.setdefault((col, kind), []).append(updated(data))
    for col, days in by_column.items():
        assert last_updated(built_site / urls.built(urls.column(col))) == max(days).isoformat()
    for (col, kind), days in by_kind.items():
        assert last_updated(built_site / urls.built(urls.kind(col, kind))) == max(days).isoformat()
    assert last_updated(built_site / urls.built(urls.dataset("relief", "dibao_stats"))) == \
        max(by_kind[("relief", "dibao_stats")]).isoformat()


def test_chinese_404_page_points_home_and_to_search(built_site):
    html = (built_site / "404.html").read_text("utf-8")
    body = article(html)
    assert "没有找到您要访问的页面" in body and "Not found" not in html
    assert re.search(r'<a href="/">返回首页</a>', body)
    assert "搜索框" in body
    assert re.search(r'<html[^>]+lang="zh', html)


PRINT_HIDDEN = (".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-banner")


def test_print_stylesheet_is_linked_from_every_page_and_hides_the_chrome(built_site):
    css = (built_site / "assets/print.css").read_text("utf-8")
    block = re.search(r"@media print\s*\{(.*)\}", css, re.S).group(1)
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none", block).group(1)
    for selector in PRINT_HIDDEN:
        assert selector in hidden
    assert ".gk-meta" not in hidden and "attr(href)" in block
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        hrefs = [e["attrs"]["href"] for e in Elements(page.read_text("utf-8")).find("link", rel="stylesheet")]
        printed = [h for h in hrefs if h.endswith("assets/print.css")]
        assert printed, page
        target = built_site / printed[0].lstrip("/") if printed[0].startswith("/") else page.parent / printed[0]
        assert target.resolve().is_file(), page


def test_feed_text_is_escaped_and_order_is_stable():
    from types import SimpleNamespace

    from generator.pages import feeds

    hostile = '<script>alert(1)</script> & "低保" ]]>'
    kind = SimpleNamespace(id="policy", name="政策文件")

    def rec(index_no, published, upd=None):
        data = {"summary": hostile, "publisher": "民政厅 & <财政厅>"}
        return SimpleNamespace(index_no=index_no, title=hostile + index_no, data=data, kind=kind,
                               url=urls.url(urls.record("relief", "policy", index_no)),
                               published=dt.date.fromisoformat(published),
                               updated=dt.date.fromisoformat(upd or published))
    site = SimpleNamespace(config={"name": "测试站点", "domain": "x.example.cn"})
    recs = [rec("a", "2026-01-05"), rec("b", "2026-01-05"), rec("c", "2025-12-01", "2026-02-01")]
    xml = feeds.feed_xml(site, "https://x.example.cn/", "测试 - 最近更新", "", urls.feed(), recs)
    root = ET.fromstring(xml)
    entries = root.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == [hostile + i for i in ("c", "b", "a")]
    assert entries[0].findtext(f"{A}summary") == hostile
    assert entries[0].findtext(f"{A}published") == "2025-12-01T00:00:00+08:00"
    assert root.findtext(f"{A}updated") == "2026-02-01T00:00:00+08:00"
    assert b"<script>" not in xml
    assert feeds.feed_xml(site, "https://x.example.cn/", "测试 - 最近更新", "", urls.feed(),
                          list(reversed(recs))) == xml
