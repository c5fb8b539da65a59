"""Office spreadsheets as grids of cells: .xls, .xlsx, .ods and .csv (UTF-8, UTF-8 with BOM, GBK).

Two readers, each for what it does well:
- python-calamine (a maintained Rust reader) reads the values of every
  workbook format offices exchange: .xls (Excel 97-2003, still common in county
  offices), .xlsx/.xlsm and .ods (WPS and LibreOffice). It reports merged ranges
  for .xls/.xlsx but not for .ods, whose merged cells then read as blank cells;
  the importer reads a blank header cell the way it reads a merged one.
- openpyxl is used only for .xlsx, and only to tell a formula saved without a
  computed value (a file written by a program, never opened in Excel) from an
  empty cell, which calamine cannot.

Merged cells resolve to their top-left value (a merged title row, a group
header over several columns); formulas saved without a computed value are
remembered so that the importer can say so instead of reading an empty cell.
A CSV has one sheet named after the file, as Excel shows it, so that every
problem can be placed as `文件:工作表!单元格`.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .scaffold import UsageProblem


# ---------------------------------------------------------------- problems at cells

@dataclass(order=True)
class CellProblem:
    sort: tuple
    where: str = field(compare=False)
    message: str = field(compare=False)

    def format(self) -> str:
        return f"{self.where}: {self.message}"


def column_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


# ---------------------------------------------------------------- reading the grid

@dataclass
class Grid:
    """A sheet as rows of values (1-based), with merged ranges resolved to their top-left value."""

    file: str
    sheet: str
    rows: list                     # rows[r-1][c-1]
    merged: list = field(default_factory=list)  # (min_row, min_col, max_row, max_col)
    formulas: set = field(default_factory=set)  # (r, c) of formulas saved without a computed value
    other_sheets: list = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def raw(self, r: int, c: int):
        if 1 <= r <= len(self.rows) and 1 <= c <= len(self.rows[r - 1]):
            return self.rows[r - 1][c - 1]
        return None

    def span(self, r: int, c: int):
        for rng in self.merged:
            if rng[0] <= r <= rng[2] and rng[1] <= c <= rng[3]:
                return rng
        return None

    def value(self, r: int, c: int):
        rng = self.span(r, c)
        return self.raw(rng[0], rng[1]) if rng else self.raw(r, c)

    def where(self, r: int, c: int) -> str:
        return f"{self.file}:{self.sheet}!{column_letter(c)}{r}"

    def problem(self, r: int, c: int, message: str) -> CellProblem:
        return CellProblem((r, c), self.where(r, c), message)


WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods")


def read_grid(path: Path, shown: str, sheet: str | None) -> Grid:
    suffix = path.suffix.lower()
    if suffix in WORKBOOKS:
        return _read_workbook(path, shown, sheet)
    if suffix in (".csv", ".txt"):
        return _read_csv(path, shown)
    if suffix in (".et", ".ett"):
        raise UsageProblem(f"{shown}：这是 WPS 表格自己的格式（.et），目前没有可靠维护的程序能读取它。"
                           "请在 WPS 中点“文件 → 另存为”，文件类型选“Excel 工作簿（*.xlsx）”，再导入另存的 .xlsx 文件。")
    raise UsageProblem(f"{shown}：只能导入 Excel（.xlsx、.xls）、WPS 或 LibreOffice（.ods）工作簿，或 CSV 文件。"
                       "其他格式请先另存为 .xlsx。")


def _cell(value):
    # calamine gives "" for an empty cell and whole numbers as floats; the importer expects None
    # for empty and converts numbers itself.
    if value == "" or value is None:
        return None
    return value


def _read_workbook(path: Path, shown: str, sheet: str | None) -> Grid:
    import python_calamine as calamine

    if not path.is_file():
        raise UsageProblem(f"找不到文件 {shown}。")
    try:
        wb = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise UsageProblem(f"{shown}：工作簿设置了打开密码。请在 Excel 或 WPS 中取消密码后另存，再导入。") from None
    except Exception:  # calamine raises several types for a damaged or mislabelled file
        raise UsageProblem(f"{shown}：文件无法作为工作簿打开，可能已损坏，或扩展名与实际格式不符。"
                           "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。") from None
    names = [m.name for m in wb.sheets_metadata if str(m.typ).endswith("WorkSheet")] or list(wb.sheet_names)
    if sheet is None:
        name = names[0]
    elif sheet in names:
        name = sheet
    else:
        raise UsageProblem(f"{shown} 里没有名为“{sheet}”的工作表。有：{'、'.join(names)}。")
    try:
        ws = wb.get_sheet_by_name(name)
        rows = [[_cell(v) for v in row] for row in ws.to_python(skip_empty_area=False)]
    except Exception:
        raise UsageProblem(f"{shown}：工作表“{name}”无法读取，文件可能已损坏。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。") from None
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    merged = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])]
    formulas = set()
    if path.suffix.lower() in (".xlsx", ".xlsm") and any(v is None for row in rows for v in row):
        formulas = _unsaved_formulas(path, name, rows)
    return Grid(shown, name, rows, merged, formulas, [n for n in names if n != name])


def _unsaved_formulas(path: Path, sheet: str, rows: list) -> set:
    """A file written by a program (not saved by Excel) keeps formulas without their results:
    tell the editor instead of reading an empty cell."""
    from openpyxl import load_workbook

    try:
        ws = load_workbook(path, data_only=False, read_only=True)[sheet]
    except Exception:
        return set()
    found = set()
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        for c, v in enumerate(row, start=1):
            if isinstance(v, str) and v.startswith("=") and r <= len(rows) and c <= len(rows[r - 1]) \
                    and rows[r - 1][c - 1] is None:
                found.add((r, c))
    return found


def _read_csv(path: Path, shown: str) -> Grid:
    try:
        raw = path.read_bytes()
    except OSError:
        raise UsageProblem(f"找不到或无法读取文件 {shown}。") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Excel on Chinese Windows saves CSV as GBK; GB18030 is its superset.
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError:
                raise UsageProblem(f"{shown}：无法识别文件编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”。") from None
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = [[v if v.strip() else None for v in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    # Excel names the one sheet of a CSV after the file; so do we, for 文件:工作表!单元格.
    return Grid(shown, Path(shown).stem, rows)
