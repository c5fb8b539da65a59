"""Raw HTML blocks set aside from Python-Markdown (generator/sitebuild/mkdocs_raw_html.py) come out as
Markdown itself would have written them, and their anchors still count."""
from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.pages import _HTMLHandler
from mkdocs.utils import meta

from generator.sitebuild import mkdocs_raw_html as raw


def converter(project: Path):
    cfg = load_config(str(project / "mkdocs.yml"))
    return lambda text: markdown.Markdown(extensions=cfg["markdown_extensions"],
                                          extension_configs=cfg["mdx_configs"] or {}).convert(text)


def mkdocs_ids(block: str) -> set[str]:
    handler = _HTMLHandler()
    handler.feed(block)
    handler.close()
    return handler.present_anchor_ids


def test_every_generated_page_converts_exactly_as_without_the_hook(built_site):
    project = built_site.parent
    convert = converter(project)
    pages = sorted((project / "content").rglob("*.md"))
    assert len(pages) > 400
    set_aside = 0
    for f in pages:
        source, _ = meta.get_data(f.read_text("utf-8"))
        text, stash = raw.set_aside(source)
        set_aside += len(stash)
        assert raw.put_back(convert(text), stash) == convert(source), f
        for block in stash.values():
            assert raw.anchor_ids(block) == mkdocs_ids(block), f
    # Tables and charts on most pages: the hook has work to do, or this test proves nothing.
    assert set_aside > 2 * len(pages)


def test_only_whole_blocks_are_set_aside():
    assert raw.whole_block('<div class="a">\n<table>\n<tr><td>1</td></tr>\n</table>\n</div>')
    assert raw.whole_block("<figure>\n<div><div>x</div></div>\n</figure>")
    # A sibling after the first element, md_in_html's attribute, an unclosed or indented
    # block, an inline tag: Markdown decides those.
    assert not raw.whole_block("<div>a</div>\n<div>b</div>")
    assert not raw.whole_block('<div markdown="1">\n**x**\n</div>')
    assert not raw.whole_block("<div markdown>\n**x**\n</div>")
    assert not raw.whole_block("<div>\n<div>x</div>")
    assert not raw.whole_block("    <div>x</div>")
    assert not raw.whole_block("<span>x</span>")
    assert not raw.whole_block("<div>x</div> and text")
    text, stash = raw.set_aside("# T\n\n<div>a</div>\n<div>b</div>\n\n<details>\n<summary>s</summary>\n</details>\n")
    assert list(stash.values()) == ["<details>\n<summary>s</summary>\n</details>"]
    assert text.startswith("# T\n\n<div>a</div>\n<div>b</div>\n\n") and "<details>" not in text


def test_ids_in_a_set_aside_block_are_anchors_mkdocs_checks_links_against(tmp_path):
    """A link to an id inside a set-aside table still resolves in a strict build."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 首页\n\n[表格](other.md#gk-t)\n", "utf-8")
    (docs / "other.md").write_text('# 其他\n\n<div class="gk-table" id="gk-t">\n<table><tr><td>1</td></tr></table>\n</div>\n',
                                   "utf-8")
    hook = Path(raw.__file__)
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\ndocs_dir: docs\nhooks:\n  - {hook}\nvalidation:\n  anchors: warn\n", "utf-8")
    cfg = load_config(str(tmp_path / "mkdocs.yml"), strict=True)
    build(cfg)  # strict: a missing anchor would abort the build
    assert 'id="gk-t"' in (tmp_path / "site" / "other" / "index.html").read_text("utf-8")
    (docs / "index.md").write_text("# 首页\n\n[表格](other.md#no-such-id)\n", "utf-8")
    with pytest.raises(Abort):
        build(load_config(str(tmp_path / "mkdocs.yml"), strict=True))
