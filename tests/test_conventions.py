"""Conventions of Chinese government sites (issue 9): 公开指南 and 公开目录, 索引号 format
and stability, platform meta tags, Dataset JSON-LD, DCAT data.json, sitemap dates,
standard directories. Most tests read the shared built sample site."""
import csv
import datetime as dt
import gzip
import html as htmllib
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml
from browser_support import chromium  # noqa: F401
from conftest import MAKE_SITE_CACHE, ROOT, run_cli, run_cli_in_process, write
from extended_sample import EVIL_SITE_NAME
import sample_data
from generator.urls import page_url, urls

SAMPLE = ROOT / "site_data"
SITE_CFG = yaml.safe_load((SAMPLE / "site.yaml").read_text("utf-8"))
DOMAIN = SITE_CFG["domain"]


def kind_column(kind: str, data: dict) -> str:
    schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
    column = schema["x-kind"]["column"]
    return data["column"] if column == "*" else column


def records():
    yield from sample_data.records()


def published():
    return [(k, d) for k, d in records() if d["review"]["status"] == "已通过"]


def record_src(kind: str, data: dict) -> str:
    return urls.record(kind_column(kind, data), kind, data["index_no"])


def updated(data: dict) -> str:
    return max(data["published"], data.get("updated") or data["published"])


class _Head(HTMLParser):
    """<meta name=…> tags, JSON-LD scripts and <tr data-…> rows of a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.jsonld, self.rows = {}, [], []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content")
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.jsonld.append("")
        if tag == "tr" and "data-year" in a:
            self.rows.append(a)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.jsonld[-1] += data


def page_text(path: Path) -> str:
    """A built page with character references resolved (the generator escapes every value)."""
    return htmllib.unescape(path.read_text("utf-8"))


def parse(path: Path) -> _Head:
    p = _Head()
    p.feed(path.read_text("utf-8"))
    return p


def local(site: Path, url: str) -> Path:
    """The built file behind an absolute URL on the site's domain."""
    parts = urlsplit(url)
    assert parts.netloc == DOMAIN, url
    path = site / parts.path.lstrip("/")
    return path / "index.html" if parts.path.endswith("/") else path


# --- 公开指南 --------------------------------------------------------------

def test_guide_page_is_built_from_the_configuration_and_in_the_nav(built_site):
    html = page_text(built_site / urls.built(urls.guide()))
    office = SITE_CFG["office"]
    for key in ("name", "address", "postcode", "hours", "phone", "fax", "email", "online"):
        if key in office:  # the sample office has no online system (依申请公开 lists its offline channels)
            assert office[key] in html, key
    for place in SITE_CFG["guide"]["reading_places"]:
        assert place in html
    for text in ("政府信息的分类与编排", "主动公开", "依申请公开", "20 个工作日内", "第二十七条", "行政复议"):
        assert text in html, text
    for column in SITE_CFG["columns"]:
        assert column["name"] in html
    assert 'href="../gkml/"' in html  # the guide points to the catalogue
    home = page_text(built_site / "index.html")
    # The exact published addresses of 指南 (gkzn) and 目录 (gkml), the point here: spelled out on purpose.
    assert re.search(r'<a href="zwgk/gkzn/"[^>]*>\s*政府信息公开指南', home)
    assert re.search(r'<a href="zwgk/gkml/"[^>]*>\s*政府信息公开目录', home)


# --- 公开目录 --------------------------------------------------------------

