"""Plausibility check: money amounts that were most likely typed in the wrong unit.

Schemas ask for 资金支出 in 万元; an editor copying from a ledger in 元 types a
number 10,000 times too large, which the schema cannot reject (there is no
fixed maximum for spending). Two signs give it away, whatever the kind:

- per person: an amount in 万元 next to a head count (a field in 人) gives
  more than 1,000,000 元 per person in one period, which no relief or subsidy
  programme pays;
- per region: an amount larger than the whole budget of a region of that
  level could be (a county spending more than 100 亿元 on one line).

Both are warnings, not errors: the build goes on, the editor is told where to look.
"""
from __future__ import annotations

from ..model.kinds import deref
from ..problems import WARNING, Problem

WAN = "万元"
MAX_YUAN_PER_PERSON = 1_000_000
# 万元 per line item; several times the largest real figure of each level in Ningxia.
MAX_WAN_BY_LEVEL = {"village": 5_000, "township": 50_000, "county": 1_000_000,
                    "city": 5_000_000, "province": 50_000_000}


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _walk(data, schema: dict, root: dict, path: tuple):
    """Yield (path, object, its schema) for every object in the data."""
    schema = deref(schema, root)
    if isinstance(data, dict):
        yield path, data, schema
        props = schema.get("properties", {})
        for key, value in data.items():
            if key in props:
                yield from _walk(value, props[key], root, path + (key,))
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for i, value in enumerate(data):
            yield from _walk(value, schema["items"], root, path + (i,))


def _fields(kind, path: tuple, schema: dict, known: dict) -> tuple[dict, dict]:
    """(each property of the object at `path` with its schema, each one's unit): the same for
    every object at that path but for list indices, so worked out once per kind and run
    (at 10,000 records, once per object was over half of the checks under cProfile)."""
    shape = (id(kind.schema),) + tuple(p for p in path if not isinstance(p, int))
    found = known.get(shape)
    if found is None:
        root = kind.schema
        props = {k: deref(v, root) for k, v in schema.get("properties", {}).items() if isinstance(v, dict)}
        found = known[shape] = (props, {k: kind.unit(path + (k,)) for k in props})
    return found


def record_problems(record, level: str | None, known: dict | None = None) -> list[Problem]:
    """`known`: _fields' findings, shared by the records of one run."""
    problems, known = [], {} if known is None else known
    root = record.kind.schema
    for path, obj, schema in _walk(record.data, root, root, ()):
        props, units = _fields(record.kind, path, schema, known)
        people = [(k, obj[k]) for k in props if units[k] == "人" and _number(obj.get(k)) and obj[k] > 0]
        for key, s in props.items():
            value = obj.get(key)
            if units[key] != WAN or not _number(value) or value <= 0:
                continue
            label = s.get("title", key)
            where = ".".join(str(p) for p in path + (key,))
            hint = (f"如果 {escape_number(value)} 是以“元”为单位的数，应写成 "
                    f"{escape_number(value / 10_000)}（万元）。")
            message = None
            if people:
                count_key, count = min(people, key=lambda kv: kv[1])
                per_person = value * 10_000 / count
                if per_person > MAX_YUAN_PER_PERSON:
                    count_label = str(props[count_key].get("title", count_key)).split("（")[0]
                    message = (f"“{where}”（{label}）是 {escape_number(value)} 万元，按{count_label} "
                               f"{count} 人算每人约 {per_person:,.0f} 元，明显过大：是不是把“元”当成了“万元”？{hint}")
            cap = MAX_WAN_BY_LEVEL.get(level or "")
            if message is None and cap and value > cap:
                message = (f"“{where}”（{label}）是 {escape_number(value)} 万元，超过一个"
                           f"{_LEVEL_NAMES.get(level, '')}级地区可能的支出（{cap:,} 万元）："
                           f"是不是把“元”当成了“万元”？{hint}")
            if message:
                line, col = record.doc.where(path + (key,))
                problems.append(Problem(record.doc.rel, line, col, message, WARNING))
    return problems


_LEVEL_NAMES = {"province": "自治区", "city": "市", "county": "县（区）", "township": "乡（镇）", "village": "村"}


def escape_number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(int(value))


def check_units(site, as_of) -> list[Problem]:
    problems, known = [], {}
    for record in site.records:
        region = site.regions.get(record.data.get("region", {}).get("code", ""))
        level = region.level if region else None
        problems += record.doc.remembered("units", level, lambda: record_problems(record, level, known))
    return problems
