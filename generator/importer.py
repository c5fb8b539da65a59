"""`import`: an office's spreadsheet (.xlsx or .csv) → validated YAML records.

Offices keep these tables the way they print them: a merged title row or two,
a Chinese header row (sometimes two levels: 城市低保 over 对象人数 | 低保标准),
one row per region or per item, a 合计 row at the bottom, numbers typed as
text with thousands separators or full-width digits, CSV saved by Excel as
GBK. Headers are matched to the kind's schema titles, so a new kind imports
without code. Every record is validated by the same code as `validate`
(in a staging copy of site_data/ that also holds the new files), every problem
is reported as `文件:工作表!单元格`, and nothing is written unless all is well.
"""
from __future__ import annotations

import copy
import datetime as dt
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import load
from .cli import arg, as_of_date, command
from .fields import Field, item_fields, list_fields, strip_unit, walk
from .sheets import CellProblem, Grid, column_letter, read_grid
from .scaffold import Existing, IndexNumbers, UsageProblem, check_period, find_kind, prefill, scalar
from .validate import DATA_DIR, load_regions

TITLE_SCAN_ROWS = 20
IGNORED_HEADERS = {"序号", "编号", "no", "no.", "备注"}
TOTALS = ("合计", "总计", "总合计", "全区合计", "全市合计", "全县合计")
TOTAL_LABELS = {"全区", "全市", "全县", "全省", "全自治区"}  # a whole-area row under per-county rows
SUBTOTALS = ("小计",)
FOOTER_STARTS = ("注", "备注", "说明", "填表", "制表", "审核", "负责人", "单位负责人", "数据来源", "填报")
EMPTY_MARKS = {"", "-", "—", "——", "－", "/", "／", "\\", "无"}
REGION_ALIASES = {
    ("region", "name"): ["地区", "地区名称", "县区", "区县", "县(区)", "县(市、区)", "市县", "单位", "地区/单位",
                         "行政区划", "区域"],
    ("region", "code"): ["代码", "区划代码", "地区代码"],
}
_NUMBER = re.compile(r"^[-+]?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?$")
_DATE = re.compile(r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?$")
_LIST_SPLIT = re.compile(r"\s*(?:\n|；|;)\s*")
_ENUM_LIST_SPLIT = re.compile(r"\s*(?:\n|；|;|、|，|,)\s*")
_STEP_NUMBER = re.compile(r"^\s*(?:[（(][0-9]+[)）]|[0-9]+\s*[.、．)])\s*")
_UNIT_AT_END = re.compile(r"[(]([^()]*)[)]$")


# ---------------------------------------------------------------- matching headers to fields

def norm(text) -> str:
    """Compare headers loosely: full-width → half-width, no spaces, no line breaks, no * marks."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = re.sub(r"\s+", "", s).strip("*:：").lower()
    return s


def header_unit(text) -> str:
    m = _UNIT_AT_END.search(norm(text))
    return m.group(1) if m else ""


def without_unit(text: str) -> str:
    return _UNIT_AT_END.sub("", text)


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


def field_names(kind, owner: Field | None = None) -> tuple[dict, set]:
    """Normalized name → Field, and the names that more than one field claims.
    With `owner` (a list of objects), the fields of its items are names too."""
    names: dict[str, list] = {}

    def add(name, f):
        n = without_unit(norm(name))
        if n and f not in names.setdefault(n, []):
            names[n].append(f)

    ds_labels = {d.path: d.label for d in kind.fields}
    for f in leaf_fields(kind):
        add(f.key, f)
        add(f.path[-1], f)
        add(f.title, f)
        add(f.full_label, f)
        add("".join(f.titles), f)
        add("".join(strip_unit(t) for t in f.titles), f)
        if len(f.titles) > 1:
            add(f.titles[-2] + strip_unit(f.titles[-1]), f)
        if f.key in ds_labels:
            add(ds_labels[f.key], f)
        for alias in REGION_ALIASES.get(f.path, []):
            add(alias, f)
    for f in (item_fields(kind, owner) if owner else []):
        add(f.path[-1], f)
        add(f.title, f)
        add(f.titles[-1], f)
    unique = {n: fs[0] for n, fs in names.items() if len(fs) == 1}
    ambiguous = {n for n, fs in names.items() if len(fs) > 1}
    return unique, ambiguous


@dataclass
class Header:
    row: int
    columns: dict            # col → Field
    problems: list
    owner: Field | None = None  # when each row is one item of this list (one record for the table)


def find_header(grid: Grid, kind) -> Header:
    """The header row and its columns' fields. Each row is a record, unless the columns name
    the fields of a list's items (one row per 收费项目, per 公示对象…): then the table is one record."""
    best = None
    for owner in [None, *list_fields(kind)]:
        header = _find_header(grid, kind, owner)
        items = sum(1 for f in header.columns.values() if f.list_of)
        if owner is not None and not items:
            continue
        if best is None or len(header.columns) > len(best.columns):
            best = header
    return best


def _find_header(grid: Grid, kind, owner: Field | None) -> Header:
    names, ambiguous = field_names(kind, owner)
    width = grid.width
    best = None
    for r in range(1, min(len(grid.rows), TITLE_SCAN_ROWS) + 1):
        columns, unknown, seen = {}, [], {}
        for c in range(1, width + 1):
            text = grid.value(r, c)
            if text is None or not str(text).strip():
                continue
            # A merged cell covering the whole width is a title, not a group header.
            group = None
            above = grid.span(r - 1, c) if r > 1 else None
            if r > 1 and grid.value(r - 1, c) not in (None, "") and not (
                    above and above[1] <= 1 and above[3] >= width):
                group = grid.value(r - 1, c)
            match = None
            tries = [text] if group in (None, text) else [f"{group}{text}", text]
            for t in tries:
                key = without_unit(norm(t))
                if key in names:
                    match = names[key]
                    break
            if match is not None:
                columns[c] = match
                seen.setdefault(match.key, []).append(c)
            else:
                unknown.append((c, text, tries))
        score = len(columns)
        if score and (best is None or score > len(best[1])):
            best = (r, columns, unknown, seen)
    if best is None:
        others = (f"这个文件还有工作表：{'、'.join(grid.other_sheets)}，可以用 --sheet 工作表名称 选择。"
                  if grid.other_sheets else "")
        return Header(0, {}, [grid.problem(1, 1, f"工作表“{grid.sheet}”前 {TITLE_SCAN_ROWS} 行里找不到表头："
                                                 f"没有一列的标题能对应“{kind.name}”的字段。表头应写字段的中文名称，例如："
                                                 f"{'、'.join(f.full_label for f in leaf_fields(kind)[:6])}。{others}")])
    r, columns, unknown, seen = best
    problems = []
    for c, text, tries in unknown:
        n = without_unit(norm(text))
        if n in IGNORED_HEADERS or norm(text) in IGNORED_HEADERS:
            continue
        if any(without_unit(norm(t)) in ambiguous for t in tries):
            problems.append(grid.problem(r, c, f"表头“{text}”可以指多个字段，请写完整，例如“城市低保对象人数”"
                                               "或在上面一行用合并单元格写出分组（如“城市低保”）。"))
            continue
        problems.append(grid.problem(r, c, f"表头“{text}”对应不上“{kind.name}”的任何字段。"
                                           f"可以用的表头：{'、'.join(f.full_label for f in leaf_fields(kind))}。"
                                           "不需要的列请删除。"))
    for key, cols in seen.items():
        for c in cols[1:]:
            problems.append(grid.problem(r, c, f"表头“{grid.value(r, c)}”与 {column_letter(cols[0])} 列是同一个字段，请删除重复的列。"))
    for c, f in columns.items():
        unit = header_unit(grid.value(r, c))
        want = norm(f.unit)
        if unit and want and ("万" in unit) != ("万" in want) and "元" in unit and "元" in want:
            problems.append(grid.problem(r, c, f"表头的单位是“{unit}”，但“{f.full_label}”要以“{f.unit}”为单位填写。"
                                               "请先换算，并把表头改成相应单位。"))
    return Header(r, columns, problems, owner)


# ---------------------------------------------------------------- converting cells

class CellError(ValueError):
    pass


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and norm(value) in EMPTY_MARKS)


