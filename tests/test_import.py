"""`import`: office spreadsheets (made here with openpyxl / csv) → the same records as the sample YAML."""
import csv
import datetime as dt
import io

import yaml
from conftest import run_cli, run_cli_in_process
from openpyxl import Workbook

DIBAO = "dibao_stats"
GROUPS = [  # (group title over the columns, [(header, key)])
    ("城市低保", "urban", [("对象人数（人）", "recipients"), ("对象户数（户）", "households"),
                         ("低保标准（元/人·月）", "standard"), ("补助水平（元/人·月）", "subsidy_level"),
                         ("资金支出（万元）", "expenditure")]),
    ("农村低保", "rural", [("对象人数（人）", "recipients"), ("对象户数（户）", "households"),
                         ("低保标准（元/人·年）", "standard"), ("补助水平（元/人·月）", "subsidy_level"),
                         ("资金支出（万元）", "expenditure")]),
    ("特困人员", "tekun", [("特困人员人数（人）", "persons"), ("基本生活标准（元/人·年）", "standard"),
                         ("供养资金支出（万元）", "expenditure")]),
]
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def records(project, kind, pattern="*.yaml"):
    paths = sorted((project / "site_data" / kind).glob(pattern))
    return {p.name: yaml.safe_load(p.read_text("utf-8")) for p in paths}


def remove(project, kind, pattern):
    """Take sample records out, as if the office had not published them yet: their
    索引号 leave the published manifest too, or the build would refuse to drop them."""
    taken = records(project, kind, pattern)
    (project / "site_data/published.tsv").unlink(missing_ok=True)
    for name in taken:
        (project / "site_data" / kind / name).unlink()
    return taken


def tree(project):
    return sorted(p.relative_to(project).as_posix() for p in (project / "site_data").rglob("*"))


def as_text_number(value, style):
    """Numbers the way they arrive from offices: thousands separators, full-width digits, real numbers."""
    if style == 0:
        return f"{value:,}"
    if style == 1:
        return str(value).translate(FULL_WIDTH)
    return value


