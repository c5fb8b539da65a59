"""Escaping and links in generated Markdown: hostile values render as text."""
import re

import markdown

from generator.pages import escape
from generator.pages.render import Output, Page, href, link
from generator.urls import urls

MD = markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", "admonition"])


def html(text: str) -> str:
    MD.reset()
    return MD.convert(text)


HOSTILE = ["<script>alert(1)</script>", "[点我](javascript:alert(1))", "a | b", "**粗体**",
           "- 列表", "# 标题", "1. 序号", "{: onclick=alert(1)}", "![x](http://evil.example/x.png)",
           "`code`", "line1\nline2", "&amp;", "<https://evil.example>",
           # Syntax after leading blanks, and a value that only looks like it (escape.text
           # looks for it only where a value begins with a blank, a digit or one of -+#=).
           "  - 缩进列表", "12. 序号", "+ 加号", "１２. 全角数字", "第1. 条",
           # Four blanks or a tab before a value that begins a line make an indented code block.
           "    四个空格", "\t制表符", " \t 混合 <b>"]


def test_hostile_values_are_text_in_paragraphs_cells_and_html_blocks():
    for value in HOSTILE:
        v = escape.text(value)
        for doc in (f"{v}\n", f"| h |\n|---|\n| {v} |\n", f"<div>\n<p>{v}</p>\n</div>\n", f"## {v}\n",
                    f"- [{v}](x.md)\n"):
            out = html(doc)
            assert "<script" not in out and "javascript:" not in out
            assert not re.search(r"<[a-z]+[^>]*\son\w+=", out), out
            assert "<img" not in out and "<strong>" not in out and "<code>" not in out and "<h1" not in out
            assert "<pre" not in out, (value, out)
            assert "<li>" not in out or doc.startswith("- [")
    cell = html(f"| h |\n|---|\n| {escape.text('a | b')} |\n")
    assert cell.count("<td>") == 1


def test_values_read_back_as_typed():
    import html as htmllib
    for value in HOSTILE:
        out = html(f"<p>{escape.text(value)}</p>\n")
        inner = out[out.index(">") + 1:out.rindex("</p>")]
        assert htmllib.unescape(inner.replace("<br>", "\n")) == value


def test_markdown_fields_keep_safe_markup_only():
    out = html(str(escape.markdown("## 一、背景\n\n**重点** [链接](https://www.gov.cn/) [坏](javascript:alert(1)) "
                                   "![图](http://evil.example/a.png) <script>x</script> {: onclick=x}")))
    assert "<h2>" in out and "<strong>重点</strong>" in out and 'href="https://www.gov.cn/"' in out
    assert "javascript:" not in out and "<img" not in out and "<script>" not in out
    assert not re.search(r"<[a-z]+[^>]*\son\w+=", out), out


def test_links_are_relative_and_encoded():
    column, record = urls.column("relief"), urls.record("relief", "dibao_stats", "A/B")
    assert link(column, record) == "dibao_stats/a-b/index.md"
    assert link(record, urls.attachment("attachments/表 (1).pdf")) == \
        "../../../files/attachments/%E8%A1%A8%20%281%29.pdf"
    assert href(record, urls.url(column)) == "../../"
    assert href(urls.home(), column) == urls.url(column)
    assert href(column, column) == "./"


def test_a_page_keeps_its_front_matter_as_keys_until_it_is_written():
    out = Output(files={"a/index.md": Page({"title": "甲", "gk_updated": "", "keywords": ["x"]}, "\n# 甲\n"),
                        "b.csv": b"x"})
    out.set_meta("a/index.md", {"gk_jsonld": "{}"})
    out.set_meta("a/index.md", {"gk_meta": {"SiteName": "站"}, "gk_modified": "2026-01-02"})
    out.set_meta("b.csv", {"gk_meta": {}})  # not a page: left alone
    # Keys set after rendering come first, one JSON line each; the template's empty ones are left out.
    assert out.text("a/index.md") == ('---\ngk_meta: {"SiteName": "站"}\ngk_modified: "2026-01-02"\n'
                                      'gk_jsonld: "{}"\ntitle: 甲\nkeywords:\n- x\n---\n\n# 甲\n')
    assert out.text("b.csv") == b"x"
    assert Page(None, "plain\n").text() == "plain\n"


