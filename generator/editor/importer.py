"""`import`: an office's spreadsheet (.xls, .xlsx, .ods or .csv) → validated YAML records.

Offices keep these tables the way they print them: a merged title row, a
填报单位/单位 line, a header of two or three rows (城市低保 over 保障人数 |
保障标准（元/人·月）), merged or simply left blank, their own names for the
columns, one row per region (by name — 县（市、区）, 地区, 单位 — or by code),
合计/小计/其中 rows and city rows over their counties, 制表人/填报日期 lines
below, numbers typed as text with thousands separators or full-width digits,
CSV saved by Excel as GBK. Headers are matched to the kind's schema — titles,
`x-aliases`, read with their group — so a new kind imports without code; what
cannot be matched is proposed, never guessed, and the editor's answer is kept
in site_data/_import/<kind>.yaml for the next quarter. Units in brackets are
checked against the field's declared unit. Totals are checked against their
rows and never imported. Every record is validated by the same code as
`validate` (in a staging copy of site_data/ that also holds the new files),
every problem is reported as `文件:工作表!单元格`, and nothing is written unless
all is well.

Phases of `import_file`: read the grid (sheets.py) → the mapping the editor
gave → find the header → parse rows → what the command sets, and regions
(`_apply_command`) → totals (`check_totals`) → row by row in `_complete`: defaults
from the existing records (`_defaults`), required fields (`_required`), the file
it writes (`_target`) → validation (`_validate`).
"""
from __future__ import annotations

import copy
import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..model import load
from ..model.kinds import get_path, subschema
from ..model.layout import DATA_DIR, MAP_DIR
from ..model.validate import load_regions
from .fields import Field, canon_unit, item_fields, list_fields, walk
from .import_map import (IGNORE, Mapping, field_names, header_unit, key, leaf_fields, map_file, map_key, norm,
                         read_mapping, without_unit)
from .sheets import CellProblem, Grid, column_letter, read_grid
from .scaffold import Existing, IndexNumbers, UsageProblem, check_period, find_kind, prefill, scalar

TITLE_SCAN_ROWS = 20
MAX_HEADER_ROWS = 3
IGNORED_HEADERS = {"序号", "编号", "no", "no.", "备注", "行次", "栏次"}
TOTALS = ("合计", "总计", "总合计", "全区合计", "全市合计", "全县合计", "全区总计", "全市总计", "全县总计")
TOTAL_LABELS = {"全区", "全市", "全县", "全省", "全自治区", "总数", "全区(合计)"}  # a whole-area row
SUBTOTALS = ("小计",)
PARTS = ("其中",)
FOOTER_STARTS = ("注", "备注", "说明", "填表", "制表", "审核", "负责人", "单位负责人", "数据来源", "填报", "统计负责人",
                 "报出日期", "联系电话")
# 填报单位：…, 单位：万元, 制表人：… — lines above and below the table, never headers or records.
_META = re.compile(r"^(填报单位|填表单位|报送单位|编制单位|单位|金额单位|计量单位|制表人|制表|填表人|填报人|填报日期|填表日期|"
                   r"报送日期|制表日期|报出日期|统计时间|统计期|审核人|审核|负责人|单位负责人|统计负责人|联系电话|注|说明)"
                   r"[:：]")
_UNIT_CELL = re.compile(r"^\(?[人户元万亿套个所间次笔‰%/·.、月年天日公顷亩张件班]+\)?$")
EMPTY_MARKS = {"", "-", "—", "——", "－", "/", "／", "\\", "无"}
_NUMBER = re.compile(r"^[-+]?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?$")
_DATE = re.compile(r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?$")
_LIST_SPLIT = re.compile(r"\s*(?:\n|；|;)\s*")
_ENUM_LIST_SPLIT = re.compile(r"\s*(?:\n|；|;|、|，|,)\s*")
_STEP_NUMBER = re.compile(r"^\s*(?:[（(][0-9]+[)）]|[0-9]+\s*[.、．)])\s*")


# ---------------------------------------------------------------- the table's header

@dataclass
class Column:
    col: int
    levels: list                 # header texts from the top row down: ["城市低保", "保障人数（人）"]
    match: Field | None = None
    ignored: bool = False
    ambiguous: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return "/".join(str(v) for v in self.levels)

    @property
    def unit(self) -> str:
        for v in reversed(self.levels):
            u = header_unit(v)
            if u:
                return u
        return ""

    def candidates(self) -> list[str]:
        keys = [key(v) for v in self.levels]
        out = ["".join(keys[i:]) for i in range(len(keys))]
        out += [keys[i] + keys[-1] for i in range(len(keys) - 2)]
        return out


@dataclass
class Header:
    row: int                     # the header's last row (data starts below)
    columns: dict                # col → Field
    problems: list
    owner: Field | None = None   # when each row is one item of this list (one record for the table)
    top: int = 0                 # the header's first row
    all_columns: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)   # Columns nobody could place (for the draft mapping)


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def is_meta_row(grid: Grid, r: int) -> bool:
    """填报单位：…, 单位：万元, 制表人：…, 填报日期：…, 注：… lines above or below the table."""
    cells = [text_of(grid.raw(r, c)) for c in range(1, grid.width + 1)]
    filled = [norm(v) for v in cells if v]
    return bool(filled) and len(filled) <= 4 and all(_META.match(v) for v in filled)


