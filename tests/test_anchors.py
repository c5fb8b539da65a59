"""Heading anchors come from the heading's own text, Chinese kept (issue 16): a shared link to
/zwgk/gkzn/#二获取政府信息的方式 (a published address, spelled as readers share it) says
where it goes and does not move when a heading is added above it (they were #_1, #_2 …)."""
from __future__ import annotations

import html
import re

from pymdownx.slugs import slugify

from generator.urls import urls

SLUG = slugify(case="lower")
HEADING = re.compile(r"<h([1-6]) id=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.S)


def test_heading_anchors_carry_their_heading_text(built_site):
    pages = [urls.built(src) for src in (urls.guide(), urls.application(), urls.column("relief"),
                                         urls.site_map(), urls.datasets(), urls.home())]
    records = (built_site / urls.url(urls.kind("relief", "dibao_stats"))).glob("*/index.html")
    pages += [p.relative_to(built_site).as_posix() for p in sorted(records)[:3]]
    checked = 0
    for rel in pages:
        for level, anchor, inner in HEADING.findall((built_site / rel).read_text("utf-8")):
            text = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
            if not re.search(r"[\u4e00-\u9fff]", text):
                continue
            anchor = html.unescape(anchor)
            expected = SLUG(text, "-")
            assert re.fullmatch(re.escape(expected) + r"(_\d+)?", anchor), (rel, text, anchor)
            assert not re.fullmatch(r"_\d+", anchor), (rel, anchor)
            checked += 1
    assert checked > 20
    guide = (built_site / urls.built(urls.guide())).read_text("utf-8")
    assert 'id="二获取政府信息的方式"' in guide and 'id="二依申请公开"' in guide
