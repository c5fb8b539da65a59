"""`import` on the tables county offices really send (tests/office_tables.py writes them at test time):
the 民政 quarterly table of issue 21 as .xlsx, .xls, .ods and GBK .csv, merged and blank header cells,
group headers, units in brackets, 合计 rows right and wrong, a mapping remembered."""
import pytest
import yaml
from conftest import run_cli, run_cli_in_process

import office_tables as ot

DIBAO = "dibao_stats"
META = ["--period", "2024-Q4", "--set", "published=2025-01-10", "--set", "written=2025-01-08",
        "--set", "validity=有效", "--set", "审查人=张明", "--set", "审查日期=2025-01-09",
        "--set", "审查结果=待审核", "--set", "sample=true"]


def imported(project):
    paths = sorted((project / "site_data" / DIBAO).glob("2024-Q4-*.yaml"))
    return {p.stem.rsplit("-", 1)[-1]: yaml.safe_load(p.read_text("utf-8")) for p in paths}


def same_figures(project):
    got = imported(project)
    want = ot.expected_records()
    assert sorted(got) == sorted(want)
    for code, rec in want.items():
        for key in rec:
            assert got[code][key] == rec[key], (code, key)


@pytest.mark.parametrize("fmt,merged_lead", [("xlsx", False), ("xls", True), ("ods", True), ("csv", False)])
def test_the_issue_21_minzheng_table_imports_in_every_format(project, fmt, merged_lead):
    """Merged title row, 填报单位 line, two-row header (城市低保/农村低保/特困人员 over 保障人数 …),
    县（市、区）, five counties, 合计 row, 制表人 line: imported as five records equal to hand-written YAML."""
    rows, merged = ot.minzheng_table(merged_lead=merged_lead)
    path = ot.write(project / f"民政季报.{fmt}", rows, merged)
    # One format as a real process (exit code, output); the others in this process, alike.
    run = run_cli if fmt == "xlsx" else run_cli_in_process
    result = run(project, "import", path.name, "--kind", DIBAO, *META)
    assert result.returncode == 0, result.stderr
    same_figures(project)
    assert "合计" in result.stderr and "已与所合计的各行核对，不作为记录导入" in result.stderr
    if fmt == "xls":  # the records pass `validate` too (once: import already validated them in staging)
        assert run_cli_in_process(project, "validate").returncode == 0


def test_a_wrong_total_is_refused_with_both_figures_and_a_total_first_table_is_read(project):
    rows, merged = ot.minzheng_table(wrong_total=True, total_first=True)
    ot.write(project / "季报.xlsx", rows, merged)
    result = run_cli_in_process(project, "import", "季报.xlsx", "--kind", DIBAO, *META)
    assert result.returncode == 1
    want = sum(u[0] for _, u, _, _ in ot.COUNTIES)
    assert (f"季报.xlsx:Sheet1!C5: 合计行的“城市低保对象人数”是 {want + 100}，但其上各地区（5 行）相加是 {want}。"
            in result.stderr), result.stderr
    assert "没有写入任何记录文件" in result.stderr and imported(project) == {}


def test_a_unit_that_disagrees_with_the_field_is_refused(project):
    rows, merged = ot.minzheng_table(rural_standard_unit="元/人·月")
    ot.write(project / "季报.xlsx", rows, merged)
    result = run_cli_in_process(project, "import", "季报.xlsx", "--kind", DIBAO, *META)
    assert result.returncode == 1
    assert ("季报.xlsx:Sheet1!J4: 表头“农村低保/保障标准（元/人·月）”的单位是“元/人·月”，"
            "但“农村低保标准”以“元/人·年”为单位。") in result.stderr, result.stderr


