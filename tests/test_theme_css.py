"""Material's stylesheet, trimmed of components the site never shows (generator/sitebuild/theme_css.py)."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from generator.sitebuild import theme_css

LINK = re.compile(r'<link rel="stylesheet" href="([^"]*assets/stylesheets/[^"]+)"')
CLASS_ATTR = re.compile(r'class="([^"]*)"')


def test_trim_drops_selectors_of_unused_components_and_keeps_the_rest():
    css = (".md-search{color:red}"                       # a rule of an unused component
           ".md-header,.md-search__form{margin:0}"       # mixed: only the used selector stays
           ".md-typeset .tabbed-set{display:flex}"
           "@media screen{.md-tooltip{top:0}.md-nav{left:0}}"
           "@media print{.md-clipboard{display:none}}"   # emptied: the block goes too
           ".md-header:not(.md-search){opacity:1}"       # :not() of one: still matches our pages
           ".md-typeset .admonition{border:0}"
           ".md-searchable{x:y}"                         # a prefix, not a component of that name
           ".md-typeset :is(.tabbed-set,.admonition){x:1}"  # one alternative of :is() is used
           ":root{--md-tag-x:1}")
    out = theme_css.trim(css)
    assert out == (".md-header{margin:0}"
                   "@media screen{.md-nav{left:0}}"
                   ".md-header:not(.md-search){opacity:1}"
                   ".md-typeset .admonition{border:0}"
                   ".md-searchable{x:y}"
                   ".md-typeset :is(.tabbed-set,.admonition){x:1}"
                   ":root{--md-tag-x:1}")


def test_pages_link_the_trimmed_stylesheet_named_by_its_content(built_site: Path):
    sheets = set()
    for f in built_site.rglob("*.html"):
        found = [h for h in LINK.findall(f.read_text("utf-8")) if "/stylesheets/" in h]
        assert len(found) == 1, (f, found)
        sheets.add(Path(found[0]).name)
    assert len(sheets) == 1
    name = sheets.pop()
    css = (built_site / "assets" / "stylesheets" / name).read_bytes()
    # An 8-hex name nginx caches for a year as immutable: it must change with the content.
    assert re.fullmatch(r"main\.[0-9a-f]{8}\.min\.css", name)
    assert name == f"main.{hashlib.sha256(css).hexdigest()[:8]}.min.css"
    # Material's own sheets are gone, and what a reader downloads is much smaller.
    assert [p.name for p in (built_site / "assets" / "stylesheets").iterdir()] == [name]
    import material
    original = next(Path(material.__file__).parent.glob("templates/assets/stylesheets/main.*.min.css"))
    assert len(css) < 0.6 * original.stat().st_size


def test_no_built_page_uses_a_class_the_trim_removed(built_site: Path):
    used = set()
    for f in built_site.rglob("*.html"):
        for attr in CLASS_ATTR.findall(f.read_text("utf-8")):
            used.update(attr.split())
    assert used, "no class attributes read"
    assert not [c for c in used if theme_css.unused_class(c)]


