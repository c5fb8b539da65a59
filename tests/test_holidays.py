"""Holiday arrangements as data (site_data/holidays/<year>.yaml), issue 19.

Every table here is made up, for a year after the library's last (or, to show precedence,
for a year it knows), in a temporary copy of the project: no official date is invented
in the repository.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import run_cli, run_cli_in_process, write
from test_check import fixture_site, interp, only, policy, run

from generator.model import holidays, workdays
from generator.model.validate import load_site

D = dt.date
LIB_LAST = workdays.LIB_LAST.year  # 2026 with chinesecalendar 1.11.0
YEAR = LIB_LAST + 1                  # a year no library release knows yet


def table(year: int = YEAR, holidays_text: str | None = None, notice: str | None = None) -> str:
    """A fictional year's file: 元旦 1 January (a Friday in 2027) to 5 January, 共5天, and a
    worked Saturday after it."""
    first_saturday = next(D(year, 1, d) for d in range(6, 14) if D(year, 1, d).weekday() == 5)
    return (f"# 虚构的测试数据，不是国务院办公厅的通知\n"
            f"year: {year}\n"
            + (notice if notice is not None else
               f"notice:\n  title: 国务院办公厅关于{year}年部分节假日安排的通知\n"
               f"  doc_no: 国办发明电〔{year - 1}〕99号\n  date: {year - 1}-11-04\n")
            + (holidays_text if holidays_text is not None else
               f"holidays:\n  - name: 元旦\n    from: {year}-01-01\n    to: {year}-01-05\n    days: 5\n"
               f"    work: [{first_saturday.isoformat()}]\n"))


@pytest.fixture(autouse=True)
def library_only_afterwards():
    # load_site configures the process-wide calendar from a project's tables: leave it as
    # the other test modules expect it (the library alone).
    yield
    workdays.configure({})


def deadline_site(root: Path) -> Path:
    """A policy published 30 December of the library's last year and its 解读 on 6 January."""
    p = policy(1, f"{LIB_LAST}-12-30")
    p["index_no"] = f"11640000MB0000002X/{LIB_LAST}-00001"
    i = interp(2, 1, f"{YEAR}-01-06")
    i["index_no"] = f"11640000MB0000002X/{YEAR}-00002"
    i["policy"] = p["index_no"]
    return fixture_site(root, {"policy/p1.yaml": p, "interpretation/i1.yaml": i},
                        rules={"completeness": {"severity": "不检查"}})


def test_a_fictional_years_file_changes_a_deadline_verdict(tmp_path):
    root = deadline_site(tmp_path / "p")
    as_of = D(YEAR, 1, 20)
    # Without next year's table: no verdict, a warning that names the file to add.
    report = run(root, as_of)
    assert not [f for f in only(report, "interpretation_deadline") if f.status in ("ontime", "late")]
    beyond = only(report, "calendar_range")
    assert beyond and any(f"site_data/holidays/{YEAR}.yaml" in f.message for f in beyond)

    # With it: 31 Dec is the 1st working day, 1–5 Jan are off, 6 Jan the 2nd: on time.
    # (Counting weekdays alone would have made 4 Jan the 3rd and 6 Jan late.)
    write(root / f"site_data/holidays/{YEAR}.yaml", table())
    report = run(root, as_of)
    assert not only(report, "calendar_range")
    verdict = [f for f in only(report, "interpretation_deadline") if f.record and f.record.title == "测试解读2"]
    assert [f.status for f in verdict] == ["ontime"], [f.message for f in verdict]
    assert workdays.add(D(LIB_LAST, 12, 30), 3) == D(YEAR, 1, 7)
    first_saturday = next(D(YEAR, 1, d) for d in range(6, 14) if D(YEAR, 1, d).weekday() == 5)
    assert workdays.is_workday(first_saturday) and not workdays.is_workday(D(YEAR, 1, 5))
    assert f"site_data/holidays/（{YEAR} 年）" in workdays.library()

    # The table also wins over the library for a year the library knows (a correction): a
    # made-up arrangement for 2016 whose only day off is 10 October (a working Monday in
    # chinesecalendar).
    write(root / "site_data/holidays/2016.yaml", table(2016, holidays_text=(
        "holidays:\n  - name: 虚构假日\n    from: 2016-10-10\n    to: 2016-10-10\n    days: 1\n"),
        notice="notice:\n  title: 国务院办公厅关于2016年部分节假日安排的通知\n"
               "  doc_no: 国办发明电〔2015〕99号\n  date: 2015-12-10\n"))
    site, problems = load_site(root)
    assert site is not None, [p.format() for p in problems]
    assert not workdays.is_workday(D(2016, 10, 10)) and workdays.is_workday(D(2016, 10, 11))
    # The file is the year's whole arrangement: the library's 国庆 days are not mixed in.
    assert workdays.is_workday(D(2016, 10, 7))


