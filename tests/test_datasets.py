"""Data people can take away: CSV/JSON downloads, data dictionary, dataset pages."""
import csv
import io
import json

import yaml
from conftest import ROOT
from extended_sample import MEDICAL_AID, UNAPPROVED
from generator.urls import urls
from sample_data import Elements, approved, article, get, records, schema, updated, url

KIND, COLUMN = "dibao_stats", "relief"
BASE = urls.dataset_base(COLUMN, KIND)
FIXED = [("index_no", "索引号", ""), ("region.code", "地区代码", ""), ("region.name", "地区", ""),
         ("period", "统计期", ""), ("row_type", "数据类型", "")]
PUBLISHED = "公开数据"  # rows that are records; the others are computed 合计 (test_aggregates.py)


def fields(root=ROOT):
    return [(f["path"], f["label"], f.get("unit", ""))
            for f in schema(KIND, root)["x-kind"]["dataset"]["fields"]]


def expected_rows(root=ROOT):
    rows = {}
    for kind, data in approved(root):
        if kind == KIND:
            rows[data["index_no"]] = [PUBLISHED if path == "row_type" else get(data, path)
                                      for path, _, _ in FIXED + fields(root)]
    return rows


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def test_csv_has_bom_and_every_row_is_a_published_record(built_site):
    header, *rows = read_csv(built_site / f"{BASE}.csv")
    assert header == [f"{label}（{unit}）" if unit else label for _, label, unit in FIXED + fields()]
    rows = [r for r in rows if r[4] == PUBLISHED]
    want = expected_rows()
    assert len(rows) == len(want) > 0
    for row in rows:
        expect = want[row[0]]
        for got, value in zip(row, expect):
            if isinstance(value, (int, float)):
                assert float(got) == value, (row[0], got, value)
            else:
                assert got == (value or ""), (row[0], got, value)


def test_json_rows_and_data_dictionary_match_the_records(built_site):
    data = json.loads((built_site / f"{BASE}.json").read_text("utf-8"))
    assert data["title"] == schema(KIND)["x-kind"]["dataset"]["title"]
    assert data["description"] == schema(KIND)["description"]
    assert data["updated"] == max(updated(d) for k, d in approved() if k == KIND).isoformat()
    assert [(d["field"], d["label"], d["unit"]) for d in data["dictionary"]] == FIXED + fields()
    units = {d["field"]: d["unit"] for d in data["dictionary"]}
    assert units["urban.standard"] == "元/人·月" and units["rural.recipients"] == "人"
    want = expected_rows()
    published = [row for row in data["rows"] if row[4] == PUBLISHED]
    assert sorted(row[0] for row in published) == sorted(want)
    for row in published:
        assert row == want[row[0]]


def test_dictionary_csv_lists_field_label_unit(built_site):
    header, *rows = read_csv(built_site / f"{BASE}-fields.csv")
    assert header == ["字段", "中文名称", "单位"]
    assert [tuple(r) for r in rows] == FIXED + fields()


def test_dataset_page_describes_and_links_the_downloads(built_site):
    page = built_site / BASE / "index.html"
    html = article(page.read_text("utf-8"))
    ds = schema(KIND)["x-kind"]["dataset"]
    assert ds["title"] in html and schema(KIND)["description"] in html
    n = len(expected_rows())
    assert f"{n} 条" in html
    periods = sorted({d["period"] for k, d in approved() if k == KIND})
    first, last = periods[0].split("-Q"), periods[-1].split("-Q")
    assert f"{first[0]}年第{first[1]}季度 至 {last[0]}年第{last[1]}季度" in html
    doc = Elements(html)
    cells = [(e["tag"], e["text"]) for e in doc.items if e["tag"] in ("td", "th")]
    for path, label, unit in fields():
        assert ("td", path) in cells and ("th", label) in cells, path
        if unit:
            assert ("td", unit) in cells, unit
    hrefs = {e["attrs"]["href"] for e in doc.find("a") if "href" in e["attrs"]}
    for path in (urls.dataset_file(COLUMN, KIND, "csv"), urls.dataset_file(COLUMN, KIND, "json"),
                 urls.dataset_fields(COLUMN, KIND)):
        assert "../" + path.rsplit("/", 1)[1] in hrefs, path
        assert (built_site / path).is_file()


def test_data_index_is_in_the_nav_and_datasets_are_linked_from_column_and_kind(built_site):
    home = Elements((built_site / urls.built(urls.home())).read_text("utf-8"))
    assert any(e["attrs"].get("href") == urls.url(urls.datasets()) and "数据下载" in e["text"]
               for e in home.find("a"))
    index = Elements(article((built_site / urls.built(urls.datasets())).read_text("utf-8")))
    linked = {e["attrs"].get("href") for e in index.find("a")}
    assert f"{COLUMN}-{KIND}/" in linked and f"{COLUMN}-{KIND}.csv" in linked
    for page, target in ((urls.built(urls.column(COLUMN)), f"../data/{COLUMN}-{KIND}/"),
                         (urls.built(urls.kind(COLUMN, KIND)), f"../../data/{COLUMN}-{KIND}/")):
        doc = Elements(article((built_site / page).read_text("utf-8")))
        assert target in {e["attrs"].get("href") for e in doc.find("a")}, page


def test_new_dataset_kind_gets_pages_and_charts_and_drafts_stay_out(extended_site):
    """A kind declared only in files gets its dataset page, downloads and charts;
    a record still under review appears in no row (both in the extended sample,
    tests/extended_sample.py)."""
    project, site = extended_site, extended_site / "site"
    data = yaml.safe_load((ROOT / UNAPPROVED).read_text("utf-8"))
    assert data["review"]["status"] == "已通过"  # published in the sample, taken back in the copy
    header, *rows = read_csv(site / f"{BASE}.csv")
    assert data["index_no"] not in {r[0] for r in rows}
    rows = [r for r in rows if r[4] == PUBLISHED]
    want = expected_rows(project)
    assert data["index_no"] in expected_rows() and data["index_no"] not in want
    assert sorted(r[0] for r in rows) == sorted(want)
    for path in (f"{BASE}.json", f"{BASE}/index.html"):
        assert data["index_no"] not in (site / path).read_text("utf-8"), path

    header, *rows = read_csv(site / urls.dataset_file("relief", "medical_aid", "csv"))
    assert header[-2:] == ["救助人次数（人次）", "医疗救助资金支出（万元）"]
    assert sorted((r[3], r[4]) for r in rows) == [("2024", "1200"), ("2025", "1350"), ("2025", "800")]
    page = (site / urls.built(urls.dataset("relief", "medical_aid"))).read_text("utf-8")
    assert "医疗救助统计数据" in page and "3 条（2 个地区）" in page
    assert "relief-medical_aid/" in (site / urls.built(urls.datasets())).read_text("utf-8")
    two_years = (site / url("medical_aid", {"index_no": "11640104MB0000001X/2026-00901"},
                            project) / "index.html").read_text("utf-8")
    assert two_years.count('role="img"') == 1 and 'data-value="1200"' in two_years
    one_year = (site / url("medical_aid", {"index_no": "11640105MB0000001X/2026-00902"},
                           project) / "index.html").read_text("utf-8")
    assert 'role="img"' not in one_year, "a single period is no trend"
    assert sum(k == "medical_aid" for k, _ in records(project)) == len(MEDICAL_AID) == 3
    # The copy had no published.tsv: the build wrote it from the data, the record under review left out.
    manifest = (project / "site_data/published.tsv").read_text("utf-8").splitlines()
    assert len(manifest) == len(approved(project)) + 1 and data["index_no"] not in "\n".join(manifest)