def test_an_unknown_header_is_proposed_then_remembered_in_the_mapping_file(project):
    rows, merged = ot.minzheng_table()
    rows[3][2] = "在册人口"      # 城市低保/在册人口: not a name of any field
    rows[3][7] = "保障人口数"    # 农村低保/保障人口数: close to 保障人数
    rows[2].append("增减原因")
    ot.write(project / "季报.xlsx", rows, merged)
    result = run_cli_in_process(project, "import", "季报.xlsx", "--kind", DIBAO, *META)
    assert result.returncode == 1
    assert "季报.xlsx:Sheet1!H4: 表头“农村低保/保障人口数”对应不上" in result.stderr
    assert "您是不是指“农村低保对象人数”（rural.recipients）" in result.stderr, result.stderr
    assert "--map 农村低保/保障人口数=rural.recipients" in result.stderr
    draft = project / "site_data/_import/dibao_stats.yaml"
    text = draft.read_text("utf-8")
    assert "城市低保/在册人口:" in text and "农村低保/保障人口数:" in text and "增减原因:" in text
    assert imported(project) == {}
    # An unfilled draft is a valid file: validate does not take it for a record.
    assert run_cli_in_process(project, "validate").returncode == 0

    # Importing again before filling it says so, and adds nothing to the draft.
    result = run_cli_in_process(project, "import", "季报.xlsx", "--kind", DIBAO, *META)
    assert result.returncode == 1 and "映射文件 site_data/_import/dibao_stats.yaml 里这一列的冒号后面还空着" in result.stderr
    assert draft.read_text("utf-8") == text

    # The editor fills the draft once; a wrong field name is reported at its line.
    draft.write_text(text.replace("城市低保/在册人口:", "城市低保/在册人口: urban.people"), "utf-8")
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1 and "site_data/_import/dibao_stats.yaml:" in result.stdout + result.stderr
    assert "“urban.people”不是“城乡低保和特困人员统计”的字段" in result.stdout + result.stderr
    draft.write_text(text.replace("城市低保/在册人口:", "城市低保/在册人口: urban.recipients")
                     .replace("农村低保/保障人口数:", "农村低保/保障人口数: 农村低保对象人数")
                     .replace("增减原因:", "增减原因: 忽略"), "utf-8")
    assert run_cli_in_process(project, "validate").returncode == 0
    result = run_cli_in_process(project, "import", "季报.xlsx", "--kind", DIBAO, *META)
    assert result.returncode == 0, result.stderr
    same_figures(project)


def test_map_option_and_an_ambiguous_sub_header(project):
    rows, merged = ot.minzheng_table()
    rows[2][2:7] = [None] * 5   # 城市低保 group header missing: 保障人数 alone could be three fields
    merged = [m for m in merged if m[:2] != (3, 3)]
    ot.write(project / "季报.xlsx", rows, merged)
    result = run_cli_in_process(project, "import", "季报.xlsx", "--kind", DIBAO, *META)
    assert result.returncode == 1
    assert "季报.xlsx:Sheet1!C4: 表头“保障人数”可以指多个字段" in result.stderr, result.stderr
    maps = ["--map", "保障人数=urban.recipients", "--map", "保障户数=urban.households",
            "--map", "保障标准=urban.standard", "--map", "月人均补助=urban.subsidy_level",
            "--map", "资金支出=urban.expenditure"]
    result = run_cli_in_process(project, "import", "季报.xlsx", "--kind", DIBAO, *META, *maps)
    assert result.returncode == 0, result.stderr
    same_figures(project)


def test_city_rows_over_their_counties_are_totals_and_city_level_rows_are_records(project):
    rows, merged = ot.minzheng_table()
    body = rows[4:9]
    city = ["", "吴忠市"] + [sum(r[c] for r in body) if c in (2, 3, 6, 7, 8, 11, 12, 13) else None
                            for c in range(2, ot.WIDTH)]
    city[6] = round(city[6], 1); city[11] = round(city[11], 1); city[13] = round(city[13], 1)
    city[12] += 1  # 特困人员供养人数 of 吴忠市 one more than its counties
    rows.insert(4, city)
    ot.write(project / "季报.xlsx", rows, merged)
    result = run_cli_in_process(project, "import", "季报.xlsx", "--kind", DIBAO, *META)
    assert result.returncode == 1
    assert "季报.xlsx:Sheet1!M5: 吴忠市行的“特困人员人数”" in result.stderr, result.stderr
    assert "但吴忠市所辖各县（市、区）（5 行）相加是" in result.stderr


def test_wps_et_is_named_with_how_to_save_as_xlsx(project):
    (project / "季报.et").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run_cli_in_process(project, "import", "季报.et", "--kind", DIBAO, *META)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "WPS 表格自己的格式（.et）" in result.stderr and "Excel 工作簿（*.xlsx）" in result.stderr