def test_catalogue_lists_every_published_record_and_not_the_draft(built_site):
    page = built_site / urls.built(urls.catalogue())
    html = page_text(page)
    pub = published()
    drafts = [d for _, d in records() if d["review"]["status"] != "已通过"]
    assert drafts, "the sample data keeps one draft to show it stays unpublished"
    for kind, d in pub:
        assert d["index_no"] in html, d["index_no"]
        assert f'href="../{kind_column(kind, d)}/{kind}/{d["index_no"].replace("/", "-").lower()}/"' in html
    for d in drafts:
        assert d["index_no"] not in html and d["title"] not in html
    rows = parse(page).rows
    assert len(rows) == len(pub)
    # Filters: every column, year and region of the rows is offered.
    years = {d["written"][:4] for _, d in pub}
    regions = {d["region"]["code"][:6] for _, d in pub}  # townships and villages filter under their county
    assert {r["data-year"] for r in rows} == years
    assert {r["data-region"] for r in rows} == regions
    for code in regions:
        assert f'<option value="{code}">' in html
    for column in {kind_column(k, d) for k, d in pub}:
        assert f'<section class="gk-catalogue-group" data-column="{column}">' in html
    # Without JavaScript the filter form stays hidden and every row visible.
    assert re.search(r'<form [^>]*id="gk-catalogue-filter"[^>]* hidden', html)
    assert (built_site / "assets/gk-catalogue.js").is_file()


def test_catalogue_downloads_as_csv_with_bom_and_json(built_site):
    raw = (built_site / urls.catalogue_file("csv")).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    pub = {d["index_no"]: d for _, d in published()}
    assert {row["索引号"] for row in table} == set(pub)
    for row in table:
        d = pub[row["索引号"]]
        assert row["名称"] == d["title"] and row["发布机构"] == d["publisher"]
        assert row["生成日期"] == d["written"]
        assert 0 < len(row["内容概述"]) <= 100
    data = json.loads((built_site / urls.catalogue_file("json")).read_text("utf-8"))
    assert [r["索引号"] for r in data["records"]] == [row["索引号"] for row in table]


def test_catalogue_overview_is_cut_to_100_characters():
    from generator.pages.catalogue import overview

    class R:
        title = "标题"

        def __init__(self, summary):
            self.data = {"summary": summary}

    assert overview(R("短概述")) == "短概述"
    long = overview(R("低保" * 80))
    assert len(long) == 100 and long.endswith("…")
    assert overview(R(None)) == "标题"


# --- 索引号 ---------------------------------------------------------------

BAD_INDEX_NOS = {
    "1164000MB0000002X/2026-00901": "有 17 位",
    "11640324MB0000001X2026-00902": "缺少“/”",
    "11640324MB0000001X/2026-903": "流水号“903”应为 5 位数字",
    "11640324MB0000001X／2026-00904": "全角符号",
    "11640324mb0000001x/2026-00905": "只能由数字和大写字母组成",
    "11640324MB0000001X/26-00906": "不是四位数字的年份",
}


def test_index_no_format_errors_say_what_is_wrong_all_at_once(project):
    template = (project / "site_data/policy/2026-relief.yaml").read_text("utf-8")
    template = re.sub(r"(?m)^index_no: .*$", "index_no: {no}", template)
    names = {}
    for i, no in enumerate(BAD_INDEX_NOS):
        names[no] = f"bad-{i}.yaml"
        write(project / "site_data/policy" / names[no], template.replace("{no}", no))
    result = run_cli(project, "validate")
    assert result.returncode == 1
    for no, hint in BAD_INDEX_NOS.items():
        line = next(l for l in result.stderr.splitlines() if l.startswith(f"site_data/policy/{names[no]}:"))
        assert re.match(rf"site_data/policy/{names[no]}:\d+:\d+: “index_no”（索引号）格式不对", line), line
        assert hint in line, line
        assert "例如：11640000MB0000002X/2026-00001" in line
    assert "Traceback" not in result.stderr


def test_published_manifest_is_committed_and_complete():
    lines = (SAMPLE / "published.tsv").read_text("utf-8").splitlines()
    assert lines[0].split("\t") == ["索引号", "地址", "首次发布日期", "状态"]
    rows = {l.split("\t")[0]: l.split("\t") for l in lines[1:]}
    for kind, d in published():
        assert rows[d["index_no"]][1] == "/" + sample_data.url(kind, d)
        assert rows[d["index_no"]][2] == d["published"]