def to_number(value, integer: bool):
    if isinstance(value, bool):
        raise CellError("应为数字")
    if isinstance(value, (int, float)):
        number = value
    else:
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))
        if not _NUMBER.match(text):
            m = re.match(r"^([-+]?[0-9][0-9,]*(\.[0-9]+)?)(.+)$", text)
            if m:
                raise CellError(f"只填数字，不要写单位或文字“{m.group(3)}”（单位在表头里），例如 {m.group(1).replace(',', '')}")
            raise CellError(f"“{value}”不是数字")
        text = text.replace(",", "")
        number = float(text) if "." in text else int(text)
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if integer and not isinstance(number, int):
        raise CellError(f"应为整数，现在是 {number}")
    return number


def to_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return to_date(value)
    return str(value).strip()


def to_date(value) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DATE.match(text)
    if not m:
        raise CellError(f"“{value}”不是日期，请写成 2025-10-15 这样的格式")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        raise CellError(f"“{value}”不是有效的日期") from None


def to_list(value, f: Field) -> list:
    item = f.item_node
    splitter = _ENUM_LIST_SPLIT if item.get("enum") else _LIST_SPLIT
    parts = [_STEP_NUMBER.sub("", p).strip() for p in splitter.split(to_text(value))]
    parts = [p for p in parts if p]
    kind = item.get("type")
    if kind in ("number", "integer"):
        return [to_number(p, kind == "integer") for p in parts]
    return parts


