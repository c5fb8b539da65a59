"""政府信息公开目录 (条例 art. 12, 24): every published record, to search, read and download.

The page groups records by column in plain HTML tables, so it works without
JavaScript; a small self-hosted script adds filters by column, year and region.
The same rows are offered as CSV (UTF-8 with BOM, for Excel) and JSON.
"""
from __future__ import annotations

import json

from .hooks import hook
from .render import GENERATED_DIR, csv_bytes, href, link

PAGE = f"{GENERATED_DIR}/gkml/index.md"
CSV = f"{GENERATED_DIR}/data/catalogue.csv"
JSON = f"{GENERATED_DIR}/data/catalogue.json"
SUMMARY_MAX = 100
HEADER = ["索引号", "名称", "内容概述", "生成日期", "发布机构", "发布日期", "有效性", "专栏", "类别",
          "行政区划代码", "行政区划", "地址"]


def overview(record) -> str:
    """内容概述, at most 100 characters: the summary, or the title when there is none."""
    text = " ".join(str(record.data.get("summary") or record.title).split())
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def ordered(site) -> list:
    return sorted(site.published, key=lambda r: (r.data["written"], r.index_no), reverse=True)


def rows(site) -> list[list]:
    return [[r.index_no, r.title, overview(r), r.data["written"], r.data["publisher"],
             r.data["published"], r.data["validity"], site.columns[r.column_id].name, r.kind.name,
             r.region_code, r.region_name, "/" + r.url] for r in ordered(site)]


@hook("on_pages")
def catalogue_page(site, output, env):
    records = ordered(site)
    groups = [(c, [r for r in records if r.column_id == c.id]) for c in site.columns.values()]
    years = sorted({r.data["written"][:4] for r in records}, reverse=True)
    regions = sorted({(r.region_code, r.region_name) for r in records})
    output.add(PAGE, env.get_template("conventions/catalogue.md.j2").render(
        src=PAGE, groups=groups, years=years, regions=regions, total=len(records),
        overview=overview, config=site.config, href=href, link=link, csv_src=CSV, json_src=JSON))
    header, data = HEADER, rows(site)
    output.add(CSV, csv_bytes(header, data))
    output.add(JSON, json.dumps(
        {"title": "政府信息公开目录", "publisher": site.config["office"]["name"],
         "fields": header, "records": [dict(zip(header, row)) for row in data]},
        ensure_ascii=False, indent=1).encode("utf-8"))