def is_title_row(grid: Grid, r: int) -> bool:
    values = {text_of(grid.value(r, c)) for c in range(1, grid.width + 1)} - {""}
    return len(values) == 1


def _below(grid: Grid, i: int, c: int, bottom: int) -> bool:
    """Has column c a header cell of its own below row i (not a vertical merge from above)?"""
    for j in range(i + 1, bottom + 1):
        span = grid.span(j, c)
        if span and span[0] <= i:
            continue
        if text_of(grid.value(j, c)):
            return True
    return False


def column_levels(grid: Grid, top: int, bottom: int, c: int) -> list:
    """A column's header texts, reading blank cells the way offices leave them: a blank cell under
    a header belongs to it (merged or not), and a blank cell above a sub-header belongs to the group
    header on its left (城市低保 written once over 保障人数 | 保障户数 | …)."""
    levels = []
    for i in range(top, bottom + 1):
        v = text_of(grid.value(i, c))
        if not v and i < bottom and _below(grid, i, c, bottom):
            for cc in range(c - 1, 0, -1):
                # A group never reaches across a group boundary in a row above (特困人员 next to 农村低保).
                if any(text_of(grid.raw(k, cc + 1)) for k in range(top, i)) or not _below(grid, i, cc, bottom):
                    break
                v = text_of(grid.value(i, cc))
                if v:
                    break
        if v and (not levels or levels[-1] != v):
            levels.append(v)
    return levels


def match_column(column: Column, names: dict, ambiguous: dict, mapping: Mapping | None) -> None:
    """The editor's mapping for the column's whole label first, then the schema's names, then the
    mapping for a shorter form (保障人数=urban.recipients places only columns the schema cannot)."""
    cands = column.candidates()

    def mapped(keys) -> bool:
        for cand in keys:
            if mapping is not None and mapping.entries.get(cand) is not None:
                target = mapping.entries[cand]
                if target == IGNORE:
                    column.ignored = True
                else:
                    column.match = target
                return True
        return False

    if mapped([map_key(column.label), cands[0]]):
        return
    for cand in cands:
        if cand in names:
            column.match = names[cand]
            return
    if mapped(cands[1:]):
        return
    for cand in cands:
        if cand in ambiguous:
            column.ambiguous = ambiguous[cand]
            return
    if cands[-1] in IGNORED_HEADERS or norm(column.levels[-1]) in IGNORED_HEADERS:
        column.ignored = True


def find_header(grid: Grid, kind, mapping: Mapping | None = None) -> Header:
    """The header rows and their columns' fields. Each row is a record, unless the columns name
    the fields of a list's items (one row per 收费项目, per 公示对象…): then the table is one record."""
    best = None
    for owner in [None, *list_fields(kind)]:
        header = _find_header(grid, kind, owner, mapping)
        items = sum(1 for f in header.columns.values() if f.list_of)
        if owner is not None and not items:
            continue
        if best is None or len(header.columns) > len(best.columns):
            best = header
    return best


def _blocks(grid: Grid):
    """(top, bottom) of every plausible header block of one to three rows."""
    last = min(len(grid.rows), TITLE_SCAN_ROWS)
    usable = {r for r in range(1, last + 1) if not is_meta_row(grid, r)
              and any(text_of(grid.raw(r, c)) for c in range(1, grid.width + 1))}
    for bottom in sorted(usable):
        for depth in range(1, MAX_HEADER_ROWS + 1):
            top = bottom - depth + 1
            if top < 1 or any(r not in usable or is_title_row(grid, r) for r in range(top, bottom)):
                break
            yield top, bottom


