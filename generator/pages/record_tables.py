"""The tables inside a record (`x-kind.tables`, checked by model/table_totals.py) published
beside the record page as CSV files (UTF-8 with BOM, as every download of the site).
"""
from __future__ import annotations

from ..model.table_totals import cell, declared
from .render import LazyFile, csv_bytes
from ..urls import urls


def csv_src(record, table: dict) -> str:
    """Where a record's table is published: beside its page (…/<slug>/<table id>.csv)."""
    return urls.record_table(record.src, table["id"])


def csv_rows(record, table: dict) -> tuple[list[str], list[list]]:
    header = ["项目"] + [f"{c['group']}：{c['label']}" if c.get("group") else c["label"] for c in table["columns"]]
    rows = []
    for row in table["rows"]:
        label = " / ".join(x for x in (row.get("section"), row.get("group"), row["label"]) if x)
        rows.append([label] + [cell(record.data, table, row["key"], c["key"]) for c in table["columns"]])
    return header, rows


def table_csv(record, kind, table: str) -> bytes:
    """The CSV of `record`'s table with this id (`kind`'s: its schema is in the render cache's
    shared key, so a LazyFile is keyed by the kind's id and the record alone)."""
    return csv_bytes(*csv_rows(record, next(t for t in declared(kind) if t["id"] == table)))


def table_files(site, output, env):
    # Made at write and kept by the render cache (render.LazyFile): a push writes again only the
    # tables of the records it changed (making all 3,778 of the 10,000-record corpus: 0.3 s).
    for record in site.approved_records:
        for table in declared(record.kind):
            output.add(csv_src(record, table), LazyFile(table_csv, record=record, kind=record.kind, table=table["id"]))
