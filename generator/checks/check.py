"""Compliance self-check (政务公开自查): deadlines, freshness, completeness, column health.

Runs in every `build` (after the other checks: error-level findings stop it) and on
its own as `python -m generator check`, which prints a report grouped by
column and region and writes it as JSON. The rules, their default severity
and thresholds are in check_rules.RULES; `site.yaml` → `self_check.rules` overrides them.

Defaults: findings about the past that an editor cannot undo (a record that
was published late, a column not updated for months) are warnings, so they
inform without blocking the next, punctual publication; findings an editor
can and must fix before publishing (a broken policy↔解读 link, an empty
attachment, a column with nothing in it) are errors.
"""
from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

from ..model import workdays
from .check_rules import (OK, RULES, STATUS_NAMES, Finding, category_items, deadline,  # noqa: F401
                          freshness_problems, required_items, rule_settings, run_rules)
from ..problems import Problem


@dataclass
class Report:
    as_of: dt.date
    rules: dict                    # id -> (severity or None, settings)
    findings: list[Finding]
    columns: dict                  # id -> Column

    @property
    def problems(self) -> list[Problem]:
        return sorted(f.problem() for f in self.findings if f.status != "ontime" and f.severity != OK)

    def counts(self, findings=None) -> dict:
        findings = self.findings if findings is None else findings
        out = {s: 0 for s in STATUS_NAMES}
        for f in findings:
            out[f.status] += 1
        return out

    def by_column(self) -> list[tuple]:
        """(column or None, [(region or None, [findings])]) in site order, site-wide items last."""
        groups: dict = {}
        for f in self.findings:
            groups.setdefault(f.column, {}).setdefault(f.region, []).append(f)
        order = [c for c in self.columns if c in groups] + ([None] if None in groups else [])
        out = []
        for cid in order:
            regions = groups[cid]
            keys = sorted(regions, key=lambda r: ("", "") if r is None else r)
            out.append((self.columns.get(cid), [(r, _sorted(regions[r])) for r in keys]))
        return out


def _sorted(findings):
    rank = list(STATUS_NAMES)
    return sorted(findings, key=lambda f: (rank.index(f.status), f.kind or "", f.period or "",
                                           f.record.index_no if f.record else "", f.message))


# ---------------------------------------------------------------- running

def run(site, as_of: dt.date | None = None) -> Report:
    as_of = as_of or dt.date.today()
    rules = rule_settings(site.config)
    return Report(as_of=as_of, rules=rules, findings=run_rules(site, as_of, rules), columns=site.columns)


def self_check(site, as_of) -> tuple[list[Problem], Report | None]:
    """The self-check's problems and its report, for the 自查报告 page (None when the
    kinds' settings do not let it run)."""
    problems = freshness_problems(site)
    if problems:
        return problems, None
    report = run(site, as_of)
    return report.problems, report


# ---------------------------------------------------------------- output

def _finding_json(f: Finding) -> dict:
    rec = None
    if f.record is not None:
        rec = {"index_no": f.record.index_no, "title": f.record.title,
               "url": "/" + f.record.url if f.record.approved else None, "file": f.record.doc.rel}
    return {
        "rule": f.rule, "rule_name": RULES[f.rule].name, "status": f.status,
        "status_name": STATUS_NAMES[f.status], "severity": f.severity,
        "column": f.column, "region": {"code": f.region[0], "name": f.region[1]} if f.region else None,
        "kind": f.kind, "period": f.period, "record": rec,
        "position": {"file": f.where[0], "line": f.where[1], "column": f.where[2]} if f.where else None,
        "due": f.due.isoformat() if f.due else None, "date": f.date.isoformat() if f.date else None,
        "late_working_days": f.late_working_days, "overdue_days": f.overdue_days,
        "message": f.message,
    }


def report_json(report: Report, other: list[Problem] = ()) -> dict:
    problems = report.problems
    return {
        "as_of": report.as_of.isoformat(),
        "calendar": {"library": workdays.library(), "first": workdays.FIRST.isoformat(),
                     "last": workdays.LAST.isoformat(), "holiday_files": workdays.table_years()},
        "summary": {"errors": sum(p.is_error for p in problems) + sum(p.is_error for p in other),
                    "warnings": sum(not p.is_error for p in problems) + sum(not p.is_error for p in other),
                    **report.counts()},
        "rules": [{"id": rid, "name": RULES[rid].name, "severity": sev or "off", "basis": RULES[rid].basis,
                   "settings": settings} for rid, (sev, settings) in report.rules.items()],
        "columns": [{"id": c.id if c else None, "name": c.name if c else "全站",
                     "counts": report.counts([f for _, fs in regions for f in fs]),
                     "regions": [{"code": reg[0] if reg else None, "name": reg[1] if reg else "专栏整体",
                                  "counts": report.counts(fs)} for reg, fs in regions]}
                    for c, regions in report.by_column()],
        "findings": [_finding_json(f) for f in report.findings],
        "other_problems": [p.format() for p in other],
    }


def print_report(report: Report, stream=None) -> None:
    stream = stream or sys.stdout
    print(f"政务公开自查报告（检查日期 {report.as_of}，工作日按 {workdays.library()} 计算）", file=stream)
    for column, regions in report.by_column():
        all_f = [f for _, fs in regions for f in fs]
        c = report.counts(all_f)
        title = f"{column.name}（{column.id}）" if column else "全站"
        print(f"\n== {title}：按时 {c['ontime']}，逾期 {c['late']}，缺失 {c['missing']}，"
              f"未按时更新 {c['stale']}，其他问题 {c['problem']}", file=stream)
        quiet = 0
        for region, fs in regions:
            shown = [f for f in fs if f.status != "ontime"]
            if not shown:
                quiet += 1
                continue
            name = f"{region[1]}（{region[0]}）" if region else "专栏整体"
            print(f"  [{name}] 按时 {len(fs) - len(shown)} 项，需要处理 {len(shown)} 项：", file=stream)
            for f in shown:
                tag = {"error": "错误", "warning": "警告", OK: "提示"}[f.severity]
                p = f.problem()
                print(f"    {STATUS_NAMES[f.status]}（{tag}）{p.path}:{p.line}:{p.col}: {p.message}", file=stream)
        if quiet:
            print(f"  其余 {quiet} 组（地区或专栏整体）全部按时，没有问题。", file=stream)
