"""Compliance self-check (issue 5): working days with China's holidays, every rule at
both severities, the terminal and JSON reports, the exit status, the 自查报告 page.

Rules are tested on small fixture sites (copies of the project whose records are
replaced by a few written here) loaded with the real validator; fixed --as-of dates.
"""
import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from browser_support import browsing, chromium, page, site_url  # noqa: F401
from conftest import ROOT, copy_project, run_cli, run_cli_in_process, write

from generator.checks import check
from generator.model import workdays
from generator.pipeline import generate, load_and_check
from generator.model.validate import load_site
from generator.urls import urls

D = dt.date
SAMPLE = ROOT / "site_data"


def sample(kind: str, name: str) -> dict:
    return yaml.safe_load((SAMPLE / kind / name).read_text("utf-8"))


def policy(seq: int, published: str, written: str | None = None, status: str = "已通过", column="relief"):
    d = sample("policy", "2026-relief.yaml")
    d.update(index_no=f"11640000MB0000002X/2016-{seq:05d}", title=f"测试政策{seq}", published=published,
             written=written or published, column=column, effective=published)
    d["review"] = {"reviewer": "李华", "date": written or published, "status": status}
    return d


def interp(seq: int, policy_seq: int, published: str, status: str = "已通过", column="relief"):
    d = sample("interpretation", "2026-relief.yaml")
    d.update(index_no=f"11640000MB0000002X/2016-{seq:05d}", title=f"测试解读{seq}", published=published,
             written=published, column=column, policy=f"11640000MB0000002X/2016-{policy_seq:05d}")
    d["review"] = {"reviewer": "李华", "date": published, "status": status}
    return d


REGIONS = {"640104": "兴庆区", "640324": "同心县", "640422": "西吉县"}


def dibao(code: str, period: str, published: str, written: str | None = None, status: str = "已通过"):
    d = sample("dibao_stats", "2026-Q3-640104.yaml")
    seq = int(code[-3:]) * 100 + (int(period[6:]) if period[5:6] in "QH" and period[5:] else 0)
    d.update(index_no=f"11{code}MB0000001X/{period[:4]}-{seq:05d}",
             title=f"{REGIONS[code]}{period}低保统计", period=period, published=published,
             written=written or published, region={"code": code, "name": REGIONS[code]})
    d["review"] = {"reviewer": "李华", "date": published, "status": status}
    return d


def program(published: str):
    d = sample("subsidy_program", "2026-640324-1.yaml")
    d.update(index_no="11640324MB0000003X/2015-00001", published=published, written=published)
    d["review"] = {"reviewer": "李华", "date": published, "status": "已通过"}
    return d


def fixture_site(root: Path, records: dict, rules: dict | None = None, site_extra: dict | None = None) -> Path:
    """A copy of the project with only `records` ({"kind/file.yaml": data}) as data."""
    copy_project(root)
    for path in (root / "site_data").glob("*/*.yaml"):
        path.unlink()
    (root / "site_data" / "published.tsv").unlink(missing_ok=True)  # a fresh site has published nothing
    for rel, data in records.items():
        write(root / "site_data" / rel, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    cfg_path = root / "site_data" / "site.yaml"
    cfg = yaml.safe_load(cfg_path.read_text("utf-8"))
    cfg.setdefault("self_check", {})["rules"] = rules or {}
    cfg.update(site_extra or {})
    cfg_path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def run(root: Path, as_of: D):
    site, problems = load_site(root)
    assert site is not None, [p.format() for p in problems]
    return check.run(site, as_of)


def only(report, rule, status=None):
    return [f for f in report.findings if f.rule == rule and (status is None or f.status == status)]


def line_of(root: Path, rel: str, key: str) -> int:
    lines = (root / rel).read_text("utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:"))


# ------------------------------------------------------------------ working days

def test_national_day_adjusted_weekend_counts_as_working_days():
    # 2016-10-01..07 National Day; Saturday 10-08 and Sunday 10-09 were worked (调休).
    assert workdays.is_workday(D(2016, 10, 8)) and workdays.is_workday(D(2016, 10, 9))
    assert not workdays.is_workday(D(2016, 10, 7))
    assert workdays.add(D(2016, 9, 30), 3) == D(2016, 10, 10)
    assert workdays.between(D(2016, 9, 30), D(2016, 10, 10)) == 3
    assert workdays.between(D(2016, 9, 30), D(2016, 10, 7)) == 0


