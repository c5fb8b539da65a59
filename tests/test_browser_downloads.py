"""Data people can take away, as a citizen gets it: every download on 数据下载 opens from the
browser and parses — CSV as a download in UTF-8 with a BOM (Excel on Chinese Windows), JSON
shown by the browser — and the CSV's columns are the ones its data dictionary lists."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from browser_support import browsing, chromium, site_url  # noqa: F401
from generator.urls import urls

pytestmark = pytest.mark.browser

BOM = b"\xef\xbb\xbf"


def download(page, page_url: str, href: str) -> bytes:
    page.goto(page_url)
    with page.expect_download(timeout=10000) as d:
        page.click(f"article a[href='{href}']")
    return Path(d.value.path()).read_bytes()


def parse_csv(raw: bytes, href: str) -> list[list[str]]:
    assert raw.startswith(BOM), f"{href}: no UTF-8 BOM, Excel would show 乱码"
    rows = list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"))))
    assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), f"{href}: ragged or empty"
    return rows


def test_every_download_on_the_data_page_opens_and_parses(browsing, site_url):
    page = browsing(accept_downloads=True).page
    data_page = site_url + urls.url(urls.datasets())
    page.goto(data_page)
    links = page.eval_on_selector_all("article table a[href$='.csv'], article table a[href$='.json']",
                                      "els => els.map(e => [e.textContent.trim(), e.getAttribute('href')])")
    datasets = {href.rsplit(".", 1)[0] for _, href in links if "-fields" not in href}
    assert datasets and len(links) == 3 * len(datasets), links
    for stem in sorted(datasets):
        rows = parse_csv(download(page, data_page, stem + ".csv"), stem + ".csv")
        dictionary = parse_csv(download(page, data_page, stem + "-fields.csv"), stem + "-fields.csv")
        label, unit = dictionary[0].index("中文名称"), dictionary[0].index("单位")
        labels = [r[label] for r in dictionary[1:]]
        headings = [r[label] + (f"（{r[unit]}）" if r[unit] else "") for r in dictionary[1:]]
        assert rows[0] == headings, f"{stem}: CSV columns {rows[0]} are not the dictionary's {headings}"

        response = page.goto(data_page + stem + ".json")  # the JSON link's href, from the data page
        assert response.status == 200 and "json" in response.headers["content-type"]
        shown = json.loads(page.evaluate("document.body.innerText"))
        assert len(shown["rows"]) == len(rows) - 1, stem
        assert [d["label"] for d in shown["dictionary"]] == labels, stem