def test_every_unit_is_declared_once_and_titles_and_datasets_agree(project):
    from pathlib import Path

    from generator.editor.fields import unit_conflicts, walk
    from generator.model.kinds import load_kinds

    kinds, _ = load_kinds(Path(__file__).resolve().parent.parent)
    assert [c for k in kinds.values() for c in unit_conflicts(k)] == []
    dibao = {f.key: f.unit for f in walk(kinds[DIBAO])}
    assert dibao["urban.standard"] == "元/人·月" and dibao["rural.standard"] == "元/人·年"
    # The check can fail: a title that says 元 for a field declared in 万元.
    kind = kinds["temp_aid_stats"]
    kind.schema["properties"]["expenditure"]["title"] = "资金支出（元）"
    assert unit_conflicts(kind) == ["temp_aid_stats: expenditure: title says '元', x-unit says '万元'"]


def test_every_kind_with_a_table_has_office_aliases():
    from pathlib import Path

    from generator.editor.fields import aliases, walk
    from generator.model.kinds import load_kinds

    kinds, _ = load_kinds(Path(__file__).resolve().parent.parent)
    for kind_id in ("dibao_stats", "medical_aid_stats", "temp_aid_stats", "affordable_housing",
                    "rural_housing_result", "school_directory", "school_zoning"):
        assert any(aliases(f.node) for f in walk(kinds[kind_id])), kind_id


def test_the_guide_shows_a_real_table_before_and_the_record_after(project):
    """The 编辑指南's office table, typed into a spreadsheet cell by cell, imports to the YAML the
    guide shows; its mapping-file example is a valid mapping."""
    import re

    from conftest import ROOT

    guide = (ROOT / "content/guide/editors.md").read_text("utf-8")
    lines = [l for l in guide.splitlines() if re.match(r"^\| [0-9]+ \|", l)]
    assert len(lines) == 11
    rows = []
    for line in lines:
        cells = [c.strip() for c in line.strip("|").split("|")][1:]
        rows.append([float(c) if re.fullmatch(r"[0-9]+\.[0-9]+", c) else int(c) if c.isdigit() else (c or None)
                     for c in cells])
    ot.write_xlsx(project / "指南.xlsx", rows, [(1, 1, 1, ot.WIDTH)])
    result = run_cli_in_process(project, "import", "指南.xlsx", "--kind", DIBAO, *META)
    assert result.returncode == 0, result.stderr
    after = guide.split("2024-Q4-640302.yaml`", 1)[1].split("    period:", 1)[1].split("\n\n", 1)[0]
    shown = yaml.safe_load("period:" + re.sub(r"(?m)^    ", "", after))
    got = imported(project)["640302"]
    assert {k: got[k] for k in shown} == shown
    mapping = guide.split("# 导入“城乡低保和特困人员统计”", 1)[1].split("\n\n", 1)[0]
    (project / "site_data/_import").mkdir(parents=True, exist_ok=True)
    (project / "site_data/_import/dibao_stats.yaml").write_text(
        re.sub(r"(?m)^    ", "", "#" + mapping), "utf-8")
    assert run_cli_in_process(project, "validate").returncode == 0


def test_a_three_row_header_with_blank_cells_in_ods(project):
    """城乡低保 over 城市低保 | 农村低保 over the sub-headers, 特困人员 over two rows, nothing merged
    (what an .ods read by calamine looks like anyway), and a 甲 乙 1 2 3 … row under the header."""
    rows, _ = ot.minzheng_table(merged_lead=False)
    top = ["序号", "县（市、区）", "城乡低保"] + [None] * 9 + ["特困人员", None]
    middle = [None, None, "城市低保", None, None, None, None, "农村低保", None, None, None, None, None, None]
    numbers = ["甲", "乙", *range(1, ot.WIDTH - 1)]  # the column numbers statistical tables carry
    rows[2:4] = [top, middle, rows[3], numbers]
    ot.write(project / "季报.ods", rows, [])
    result = run_cli_in_process(project, "import", "季报.ods", "--kind", DIBAO, *META)
    assert result.returncode == 0, result.stderr
    same_figures(project)


