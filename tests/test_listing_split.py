"""Long listings split by county so that a phone can open them; nothing is lost on the way.
On the extended sample (tests/extended_sample.py), built with `catalogue_page_rows: 10`."""
import html as htmllib
import re

from extended_sample import LISTING_ROWS
from sample_data import approved, url
from generator.urls import urls

KIND = "dibao_stats"


def links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"#]+)"', html))


def test_a_long_kind_listing_is_split_by_county_and_reaches_every_record(extended_site):
    project, site = extended_site, extended_site / "site"
    assert f"catalogue_page_rows: {LISTING_ROWS}" in (project / "site_data/site.yaml").read_text("utf-8")
    kind_dir = site / urls.url(urls.kind("relief", KIND))
    kind_page = (kind_dir / "index.html").read_text("utf-8")
    assert "按县（区）查看" in kind_page and "按统计期，新的在前" not in kind_page

    records = [d for k, d in approved(project) if k == KIND]
    counties = {d["region"]["code"]: d["region"]["name"] for d in records}
    county_pages = {p.parent.name[len("dq-"):]: p for p in kind_dir.glob("dq-*/index.html")}
    assert set(county_pages) == set(counties)
    for code in counties:
        assert f'href="dq-{code}/"' in kind_page

    reached = set()
    for code, page in county_pages.items():
        html = page.read_text("utf-8")
        # The extended sample's hostile county name is escaped: compare the text shown.
        assert counties[code] in htmllib.unescape(html) and "示例数据" in html
        for d in records:
            target = "../" + url(KIND, d).split(f"{KIND}/", 1)[1]
            if d["region"]["code"] == code:
                assert target in links(html), (code, d["index_no"])
                reached.add(d["index_no"])
            else:
                assert target not in links(html), (code, d["index_no"])
    assert reached == {d["index_no"] for d in records}
    # Small enough for a phone: the listing no longer grows with the number of periods.
    assert len(kind_page.encode()) < 60_000