@pytest.mark.build
def test_a_published_index_no_cannot_disappear_or_move_but_can_be_withdrawn(made_site):
    project = made_site  # the sample, and the site published from it
    manifest = project / "site_data/published.tsv"
    manifest.unlink()  # start from the data alone (a build writes it too: test_datasets.py)
    assert run_cli(project, "manifest").returncode == 0
    assert len(manifest.read_text("utf-8").splitlines()) == len(published()) + 1
    before = (project / "site/index.html").read_bytes()

    # Dropping a published record (a later commit deletes the file) fails the build.
    victim = project / "site_data/dibao_stats/2026-Q1-640324.yaml"
    kept = victim.read_text("utf-8")
    no = yaml.safe_load(kept)["index_no"]
    victim.unlink()
    result = run_cli(project, "build")
    assert result.returncode == 1
    # The error an editor reads names the published address itself, spelled out on purpose.
    assert re.search(rf"site_data/published.tsv:\d+:1: 索引号“{re.escape(no)}”已于 \S+ 发布在 /zwgk/relief/"
                     r"dibao_stats/\S+ ，不能删除或更换", result.stderr), result.stderr
    assert "已撤回" in result.stderr and "withdrawn" in result.stderr
    assert (project / "site/index.html").read_bytes() == before

    # Un-approving it hides it just the same: also refused.
    victim.write_text(kept.replace("status: 已通过", "status: 待审核"), "utf-8")
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1 and "保密审查状态不是“已通过”" in result.stderr

    # Moving a policy to another column would change its address.
    policy = project / "site_data/policy/2026-education.yaml"
    policy.write_text(policy.read_text("utf-8").replace("column: education", "column: housing"), "utf-8")
    victim.write_text(kept, "utf-8")
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1
    # The editor's message names the old and the new public address, spelled out on purpose.
    assert re.search(r"site_data/policy/2026-education.yaml:\d+:\d+: 索引号“\S+”已于 \S+ 发布在 "
                     r"/zwgk/education/policy/\S+ ，现在的地址会变成 /zwgk/housing/policy/", result.stderr)
    policy.write_text(policy.read_text("utf-8").replace("column: housing", "column: education"), "utf-8")

    # Withdrawing needs a date …
    victim.write_text(kept.replace("validity: 有效", "validity: 已撤回"), "utf-8")
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1 and "请加一行 withdrawn:" in result.stderr
    # … and then the page stays, saying so, with its own dates kept apart.
    victim.write_text(kept.replace("validity: 有效", "validity: 已撤回\nwithdrawn: '2026-11-02'\n"
                                   "updated: '2026-11-02'"), "utf-8")
    result = run_cli(project, "build", "--cache", MAKE_SITE_CACHE)  # as `make site` does
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(victim.read_text("utf-8"))
    page = project / "site" / urls.built(record_src("dibao_stats", data))
    html = page_text(page)
    assert "本信息已撤回" in html and "于 2026-11-02 已撤回" in html
    for label, value in (("成文日期", data["written"]), ("发布日期", data["published"]), ("更新日期", "2026-11-02")):
        assert f'<th scope="row">{label}</th><td>{value}</td>' in html, label
    assert parse(page).meta["dateModified"] == "2026-11-02"
    sitemap = (project / "site" / urls.sitemap()).read_text("utf-8")
    assert f"<loc>https://{DOMAIN}/{sample_data.url('dibao_stats', data)}</loc>\n    <lastmod>2026-11-02</lastmod>" in sitemap
    row = next(l for l in manifest.read_text("utf-8").splitlines() if l.startswith(no))
    assert row.split("\t")[2:] == [data["published"], "已撤回"]
    catalogue = page_text(project / "site" / urls.built(urls.catalogue()))
    assert no in catalogue and "（已撤回）" in catalogue


def test_manifest_command_updates_without_building(project):
    manifest = project / "site_data/published.tsv"
    manifest.write_text("索引号\t地址\t首次发布日期\t状态\n", "utf-8")
    result = run_cli(project, "manifest")
    assert result.returncode == 0, result.stderr
    assert f"新增 {len(published())} 条" in result.stdout
    assert len(manifest.read_text("utf-8").splitlines()) == len(published()) + 1
    assert not (project / "site").exists()


# --- meta tags ------------------------------------------------------------

