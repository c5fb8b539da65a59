"""MkDocs hook: markup fixes the theme's templates cannot take as a small override.

Material's base.html writes its two toggles (drawer, search) as
`<input type="checkbox" … autocomplete="off">` outside any template block; the W3C
checker rejects autocomplete on a checkbox. Material sets it so that Firefox does not
restore a toggle's state on back navigation; assets/gk-a11y.js clears the toggles on
`pageshow` instead, which does the same without invalid markup.
"""
from __future__ import annotations

_TOGGLES = [
    ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
     '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'),
    ('<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
     '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">'),
]


def on_post_page(output, page, config):
    for old, new in _TOGGLES:
        output = output.replace(old, new, 1)
    return output


def on_post_template(output_content, template_name, config):
    # 404.html is a static template: no on_post_page for it.
    return on_post_page(output_content, None, config)