def test_forked_writers_write_what_one_process_writes(tmp_path):
    """A large output is rendered and written by one process per core (render.write): on the
    extended sample (hostile values, new kinds, split listings), two writers give the same files
    byte for byte as one, and the same counts and list of files written."""
    import hashlib

    from conftest import copy_project
    from extended_sample import extend

    from generator import pipeline
    from generator.pages import render

    root = extend(copy_project(tmp_path / "project"))
    site, problems, report = pipeline.load_and_check(root)
    assert site is not None, problems

    def written(workers: int):
        out = tmp_path / f"content-{workers}"
        stats = render.write(pipeline.render_site(site, report), out, workers=workers)
        files = {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in sorted(out.rglob("*")) if p.is_file()}
        return files, stats["written"], stats["unchanged"], [p.relative_to(out) for p in stats["paths"]]

    one, two = written(1), written(2)
    assert one == two and len(one[0]) > 400


def test_the_write_step_tells_what_each_file_holds(tmp_path):
    """render.write's digests, by which the build cache keys pages without reading them again
    (build.place_cached_pages): the SHA-256 of each generated file as it is left, whether it was
    rendered, taken from the render cache, found unchanged or written over a changed copy."""
    import hashlib
    import json
    import shutil

    from conftest import copy_project

    from generator import pipeline
    from generator.pages import render, render_cache

    root = copy_project(tmp_path / "project")
    site, problems, report = pipeline.load_and_check(root)
    assert site is not None, problems
    out = tmp_path / "content"

    def check(workers: int) -> dict:
        memo = render_cache.RenderCache(tmp_path / "cache", root, site)
        stats = render.write(pipeline.render_site(site, report), out, workers=workers, memo=memo)
        on_disk = {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                   for p in out.rglob("*") if p.is_file()}
        assert stats["digests"] and all(on_disk[rel] == sha for rel, sha in stats["digests"].items())
        return stats

    first = check(1)
    assert first["written"] > 100 and first.get("reused_markdown") == 0
    # Two pages the render cache keeps (record and listing pages), as the manifest lists them.
    kept = set(json.loads((tmp_path / "cache" / render_cache.MANIFEST).read_text("utf-8"))["pages"].values())
    pages = sorted(rel for rel, sha in first["digests"].items() if sha in kept)
    (out / pages[0]).write_text("被改过的页面", "utf-8")
    (out / pages[1]).unlink()
    # A page still in the file the last write left is not read from the cache: without its
    # blobs, only the two pages changed on disk are rendered again.
    shutil.rmtree(tmp_path / "cache" / render_cache.DIR)
    again = check(2)
    assert again["written"] == 2 and again["reused_markdown"] > 50
    assert check(1)["written"] == 0


def test_pruning_removes_what_is_no_longer_generated_and_the_folders_left_empty(tmp_path):
    from generator.pages import render

    content = tmp_path / "content"
    for rel in ("zwgk/a/index.md", "zwgk/b/index.md", "zwgk/d/e/x.csv", "zwgk/f/keep.md", "zwgk/f/g/old.md",
                "assets/site.css", "index.md"):
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(rel, "utf-8")
    (content / "zwgk/c").mkdir()
    (content / "zwgk/h").mkdir()
    (content / "zwgk/h/link.md").symlink_to(content / "zwgk/a/index.md")
    removed = render._prune(content, {"zwgk/a/index.md", "zwgk/f/keep.md", "zwgk/h/link.md"})
    left = sorted(p.relative_to(content).as_posix() for p in content.rglob("*"))
    assert removed == 3
    assert left == ["assets", "assets/site.css", "index.md", "zwgk", "zwgk/a", "zwgk/a/index.md",
                    "zwgk/f", "zwgk/f/keep.md", "zwgk/h", "zwgk/h/link.md"]
