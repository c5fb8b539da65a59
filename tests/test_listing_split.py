"""Long listings split by county so that a phone can open them; nothing is lost on the way."""
import re

import pytest
from conftest import run_cli
from sample_data import approved, url

KIND = "dibao_stats"


def links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"#]+)"', html))


@pytest.mark.build
def test_a_long_kind_listing_is_split_by_county_and_reaches_every_record(project):
    with open(project / "site_data/site.yaml", "a", encoding="utf-8") as f:
        f.write("\ncatalogue_page_rows: 10\n")
    result = run_cli(project, "build")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    kind_dir = site / "zwgk/relief" / KIND
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
        assert counties[code] in html and "示例数据" in html
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
