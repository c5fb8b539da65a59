"""check, manifest: the compliance self-check and the list of published 索引号, without a build.

The steps are imported when their command runs (see build_commands).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..problems import print_problems, summary
from .args import arg, as_of, command
from .reports import print_check


@arg("--json", dest="json_file", default="zicha-report.json",
     help="JSON 报告写到哪个文件（默认 zicha-report.json）")
@arg("--cache", default=None, metavar="目录",
     help="构建缓存目录：没有变化的记录文件直接用上次的校验结果，结果与不用缓存时相同"
          "（推送发布时由发布钩子使用，之后的 build --cache 也用它；默认不用缓存）")
@as_of
@command("check", "政务公开自查：公开时限（工作日）、解读、更新频率、完整性、栏目更新，输出报告")
def cmd_check(ns) -> int:
    from ..checks.check import report_json, self_check
    from ..model.record_cache import RecordCache
    from ..pipeline import load_with_checks

    root = Path(ns.root)
    site, problems = load_with_checks(root, ns.as_of, stored=RecordCache(Path(ns.cache), root) if ns.cache else None)
    found, report = self_check(site, ns.as_of) if site is not None else ([], None)
    ok = print_check(site, problems, found, report)
    if report is None:
        return 1
    out = Path(ns.json_file)
    out = out if out.is_absolute() else root / out
    out.write_text(json.dumps(report_json(report, problems), ensure_ascii=False, indent=1) + "\n",
                   encoding="utf-8")
    print(f"\n{summary(report.problems + problems)}JSON 报告已写入 {out}。")
    if not ok:
        print("有错误级别的问题：构建（build）会因此停止，请先修改。", file=sys.stderr)
        return 1
    return 0


@command("manifest", "更新 site_data/published.tsv（已发布索引号清单），不构建站点")
def cmd_manifest(ns) -> int:
    from ..checks.manifest import MANIFEST, update
    from ..pipeline import load_and_check

    root = Path(ns.root)
    site, problems, _ = load_and_check(root)
    print_problems(problems)
    if site is None:
        print(f"未更新：发现问题。{summary(problems)}", file=sys.stderr)
        return 1
    changed, total, added = update(root, site)
    print(f"已发布索引号清单{'已更新' if changed else '没有变化'}：共 {total} 条，新增 {added} 条。"
          f"请把 {MANIFEST} 和数据一起提交。")
    return 0
