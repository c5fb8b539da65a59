"""Tables inside one record, declared as data in `x-kind.tables` (e.g. the three tables of
the 政府信息公开工作年度报告), and the identities their figures must satisfy.

A table declaration names where its cells live (`path`: data[path][row][column]), its
rows and columns with the labels of the official form, and the identities its figures
must satisfy (`checks`). Each check says that, in every row (`"across": "columns"`) or
in every column (`"across": "rows"`), the sum of the `total` cells equals the sum of
the `parts` cells.

Typed totals are checked, not derived: offices copy their figures from a signed paper
report, so a total computed here would silently hide a mistyped part (the page would
show a total that differs from the signed one). Each mismatch is reported at the total's
cell, `file:line:col`, with both numbers. pages/record_tables.py publishes the tables
beside the record page as CSV files.
"""
from __future__ import annotations

from ..problems import Problem


def declared(kind) -> list[dict]:
    tables = kind.tables or []
    return tables if isinstance(tables, list) else []


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _names(keys: list[str], labels: dict) -> str:
    names = [f"“{labels.get(k, k)}”" for k in keys]
    if len(names) > 3:
        return f"{names[0]}至{names[-1]}各项"
    return "加".join(names)


def cell(data, table: dict, row: str, col: str):
    value = (data.get(table["path"]) or {}).get(row)
    return value.get(col) if isinstance(value, dict) else None


def shape_problems(kind) -> list[Problem]:
    """A check naming a row or column the table does not have is a developer's mistake:
    it would silently check nothing."""
    out = []
    for table in declared(kind):
        rows = {r["key"] for r in table.get("rows", [])}
        cols = {c["key"] for c in table.get("columns", [])}
        for check in table.get("checks", []):
            keys = rows if check.get("across") == "rows" else cols
            unknown = [k for k in check.get("total", []) + check.get("parts", []) if k not in keys]
            if check.get("across") not in ("rows", "columns") or unknown:
                out.append(Problem(f"schemas/{kind.id}.schema.json", 1, 1,
                                   f"x-kind.tables 中表“{table.get('title')}”的核对规则“{check.get('name')}”无效："
                                   f"across 应为 rows 或 columns，行和列要用表中已有的代号（未知：{'、'.join(unknown)}）。"))
    return out


def check_record(record) -> list[Problem]:
    out = []
    for table in declared(record.kind):
        rows = [r["key"] for r in table.get("rows", [])]
        cols = [c["key"] for c in table.get("columns", [])]
        row_labels = {r["key"]: r["label"] for r in table.get("rows", [])}
        col_labels = {c["key"]: c["label"] for c in table.get("columns", [])}
        head = f"“{table['number']}、{table['title']}”表" if table.get("number") else f"“{table['title']}”表"
        for check in table.get("checks", []):
            by_row = check["across"] == "columns"
            lines = rows if by_row else cols
            labels = col_labels if by_row else row_labels
            for line in lines:
                def cells(keys):
                    return [cell(record.data, table, line, k) if by_row else cell(record.data, table, k, line)
                            for k in keys]
                total, parts = cells(check["total"]), cells(check["parts"])
                if any(not isinstance(v, (int, float)) for v in total + parts):
                    continue  # an absent cell: the schema already reported it, or the row has no such column
                a, b = sum(total), sum(parts)
                if abs(a - b) < 1e-9:
                    continue
                first = check["total"][0]
                path = (table["path"], line, first) if by_row else (table["path"], first, line)
                where = f"“{row_labels[line]}”一行" if by_row else f"“{col_labels[line]}”一列"
                note = f"（{check['note']}）" if check.get("note") else ""
                line_no, col_no = record.doc.where(path)
                out.append(Problem(
                    record.doc.rel, line_no, col_no,
                    f"{head}{where}：{_names(check['total'], labels)}是 {_number(a)}，"
                    f"{_names(check['parts'], labels)}相加是 {_number(b)}，两者应相等{note}。"
                    f"请对照已签发的年度报告逐项核对，改正抄错的数字；合计数不会自动计算。"))
    return out


def problems(records) -> list[Problem]:
    out = []
    kinds = {}
    for r in records:
        kinds.setdefault(r.kind.id, r.kind)
        out += r.doc.remembered("table_totals", None, lambda: check_record(r))
    for kind in kinds.values():
        out += shape_problems(kind)
    return out
