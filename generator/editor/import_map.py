"""Which field a spreadsheet's column header means: the kind's field names, and what the editor
said (`--map 列名=字段` and site_data/_import/<kind>.yaml, which `validate` checks as well).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..model import load
from ..model.layout import DATA_DIR, MAP_DIR
from ..problems import Problem
from .fields import Field, aliases, item_fields, list_fields, strip_unit, title_unit, walk


def norm(text) -> str:
    """Compare headers loosely: full-width → half-width, no spaces, no line breaks, no * marks."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = re.sub(r"\s+", "", s).strip("*:：").lower()
    return s


def header_unit(text) -> str:
    """The unit in a header's trailing brackets: 保障标准（元/人·月） → 元/人·月; 县（市、区） → ""."""
    return title_unit(norm(text))


def without_unit(text: str) -> str:
    """A normalized header without a trailing unit in brackets (县(市、区) keeps its brackets)."""
    return strip_unit(text)


def key(text) -> str:
    return without_unit(norm(text))


def leaf_fields(kind) -> list[Field]:
    """Fields a single cell can hold: scalars and lists of scalars."""
    out = []
    for f in walk(kind):
        if f.is_object:
            continue
        if f.is_array and f.item_node.get("type") in ("object", "array"):
            continue
        out.append(f)
    return out


def _own_names(f: Field, ds_labels: dict) -> list[str]:
    # 咨询电话（办公电话）, 户主姓名（遮挡）: a note in brackets that offices leave out of their headers
    names = [f.path[-1], f.title, f.bare_title, re.sub(r"[（(][^（）()]*[）)]$", "", f.title), *aliases(f.node)]
    if f.key in ds_labels:
        names.append(ds_labels[f.key])
    return names


def field_names(kind, owner: Field | None = None) -> tuple[dict, set]:
    """Normalized name → Field, and the names that more than one field claims.

    A field is known by its key, its title, its `x-aliases` and its dataset label, alone and
    after the name of each object it sits in (城市低保 + 保障人数, 城市最低生活保障 + 人数):
    that is how a sub-header under a group header is read. With `owner` (a list of objects),
    the fields of its items are names too."""
    names: dict[str, list] = {}

    def add(name, f):
        n = key(name)
        if n and f not in names.setdefault(n, []):
            names[n].append(f)

    ds_labels = {d.path: d.label for d in kind.fields}
    fields = walk(kind)
    groups = {f.path: [f.path[-1], f.title, f.bare_title, *aliases(f.node)] for f in fields if f.is_object}
    for f in leaf_fields(kind):
        own = _own_names(f, ds_labels)
        add(f.key, f)
        add(f.full_label, f)
        add("".join(f.titles), f)
        add("".join(strip_unit(t) for t in f.titles), f)
        for name in own:
            add(name, f)
        for depth in range(1, len(f.path)):
            for group in groups.get(f.path[:depth], []):
                for name in own:
                    add(key(group) + key(name), f)
    for f in (item_fields(kind, owner) if owner else []):
        for name in _own_names(f, ds_labels):
            add(name, f)
    unique = {n: fs[0] for n, fs in names.items() if len(fs) == 1}
    ambiguous = {n: fs for n, fs in names.items() if len(fs) > 1}
    return unique, ambiguous


IGNORE = "忽略"
IGNORE_WORDS = {"忽略", "不导入", "-", "无"}


@dataclass
class Mapping:
    """What the editor said about headers: `--map 列名=字段` and site_data/_import/<kind>.yaml."""
    entries: dict = field(default_factory=dict)   # key(label) → Field or IGNORE or None (draft, not filled)
    shown: dict = field(default_factory=dict)     # key(label) → where it was said (for messages)
    problems: list = field(default_factory=list)
    path: Path | None = None


def target_names(kind) -> dict:
    """The names a mapping may give a field by: the kind's own, then its lists' item fields."""
    names, _ = field_names(kind)
    for owner in list_fields(kind):
        names = {**field_names(kind, owner)[0], **names}
    return names


def map_key(label: str) -> str:
    return "".join(key(part) for part in re.split(r"[/／]", str(label)))


def resolve_target(text, kind, names) -> Field | str | None:
    """A mapping's right-hand side: a field key (urban.recipients), a field's Chinese name, or 忽略."""
    t = norm(text)
    if t in IGNORE_WORDS:
        return IGNORE
    by_key = {f.key: f for f in leaf_fields(kind)}
    for owner in list_fields(kind):
        by_key.update({f.key: f for f in item_fields(kind, owner)})
    if str(text).strip() in by_key:
        return by_key[str(text).strip()]
    return names.get(key(text))


def map_file(root: Path, kind) -> Path:
    return root / DATA_DIR / MAP_DIR / f"{kind.id}.yaml"


def read_mapping(root: Path, kind, pairs: list[str]) -> Mapping:
    names = target_names(kind)
    m = Mapping(path=map_file(root, kind))
    if m.path.is_file():
        doc, problems = load.load_file(m.path, m.path.relative_to(root).as_posix())
        m.problems += [f"{p.path}:{p.line}:{p.col}: {p.message}" for p in problems]
        for label, value in (doc.data or {}).items() if isinstance(doc.data, dict) else []:
            line, col = doc.where((label,))
            where = f"{doc.rel}:{line}:{col}"
            if value is None or str(value).strip() == "":
                m.entries[map_key(label)] = None
            else:
                target = resolve_target(value, kind, names)
                if target is None:
                    m.problems.append(f"{where}: “{value}”不是“{kind.name}”的字段。请写字段的英文名（如 "
                                      f"{leaf_fields(kind)[-1].key}）、中文名称，或写“忽略”表示不导入这一列。")
                    continue
                m.entries[map_key(label)] = target
            m.shown[map_key(label)] = where
    for pair in pairs:
        label, sep, value = pair.partition("=")
        target = resolve_target(value, kind, names) if sep and label.strip() else None
        if target is None:
            m.problems.append(f"--map {pair}：写成 列名=字段，字段写英文名或中文名称，例如 --map 保障人数=urban.recipients，"
                              "或 --map 备注栏=忽略。")
            continue
        m.entries[map_key(label)] = target
        m.shown[map_key(label)] = f"--map {pair}"
    return m


def check_map_file(root: Path, path: Path, kinds: dict) -> list:
    """`validate` reads site_data/_import/<kind>.yaml as a mapping, not as a record."""
    rel = path.relative_to(root).as_posix()
    kind = kinds.get(path.stem)
    if kind is None:
        return [Problem(rel, 1, 1, f"映射文件的文件名应是记录类别，例如 {DATA_DIR}/{MAP_DIR}/dibao_stats.yaml。"
                                   f"可用的类别：{'、'.join(kinds)}。")]
    doc, problems = load.load_file(path, rel)
    if problems:
        return problems
    if doc.data is None:
        return []
    if not isinstance(doc.data, dict):
        return [Problem(rel, 1, 1, "映射文件应是一组“列名: 字段”，每行一个。")]
    names = target_names(kind)
    out = []
    for label, value in doc.data.items():
        if value is None or str(value).strip() == "":
            continue  # a draft line not yet filled in: import asks for it again
        if isinstance(value, (dict, list)) or resolve_target(value, kind, names) is None:
            line, col = doc.where((label,))
            out.append(Problem(rel, line, col, f"“{value}”不是“{kind.name}”的字段。请写字段的英文名"
                                               f"（如 {leaf_fields(kind)[-1].key}）或中文名称，不需要导入的列写“忽略”。"))
    return out
