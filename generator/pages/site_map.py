"""网站地图 (/zwgk/wzdt/): an HTML page listing every column with its kinds and every other
page a citizen navigates by (指南, 目录, 依申请公开, 数据下载 …), linked from each footer
(《政府网站发展指引》，国办发〔2017〕47号).

It runs after the other page steps and reads what they produced, so a page or kind another
step adds appears here without a change to this file.
"""
from __future__ import annotations

from .check_page import PAGE as CHECK_PAGE, in_nav
from .directory import page_src as directory_src
from . import escape
from .render import Page, link, page
from ..urls import HOME, INDEX, ROOT, urls

PAGE = urls.site_map()


def _title(content) -> str | None:
    """A page's title as its front matter will carry it."""
    if not isinstance(content, Page) or not (content.meta or {}).get("title"):
        return None
    return str(escape.front_matter_values({"title": content.meta["title"]})["title"])


def site_map_page(site, output, env):
    files = output.files
    columns = []
    for column in site.columns.values():
        kinds = []
        for kind_id in column.kinds:
            src = urls.kind(column.id, kind_id)
            if src in files:
                kinds.append((site.kinds[kind_id].name, src))
        directory = directory_src(column)
        columns.append((column, kinds, directory if directory in files else None))
    column_srcs = {c.src for c in site.columns.values()}
    others = []
    for src in sorted(files):
        # The pages one level below zwgk/ that are not columns: 指南, 目录, 数据下载 …
        parts = src.split("/")
        if len(parts) != 3 or parts[0] != ROOT or parts[2] != INDEX or src == PAGE:
            continue
        if src in column_srcs:
            continue
        if src == CHECK_PAGE and not in_nav(site.config):
            continue
        title = _title(files[src])
        if title:
            others.append((title, src))
    output.add(PAGE, page(env.get_template("conventions/site_map.md.j2"),
        src=PAGE, home=HOME, columns=columns, others=others, link=link))