def _find_header(grid: Grid, kind, owner: Field | None, mapping: Mapping | None) -> Header:
    names, ambiguous = field_names(kind, owner)
    width = grid.width
    best = None
    for top, bottom in _blocks(grid):
        columns = []
        for c in range(1, width + 1):
            levels = column_levels(grid, top, bottom, c)
            if not levels:
                continue
            column = Column(c, levels)
            match_column(column, names, ambiguous, mapping)
            columns.append(column)
        score = len({col.match.key for col in columns if col.match is not None})  # a field twice is no gain
        if score and (best is None or score > best[0]):
            best = (score, top, bottom, columns)
    if best is None:
        others = (f"这个文件还有工作表：{'、'.join(grid.other_sheets)}，可以用 --sheet 工作表名称 选择。"
                  if grid.other_sheets else "")
        return Header(0, {}, [grid.problem(1, 1, f"工作表“{grid.sheet}”前 {TITLE_SCAN_ROWS} 行里找不到表头："
                                                 f"没有一列的标题能对应“{kind.name}”的字段。表头应写字段的中文名称，例如："
                                                 f"{'、'.join(f.full_label for f in leaf_fields(kind)[:6])}。{others}")])
    _, top, r, columns = best
    problems, matched, seen, unmatched = [], {}, {}, []
    all_names = {**names, **{n: fs[0] for n, fs in ambiguous.items()}}
    for column in columns:
        c = column.col
        if column.match is not None:
            if column.match.key in seen:
                problems.append(grid.problem(r, c, f"表头“{column.label}”与 {column_letter(seen[column.match.key])} 列是同一个字段"
                                                   f"（{column.match.full_label}），请删除重复的列。"))
                continue
            seen[column.match.key] = c
            matched[c] = column.match
            continue
        if column.ignored:
            continue
        unmatched.append(column)
        if column.ambiguous:
            options = "、".join(f"“{f.full_label}”（{f.key}）" for f in column.ambiguous[:4])
            problems.append(grid.problem(r, c, f"表头“{column.label}”可以指多个字段：{options}。"
                                               "请在上面一行写出分组（如“城市低保”），或写完整的名称，"
                                               f"或用 --map {column.label}={column.ambiguous[0].key} 指明。"))
            continue
        draft = next((mapping.shown[k] for k in [map_key(column.label)] + column.candidates()
                      if mapping is not None and k in mapping.entries and mapping.entries[k] is None), "")
        waiting = f"映射文件 {draft.rsplit(':', 2)[0]} 里这一列的冒号后面还空着。" if draft else ""
        problems.append(grid.problem(r, c, f"表头“{column.label}”对应不上“{kind.name}”的任何字段。{waiting}"
                                           + _proposal(column, all_names, kind)))
    for c, f in matched.items():
        column = next(col for col in columns if col.col == c)
        unit = column.unit
        if unit and f.unit and not units_agree(unit, f.unit, column.label):
            problems.append(grid.problem(r, c, f"表头“{column.label}”的单位是“{unit}”，但“{f.full_label}”以“{f.unit}”为单位。"
                                               f"请先把这一列换算成{f.unit}，并把表头改成（{f.unit}）；系统不会自动换算。"))
    return Header(r, matched, problems, owner, top, columns, unmatched)


_PER = {"月人均": {"人", "月"}, "年人均": {"人", "年"}, "人均": {"人"}, "户均": {"户"}, "户次均": {"户次"},
        "每人每月": {"人", "月"}, "每人每年": {"人", "年"}}


def units_agree(unit: str, declared: str, label: str) -> bool:
    """保障标准（元/人·月） for 元/人·月 — and 月人均补助（元） too: the header's words say per person
    per month. 元 for 万元, or 元/人·月 for 元/人·年, never agree (the table must be converted)."""
    if canon_unit(unit) == canon_unit(declared):
        return True
    top, _, per = canon_unit(declared).partition("/")
    if canon_unit(unit) != top or not per:
        return False
    said = set()
    for word, parts in _PER.items():
        if word in norm(label):
            said |= parts
    return said == set(per.split("·"))