def test_spring_festival():
    # 2016 Spring Festival: 02-07..13 off; Saturday 02-06 and Sunday 02-14 worked.
    assert workdays.add(D(2016, 2, 5), 1) == D(2016, 2, 6)
    assert workdays.add(D(2016, 2, 5), 3) == D(2016, 2, 15)
    # 2026: 02-15..23 off, Saturday 02-14 and 02-28 worked.
    assert workdays.add(D(2026, 2, 13), 3) == D(2026, 2, 25)
    assert workdays.between(D(2026, 2, 13), D(2026, 2, 24)) == 2


def test_a_date_beyond_the_table_is_refused_not_guessed():
    with pytest.raises(workdays.BeyondCalendar) as exc:
        workdays.add(D(workdays.LAST.year, 12, 30), 5)
    assert "超出节假日表" in exc.value.message() and str(workdays.LAST.year) in exc.value.message()
    with pytest.raises(workdays.BeyondCalendar):
        workdays.between(D(2016, 1, 4), D(workdays.LAST.year + 1, 1, 5))
    with pytest.raises(workdays.BeyondCalendar):
        workdays.is_workday(D(2003, 6, 2))


# ------------------------------------------------------------------ rule 1: 解读 within 3 working days

@pytest.fixture(scope="module")
def interp_site(tmp_path_factory):
    return fixture_site(tmp_path_factory.mktemp("interp") / "p", {
        "policy/p1.yaml": policy(1, "2016-09-30"),
        "interpretation/i1.yaml": interp(2, 1, "2016-10-10"),      # the third working day: on time
        "policy/p3.yaml": policy(3, "2016-09-30"),
        "interpretation/i3.yaml": interp(4, 3, "2016-10-11"),      # one working day late
        "policy/p5.yaml": policy(5, "2016-10-12"),                 # no 解读 yet
        "dibao_stats/a.yaml": dibao("640104", "2016-Q3", "2016-10-12", "2016-10-10"),
        # A draft past its deadline: reported, but nothing of it may reach the site.
        "dibao_stats/draft.yaml": {**dibao("640324", "2016-Q3", "2016-10-12", "2016-10-10", status="待审核"),
                                   "title": "草稿标题不得公开"},
    }, rules={"empty_column": {"severity": "警告"}})


def test_interpretation_on_time_and_late_across_national_day(interp_site):
    report = run(interp_site, D(2016, 10, 14))
    by_title = {f.record.title: f for f in only(report, "interpretation_deadline")}
    assert by_title["测试解读2"].status == "ontime" and by_title["测试解读2"].due == D(2016, 10, 10)
    late = by_title["测试解读4"]
    assert late.status == "late" and late.late_working_days == 1 and late.severity == "warning"
    assert "晚于政策 1 个工作日" in late.message and "2016-10-10" in late.message
    p = late.problem()
    assert (p.path, p.line) == ("site_data/interpretation/i4.yaml".replace("i4", "i3"),
                                line_of(interp_site, "site_data/interpretation/i3.yaml", "published"))
    assert not p.is_error
    # 10-12 + 3 working days = 10-17: pending on the 14th, missing (1 day over) on the 18th.
    assert by_title["测试政策5"].status == "ontime"
    missing = {f.record.title: f for f in only(run(interp_site, D(2016, 10, 18)), "interpretation_deadline")}
    assert missing["测试政策5"].status == "missing" and missing["测试政策5"].late_working_days == 1


def test_interpretation_rule_as_error_stops_the_build(interp_site, tmp_path):
    root = fixture_site(tmp_path / "p", {
        "policy/p1.yaml": policy(1, "2016-09-30"),
        "interpretation/i1.yaml": interp(2, 1, "2016-10-11"),
        "dibao_stats/a.yaml": dibao("640104", "2016-Q3", "2016-10-12", "2016-10-10"),
    }, rules={"interpretation_deadline": {"severity": "错误"}, "empty_column": {"severity": "不检查"}})
    site, problems, _ = load_and_check(root, D(2016, 10, 14))
    assert site is None
    errors = [p for p in problems if p.is_error]
    assert len(errors) == 1 and "【政策解读时限】" in errors[0].message
    assert errors[0].format().startswith(
        f"site_data/interpretation/i1.yaml:{line_of(root, 'site_data/interpretation/i1.yaml', 'published')}:")
    # Switched off, nothing is reported at all.
    cfg = root / "site_data" / "site.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("错误", "不检查"), encoding="utf-8")
    assert not only(run(root, D(2016, 10, 14)), "interpretation_deadline")


