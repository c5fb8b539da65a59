"""Validation against the real kind schemas: Chinese messages, positions, every problem at once."""
import re

from conftest import run_cli, run_cli_in_process, write

from generator.model.validate import load_site

GOOD = """\
index_no: 11640324MB0000001X/2026-00900
title: 同心县2026年第3季度城乡低保和特困人员统计
publisher: 同心县民政局
lead_dept: 同心县民政局
region:
  code: 640324
  name: 同心县
published: 2026-10-12
written: 2026-10-09
validity: 有效
topic: 民政、扶贫、救灾
review:
  reviewer: 张明
  date: 2026-10-11
  status: 已通过
period: 2026-Q3
urban:
  recipients: 100
  standard: 780
  subsidy_level: 500
  expenditure: 10.5
rural: {recipients: 300, standard: 5760, subsidy_level: 300, expenditure: 20.1}
tekun: {persons: 20, expenditure: 3.2}
"""


def problems_for(project, text, name="dibao_stats/test.yaml"):
    write(project / "site_data" / name, text)
    site, problems = load_site(project)
    rel = f"site_data/{name}"
    return site, [p for p in problems if p.path == rel]


def test_good_record_passes_and_numeric_code_is_kept_as_text(project):
    site, problems = problems_for(project, GOOD)
    assert problems == [] and site is not None
    rec = [r for r in site.records if r.index_no.endswith("2026-00900")][0]
    assert rec.region_code == "640324"


def test_every_problem_at_once_with_positions(project):
    bad = (GOOD.replace("title: 同心县", "titel: 同心县")
               .replace("recipients: 100", "recipients: 1,234")
               .replace("standard: 5760", "standard: ５７６０")
               .replace("published: 2026-10-12", "published: 2026-02-30")
               .replace("status: 已通过", "status: ok")
               .replace("persons: 20", "persons: -3"))
    site, problems = problems_for(project, bad)
    assert site is None
    text = "\n".join(p.format() for p in problems)
    assert re.search(r"site_data/dibao_stats/test\.yaml:2:1: 不认识的字段“titel”。您是不是想写 title", text)
    assert "缺少必填字段 “title”（标题）" in text
    assert re.search(r":18:\d+: .*对象人数.*应为整数.*千位分隔符.*1234", text)
    assert "全角" in text
    assert re.search(r":8:12: “published”（发布日期）不是有效的日期", text)
    assert "只能是以下之一：已通过、待审核、未通过" in text
    assert "不能小于 0" in text
    assert len(problems) >= 7


def test_chinese_key_suggests_english_field(project):
    _, problems = problems_for(project, GOOD + "标题: 重复\n")
    assert any("您是不是想写 title（标题）" in p.message for p in problems)


def test_region_and_name_must_exist_and_agree(project):
    _, problems = problems_for(project, GOOD.replace("name: 同心县", "name: 西吉县"))
    assert any("不是“西吉县”" in p.message and p.line == 7 for p in problems)
    _, problems = problems_for(project, GOOD.replace("code: 640324", "code: 640399"))
    assert any("640399" in p.message and "regions.tsv" in p.message for p in problems)


def test_duplicate_index_no_names_the_other_file(project):
    write(project / "site_data/dibao_stats/a.yaml", GOOD)
    _, problems = problems_for(project, GOOD.replace("2026-Q3", "2026-Q2"), "dibao_stats/b.yaml")
    assert any("已被 site_data/dibao_stats/a.yaml 第 1 行使用" in p.message for p in problems)


def test_wrong_unit_is_caught_by_bounds(project):
    _, problems = problems_for(project, GOOD.replace("standard: 780", "standard: 7800000"))
    assert any("请检查单位" in p.message for p in problems)


def test_interpretation_must_point_to_existing_policy(project):
    text = (project / "site_data/interpretation/2026-relief.yaml").read_text("utf-8")
    text = re.sub(r"policy: \S+", "policy: 11640000MB0000002X/2026-09999", text)
    _, problems = problems_for(project, text, "interpretation/2026-relief.yaml")
    assert any("找不到索引号为" in p.message for p in problems)


def test_attachment_outside_project_is_refused(project):
    text = GOOD + "attachments:\n  - title: 密码\n    file: ../../etc/passwd\n"
    _, problems = problems_for(project, text)
    assert any("必须放在 site_data/attachments/" in p.message and p.line == 26 for p in problems)


def test_unknown_kind_directory(project):
    write(project / "site_data/dibaos/x.yaml", GOOD)
    site, problems = load_site(project)
    assert site is None
    assert any(p.path == "site_data/dibaos/x.yaml" and "不是已知的记录类别" in p.message for p in problems)


def test_cli_validate_exit_codes_and_format(project):
    ok = run_cli(project, "validate")
    assert ok.returncode == 0, ok.stderr
    assert "校验通过" in ok.stdout
    write(project / "site_data/dibao_stats/bad.yaml", GOOD.replace("period: 2026-Q3", "period: 2026-Q5"))
    bad = run_cli_in_process(project, "validate")
    assert bad.returncode == 1
    line = [l for l in bad.stderr.splitlines() if l.startswith("site_data/dibao_stats/bad.yaml")][0]
    assert re.match(r"site_data/dibao_stats/bad\.yaml:16:9: “period”（统计期）格式不对：“2026-Q5”.*例如：2025-Q3", line)
    assert "Traceback" not in bad.stderr + bad.stdout


def test_files_validated_in_several_processes_load_as_in_one(project, monkeypatch):
    """A cold build validates its record files in every build process (workers.split_map):
    the same records in the same order, the same problems, at the same positions."""
    import os

    from generator.sitebuild import workers

    write(project / "site_data/dibao_stats/bad-a.yaml", GOOD.replace("00900", "00901").replace("recipients: 100", "recipients: 很多"))
    write(project / "site_data/dibao_stats/bad-b.yaml", GOOD.replace("00900", "00902").replace("published: 2026-10-12", "published: 2026-13-12"))
    write(project / "site_data/dibao_stats/good.yaml", GOOD)
    monkeypatch.setenv("GK_BUILD_WORKERS", "1")
    _, alone = load_site(project)
    forks = []
    real_fork = os.fork

    def counted_fork():
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(workers, "SPLIT_LEAST", 1)
    monkeypatch.setattr(os, "fork", counted_fork)
    monkeypatch.setenv("GK_BUILD_WORKERS", "2")
    _, shared = load_site(project)
    assert forks, "the files were not shared out"
    assert [(p.format(), p.severity) for p in shared] == [(p.format(), p.severity) for p in alone]
    assert any(p.path.endswith("bad-a.yaml") for p in alone) and any(p.path.endswith("bad-b.yaml") for p in alone)
    # Without the bad files the site loads, record for record as in one process.
    for name in ("bad-a.yaml", "bad-b.yaml"):
        (project / "site_data/dibao_stats" / name).unlink()
    site2, _ = load_site(project)
    monkeypatch.setenv("GK_BUILD_WORKERS", "1")
    site1, _ = load_site(project)
    assert [(r.doc.rel, r.data, r.doc.where(("published",))) for r in site2.records] == \
        [(r.doc.rel, r.data, r.doc.where(("published",))) for r in site1.records]
