"""End to end over the built sample site, driven by the schemas (issue 2): every column lists
every kind it holds, every kind has its page, every record page shows what the editor had to
fill in, dataset figures appear with their labels, and every page showing sample records says
示例数据. Then the education kinds' own pages (划片招生, 随迁子女入学, 学校名录, 教育督导)."""
from __future__ import annotations

import csv
import html as htmllib
import io
import re

import pytest
import yaml
from conftest import ROOT, run_cli, run_cli_in_process
from sample_data import approved, article, column_of, get, schema, url

from generator.model import periods
from generator.pages.escape import number
from generator.model.kinds import load_kinds
from generator.model.kinds import subschema
from generator.urls import slug, urls

SITE_CFG = yaml.safe_load((ROOT / "site_data" / "site.yaml").read_text("utf-8"))
KINDS, _ = load_kinds(ROOT)
EDUCATION = ("school_zoning", "migrant_enrolment", "school_directory", "education_supervision")
INDEX_LABELS = ("索引号", "发布机构", "发布日期", "文号", "主题分类", "有效性")
APPROVED = approved()  # read the sample YAML once, not once per kind


def page(site, rel: str) -> str:
    """The built page at a public URL (urls.url, sample_data.url)."""
    return (site / rel / "index.html").read_text("utf-8")


def plain(fragment: str) -> str:
    """The text a reader sees, without tags and whitespace (values may wrap or carry <br>)."""
    return re.sub(r"\s+", "", htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)))