# ------------------------------------------------------------------ rule 2: N working days from formation

@pytest.fixture(scope="module")
def relief_site(tmp_path_factory):
    """社会救助: the 标准目录 sets 10 working days (issue 9)."""
    return fixture_site(tmp_path_factory.mktemp("relief") / "p", {
        # Formed Friday 2016-09-30: the 10th working day is 10-19 (10-08/09 worked).
        "dibao_stats/a.yaml": dibao("640104", "2016-Q3", "2016-10-19", "2016-09-30"),
        "dibao_stats/b.yaml": dibao("640324", "2016-Q3", "2016-10-20", "2016-09-30"),
        "dibao_stats/c.yaml": dibao("640422", "2016-Q3", "2016-11-01", "2016-10-09", status="待审核"),
        "policy/p1.yaml": policy(1, "2016-10-10", "2016-09-01"),   # 20 working days: late
        "interpretation/i1.yaml": interp(2, 1, "2016-10-10"),
    }, rules={"completeness": {"severity": "不检查"}})


def test_relief_ten_working_day_rule(relief_site):
    report = run(relief_site, D(2016, 10, 21))
    found = {f.record.region_code: f
             for f in only(report, "publish_deadline") if f.kind == "dibao_stats"}
    assert found["640104"].status == "ontime" and found["640104"].due == D(2016, 10, 19)
    late = found["640324"]
    assert late.status == "late" and late.late_working_days == 1 and "10 个工作日" in late.message
    assert late.severity == "warning"


def test_default_twenty_working_days_and_pending_records(relief_site):
    report = run(relief_site, D(2016, 11, 1))
    pol = next(f for f in only(report, "publish_deadline") if f.kind == "policy")
    # From 2016-09-01 the 20th working day is 09-30 (09-15/16 中秋, 09-18 worked); published 10-10 = 3 over.
    assert pol.status == "late" and pol.due == D(2016, 9, 30) and pol.late_working_days == 3
    pending = only(report, "pending_overdue")
    # Formed 10-09 (a worked Sunday), due 10-23 → 10-21 is the 10th working day; 11-01 is 7 over.
    assert len(pending) == 1 and pending[0].record.region_code == "640422"
    assert pending[0].due == D(2016, 10, 21) and pending[0].late_working_days == 7
    assert pending[0].where[1] > 1  # at review.status
    assert not only(run(relief_site, D(2016, 10, 21)), "pending_overdue")


def test_deadline_falls_back_to_the_configured_default():
    kind = type("K", (), {"directory": None, "deadline_working_days": None})()
    rules = check.rule_settings({})
    assert check.deadline(kind, rules) == 20
    rules = check.rule_settings({"self_check": {"rules": {"publish_deadline": {"working_days": 15}}}})
    assert check.deadline(kind, rules) == 15
    kind.directory = {"deadline_working_days": 10}
    assert check.deadline(kind, rules) == 10


# ------------------------------------------------------------------ rule 3: freshness

def test_freshness_of_quarterly_statistics_and_yearly_programmes(tmp_path):
    root = fixture_site(tmp_path / "p", {
        "dibao_stats/q1.yaml": dibao("640104", "2016-Q1", "2016-04-12"),
        "dibao_stats/q2.yaml": dibao("640104", "2016-Q2", "2016-07-12"),
        "subsidy_program/s.yaml": program("2015-06-01"),
    })
    # Q3 ended 09-30; its 10-working-day deadline is 10-19 (after National Day).
    ok = only(run(root, D(2016, 10, 19)), "freshness")
    assert {f.kind: f.status for f in ok}["dibao_stats"] == "ontime"
    report = run(root, D(2016, 10, 21))
    stale = {f.kind: f for f in only(report, "freshness")}
    f = stale["dibao_stats"]
    assert f.status == "stale" and f.period == "2016-Q3" and f.due == D(2016, 10, 19)
    assert f.late_working_days == 2 and "2016年第3季度" in f.message and f.severity == "warning"
    # Yearly: last update 2015-06-01, due 2016-06-01.
    assert stale["subsidy_program"].status == "stale" and stale["subsidy_program"].overdue_days == 142
    cfg = root / "site_data" / "site.yaml"
    data = yaml.safe_load(cfg.read_text("utf-8"))
    data["self_check"]["rules"] = {"freshness": {"severity": "错误"}}
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site, problems, _ = load_and_check(root, D(2016, 10, 21))
    assert site is None and {p.path for p in problems if "【更新频率】" in p.message and p.is_error} >= {
        "site_data/dibao_stats/q2.yaml", "site_data/subsidy_program/s.yaml"}


