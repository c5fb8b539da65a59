"""JSON Schema validation that speaks to editors in Chinese, with positions.

jsonschema's own messages are English and name JSON paths; an editor needs
the file line, the field's Chinese label, the offending value and an example
of a correct one.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Callable

from jsonschema import Draft7Validator

from .kinds import deref, subschema
from .load import Document
from ..problems import Problem

_TYPE_NAMES = {
    "string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
    "object": "一组下级字段（换行并缩进两个空格）", "array": "列表（每项一行，以“- ”开头）", "null": "空值",
}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")


def validator_for(schema: dict) -> Draft7Validator:
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def label(schema: dict, path: tuple) -> str:
    """Chinese label of a field, e.g. `urban.recipients（城市低保 › 对象人数（人））`."""
    names = [str(p) for p in path if not isinstance(p, int)]
    if not names:
        return "记录"
    titles = []
    for i in range(1, len(path) + 1):
        if isinstance(path[i - 1], int):
            continue
        title = subschema(schema, path[:i]).get("title")
        if title:
            titles.append(title)
    dotted = ".".join(names)
    return f"“{dotted}”（{' › '.join(titles)}）" if titles else f"“{dotted}”"


def example(schema: dict, path: tuple) -> str | None:
    node = subschema(schema, path)
    examples = node.get("examples")
    if not examples:
        return None
    value = examples[0]
    if isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "（空）"
    if isinstance(value, (dict, list)):
        return "一组字段" if isinstance(value, dict) else "一个列表"
    text = str(value)
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


def _number_hint(value) -> str:
    if not isinstance(value, str):
        return ""
    converted = value.translate(_FULLWIDTH)
    if converted != value and re.fullmatch(r"[-+]?[0-9.,]+", converted):
        return "这里用了全角数字或符号，请改成半角（英文输入法下的）数字。"
    if re.fullmatch(r"[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", value):
        return f"数字里不要写千位分隔符“,”，请写成 {value.replace(',', '')}。"
    m = re.fullmatch(r"\s*([-+]?[0-9]+(\.[0-9]+)?)\s*(元|万元|人|户|人次|户次|%|个|套|所|间)\s*", value)
    if m:
        return f"只写数字，不要写单位“{m.group(3)}”（单位已在字段说明中），请写成 {m.group(1)}。"
    if re.fullmatch(r"0[0-9]+", value):
        return "数字不能以 0 开头。"
    return ""


def _suggest(key: str, schema_node: dict) -> str | None:
    props = schema_node.get("properties", {})
    for name, sub in props.items():
        title = str(sub.get("title", ""))
        if key and (key == title or (len(key) >= 2 and key in title)):
            return name
    match = difflib.get_close_matches(key, list(props), n=1, cutoff=0.6)
    return match[0] if match else None


def problems(doc: Document, schema: dict) -> list[Problem]:
    found: list[Problem] = []
    validator = validator_for(schema)
    for err in validator.iter_errors(doc.data):
        found.extend(_translate(err, doc, schema))
    return found


@dataclass
class _Error:
    """One jsonschema error, with what every message builder reads."""
    err: object
    doc: Document
    schema: dict
    path: tuple
    what: str                  # the field's Chinese label
    ex_text: str               # "例如：…" from the schema's examples, or ""

    @property
    def value(self):
        return self.err.instance

    @property
    def limit(self):
        """The keyword's value in the schema: the type, the enum, the minimum …"""
        return self.err.validator_value

    def at(self, message: str, path: tuple | None = None, key: bool = False) -> Problem:
        line, col = self.doc.where(self.path if path is None else path, key=key)
        return Problem(self.doc.rel, line, col, message)


def _translate(err, doc: Document, schema: dict) -> list[Problem]:
    path = tuple(err.absolute_path)
    ex = example(schema, path)
    e = _Error(err, doc, schema, path, label(schema, path), f"例如：{ex}" if ex else "")
    build = _MESSAGES.get(err.validator)
    if build is None:
        return [e.at(f"{e.what}的值 {_show(e.value)} 不符合要求（规则：{err.validator}）。{e.ex_text}")]
    found = build(e)
    return found if isinstance(found, list) else [e.at(found)]


def _required(e: _Error) -> list[Problem]:
    m = re.match(r"'(.+)' is a required property", e.err.message)
    missing = m.group(1) if m else "?"
    mpath = e.path + (missing,)
    mex = example(e.schema, mpath)
    how = f"请添加一行：{missing}: {mex}" if mex else f"请添加字段 {missing}。"
    return [e.at(f"缺少必填字段 {label(e.schema, mpath)}。{how}")]


