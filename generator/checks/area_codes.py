"""Office phone numbers against the 长途区号 of the record's region (regions.tsv, column area_code).

A 同心县 record with a 0954 number sends citizens to an office in 固原: the number is
wrong, and the editor can see and fix it before publishing, so it is an error. A
number of a region above the record's own is allowed (a county page may give the
自治区's 0951 supervision line); mobile numbers and short service numbers
(12345, 12317 …) carry no area code and are not checked here.
"""
from __future__ import annotations

import re

from .pii import _office_phone_field, _walk
from ..problems import Problem

LANDLINE = re.compile(r"^(0\d{2,3})-\d{7,8}$")


def record_problems(site, record) -> list[Problem]:
    own = site.area_code(record.region_code)
    if not own:
        return []
    allowed = {own} | {site.area_code(c) for c in site.ancestors(record.region_code)} - {""}
    return record.doc.remembered("area_codes", (own, sorted(allowed)), lambda: _judge(record, own, allowed))


def _judge(record, own: str, allowed: set[str]) -> list[Problem]:
    problems = []
    for path, value in _walk(record.data):
        m = LANDLINE.match(value.strip())
        if not m or m.group(1) in allowed or not _office_phone_field(record.kind.schema, path):
            continue
        line, col = record.doc.where(path)
        rest = value.strip()[len(m.group(1)):]
        others = "、".join(sorted(allowed - {own}))
        problems.append(Problem(record.doc.rel, line, col, (
            f"电话“{value.strip()}”的区号是 {m.group(1)}，不是{record.region_name}的长途区号 {own}"
            f"（site_data/regions.tsv 的 area_code 列）。请核对号码，本地部门的电话写成 {own}{rest} 这样"
            + (f"；上级部门的电话可以用区号 {others}。" if others else "。"))))
    return problems


def check_area_codes(site, as_of) -> list[Problem]:
    problems = []
    for record in site.records:
        problems += record_problems(site, record)
    return problems