def test_an_unknown_freshness_value_is_reported_on_the_schema(tmp_path):
    root = fixture_site(tmp_path / "p", {"dibao_stats/a.yaml": dibao("640104", "2016-Q1", "2016-04-12")})
    schema = root / "schemas" / "dibao_stats.schema.json"
    schema.write_text(schema.read_text("utf-8").replace('"freshness": "quarterly"', '"freshness": "季度"'),
                      encoding="utf-8")
    site, problems, _ = load_and_check(root, D(2016, 5, 1))
    assert site is None
    assert any(p.path == "schemas/dibao_stats.schema.json" and "quarterly" in p.message for p in problems)
    # Kinds published as things happen (公示, 灾情) declare "event": no schedule, no finding.
    def stale(value):
        schema.write_text(re.sub(r'"freshness": "[^"]*"', f'"freshness": "{value}"', schema.read_text("utf-8")),
                          encoding="utf-8")
        _, problems, _ = load_and_check(root, D(2016, 12, 1))
        return [p for p in problems if "城乡低保和特困人员统计应" in p.message
                or p.path == "schemas/dibao_stats.schema.json"]
    assert stale("quarterly") and not stale("event")


# ------------------------------------------------------------------ rule 4: completeness

def test_a_county_missing_from_a_period_and_a_missing_required_item(tmp_path):
    missing_item = dibao("640324", "2016-Q2", "2016-07-12")
    del missing_item["urban"]["households"]
    root = fixture_site(tmp_path / "p", {
        "dibao_stats/a1.yaml": dibao("640104", "2016-Q1", "2016-04-12"),
        "dibao_stats/a2.yaml": dibao("640104", "2016-Q2", "2016-07-12"),
        "dibao_stats/a3.yaml": dibao("640104", "2016-Q3", "2016-10-12"),
        "dibao_stats/b1.yaml": dibao("640324", "2016-Q1", "2016-04-12"),
        "dibao_stats/b2.yaml": missing_item,
        "dibao_stats/b3.yaml": dibao("640324", "2016-Q3", "2016-10-12", status="待审核"),
        "dibao_stats/c2.yaml": dibao("640422", "2016-Q2", "2016-07-12"),
    })
    # households is optional in the schema; a kind can still require it for publication.
    schema = root / "schemas" / "dibao_stats.schema.json"
    schema.write_text(schema.read_text("utf-8").replace(
        '"freshness": "quarterly",', '"freshness": "quarterly", "required_items": ["urban.households"],'),
        encoding="utf-8")
    report = run(root, D(2016, 10, 20))
    missing = {(f.region[0], f.period): f for f in only(report, "completeness", "missing")}
    assert {k for k in missing if k[0] != "640324" or k[1] != "2016-Q2"} == {
        ("640324", "2016-Q3"), ("640422", "2016-Q1"), ("640422", "2016-Q3")}
    assert "待审核" in missing[("640324", "2016-Q3")].message
    assert "西吉县缺少2016年第1季度的城乡低保和特困人员统计" in missing[("640422", "2016-Q1")].message
    item = missing[("640324", "2016-Q2")]
    assert "城市低保" in item.message or "urban.households" in item.message
    assert item.where[0] == "site_data/dibao_stats/b2.yaml" and item.severity == "warning"
    # Every county of regions.tsv, when configured; and as an error it stops the build.
    cfg = root / "site_data" / "site.yaml"
    data = yaml.safe_load(cfg.read_text("utf-8"))
    data["self_check"]["rules"] = {"completeness": {"severity": "错误", "region_level": "county"}}
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = run(root, D(2016, 10, 20))
    counties = {f.region[0] for f in only(report, "completeness", "missing")}
    assert len(counties) == 21 and "640104" not in counties and all(f.severity == "error" for f in only(report, "completeness"))


def test_required_items_come_from_schema_and_directory():
    site, _ = load_site(ROOT)
    dibao_items = dict(check.required_items(site.kinds["dibao_stats"]))
    assert "urban.recipients" in dibao_items and "tekun.expenditure" in dibao_items
    assert "urban.households" not in dibao_items
    programme = dict(check.required_items(site.kinds["subsidy_program"]))
    assert {"conditions", "procedure", "materials", "standard"} <= set(programme)
    assert "contact_phone" not in programme  # 选择公开 in the directory