def _proposal(column: Column, names: dict, kind) -> str:
    """Near matches, proposed and never taken: the editor confirms with --map or the mapping file."""
    import difflib

    found = []
    for cand in column.candidates():
        for n in difflib.get_close_matches(cand, list(names), n=5, cutoff=0.6):
            if names[n] not in found:
                found.append(names[n])
    label = column.label
    if found:
        options = "、".join(f"“{f.full_label}”（{f.key}）" for f in found[:3])
        return (f"您是不是指{options}？如果是，请在命令里加上 --map {label}={found[0].key}，"
                f"或写进映射文件 {DATA_DIR}/{MAP_DIR}/{kind.id}.yaml；不需要的列写 --map {label}=忽略。")
    return (f"可以用的表头：{'、'.join(f.full_label for f in leaf_fields(kind)[:12])}……。"
            f"请用 --map {label}=字段 指明它是哪个字段，或 --map {label}=忽略 不导入这一列。")


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
    role: str = "data"     # data, total (合计), subtotal (小计), part (其中), city (a city row over its counties)
    label: str = ""
    replaces: str = ""     # rel path of the record this row overwrites (--replace)
    changes: list = field(default_factory=list)


def title_disagrees(grid: Grid, header: Header, period: str) -> list[CellProblem]:
    """A problem when the table's title names another period than --period: a command typed
    again for last quarter's table (a table titled 2024年第4季度 imported as 2024-Q2) would
    publish its figures under the wrong quarter. The first period the title rows name counts; a
    title naming only the year agrees with every period of that year."""
    from ..model import periods

    for r in range(1, header.top):
        if is_meta_row(grid, r) or not is_title_row(grid, r):
            continue
        for c in range(1, grid.width + 1):
            named = periods.named_in(text_of(grid.value(r, c)))
            if not named:
                continue
            title = named[0]
            if title == period or (len(title) == 4 and period.startswith(title + "-")):
                return []
            return [grid.problem(r, c, f"表格标题写的是“{periods.label(title)}”，命令里的 --period 是 {period}"
                                       f"（{periods.label(period)}）。请核对：标题对，就改成 --period {title}；"
                                       "标题是旧表留下的，就先在表格里改正标题，再重新导入。")]
    return []


def _lead_text(grid: Grid, r: int) -> list[str]:
    texts = []
    for c in range(1, grid.width + 1):
        v = grid.raw(r, c)
        if v is None or isinstance(v, (int, float)):
            continue
        t = norm(v)
        if t and not _NUMBER.match(t):
            texts.append(t)
        if len(texts) == 3:
            break
    return texts


def is_number_row(grid: Grid, r: int) -> bool:
    """The 甲 乙 1 2 3 … row of column numbers that statistical tables carry under the header."""
    filled = [text_of(grid.raw(r, c)) for c in range(1, grid.width + 1)]
    filled = [unicodedata.normalize("NFKC", v) for v in filled if v]
    if len(filled) < 3:
        return False
    numbers = [int(v) for v in filled if v.isdigit()]
    letters = [v for v in filled if v in "甲乙丙丁戊己庚辛"]
    return len(numbers) + len(letters) == len(filled) and len(numbers) >= 2 and \
        all(b == a + 1 for a, b in zip(numbers, numbers[1:]))


def is_unit_row(grid: Grid, r: int) -> bool:
    """A row of units (人 | 户 | 元/人·月 …) under the header: not data."""
    filled = [norm(text_of(grid.raw(r, c))) for c in range(1, grid.width + 1)]
    filled = [v for v in filled if v]
    return len(filled) >= 2 and all(_UNIT_CELL.match(v) for v in filled)


def row_role(grid: Grid, r: int) -> str:
    """'skip' (empty, notes, 填报单位…), 'total' (合计/总计/全县), 'subtotal' (小计), 'part' (其中…) or 'data'."""
    cells = [grid.raw(r, c) for c in range(1, grid.width + 1)]
    filled = [text_of(v) for v in cells if text_of(v)]
    if not filled:
        return "skip"
    if is_meta_row(grid, r) or (len(filled) <= 2 and norm(filled[0]).startswith(FOOTER_STARTS)):
        return "skip"
    lead = _lead_text(grid, r)
    if any(t.startswith(TOTALS) or t in TOTAL_LABELS for t in lead):
        return "total"
    if any(t.startswith(SUBTOTALS) for t in lead):
        return "subtotal"
    if any(t.startswith(PARTS) for t in lead):
        return "part"
    return "data"


def parse_rows(grid: Grid, header: Header) -> list[Row]:
    rows = []
    first = header.row + 1
    while first <= len(grid.rows) and (is_number_row(grid, first) or is_unit_row(grid, first)):
        first += 1
    for r in range(first, len(grid.rows) + 1):
        role = row_role(grid, r)
        if role == "skip":
            continue
        data, origins, problems, failed = {}, {}, [], set()
        for c, f in header.columns.items():
            value = grid.value(r, c) if grid.span(r, c) and grid.span(r, c)[0] < r else grid.raw(r, c)
            if (r, c) in grid.formulas:
                if role == "data":
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
        lead = _lead_text(grid, r)
        rows.append(Row(r, data, origins, problems if role == "data" else [], failed, role=role,
                        label=lead[0] if lead else ""))
    return rows


