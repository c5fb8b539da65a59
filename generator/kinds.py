"""Record kinds, declared as data: `schemas/<kind>.schema.json` plus templates.

A kind file holds only what is particular to that kind; the common metadata
of every government record (索引号, 发布机构, review …) lives once in
`schemas/common.schema.json` and is merged in here, so that every kind's
effective schema is self-contained (editors' tools such as VS Code's YAML
extension read it without following references).

The `x-kind` block says how the generator treats the kind:
  name        Chinese name shown to citizens and editors
  column      the column id it belongs to, or "*" when each record names its column
  template    record template under templates/ (default kinds/<kind>.md.j2)
  period      true when each record covers one statistical period
  dataset     {"title": …, "fields": [{"path", "label", "unit", "summary", "chart"}]}
  freshness / deadline_working_days / directory: read by the compliance check (check.py):
              freshness is monthly, quarterly, half-yearly, yearly or event;
              required_items lists dataset paths every record must fill in
  links       fields holding another record's 索引号, linked both ways (validate.py, record.md.j2)
  tables      tables inside a record with the identities their totals must satisfy (record_tables.py)
  home        true: the home page lists the newest records of the kind
  yearly_due  {"部门": "MM-DD", "政府": "MM-DD"}: a yearly record's deadline in the next year (check_rules.py)
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem

COMMON = "common"


@dataclass
class DatasetField:
    path: str
    label: str
    unit: str = ""
    summary: bool = False
    chart: bool | str = False   # true, or a chart title shared by fields drawn together

    def get(self, data: dict):
        value = data
        for part in self.path.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value


@dataclass
class Kind:
    id: str
    name: str
    column: str
    schema: dict
    template: str
    period: bool = False
    dataset_title: str = ""
    dataset_description: str = ""
    fields: list[DatasetField] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @property
    def summary_fields(self) -> list[DatasetField]:
        return [f for f in self.fields if f.summary] or self.fields

    def label(self, key: str) -> str:
        prop = self.schema.get("properties", {}).get(key, {})
        return prop.get("title", key)


def _merge(common: dict, own: dict) -> dict:
    merged = copy.deepcopy(own)
    merged.setdefault("type", "object")
    props = copy.deepcopy(common.get("properties", {}))
    props.update(own.get("properties", {}))
    merged["properties"] = props
    required = list(common.get("required", []))
    required += [r for r in own.get("required", []) if r not in required]
    merged["required"] = required
    merged["additionalProperties"] = False
    defs = copy.deepcopy(common.get("definitions", {}))
    defs.update(own.get("definitions", {}))
    if defs:
        merged["definitions"] = defs
    return merged


def load_kinds(root: Path) -> tuple[dict[str, Kind], list[Problem]]:
    """Read every kind schema under root/schemas; problems are the developers' to fix."""
    schemas_dir = root / "schemas"
    problems: list[Problem] = []
    kinds: dict[str, Kind] = {}
    try:
        common = json.loads((schemas_dir / f"{COMMON}.schema.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        return {}, [Problem("schemas/common.schema.json", 1, 1, f"无法读取公共字段定义：{exc}")]
    for path in sorted(schemas_dir.glob("*.schema.json")):
        kind_id = path.name[: -len(".schema.json")]
        if kind_id in (COMMON, "site"):
            continue
        rel = f"schemas/{path.name}"
        try:
            own = json.loads(path.read_text("utf-8"))
        except ValueError as exc:
            problems.append(Problem(rel, getattr(exc, "lineno", 1), getattr(exc, "colno", 1),
                                    f"JSON 格式错误：{exc}"))
            continue
        meta = own.get("x-kind")
        if not isinstance(meta, dict) or "name" not in meta or "column" not in meta:
            problems.append(Problem(rel, 1, 1, "缺少 x-kind（需要 name 和 column）。"))
            continue
        ds = meta.get("dataset") or {}
        kinds[kind_id] = Kind(
            id=kind_id,
            name=meta["name"],
            column=meta["column"],
            schema=_merge(common, own),
            template=meta.get("template", f"kinds/{kind_id}.md.j2"),
            period=bool(meta.get("period", False)),
            dataset_title=ds.get("title", meta["name"]),
            dataset_description=ds.get("description") or own.get("description") or meta["name"],
            fields=[DatasetField(**f) for f in ds.get("fields", [])],
            meta=meta,
        )
        if kinds[kind_id].period and "period" not in kinds[kind_id].schema["required"]:
            kinds[kind_id].schema["required"].append("period")
    return kinds, problems
