"""MkDocs hook (mkdocs.yml `hooks:`): front-matter strings reach the theme HTML-escaped.

MkDocs renders theme templates without autoescaping, and Material prints
several front-matter values raw: `<title>{{ page.meta.title }}`,
`<meta name="description" content="{{ page.meta.description }}">`, the
header title, our feed link's title. The generator copies record titles,
概述 and 关键词 into front matter, so a title containing `"` or `</title>`
would end the attribute or element and whatever follows would be live HTML.

Each string becomes a markupsafe.Markup holding its escaped text: printed raw
it is safe, and `|e` in a template leaves it as is (no double escaping).
`gk_jsonld` is left alone: open_data.py writes it as JSON already safe inside
a script element, and HTML-escaping would break the JSON.
"""
from __future__ import annotations

from markupsafe import Markup, escape

RAW_KEYS = {"gk_jsonld"}


def escape_meta(value):
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [escape_meta(v) for v in value]
    if isinstance(value, dict):
        return {k: escape_meta(v) for k, v in value.items()}
    return value


def on_page_markdown(markdown, page, config, files):
    for key in list(page.meta):
        if key not in RAW_KEYS:
            page.meta[key] = escape_meta(page.meta[key])
    return markdown