def dibao_workbook(path, recs, mutate=None):
    """Merged title row, two-level header (merged group cells), one row per region, 合计 and a note."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    lead = [("序号", None), ("地区", ("region", "name")), ("行政区划代码", ("region", "code")),
            ("索引号", ("index_no",)), ("标题", ("title",)), ("发布日期", ("published",)),
            ("成文日期", ("written",)), ("审查人", ("review", "reviewer")), ("审查日期", ("review", "date")),
            ("审查结果", ("review", "status"))]
    width = len(lead) + sum(len(cols) for _, _, cols in GROUPS)
    ws.append(["宁夏回族自治区2026年第3季度城乡低保和特困人员统计表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(["填报单位：各县（区）民政局"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    top, sub, paths = [], [], []
    for header, p in lead:
        top.append(header)
        sub.append(None)
        paths.append(p)
    for group, key, cols in GROUPS:
        for i, (header, field) in enumerate(cols):
            top.append(group if i == 0 else None)
            sub.append(header)
            paths.append((key, field))
    ws.append(top)
    ws.append(sub)
    for c in range(1, len(lead) + 1):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    c = len(lead) + 1
    for _, _, cols in GROUPS:
        ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=c + len(cols) - 1)
        c += len(cols)
    cells = {}
    for n, rec in enumerate(recs, start=1):
        row = []
        for i, p in enumerate(paths):
            if p is None:
                row.append(n)
                continue
            value = rec
            for part in p:
                value = value.get(part) if isinstance(value, dict) else None
            if p == ("published",):
                value = dt.datetime.fromisoformat(value)  # a real Excel date
            elif p == ("written",):
                y, m, d = value.split("-")
                value = f"{y}年{int(m)}月{int(d)}日"
            elif isinstance(value, (int, float)):
                value = as_text_number(value, (n + i) % 3)
            row.append(value)
        ws.append(row)
        cells[rec["region"]["code"]] = (ws.max_row, {p: i + 1 for i, p in enumerate(paths)})
    # A true 合计 (checked against the rows, never imported) of 城市低保对象人数.
    ws.append(["合计", None, None, None, None, None, None, None, None, None,
               sum(rec["urban"]["recipients"] for rec in recs)])
    ws.append(["注：本表数据为示例。"])
    if mutate:
        mutate(ws, cells)
    wb.save(path)
    return cells


ALWAYS = ["--set", "validity=有效", "--set", "sample=true"]


def test_xlsx_with_title_rows_two_level_header_and_totals_round_trips(project):
    originals = remove(project, DIBAO, "2026-Q3-*.yaml")
    assert len(originals) >= 10
    dibao_workbook(project / "低保.xlsx", list(originals.values()))
    # A real process (exit code, output); the other runs in this file go in this process.
    result = run_cli(project, "import", "低保.xlsx", "--kind", DIBAO, "--period", "2026-Q3", *ALWAYS)
    assert result.returncode == 0, result.stderr
    imported = records(project, DIBAO, "2026-Q3-*.yaml")
    assert sorted(imported) == sorted(originals)
    for name, original in originals.items():
        # summary and keywords are not columns of this table; everything else must come back as it was
        expected = {k: v for k, v in original.items() if k not in ("summary", "keywords")}
        assert imported[name] == expected, name
    assert run_cli_in_process(project, "validate").returncode == 0


def test_gbk_csv_one_row_per_item_round_trips(project):
    kind = "subsidy_program"
    originals = remove(project, kind, "*.yaml")
    columns = [("索引号", "index_no"), ("标题", "title"), ("发布机构", "publisher"), ("牵头部门", "lead_dept"),
               ("行政区划代码", "region.code"), ("发布日期", "published"), ("成文日期", "written"),
               ("有效性", "validity"), ("主题分类", "topic"), ("配合部门", "coop_depts"), ("关键词", "keywords"),
               ("保密审查 审查人", "review.reviewer"), ("审查日期", "review.date"), ("审查结果", "review.status"),
               ("示例数据", "sample"), ("补贴名称", "program"), ("适用人群", "groups"), ("申领条件", "conditions"),
               ("申领程序", "procedure"), ("申请材料", "materials"), ("补贴标准", "standard"),
               ("补贴金额（元）", "amount"), ("办理地点", "where"), ("办理时间", "when"), ("咨询电话", "contact_phone")]
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["就业创业补贴项目一览表"])
    w.writerow([h for h, _ in columns])
    for rec in originals.values():
        row = []
        for _, key in columns:
            value = rec
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if key == "published":
                value = value.replace("-", "/")
            elif key == "groups":
                value = "、".join(value)
            elif key == "procedure":
                value = "\n".join(f"{i}. {step}" for i, step in enumerate(value, start=1))
            elif isinstance(value, list):
                value = "\n".join(value)
            elif key == "sample":
                value = "是" if value else "否"
            elif key == "amount" and value is not None:
                value = f"{value:,}"
            row.append("" if value is None else value)
        w.writerow(row)
    w.writerow(["合计", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "15,000"])
    (project / "补贴.csv").write_bytes(out.getvalue().encode("gbk"))
    before = tree(project)
    result = run_cli_in_process(project, "import", "补贴.csv", "--kind", kind)
    assert result.returncode == 0, result.stderr
    imported = records(project, kind)
    assert len(imported) == len(originals) and len(tree(project)) == len(before) + len(originals)
    by_index = {d["index_no"]: d for d in imported.values()}
    for original in originals.values():
        assert by_index[original["index_no"]] == original
    assert run_cli_in_process(project, "validate").returncode == 0


def test_utf8_bom_csv_with_flat_headers_and_region_names_only(project):
    originals = remove(project, DIBAO, "2026-Q2-*.yaml")
    some = list(originals.values())[:5]
    headers = ["地区"] + [f"{group}{h}" for group, _, cols in GROUPS[:2]
                         for h, _ in cols] + [h for h, _ in GROUPS[2][2]]
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(headers)
    for rec in some:
        row = [rec["region"]["name"]]
        for _, key, cols in GROUPS:
            row += [rec[key].get(field, "") for _, field in cols]
        w.writerow(row)
    (project / "低保二季度.csv").write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    result = run_cli_in_process(project, "import", "低保二季度.csv", "--kind", DIBAO, "--period", "2026-Q2",
                     "--set", "published=2026-07-10", "--set", "written=2026-07-08", "--set", "有效性=有效",
                     "--set", "审查人=张明", "--set", "审查日期=2026-07-09", "--set", "审查结果=待审核", *ALWAYS[2:])
    assert result.returncode == 0, result.stderr
    imported = records(project, DIBAO, "2026-Q2-*.yaml")
    assert len(imported) == len(some)
    for rec in some:
        got = imported[f"2026-Q2-{rec['region']['code']}.yaml"]
        assert got["region"] == rec["region"]  # code found from the name in regions.tsv
        for _, key, _ in GROUPS:
            assert got[key] == rec[key]
        assert got["publisher"] == rec["publisher"]  # carried over from the region's latest record
        assert got["review"] == {"reviewer": "张明", "date": "2026-07-09", "status": "待审核"}
    assert run_cli_in_process(project, "validate").returncode == 0


def test_broken_spreadsheet_reports_each_cell_and_writes_nothing(project):
    originals = remove(project, DIBAO, "2026-Q3-*.yaml")
    recs = list(originals.values())
    other_index = next(iter(records(project, DIBAO, "2026-Q2-*.yaml").values()))["index_no"]
    expected = {}

    def break_it(ws, cells):
        from openpyxl.utils import get_column_letter as L

        codes = list(cells)
        r0, cols = cells[codes[0]]
        ws.cell(r0, cols[("urban", "standard")], "780元")
        expected[f"{L(cols[('urban', 'standard')])}{r0}"] = "只填数字"
        r1, _ = cells[codes[1]]
        ws.cell(r1, cols[("rural", "expenditure")], -12.5)
        expected[f"{L(cols[('rural', 'expenditure')])}{r1}"] = "不能小于 0"
        r2, _ = cells[codes[2]]
        ws.cell(r2, cols[("region", "code")]).value = None
        ws.cell(r2, cols[("region", "name")], "不存在县")
        expected[f"{L(cols[('region', 'name')])}{r2}"] = "不在 site_data/regions.tsv 中"
        r3, _ = cells[codes[3]]
        ws.cell(r3, cols[("index_no",)], other_index)
        expected[f"{L(cols[('index_no',)])}{r3}"] = "已被"
        r4, _ = cells[codes[4]]
        ws.cell(r4, cols[("review", "date")], "2026-13-45")
        expected[f"{L(cols[('review', 'date')])}{r4}"] = "不是有效的日期"
        r5, _ = cells[codes[5]]
        ws.cell(r5, cols[("tekun", "persons")], "12.5")
        expected[f"{L(cols[('tekun', 'persons')])}{r5}"] = "应为整数"
        r6, _ = cells[codes[6]]
        ws.cell(r6, cols[("urban", "expenditure")], "=1+1")  # saved by a program: no computed value
        expected[f"{L(cols[('urban', 'expenditure')])}{r6}"] = "公式"
        extra = ws.max_column + 1
        ws.cell(4, extra, "城市低保人口")
        expected[f"{L(extra)}4"] = "对应不上"

    dibao_workbook(project / "低保.xlsx", recs, break_it)
    before = tree(project)
    result = run_cli_in_process(project, "import", "低保.xlsx", "--kind", DIBAO, "--period", "2026-Q3", *ALWAYS)
    assert result.returncode == 1
    assert "没有写入任何记录文件" in result.stderr and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    for cell, message in expected.items():
        hits = [l for l in lines if l.startswith(f"低保.xlsx:Sheet1!{cell}: ")]
        assert hits and any(message in l for l in hits), (cell, message, result.stderr)
    # No record written; the one header nobody could place went to the draft mapping, with a proposal.
    draft = project / "site_data/_import" / f"{DIBAO}.yaml"
    assert tree(project) == sorted(before + ["site_data/_import", f"site_data/_import/{DIBAO}.yaml"])
    assert "城市低保人口:" in draft.read_text("utf-8") and "urban.recipients" in draft.read_text("utf-8")


def test_gbk_csv_problem_names_the_sheet_after_the_file_and_existing_files_are_not_overwritten(project):
    originals = records(project, DIBAO, "2026-Q3-*.yaml")
    rec = next(iter(originals.values()))
    header = "地区,城市低保对象人数,城市低保低保标准,城市低保补助水平,城市低保资金支出," \
             "农村低保对象人数,农村低保低保标准,农村低保补助水平,农村低保资金支出,特困人员人数,供养资金支出"
    row = ",".join([rec["region"]["name"], "1２3", "八百", "1", "1", "1", "1", "1", "1", "1", "1"])
    (project / "低保错.csv").write_bytes(f"{header}\n{row}\n".encode("gbk"))
    before = tree(project)
    result = run_cli_in_process(project, "import", "低保错.csv", "--kind", DIBAO, "--period", "2026-Q3",
                     "--set", "published=2026-10-12", "--set", "written=2026-10-09", "--set", "validity=有效",
                     "--set", "review.reviewer=张明", "--set", "review.date=2026-10-11", "--set", "review.status=待审核")
    assert result.returncode == 1
    assert "低保错.csv:低保错!C2: " in result.stderr and "不是数字" in result.stderr
    assert tree(project) == before

    # Correct numbers, but the file for this region and period is already there: refused, not replaced.
    target = project / "site_data" / DIBAO / f"2026-Q3-{rec['region']['code']}.yaml"
    content = target.read_bytes()
    (project / "低保错.csv").write_bytes(f"{header}\n{row.replace('八百', '800')}\n".encode("gbk"))
    result = run_cli_in_process(project, "import", "低保错.csv", "--kind", DIBAO, "--period", "2026-Q3",
                     "--set", "published=2026-10-12", "--set", "written=2026-10-09", "--set", "validity=有效",
                     "--set", "review.reviewer=张明", "--set", "review.date=2026-10-11", "--set", "review.status=待审核")
    assert result.returncode == 1
    rel = f"site_data/{DIBAO}/{target.name}"
    assert f"低保错.csv:低保错!A2: 本次导入的这一行与已有记录重复：{rel} 已经是" in result.stderr, result.stderr
    assert "--replace" in result.stderr and "站点中已有的其他文件" not in result.stderr
    assert target.read_bytes() == content and tree(project) == before

    # --replace overwrites it, keeps its 索引号 and what the table does not say, and says what changed.
    # (With 待审核 the published record would vanish from the site: named as the import's own problem.)
    result = run_cli_in_process(project, "import", "低保错.csv", "--kind", DIBAO, "--period", "2026-Q3", "--replace",
                     "--set", "review.status=待审核")
    assert result.returncode == 1 and "site_data/published.tsv" in result.stderr
    assert "由本次导入引起：" in result.stderr and "不能删除或更换" in result.stderr
    result = run_cli_in_process(project, "import", "低保错.csv", "--kind", DIBAO, "--period", "2026-Q3", "--replace")
    assert result.returncode == 0, result.stderr
    assert f"已覆盖 {rel}（--replace）：" in result.stdout and "→ 123" in result.stdout, result.stdout
    after = yaml.safe_load(target.read_text("utf-8"))
    assert after["index_no"] == rec["index_no"] and after["urban"]["recipients"] == 123
    assert after["summary"] == rec["summary"] and tree(project) == before


def test_sheet_option_and_output_directory(project):
    originals = remove(project, DIBAO, "2026-Q3-*.yaml")
    recs = list(originals.values())[:3]
    dibao_workbook(project / "two.xlsx", recs)
    from openpyxl import load_workbook

    wb = load_workbook(project / "two.xlsx")
    wb["Sheet1"].title = "三季度"
    wb.create_sheet("封面", 0)["A1"] = "封面：本工作簿第二个工作表是数据"
    wb.save(project / "two.xlsx")
    before = tree(project)

    result = run_cli_in_process(project, "import", "two.xlsx", "--kind", DIBAO, "--sheet", "四季度", *ALWAYS)
    assert result.returncode == 1 and "没有名为“四季度”的工作表" in result.stderr and "三季度" in result.stderr
    result = run_cli_in_process(project, "import", "two.xlsx", "--kind", DIBAO, "--period", "2026-Q3", *ALWAYS)
    assert result.returncode == 1 and "two.xlsx:封面!A1" in result.stderr and "找不到表头" in result.stderr

    result = run_cli_in_process(project, "import", "two.xlsx", "--kind", DIBAO, "--sheet", "三季度", "--period", "2026-Q3",
                     "--out", "待审", *ALWAYS)
    assert result.returncode == 0, result.stderr
    assert tree(project) == before  # site_data untouched: the files went to --out
    written = sorted((project / "待审").glob("*.yaml"))
    assert [p.name for p in written] == sorted(f"2026-Q3-{r['region']['code']}.yaml" for r in recs)


GONGSHI = {  # a kind whose record is a list: one row of the table per item
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "临时救助公示",
    "x-kind": {"name": "临时救助公示", "column": "relief", "period": True},
    "properties": {
        "period": {"title": "统计期", "type": "string", "pattern": "^[0-9]{4}(-Q[1-4]|-H[12]|-(0[1-9]|1[0-2]))?$"},
        "days": {"title": "公示天数（天）", "type": "integer", "minimum": 5},
        "items": {"title": "救助对象", "type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "amount"], "additionalProperties": False,
            "properties": {"name": {"title": "姓名", "type": "string", "minLength": 2},
                           "village": {"title": "所在村", "type": "string"},
                           "amount": {"title": "救助金额（元）", "type": "number", "minimum": 0}}}},
    },
    "required": ["period", "days", "items"],
}
META = ["--set", "published=2025-08-05", "--set", "written=2025-08-01", "--set", "validity=有效",
        "--set", "review.reviewer=张明", "--set", "review.date=2025-08-04", "--set", "review.status=待审核",
        "--set", "公示天数=7", "--set", "发布机构=同心县民政局", "--set", "牵头部门=同心县民政局",
        "--set", "主题分类=民政、扶贫、救灾"]


def gongshi_sheet(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "公示"
    ws.append(["同心县2025年7月临时救助对象公示"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "姓名", "所在村", "救助金额（元）"])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    ws.append(["合计", None, None, "=SUM(D3:D5)"])
    wb.save(path)


def test_one_row_per_item_fills_the_list_of_one_record(project):
    import json

    (project / "schemas" / "linshi_gongshi.schema.json").write_text(json.dumps(GONGSHI, ensure_ascii=False),
                                                                    encoding="utf-8")
    gongshi_sheet(project / "公示.xlsx", [("王某某", "红城村", "1,500"), ("李某某", "新庄村", 800),
                                          ("马某某", None, "１２００")])
    result = run_cli_in_process(project, "import", "公示.xlsx", "--kind", "linshi_gongshi", "--region", "640324",
                     "--period", "2025-07", *META)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((project / "site_data" / "linshi_gongshi" / "2025-07-640324.yaml").read_text("utf-8"))
    assert data["items"] == [{"name": "王某某", "village": "红城村", "amount": 1500},
                             {"name": "李某某", "village": "新庄村", "amount": 800},
                             {"name": "马某某", "amount": 1200}]
    assert data["days"] == 7 and data["region"] == {"code": "640324", "name": "同心县"}
    assert data["title"] == "同心县2025年7月临时救助公示"

    gongshi_sheet(project / "公示错.xlsx", [("王某某", "红城村", "一千"), (None, "新庄村", 800),
                                            ("马某某", None, -5)])
    before = tree(project)
    result = run_cli_in_process(project, "import", "公示错.xlsx", "--kind", "linshi_gongshi", "--region", "640324",
                     "--period", "2025-06", *META)
    assert result.returncode == 1
    assert "公示错.xlsx:公示!D3: “救助金额”：“一千”不是数字" in result.stderr, result.stderr
    assert "公示错.xlsx:公示!B4: “姓名”是必填项" in result.stderr
    assert tree(project) == before
    # The schema check on the record (minimum 0) is reported at the item's cell too.
    gongshi_sheet(project / "公示错.xlsx", [("王某某", "红城村", 100), ("马某某", None, -5)])
    result = run_cli_in_process(project, "import", "公示错.xlsx", "--kind", "linshi_gongshi", "--region", "640324",
                     "--period", "2025-06", *META)
    assert result.returncode == 1 and "公示错.xlsx:公示!D4: " in result.stderr and "不能小于 0" in result.stderr
    assert tree(project) == before
