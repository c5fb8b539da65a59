"""`kinds` and `new`: start a record from a commented template instead of a blank file.

The skeleton is written from the kind's schema: every field with a Chinese
comment (title, required or optional, type, unit, rules, description) and an
example. Required fields are left empty (an empty value fails validation with
a clear message, so nothing half-filled is ever published); optional fields
are present but commented out. What we can know is filled in: the region's
name from regions.tsv, the period, a suggested 索引号, a title, and who
publishes it, carried over from the latest record of the same kind and region.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..model import load, periods
from .fields import Field, describe, walk
from ..model.kinds import Kind, get_path, load_kinds
from ..model.layout import DATA_DIR, SITE_FILE
from ..model.validate import load_regions

# Common metadata that stays the same from one period to the next for the same office.
CARRY_OVER = ("publisher", "lead_dept", "coop_depts", "topic")
_INDEX_NO = re.compile(r"^([0-9A-Z]{9}|[0-9A-Z]{18})/([0-9]{4})-([0-9]{5})$")


class UsageProblem(Exception):
    """A Chinese message for a command that cannot go on (exit 1)."""


# ---------------------------------------------------------------- existing data

# libyaml, without the validator's line tracking: `new` reads every record for the 索引号s in
# use, and the strict loader took about a second per `new` at 500 records (far more at 10,000).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _lenient(path: Path):
    try:
        return yaml.load(path.read_text("utf-8-sig"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # validate reports it; a suggestion can do without this file

@dataclass
class Existing:
    """What the records already in site_data/ tell us (read leniently: the site may have errors)."""

    records: list = field(default_factory=list)  # (kind_id, rel, data)
    _by_region: dict = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path, kinds: dict) -> "Existing":
        found = cls()
        data_dir = root / DATA_DIR
        for kind_id in kinds:
            for path in sorted((data_dir / kind_id).glob("*.y*ml")):
                data = _lenient(path)
                if isinstance(data, dict):
                    found.records.append((kind_id, path.relative_to(root).as_posix(), data))
        return found

    def _region(self, region_code: str) -> list:
        if not self._by_region:
            for k, r, d in self.records:
                if isinstance(d.get("region"), dict):
                    self._by_region.setdefault(str(d["region"].get("code")), []).append((k, r, d))
        return self._by_region.get(region_code, [])

    def latest(self, kind_id: str, region_code: str):
        """The newest record of a kind for a region: (rel, data) or None."""
        same = [(r, d) for k, r, d in self._region(region_code) if k == kind_id]
        if not same:
            return None
        return max(same, key=lambda rd: (str(rd[1].get("published", "")), str(rd[1].get("index_no", ""))))

    def used_index_numbers(self) -> set:
        return {str(d.get("index_no")) for _, _, d in self.records if d.get("index_no")}

    def organisation_code(self, kind_id: str, region_code: str) -> tuple[str | None, str]:
        """The publisher's code part of 索引号, from the same kind and region, else the same region."""
        latest = self.latest(kind_id, region_code)
        candidates = [latest] if latest else []
        if not candidates:
            candidates = [(r, d) for k, r, d in self._region(region_code)]
        for rel, data in candidates:
            m = _INDEX_NO.match(str(data.get("index_no", "")))
            if m:
                return m.group(1), rel
        return None, ""


class IndexNumbers:
    """Suggests the next free 索引号 for an organisation and year, and remembers what it handed out."""

    def __init__(self, used: set):
        self.top: dict = {}
        for m in map(_INDEX_NO.match, used):
            if m:
                key = (m.group(1), m.group(2))
                self.top[key] = max(self.top.get(key, 0), int(m.group(3)))

    def next(self, org: str, year: str) -> str:
        seq = self.top.get((org, year), 0) + 1
        self.top[(org, year)] = seq
        return f"{org}/{year}-{seq:05d}"


# ---------------------------------------------------------------- prefilled values

def find_kind(root: Path, kind_id: str) -> tuple[Kind, dict]:
    kinds, problems = load_kinds(root)
    if kind_id not in kinds:
        by_name = [k for k in kinds.values() if k.name == kind_id]
        if by_name:
            return by_name[0], kinds
        raise UsageProblem(f"没有“{kind_id}”这个记录类别。可用的类别：{'、'.join(kinds)}。"
                           "运行 python -m generator kinds 查看中文名称。")
    return kinds[kind_id], kinds


