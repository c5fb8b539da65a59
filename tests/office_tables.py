"""Office-style tables, written at test time (no binaries in git): the 民政 quarterly table the
way county offices send it, as .xlsx (openpyxl), .xls (xlwt), .ods (odfpy) and GBK .csv.

A table is a list of rows of cell values plus merged ranges (1-based, inclusive). Writers that
cannot merge (CSV) simply leave the covered cells blank, as many offices do anyway.
"""
from __future__ import annotations

import csv
import io

COUNTIES = [  # 吴忠市's five counties: (name, urban, rural, tekun)
    ("利通区", (3210, 1620, 780, 512.5, 493.2), (6120, 2890, 6240, 380.0, 835.6), (412, 125.3)),
    ("红寺堡区", (1580, 790, 780, 498.0, 236.1), (9870, 4410, 6240, 402.5, 1420.7), (355, 98.4)),
    ("盐池县", (2045, 1011, 780, 505.5, 310.2), (5230, 2480, 6240, 371.0, 702.3), (289, 80.6)),
    ("同心县", (2890, 1402, 780, 520.0, 450.9), (12650, 5610, 6240, 410.5, 1860.2), (530, 150.1)),
    ("青铜峡市", (2230, 1098, 780, 490.0, 327.8), (4320, 2050, 6240, 365.5, 568.8), (240, 66.9)),
]
CODES = {"利通区": "640302", "红寺堡区": "640303", "盐池县": "640323", "同心县": "640324", "青铜峡市": "640381"}
SUBS = ["保障人数", "保障户数", "保障标准（元/人·月）", "月人均补助（元）", "资金支出（万元）"]
RURAL_SUBS = ["保障人数", "保障户数", "保障标准（元/人·年）", "月人均补助（元）", "资金支出（万元）"]
TEKUN_SUBS = ["供养人数", "资金支出（万元）"]
WIDTH = 2 + 5 + 5 + 2


def minzheng_table(merged_lead=True, wrong_total=False, total_first=False, rural_standard_unit="元/人·年"):
    """The issue's table: a merged title row, a 填报单位 line, a two-row header with groups
    城市低保/农村低保/特困人员, a 县（市、区） column, five counties, a 合计 row, 制表人 below.
    With merged_lead=False the 序号 and 县（市、区） cells are not merged over the two header
    rows (the cells below are blank)."""
    rows = [["吴忠市2024年第4季度城乡低保和特困人员救助供养情况统计表"] + [None] * (WIDTH - 1),
            ["填报单位：吴忠市民政局", None, None, None, None, None, None, None, None, "单位：人、户、元、万元"]
            + [None] * (WIDTH - 10),
            ["序号", "县（市、区）", "城市低保", None, None, None, None, "农村低保", None, None, None, None,
             "特困人员", None],
            [None, None, *SUBS, *[s.replace("元/人·年", rural_standard_unit) for s in RURAL_SUBS], *TEKUN_SUBS]]
    merged = [(1, 1, 1, WIDTH), (3, 3, 3, 7), (3, 8, 3, 12), (3, 13, 3, 14)]
    if merged_lead:
        merged += [(3, 1, 4, 1), (3, 2, 4, 2)]
    body = []
    for n, (name, u, r, t) in enumerate(COUNTIES, start=1):
        body.append([n, name, *u, *r, *t])
    total = ["合计", None] + [round(sum(row[c] for row in body), 1) if c not in (4, 5, 9, 10) else None
                              for c in range(2, WIDTH)]
    total = [int(v) if isinstance(v, float) and v.is_integer() and c in (2, 3, 7, 8, 12) else v
             for c, v in enumerate(total)]
    if wrong_total:
        total[2] += 100  # 城市低保保障人数 of 合计 off by 100
    rows += ([total] + body) if total_first else (body + [total])
    rows.append(["制表人：马丽", None, None, None, None, "审核人：李强", None, None, None, "填报日期：2025年1月8日"]
                + [None] * (WIDTH - 10))
    return rows, merged


def expected_records():
    """The same figures as hand-written YAML would hold them."""
    out = {}
    for name, u, r, t in COUNTIES:
        keys = ("recipients", "households", "standard", "subsidy_level", "expenditure")
        out[CODES[name]] = {"region": {"code": CODES[name], "name": name}, "period": "2024-Q4",
                            "urban": dict(zip(keys, u)), "rural": dict(zip(keys, r)),
                            "tekun": {"persons": t[0], "expenditure": t[1]}}
    return out


def write_xlsx(path, rows, merged):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in rows:
        ws.append(row)
    for r0, c0, r1, c1 in merged:
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    wb.save(path)


def write_xls(path, rows, merged):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    covered = set()
    for r0, c0, r1, c1 in merged:
        ws.write_merge(r0 - 1, r1 - 1, c0 - 1, c1 - 1, rows[r0 - 1][c0 - 1])
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None and (r, c) not in covered:
                ws.write(r - 1, c - 1, v)
    wb.save(str(path))


def write_ods(path, rows, merged):
    """Merged ranges are written as spanned cells; calamine reads them back as blank cells."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Sheet1")
    starts = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merged}
    covered = {(r, c) for r0, c0, r1, c1 in merged for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
               if (r, c) != (r0, c0)}
    for r, row in enumerate(rows, start=1):
        tr = TableRow()
        for c, v in enumerate(row, start=1):
            if (r, c) in covered:
                tr.addElement(CoveredTableCell())
                continue
            span = {}
            if (r, c) in starts:
                span = {"numberrowsspanned": starts[(r, c)][0], "numbercolumnsspanned": starts[(r, c)][1]}
            if isinstance(v, (int, float)):
                cell = TableCell(valuetype="float", value=v, **span)
            else:
                cell = TableCell(valuetype="string", **span)
            if v is not None:
                cell.addElement(P(text=str(v)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def write_csv_gbk(path, rows, merged=None):
    out = io.StringIO()
    w = csv.writer(out)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    path.write_bytes(out.getvalue().encode("gbk"))


WRITERS = {"xlsx": write_xlsx, "xls": write_xls, "ods": write_ods, "csv": write_csv_gbk}


def write(path, rows, merged):
    WRITERS[path.suffix[1:]](path, rows, merged)
    return path