def test_meta_tags_on_home_column_and_record_pages(built_site):
    home = parse(built_site / "index.html").meta
    assert home["SiteName"] == SITE_CFG["name"]
    assert home["SiteDomain"] == DOMAIN
    assert home["SiteIDCode"] == SITE_CFG["site_id_code"]
    for column in SITE_CFG["columns"]:
        meta = parse(built_site / urls.built(urls.column(column["id"]))).meta
        assert meta["ColumnName"] == column["name"]
        assert meta["ColumnDescription"] == column["description"]
        assert meta["ColumnKeywords"] == ",".join(column["keywords"])
        assert meta["ColumnType"] == column["type"]
    kinds_seen = set()
    for kind, d in published():
        if kind in kinds_seen:
            continue
        kinds_seen.add(kind)
        meta = parse(built_site / urls.built(record_src(kind, d))).meta
        assert meta["ArticleTitle"] == d["title"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", meta["PubDate"])
        assert meta["PubDate"].startswith(d["published"])
        assert meta["ContentSource"] == d["publisher"]
        assert meta["Keywords"] == ",".join(d["keywords"]) if d.get("keywords") else meta["Keywords"]
        assert meta["Description"] == d.get("summary", d["title"])
        assert meta["SiteIDCode"] == SITE_CFG["site_id_code"]
    assert len(kinds_seen) >= 4


def test_meta_values_are_escaped(extended_site):
    """The extended sample's site name is hostile (tests/extended_sample.py)."""
    html = (extended_site / "site/index.html").read_text("utf-8")
    line = next(l for l in html.splitlines() if 'name="SiteName"' in l)
    assert line.strip() == '<meta name="SiteName" content="专栏&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">'
    assert parse(extended_site / "site/index.html").meta["SiteName"] == EVIL_SITE_NAME == '专栏"><script>alert(1)</script>'


# --- open data ------------------------------------------------------------

# schema.org Dataset as Google's dataset guidelines read it: name and description
# required (description 50–5,000 characters), plus the fields issue 9 asks for.
DATASET_SCHEMA = {
    "type": "object",
    "required": ["@context", "@type", "name", "description", "publisher", "temporalCoverage",
                 "spatialCoverage", "distribution", "dateModified", "isAccessibleForFree"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "Dataset"},
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string", "minLength": 50, "maxLength": 5000},
        "publisher": {"type": "object", "required": ["@type", "name"]},
        "temporalCoverage": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$"},
        "spatialCoverage": {"type": "object", "required": ["@type", "name"]},
        "dateModified": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "isAccessibleForFree": {"const": True},
        "distribution": {"type": "array", "minItems": 2, "items": {
            "type": "object", "required": ["@type", "contentUrl", "encodingFormat"],
            "properties": {"@type": {"const": "DataDownload"},
                           "encodingFormat": {"enum": ["text/csv", "application/json"]}}}},
    },
}


def dataset_files(site: Path) -> set[str]:
    """The stems of the datasets' CSV files (<column>-<kind>) beside the 数据下载 index."""
    catalogue = Path(urls.catalogue_file("csv")).stem
    return {p.stem for p in (site / urls.url(urls.datasets())).glob("*.csv")
            if p.stem != catalogue and not p.stem.endswith("-fields")}


def test_dataset_pages_carry_schema_org_dataset_jsonld(built_site):
    names = dataset_files(built_site)
    assert names
    for name in names:
        column, kind = name.split("-", 1)
        page = built_site / urls.built(urls.dataset(column, kind))
        blocks = parse(page).jsonld
        assert len(blocks) == 1, page
        doc = json.loads(blocks[0])
        jsonschema.validate(doc, DATASET_SCHEMA)
        formats = {d["encodingFormat"]: d["contentUrl"] for d in doc["distribution"]}
        assert local(built_site, formats["text/csv"]) == built_site / urls.dataset_file(column, kind, "csv")
        assert local(built_site, formats["application/json"]).is_file()
        recs = [d for k, d in published() if k == kind and kind_column(k, d) == column]
        assert doc["dateModified"] == max(updated(d) for d in recs)
        assert doc["spatialCoverage"]["name"] == "宁夏回族自治区"
    # Record and other pages carry none.
    assert parse(built_site / "index.html").jsonld == []