def region_of(root: Path, code: str):
    regions, _ = load_regions(root)
    code = str(code).strip()
    if code in regions:
        return regions[code]
    by_name = [r for r in regions.values() if r.name == code]
    if by_name:
        return by_name[0]
    near = [f"{r.code}（{r.name}）" for r in regions.values() if r.code[:4] == code[:4]][:6]
    hint = f"相近的有：{'、'.join(near)}。" if near else ""
    raise UsageProblem(f"行政区划代码“{code}”不在 site_data/regions.tsv 中。{hint}"
                       "请写 6 位（县）、9 位（乡镇）或 12 位（村）代码，例如 640324（同心县）。")


_PERIOD_FORMS = "年度写 2025，半年写 2025-H1，季度写 2025-Q3，月份写 2025-07"


def check_period(kind: Kind, period: str | None) -> str | None:
    node = kind.schema.get("properties", {}).get("period", {})
    pattern = node.get("pattern")
    # A kind may accept only some forms (a yearly report only 2025): then say what it accepts,
    # from its own schema, instead of listing forms it would refuse.
    narrowed = bool(pattern) and pattern != periods.PATTERN
    example = (node.get("examples") or ["2025-Q3"])[0] if narrowed else "2025-Q3"
    forms = node.get("description", f"例如 {example}") if narrowed else _PERIOD_FORMS
    if period is None:
        if kind.period:
            raise UsageProblem(f"“{kind.name}”按统计期公布，请加上 --period，例如 --period {example}（{forms.rstrip('。')}）。")
        return None
    period = period.strip()
    if not periods.valid(period):
        raise UsageProblem(f"统计期“{period}”格式不对。{_PERIOD_FORMS}。")
    if pattern and not re.search(pattern, period):
        raise UsageProblem(f"“{kind.name}”不能用统计期“{period}”。{forms}")
    return period


def prefill(kind: Kind, region, period: str | None, existing: Existing, numbers: IndexNumbers,
            today: dt.date | None = None) -> tuple[dict, dict]:
    """Values we can fill for the editor, and a note for each saying where it came from."""
    today = today or dt.date.today()
    props = kind.schema.get("properties", {})
    values: dict = {}
    notes: dict = {}
    if "region" in props:
        values["region"] = {"code": region.code, "name": region.name}
        notes[("region",)] = "已按 site_data/regions.tsv 填好。"
    if period and "period" in props:
        values["period"] = period
    year = period[:4] if period else str(today.year)
    latest = existing.latest(kind.id, region.code)
    if latest:
        rel, data = latest
        for key in CARRY_OVER:
            if key in props and data.get(key) not in (None, "", []):
                values[key] = data[key]
                notes[(key,)] = f"沿用 {rel} 中的值，如有变化请修改。"
    if "index_no" in props:
        org, rel = existing.organisation_code(kind.id, region.code)
        if org:
            values["index_no"] = numbers.next(org, year)
            notes[("index_no",)] = (f"建议值：机构代码取自 {rel}，流水号是该机构 {year} 年已用的最大流水号加 1。"
                                    "请与本机构的索引号登记核对，发布后不能再改。")
    if "title" in props and kind.period and period:
        values["title"] = f"{region.name}{periods.label(period)}{kind.name}"
        notes[("title",)] = "按地区、统计期和类别拟好，可以修改。"
    return values, notes


# ---------------------------------------------------------------- writing the skeleton

