"""政府信息公开目录 (条例 art. 12, 24): every published record, to search, read and download.

The page groups records by column in plain HTML tables, so it works without
JavaScript; a small self-hosted script adds filters by column, year and region.
A column with more than PAGE_ROWS records is split by year and county into
pages of their own (a single 10,000-row page would be 4.5 MB, too heavy for a
phone on a slow link); the main page then lists those pages in the same
filterable form. The rows are also offered as CSV (UTF-8 with BOM) and JSON.
"""
from __future__ import annotations

import json

from .render import LazyFile, LazyPage, csv_bytes, href, link, page
from .render_cache import declared
from ..urls import urls

PAGE = urls.catalogue()
CSV = urls.catalogue_file("csv")
JSON = urls.catalogue_file("json")
SUMMARY_MAX = 100
PAGE_ROWS = 300
HEADER = ["索引号", "名称", "内容概述", "生成日期", "发布机构", "发布日期", "有效性", "专栏", "类别",
          "行政区划代码", "行政区划", "地址"]


def overview(record) -> str:
    """内容概述, at most 100 characters: the summary, or the title when there is none."""
    text = " ".join(str(record.data.get("summary") or record.title).split())
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def ordered(site) -> list:
    return sorted(site.approved_records, key=lambda r: (r.data["written"], r.index_no), reverse=True)


def rows(site, records: list) -> list[list]:
    """The download's rows, of `records` in their order (`ordered`)."""
    return [[r.index_no, r.title, overview(r), r.data["written"], r.data["publisher"],
             r.data["published"], r.data["validity"], site.columns[r.column_id].name, r.kind.name,
             r.region_code, r.region_name, "/" + r.url] for r in records]


def catalogue_csv(records: list, site) -> bytes:
    return csv_bytes(HEADER, rows(site, records))


def catalogue_json(records: list, site) -> bytes:
    return json.dumps(
        {"title": "政府信息公开目录", "publisher": site.config["office"]["name"],
         "fields": HEADER, "records": [dict(zip(HEADER, row)) for row in rows(site, records)]},
        ensure_ascii=False, indent=1).encode("utf-8")


def area(site, record) -> tuple[str, str]:
    """The county (6-digit code) a record belongs to: the unit citizens filter by."""
    code = record.region_code[:6]
    region = site.regions.get(code)
    return code, region.name if region else record.region_name


def year(record) -> str:
    return record.data["written"][:4]


def slices(site, records) -> list[dict]:
    """Year × county pages of one column, newest year first, then by county code."""
    groups: dict = {}
    for r in records:
        code, name = area(site, r)
        groups.setdefault((year(r), code), {"year": year(r), "area": code, "area_name": name,
                                             "records": []})["records"].append(r)
    return [groups[k] for k in sorted(groups, key=lambda k: (-int(k[0]), k[1]))]


def catalogue_page(site, output, env):
    records = ordered(site)
    groups = []
    slice_template = env.get_template("conventions/catalogue_slice.md.j2")
    for c in site.columns.values():
        recs = [r for r in records if r.column_id == c.id]
        parts = slices(site, recs) if len(recs) > site.config.get("catalogue_page_rows", PAGE_ROWS) else []
        for s in parts:
            s["src"] = urls.catalogue_slice(c.id, s["year"], s["area"])
            # Rendered at write, and kept by what it is given (render_cache.listing_key).
            output.add(s["src"], LazyPage(slice_template, dict(
                src=s["src"], column=c, part=s, overview=overview, area=area, config=site.config, href=href,
                link=link, main=PAGE), listing=True))
        groups.append((c, recs, parts))
    years = sorted({year(r) for r in records}, reverse=True)
    areas = sorted({area(site, r) for r in records})
    output.add(PAGE, page(env.get_template("conventions/catalogue.md.j2"),
        src=PAGE, groups=groups, years=years, regions=areas, total=len(records), area=area,
        site=site, overview=overview, config=site.config, href=href, link=link, csv_src=CSV,
        json_src=JSON))
    # Made at write from the records alone, and kept by the render cache: a push that changes
    # no record's row (a corrected figure) writes them as the last build left them.
    view = declared(site, None)[0]
    output.add(CSV, LazyFile(catalogue_csv, records=records, site=view))
    output.add(JSON, LazyFile(catalogue_json, records=records, site=view))