def test_data_json_lists_every_dataset(built_site):
    catalog = json.loads((built_site / urls.data_catalogue()).read_text("utf-8"))
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    listed = set()
    for ds in catalog["dataset"]:
        for key in ("title", "description", "keyword", "modified", "publisher", "contactPoint",
                    "identifier", "accessLevel", "distribution"):
            assert ds[key], key
        for dist in ds["distribution"]:
            assert local(built_site, dist["downloadURL"]).is_file()
            assert dist["mediaType"] in ("text/csv", "application/json")
        listed.add(Path(urlsplit(ds["distribution"][0]["downloadURL"]).path).stem)
        page = local(built_site, ds["landingPage"])
        assert json.loads(parse(page).jsonld[0])["dateModified"] == ds["modified"]
    assert listed == dataset_files(built_site)


def test_sitemap_lastmod_is_each_pages_date_modified(built_site):
    xml = (built_site / urls.sitemap()).read_text("utf-8")
    assert gzip.decompress((built_site / (urls.sitemap() + ".gz")).read_bytes()).decode("utf-8") == xml
    entries = re.findall(r"<url>\s*<loc>([^<]+)</loc>\s*(?:<lastmod>([^<]+)</lastmod>)?\s*</url>", xml)
    by_url = {loc: lastmod for loc, lastmod in entries}
    pages = [p for p in built_site.rglob("index.html") if not p.relative_to(built_site).as_posix().startswith("search/")]
    assert len(entries) == len(pages)
    for loc, lastmod in entries:
        page = local(built_site, loc)
        assert page.is_file(), loc
        meta = parse(page).meta
        assert lastmod == (meta.get("dateModified") or ""), loc
    for kind, d in published():
        assert by_url[f"https://{DOMAIN}/{sample_data.url(kind, d)}"] == updated(d)
    assert by_url[f"https://{DOMAIN}/"] == max(updated(d) for _, d in published())
    today = dt.date.today().isoformat()
    assert today not in by_url.values() or today == max(updated(d) for _, d in published())


# --- standard directories -------------------------------------------------

def directory_of(kind: str) -> dict | None:
    return json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text("utf-8"))["x-kind"].get("directory")


def test_kinds_declare_directory_entries_of_the_agreed_shape():
    from generator.pages.directory import DIRECTORY_SCHEMA

    for kind in ("dibao_stats", "policy", "interpretation", "subsidy_program"):
        entry = directory_of(kind)
        jsonschema.validate(entry, DIRECTORY_SCHEMA)
        # history (optional): earlier, expired bases shown beside the basis in force (issue 15).
        assert set(entry) - {"history"} == {"item", "elements", "basis", "deadline_working_days", "subject",
                                            "channels", "audience", "mode"}
    dibao = directory_of("dibao_stats")
    assert dibao["item"] == ["社会救助", "最低生活保障"] and dibao["deadline_working_days"] == 10


def test_directory_page_per_column_shows_each_kinds_entry(built_site):
    for column in SITE_CFG["columns"]:
        page = built_site / urls.built(urls.directory(column["id"]))
        html = page_text(page)
        for header in ("一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道",
                       "公开对象", "公开方式"):
            assert f'<th scope="col">{header}' in html, header
        col_html = page_text(built_site / urls.built(urls.column(column["id"])))
        assert 'href="standard-directory/"' in col_html
    relief = page_text(built_site / urls.built(urls.directory("relief")))
    row = next(r for r in re.findall(r"<tr><td>社会救助</td>.*?</tr>", relief) if ">最低生活保障<" in r)
    assert "最低生活保障" in row and "10 个工作日内" in row and "民政" in row and "主动公开" in row
    for element in directory_of("dibao_stats")["elements"]:
        assert element["name"] in row
    assert 'href="../dibao_stats/"' in row
    subsidies = page_text(built_site / urls.built(urls.directory("subsidies")))
    assert "就业创业补贴" in subsidies and "咨询电话（选择公开）" in subsidies


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(deadline_working_days="十"), "deadline_working_days 写公开时限"),
    (lambda d: d.pop("mode"), "mode 写公开方式：主动公开 或 依申请公开"),
    (lambda d: d.update(item=["社会救助"]), "item 写两级事项"),
])
def test_a_malformed_directory_entry_is_reported(project, change, message):
    path = project / "schemas/dibao_stats.schema.json"
    schema = json.loads(path.read_text("utf-8"))
    change(schema["x-kind"]["directory"])
    path.write_text(json.dumps(schema, ensure_ascii=False), "utf-8")
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1
    assert "schemas/dibao_stats.schema.json:1:1: 类别“城乡低保和特困人员统计”的标准目录设置" in result.stderr
    assert message in result.stderr