def scalar(value) -> str:
    """A YAML scalar that reads back as the same value under the generator's strict loader,
    quoted only where it must be (so dates and names stay as an editor would type them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and "\n" not in value and value == value.strip():
        doc = load.Document(path=Path("-"), rel="-")
        if not load.load_text(f"k: {value}\n", doc) and doc.data == {"k": value}:
            return value
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9).strip()
    return text.removesuffix("...").strip()


def _example_lines(f: Field, indent: str) -> list[str]:
    ex = f.example
    if ex is None:
        return []
    if isinstance(ex, list):
        if ex and all(not isinstance(v, (dict, list)) for v in ex):
            return [f"{indent}#   例如：", *[f"{indent}#     - {scalar(v)}" for v in ex]]
        return []
    if isinstance(ex, dict):
        return []
    if f.markdown:
        return [f"{indent}#   例如（多段文字这样写，每行缩进两个空格，段落之间空一行）：",
                f"{indent}#   {f.path[-1]}: |", f"{indent}#     {ex}", f"{indent}#", f"{indent}#     第二段……"]
    return [f"{indent}#   例如：{scalar(ex)}"]


def _block(f: Field, children: list[Field], values: dict, notes: dict, depth: int, in_list: bool = False) -> list[str]:
    """The lines of one field; optional fields without a value come out commented."""
    indent = "  " * depth
    key = f.path[-1]
    value = get_path(values, f.path)
    lines = [f"{indent}# {describe(f)}"]
    if f.path in notes:
        lines.append(f"{indent}#   {notes[f.path]}")
    lines += _example_lines(f, indent)
    direct = [c for c in children if len(c.path) == len(f.path) + 1]
    if f.is_object and direct:
        body = [f"{indent}{key}:"]
        for c in direct:
            grand = [g for g in children if g.path[: len(c.path)] == c.path and g is not c]
            body += _block(c, grand, values, notes, depth + 1)
    elif f.is_array:
        body = [f"{indent}{key}:"]
        items = value if isinstance(value, list) and value else [None]
        item = f.item_node
        if item.get("type") == "object" and item.get("properties"):
            req = set(item.get("required", []))
            for name, sub in item["properties"].items():
                lead = "- " if name == next(iter(item["properties"])) else "  "
                title = sub.get("title", name)
                mark = "必填" if name in req else "选填"
                ex = sub.get("examples", [None])[0]
                # Nested lists and groups get their example in flow style ({students: 270, classes: 6}):
                # without it an editor cannot guess their shape.
                ex_text = f"，例如：{scalar(ex)}" if ex is not None else ""
                body.append(f"{indent}  # {title}（{mark}{ex_text}）")
                body.append(f"{indent}  {lead}{name}:")
        else:
            body += [f"{indent}  - {scalar(v)}".rstrip() for v in items]
    else:
        body = [f"{indent}{key}: {scalar(value)}".rstrip()]
    has_value = value is not None or any(get_path(values, c.path) is not None for c in children)
    if not f.required and not has_value:
        body = [f"{indent}# {line[len(indent):]}" for line in body]
    return lines + body


def skeleton(kind: Kind, values: dict, notes: dict, header: str = "") -> str:
    fields = walk(kind)
    top = [f for f in fields if len(f.path) == 1]
    # Required first so that an editor sees what must be filled; optional ones follow, commented out.
    ordered = [f for f in top if f.required] + [f for f in top if not f.required]
    lines = [
        f"# {kind.name}（{kind.id}）",
        "# 用法：在每个冒号后面填写内容（冒号后留一个空格）。以 # 开头的行是说明，不会发布。",
        "# 标“必填”的字段都要填写；标“选填”的字段需要时删掉行首的“# ”再填写。",
        "# 填好后运行 python -m generator validate 检查，有问题会按“文件:行:列”列出。",
    ]
    if header:
        lines.append(f"# {header}")
    for f in ordered:
        children = [c for c in fields if c.path[:1] == f.path and c is not f]
        lines.append("")
        lines += _block(f, children, values, notes, 0)
    return "\n".join(lines) + "\n"


def default_path(root: Path, kind: Kind, region, period: str | None, today: dt.date | None = None) -> Path:
    folder = root / DATA_DIR / kind.id
    if kind.period and period:
        return folder / f"{period}-{region.code}.yaml"
    year = period[:4] if period else str((today or dt.date.today()).year)
    n = 1
    while (folder / f"{year}-{region.code}-{n}.yaml").exists():
        n += 1
    return folder / f"{year}-{region.code}-{n}.yaml"


def column_names(root: Path) -> dict:
    doc, problems = load.load_file(root / DATA_DIR / SITE_FILE, f"{DATA_DIR}/{SITE_FILE}")
    out = {}
    if not problems and isinstance(doc.data, dict):
        for c in doc.data.get("columns") or []:
            if isinstance(c, dict) and c.get("id"):
                out[str(c["id"])] = str(c.get("name", c["id"]))
    return out


def new_record(root: Path, kind_id: str, region_code: str, period: str | None, out: str | None
               ) -> tuple[str, Path | None]:
    """The `new` command: a commented skeleton, written to `out` (or the default file) unless
    `out` is "-"; (the text, the file written or None). Never overwrites a file."""
    kind, kinds = find_kind(root, kind_id)
    region = region_of(root, region_code)
    period = check_period(kind, period)
    path = Path(out) if out and out != "-" else default_path(root, kind, region, period)
    if out and out != "-" and not path.is_absolute():
        path = Path.cwd() / path
    if out != "-" and path.exists():
        raise UsageProblem(f"文件 {path} 已经存在，没有覆盖。请换一个文件名（--out 新文件名.yaml），"
                           "或直接打开已有文件修改。")
    existing = Existing.read(root, kinds)
    values, notes = prefill(kind, region, period, existing, IndexNumbers(existing.used_index_numbers()))
    text = skeleton(kind, values, notes, header=f"地区：{region.name}（{region.code}）"
                    + (f"，统计期：{periods.label(period)}" if period else ""))
    if out == "-":
        return text, None
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
        fh.write(text)
    return text, path
