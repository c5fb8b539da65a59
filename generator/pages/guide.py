"""政府信息公开指南 (条例 art. 12): how information is arranged and how to obtain it.

Built from site.yaml (`office` for the disclosure office's contacts, `guide`
for the rest) and the columns, so it changes when the configuration does.
"""
from __future__ import annotations

from .application import PAGE as APPLICATION
from .catalogue import PAGE as CATALOGUE
from .directory import page_src as directory_src
from .render import href, link, page
from ..urls import urls

PAGE = urls.guide()


def guide_page(site, output, env):
    output.add(PAGE, page(env.get_template("conventions/guide.md.j2"),
        src=PAGE, config=site.config, office=site.config["office"], guide=site.config.get("guide", {}),
        columns=list(site.columns.values()), catalogue=CATALOGUE, directory_src=directory_src,
        application_src=APPLICATION,
        href=href, link=link))
