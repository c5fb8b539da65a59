"""The extended sample: the bundled sample plus everything a few tests need to see in one
real build (conftest.py: the session fixture `extended_site`), instead of a build each.

- hostile values (test_hostile.py): markup, quotes, `]]>`, `|` and newlines in a record's
  title, summary, keywords, publisher and region name, in the office's name and a column's
  description, and in the site's own name (its meta tags, test_conventions.py);
- a draft statistics record (test_hostile.py) and a sample record taken back to review
  (test_datasets.py), whose figures must reach no output;
- a kind added from files only, a schema, a template and a record (test_build.py);
- a dataset kind added from files only, with a chart (test_datasets.py);
- long listings split by county, with a small `catalogue_page_rows` (test_listing_split.py).

Each addition is checked against the sample it changes, so a change to the sample data
fails here, loudly, instead of leaving a test that can no longer fail.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import yaml
from conftest import ROOT, write

from generator.urls import urls

# `&amp;<b>` in place of a second `</script>`: the 100-character fields have room for no more.
EVIL = "</title><script>alert(1)</script>&amp;<b>\"onmouseover=alert(2) x='<i class=gkevil>|</i>]]>"
EVIL_LINES = EVIL + "\n第二行|[链接](javascript:alert(3))"
REGION = "恶意县" + EVIL  # regions.tsv: one line, no newline possible
# The hostile record is the newest on the site, so that it is in every feed's latest entries
# however much sample data other kinds add.
NEWEST = max(dt.date.fromisoformat(m.group(1)) for f in (ROOT / "site_data").glob("*/*.yaml")
             for m in [re.search(r"^published: '?([0-9-]{10})", f.read_text("utf-8"), re.M)] if m) \
    + dt.timedelta(days=1)
HOSTILE = f"""\
index_no: 11640399MB0000001X/2026-00001
title: {json.dumps("恶意标题" + EVIL_LINES, ensure_ascii=False)}
publisher: {json.dumps("恶意机构" + EVIL, ensure_ascii=False)}
lead_dept: {json.dumps("恶意部门" + EVIL, ensure_ascii=False)}
region: {{code: "640399", name: {json.dumps(REGION, ensure_ascii=False)}}}
published: {NEWEST}
written: 2026-10-09
validity: 有效
topic: 民政、扶贫、救灾
summary: {json.dumps("概述" + EVIL, ensure_ascii=False)}
keywords: [{json.dumps(EVIL, ensure_ascii=False)}, "低保|特困"]
review: {{reviewer: 张明, date: 2026-10-11, status: 已通过}}
period: 2026-Q3
urban: {{recipients: 100, standard: 780, subsidy_level: 500, expenditure: 10.5}}
rural: {{recipients: 300, standard: 5760, subsidy_level: 300, expenditure: 20.1}}
tekun: {{persons: 20, expenditure: 3.2}}
notes: {json.dumps(EVIL_LINES, ensure_ascii=False)}
"""
BODY = ("第一条 正文。[点我](javascript:alert(4)) <script>alert(5)</script> "
        "<img src=x onerror=alert(6)> ![图](http://evil.example/x.png) [ok](https://www.gov.cn/)\n\n"
        "| a | b |\n|---|---|\n| <i class=gkevil>x</i> | y |")
HOSTILE_POLICY = f"""\
index_no: 11640399MB0000001X/2026-00002
title: {json.dumps("恶意政策" + EVIL_LINES, ensure_ascii=False)}
publisher: {json.dumps("恶意机构" + EVIL, ensure_ascii=False)}
lead_dept: 同心县民政局
region: {{code: "640399", name: {json.dumps(REGION, ensure_ascii=False)}}}
published: 2026-10-12
written: 2026-10-09
validity: 有效
topic: 民政、扶贫、救灾
doc_no: {json.dumps("恶文" + EVIL[:40], ensure_ascii=False)}
summary: {json.dumps("概述" + EVIL, ensure_ascii=False)}
keywords: [{json.dumps(EVIL, ensure_ascii=False)}]
review: {{reviewer: 张明, date: 2026-10-11, status: 已通过}}
column: relief
body: {json.dumps(BODY, ensure_ascii=False)}
"""
# Not approved: must reach no dataset row, chart, data.json count or any other output.
DRAFT_STATS = HOSTILE.replace("2026-00001", "2026-00003").replace("status: 已通过", "status: 待审核") \
    .replace("恶意标题", "草稿统计").replace("period: 2026-Q3", "period: 2026-Q4") \
    .replace("expenditure: 10.5", "expenditure: 98765.4")


SITE_NAME = "宁夏回族自治区政务公开专栏（示例站点）"
EVIL_SITE_NAME = '专栏"><script>alert(1)</script>'


def add_hostile_values(root: Path) -> None:
    with open(root / "site_data/regions.tsv", "a", encoding="utf-8") as f:
        f.write(f"640399\t{REGION}\tcounty\t640300\n")
    # Site settings are YAML too: the office (指南, feeds, data.json), a column's description
    # (meta tags, JSON-LD, column page) and the site's name (every page's title and meta tags).
    settings = root / "site_data/site.yaml"
    text = settings.read_text("utf-8")
    text = re.sub(r"(?m)^(  name: ).*政务公开办公室.*$", lambda m: m.group(1) + json.dumps(
        "政务公开办" + EVIL, ensure_ascii=False), text, count=1)
    text = re.sub(r"(?m)^(    description: )城乡低保.*$", lambda m: m.group(1) + json.dumps(
        "专栏说明" + EVIL_LINES, ensure_ascii=False), text, count=1)
    text = text.replace(f"name: {SITE_NAME}", f"name: {json.dumps(EVIL_SITE_NAME, ensure_ascii=False)}", 1)
    changed = yaml.safe_load(text)
    assert changed["office"]["name"] == "政务公开办" + EVIL, "the sample site.yaml changed: update this fixture"
    assert changed["columns"][0]["description"] == "专栏说明" + EVIL_LINES
    assert changed["name"] == EVIL_SITE_NAME, "the sample site.yaml changed: update this fixture"
    settings.write_text(text, "utf-8")
    write(root / "site_data/dibao_stats/hostile.yaml", HOSTILE)
    write(root / "site_data/dibao_stats/draft.yaml", DRAFT_STATS)
    write(root / "site_data/policy/hostile.yaml", HOSTILE_POLICY)


# -- a kind from files only (README: 增加一类记录) --------------------------------------------

FLOOD_PAGE = urls.built(urls.record("relief", "flood_notice", "11640324MB0000009X/2026-00001"))  # FLOOD_RECORD's
FLOOD_RECORD = """\
index_no: 11640324MB0000009X/2026-00001
title: 同心县防汛黄色预警通告
publisher: 同心县应急管理局
lead_dept: 同心县应急管理局
region: {code: "640324", name: 同心县}
published: 2026-07-20
written: 2026-07-20
validity: 有效
topic: 民政、扶贫、救灾
review: {reviewer: 王强, date: 2026-07-20, status: 已通过}
level: 黄色
advice: 请沿河群众注意避险 <b>立即转移</b>
"""


def add_flood_notice_kind(root: Path) -> None:
    """A new column kind is a schema, a template and data: no Python change."""
    write(root / "schemas/flood_notice.schema.json", json.dumps({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "防汛通告",
        "x-kind": {"name": "防汛通告", "column": "relief"},
        "properties": {"level": {"title": "预警等级", "type": "string", "enum": ["蓝色", "黄色", "橙色", "红色"]},
                       "advice": {"title": "避险提示", "type": "string", "minLength": 2}},
        "required": ["level", "advice"],
    }, ensure_ascii=False))
    write(root / "templates/kinds/flood_notice.md.j2",
          '{% extends "record.md.j2" %}\n{% block body %}\n**预警等级：**{{ r.data.level }}\n\n{{ r.data.advice }}\n{% endblock %}\n')
    write(root / "site_data/flood_notice/2026-07.yaml", FLOOD_RECORD)


# -- a dataset kind from files only, and a record taken back to review ------------------------

# Back to 待审核: its row must leave the dataset (a site that never published it: no manifest).
UNAPPROVED = "site_data/dibao_stats/2026-Q3-640104.yaml"
MEDICAL_AID = [("2024", 1200, None), ("2025", 1350, None), ("2025", 800, ("640105", "西夏区"))]


def add_medical_aid_kind(root: Path) -> None:
    draft = root / UNAPPROVED
    assert "status: 已通过" in draft.read_text("utf-8"), "the sample data changed: update this fixture"
    draft.write_text(draft.read_text("utf-8").replace("status: 已通过", "status: 待审核"), "utf-8")
    (root / "site_data/published.tsv").unlink()
    write(root / "schemas/medical_aid.schema.json", json.dumps({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "医疗救助统计", "description": "一个县一个年度的医疗救助情况。",
        "x-kind": {"name": "医疗救助统计", "column": "relief", "period": True, "dataset": {
            "title": "医疗救助统计数据", "fields": [
                {"path": "visits", "label": "救助人次数", "unit": "人次", "chart": True},
                {"path": "spending", "label": "医疗救助资金支出", "unit": "万元"}]}},
        "properties": {"period": {"type": "string"}, "visits": {"type": "integer"},
                       "spending": {"type": "number"}},
        "required": ["visits", "spending"],
    }, ensure_ascii=False))
    write(root / "templates/kinds/medical_aid.md.j2",
          '{% extends "record.md.j2" %}\n{% block body %}\n救助人次数：{{ r.data.visits }}\n{% endblock %}\n')
    common = (root / "site_data/dibao_stats/2026-Q1-640104.yaml").read_text("utf-8")
    head = common.split("sample: true")[0]
    assert "11640104MB0000001X/2026-00101" in head and "兴庆区2026年第1季度城乡低保和特困人员统计" in head, \
        "the sample data changed: update this fixture"
    for n, (period, visits, region) in enumerate(MEDICAL_AID):
        text = head.replace("11640104MB0000001X/2026-00101", f"11640104MB0000001X/2026-0090{n}")
        text = text.replace("兴庆区2026年第1季度城乡低保和特困人员统计", f"医疗救助统计{n}")
        if region:
            text = text.replace("640104", region[0]).replace("兴庆区", region[1])
        write(root / f"site_data/medical_aid/{n}.yaml",
              text + f"sample: true\nperiod: '{period}'\nvisits: {visits}\nspending: {visits / 10}\n")


# Long listings split by county (test_listing_split.py): a limit below the sample's size.
LISTING_ROWS = 10


def extend(root: Path) -> Path:
    with open(root / "site_data/site.yaml", "a", encoding="utf-8") as f:
        f.write(f"\ncatalogue_page_rows: {LISTING_ROWS}\n")
    add_hostile_values(root)
    add_flood_notice_kind(root)
    add_medical_aid_kind(root)
    return root