def summable(f: Field) -> bool:
    """Counts and amounts add up over regions; standards, averages (元/人·月) and shares (%) do not."""
    return bool(f.unit) and ("integer" in f.types or "number" in f.types) and not f.is_array \
        and "/" not in canon_unit(f.unit) and canon_unit(f.unit) not in ("%", "‰")


def _decimals(x) -> int:
    text = repr(float(x)) if isinstance(x, float) else str(x)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def check_totals(rows: list[Row], header: Header, grid: Grid, regions: dict,
                 statistics: bool = True) -> tuple[list, list, list]:
    """合计/小计 rows and city rows over their counties: never records; each checked against the sum of
    the rows it totals. Returns (records, problems, notes)."""
    codes = {id(row): get_path(row.data, ("region", "code")) for row in rows}
    parents = {regions[c].parent for c in codes.values() if c in regions}
    for row in rows:
        code = codes[id(row)]
        if row.role == "data" and code in regions and regions[code].level in ("city", "province") and code in parents:
            row.role = "city"
    records = [row for row in rows if row.role == "data"]
    # Only statistics (a kind with periods) by region add up (the generator computes such totals too); a 合计 under a list
    # of programmes or items is skipped unchecked.
    record_codes = [codes[id(r)] for r in records]
    by_region = statistics and any(f.path[0] == "region" for f in header.columns.values()) and \
        None not in record_codes and len(set(record_codes)) == len(record_codes)
    columns = [(c, f) for c, f in header.columns.items() if summable(f)] if by_region else []
    problems, notes, checked = [], [], []
    since = 0
    for i, row in enumerate(rows):
        if row.role == "data":
            continue
        if row.role == "part":
            checked.append(f"第 {row.number} 行（{row.label}，是上一行的一部分）")
            continue
        if row.role == "total":
            covered, what = records, "其上各地区"
        elif row.role == "subtotal":
            covered = [r for r in rows[since:i] if r.role == "data"]
            what = f"第 {covered[0].number}–{covered[-1].number} 行" if covered else "上面各行"
            since = i + 1
        else:
            code = codes[id(row)]
            covered = [r for r in records if codes[id(r)] in regions and regions[codes[id(r)]].parent == code]
            what = f"{regions[code].name}所辖各县（市、区）"
        mismatch = False
        for c, f in columns:
            total = get_path(row.data, f.path)
            if not isinstance(total, (int, float)) or not covered:
                continue
            values = [get_path(r.data, f.path) for r in covered]
            values = [v for v in values if isinstance(v, (int, float))]
            s = sum(values)
            d = max([_decimals(total)] + [_decimals(v) for v in values])
            tol = 0 if d == 0 else 0.5 * 10 ** -d * (len(values) + 1)
            if abs(s - total) > tol + 1e-9:
                mismatch = True
                shown = round(s, d) if d else int(s)
                problems.append(grid.problem(row.number, c, f"{row.label or '合计'}行的“{f.full_label}”是 {total}，"
                                                            f"但{what}（{len(values)} 行）相加是 {shown}。"
                                                            "合计行不会导入（总数由系统计算），但两者不一致说明有数字填错了，"
                                                            "请核对表格后重新导入。"))
        if not mismatch:
            checked.append(f"第 {row.number} 行（{row.label}）")
    if checked and columns:
        notes.append(f"提示：{'、'.join(checked)}是合计、小计或“其中”行，已与所合计的各行核对，不作为记录导入。")
    elif checked:
        notes.append(f"提示：{'、'.join(checked)}是合计、小计或“其中”行，不作为记录导入。")
    return records, problems, notes


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
    """Run the real validation (load_site + every check) on site_data/ plus the new files.
    Returns staging path of each new file → its problems."""
    from ..pipeline import load_and_check

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
        _, problems, _ = load_and_check(staging, as_of)
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


# ---------------------------------------------------------------- file names

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


# ---------------------------------------------------------------- the command, phase by phase

@dataclass
class Result:
    rows: list = field(default_factory=list)        # records ready to write
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)   # header columns to put in the draft mapping
    mapping: Mapping | None = None
    grid: Grid | None = None


def _read(file: str, sheet: str | None) -> Grid:
    path = Path(file)
    return read_grid(path if path.is_absolute() else Path.cwd() / path, file, sheet)


