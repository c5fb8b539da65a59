"""Site identity on every page (《政府网站发展指引》，国办发〔2017〕47号): footer values from
site.yaml, each format checked with a Chinese message; the 网站地图; no generator meta."""
from __future__ import annotations

import re

import pytest

from conftest import run_cli, run_cli_in_process, write
from generator.urls import urls

FOOTER = re.compile(r'<div class="md-copyright gk-identity">(.*?)</div>', re.S)


def _pages(site):
    return [p for p in site.rglob("*.html") if not re.match(r"pagefind", p.relative_to(site).parts[0])]


def test_every_page_footer_carries_the_site_identity(built_site):
    pages = _pages(built_site)
    assert len(pages) > 100
    for page in pages:
        html = page.read_text("utf-8")
        m = FOOTER.search(html)
        assert m, page
        footer = re.sub(r"<[^>]+>", " ", m.group(1))
        for needed in ["主办单位：宁夏回族自治区人民政府办公厅（示例）", "承办单位：宁夏回族自治区信息中心（示例）",
                       "联系电话：0951-0000000", "网站标识码：6400000001（示例）",
                       "宁ICP备12345678号-1（示例）", "宁公网安备 64010402000123号（示例）", "网站地图", "政府网站找错"]:
            assert needed in footer, (page, needed)
        # The error-report entry is a plain link: no script, no image from outside.
        assert 'href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=6400000001&amp;url=' in m.group(1)
        assert "<script" not in m.group(1) and "<img" not in m.group(1)
        assert '<meta name="generator"' not in html and "mkdocs-material-" not in html, page


def test_site_map_lists_every_column_kind_and_page(built_site):
    html = (built_site / urls.built(urls.site_map())).read_text("utf-8")
    links = set(re.findall(r'href="([^"#]+)"', html.split('<article', 1)[1].split('</article>', 1)[0]))
    for column in ["relief", "subsidies", "housing", "education"]:
        assert f"../{column}/" in links
        kinds = {p.parent.name for p in built_site.glob(urls.built(urls.kind(column, "*")))}
        for kind in kinds:
            assert f"../{column}/{kind}/" in links, (column, kind)
    for page in ["gkzn", "gkml", "ysqgk", "data", "zicha"]:
        assert f"../{page}/" in links, page
    home = (built_site / "index.html").read_text("utf-8")
    assert 'href="zwgk/wzdt/"' in home  # the 网站地图's published address (网站地图 → wzdt), spelled out on purpose


BAD = {
    'site_id_code: "6400000001"': ('site_id_code: "64000001"', "网站标识码）格式不对"),
    "  icp: 宁ICP备12345678号-1": ("  icp: 宁ICP12345678号", "ICP备案编号）格式不对"),
    "  police: 宁公网安备 64010402000123号": ("  police: 宁公网安备 6401040200012号", "公安机关备案号）格式不对"),
}


@pytest.mark.parametrize("good", list(BAD))
def test_each_bad_identity_format_gets_a_chinese_message(project, good):
    bad, message = BAD[good]
    site_yaml = project / "site_data" / "site.yaml"
    text = site_yaml.read_text("utf-8")
    assert good in text
    site_yaml.write_text(text.replace(good, bad), "utf-8")
    result = run_cli(project, "validate")
    assert result.returncode == 1
    out = result.stdout + result.stderr
    line = 1 + text.split(good)[0].count("\n")
    assert re.search(rf"site_data/site.yaml:{line}:\d+: .*{message}", out), out
    assert "Traceback" not in out


def test_department_code_and_party_mark_outside_content_are_checked(project):
    site_yaml = project / "site_data" / "site.yaml"
    text = site_yaml.read_text("utf-8").replace('site_id_code: "6400000001"', 'site_id_code: "bm18000002"')
    text = text.replace("  # dzjg: {image: assets/dzjg.png, url: https://bszs.conac.cn/sitename?method=show&id=示例}",
                        "  dzjg: {image: assets/no-such.png, url: https://bszs.conac.cn/sitename}")
    site_yaml.write_text(text, "utf-8")
    result = run_cli_in_process(project, "validate")
    out = result.stdout + result.stderr
    assert result.returncode == 1
    assert "网站标识码" not in out  # bm + 8 digits is a department site's code
    assert "党政机关网站标识图片“assets/no-such.png”不在 content/ 目录里" in out
    write(project / "content" / "assets" / "no-such.png", "png")
    assert run_cli_in_process(project, "validate").returncode == 0
    site_yaml.write_text(text.replace("image: assets/no-such.png", "image: https://x.example/a.png"), "utf-8")
    result = run_cli_in_process(project, "validate")
    assert "标识图片）格式不对" in result.stdout + result.stderr
