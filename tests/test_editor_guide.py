"""The 编辑指南 page (out of the citizens' navigation) and the build's progress and summary."""
import io
import re

import yaml
from conftest import ROOT
from sample_data import records

from generator.model.kinds import load_kinds
from generator.sitebuild.progress import Progress

GUIDE = "guide/editors/index.html"
TOPICS = ["增加一期统计数据", "从 Excel 表格导入", "发布政策文件及其解读", "添加 PDF 等附件", "保护个人信息",
          "看懂错误提示", "预览", "提交之后会发生什么"]


def test_guide_is_built_covers_every_topic_and_is_linked_only_from_the_footer(built_site):
    html = (built_site / GUIDE).read_text("utf-8")
    for topic in TOPICS:
        assert re.search(rf"<h2[^>]*>{re.escape(topic)}", html), topic
    assert "make serve" in html and "python -m generator import" in html
    assert "<pre" in html  # commands are shown as code blocks, not run together in a paragraph
    for page in [built_site / "index.html", built_site / "zwgk" / "relief" / "index.html"]:
        text = page.read_text("utf-8")
        links = re.findall(r"<a [^>]*href=\"[^\"]*guide/editors/\"[^>]*>", text)
        assert links, page
        assert all("gk-footer-link" in a for a in links), links  # footer only: not in the nav or tabs
        head, footer = text.split('<footer class="md-footer"', 1)
        assert "guide/editors" not in head and "编辑指南" not in head  # not in tabs, nav or page body
        assert "guide/editors/" in footer
    # mkdocs.yml holds a !!python tag (toc slugify), which safe_load refuses.
    from generator.pages.feeds import _AnyTagLoader
    assert "/guide/**" in yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_AnyTagLoader)["not_in_nav"]
    assert "content/guide/editors.md" in (ROOT / "README.md").read_text("utf-8")


def test_build_shows_progress_when_asked_and_ends_with_a_summary(sample_build):
    """The session's sample build runs as CI would, with --progress and no terminal. (Without
    --progress and no terminal there are no progress lines: test_build.py's failing build.)"""
    result, project = sample_build, sample_build.root
    stages = re.findall(r"^\[(\d)/(\d)\] ", result.stderr, re.M)
    assert [s[0] for s in dict.fromkeys(stages)] == ["1", "2", "3", "4"]
    pages = [tuple(map(int, m)) for m in re.findall(r" (\d+)/(\d+) 生成网页", result.stderr)]
    assert pages and pages[-1][0] == pages[-1][1] > 100
    # Summary: every column with the number of approved records, problems, where, how to preview.
    site = yaml.safe_load((project / "site_data" / "site.yaml").read_text("utf-8"))
    counts = {c["id"]: 0 for c in site["columns"]}
    kinds, _ = load_kinds(project)
    for kind_id, data in records(project):
        kind = kinds[kind_id]
        if data["review"]["status"] == "已通过":
            counts[data["column"] if kind.column == "*" else kind.column] += 1
    for c in site["columns"]:
        assert f"  {c['name']}：{counts[c['id']]} 条" in result.stdout, result.stdout
    assert f"合计：{sum(counts.values())} 条" in result.stdout
    assert "未通过保密审查" in result.stdout
    assert "共 0 个错误" in result.stdout
    assert f"站点已生成在 {project / 'site'}/" in result.stdout and "make serve" in result.stdout


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_draws_a_bar_on_a_terminal_and_nothing_elsewhere():
    plain = io.StringIO()
    p = Progress(stream=plain)
    p.stage("x")
    p.count(5, 10)
    p.finish()
    assert plain.getvalue() == ""
    term = _Terminal()
    p = Progress(stream=term)
    p.stage("生成")
    p.count(10, 10, "网页")
    p.finish()
    out = term.getvalue()
    assert "\r" in out and "[1/4] 生成" in out and "10/10 网页" in out and "█" * 24 in out
