"""Record kinds, declared as data: `schemas/<kind>.schema.json` plus templates.

A kind file holds only what is particular to that kind; the common metadata
of every government record (索引号, 发布机构, review …) lives once in
`schemas/common.schema.json` and is merged in here, so that every kind's
effective schema is self-contained (editors' tools such as VS Code's YAML
extension read it without following references).

The `x-kind` block says how the generator treats the kind; load_kinds reads it once
into a `Kind` (units of every field included), and no other step reads the block:
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
  links       fields holding another record's 索引号, linked both ways (validate.py, record.md.j2):
              [{"field", "kind", "title", "back", "back_title", "missing", "rule"}]; `rule` names the
              self-check rule that times the link (interpretation_deadline: a 解读 after its 政策)
  tables      tables inside a record with the identities their totals must satisfy (table_totals.py)
  home        true: the home page lists the newest records of the kind
  yearly_due  {"部门": "MM-DD", "政府": "MM-DD"}: a yearly record's deadline in the next year (check_rules.py)
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem

COMMON = "common"


def deref(node: dict, root: dict) -> dict:
    """A schema node with its local `$ref` followed; the node's own keys beside the `$ref`
    (a title, an `x-unit`) win over the target's, as in JSON Schema 2019+ and editors' tools."""
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        merged = dict(target)
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        return merged
    return node


def subschema(schema: dict, path: tuple, root: dict | None = None) -> dict:
    """The schema that governs a data path (ints step into a list's items)."""
    root = root or schema
    node = deref(schema, root)
    for part in path:
        if isinstance(part, int):
            node = deref(node.get("items", {}), root)
        else:
            node = deref(node.get("properties", {}).get(part, {}), root)
    return node


def get_path(data, path: str | tuple):
    """The value at a dotted path ("urban.recipients") or a tuple path (ints index lists);
    None where any step is missing."""
    for part in path.split(".") if isinstance(path, str) else path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and -len(data) <= part < len(data):
            data = data[part]
        else:
            return None
    return data


# A trailing （…） in a title is a unit when it names one (元, 人, 户, 万元, %, 元/人·月 …).
_UNIT_IN_TITLE = re.compile(r"[（(]([^（）()]*(?:元|人|户|次|%|％|‰|个|套|所|间|亩|公顷|吨|平方米|笔|张|件|班|天|日|月|年)[^（）()]*)[）)]\s*$")


def strip_unit(title: str) -> str:
    return _UNIT_IN_TITLE.sub("", str(title)).strip()


def title_unit(title) -> str:
    m = _UNIT_IN_TITLE.search(str(title or ""))
    return m.group(1) if m else ""


def declared_unit(node: dict, parent: dict | None, path: tuple) -> str:
    """The unit `x-unit` declares on a field, or `x-units` on the object holding it (a definition
    shared by uses whose units differ: 城市低保标准 per month, 农村 per year)."""
    if node.get("x-unit"):
        return str(node["x-unit"])
    units = (parent or {}).get("x-units") or {}
    return str(units.get(path[-1], "")) if path else ""


def _units(schema: dict, fields: list[DatasetField]) -> dict[str, str]:
    """Every field's unit, keyed by dotted path. One source: the declared unit (x-unit, x-units).
    A unit in `x-kind.dataset.fields[].unit` or in the title's brackets is for display and must
    agree (editor/fields.unit_conflicts); it is read only where a kind declares none."""
    shown = {f.path: f.unit for f in fields if f.unit}
    out = dict(shown)

    def visit(node: dict, path: tuple):
        for key, prop in (node.get("properties") or {}).items():
            sub = deref(prop, schema) if isinstance(prop, dict) else {}
            dotted = ".".join(path + (key,))
            out[dotted] = (declared_unit(sub, node, path + (key,)) or shown.get(dotted)
                           or title_unit(sub.get("title", "")))
            item = deref(sub.get("items"), schema) if isinstance(sub.get("items"), dict) else sub
            visit(item, path + (key,))

    visit(schema, ())
    return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class DatasetField:
    path: str
    label: str
    unit: str = ""
    summary: bool = False
    chart: bool | str = False   # true, or a chart title shared by fields drawn together
    aggregate: str = ""         # sum | range | weighted_mean | none (aggregates.py)
    weight: str = ""            # weighted_mean: the path of the weight (e.g. a head count)

    def get(self, data: dict):
        return get_path(data, self.path)


@dataclass(frozen=True)
class Link:
    """A field of one kind holding another record's 索引号 (`x-kind.links`), linked both ways."""
    field: str          # the field holding the target's 索引号
    kind: str           # the target's kind
    title: str          # heading of the forward link on this kind's pages
    back: str           # the name under which the target lists the records linking to it
    back_title: str     # heading of those back links on the target's pages
    missing: str = ""   # hint added when the 索引号 names no record of the target kind
    rule: str = ""      # the self-check rule that times this kind after its target (interpretation_deadline)


@dataclass(frozen=True)
class Kind:
    """One kind's `x-kind`, read once by load_kinds: every step reads these attributes, not the
    schema's raw block. Blocks whose shape a step checks and reports on the schema (directory,
    valid, freshness, tables) are kept as written, so that step can still name the mistake."""
    id: str
    name: str
    column: str
    schema: dict
    template: str
    period: bool = False
    dataset_title: str = ""
    dataset_description: str = ""
    fields: list[DatasetField] = field(default_factory=list)
    aggregate_from: str = ""    # "county" or "city": the level whose records add up to totals
    aggregate_note: str = ""    # how the totals are computed, in Chinese, shown with them
    column_choices: tuple[str, ...] = ()    # column "*": the columns a record may name (the `column` enum)
    links: tuple[Link, ...] = ()
    directory: dict | None = None           # checked by pages/directory.py
    valid: dict | None = None               # checked by model/wording.py
    freshness: str | None = None            # checked by checks/check_rules.py
    deadline_working_days: int | None = None
    required_items: list = field(default_factory=list)
    category_items: dict = field(default_factory=dict)
    notice_working_days: dict = field(default_factory=dict)
    tables: list | None = None              # checked by pages/record_tables.py
    home: bool = False
    yearly_due: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)   # dotted field path (no list indices) → unit

    @property
    def summary_fields(self) -> list[DatasetField]:
        return [f for f in self.fields if f.summary] or self.fields

    def label(self, key: str) -> str:
        prop = self.schema.get("properties", {}).get(key, {})
        return prop.get("title", key)

    def unit(self, path: str | tuple) -> str:
        """A field's unit, `rows.0.amount` or ("rows", 0, "amount") alike; "" when it has none."""
        parts = path.split(".") if isinstance(path, str) else path
        return self.units.get(".".join(str(p) for p in parts if not (isinstance(p, int) or str(p).isdigit())), "")