def convert(value, f: Field):
    types = f.types
    if f.is_array:
        return to_list(value, f)
    if "boolean" in types:
        text = norm(value)
        if text in ("true", "是", "√", "✓", "1"):
            return True
        if text in ("false", "否", "×", "0"):
            return False
        raise CellError("请填“是”或“否”")
    if "integer" in types or "number" in types:
        return to_number(value, "number" not in types)
    if f.node.get("format") == "date":
        return to_date(value)
    return to_text(value)


def set_path(data: dict, path: tuple, value) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def get_path(data: dict, path: tuple):
    node = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def deep_merge(base: dict, top: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in top.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def ordered(data, kind, path: tuple = ()):
    """Keys in schema order, so imported files read like hand-written ones."""
    if not isinstance(data, dict):
        return data
    from .schema_errors import subschema

    props = list(subschema(kind.schema, path).get("properties", {}))
    keys = [k for k in props if k in data] + [k for k in data if k not in props]
    return {k: ordered(data[k], kind, path + (k,)) for k in keys}


# ---------------------------------------------------------------- rows → records

@dataclass
class Row:
    number: int
    data: dict
    origins: dict          # data path → (row, column) of the cell it came from
    problems: list
    failed: set = field(default_factory=set)  # paths whose cell could not be read
    suggested_index: bool = False
    target: Path | None = None
    text: str = ""


def row_kind(grid: Grid, r: int, width: int) -> str:
    """'data', 'skip' (empty, 小计, notes) or 'end' (合计/总计: the rest is the table's footer)."""
    cells = [grid.raw(r, c) for c in range(1, width + 1)]
    filled = [str(v).strip() for v in cells if v is not None and str(v).strip()]
    if not filled:
        return "skip"
    lead = [norm(v) for v in filled[:3]]
    if any(t.startswith(TOTALS) or t in TOTAL_LABELS for t in lead):
        return "end"
    if any(t.startswith(SUBTOTALS) for t in lead):
        return "skip"
    if len(filled) <= 2 and norm(filled[0]).startswith(FOOTER_STARTS):
        return "skip"
    return "data"


def parse_rows(grid: Grid, header: Header) -> list[Row]:
    rows = []
    width = grid.width
    for r in range(header.row + 1, len(grid.rows) + 1):
        what = row_kind(grid, r, width)
        if what == "end":
            break
        if what == "skip":
            continue
        data, origins, problems, failed = {}, {}, [], set()
        for c, f in header.columns.items():
            value = grid.value(r, c) if grid.span(r, c) and grid.span(r, c)[0] < r else grid.raw(r, c)
            if (r, c) in grid.formulas:
                problems.append(grid.problem(r, c, f"“{f.full_label}”是公式，但文件里没有保存计算结果。"
                                                   "请用 Excel 打开并保存一次，或把公式“选择性粘贴”为数值。"))
                failed.add(f.path)
                continue
            if is_empty(value):
                continue
            try:
                converted = convert(value, f)
            except CellError as exc:
                problems.append(grid.problem(r, c, f"“{f.full_label}”：{exc}。"))
                failed.add(f.path)
                continue
            set_path(data, f.path, converted)
            origins[f.path] = (r, c)
        rows.append(Row(r, data, origins, problems, failed))
    return rows


def combine_items(rows: list[Row], header: Header, grid: Grid, kind) -> tuple[list[Row], list[Field]]:
    """One row per item: the whole table is one record whose list (header.owner) holds the rows.
    Columns of record fields (地区 …) must say the same on every row. Returns the record and the
    required item fields that have no column."""
    owner = header.owner
    record = Row(rows[0].number if rows else header.row + 1, {}, {}, [], set())
    items = []
    item_cols = {f.path[-1]: c for c, f in header.columns.items() if f.list_of}
    for row in rows:
        record.problems += row.problems
        item = {}
        for path, cell in sorted(row.origins.items(), key=lambda pc: pc[1]):
            value = get_path(row.data, path)
            if path[:-1] == owner.path:
                item[path[-1]] = value
                record.origins[owner.path + (len(items), path[-1])] = cell
                continue
            seen = get_path(record.data, path)
            if seen is None:
                set_path(record.data, path, value)
                record.origins[path] = cell
            elif seen != value:
                first = record.origins[path]
                record.problems.append(grid.problem(*cell, f"这一列每一行都应相同（整张表是一条记录），"
                                                           f"这里与 {grid.where(*first).split('!')[-1]} 不同。"))
        record.origins[owner.path + (len(items),)] = (row.number, min(item_cols.values(), default=1))
        items.append(item)
    missing = []
    for f in item_fields(kind, owner):
        if not f.required:
            continue
        key = f.path[-1]
        if key not in item_cols:
            missing.append(f)
            continue
        for i, (row, item) in enumerate(zip(rows, items)):
            if key not in item and f.path not in row.failed:
                record.problems.append(grid.problem(row.number, item_cols[key], f"“{f.title}”是必填项，这一格不能空着。"))
    set_path(record.data, owner.path, items)
    return [record], missing


def parse_sets(pairs: list[str], kind) -> tuple[dict, list[str]]:
    """--set 发布日期=2025-10-15 or --set review.status=待审核, values converted like cells."""
    names, _ = field_names(kind)
    by_key = {f.key: f for f in leaf_fields(kind)}
    data, problems = {}, []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        f = by_key.get(key.strip()) or names.get(without_unit(norm(key)))
        if not sep or f is None:
            problems.append(f"--set {pair}：写成 字段=值，字段可以用英文名或中文名，例如 --set published=2025-10-15 "
                            "或 --set 发布日期=2025-10-15。")
            continue
        try:
            set_path(data, f.path, convert(value, f))
        except CellError as exc:
            problems.append(f"--set {pair}：“{f.full_label}”：{exc}。")
    return data, problems


def resolve_region(row: Row, grid: Grid, regions: dict) -> None:
    """Fill the region's code from its name or its name from its code, as regions.tsv says."""
    region = row.data.get("region")
    if not isinstance(region, dict):
        return
    code, name = region.get("code"), region.get("name")
    if code and not name and code in regions:
        region["name"] = regions[code].name
    elif name and not code:
        matches = [r for r in regions.values() if r.name == name]
        cell = row.origins.get(("region", "name"), (row.number, 1))
        if len(matches) == 1:
            region["code"] = matches[0].code
            row.origins[("region", "code")] = cell
        elif not matches:
            row.problems.append(grid.problem(*cell, f"地区“{name}”不在 site_data/regions.tsv 中。"
                                                    "请检查名称，或加一列“行政区划代码”。"))
        else:
            row.problems.append(grid.problem(*cell, f"有多个地区叫“{name}”，请加一列“行政区划代码”。"))


def missing_required(kind, data: dict) -> list[Field]:
    """Required fields (under required parents) that no cell, option or default filled."""
    out = []
    fields = walk(kind)
    for f in fields:
        parents_ok = all(g.required for g in fields if g.path == f.path[: len(g.path)] and g is not f)
        if not (f.required and parents_ok) or f.is_object:
            continue
        if get_path(data, f.path) in (None, "", []):
            out.append(f)
    return out


# ---------------------------------------------------------------- validation in a staging copy

def _link_tree(src: Path, dst: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(src):
        rel = Path(dirpath).relative_to(src)
        (dst / rel).mkdir(parents=True, exist_ok=True)
        for name in filenames:
            s, d = Path(dirpath) / name, dst / rel / name
            if os.path.islink(s):
                os.symlink(os.readlink(s), d)
                continue
            try:
                os.link(s, d)  # hard links: a staging copy of a large site costs no space
            except OSError:
                shutil.copy2(s, d)


def validate_staged(root: Path, kind, rows: list[Row], as_of) -> dict:
    """Run the real validation (load_site + every on_site check) on site_data/ plus the new files.
    Returns staging path of each new file → its problems."""
    from .build import load_and_check

    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    try:
        for name in ("schemas", DATA_DIR):
            if (root / name).is_dir():
                _link_tree(root / name, staging / name)
        for name in ("mkdocs.yml",):
            if (root / name).is_file():
                shutil.copy2(root / name, staging / name)
        staged = {}
        for row in rows:
            rel = f"{DATA_DIR}/{kind.id}/{row.target.name}"
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists():
                path.unlink()
            path.write_text(row.text, encoding="utf-8")
            staged[rel] = row
        _, problems = load_and_check(staging, as_of)
        found: dict = {rel: [] for rel in staged}
        other = []
        for p in problems:
            if p.path in found:
                found[p.path].append(p)
            elif p.is_error:
                other.append(p)
        return {"rows": found, "staged": staged, "other": other}
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def cell_of(row: Row, doc: load.Document, line: int, col: int) -> tuple[int, int]:
    """The spreadsheet cell that supplied the value at a YAML position (nearest field)."""
    paths = [p for p, m in doc.marks.items() if m == (line, col)]
    paths += [p for p, m in doc.key_marks.items() if m == (line, col)]
    for path in paths:
        p = tuple(path)
        while p:
            if p in row.origins:
                return row.origins[p]
            p = p[:-1]
    return row.number, 1


# ---------------------------------------------------------------- the command

class Targets:
    """File names for new records: <period>-<region>.yaml, or <year>-<region>-<n>.yaml for the
    next free n (counted once per year and region, not probed file by file)."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.next_n: dict = {}

    def for_record(self, kind, data: dict) -> Path:
        region = (data.get("region") or {}).get("code") or "region"
        period = data.get("period")
        if kind.period and period:
            return self.out_dir / f"{period}-{region}.yaml"
        year = str(data.get("published") or period or dt.date.today().year)[:4]
        key = (year, region)
        if key not in self.next_n:
            used = [p.stem.rsplit("-", 1)[-1] for p in self.out_dir.glob(f"{year}-{region}-*.yaml")]
            self.next_n[key] = max((int(u) for u in used if u.isdigit()), default=0) + 1
        n = self.next_n[key]
        self.next_n[key] = n + 1
        return self.out_dir / f"{year}-{region}-{n}.yaml"


def import_file(root: Path, file: str, kind_id: str, sheet: str | None = None, out: str | None = None,
                region: str | None = None, period: str | None = None, sets: list | None = None,
                as_of=None) -> tuple[list[Row], list[CellProblem], list[str]]:
    """Read, convert and validate; returns (rows, problems, notes). Writes nothing."""
    kind, kinds = find_kind(root, kind_id)
    period = check_period(kind, period) if period else None
    path = Path(file)
    grid = read_grid(path if path.is_absolute() else Path.cwd() / path, file, sheet)
    header = find_header(grid, kind)
    problems = list(header.problems)
    if not header.columns:
        return [], problems, []
    rows = parse_rows(grid, header)
    if not rows:
        problems.append(CellProblem((header.row + 1, 1), grid.where(header.row + 1, 1),
                                    "表头下面没有数据行。"))
    fixed, set_problems = parse_sets(sets or [], kind)
    problems += [CellProblem((0, i), "命令参数", m) for i, m in enumerate(set_problems)]
    if period:
        fixed.setdefault("period", period)
    regions, _ = load_regions(root)
    default_region = None
    if region:
        from .scaffold import region_of

        default_region = region_of(root, region)
    existing = Existing.read(root, kinds)
    numbers = IndexNumbers(existing.used_index_numbers())
    out_dir = Path(out) if out else root / DATA_DIR / kind.id
    if not out_dir.is_absolute():
        out_dir = Path.cwd() / out_dir
    taken: dict = {}
    targets = Targets(out_dir)
    good: list[Row] = []
    header_paths = {f.path for f in header.columns.values()}
    missing_columns: dict = {}  # a required field with no column: one problem, not one per row
    if header.owner is not None and rows:
        rows, missing_items = combine_items(rows, header, grid, kind)
        for f in missing_items:
            missing_columns[f.path] = (f, [rows[0].number])
    for row in rows:
        data = deep_merge(fixed, row.data)
        row.data = data
        if default_region and not get_path(data, ("region", "code")) and not get_path(data, ("region", "name")):
            data["region"] = {"code": default_region.code, "name": default_region.name}
        resolve_region(row, grid, regions)
        code = get_path(data, ("region", "code"))
        row_period = data.get("period")
        if code in regions and (not kind.period or row_period):
            defaults, _ = prefill(kind, regions[code], row_period if kind.period else None,
                                  existing, numbers)
            if get_path(data, ("index_no",)):
                defaults.pop("index_no", None)
            elif "index_no" in defaults:
                row.suggested_index = True
            data = deep_merge(defaults, data)
            row.data = data
        for f in missing_required(kind, data):
            if f.path in row.failed:
                continue
            if f.path in header_paths:
                c = next(c for c, g in header.columns.items() if g.path == f.path)
                row.problems.append(grid.problem(row.number, c, f"“{f.full_label}”是必填项，这一格不能空着。"))
            else:
                missing_columns.setdefault(f.path, (f, []))[1].append(row.number)
        if row.problems:
            problems += row.problems
            continue
        row.target = targets.for_record(kind, data)
        if row.target in taken:
            problems.append(grid.problem(row.number, 1, f"与第 {taken[row.target]} 行是同一地区同一统计期（都要写入 "
                                                        f"{row.target.name}），请删除重复的行。"))
            continue
        if row.target.exists():
            problems.append(grid.problem(row.number, 1, f"{row.target} 已经存在，没有覆盖。"
                                                        "如需修改已发布的记录，请直接编辑该文件。"))
            continue
        taken[row.target] = row.number
        row.text = (f"# 由 {Path(file).name} 的工作表“{grid.sheet}”第 {row.number} 行导入（python -m generator import）。\n"
                    + yaml.safe_dump(ordered(data, kind), allow_unicode=True, sort_keys=False, width=1000))
        good.append(row)

    for f, numbers_missing in missing_columns.values():
        value = scalar(f.example) if f.example is not None and not isinstance(f.example, (dict, list)) else "…"
        hint = f"请在表格里加一列“{f.full_label}”，或在命令里加上 --set {f.key}={value} 这样的参数（对每一行都适用）。"
        if f.key == "index_no":
            hint = "有的地区还没有这一类记录，无法推算索引号：" + hint
        if f.list_of:
            hint = f"请在表格里加一列“{f.title}”（每一行是一项）。"
        if f.path[0] == "region":
            hint = "请在表格里加一列“地区”或“行政区划代码”；如果整张表都属于一个地区，可以在命令里加上 --region 640324 这样的参数。"
        rows_text = "每一行都" if len(numbers_missing) == len(rows) else f"第 {'、'.join(map(str, numbers_missing[:10]))} 行"
        problems.append(CellProblem((header.row, 0), grid.where(header.row, 1),
                                    f"{rows_text}缺少必填的“{f.full_label}”（{f.key}）。{hint}"))
        good = [r for r in good if r.number not in numbers_missing]
    notes = []
    suggested = [r.number for r in good if r.suggested_index]
    if suggested:
        notes.append(f"提示：表格里没有“索引号”一列，{len(suggested)} 条记录的索引号按本机构已有的最大流水号加 1 推算，"
                     "请与本机构的索引号登记核对。")
    if good:
        result = validate_staged(root, kind, good, as_of)
        for rel, found in result["rows"].items():
            row = result["staged"][rel]
            doc = load.Document(path=Path(rel), rel=rel)
            load.load_text(row.text, doc)
            for p in found:
                cell = cell_of(row, doc, p.line, p.col)
                msg = p.message if p.is_error else f"警告：{p.message}"
                if p.is_error:
                    problems.append(grid.problem(*cell, msg))
                else:
                    notes.append(f"{grid.where(*cell)}: {msg}")
        if result["other"]:
            notes.append(f"站点中已有的其他文件有 {len(result['other'])} 个错误（与本次导入无关），"
                         "请运行 python -m generator validate 查看。")
    return good, sorted(problems), notes


@arg("--as-of", type=as_of_date, default=None, help="按哪一天检查时限（默认今天），格式 2026-11-25")
@arg("--set", dest="sets", action="append", default=[], metavar="字段=值",
     help="表格里没有的字段，对每一行都一样，例如 --set published=2025-10-15 或 --set 发布日期=2025-10-15（可以写多次）")
@arg("--period", default=None, help="统计期（表格里没有“统计期”一列时），例如 2025-Q3")
@arg("--region", default=None, help="行政区划代码（表格里没有地区列时，所有行都属于这个地区）")
@arg("--out", default=None, help="写到哪个目录（默认 site_data/<类别>/）")
@arg("--sheet", default=None, help="工作表名称（默认第一个工作表）")
@arg("--kind", required=True, help="记录类别，例如 dibao_stats（python -m generator kinds 可以列出全部）")
@arg("file", help="Excel 文件（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码）")
@command("import", "把 Excel 或 CSV 表格导入为 YAML 记录（先全部校验，有任何问题就一个文件也不写）")
def cmd_import(ns) -> int:
    root = Path(ns.root).resolve()
    try:
        rows, problems, notes = import_file(root, ns.file, ns.kind, ns.sheet, ns.out, ns.region, ns.period,
                                            ns.sets, ns.as_of)
    except UsageProblem as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for p in problems:
        print(p.format(), file=sys.stderr)
    for n in notes:
        print(n, file=sys.stderr)
    if problems:
        print(f"导入未完成：发现 {len(problems)} 个问题，没有写入任何文件。"
              "请按每行开头的“文件:工作表!单元格”找到位置，在表格里改正后重新导入。", file=sys.stderr)
        return 1
    written = []
    for row in rows:
        row.target.parent.mkdir(parents=True, exist_ok=True)
        with open(row.target, "x", encoding="utf-8") as fh:
            fh.write(row.text)
        written.append(row.target)
    for path in written:
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        print(f"已写入 {shown}")
    print(f"导入完成：{len(written)} 条记录。请运行 python -m generator validate 再检查一遍，"
          "保密审查通过后把 review.status 改为“已通过”才会发布。")
    return 0
