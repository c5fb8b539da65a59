"""The fields of a kind, read from its merged schema, for editors' tools.

`new` (scaffold), `import` (spreadsheets) and the exported editor schemas all
describe fields the same way: a dotted path, its Chinese titles from the root
down, whether it is required, its type, unit and first example. Everything
comes from the schema, so a new kind needs no change here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model.kinds import Kind, declared_unit, strip_unit, subschema, title_unit

_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
               "object": "一组下级字段", "array": "列表"}


@dataclass
class Field:
    path: tuple
    node: dict                    # the governing schema node ($ref resolved)
    required: bool                # required within its parent object
    titles: list = field(default_factory=list)  # Chinese titles from the top field down
    unit: str = ""                # Kind.unit: the one source of units
    list_of: tuple = ()           # for a field of the items of a list: the list's path
    declared: str = ""            # the unit as x-unit / x-units declare it ("" when not declared)
    parent: dict = field(default_factory=dict)  # the schema node of the object that holds it

    @property
    def key(self) -> str:
        return ".".join(str(p) for p in self.path)

    @property
    def title(self) -> str:
        return self.titles[-1] if self.titles else self.key

    @property
    def bare_title(self) -> str:
        """The title without a unit in brackets: 对象人数（人） → 对象人数."""
        return strip_unit(self.title)

    @property
    def full_label(self) -> str:
        """城市低保 + 对象人数 → 城市低保对象人数, 城市低保 + 低保标准 → 城市低保标准
        (how spreadsheet headers name nested fields)."""
        out = ""
        for t in (strip_unit(t) for t in self.titles):
            k = next((k for k in range(min(len(out), len(t)), 0, -1) if out.endswith(t[:k])), 0)
            out += t[k:]
        return out

    @property
    def types(self) -> list:
        t = self.node.get("type")
        if t is None and "enum" in self.node:
            return ["string"]
        return t if isinstance(t, list) else ([t] if t else [])

    @property
    def is_object(self) -> bool:
        return "object" in self.types or ("properties" in self.node and not self.types)

    @property
    def is_array(self) -> bool:
        return "array" in self.types

    @property
    def item_node(self) -> dict:
        return self.node.get("items", {}) if self.is_array else {}

    @property
    def example(self):
        examples = self.node.get("examples")
        return examples[0] if examples else None

    @property
    def markdown(self) -> bool:
        return self.node.get("contentMediaType") == "text/markdown"

    def type_name(self) -> str:
        if self.is_array:
            inner = self.item_node.get("type", "string")
            inner_name = "一组下级字段" if inner == "object" else _TYPE_NAMES.get(inner, inner)
            return f"列表（每项一行，以“- ”开头，每项是{inner_name}）"
        if self.node.get("format") == "date":
            return "日期（年-月-日）"
        return "或".join(_TYPE_NAMES.get(t, t) for t in self.types) or "文字"


def canon_unit(unit) -> str:
    """元/人·月, 元/人/月, 元／（人·月）, 元/月/人 and 元/人.月 are one unit; 万元 and 元 are not."""
    import unicodedata

    u = unicodedata.normalize("NFKC", str(unit or "")).replace(" ", "")
    u = u.replace("每", "/").replace("、", "·")
    u = re.sub(r"^单位[:：]", "", u)  # the national formats write （单位：万元）
    for ch in "()（）[]":
        u = u.replace(ch, "")
    top, _, rest = u.partition("/")
    parts = [p for p in re.split(r"[·./•・*×]", rest) if p]
    if len(parts) == 1 and len(parts[0]) > 1 and all(ch in "人户月年日天次" for ch in parts[0]):
        parts = list(parts[0])
    return top + ("/" + "·".join(sorted(parts)) if parts else "")


def unit_conflicts(kind: Kind) -> list[str]:
    """Where a title's brackets or the dataset's unit disagree with the field's declared unit,
    or a unit is written only in a title or the dataset (not declared by x-unit)."""
    out = []
    by_path = {f.path: f for f in kind.fields}
    for f in walk(kind):
        if f.is_object:
            continue
        declared = f.declared
        shown = title_unit(f.title)
        ds = by_path.get(f.key)
        for where, unit in (("title", shown), ("x-kind.dataset.fields[].unit", ds.unit if ds else "")):
            if not unit:
                continue
            if not declared:
                out.append(f"{kind.id}: {f.key}: unit {unit!r} in {where} but no x-unit")
            elif canon_unit(unit) != canon_unit(declared):
                out.append(f"{kind.id}: {f.key}: {where} says {unit!r}, x-unit says {declared!r}")
    return out


def aliases(node: dict) -> list[str]:
    """Other names offices give a field or a group in their tables (`x-aliases` in its schema)."""
    return [str(a) for a in node.get("x-aliases", []) if str(a).strip()]


def walk(kind: Kind, node: dict | None = None, path: tuple = (), titles: tuple = ()) -> list[Field]:
    """Every field of a kind, parents before their children, in schema order."""
    schema = kind.schema
    node = subschema(schema, path) if node is None else node
    required = set(node.get("required", []))
    out: list[Field] = []
    for key in node.get("properties", {}):
        sub = subschema(schema, path + (key,))
        sub_titles = titles + ((sub.get("title") or key),)
        f = Field(path=path + (key,), node=sub, required=key in required, titles=list(sub_titles),
                  unit=kind.unit(path + (key,)), declared=declared_unit(sub, node, path + (key,)),
                  parent=node)
        out.append(f)
        if f.is_object and sub.get("properties"):
            out.extend(walk(kind, sub, path + (key,), sub_titles))
    return out


def list_fields(kind: Kind) -> list[Field]:
    """Lists whose items are objects (a 公示 list, a fee catalogue): a table can fill one of them."""
    return [f for f in walk(kind) if f.is_array and f.item_node.get("type") == "object"
            and f.item_node.get("properties")]


def item_fields(kind: Kind, owner: Field) -> list[Field]:
    """The scalar fields of a list's items, with paths (list…, key) and list_of set."""
    item = subschema(kind.schema, owner.path + (0,))
    required = set(item.get("required", []))
    out = []
    for key in item.get("properties", {}):
        sub = subschema(kind.schema, owner.path + (0, key))
        if sub.get("type") in ("object", "array") and not (
                sub.get("type") == "array" and sub.get("items", {}).get("type") not in ("object", "array")):
            continue
        out.append(Field(path=owner.path + (key,), node=sub, required=key in required,
                         titles=[sub.get("title") or key], unit=kind.unit(owner.path + (key,)),
                         list_of=owner.path, declared=declared_unit(sub, item, owner.path + (key,)),
                         parent=item))
    return out


def describe(f: Field) -> str:
    """One line for an editor: 对象人数（人）：必填，整数，不小于 0，单位：人。说明……"""
    parts = ["必填" if f.required else "选填", f.type_name()]
    node = f.node
    if "enum" in node:
        parts.append("只能是：" + "、".join(str(v) for v in node["enum"]))
    item_enum = f.item_node.get("enum") if f.is_array else None
    if item_enum:
        parts.append("每项只能是：" + "、".join(str(v) for v in item_enum))
    if "minimum" in node:
        parts.append(f"不小于 {node['minimum']}")
    if "maximum" in node:
        parts.append(f"不大于 {node['maximum']}")
    if node.get("maxLength"):
        parts.append(f"最多 {node['maxLength']} 个字")
    if f.is_array and node.get("minItems"):
        parts.append(f"至少 {node['minItems']} 项")
    if f.unit:
        parts.append(f"单位：{f.unit}（只写数字）")
    if f.markdown:
        parts.append("可以使用 Markdown 的标题、列表和加粗")
    text = f"{f.title}：{'，'.join(parts)}。"
    if node.get("description"):
        text += str(node["description"])
    return text
