"""Issue 16: the 政府信息公开工作年度报告 in the national format (国办公开办函〔2021〕30号) and
回应关切 linked both ways with its policy.

Page and download assertions run on the built sample (`built_site`); the identity checks
and the deadline rule run the real validator and checker in-process on a copy of the
project or on the loaded sample.
"""
from __future__ import annotations

import copy
import csv
import datetime as dt
import html as html_lib
import io
import re

import pytest
import yaml
from browser_support import list_covered, page_templates
from conftest import ROOT, copy_project, run_cli
from sample_data import article
from test_hostile import EVIL, EVIL_LINES, _Markup

from generator.pages import render
from generator.checks.check_rules import Run, annual_report_deadline, rule_settings
from generator.model.validate import load_site
from generator.urls import slug as index_no_slug, urls

D = dt.date
REPORT = ROOT / "site_data" / "annual_report" / "2025.yaml"
RESPONSE = ROOT / "site_data" / "response" / "2026-relief-1.yaml"

# The rows and columns of the format's tables, written out here from the format itself
# (not read from the schema), so that a schema drifting from the format fails.
APPLICATION_ROWS = [
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
    "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "（五）不予处理", "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他",
    "（七）总计", "四、结转下年度继续办理",
]
APPLICANT_HEADERS = ["申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织",
                     "法律服务机构", "其他"]
CASE_HEADERS = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉",
                "复议后起诉"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
PROACTIVE = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "行政规范性文件",
             "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可",
             "第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "行政强制",
             "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费"]
PARTS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
         "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def slug(data: dict) -> str:
    return index_no_slug(data["index_no"])


def report_src(data: dict) -> str:
    return urls.record("ndbg", "annual_report", data["index_no"])


def report_dir(site) -> "Path":
    data = yaml.safe_load(REPORT.read_text("utf-8"))
    return site / urls.url(report_src(data))