def timed_links(kinds: dict[str, Kind], rule: str) -> dict[str, tuple[Kind, Link]]:
    """For the links a self-check rule times (`rule` in x-kind.links, e.g. a 解读 due within
    working days of its 政策): target kind id → (linking kind, link)."""
    return {link.kind: (kind, link) for kind in kinds.values() for link in kind.links if link.rule == rule}


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
        links, bad_links = _links(meta.get("links"))
        if bad_links:
            problems.append(Problem(rel, 1, 1, "x-kind.links 的每一项要写 field、kind、title、back、back_title，"
                                               "可以另写 missing 和 rule。"))
        kinds[kind_id] = _kind(kind_id, meta, own, _merge(common, own), links)
        problems += _aggregate_problems(rel, kinds[kind_id])
    return kinds, problems


def _kind(kind_id: str, meta: dict, own: dict, schema: dict, links: tuple) -> Kind:
    ds = meta.get("dataset") or {}
    fields = [DatasetField(**f) for f in ds.get("fields", [])]
    period = bool(meta.get("period", False))
    if period and "period" not in schema["required"]:
        schema["required"].append("period")
    return Kind(
        id=kind_id,
        name=meta["name"],
        column=meta["column"],
        schema=schema,
        template=meta.get("template", f"kinds/{kind_id}.md.j2"),
        period=period,
        dataset_title=ds.get("title", meta["name"]),
        dataset_description=ds.get("description") or own.get("description") or meta["name"],
        fields=fields,
        aggregate_from=ds.get("aggregate_from", ""),
        aggregate_note=ds.get("aggregate_note", ""),
        column_choices=tuple(schema["properties"].get("column", {}).get("enum") or ()),
        links=links,
        directory=meta.get("directory"),
        valid=meta.get("valid"),
        freshness=meta.get("freshness"),
        deadline_working_days=meta.get("deadline_working_days"),
        required_items=meta.get("required_items") or [],
        category_items=meta.get("category_items") or {},
        notice_working_days=meta.get("notice_working_days") or {},
        tables=meta.get("tables"),
        home=bool(meta.get("home")),
        yearly_due=meta.get("yearly_due") or {},
        units=_units(schema, fields),
    )


def _links(decls) -> tuple[tuple[Link, ...], bool]:
    """The kind's links, and whether any declaration was malformed (then left out)."""
    links, bad = [], False
    for decl in decls or []:
        try:
            links.append(Link(**decl))
        except TypeError:
            bad = True
    return tuple(links), bad


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