def _existing_by_period(existing: Existing, kind) -> dict:
    """(region code, period) → rel of the record already in site_data/ (kinds with periods only)."""
    out = {}
    if not kind.period:
        return out
    for kind_id, rel, data in existing.records:
        if kind_id == kind.id and isinstance(data.get("region"), dict) and data.get("period"):
            out.setdefault((str(data["region"].get("code")), str(data["period"])), (rel, data))
    return out


def _changes(old, new, kind, path=()) -> list[str]:
    """What a replacement changes, field by field, for the editor to read."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in list(new) + [k for k in old if k not in new]:
            out += _changes(old.get(k), new.get(k), kind, path + (k,))
        return out
    if old == new:
        return []
    from ..model.schema_errors import label

    return [f"{label(kind.schema, path)}：{'（空）' if old is None else old} → {'（空）' if new is None else new}"]


def _apply_command(row: Row, fixed: dict, default_region, grid: Grid, regions: dict, resolve: bool = True) -> None:
    """What the command says (--set, --period, --region) applies to every row the table lacks it in."""
    row.data = deep_merge(fixed, row.data)
    if default_region and not get_path(row.data, ("region", "code")) and not get_path(row.data, ("region", "name")):
        row.data["region"] = {"code": default_region.code, "name": default_region.name}
    if resolve:
        resolve_region(row, grid, regions)


def _out_dir(root: Path, kind, out: str | None) -> Path:
    out_dir = Path(out) if out else root / DATA_DIR / kind.id
    return out_dir if out_dir.is_absolute() else Path.cwd() / out_dir


@dataclass
class _Staging:
    """What `_complete` checks each row against: the site's records and the files this import writes."""
    root: Path
    kind: object
    grid: Grid
    header: Header
    regions: dict
    replace: bool
    existing: Existing
    numbers: IndexNumbers
    by_period: dict            # (region code, period) → (rel, data) of the record already there
    targets: Targets
    taken: dict = field(default_factory=dict)             # target file → the row that writes it
    missing_columns: dict = field(default_factory=dict)   # a required field with no column: one problem, not one per row


def _complete(root: Path, kind, kinds, grid: Grid, header: Header, rows: list[Row], fixed: dict,
              default_region, regions: dict, out: str | None, replace: bool) -> tuple[list, list, list]:
    """Defaults (prefill from the region's last record), required fields, file names, and records
    that already exist for the same region and period. Returns (good rows, problems, notes)."""
    existing = Existing.read(root, kinds)
    st = _Staging(root, kind, grid, header, regions, replace, existing, IndexNumbers(existing.used_index_numbers()),
                  _existing_by_period(existing, kind), Targets(_out_dir(root, kind, out)))
    problems, good = [], []
    if header.owner is not None and rows:
        rows, missing_items = combine_items(rows, header, grid, kind)
        for f in missing_items:
            st.missing_columns[f.path] = (f, [rows[0].number])
        for row in rows:  # the table is one record: what the command says applies to it
            _apply_command(row, fixed, default_region, grid, regions)
    for row in rows:
        same = _defaults(st, row)
        _required(st, row)
        if row.problems:
            problems += row.problems
            continue
        problem = _target(st, row, same)
        if problem is not None:
            problems.append(problem)
            continue
        st.taken[row.target] = row.number
        row.text = (f"# 由 {Path(grid.file).name} 的工作表“{grid.sheet}”第 {row.number} 行导入（python -m generator import）。\n"
                    + yaml.safe_dump(ordered(row.data, kind), allow_unicode=True, sort_keys=False, width=1000))
        good.append(row)
    for f, numbers_missing in st.missing_columns.values():
        problems.append(_missing_column(st, f, numbers_missing, len(rows)))
        good = [r for r in good if r.number not in numbers_missing]
    notes = []
    suggested = [r.number for r in good if r.suggested_index]
    if suggested:
        notes.append(f"提示：表格里没有“索引号”一列，{len(suggested)} 条记录的索引号按本机构已有的最大流水号加 1 推算，"
                     "请与本机构的索引号登记核对。")
    return good, problems, notes


def _defaults(st: _Staging, row: Row):
    """A row's data over the record it replaces (--replace), else over what prefill proposes
    from the region's last record. Returns the existing record for its region and period, if any."""
    data = row.data
    code = get_path(data, ("region", "code"))
    row_period = data.get("period")
    same = st.by_period.get((str(code), str(row_period))) if code else None
    if same and st.replace:
        # 索引号 never changes once published, and what the table does not say stays as it was.
        row.replaces = same[0]
        row.data = deep_merge(same[1], data)
    elif code in st.regions and (not st.kind.period or row_period):
        defaults, _ = prefill(st.kind, st.regions[code], row_period if st.kind.period else None, st.existing,
                              st.numbers)
        if get_path(data, ("index_no",)):
            defaults.pop("index_no", None)
        elif "index_no" in defaults:
            row.suggested_index = True
        row.data = deep_merge(defaults, data)
    return same


