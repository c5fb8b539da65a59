"""Dataset step: a page per dataset (data dictionary, coverage, downloads) and
the 数据下载 index of all of them.

Driven only by `x-kind.dataset` in the kind schemas: every kind that declares
fields gets its files (written by render.py) and its pages here, so a new kind
needs no Python change. `Dataset` is the one description of a published dataset
that the pages, the JSON-LD and `data.json` (open_data.py) all read.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import periods
from . import render
from ..model.kinds import Kind
from ..model.model import Column, Record, Site
from ..urls import urls

INDEX = urls.datasets()


@dataclass
class Dataset:
    column: Column
    kind: Kind
    records: list[Record]

    @property
    def base(self) -> str:
        return urls.dataset_base(self.column.id, self.kind.id)

    @property
    def src(self) -> str:
        return urls.dataset(self.column.id, self.kind.id)

    @property
    def csv(self) -> str:
        return urls.dataset_file(self.column.id, self.kind.id, "csv")

    @property
    def json(self) -> str:
        return urls.dataset_file(self.column.id, self.kind.id, "json")

    @property
    def dictionary_csv(self) -> str:
        return urls.dataset_fields(self.column.id, self.kind.id)

    @property
    def title(self) -> str:
        return self.kind.dataset_title

    @property
    def description(self) -> str:
        return self.kind.dataset_description

    @property
    def dictionary(self) -> list[dict]:
        return render.dictionary(self.kind)

    @property
    def periods(self) -> list[str]:
        return sorted({r.period for r in self.records if r.period}, key=periods.sort_key)

    @property
    def regions(self) -> int:
        return len({r.region_code for r in self.records})

    @property
    def last_updated(self):
        return max((r.updated for r in self.records), default=None)

    # What catalogues (schema.org JSON-LD, DCAT data.json; open_data.py) say of the dataset.
    @property
    def data_base(self) -> str:
        return self.base

    @property
    def page(self) -> str:
        return render.page_url(self.src)

    @property
    def catalogue_title(self) -> str:
        return f"{self.column.name}：{self.kind.dataset_title}"

    @property
    def catalogue_description(self) -> str:
        labels = "、".join(f.label for f in self.kind.fields)
        regions = sorted({r.region_name for r in self.records})
        lead = (self.description + " ") if self.description else ""
        return (f"{lead}{self.kind.dataset_title}，按行政区划和统计期公开，共 {len(self.records)} 条记录，"
                f"覆盖 {len(regions)} 个地区。包括：{labels}。由{self.column.lead_dept}牵头公开，"
                "可下载 CSV（UTF-8，Excel 可直接打开）和 JSON 格式。")

    @property
    def modified(self) -> str:
        return max(r.updated for r in self.records).isoformat()

    @property
    def issued(self) -> str:
        return min(r.published for r in self.records).isoformat()

    @property
    def temporal(self) -> str | None:
        spans = [periods.bounds(r.period) for r in self.records if r.period and periods.valid(r.period)]
        if not spans:
            return None
        return f"{min(s for s, _ in spans).isoformat()}/{max(e for _, e in spans).isoformat()}"

    def keywords(self) -> list[str]:
        words = [self.kind.name] + list(self.column.keywords)
        return list(dict.fromkeys(words))

    def publishers(self) -> list[str]:
        return sorted({r.data["publisher"] for r in self.records})


def datasets(site: Site) -> list[Dataset]:
    """Every published dataset, in column and kind order; only approved records count."""
    found = []
    for column in site.columns.values():
        for kind_id in column.kinds:
            kind = site.kinds[kind_id]
            records = [r for r in site.approved_records if r.kind.id == kind_id and r.column_id == column.id]
            if kind.fields and records:
                found.append(Dataset(column, kind, records))
    return found


def dataset_pages(site: Site, output, env) -> None:
    common = dict(site=site, config=site.config, href=render.href, link=render.link,
                  sample_site=bool(site.config.get("sample_data")))
    all_sets = datasets(site)
    for ds in all_sets:
        output.add(ds.src, render.page(env.get_template("data/dataset.md.j2"), src=ds.src, ds=ds, **common))
        dictionary = [[d["field"], d["label"], d["unit"]] for d in ds.dictionary]
        output.add(ds.dictionary_csv, render.csv_bytes(["字段", "中文名称", "单位"], dictionary))
    newest = max((ds.last_updated for ds in all_sets), default=None)
    output.add(INDEX, render.page(env.get_template("data/index.md.j2"),
        src=INDEX, datasets=all_sets, updated=newest, **common))
