"""Meta tags that 集约化 platforms and crawlers read, and each page's own date.

Values go into the generated pages' front matter (`gk_meta`, `gk_modified`);
overrides/partials/gk-meta.html turns them into <meta> tags. This runs after
the other page steps, so templates stay free of platform conventions.

A page's date (dateModified, sitemap lastmod) comes from the records it shows,
never from the build clock, so two builds of the same data are identical.
"""
from __future__ import annotations

from . import catalogue, guide
from ..urls import HOME, urls


def _latest(records):
    return max((r.updated for r in records), default=None)


def page_dates(site) -> dict:
    """Source path → the date its content last changed, for pages that have one."""
    dates = {}
    published = site.approved_records
    dates[HOME] = _latest(published)
    dates[catalogue.PAGE] = _latest(published)
    if site.config.get("guide", {}).get("updated"):
        import datetime as dt
        dates[guide.PAGE] = dt.date.fromisoformat(site.config["guide"]["updated"])
    for column in site.columns.values():
        recs = [r for r in published if r.column_id == column.id]
        dates[column.src] = _latest(recs)
        for kind_id in column.kinds:
            dates[urls.kind(column.id, kind_id)] = _latest([r for r in recs if r.kind.id == kind_id])
    for r in published:
        dates[r.src] = r.updated
    return {src: d for src, d in dates.items() if d is not None}


def site_tags(config) -> dict:
    return {"SiteName": config["name"], "SiteDomain": config["domain"], "SiteIDCode": config["site_id_code"]}


def column_tags(column) -> dict:
    return {"ColumnName": column.name, "ColumnDescription": column.description,
            "ColumnKeywords": ",".join(column.keywords or [column.name]), "ColumnType": column.type}


def record_tags(record, column) -> dict:
    d = record.data
    return {"ColumnName": column.name,
            "ArticleTitle": record.title,
            # Records carry a date only; 00:00 keeps the yyyy-MM-dd HH:mm form platforms parse.
            "PubDate": f"{d['published']} 00:00",
            "ContentSource": d["publisher"],
            "Keywords": ",".join(d.get("keywords") or [record.kind.name]),
            "Description": d.get("summary") or record.title}


def meta_tags(site, output, env):
    base = site_tags(site.config)
    dates = page_dates(site)
    tags = {HOME: base}
    for column in site.columns.values():
        tags[column.src] = {**base, **column_tags(column)}
        for kind_id in column.kinds:
            tags[urls.kind(column.id, kind_id)] = {**base, **column_tags(column)}
    for r in site.approved_records:
        tags[r.src] = {**base, **record_tags(r, site.columns[r.column_id])}
    for src in output.files:
        if not src.endswith(".md"):
            continue
        values = {"gk_meta": tags.get(src, base)}
        if src in dates:
            values["gk_modified"] = dates[src].isoformat()
        output.set_meta(src, values)