def typed_leaves(kind_id: str, data: dict):
    """(path, value) of every free-text or number value the kind requires: required at every
    level from the top, and not an enum, pattern, date or Markdown field (those are shown in
    another form: a period as 2025年第3季度, a policy's 索引号 as its title, Markdown as HTML)."""
    merged = KINDS[kind_id].schema
    own = set(schema(kind_id).get("required", []))

    def walk(value, path):
        node = subschema(merged, path)
        if isinstance(value, dict):
            keys = own if not path else set(node.get("required", []))
            for key in keys & set(value):
                yield from walk(value[key], path + (key,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, path + (i,))
        elif not isinstance(value, bool) and not any(
                k in node for k in ("enum", "pattern", "format", "contentMediaType")):
            yield path, value

    yield from walk(data, ())


def test_every_column_links_every_kind_it_holds_and_each_kind_page_lists_its_records(built_site):
    by_page: dict[tuple, list] = {}
    for kind, data in APPROVED:
        by_page.setdefault((column_of(kind, data), kind), []).append(data)
    columns = {c["id"] for c in SITE_CFG["columns"]}
    # Every kind file has published records in some column (no kind is left without a page).
    assert {k for _, k in by_page} == set(KINDS)
    assert {c for c, _ in by_page} == columns
    for (column, kind), records in by_page.items():
        col_html = article(page(built_site, urls.url(urls.column(column))))
        assert f'href="{kind}/"' in col_html and KINDS[kind].name in col_html, (column, kind)
        kind_html = article(page(built_site, urls.url(urls.kind(column, kind))))
        assert KINDS[kind].name in kind_html and "示例数据" in kind_html
        assert f"共 {len(records)} 条" in kind_html, (column, kind)
        for data in records:
            assert f'href="{slug(data["index_no"])}/"' in kind_html, (kind, data["index_no"])


def test_every_record_page_has_the_index_box_and_every_required_value(built_site):
    checked = {}
    for kind, data in APPROVED:
        html = article(page(built_site, url(kind, data)))
        box = re.search(r'<div class="gk-meta" role="region" aria-label="信息索引">(.*?)</div>', html, re.S)
        assert box, url(kind, data)
        cells = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td>', box.group(1)))
        assert {k: htmllib.unescape(cells[k]) for k in INDEX_LABELS} == {
            "索引号": data["index_no"], "发布机构": data["publisher"], "发布日期": data["published"],
            "文号": data.get("doc_no") or "无", "主题分类": data["topic"], "有效性": data["validity"]}
        assert "示例数据" in html
        text = plain(html)
        for path, value in typed_leaves(kind, data):
            shown = number(value) if isinstance(value, (int, float)) else re.sub(r"\s+", "", value)
            assert shown in text, (url(kind, data), path, value)
            checked[kind] = checked.get(kind, 0) + 1
    # Not vacuous: the kinds whose content is plain text and figures were all compared.
    assert set(EDUCATION) | {"dibao_stats", "subsidy_program"} <= set(checked), checked


def test_kinds_with_dataset_fields_show_the_latest_figures_with_labels_and_units(built_site):
    with_fields = [k for k in KINDS.values() if k.fields]
    assert with_fields, "at least one kind publishes figures"
    for kind in with_fields:
        records = [(column_of(kind.id, d), d) for k, d in APPROVED if k == kind.id]
        for column in {c for c, _ in records}:
            rows = [d for c, d in records if c == column]
            newest = max((d["period"] for d in rows), key=periods.sort_key)
            html = article(page(built_site, urls.url(urls.kind(column, kind.id))))
            # The per-region table: after the computed 全区/各市 totals where a kind has them
            # (tests/test_aggregates.py).
            start = next(m.start() for m in re.finditer(r'<div class="gk-table" role="region" aria-label="([^"]*)"', html)
                         if not m.group(1).endswith("合计"))
            first = html[start:]
            first = htmllib.unescape(first[:first.index("</table>")])  # 元/人·月, % arrive as references
            assert "示例数据" in first
            for f in kind.fields:
                assert f.label in first and (not f.unit or f"（{f.unit}）" in first), f.label
            for d in (d for d in rows if d["period"] == newest):
                row = re.search(rf"<tr><th scope=\"row\"><a [^>]*>{re.escape(d['region']['name'])}</a></th>(.*?)</tr>",
                                first).group(1)
                cells = [htmllib.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
                expected = [number(v) if (v := get(d, f.path)) is not None else "—" for f in kind.fields]
                assert cells == expected, (kind.id, d["region"]["name"])
            csv_text = (built_site / urls.dataset_file(column, kind.id, "csv")).read_bytes().decode("utf-8-sig")
            header = next(csv.reader(io.StringIO(csv_text)))
            for f in kind.fields:
                assert any(h.startswith(f.label) for h in header), f.label


def test_every_page_showing_sample_records_says_sample_data(built_site):
    pages = [p for p in built_site.rglob("index.html")
             if not p.relative_to(built_site).as_posix().startswith("search/")]
    assert len(pages) > len(APPROVED)
    for p in pages:
        html = p.read_text("utf-8")
        assert "<strong>示例数据</strong>" in html.split("<article", 1)[0], p  # the banner above every page
        body = article(html)
        if "gk-table" in body or "gk-meta" in body or "<li><a href=" in body:
            assert "示例数据" in body, p


# --- the education kinds -------------------------------------------------------------------

def records_of(kind: str) -> list[dict]:
    return [d for k, d in APPROVED if k == kind]


@pytest.mark.parametrize("kind", EDUCATION)
def test_education_kinds_have_sample_records_in_several_counties_and_a_directory_entry(kind, built_site):
    records = records_of(kind)
    assert len({d["region"]["code"] for d in records}) >= 3
    assert all(d["sample"] is True for d in records)
    entry = schema(kind)["x-kind"]["directory"]
    assert entry["deadline_working_days"] == 20 and "政府信息公开条例" in entry["basis"]
    assert schema(kind)["x-kind"]["column"] == "education" and schema(kind)["x-kind"]["freshness"] == "yearly"
    directory = article(page(built_site, urls.url(urls.directory("education"))))
    row = next(r for r in re.findall(r"<tr>.*?</tr>", directory, re.S) if f'href="../{kind}/"' in r)
    assert "20 个工作日内" in row and entry["item"][1] in row
    for element in entry["elements"]:
        assert element["name"] in htmllib.unescape(row)


def rows_of(html: str, caption: str) -> list[list[str]]:
    table = html[html.index("<caption>" + caption):]
    table = table[:table.index("</table>")]
    return [[plain(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr)]
            for tr in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)]


def test_school_zoning_page_shows_procedure_content_and_each_schools_zone(built_site):
    for d in records_of("school_zoning"):
        html = article(page(built_site, url("school_zoning", d)))
        steps = re.findall(r"<li>(.*?)</li>", html[html.index("划片工作程序"):html.index("划片内容")], re.S)
        assert [plain(s) for s in steps] == [plain(s) for s in d["procedure"]]
        rows = rows_of(html, f"{d['region']['name']}{d['year']}年义务教育学校招生范围")
        assert len(rows) == len(d["results"])
        for row, school in zip(rows, d["results"]):
            assert row[:3] == [plain(school["school"]), school["stage"], plain("、".join(school["zone"]))]
        assert d["contact_phone"] in html


def test_school_directory_row_per_school_with_plan_and_zone_and_true_totals(built_site):
    for d in records_of("school_directory"):
        html = article(page(built_site, url("school_directory", d)))
        schools = d["schools"]
        rows = rows_of(html, f"{d['region']['name']}{d['year']}年义务教育学校名录和招生计划")
        assert rows == [[plain(s["name"]), s["level"], s["type"],
                         f"{number(s['students'])}人{number(s['classes'])}个班",
                         plain(s["zone"]), plain(s["address"]) + "电话：" + s["phone"]] for s in schools]
        public = sum(s["type"] == "公办" for s in schools)
        assert (f"共 {len(schools)} 所学校（公办 {public} 所，民办 {len(schools) - public} 所），"
                f"计划招生 {sum(s['students'] for s in schools)} 人、"
                f"{sum(s['classes'] for s in schools)} 个班") in html


def test_migrant_enrolment_page_has_method_steps_documents_and_how_to_apply(built_site):
    for d in records_of("migrant_enrolment"):
        html = article(page(built_site, url("migrant_enrolment", d)))
        heads = [plain(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]
        assert heads == ["入学办法", "入学流程", "证件要求", "办理方式"]
        steps = html[html.index(">入学流程<"):html.index(">证件要求<")]
        assert [plain(s) for s in re.findall(r"<li>(.*?)</li>", steps, re.S)] == [plain(s) for s in d["steps"]]
        how = plain(html[html.index(">办理方式<"):])
        for label, value in (("办理地点", d["handling"]["place"]), ("办理时间", d["handling"]["time"]),
                             ("咨询电话", d["contact_phone"])):
            assert f"{label}：{plain(value)}" in how


def test_supervision_page_counts_rectification_items_by_status(built_site):
    kinds_of_report = set()
    for d in records_of("education_supervision"):
        kinds_of_report.add(d["report_type"])
        html = article(page(built_site, url("education_supervision", d)))
        items = d["items"]
        count = {s: sum(i["status"] == s for i in items) for s in ("已完成", "整改中", "未启动")}
        assert plain(f"共 {len(items)} 项，已完成 {count['已完成']} 项，整改中 {count['整改中']} 项，"
                     f"未启动 {count['未启动']} 项") in plain(html)
        rows = rows_of(html, "整改事项和进展")
        assert [r[:5] for r in rows] == [[plain(i[k]) for k in ("issue", "measure", "dept", "due", "status")]
                                         for i in items]
        if "improvement" in d:
            imp = d["improvement"]
            caption = f"{d['region']['name']}{d['year']}年薄弱学校改善进展"
            assert rows_of(html, caption) == [[number(imp[k]) for k in ("planned", "completed", "investment")]]
    assert kinds_of_report == set(schema("education_supervision")["properties"]["report_type"]["enum"])


def test_education_mistakes_are_reported_in_chinese_at_their_place(project):
    path = project / "site_data/school_directory/2026-640324.yaml"
    text = path.read_text("utf-8")
    text = text.replace("level: 初中", "level: 高中", 1).replace("students: 400", "students: 四百", 1)
    text = text.replace("phone: 0953-6032401", "phone: 13912345678", 1)
    path.write_text(text, "utf-8")
    result = run_cli(project, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()

    def at(message: str) -> str:
        return next(line for line in lines if line.startswith("site_data/school_directory/2026-640324.yaml:")
                    and message in line)

    assert "只能是以下之一：小学、初中、九年一贯制；现在是 “高中”" in at("办学层次")
    assert "应为整数" in at("招生人数")
    phone = at("电话（学校办公电话）")
    assert "格式不对：“13912345678”" in phone and "不要写校长或教师的个人手机号" in phone
    # Every problem at once, each at its own line.
    assert len({line.split(":")[1] for line in lines if line.startswith("site_data/school_directory/")}) >= 3


def test_a_school_list_imports_from_a_spreadsheet(project):
    """Offices keep their school lists in Excel: one row per school fills the 学校 list."""
    table = project / "学校名录.csv"
    table.write_bytes((
        "隆德县2026年义务教育学校名录\n"
        "学校名称,地址,办学层次,办学类型,电话,招生人数（人）,招生班数（个）,招生范围\n"
        "隆德县第一小学,隆德县城关镇（示例地址）,小学,公办,0954-6042301,270,6,城关镇东关社区、西关社区\n"
        "隆德县育才学校,隆德县城关镇（示例地址）,九年一贯制,民办,0954-6042302,１２０,3,面向全县招生\n"
        "合计,,,,,390,9,\n").encode("gb18030"))
    sets = {"year": "2026", "title": "隆德县2026年义务教育学校名录和招生计划", "published": "2026-06-02",
            "written": "2026-06-01", "publisher": "隆德县教育局", "lead_dept": "隆德县教育局", "validity": "有效",
            "topic": "教育", "index_no": "11640423MB0000015X/2026-00031", "review.reviewer": "王强",
            "review.date": "2026-06-01", "review.status": "待审核"}
    args = [a for k, v in sets.items() for a in ("--set", f"{k}={v}")]
    result = run_cli(project, "import", table.name, "--kind", "school_directory", "--region", "640423", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    written = sorted((project / "site_data/school_directory").glob("2026-640423*.yaml"))
    assert len(written) == 1
    data = yaml.safe_load(written[0].read_text("utf-8"))
    assert data["year"] == 2026
    assert data["schools"] == [
        {"name": "隆德县第一小学", "address": "隆德县城关镇（示例地址）", "level": "小学", "type": "公办",
         "phone": "0954-6042301", "students": 270, "classes": 6, "zone": "城关镇东关社区、西关社区"},
        {"name": "隆德县育才学校", "address": "隆德县城关镇（示例地址）", "level": "九年一贯制", "type": "民办",
         "phone": "0954-6042302", "students": 120, "classes": 3, "zone": "面向全县招生"}]
    assert run_cli_in_process(project, "validate").returncode == 0