# ------------------------------------------------------------------ rule 5: publisher, links, attachments

def test_links_both_ways_publisher_and_attachments(tmp_path):
    blank = policy(7, "2016-10-10")
    blank["lead_dept"] = "   "
    blank["attachments"] = [{"title": "附件", "file": "attachments/a.pdf"}]
    root = fixture_site(tmp_path / "p", {
        "policy/p1.yaml": policy(1, "2016-10-10", status="待审核"),
        "interpretation/i1.yaml": interp(2, 1, "2016-10-10"),             # 解读 → unpublished policy
        "policy/p3.yaml": policy(3, "2016-10-10"),
        "interpretation/i3.yaml": interp(4, 3, "2016-10-10", status="待审核"),  # policy → unpublished 解读
        "policy/p7.yaml": blank,
        "interpretation/i7.yaml": interp(8, 7, "2016-10-10"),
    })
    write(root / "site_data" / "attachments" / "a.pdf", "%PDF-1.4 sample")
    site, problems = load_site(root)
    assert site is not None, problems
    (root / "site_data" / "attachments" / "a.pdf").write_bytes(b"")  # emptied after validation
    report = check.run(site, D(2016, 10, 12))
    found = {(f.where[0], f.where[1]): f for f in only(report, "integrity")}
    rel = "site_data/interpretation/i1.yaml"
    assert found[(rel, line_of(root, rel, "policy"))].severity == "error"
    assert "还没有通过审核" in found[(rel, line_of(root, rel, "policy"))].message
    rel = "site_data/policy/p3.yaml"
    assert "测试解读4" in found[(rel, line_of(root, rel, "index_no"))].message
    rel = "site_data/policy/p7.yaml"
    assert "牵头部门" in found[(rel, line_of(root, rel, "lead_dept"))].message
    assert any("空文件" in f.message for f in found.values())
    assert len(found) == 4
    # As a warning the same findings no longer stop anything.
    site.config = {**site.config, "self_check": {"rules": {"integrity": {"severity": "警告"}}}}
    assert all(not p.is_error for p in check.run(site, D(2016, 10, 12)).problems
               if "【要素和链接】" in p.message)


# ------------------------------------------------------------------ rule 6: column health

def test_empty_and_stale_columns(tmp_path):
    root = fixture_site(tmp_path / "p", {
        "policy/p1.yaml": policy(1, "2016-10-01", column="relief"),
        "interpretation/i1.yaml": interp(2, 1, "2016-10-01", column="relief"),
    })
    cfg = root / "site_data" / "site.yaml"
    data = yaml.safe_load(cfg.read_text("utf-8"))
    data["columns"][0]["update_class"] = "动态要闻"
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = run(root, D(2016, 10, 15))
    health = {f.column: f for f in only(report, "column_stale")}
    assert health["relief"].status == "ontime"  # 14 days idle: the limit
    empty = {f.column: f for f in only(report, "empty_column")}
    assert set(empty) == {c["id"] for c in data["columns"]} - {"relief"}  # every column without records
    lines = cfg.read_text("utf-8").splitlines()
    assert empty["housing"].severity == "error" and \
        lines[empty["housing"].where[1] - 1].strip() == "- id: housing"
    stale = {f.column: f for f in only(run(root, D(2016, 10, 16)), "column_stale")}["relief"]
    assert stale.status == "stale" and stale.overdue_days == 1 and stale.severity == "warning"
    assert "动态要闻" in stale.message
    data["self_check"]["rules"] = {"column_stale": {"severity": "错误", "max_days": {"动态要闻": 30}},
                                   "empty_column": {"severity": "警告"}}
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = run(root, D(2016, 10, 20))
    assert {f.column: f for f in only(report, "column_stale")}["relief"].status == "ontime"
    assert all(f.severity == "warning" for f in only(report, "empty_column"))
    stale = {f.column: f for f in only(run(root, D(2016, 11, 1)), "column_stale")}["relief"]
    assert stale.status == "stale" and stale.severity == "error"


# ------------------------------------------------------------------ beyond the holiday table