def _required(st: _Staging, row: Row) -> None:
    """A required field left empty: a problem on its cell, or (no column for it) one for the whole table."""
    header_paths = {f.path for f in st.header.columns.values()}
    for f in missing_required(st.kind, row.data):
        if f.path in row.failed:
            continue
        if f.path in header_paths:
            c = next(c for c, g in st.header.columns.items() if g.path == f.path)
            row.problems.append(st.grid.problem(row.number, c, f"“{f.full_label}”是必填项，这一格不能空着。"))
        else:
            st.missing_columns.setdefault(f.path, (f, []))[1].append(row.number)


def _target(st: _Staging, row: Row, same) -> CellProblem | None:
    """The file a row writes, or why it may not: two rows for one file, a record already there
    without --replace, a file in the way."""
    grid, data = st.grid, row.data
    if row.replaces:
        row.target = st.root / row.replaces
        row.changes = _changes(same[1], data, st.kind)
    else:
        row.target = st.targets.for_record(st.kind, data)
    if row.target in st.taken:
        return grid.problem(row.number, 1, f"与第 {st.taken[row.target]} 行是同一地区同一统计期（都要写入 "
                                           f"{row.target.name}），请删除重复的行。")
    if same and not st.replace:
        code = get_path(data, ("region", "code"))
        return grid.problem(row.number, 1, f"本次导入的这一行与已有记录重复：{same[0]} 已经是"
                                           f"{get_path(data, ('region', 'name')) or code} {data.get('period')} 的"
                                           f"“{st.kind.name}”。表格里的数字如果是更正后的，加上 --replace "
                                           "用表格替换它（索引号和表格里没有的内容保持不变）；否则请从表格中删去这一行。")
    if row.target.exists() and not row.replaces:
        shown = row.target.relative_to(st.root) if row.target.is_relative_to(st.root) else row.target
        return grid.problem(row.number, 1, f"本次导入要写的文件 {shown} 已经存在，没有覆盖。"
                                           "如需用表格替换它，加上 --replace；也可以直接编辑该文件。")
    return None


def _missing_column(st: _Staging, f, numbers_missing: list, n_rows: int) -> CellProblem:
    """One problem for a required field the table has no column for, with how to supply it."""
    value = scalar(f.example) if f.example is not None and not isinstance(f.example, (dict, list)) else "…"
    hint = f"请在表格里加一列“{f.full_label}”，或在命令里加上 --set {f.key}={value} 这样的参数（对每一行都适用）。"
    if f.key == "index_no":
        hint = "有的地区还没有这一类记录，无法推算索引号：" + hint
    if f.list_of:
        hint = f"请在表格里加一列“{f.title}”（每一行是一项）。"
    if f.path[0] == "region":
        hint = ("请在表格里加一列“县（市、区）”“地区”或“行政区划代码”；如果整张表都属于一个地区，"
                "可以在命令里加上 --region 640324 这样的参数。")
    rows_text = "每一行都" if len(numbers_missing) == n_rows else f"第 {'、'.join(map(str, numbers_missing[:10]))} 行"
    return CellProblem((st.header.row, 0), st.grid.where(st.header.row, 1),
                       f"{rows_text}缺少必填的“{f.full_label}”（{f.key}）。{hint}")


def _validate(root: Path, kind, grid: Grid, good: list[Row], as_of) -> tuple[list, list]:
    """The real validation on site_data/ plus the new files. A problem in another file that the
    import causes (a duplicate 索引号, a second record for a period) is the import's: named so."""
    problems, notes = [], []
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
        before = validate_staged(root, kind, [], as_of)["other"]
        known = {(p.path, p.message) for p in before}
        caused = [p for p in result["other"] if (p.path, p.message) not in known]
        for p in caused:
            problems.append(CellProblem((0, 0, p.path), f"{p.path}:{p.line}:{p.col}",
                                        f"由本次导入引起：{p.message}"))
        if len(caused) < len(result["other"]):
            notes.append(f"站点中已有的其他文件有 {len(result['other']) - len(caused)} 个错误，导入之前就有，"
                         "与本次导入无关；请运行 python -m generator validate 查看。")
    return problems, notes


