"""Open-data metadata: schema.org Dataset JSON-LD on each dataset page and a
DCAT catalogue (`data.json`, Project Open Data v1.1 / DCAT-US) at the site root.

Both describe the same datasets (one per column and kind with figures) with
the same dates, taken from the records, so crawlers and data portals agree
with the pages and with sitemap.xml.
"""
from __future__ import annotations

import json
from pathlib import Path

from .datasets import Dataset, datasets
from ..urls import urls

CATALOGUE_FILE = urls.data_catalogue()


def base_url(config) -> str:
    return f"https://{config['domain'].strip('/')}/"


def covering_region(site, records) -> tuple[str, str]:
    """The smallest region that contains every record's region (e.g. the province)."""
    def chain(code):
        seen = []
        while code and code not in seen:
            seen.append(code)
            region = site.regions.get(code)
            code = region.parent if region else ""
        return seen
    chains = [chain(r.region_code) for r in records]
    common = [c for c in chains[0] if all(c in ch for ch in chains[1:])]
    if common and common[0] in site.regions:
        return common[0], site.regions[common[0]].name
    return "", "、".join(sorted({r.region_name for r in records}))


def schema_org(site, ds: Dataset) -> dict:
    base = base_url(site.config)
    office = site.config["office"]
    code, name = covering_region(site, ds.records)
    doc = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": base + ds.page,
        "name": ds.catalogue_title,
        "description": ds.catalogue_description,
        "url": base + ds.page,
        "identifier": base + ds.data_base,
        "keywords": ds.keywords(),
        "inLanguage": "zh-CN",
        "publisher": {"@type": "GovernmentOrganization", "name": office["name"]},
        "creator": [{"@type": "GovernmentOrganization", "name": p} for p in ds.publishers()],
        "spatialCoverage": {"@type": "Place", "name": name,
                            **({"identifier": code} if code else {})},
        "datePublished": ds.issued,
        "dateModified": ds.modified,
        "isAccessibleForFree": True,
        "variableMeasured": [f"{f.label}（{f.unit}）" if f.unit else f.label for f in ds.kind.fields],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": base + ds.csv},
            {"@type": "DataDownload", "encodingFormat": "application/json",
             "contentUrl": base + ds.json},
        ],
    }
    if ds.temporal:
        doc["temporalCoverage"] = ds.temporal
    if site.config.get("open_data", {}).get("license"):
        doc["license"] = site.config["open_data"]["license"]
    return doc


def script_json(doc: dict) -> str:
    """JSON that cannot end a <script> element early."""
    text = json.dumps(doc, ensure_ascii=False, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def dataset_jsonld(site, output, env):
    for ds in datasets(site):
        output.set_meta(ds.src, {"gk_jsonld": script_json(schema_org(site, ds))})


def dcat(site) -> dict:
    base = base_url(site.config)
    office = site.config["office"]
    entries = []
    for ds in datasets(site):
        code, name = covering_region(site, ds.records)
        entry = {
            "@type": "dcat:Dataset",
            "identifier": base + ds.data_base,
            "title": ds.catalogue_title,
            "description": ds.catalogue_description,
            "keyword": ds.keywords(),
            "issued": ds.issued,
            "modified": ds.modified,
            "publisher": {"@type": "org:Organization", "name": office["name"]},
            "contactPoint": {"@type": "vcard:Contact", "fn": office["name"],
                             **({"hasEmail": "mailto:" + office["email"]} if office.get("email") else {})},
            "accessLevel": "public",
            "language": ["zh-CN"],
            "landingPage": base + ds.page,
            "spatial": name,
            "distribution": [
                {"@type": "dcat:Distribution", "title": "CSV（UTF-8 带 BOM）", "format": "CSV",
                 "mediaType": "text/csv", "downloadURL": base + ds.csv},
                {"@type": "dcat:Distribution", "title": "JSON", "format": "JSON",
                 "mediaType": "application/json", "downloadURL": base + ds.json},
            ],
        }
        if ds.temporal:
            entry["temporal"] = ds.temporal
        if site.config.get("open_data", {}).get("license"):
            entry["license"] = site.config["open_data"]["license"]
        entries.append(entry)
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": base + CATALOGUE_FILE,
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "title": f"{site.config['name']}数据目录",
        "dataset": entries,
    }


def write_catalogue(site, out_dir, root):
    (Path(out_dir) / CATALOGUE_FILE).write_text(
        json.dumps(dcat(site), ensure_ascii=False, indent=1) + "\n", "utf-8")