def test_a_large_column_is_split_into_year_and_county_pages(monkeypatch):
    """Past PAGE_ROWS records a column's catalogue moves to year × county pages,
    so no single page grows with the province (rendered in-process from the sample)."""
    from generator import pipeline
    from generator.pages import catalogue
    from generator.model.validate import load_site

    site, problems = load_site(ROOT)
    assert site is not None, problems
    # The limit sits at the smallest column, so that column stays inline and relief is split
    # however many records other kinds add to the sample.
    sizes = {c: sum(r.column_id == c for r in site.approved_records) for c in site.columns}
    limit = min(sizes.values())
    monkeypatch.setattr(catalogue, "PAGE_ROWS", limit)
    out = pipeline.render_site(site)
    main = htmllib.unescape(out.text(catalogue.PAGE))
    relief = [r for r in site.approved_records if r.column_id == "relief"]
    assert len(relief) > limit
    slices = {src: htmllib.unescape(out.text(src)) for src in out.files
              if src.startswith(page_url(urls.catalogue()) + "relief/")}
    assert slices
    for r in relief:
        holders = [src for src, text in slices.items() if r.index_no in text]
        assert len(holders) == 1, r.index_no
        y, county = r.data["written"][:4], r.region_code[:6]
        assert holders[0] == urls.catalogue_slice("relief", y, county)
        assert r.index_no not in main
    for src in slices:
        assert f'href="{page_url(src).removeprefix(page_url(urls.catalogue()))}"' in main
    # Columns under the limit stay inline.
    for r in site.approved_records:
        if sizes[r.column_id] <= limit:
            assert r.index_no in main


@pytest.mark.browser
def test_catalogue_filters_in_chromium_and_shows_everything_without_js(built_site, chromium):  # noqa: F811
    url = (built_site / urls.built(urls.catalogue())).as_uri()
    pub = published()
    plain_context = chromium.new_context(java_script_enabled=False)
    page = chromium.new_page()
    try:
        plain = plain_context.new_page()
        plain.goto(url)
        assert plain.locator("tr[data-year]:visible").count() == len(pub)
        assert not plain.locator("#gk-catalogue-filter").is_visible()

        page.set_default_timeout(5000)
        page.goto(url)
        form = page.locator("#gk-catalogue-filter")
        assert form.is_visible()
        assert page.locator("tr[data-year]:visible").count() == len(pub)
        form.locator("select[name=column]").select_option("education")
        education = [d for k, d in pub if kind_column(k, d) == "education"]
        assert page.locator("tr[data-year]:visible").count() == len(education)
        assert form.locator("output").inner_text() == f"共 {len(education)} 条"
        assert not page.locator('section[data-column="relief"]').is_visible()
        form.locator("select[name=column]").select_option("")
        form.locator("select[name=region]").select_option("640324")
        tongxin = [d for _, d in pub if d["region"]["code"].startswith("640324")]
        assert page.locator("tr[data-year]:visible").count() == len(tongxin)
        year = max(d["written"][:4] for d in tongxin)
        form.locator("select[name=year]").select_option(year)
        both = [d for d in tongxin if d["written"].startswith(year)]
        assert page.locator("tr[data-year]:visible").count() == len(both)
    finally:
        page.close()
        plain_context.close()