# Each malformed file: (what to change in the good one, the message, the line it points at).
MALFORMED = {
    "date outside its year": (
        lambda t: t.replace(f"to: {YEAR}-01-05\n    days: 5", f"to: {YEAR + 1}-01-05\n    days: 5"),
        f"不在 {YEAR} 年内", f"    to: {YEAR + 1}-01-05"),
    "a day both off and on": (
        lambda t: re.sub(r"work: \[[0-9-]+\]", f"work: [{YEAR}-01-02]", t),
        "同一天不能既放假又上班", "    work:"),
    "a worked day that is no weekend": (
        lambda t: re.sub(r"work: \[[0-9-]+\]", f"work: [{next(D(YEAR, 1, d) for d in range(6, 14) if D(YEAR, 1, d).weekday() == 2)}]", t),
        "不是周末", "    work:"),
    "off days outside the notice's range": (
        lambda t: t.replace("days: 5", "days: 6"),
        "放假的日子应正好是通知所写的起止范围", "    days: 6"),
    "range upside down": (
        lambda t: t.replace(f"from: {YEAR}-01-01", f"from: {YEAR}-01-09"),
        "早于第一天", f"    to: {YEAR}-01-05"),
    "a 文号 not in the notice's form": (
        lambda t: t.replace(f"国办发明电〔{YEAR - 1}〕99号", f"国办发明电[{YEAR - 1}]99号"),
        "notice.doc_no 应是通知的文号", "  doc_no:"),
    "no notice date": (
        lambda t: t.replace(f"  date: {YEAR - 1}-11-04\n", ""),
        "notice 缺少 date", "notice:"),
    "not a date": (
        lambda t: t.replace(f"from: {YEAR}-01-01", "from: 一月一日"),
        "不是日期", "    from:"),
    "an unknown field": (
        lambda t: t + "remark: 无\n",
        "不认识的字段“remark”", "remark:"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_each_malformed_holiday_file_gets_its_message(tmp_path, case):
    change, message, line_start = MALFORMED[case]
    text = change(table())
    path = write(tmp_path / "site_data/holidays" / f"{YEAR}.yaml", text)
    rel = f"site_data/holidays/{YEAR}.yaml"
    parsed, problems = holidays.load_table(path, rel)
    assert parsed is None
    found = [p for p in problems if message in p.message]
    assert found, [p.format() for p in problems]
    lines = text.splitlines()
    assert lines[found[0].line - 1].startswith(line_start), (found[0].format(), lines)


def test_validate_reports_every_bad_holiday_file_at_once_and_accepts_the_folder(project):
    good = table()
    write(project / f"site_data/holidays/{YEAR}.yaml", good)
    assert run_cli(project, "validate").returncode == 0  # the folder is no kind, and that is fine
    write(project / f"site_data/holidays/{YEAR + 1}.yaml",
          good.replace(str(YEAR), str(YEAR + 1)).replace("days: 5", "days: 4"))
    write(project / f"site_data/holidays/{YEAR + 2}.yaml",
          good.replace(f"year: {YEAR}", f"year: {YEAR + 3}"))
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(rf"^site_data/holidays/{YEAR + 1}\.yaml:\d+:\d+: 元旦放假 .* days 写的是 4 天", result.stderr, re.M)
    assert re.search(rf"^site_data/holidays/{YEAR + 2}\.yaml:\d+:\d+: 文件名应与年份一致", result.stderr, re.M)


def test_the_december_warning_fires_on_1_december_and_not_on_30_november(tmp_path):
    root = deadline_site(tmp_path / "p")
    site, problems = load_site(root)
    assert site is not None
    assert holidays.next_year_missing(site, D(LIB_LAST, 11, 30)) == []
    warned = holidays.next_year_missing(site, D(LIB_LAST, 12, 1))
    assert len(warned) == 1 and not warned[0].is_error
    assert warned[0].path == f"site_data/holidays/{YEAR}.yaml"
    assert f"国务院办公厅关于{YEAR}年部分节假日安排的通知" in warned[0].message
    assert "README“节假日安排”" in warned[0].message
    # The command an editor runs shows it, with where to add the file.
    # (This two-record site has empty columns, errors of their own: the exit status is theirs.)
    out = run_cli(root, "check", "--as-of", f"{LIB_LAST}-12-01", "--json", str(tmp_path / "r.json"))
    assert "Traceback" not in out.stderr
    assert f"site_data/holidays/{YEAR}.yaml:1:1: 警告：节假日表还没有 {YEAR} 年" in out.stderr
    out = run_cli_in_process(root, "check", "--as-of", f"{LIB_LAST}-11-30", "--json", str(tmp_path / "r.json"))
    assert "节假日表还没有" not in out.stderr + out.stdout
    # Once the file is there, 1 December is quiet again.
    write(root / f"site_data/holidays/{YEAR}.yaml", table())
    site, _ = load_site(root)
    assert holidays.next_year_missing(site, D(LIB_LAST, 12, 1)) == []