def test_dates_beyond_the_table_give_a_warning_and_no_verdict(tmp_path):
    last = workdays.LAST.year
    p = policy(1, f"{last}-12-28")
    p["index_no"] = f"11640000MB0000002X/{last}-00001"
    root = fixture_site(tmp_path / "p", {"policy/p1.yaml": p})
    report = run(root, D(last + 1, 1, 20))
    beyond = only(report, "calendar_range")
    assert beyond and all(f.severity == "warning" for f in beyond)
    assert any("超出节假日表" in f.message and f"{last + 1}-01-" in f.message for f in beyond)
    assert not [f for f in only(report, "interpretation_deadline") if f.status in ("late", "missing", "ontime")]


# ------------------------------------------------------------------ CLI, JSON, build, page

def test_check_command_json_report_and_exit_status(interp_site, tmp_path):
    out = tmp_path / "r.json"
    result = run_cli(interp_site, "check", "--as-of", "2016-10-18", "--json", str(out))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "政务公开自查报告（检查日期 2016-10-18" in text and "== 社会救助（relief）" in text
    assert re.search(r"逾期（警告）site_data/interpretation/i3\.yaml:\d+:\d+: 【政策解读时限】解读晚于政策 1 个工作日", text)
    assert "缺失（警告）site_data/policy/p5.yaml" in text
    report = json.loads(out.read_text("utf-8"))
    assert report["as_of"] == "2016-10-18"
    assert set(report) >= {"as_of", "calendar", "summary", "rules", "columns", "findings"}
    assert report["calendar"]["last"] == workdays.LAST.isoformat()
    assert {r["id"] for r in report["rules"]} == set(check.RULES)
    late = next(f for f in report["findings"] if f["status"] == "late" and f["rule"] == "interpretation_deadline")
    assert late["late_working_days"] == 1 and late["due"] == "2016-10-10" and late["severity"] == "warning"
    assert late["region"] == {"code": "640000", "name": "宁夏回族自治区"}
    assert late["record"]["url"].startswith("/" + urls.url(urls.kind("relief", "interpretation")))
    assert late["position"]["file"] == "site_data/interpretation/i3.yaml" and late["position"]["line"] > 1
    relief = next(c for c in report["columns"] if c["id"] == "relief")
    assert relief["counts"]["late"] >= 1 and any(r["code"] == "640000" for r in relief["regions"])
    assert report["summary"]["errors"] == 0 and report["summary"]["late"] == sum(
        1 for f in report["findings"] if f["status"] == "late")
    # Error level: exit status 1, and the same data stops `build` before MkDocs, site untouched.
    cfg = interp_site / "site_data" / "site.yaml"
    original = cfg.read_text("utf-8")
    data = yaml.safe_load(original)
    data["self_check"]["rules"]["interpretation_deadline"] = {"severity": "错误"}
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        result = run_cli_in_process(interp_site, "check", "--as-of", "2016-10-18", "--json", str(out))
        assert result.returncode == 1 and "逾期（错误）" in result.stdout
        assert json.loads(out.read_text("utf-8"))["summary"]["errors"] == 2
        result = run_cli(interp_site, "build", "--as-of", "2016-10-18")
        assert result.returncode == 1 and "【政策解读时限】" in result.stderr
        assert not (interp_site / "site").exists()
        # `build --report` (the push hook's one process) prints check's report and stops there.
        checked = run_cli_in_process(interp_site, "check", "--as-of", "2016-10-18", "--json", str(out))
        result = run_cli(interp_site, "build", "--report", "--as-of", "2016-10-18")
        assert result.returncode == 1, result.stderr
        assert result.stdout == checked.stdout.split("\n\n共 ")[0] + "\n", (result.stdout, checked.stdout)
        assert "没有构建。已发布的站点没有改动。" in result.stderr and "正在构建" not in result.stdout
        assert not (interp_site / "site").exists()
    finally:
        cfg.write_text(original, encoding="utf-8")


