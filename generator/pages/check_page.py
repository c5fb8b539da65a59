"""The 自查报告 page: the compliance self-check as citizens and inspectors see it.

Always built (inspectors and the office read it at a known address,
/zwgk/zicha/); `self_check.report_in_nav: false` in site.yaml only takes it
out of what citizens navigate by: the home page's links and the site search.
"""
from __future__ import annotations

from ..checks import check
from ..model import workdays
from .render import href, link, page
from ..urls import urls

PAGE = urls.report()


def in_nav(config: dict) -> bool:
    return ((config or {}).get("self_check") or {}).get("report_in_nav", True) is not False


def report_page(site, output, env, report=None):
    # `report`: the build's self-check, with its --as-of (or a function that waits for it:
    # pipeline.generate); a render without one (tests) checks as of today.
    report = (report() if callable(report) else report) or check.run(site)
    output.add(PAGE, page(env.get_template("compliance/report.md.j2"),
        src=PAGE, report=report, groups=report.by_column(), rules=check.RULES,
        statuses=check.STATUS_NAMES, in_nav=in_nav(site.config), calendar=workdays.library(),
        first_year=workdays.FIRST.year, last_year=workdays.LAST.year, link=link, href=href,
        config=site.config, sample_site=bool(site.config.get("sample_data"))))