def headers_and_rows(html: str, caption: str) -> tuple[list[str], list[str]]:
    table = re.search(r"<caption>" + re.escape(caption) + r".*?</table>", html, re.S).group(0)
    text = lambda s: html_lib.unescape(re.sub(r"<[^>]+>", "", s)).strip()
    head, _, body = table.partition("</thead>") if "</thead>" in table else ("", "", table)
    ths = [text(m) for m in re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", head, re.S)]
    row_ths = [text(m) for m in re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", body, re.S)]
    return ths, row_ths


# ------------------------------------------------------------------ the page

def test_report_page_has_the_six_parts_and_the_three_tables_of_the_format(built_site):
    html = article((report_dir(built_site) / "index.html").read_text("utf-8"))
    h2 = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    assert h2[:6] == PARTS, h2
    assert "示例数据" in html
    # 三: the corner note, the applicant columns and every row label in the format's order.
    heads, rows = headers_and_rows(html, "三、收到和处理政府信息公开申请情况")
    assert heads == APPLICANT_HEADERS
    assert rows == APPLICATION_ROWS
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in html
    # 四: 行政复议 and the two kinds of 行政诉讼, five columns each, one line of figures.
    heads, _ = headers_and_rows(html, "四、政府信息公开行政复议、行政诉讼情况")
    assert heads == CASE_HEADERS
    # 二: the blocks of 第二十条 with their own columns.
    _, cells = headers_and_rows(html, "二、主动公开政府信息情况")
    assert cells == PROACTIVE
    # The figures shown are the editor's, not recomputed: 自然人 of 一、本年新收.
    data = yaml.safe_load(REPORT.read_text("utf-8"))
    new_row = re.search(r"一、本年新收政府信息公开申请数量</th>(.*?)</tr>", html, re.S).group(1)
    cells = [int(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", new_row)]
    keys = ["natural", "business", "research", "public_interest", "legal_services", "other", "total"]
    assert cells == [data["applications"]["new"][k] for k in keys]


def test_tables_download_as_csv_with_bom_beside_the_page(built_site):
    folder = report_dir(built_site)
    html = (folder / "index.html").read_text("utf-8")
    data = yaml.safe_load(REPORT.read_text("utf-8"))
    for name, rows in (("proactive.csv", 6), ("applications.csv", 25), ("review_litigation.csv", 3)):
        assert f'href="{name}"' in html, name
        raw = (folder / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert table[0][0] == "项目" and len(table) == rows + 1, (name, table[:2])
    apps = list(csv.reader(io.StringIO((folder / "applications.csv").read_bytes().decode("utf-8-sig"))))
    assert apps[0][1:] == ["自然人", "法人或其他组织：商业企业", "法人或其他组织：科研机构", "法人或其他组织：社会公益组织",
                           "法人或其他组织：法律服务机构", "法人或其他组织：其他", "总计"]
    secret = next(r for r in apps if r[0] == "三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密")
    assert int(secret[-1]) == data["applications"]["denied_secret"]["total"]
    cases = list(csv.reader(io.StringIO((folder / "review_litigation.csv").read_bytes().decode("utf-8-sig"))))
    assert [r[0] for r in cases[1:]] == ["行政复议", "行政诉讼 / 未经复议直接起诉", "行政诉讼 / 复议后起诉"]
    assert int(cases[1][-1]) == data["review_litigation"]["review"]["total"]


def test_report_is_in_the_catalogue_and_on_the_home_page(built_site):
    data = yaml.safe_load(REPORT.read_text("utf-8"))
    catalogue = (built_site / urls.catalogue_file("csv")).read_bytes().decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(catalogue)) if r[0] == data["index_no"])
    assert row[1] == data["title"] and row[7] == "政府信息公开年报"
    home = article((built_site / "index.html").read_text("utf-8"))
    section = home.split("政府信息公开工作年度报告</h2>", 1)[1].split("<h2", 1)[0]
    assert f'href="{urls.url(report_src(data))}"' in section and data["title"] in section


def test_new_pages_are_among_the_pages_the_browser_tests_open(built_site):
    pages = page_templates(built_site)
    assert {"record:annual_report", "record:response"} <= set(pages)
    assert list_covered(built_site, pages, "annual_report") and list_covered(built_site, pages, "response")


# ------------------------------------------------------------------ identities

@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("report") / "project")


def cell_line(text: str, row: str, col: str) -> int:
    """The line of `col:` inside the block `row:` of a table of the YAML (1-based)."""
    lines = text.splitlines()
    table = next(i for i, line in enumerate(lines) if line in ("applications:", "review_litigation:")
                 and any(l.strip() == f"{row}:" for l in lines[i:]))
    start = next(i for i in range(table, len(lines)) if lines[i].strip() == f"{row}:")
    return next(i for i in range(start + 1, len(lines)) if lines[i].strip().startswith(f"{col}:")) + 1


def problems_with(project, change) -> tuple[str, list[str]]:
    data = yaml.safe_load(REPORT.read_text("utf-8"))
    change(data)
    path = project / "site_data/annual_report/2025.yaml"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    try:
        site, problems = load_site(project)
    finally:
        path.write_text(REPORT.read_text("utf-8"), encoding="utf-8")
    assert site is None
    return text, [p.format() for p in problems if p.path == "site_data/annual_report/2025.yaml"]


def bump(table: str, cells: list[tuple[str, str, int]]):
    def change(data):
        for row, col, delta in cells:
            data[table][row][col] += delta
    return change


def test_the_sample_report_satisfies_every_identity():
    site, problems = load_site(ROOT)
    assert site is not None and not [p for p in problems if p.path.startswith("site_data/annual_report")]


def test_each_broken_identity_gets_its_own_message_with_both_numbers(project):
    data = yaml.safe_load(REPORT.read_text("utf-8"))
    apps = data["applications"]
    rel = "site_data/annual_report/2025.yaml"

    # 1. A row's 总计 that is not the sum of its applicant columns (two rows moved in opposite
    #    directions, so that no column total changes).
    text, found = problems_with(project, bump("applications", [("granted", "total", 1), ("partial", "total", -1)]))
    line = cell_line(text, "granted", "total")
    assert len(found) == 2, found
    assert any(f.startswith(f"{rel}:{line}:") and "“（一）予以公开”一行" in f and
               f"“总计”是 {apps['granted']['total'] + 1}" in f and f"相加是 {apps['granted']['total']}" in f
               for f in found), found

    # 2. （七）总计 that is not the sum of the results in its column.
    text, found = problems_with(project, bump("applications", [("granted", "natural", 1), ("granted", "business", -1)]))
    line = cell_line(text, "result_total", "natural")
    assert len(found) == 2, found
    natural = [f for f in found if "“自然人”一列" in f]
    assert natural and natural[0].startswith(f"{rel}:{line}:") and "“（七）总计”是 " + str(
        apps["result_total"]["natural"]) in natural[0] and f"相加是 {apps['result_total']['natural'] + 1}" in natural[0]

    # 3. 新收 + 上年结转 ≠ 办理结果总计 + 结转下年度.
    text, found = problems_with(project, bump("applications", [("carry_forward", "natural", 1),
                                                               ("carry_forward", "business", -1)]))
    line = cell_line(text, "new", "natural")
    assert len(found) == 2 and all("勾稽关系" in f for f in found), found
    received = apps["new"]["natural"] + apps["carried_over"]["natural"]
    assert any(f.startswith(f"{rel}:{line}:") and "“自然人”一列" in f and f"是 {received}，" in f
               and f"相加是 {received + 1}" in f for f in found), found

    # 4. 行政复议 总计 that is not 维持 + 纠正 + 其他 + 尚未审结.
    text, found = problems_with(project, bump("review_litigation", [("review", "total", 2)]))
    line = cell_line(text, "review", "total")
    cases = data["review_litigation"]["review"]
    assert len(found) == 1 and found[0].startswith(f"{rel}:{line}:") and "“行政复议”一行" in found[0] \
        and f"“总计”是 {cases['total'] + 2}" in found[0] and f"相加是 {cases['total']}" in found[0], found


def test_validate_reports_a_mistyped_total_in_chinese_and_fails(project):
    path = project / "site_data/annual_report/2025.yaml"
    original = path.read_text("utf-8")
    lines = original.splitlines(keepends=True)
    at = cell_line(original, "review", "total") - 1
    total = int(lines[at].split(":")[1])
    lines[at] = lines[at].replace(f"total: {total}", f"total: {total + 1}")
    path.write_text("".join(lines), encoding="utf-8")
    try:
        result = run_cli(project, "validate")
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [l for l in result.stderr.splitlines() if l.startswith("site_data/annual_report/2025.yaml:")]
    assert lines and lines[0].startswith(f"site_data/annual_report/2025.yaml:{at + 1}:") and "行政复议" in lines[0] \
        and f"是 {total + 1}，" in lines[0] and f"相加是 {total}" in lines[0], result.stderr


# ------------------------------------------------------------------ deadline (条例 art. 49)

@pytest.fixture(scope="module")
def sample_site():
    site, problems = load_site(ROOT)
    assert site is not None, problems
    return site


def deadline(site, role: str, published: str, as_of: D, period: str = "2025"):
    site = copy.copy(site)
    site.config = copy.deepcopy(site.config)
    site.config["office"]["report_role"] = role
    report = next(r for r in site.records if r.kind.id == "annual_report")
    saved = dict(report.data)
    report.data.update(published=published, written=published, period=period)
    try:
        run = Run(site, as_of, rule_settings(site.config))
        annual_report_deadline(run)
        return [f for f in run.findings if f.rule == "annual_report_deadline"]
    finally:
        report.data.clear()
        report.data.update(saved)


def test_a_department_reports_by_31_january(sample_site):
    ontime = deadline(sample_site, "部门", "2026-01-31", D(2026, 6, 1))
    assert [f.status for f in ontime] == ["ontime"] and ontime[0].due == D(2026, 1, 31)
    late = deadline(sample_site, "部门", "2026-02-01", D(2026, 6, 1))
    assert [f.status for f in late] == ["late"] and late[0].overdue_days == 1 and late[0].severity == "warning"
    assert "2026-01-31 前" in late[0].message and "晚了 1 天" in late[0].message
    assert late[0].where[0] == "site_data/annual_report/2025.yaml"


def test_a_government_report_by_31_march(sample_site):
    assert [f.status for f in deadline(sample_site, "政府", "2026-03-31", D(2026, 6, 1))] == ["ontime"]
    late = deadline(sample_site, "政府", "2026-04-01", D(2026, 6, 1))
    assert [f.status for f in late] == ["late"] and late[0].due == D(2026, 3, 31) and late[0].overdue_days == 1


def test_a_missing_report_is_reported_once_its_deadline_passes(sample_site):
    # Only the 2024 report exists: the 2025 one is due on 31 March 2026 (a government).
    assert [f.status for f in deadline(sample_site, "政府", "2025-03-20", D(2026, 3, 31), "2024")] == ["ontime"]
    found = deadline(sample_site, "政府", "2025-03-20", D(2026, 4, 1), "2024")
    missing = [f for f in found if f.status == "missing"]
    assert len(missing) == 1 and missing[0].period == "2025" and missing[0].due == D(2026, 3, 31)
    assert "site_data" not in missing[0].public_message  # the public 自查 page names no paths
    # A department's 2025 report was due on 31 January.
    assert [f.period for f in deadline(sample_site, "部门", "2025-01-20", D(2026, 2, 1), "2024")
            if f.status == "missing"] == ["2025"]


# ------------------------------------------------------------------ 回应关切

def test_response_and_policy_link_both_ways_and_columns_list_responses(built_site):
    data = yaml.safe_load(RESPONSE.read_text("utf-8"))
    policy = next(d for d in (yaml.safe_load(p.read_text("utf-8")) for p in (ROOT / "site_data/policy").glob("*.yaml"))
                  if d["index_no"] == data["policy"])
    column = data["column"]
    page = article((built_site / urls.built(urls.record(column, "response", data["index_no"]))).read_text("utf-8"))
    assert "所涉及的政策文件</h2>" in page and f'href="../../policy/{slug(policy)}/"' in page
    assert data["answered_by"] in page and data["answered"] in page and data["channel"] in page
    policy_page = article((built_site / urls.built(urls.record(column, "policy", policy["index_no"]))).read_text("utf-8"))
    responses = policy_page.split("回应关切</h2>", 1)[1].split("</ul>", 1)[0]
    assert f'href="../../response/{slug(data)}/"' in responses and data["title"] in responses
    # 政策 ↔ 解读 still works through the same declaration.
    assert "政策解读</h2>" in policy_page
    for path in (ROOT / "site_data/response").glob("*.yaml"):
        d = yaml.safe_load(path.read_text("utf-8"))
        col = article((built_site / urls.built(urls.column(d["column"]))).read_text("utf-8"))
        assert "回应关切</a></h3>" in col and d["title"] in col, d["column"]


def test_a_response_to_an_unknown_policy_is_reported_where_it_is_written(project):
    path = project / "site_data/response/2026-relief-1.yaml"
    original = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^policy: .*$", "policy: 11640000MB0000002X/2026-09999", original), encoding="utf-8")
    try:
        site, problems = load_site(project)
    finally:
        path.write_text(original, encoding="utf-8")
    line = next(i for i, l in enumerate(original.splitlines(), 1) if l.startswith("policy:"))
    found = [p.format() for p in problems if p.path == "site_data/response/2026-relief-1.yaml"]
    assert site is None and len(found) == 1 and found[0].startswith(f"site_data/response/2026-relief-1.yaml:{line}:"), found
    assert "找不到索引号为“11640000MB0000002X/2026-09999”的政策文件" in found[0]


def test_a_hostile_question_from_the_public_is_shown_as_text(sample_site):
    """The question is the public's own words: whatever it holds renders as text."""
    import markdown

    site = sample_site
    record = next(r for r in site.records if r.kind.id == "response")
    saved = record.data["question"]
    record.data["question"] = "提问" + EVIL_LINES + "\n<img src=x onerror=alert(4)> {{ 7*7 }} {% raw %}"
    try:
        text = render.render(site, only={record.src}).text(record.src)
    finally:
        record.data["question"] = saved
    assert "<script" not in text and "<img" not in text and "](javascript:" not in text and "{{" not in text
    html = markdown.markdown(text.split("---\n", 2)[2], extensions=["admonition", "attr_list", "md_in_html", "tables"])
    parsed = _Markup()
    parsed.feed(html)
    assert not parsed.scripts and ("img", {"src": "x", "onerror": "alert(4)"}) not in parsed.tags
    assert all(not any(k.startswith("on") for k in attrs) for _, attrs in parsed.tags)
    assert all(not (attrs.get("href") or "").startswith("javascript:") for _, attrs in parsed.tags)
    shown = "".join(parsed.text)
    assert "提问" + EVIL in shown and "<img src=x onerror=alert(4)>" in shown and "{{ 7*7 }}" in shown


def test_kinds_naming_their_column_belong_only_to_the_columns_their_schema_allows(sample_site):
    # The 年报 column holds the report alone: no 政策, 解读 or 回应关切 in its lists or its 标准目录.
    assert sample_site.columns["ndbg"].kinds == ["annual_report"]
    assert {"policy", "interpretation", "response"} <= set(sample_site.columns["relief"].kinds)