def test_regions_by_code_and_city_level_rows_are_records(project):
    """A table of cities (no counties under them) found by 区划代码 alone: each city is a record."""
    header = ["区划代码", "城市低保保障人数", "城市低保保障标准（元/人·月）", "城市低保月人均补助（元）",
              "城市低保资金支出（万元）", "农村低保保障人数", "农村低保保障标准（元/人·年）", "农村低保月人均补助（元）",
              "农村低保资金支出（万元）", "特困供养人数", "特困人员资金支出（万元）"]
    body = [["640300", 12000, 780, 500, 1800.5, 38000, 6240, 390, 5400.2, 1800, 520.1],
            ["640400", 9000, 760, 480, 1300.0, 41000, 6000, 380, 5800.9, 2100, 610.4]]
    total = ["全区合计", 21000, None, None, 3100.5, 79000, None, None, 11201.1, 3900, 1130.5]
    ot.write_csv_gbk(project / "市级.csv", [header, *body, total])
    result = run_cli_in_process(project, "import", "市级.csv", "--kind", DIBAO, *META)
    # No city has a record of this kind yet, so nothing to carry over: said once, not per row.
    assert result.returncode == 1 and "每一行都缺少必填的“发布机构”（publisher）" in result.stderr
    result = run_cli_in_process(project, "import", "市级.csv", "--kind", DIBAO, *META, "--set", "发布机构=市民政局",
                     "--set", "牵头部门=市民政局", "--set", "主题分类=民政、扶贫、救灾")
    assert result.returncode == 0, result.stderr
    got = imported(project)
    assert sorted(got) == ["640300", "640400"]
    assert got["640400"]["region"] == {"code": "640400", "name": "固原市"}
    assert got["640300"]["rural"]["standard"] == 6240 and got["640400"]["tekun"]["persons"] == 2100


def _subtotal(label, body):
    sums = [sum(r[c] for r in body) if c in (2, 3, 7, 8, 12) else round(sum(r[c] for r in body), 1)
            if c in (6, 11, 13) else None for c in range(2, ot.WIDTH)]
    return [label, None, *sums]


@pytest.mark.parametrize("wrong", [False, True])
def test_subtotals_and_part_rows_under_a_unit_column(project, wrong):
    """单位 as the region column, 小计 after each group of counties, a 其中 row: none is a record,
    each 小计 is checked against its own rows."""
    rows, merged = ot.minzheng_table(merged_lead=False)
    rows[2][1] = "单位"
    head, body, tail = rows[:4], rows[4:9], rows[9:]
    first = _subtotal("小计", body[:3])
    if wrong:
        first[13] = round(first[13] + 10, 1)  # 特困人员资金支出 of the first 小计 off by 10 万元
    part = ["其中：城区", None, 1000, 500] + [None] * (ot.WIDTH - 4)
    rows = head + body[:3] + [first, part] + body[3:] + [_subtotal("小计", body[3:])] + tail
    ot.write(project / "季报.xlsx", rows, [m for m in merged if m[0] != 3 or m[1] > 2])
    result = run_cli_in_process(project, "import", "季报.xlsx", "--kind", DIBAO, *META)
    if wrong:
        assert result.returncode == 1
        assert "季报.xlsx:Sheet1!N8: 小计行的“特困人员供养资金支出”" in result.stderr, result.stderr
        assert "但第 5–7 行（3 行）相加是" in result.stderr
        return
    assert result.returncode == 0, result.stderr
    same_figures(project)
    assert "第 8 行（小计）" in result.stderr and "第 9 行（其中:城区，是上一行的一部分）" in result.stderr


