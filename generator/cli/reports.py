"""What `validate`, `check` and `build --report` print of the checks' findings."""
from __future__ import annotations

import sys

from ..problems import print_problems, summary


def validated(site, problems) -> str:
    return (f"校验通过：{len(site.records)} 条记录，其中 {len(site.approved_records)} 条已通过保密审查、"
            f"可以发布。{summary(problems)}")


def print_check(site, problems: list, found: list, report) -> bool:
    """What `check` prints of the checks' findings (pipeline.load_and_check's parts), as
    `build --report` prints them too; True when none of them stops a build."""
    from ..checks.check import print_report

    if site is None:
        print_problems(problems)
        print(f"数据校验未通过，无法自查。{summary(problems)}请先按上面的位置修改。", file=sys.stderr)
        return False
    if report is None:  # the kinds' settings do not let the self-check run
        print_problems(problems + found)
        return False
    # The push hook runs this instead of validate and then check (one load of the data),
    # so it says what validate would have said first.
    if not any(p.is_error for p in problems):
        print(validated(site, problems))
    print_report(report)
    if problems:
        print("\n其他检查发现的问题：", file=sys.stderr)
        print_problems(problems)
    return not any(p.is_error for p in report.problems + problems)
