"""Standard directories (基层政务公开标准目录): what each kind promises to publish.

A kind declares `x-kind.directory`; this step checks its shape (a mistake
there would silently change the deadline the compliance check applies) and
writes one 标准目录 page per column listing its kinds' entries.
"""
from __future__ import annotations

from jsonschema import Draft7Validator

from ..problems import Problem
from .render import href, link, page
from ..urls import urls

MODES = ["主动公开", "依申请公开"]

# The exact shape other steps (the compliance check) rely on.
DIRECTORY_SCHEMA = {
    "type": "object",
    "properties": {
        "item": {"type": "array", "minItems": 2, "maxItems": 2,
                 "items": {"type": "string", "minLength": 2}},
        "elements": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "properties": {"name": {"type": "string", "minLength": 2},
                           "required": {"type": "boolean"}},
            "required": ["name", "required"], "additionalProperties": False}},
        "basis": {"type": "string", "minLength": 2},
        # What earlier (now expired) documents asked for, shown as history beside the basis in force.
        "history": {"type": "string", "minLength": 2},
        "deadline_working_days": {"type": "integer", "minimum": 1, "maximum": 365},
        # A deadline set as calendar dates rather than working days (the 年度报告: 条例 art. 49).
        "deadline": {"type": "string", "minLength": 4},
        "subject": {"type": "string", "minLength": 2},
        "channels": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 2}},
        "audience": {"type": "string", "minLength": 2},
        "mode": {"type": "string", "enum": MODES},
    },
    "required": ["item", "elements", "basis", "subject", "channels", "audience", "mode"],
    "additionalProperties": False,
}

_HINTS = {
    "item": "item 写两级事项，例如 [\"社会救助\", \"最低生活保障\"]",
    "elements": "elements 写公开内容，例如 [{\"name\": \"低保标准\", \"required\": true}]",
    "basis": "basis 写公开依据，例如 \"《社会救助暂行办法》\"",
    "deadline_working_days": "deadline_working_days 写公开时限（工作日数，整数），例如 10",
    "subject": "subject 写公开主体，例如 \"县级以上民政部门\"",
    "channels": "channels 写公开渠道，例如 [\"政府网站\"]",
    "audience": "audience 写公开对象，例如 \"全社会\"",
    "mode": "mode 写公开方式：" + " 或 ".join(MODES),
}


def directory_problems(kind) -> list[Problem]:
    entry = kind.directory
    if entry is None:
        return []
    rel = f"schemas/{kind.id}.schema.json"
    out = []
    for err in sorted(Draft7Validator(DIRECTORY_SCHEMA).iter_errors(entry), key=lambda e: list(e.path)):
        where = "x-kind.directory" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.path)
        if err.validator == "required":
            missing = err.message.split("'")[1]
            hint = _HINTS.get(missing, missing)
        elif err.validator == "additionalProperties":
            hint = "只能有这些字段：" + "、".join(DIRECTORY_SCHEMA["properties"])
        else:
            key = next((p for p in err.path if isinstance(p, str)), "")
            hint = _HINTS.get(key, "请对照其他类别的 x-kind.directory 修改")
        out.append(Problem(rel, 1, 1, f"类别“{kind.name}”的标准目录设置 {where} 有误。{hint}。"))
    if isinstance(entry, dict) and "deadline_working_days" not in entry and "deadline" not in entry:
        out.append(Problem(rel, 1, 1, f"类别“{kind.name}”的标准目录设置 x-kind.directory 有误。"
                                      f"{_HINTS['deadline_working_days']}；时限是固定日期时写 deadline，"
                                      "例如 \"每年3月31日前\"。"))
    return out


def check_directories(site, as_of):
    problems = []
    for kind in site.kinds.values():
        problems += directory_problems(kind)
    return problems


def page_src(column) -> str:
    return urls.directory(column.id)


def entries(site, column) -> list:
    """(kind, directory entry, kind page src or None) for each kind of a column that declares one."""
    rows = []
    for kind_id in column.kinds:
        kind = site.kinds[kind_id]
        entry = kind.directory
        if not entry:
            continue
        has_records = any(r.kind.id == kind_id and r.column_id == column.id for r in site.approved_records)
        target = urls.kind(column.id, kind_id) if has_records else None
        rows.append((kind, entry, target))
    return rows


def directory_pages(site, output, env):
    template = env.get_template("conventions/directory.md.j2")
    for column in site.columns.values():
        src = page_src(column)
        output.add(src, page(template, src=src, column=column, rows=entries(site, column),
                             config=site.config, href=href, link=link))