def test_mapping_files_are_checked_by_name_and_content(tmp_path):
    from conftest import ROOT

    from generator.editor.import_map import check_map_file
    from generator.model.kinds import load_kinds

    kinds, _ = load_kinds(ROOT)
    folder = tmp_path / "site_data" / "_import"
    folder.mkdir(parents=True)
    (folder / "dibao.yaml").write_text("保障人数: urban.recipients\n", "utf-8")
    (folder / "dibao_stats.yaml").write_text("保障人数: urban.recipients\n在册人口:\n人口数: 人口\n"
                                             "备注栏: 忽略\n供养人数: 特困人员人数\n", "utf-8")
    wrong_name = check_map_file(tmp_path, folder / "dibao.yaml", kinds)
    assert len(wrong_name) == 1 and wrong_name[0].message.startswith("映射文件的文件名应是记录类别")
    found = check_map_file(tmp_path, folder / "dibao_stats.yaml", kinds)
    assert [(p.path, p.line, p.col) for p in found] == [("site_data/_import/dibao_stats.yaml", 3, 6)]
    assert "“人口”不是“城乡低保和特困人员统计”的字段" in found[0].message


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_table_whose_title_names_another_quarter_than_the_command_is_refused(project, fmt):
    """The 民政 table titled 吴忠市2024年第4季度… imported with last quarter's command (--period
    2024-Q2) would publish its figures under the wrong quarter: refused at the title's cell,
    saying which period to type, and nothing written. The title's own quarter imports."""
    rows, merged = ot.minzheng_table(total_first=True)
    path = ot.write(project / f"季报.{fmt}", rows, merged)
    wrong = ["2024-Q2" if a == "2024-Q4" else a for a in META]
    result = run_cli_in_process(project, "import", path.name, "--kind", DIBAO, *wrong)
    assert result.returncode == 1
    sheet = "季报" if fmt == "csv" else "Sheet1"
    assert (f"季报.{fmt}:{sheet}!A1: 表格标题写的是“2024年第4季度”，命令里的 --period 是 2024-Q2（2024年第2季度）。"
            "请核对：标题对，就改成 --period 2024-Q4；") in result.stderr, result.stderr
    assert "没有写入任何记录文件" in result.stderr
    assert not list((project / "site_data" / DIBAO).glob("2024-Q2-*.yaml"))
    assert run_cli_in_process(project, "import", path.name, "--kind", DIBAO, *META).returncode == 0
    same_figures(project)


def test_periods_named_in_a_title():
    """What a title's words name (model/periods.named_in): a span of months (a cumulative table)
    or a date names no period to compare."""
    from generator.model.periods import named_in

    assert named_in("吴忠市2024年第4季度城乡低保情况统计表") == ["2024-Q4"]
    assert named_in("2024年四季度低保") == ["2024-Q4"] and named_in("2024年下半年") == ["2024-H2"]
    assert named_in("2025年7月份临时救助") == ["2025-07"] and named_in("2025年度公积金") == ["2025"]
    assert named_in("2024年1-9月累计") == [] and named_in("2024年1至3月") == []
    assert named_in("（2025年1月8日印发）") == [] and named_in("2024年") == ["2024"]


@pytest.mark.parametrize("title,ok", [("吴忠市2024年城乡低保和特困人员救助供养情况统计表", True),
                                      ("吴忠市2024年1-12月城乡低保累计情况", True),
                                      ("吴忠市2023年城乡低保和特困人员救助供养情况统计表", False)])
def test_a_title_naming_only_the_year_agrees_with_every_period_of_that_year(project, title, ok):
    rows, merged = ot.minzheng_table()
    rows[0][0] = title
    ot.write(project / "季报.csv", rows, merged)
    result = run_cli_in_process(project, "import", "季报.csv", "--kind", DIBAO, *META)
    assert (result.returncode == 0) == ok, result.stderr
    assert ("表格标题写的是“2023年”" in result.stderr) == (not ok)


def test_the_last_line_of_an_import_says_how_many_records_still_wait_for_their_review(project):
    """待审核 records need the editor's step before a push publishes them; 已通过 ones do not."""
    rows, merged = ot.minzheng_table()
    ot.write(project / "季报.csv", rows, merged)
    result = run_cli_in_process(project, "import", "季报.csv", "--kind", DIBAO, *META)
    assert "导入完成：5 条记录。" in result.stdout and "其中 5 条的保密审查还没有通过" in result.stdout, result.stdout
    approved = [("审查结果=已通过" if a == "审查结果=待审核" else a) for a in META]
    result = run_cli_in_process(project, "import", "季报.csv", "--kind", DIBAO, *approved, "--replace")
    assert "保密审查结果都是“已通过”，提交并推送后就会发布。" in result.stdout, result.stdout