def test_sample_site_passes_as_of_today(tmp_path):
    root = copy_project(tmp_path / "p")
    result = run_cli(root, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"检查日期 {dt.date.today().isoformat()}" in result.stdout
    assert json.loads((root / "zicha-report.json").read_text("utf-8"))["summary"]["errors"] == 0


def test_report_page_on_the_built_sample(built_site):
    page = (built_site / urls.built(urls.report())).read_text("utf-8")
    assert "政务公开自查报告" in page and "各专栏自查结果" in page and "检查日期" in page
    for column in ("社会救助", "补贴与收费", "住房保障", "教育"):
        assert column in page
    home = (built_site / urls.built(urls.home())).read_text("utf-8")
    assert f'href="{urls.url(urls.report())}"' in home  # report_in_nav: true in the sample


@pytest.mark.build
def test_report_page_with_every_status_builds_strictly(interp_site, tmp_path):
    """Late, missing and stale rows link to their records; MkDocs strict mode checks every link."""
    result = run_cli(interp_site, "build", "--as-of", "2016-12-20", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "【政策解读时限】" in result.stderr + result.stdout  # the build ran the check
    md = (interp_site / "content" / urls.report()).read_text("utf-8")
    assert "逾期 1 个工作日" in md and "缺失" in md and "未按时更新" in md
    assert "(../relief/interpretation/11640000mb0000002x-2016-00004/index.md)" in md  # each record page is an index.md
    html = (tmp_path / "site" / urls.built(urls.report())).read_text("utf-8")
    assert 'href="../relief/interpretation/11640000mb0000002x-2016-00004/"' in html
    assert "检查日期：2016-12-20" in html
    # The overdue draft is counted, without its title, 索引号 or file.
    assert "一条尚未通过审核的城乡低保和特困人员统计：已超过公开时限" in md
    assert "草稿标题" not in html and "11640324MB0000001X" not in html and "draft.yaml" not in html
    # The editors' own report still names it, with its file and position.
    pending = only(run(interp_site, D(2016, 12, 20)), "pending_overdue")
    assert len(pending) == 1 and "草稿标题不得公开" in pending[0].message
    assert pending[0].where[0] == "site_data/dibao_stats/draft.yaml"


def test_report_hidden_from_navigation_by_configuration(tmp_path):
    root = copy_project(tmp_path / "p")
    cfg = root / "site_data" / "site.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("report_in_nav: true", "report_in_nav: false"),
                   encoding="utf-8")
    generate(root)
    page = (root / "content" / urls.report()).read_text("utf-8")
    assert "# 政务公开自查报告" in page  # still built
    assert re.search(r"^search:\n  exclude: true$", page, re.M)  # out of the site search
    assert urls.url(urls.report()) not in (root / "content" / urls.home()).read_text("utf-8")


def short_roster() -> dict:
    name = next(p.name for p in (SAMPLE / "dibao_roster").glob("*.yaml")
                if sample("dibao_roster", p.name)["list_type"] == "初审对象名单")
    d = sample("dibao_roster", name)
    d.update(index_no="11640324MB0000001X/2016-00700", published="2016-09-28", written="2016-09-28",
             notice_period={"start": "2016-09-28", "end": "2016-10-09"})
    d["review"] = {"reviewer": "李华", "date": "2016-09-28", "status": "已通过"}
    return d


def test_every_rule_at_both_severities(tmp_path):
    """One site where every rule finds something; each rule's level follows site.yaml."""
    late_policy = policy(9, "2016-09-30", "2016-08-01")           # 20 working days: late
    late_policy["lead_dept"] = "  "                                # integrity
    old = policy(11, "2004-01-05", "2003-12-01")                   # before the holiday table
    old["index_no"] = "11640000MB0000002X/2004-00011"
    root = fixture_site(tmp_path / "p", {
        "policy/p1.yaml": policy(1, "2016-09-30"),
        "interpretation/i1.yaml": interp(2, 1, "2016-10-11"),      # 解读 one working day late
        "policy/p9.yaml": late_policy,
        "interpretation/i9.yaml": interp(10, 9, "2016-09-30"),
        "policy/p11.yaml": old,
        "interpretation/i11.yaml": {**interp(12, 11, "2004-01-05"), "policy": old["index_no"]},
        "dibao_stats/a.yaml": dibao("640104", "2016-Q1", "2016-04-12"),   # Q2, Q3 due: stale
        "dibao_stats/b.yaml": dibao("640324", "2016-Q2", "2016-07-12"),   # gaps: incomplete
        "dibao_stats/c.yaml": dibao("640422", "2016-Q1", "2016-07-12", "2016-07-01", status="待审核"),
        "dibao_roster/r.yaml": short_roster(),                          # posted 5 of 7 working days
        # The 2015 年度报告 of a government, due on 31 March 2016 (条例 art. 49): five days late.
        "annual_report/2015.yaml": {**sample("annual_report", "2025.yaml"), "period": "2015",
                                    "index_no": "11640000MB0000020X/2016-00001", "published": "2016-04-05",
                                    "written": "2016-04-01"},
    })
    cfg = root / "site_data" / "site.yaml"
    data = yaml.safe_load(cfg.read_text("utf-8"))
    data["office"]["report_role"] = "政府"
    data["columns"][0]["update_class"] = "动态要闻"                 # idle since 10-11: stale
    for word, level in (("错误", "error"), ("警告", "warning")):
        data["self_check"]["rules"] = {rid: {"severity": word} for rid in check.RULES}
        cfg.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        report = run(root, D(2016, 12, 20))
        fired = {}
        for p in report.problems:
            rule = next(r for r in check.RULES.values() if p.message.startswith(f"【{r.name}】"))
            fired.setdefault(rule.id, set()).add(p.severity)
        assert fired == {rid: {level} for rid in check.RULES}, fired
    data["self_check"]["rules"] = {rid: {"severity": "不检查"} for rid in check.RULES}
    cfg.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert run(root, D(2016, 12, 20)).problems == []


def test_every_rule_id_is_one_function_of_that_name():
    """The rule list of the report reads one to one onto code: check_rules.<rule id>."""
    from generator.checks import check_rules

    assert list(check_rules.CHECKS) == [rid for rid in check.RULES if rid != "calendar_range"]
    for rid in check.RULES:
        assert getattr(check_rules, rid).__name__ == rid
    assert sorted(rid for block in check_rules.REPORT_ORDER for rid in block) == sorted(check_rules.CHECKS)


def test_required_items_are_due_once_per_region_for_kinds_without_periods(tmp_path):
    a, b, c = program("2016-04-01"), program("2016-05-03"), program("2016-05-03")
    b["index_no"], c["index_no"] = "11640324MB0000003X/2016-00002", "11640422MB0000003X/2016-00003"
    c["region"] = {"code": "640422", "name": "西吉县"}
    for d in (b, c):
        del d["amount"]
    root = fixture_site(tmp_path / "p", {"subsidy_program/a.yaml": a, "subsidy_program/b.yaml": b,
                                         "subsidy_program/c.yaml": c})
    schema = root / "schemas" / "subsidy_program.schema.json"
    schema.write_text(schema.read_text("utf-8").replace('"freshness":', '"required_items": ["amount"], "freshness":'),
                      encoding="utf-8")
    missing = only(run(root, D(2016, 6, 1)), "completeness", "missing")
    # 同心县's first programme states the amount; 西吉县's only one does not.
    assert [(f.region[0], f.where[0]) for f in missing] == [("640422", "site_data/subsidy_program/c.yaml")]
    assert "补贴金额" in missing[0].message


@pytest.mark.browser
def test_report_page_passes_axe(page, site_url):
    """WCAG 2.1 AA in Chromium (axe-core), like the other page templates."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + urls.url(urls.report()))
    assert page.locator("h1").inner_text() == "政务公开自查报告"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
    assert [v["id"] for v in results.response["violations"]] == []
    page.goto(site_url)
    page.get_by_role("link", name=re.compile("政务公开自查报告")).click()
    assert page.url.endswith("/" + urls.url(urls.report()))


def test_notice_period_must_last_the_working_days_its_list_type_declares(tmp_path):
    """低保初审对象名单 are posted for 7 working days (x-kind.notice_working_days of the
    roster kind); National Day counts as it should: 2026-09-28 to 10-09 is only 5."""
    name = next(p.name for p in (SAMPLE / "dibao_roster").glob("*.yaml")
                if sample("dibao_roster", p.name)["list_type"] == "初审对象名单")
    good = sample("dibao_roster", name)
    short = dict(good, index_no=good["index_no"][:-5] + "09901", notice_period={"start": "2026-09-28", "end": "2026-10-09"})
    root = fixture_site(tmp_path / "p", {f"dibao_roster/{name}": good, "dibao_roster/short.yaml": short})
    report = run(root, D(2026, 11, 25))
    found = only(report, "notice_period")
    assert [f.record.index_no for f in found] == [short["index_no"]]
    assert "要公示 7 个工作日" in found[0].message and "只有 5 个工作日" in found[0].message
    assert "2026-10-12" in found[0].message  # 7th working day from 09-28: Saturday 10-10 is an adjusted working day
    rel, line, col = found[0].where
    assert rel == "site_data/dibao_roster/short.yaml"
    assert (root / rel).read_text("utf-8").splitlines()[line - 1].strip().startswith("end:")
    assert found[0].severity == "error"