def _additional_properties(e: _Error) -> list[Problem]:
    node = subschema(e.schema, e.path)
    allowed = node.get("properties", {})
    out = []
    for key in e.value:
        if key in allowed:
            continue
        if str(key).isdigit():
            hint = "可能是数字里写了千位分隔符“,”（例如 1,234），请去掉逗号。"
        else:
            guess = _suggest(str(key), node)
            hint = (f"您是不是想写 {guess}（{allowed[guess].get('title', guess)}）？" if guess
                    else f"可以用的字段有：{'、'.join(list(allowed)[:12])}。")
        out.append(e.at(f"不认识的字段“{key}”。{hint}", e.path + (key,), key=True))
    return out


def _type(e: _Error) -> str:
    expected = e.limit if isinstance(e.limit, list) else [e.limit]
    want = "或".join(_TYPE_NAMES.get(t, t) for t in expected)
    hint = ""
    if set(expected) & {"number", "integer"}:
        hint = _number_hint(e.value)
        if isinstance(e.value, float) and "integer" in expected:
            hint = "人数、户数等要写整数。"
        if isinstance(e.value, str) and e.value.lower() in ("yes", "no", "on", "off"):
            hint = ""
    if "boolean" in expected and isinstance(e.value, str):
        hint = "是写 true，否写 false。"
    return f"{e.what}应为{want}，现在是 {_show(e.value)}。{hint}{'' if hint else e.ex_text}"


def _pattern(e: _Error) -> str:
    node = subschema(e.schema, e.path)
    if node.get("x-format") == "index_no":
        from .index_no import explain
        return f"{e.what}格式不对：{_show(e.value)}。{explain(e.value)}"
    return f"{e.what}格式不对：{_show(e.value)}。{node.get('description', '')}{e.ex_text}"


def _min_length(e: _Error) -> str:
    if e.value == "":
        return f"{e.what}不能为空。{e.ex_text}"
    return f"{e.what}太短了：{_show(e.value)}。{e.ex_text}"


def _minimum(e: _Error) -> str:
    return f"{e.what}不能小于 {e.limit}，现在是 {_show(e.value)}。"


def _maximum(e: _Error) -> str:
    return f"{e.what}不能大于 {e.limit}，现在是 {_show(e.value)}。请检查单位（例如万元和元）是否写错。"


# Validator keyword → its message: a text about the field itself, or (required,
# additionalProperties) problems placed at the fields they name.
_MESSAGES: dict[str, Callable[[_Error], str | list[Problem]]] = {
    "required": _required,
    "additionalProperties": _additional_properties,
    "type": _type,
    "enum": lambda e: f"{e.what}只能是以下之一：{'、'.join(str(o) for o in e.limit)}；现在是 {_show(e.value)}。",
    "pattern": _pattern,
    "format": lambda e: f"{e.what}不是有效的日期：{_show(e.value)}。请写成“年-月-日”，月和日用两位数字，例如：2025-10-15。",
    "minimum": _minimum,
    "exclusiveMinimum": _minimum,
    "maximum": _maximum,
    "exclusiveMaximum": _maximum,
    "minLength": _min_length,
    "maxLength": lambda e: f"{e.what}太长了（{len(e.value)} 个字），最多 {e.limit} 个字。",
    "minItems": lambda e: f"{e.what}至少要有 {e.limit} 项。{e.ex_text}",
    "maxItems": lambda e: f"{e.what}最多只能有 {e.limit} 项。",
    "uniqueItems": lambda e: f"{e.what}里有重复的项，请删除重复项。",
}


def coerce_numbers_to_text(data, schema: dict, doc: Document, path: tuple = (), node: dict | None = None):
    """Where a field is text but the editor wrote a plain number (`code: 640324`),
    keep the digits exactly as typed instead of failing: that is what they meant.
    `node`: subschema(schema, path), which each step down makes from its parent's in one step
    (looking every path up from the root was a tenth of loading 10,000 records)."""
    if node is None:
        node = subschema(schema, path)
    if isinstance(data, dict):
        props = node.get("properties", {})
        for key in list(data):
            # As subschema reads a path: an int (a YAML key like `2016:`) steps into items.
            child = node.get("items", {}) if isinstance(key, int) else props.get(key, {})
            data[key] = coerce_numbers_to_text(data[key], schema, doc, path + (key,), deref(child, schema))
        return data
    if isinstance(data, list):
        items = deref(node.get("items", {}), schema)
        return [coerce_numbers_to_text(v, schema, doc, path + (i,), items) for i, v in enumerate(data)]
    if node.get("type") == "string" and isinstance(data, (int, float)) and not isinstance(data, bool):
        raw = doc.raw.get(path)
        return raw if raw is not None else str(data)
    return data
