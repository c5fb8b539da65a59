"""Records carry the bodies, categories and legal bases in force on their own date
(issue 15): the wording list schemas/wording.yaml, kind validity windows, the
column pages' 公开依据, and a self-check that reports only what an office would act on.

Model-level checks run in-process; the editor-facing messages on small project
copies with `validate` (no MkDocs); page checks on the session's built sample.
"""
from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re

import yaml
from conftest import ROOT, copy_project, run_cli, run_cli_in_process, write
from sample_data import approved, article, url

from generator.checks import check
from generator.model import wording
from generator.model.validate import load_site

AS_OF = dt.date(2026, 11, 25)
SEED = "宁夏回族自治区2016年政务公开工作要点"
# Bodies and terms no 2026 page may show (each one in schemas/wording.yaml with its source).
ABOLISHED = ("扶贫开发办公室", "扶贫办", "扶贫部门", "扶贫开发领导小组", "五保", "建档立卡贫困户",
             "贫困残疾人家庭", "贫困退出")


def entries():
    found, problems = wording.load_entries(ROOT)
    assert problems == [], [p.format() for p in problems]
    return found


def test_the_wording_list_dates_and_cites_every_entry():
    listed = entries()
    terms = {e.term for e in listed}
    assert set(ABOLISHED) <= terms
    assert {"防止返贫监测帮扶", "农村易返贫致贫户", "社会救助暂行办法", "中华人民共和国政府信息公开条例"} <= terms
    for e in listed:
        assert e.source and not e.source.startswith("同“"), e.term   # references resolved to the source itself
        if e.type != "basis":
            assert e.valid_from or e.valid_until, e.term
    by_term = {e.term: e for e in listed}
    assert by_term["贫困退出"].valid_until == dt.date(2020, 12, 31)
    assert by_term["防止返贫监测帮扶"].valid_from == dt.date(2021, 1, 1)
    assert by_term[SEED].valid_until == dt.date(2016, 12, 31)


def test_sample_records_follow_the_wording_of_their_dates():
    site, problems = load_site(ROOT)
    assert site is not None, [p.format() for p in problems]
    listed = entries()
    expired = [e for e in listed if e.type != "basis" and e.valid_until and e.valid_until < AS_OF]
    checked = 0
    for r in site.records:
        assert wording.record_problems(r, listed) == [], r.doc.rel
        if r.published.year >= 2026 and not r.kind.id.startswith("medical"):
            text = json.dumps(r.data, ensure_ascii=False)
            for e in expired:
                if not e.kinds and not e.fields:
                    assert e.term not in text, (r.doc.rel, e.term)
            checked += 1
    assert checked > 100
    kinds = {r.kind.id: r for r in site.records}
    assert all("医疗保障局" in r.data["publisher"] for r in site.records if r.kind.id == "medical_aid_stats")
    assert all("应急管理" in r.data["publisher"] for r in site.records if r.kind.id == "disaster_report")
    categories = {r.data["category"] for r in site.records if r.kind.id == "poverty_notice"}
    assert "防止返贫监测帮扶" in categories and "贫困退出" not in categories
    assert kinds["rural_housing_policy"]


