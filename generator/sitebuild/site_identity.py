"""The site identity every page footer carries (overrides/partials/copyright.html).

《政府网站发展指引》（国办发〔2017〕47号）asks every government site to list at the foot of
each page: 党政机关网站标识, 主办单位 (and 承办单位), 联系方式, 网站标识码, ICP备案编号,
公安机关备案标识, with a 网站地图. The values come from site_data/site.yaml (validated by
schemas/site.schema.json before any build); the theme prints them escaped.

The 政府网站找错 entry is a plain link to the national error-report form
(zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=…&url=…, the address its own jiucuo.js
opens): no script and no image from outside, so a page view makes no outside request.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import yaml

from ..urls import page_url, urls

JIUCUO = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html"
SITE_MAP = page_url(urls.site_map())
# The addresses the theme's own templates (overrides/) link to, from the one Urls builder.
THEME_URLS = {"generated": urls.generated(), "feed": urls.feed(), "datasets": page_url(urls.datasets())}


def identity(site: dict, site_url: str | None = None) -> dict:
    """What the footer shows, from a validated site.yaml."""
    own = site.get("identity") or {}
    office = site.get("office") or {}
    contact = own.get("contact") or "　".join(
        x for x in [f"联系电话：{office['phone']}" if office.get("phone") else "",
                    f"电子邮箱：{office['email']}" if office.get("email") else ""] if x)
    url = site_url or f"https://{site.get('domain', '')}/"
    code = site.get("site_id_code", "")
    return {
        "sample": bool(site.get("sample_data")),
        "sponsor": own.get("sponsor") or office.get("name", ""),
        "undertaker": own.get("undertaker"),
        "contact": contact,
        "site_id_code": code,
        "icp": own.get("icp"),
        "police": own.get("police"),
        "dzjg": own.get("dzjg"),
        "jiucuo": f"{JIUCUO}?site_code={quote(code)}&url={quote(url, safe='')}",
        "site_map": SITE_MAP,
    }


def theme_extra(root: Path, site_url: str | None) -> dict:
    """What the theme reads from `config.extra`, set by the build itself for every engine (MkDocs,
    its preview, Zensical) rather than by an MkDocs hook: the footer is part of what a page
    shows, and an engine that runs no hooks must show it too (tests/test_engines.py)."""
    try:
        site = yaml.safe_load((root / "site_data" / "site.yaml").read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError):
        site = {}  # the generator reports a broken site.yaml before any engine runs
    return {"gk_identity": identity(site, site_url), "gk_urls": THEME_URLS}
