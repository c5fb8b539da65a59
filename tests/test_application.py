"""依申请公开 (issue 16): the page, its printable form and its DOCX download, and the steps
of the 政府信息公开指南."""
from __future__ import annotations

import io
import re
import zipfile
import xml.etree.ElementTree as ET

import pytest

from generator.pages import application
from generator.urls import page_url, urls

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_guide_lists_six_steps_in_order_and_links_the_application_page(built_site):
    html = (built_site / page_url(urls.guide()) / "index.html").read_text("utf-8")
    section = html.split("依申请公开", 1)[1]
    ol = re.search(r"<ol>(.*?)</ol>", section, re.S).group(1)
    items = [re.search(r"<strong>(.*?)。</strong>", li).group(1) for li in re.findall(r"<li>(.*?)</li>", ol, re.S)]
    assert items == ["提出申请", "提交申请", "补正", "答复", "费用", "救济"]
    assert 'href="../ysqgk/"' in html
    text = _text(html)
    # The dead 网上申请 address and the nonexistent column are gone.
    assert "gk.example.gov.cn/ysqgk" not in html and "政府信息公开申请”栏目" not in text
    # Exact citations: art. 26 defers to 法律、法规; a directory's shorter deadline is its own rule;
    # art. 33's extension is approved by the 政府信息公开工作机构负责人.
    assert "法律、法规对公开期限另有规定的，从其规定（《条例》第二十六条）" in text
    assert "按该标准目录的时限" in text
    assert "经政府信息公开工作机构负责人同意" in text


def test_application_page_has_receiver_channels_time_limits_fees_remedies(built_site):
    text = _text((built_site / page_url(urls.application()) / "index.html").read_text("utf-8"))
    for needed in ["宁夏回族自治区人民政府办公厅政务公开办公室（示例）",   # office.name from site.yaml
                   "当面提交", "邮寄", "传真", "电子邮件", "不接收网上提交的申请",
                   "7 个工作日内一次性告知", "20 个工作日内答复", "最长不超过 20 个工作日",
                   "第三十条", "第三十一条", "第三十三条", "第四十二条", "第五十一条", "信息处理费",
                   "行政复议", "行政诉讼"]:
        assert needed in text, needed


def test_online_system_is_linked_when_site_yaml_names_one(project):
    from generator.model.validate import load_site
    from generator import pipeline

    site_yaml = project / "site_data" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace(
        "  # online_url: https://ysqgk.example.gov.cn/", "  online_url: https://ysqgk.example.gov.cn/"), "utf-8")
    site, problems = load_site(project)
    assert site is not None, problems
    page = pipeline.render_site(site).text(application.PAGE)
    import html as htmllib
    assert '<a href="https://ysqgk.example.gov.cn/">政府信息公开网上申请系统</a>' in htmllib.unescape(page)
    assert "没有网上申请系统" not in page


def test_form_table_and_docx_share_one_layout():
    rows = application.grid()
    assert all(sum(c.cols for c, _, _ in line) == application.COLUMNS for line in rows)
    labels = [c.text for line in application.FORM for c in line if c.label]
    for field in ["申请人信息", "公民", "法人或者其他组织", "姓名", "证件名称", "证件号码", "联系电话",
                  "名称", "统一社会信用代码", "所需信息的内容描述", "信息载体形式（可多选）", "获取信息的方式（可多选）"]:
        assert field in labels, field


def test_docx_opens_as_a_word_document_with_the_form_and_is_reproducible(built_site):
    data = (built_site / urls.application_form()).read_bytes()
    assert data == application.docx("宁夏回族自治区人民政府办公厅政务公开办公室（示例）")  # same bytes again
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.testzip() is None
    assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    types = ET.fromstring(z.read("[Content_Types].xml"))
    assert any(o.get("PartName") == "/word/document.xml" for o in types)
    doc = ET.fromstring(z.read("word/document.xml"))
    tbl = doc.find(f"{W}body/{W}tbl")
    assert tbl is not None
    grid = [int(g.get(f"{W}w")) for g in tbl.find(f"{W}tblGrid")]
    assert len(grid) == application.COLUMNS
    for tr in tbl.findall(f"{W}tr"):  # every row covers the six grid columns
        spans = [int((tc.find(f"{W}tcPr/{W}gridSpan") is not None and tc.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val")) or 1)
                 for tc in tr.findall(f"{W}tc")]
        assert sum(spans) == application.COLUMNS
    text = "".join(t.text or "" for t in doc.iter(f"{W}t"))
    for field in ["政府信息公开申请表", "受理机构：宁夏回族自治区人民政府办公厅政务公开办公室（示例）", "公民",
                  "法人或者其他组织", "姓名", "证件号码", "所需信息的内容描述", "获取信息的方式", "信息载体形式"]:
        assert field in text, field
    sect = doc.find(f"{W}body/{W}sectPr/{W}pgSz")
    assert (sect.get(f"{W}w"), sect.get(f"{W}h")) == ("11906", "16838")  # A4


def test_docx_is_byte_identical_across_builds(project):
    from generator import pipeline
    a = pipeline.generate(project)  # writes content/
    first = (project / "content" / application.DOCX).read_bytes()
    (project / "content" / application.DOCX).unlink()
    pipeline.generate(project)
    assert (project / "content" / application.DOCX).read_bytes() == first


@pytest.mark.browser
def test_form_prints_on_one_a4_page_and_downloads(built_site):
    from playwright.sync_api import sync_playwright
    from browser_support import ROOT  # noqa: F401 - puts benchmarks/ on sys.path
    import search_transfer

    server, base = search_transfer.serve(built_site, "/")
    try:
        with sync_playwright() as p:
            browser = search_transfer.launch(p)
            context = browser.new_context(accept_downloads=True)
            outside: list[str] = []
            search_transfer.block_outside(context, outside)
            page = context.new_page()
            page.goto(base + urls.url(urls.application()))
            pdf = page.pdf(format="A4", print_background=False)
            pages = int(re.search(rb"/Type\s*/Pages\b[^>]*?/Count (\d+)", pdf).group(1))
            assert pages == 1, f"the form prints on {pages} pages"
            page.emulate_media(media="print")
            assert page.evaluate("getComputedStyle(document.querySelector('.gk-apply-form')).display") != "none"
            assert page.evaluate("getComputedStyle(document.querySelector('article h2')).display") == "none"
            page.emulate_media(media="screen")
            with page.expect_download() as info:
                page.click("a[href$='.docx']")
            path = info.value.path()
            assert zipfile.is_zipfile(path)
            assert "word/document.xml" in zipfile.ZipFile(path).namelist()
            assert not outside, outside
            browser.close()
    finally:
        server.shutdown()
