"""The validated model: site settings, regions, columns and records."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import periods
from .kinds import Kind
from .load import Document
from ..urls import page_url, slug, urls

APPROVED = "已通过"


@dataclass
class Region:
    code: str
    name: str
    level: str
    parent: str = ""
    area_code: str = ""  # 长途区号 of landlines there, e.g. 0953; empty: the parent's

    LEVEL_NAMES = {"province": "自治区", "city": "市", "county": "县（区）", "township": "乡（镇）", "village": "村"}


@dataclass
class Column:
    id: str
    name: str
    description: str
    lead_dept: str
    legal_basis: list[str]
    keywords: list[str]
    type: str = "信息公开"
    kinds: list[str] = field(default_factory=list)
    complaint_phone: str = ""    # 监督投诉电话 and 信访通讯地址: the 监督检查 item of the standard directories
    petition_address: str = ""
    legal_history: list[str] = field(default_factory=list)
    # Where its id is written in site.yaml: findings about the whole column point there.
    where: tuple[str, int, int] = ("site_data/site.yaml", 1, 1)

    @property
    def url(self) -> str:
        return page_url(self.src)

    @property
    def src(self) -> str:
        return urls.column(self.id)


@dataclass
class Record:
    kind: Kind
    doc: Document
    data: dict
    column_id: str = ""
    links: dict = field(default_factory=dict)  # e.g. {"interpretations": [Record], "policy": Record}

    @property
    def index_no(self) -> str:
        return self.data["index_no"]

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def slug(self) -> str:
        return slug(self.index_no)

    @property
    def src(self) -> str:
        # An index.md of its own directory, like every generated page: the page's URL and its
        # file's folder are then one place, so a relative link in the raw HTML the templates
        # write means the same to MkDocs (which leaves raw HTML alone) and to Zensical (which
        # rewrites every link as relative to the Markdown file).
        return urls.record(self.column_id, self.kind.id, self.index_no)

    @property
    def url(self) -> str:
        return page_url(self.src)

    @property
    def region_code(self) -> str:
        return self.data["region"]["code"]

    @property
    def region_name(self) -> str:
        return self.data["region"]["name"]

    @property
    def period(self) -> str | None:
        return self.data.get("period")

    @property
    def period_label(self) -> str:
        return periods.label(self.period) if self.period else ""

    @property
    def published(self) -> dt.date:
        return dt.date.fromisoformat(self.data["published"])

    @property
    def written(self) -> dt.date:
        return dt.date.fromisoformat(self.data["written"])

    @property
    def updated(self) -> dt.date:
        """When the content last changed: the later of 发布日期 and 更新日期."""
        if self.data.get("updated"):
            return max(self.published, dt.date.fromisoformat(self.data["updated"]))
        return self.published

    @property
    def approved(self) -> bool:
        return self.data.get("review", {}).get("status") == APPROVED

    @property
    def sample(self) -> bool:
        return bool(self.data.get("sample"))

    def sort_key(self):
        return (periods.sort_key(self.period) if self.period else (self.published, 0),
                self.published, self.index_no)


@dataclass
class Site:
    root: Path
    config: dict
    regions: dict[str, Region]
    columns: dict[str, Column]
    kinds: dict[str, Kind]
    records: list[Record]
    # Addresses outside the site that the built pages link to, by page: written by the
    # post-build link check (checks/link_check.py), read by the build summary (progress.py).
    outside_addresses: dict = field(default_factory=dict)
    # approved_records, kept with the list it was made from: the pages ask for it 185 times a
    # build, which at 10,000 records was 1.9 million reads of Record.approved (cProfile).
    _approved: tuple = field(default=(None, 0, ()), init=False, repr=False, compare=False)

    @property
    def approved_records(self) -> list[Record]:
        """Only approved records are ever published (`Record.published` is a date,
        `site_data/published.tsv` the 索引号 that went live)."""
        source, count, approved = self._approved
        if source is not self.records or count != len(self.records):
            approved = tuple(r for r in self.records if r.approved)
            self._approved = (self.records, len(self.records), approved)
        return list(approved)

    def area_code(self, code: str) -> str:
        """The region's 长途区号: its own, else the nearest ancestor's (a township dials
        its county's code); "" when regions.tsv gives none."""
        seen = set()
        while code and code not in seen:
            seen.add(code)
            region = self.regions.get(code)
            if region is None:
                return ""
            if region.area_code:
                return region.area_code
            code = region.parent
        return ""

    def ancestors(self, code: str) -> list[str]:
        """The region's parents, nearest first (a county: its city, then the province)."""
        out: list[str] = []
        region = self.regions.get(code)
        while region is not None and region.parent and region.parent not in out:
            out.append(region.parent)
            region = self.regions.get(region.parent)
        return out

    def column_records(self, column_id: str) -> list[Record]:
        return [r for r in self.approved_records if r.column_id == column_id]
