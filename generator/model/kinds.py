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
  dataset     {"title": …, "fields": [{"path", "label", "unit", "summary", "chart", "aggregate", "weight"}],
               "aggregate_from": "county" | "city"}: with aggregate_from, the generator computes
              每市合计 and 全区合计 from the records of that level (aggregates.py); each field then
              says how it adds up: sum, range (min–max), weighted_mean (with weight, a path) or none
  freshness / deadline_working_days / directory: read by the compliance check (check.py):
              freshness is monthly, quarterly, half-yearly, yearly or event;
              required_items lists dataset paths every record must fill in;
              category_items {"field": "category", "items": {"资金安排": ["funds"], …}} says
              what a record owes by its own category (checked per record, not per kind)
  valid       {"from": …, "until": …, "instead": …, "source": …}: the dates records of the
              kind can carry (generator/model/wording.py; terms' dates are in schemas/wording.yaml)
  links       fields holding another record's 索引号, linked both ways (validate.py, record.md.j2)
  tables      tables inside a record with the identities their totals must satisfy (table_totals.py)
  home        true: the home page lists the newest records of the kind
  yearly_due  {"部门": "MM-DD", "政府": "MM-DD"}: a yearly record's deadline in the next year (check_rules.py)
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem

COMMON = "common"


@dataclass
class DatasetField:
    path: str
    label: str
    unit: str = ""
    summary: bool = False
    chart: bool | str = False   # true, or a chart title shared by fields drawn together
    aggregate: str = ""         # sum | range | weighted_mean | none (aggregates.py)
    weight: str = ""            # weighted_mean: the path of the weight (e.g. a head count)

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
    aggregate_from: str = ""    # "county" or "city": the level whose records add up to totals
    aggregate_note: str = ""    # how the totals are computed, in Chinese, shown with them

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
            aggregate_from=ds.get("aggregate_from", ""),
            aggregate_note=ds.get("aggregate_note", ""),
        )
        problems += _aggregate_problems(rel, kinds[kind_id])
        if kinds[kind_id].period and "period" not in kinds[kind_id].schema["required"]:
            kinds[kind_id].schema["required"].append("period")
    return kinds, problems


AGGREGATE_LEVELS = ("county", "city")
AGGREGATE_METHODS = ("sum", "range", "weighted_mean", "none")


def _aggregate_problems(rel: str, kind: Kind) -> list[Problem]:
    """A kind that computes totals must say, for every figure, how it adds up:
    a mean of rates or a sum of standards would be a wrong total."""
    if not kind.aggregate_from:
        return []
    if kind.aggregate_from not in AGGREGATE_LEVELS:
        return [Problem(rel, 1, 1, f"x-kind.dataset.aggregate_from 应为 {' 或 '.join(AGGREGATE_LEVELS)}，"
                                   f"不是“{kind.aggregate_from}”。")]
    problems = []
    paths = {f.path for f in kind.fields}
    for f in kind.fields:
        if f.aggregate not in AGGREGATE_METHODS:
            problems.append(Problem(rel, 1, 1, f"数据字段“{f.path}”要写 aggregate（{'、'.join(AGGREGATE_METHODS)} 之一），"
                                               "说明合计时怎样计算：人数、金额用 sum，各地不同的标准用 range，"
                                               "比率、水平用 weighted_mean 并写 weight。"))
        elif f.aggregate == "weighted_mean" and f.weight not in paths:
            problems.append(Problem(rel, 1, 1, f"数据字段“{f.path}”按加权平均合计，weight 要写本数据集中"
                                               f"另一个字段的路径（例如人数），不是“{f.weight}”。"))
    return problems