def import_file(root: Path, file: str, kind_id: str, sheet: str | None = None, out: str | None = None,
                region: str | None = None, period: str | None = None, sets: list | None = None,
                as_of=None, maps: list | None = None, replace: bool = False) -> Result:
    """Read, convert and validate. Writes nothing."""
    kind, kinds = find_kind(root, kind_id)
    period = check_period(kind, period) if period else None
    res = Result()
    res.mapping = mapping = read_mapping(root, kind, maps or [])
    res.problems += [CellProblem((0, i), "映射", m) for i, m in enumerate(mapping.problems)]
    res.grid = grid = _read(file, sheet)
    header = find_header(grid, kind, mapping)
    res.problems += header.problems
    res.unmatched = header.unmatched
    if not header.columns:
        return res
    if period:
        res.problems += title_disagrees(grid, header, period)
    rows = parse_rows(grid, header)
    fixed, set_problems = parse_sets(sets or [], kind)
    res.problems += [CellProblem((0, i), "命令参数", m) for i, m in enumerate(set_problems)]
    if period:
        fixed.setdefault("period", period)
    regions, _ = load_regions(root)
    default_region = None
    if region:
        from .scaffold import region_of

        default_region = region_of(root, region)
    for row in rows:
        _apply_command(row, fixed, default_region, grid, regions, resolve=row.role == "data")
    records, total_problems, total_notes = check_totals(rows, header, grid, regions, kind.period)
    res.problems += total_problems
    res.notes += total_notes
    if not records:
        res.problems.append(CellProblem((header.row + 1, 1), grid.where(header.row + 1, 1), "表头下面没有数据行。"))
    good, problems, notes = _complete(root, kind, kinds, grid, header, records, fixed, default_region, regions,
                                      out, replace)
    res.problems += problems
    res.notes += notes
    if good:
        problems, notes = _validate(root, kind, grid, good, as_of)
        res.problems += problems
        res.notes += notes
    res.rows = good
    res.problems.sort()
    return res


# ---------------------------------------------------------------- the mapping file

def write_draft(root: Path, kind, res: Result) -> tuple[Path, int]:
    """Add the headers nobody could place to site_data/_import/<kind>.yaml, empty for the editor to
    fill (a field key, a Chinese name, or 忽略). Lines already there are left as they are."""
    path = map_file(root, kind)
    known = set(res.mapping.entries) if res.mapping else set()
    lines = []
    names, ambiguous = field_names(kind)
    all_names = {**names, **{n: fs[0] for n, fs in ambiguous.items()}}
    for column in res.unmatched:
        if map_key(column.label) in known:
            continue
        known.add(map_key(column.label))
        options = column.ambiguous or []
        if not options:
            import difflib

            for cand in column.candidates():
                for n in difflib.get_close_matches(cand, list(all_names), n=3, cutoff=0.6):
                    if all_names[n] not in options:
                        options.append(all_names[n])
        hint = "、".join(f"{f.key}（{f.full_label}）" for f in options[:3])
        lines.append(f"# {grid_where(res, column)}{'可能是：' + hint if hint else '请填写字段名，或写“忽略”'}\n")
        lines.append(f"{yaml_key(column.label)}:\n")
    if not lines:
        return path, 0
    path.parent.mkdir(parents=True, exist_ok=True)
    head = ""
    if not path.exists():
        head = (f"# 导入“{kind.name}”（{kind.id}）表格时，表头与字段的对应关系。python -m generator import 会自动读取本文件。\n"
                "# 每行写成  表格里的列名: 字段  ——字段写英文名（如 urban.recipients）或中文名称；不需要导入的列写“忽略”。\n"
                "# 分组表头写成  分组/列名，例如  城市低保/保障人数: urban.recipients\n")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(head + "".join(lines))
    return path, len(lines) // 2


def grid_where(res: Result, column: Column) -> str:
    if res.grid is None:
        return ""
    return f"{res.grid.sheet}!{column_letter(column.col)} 列，"


def yaml_key(text: str) -> str:
    dumped = yaml.safe_dump({text: None}, allow_unicode=True, width=1000).strip()
    return dumped[: -len(": null")] if dumped.endswith(": null") else dumped.rsplit(":", 1)[0]


def write_records(rows: list[Row]) -> None:
    """Write an import that passed every check; a new file never overwrites one that appeared meanwhile."""
    for row in rows:
        row.target.parent.mkdir(parents=True, exist_ok=True)
        with open(row.target, "w" if row.replaces else "x", encoding="utf-8") as fh:
            fh.write(row.text)