def _fixed_text(template: str) -> str:
    """A template's own words: Jinja expressions, statements and comments removed."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", template, flags=re.S)


def test_templates_and_column_settings_use_todays_wording():
    listed = entries()
    expired = [e for e in listed if e.type != "basis" and e.valid_until and e.valid_until < AS_OF
               and (not e.fields or e.type == "category")]
    assert expired
    for path in sorted((ROOT / "templates").rglob("*.j2")):
        text = _fixed_text(path.read_text("utf-8"))
        found = [e.term for e in expired if e.term in text]
        assert not found, (path.name, found)
    config = yaml.safe_load((ROOT / "site_data" / "site.yaml").read_text("utf-8"))
    bases = [e for e in listed if e.type == "basis" and e.valid_until and e.valid_until < AS_OF]
    for column in config["columns"]:
        for item in column["legal_basis"]:
            assert not [e.term for e in bases if e.term in item], (column["id"], item)
        if column["id"] in ("relief", "subsidies", "housing", "education"):  # the seed's four columns
            assert any(SEED in item for item in column.get("legal_history", [])), column["id"]
    relief = next(c for c in config["columns"] if c["id"] == "relief")
    assert any("社会救助暂行办法" in b for b in relief["legal_basis"])
    # Schema examples are what `python -m generator new` pre-fills for a new record: today's wording.
    def examples(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "examples":
                    yield json.dumps(value, ensure_ascii=False)
                else:
                    yield from examples(value)
        elif isinstance(node, list):
            for value in node:
                yield from examples(value)
    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        text = " ".join(examples(json.loads(path.read_text("utf-8"))))
        found = [e.term for e in expired if e.term in text]
        assert not found, (path.name, found)
    # Standard directories: the 2016 work points are history, never the basis.
    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        directory = (json.loads(path.read_text("utf-8")).get("x-kind") or {}).get("directory")
        if directory:
            assert SEED not in directory["basis"], path.name


# ------------------------------------------------------------------ validate on small projects

def _project(tmp_path, records: dict, kind_valid: dict | None = None):
    root = copy_project(tmp_path / "p")
    for path in (root / "site_data").glob("*/*.yaml"):
        path.unlink()
    (root / "site_data" / "published.tsv").unlink(missing_ok=True)
    for rel, text in records.items():
        write(root / "site_data" / rel, text)
    if kind_valid:
        schema = root / "schemas" / "poverty_notice.schema.json"
        data = json.loads(schema.read_text("utf-8"))
        data["x-kind"]["valid"] = kind_valid
        schema.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return root


def _sample_text(kind: str, name: str, **changes) -> str:
    data = yaml.safe_load((ROOT / "site_data" / kind / name).read_text("utf-8"))
    data.update(changes)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _position(text: str, key: str) -> tuple[int, int]:
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}: "):
            return n, len(key) + 3
    raise AssertionError(key)


def test_an_abolished_category_or_body_on_a_new_record_is_refused_an_old_record_keeps_it(tmp_path):
    exit_2026 = _sample_text("poverty_notice", "2026-640324100-4.yaml", category="贫困退出")
    old = yaml.safe_load(_sample_text("poverty_notice", "2026-640324100-4.yaml"))
    old.update(index_no="11640324MB0007100X/2016-00001", published="2016-09-08", written="2016-09-06",
               category="贫困退出", publisher="同心县扶贫开发办公室", lead_dept="同心县扶贫开发办公室",
               review={"reviewer": "李华", "date": "2016-09-07", "status": "已通过"})
    old.pop("monitoring")
    old["exit"] = {"households": 6, "persons": 20}
    old_text = yaml.safe_dump(old, allow_unicode=True, sort_keys=False)
    medical = _sample_text("medical_aid_stats", "2026-Q3-640324.yaml", publisher="同心县民政局")
    root = _project(tmp_path, {"poverty_notice/new.yaml": exit_2026, "poverty_notice/old.yaml": old_text,
                               "medical_aid_stats/m.yaml": medical})
    result = run_cli(root, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("site_data/")]
    line, col = _position(exit_2026, "category")
    assert any(x.startswith(f"site_data/poverty_notice/new.yaml:{line}:{col}: 类别“贫困退出”只用于 2020-12-31 及以前")
               and "防止返贫监测帮扶" in x for x in lines), lines
    line, col = _position(medical, "publisher")
    assert any(x.startswith(f"site_data/medical_aid_stats/m.yaml:{line}:{col}: 机构名称“民政”")
               and "医疗保障局" in x for x in lines), lines
    # The 2016 record keeps its 扶贫办 and its exit list.
    assert not [x for x in lines if x.startswith("site_data/poverty_notice/old.yaml")], lines


def test_a_record_of_a_kind_outside_its_validity_dates_is_refused(tmp_path):
    new = _sample_text("poverty_notice", "2026-640324100-4.yaml")
    root = _project(tmp_path, {"poverty_notice/a.yaml": new},
                    kind_valid={"from": "2017-01-01", "until": "2025-12-31", "instead": "常态化帮扶公告",
                                "source": "测试：过渡期 2021—2025 年"})
    result = run_cli_in_process(root, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line, col = _position(new, "published")
    expected = (f"site_data/poverty_notice/a.yaml:{line}:{col}: “帮扶公告公示”只用于 2017-01-01 至 2025-12-31 "
                f"发布的信息，本条发布日期是 2026-09-08。请改用常态化帮扶公告。")
    assert any(x.startswith(expected) for x in result.stderr.splitlines()), result.stderr
    # A malformed window is the developer's to fix, on the schema, in Chinese.
    schema = root / "schemas" / "poverty_notice.schema.json"
    data = json.loads(schema.read_text("utf-8"))
    data["x-kind"]["valid"] = {"from": "去年"}
    schema.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_cli_in_process(root, "validate")
    assert result.returncode == 1 and "schemas/poverty_notice.schema.json:1:1: 类别“帮扶公告公示”的 x-kind.valid" \
        in result.stderr and "Traceback" not in result.stderr


# ------------------------------------------------------------------ self-check

def test_completeness_asks_each_notice_what_its_category_carries():
    site, _ = load_site(ROOT)
    report = check.run(site, AS_OF)
    assert not [f for f in report.findings if f.rule == "completeness" and f.kind == "poverty_notice"
                and f.status == "missing"]
    # A 资金安排 notice without its funds table is incomplete; it never owes an exit list.
    notice = next(r for r in site.records if r.kind.id == "poverty_notice" and r.data["category"] == "资金安排")
    kind = site.kinds["poverty_notice"]
    assert [p for p, _ in check.category_items(kind, notice.data)] == ["funds"]
    funds = notice.data.pop("funds")
    try:
        missing = [f for f in check.run(site, AS_OF).findings
                   if f.rule == "completeness" and f.record is notice and f.status == "missing"]
    finally:
        notice.data["funds"] = funds
    assert len(missing) == 1 and "资金安排类" in missing[0].message and "funds" in missing[0].message


def test_the_sample_self_check_warns_only_about_what_an_office_must_act_on():
    site, _ = load_site(ROOT)
    report = check.run(site, AS_OF)
    open_findings = [f for f in report.findings if f.severity != "ok"]
    # Policies are not re-issued every six months: no 更新频率 finding on them.
    assert not [f for f in report.findings if f.rule == "freshness" and f.kind == "policy"]
    # What may remain: a column idle beyond its update class (the office must publish).
    assert {(f.rule, f.column) for f in open_findings} <= {("column_stale", "subsidies")}, \
        [f.message for f in open_findings]
    rules = check.RULES
    assert "空白栏目数量超过（含）5 个" in rules["empty_column"].basis
    assert "国办发〔2016〕80号" in rules["interpretation_deadline"].basis
    assert "国办秘函〔2019〕19号" in rules["column_stale"].basis


def test_pages_of_2026_name_no_abolished_body_and_columns_show_the_basis_in_force(built_site):
    checked = 0
    for kind, data in approved():
        if not str(data["published"]).startswith("2026"):
            continue
        page = built_site / url(kind, data) / "index.html"
        text = htmllib.unescape(re.sub(r"<[^>]+>", " ", article(page.read_text("utf-8"))))
        found = [term for term in ABOLISHED if term in text]
        assert not found, (kind, data["index_no"], found)
        if kind == "medical_aid_stats":
            assert "医疗保障局" in text and "民政局" + "统计" not in text
        checked += 1
    assert checked > 200
    relief = htmllib.unescape((built_site / "zwgk" / "relief" / "index.html").read_text("utf-8"))
    basis = relief[relief.index("公开依据"):relief.index("最后更新")]
    assert "社会救助暂行办法" in basis and "沿革" in basis
    assert basis.index(SEED) > basis.index("沿革"), "the 2016 work points are history, not the basis"
    directory = htmllib.unescape((built_site / "zwgk" / "relief" / "standard-directory" / "index.html")
                                 .read_text("utf-8"))
    assert "沿革：《" + SEED in directory
