"""Office spreadsheets as grids of cells: .xlsx (openpyxl) and .csv (UTF-8, UTF-8 with BOM, GBK).

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


def read_grid(path: Path, shown: str, sheet: str | None) -> Grid:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, shown, sheet)
    if suffix in (".csv", ".txt"):
        return _read_csv(path, shown)
    if suffix == ".xls":
        raise UsageProblem(f"{shown}：不支持旧版 Excel 文件（.xls）。请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入。")
    raise UsageProblem(f"{shown}：只能导入 .xlsx 或 .csv 文件。")


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> Grid:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise UsageProblem(f"找不到文件 {shown}。") from None
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise UsageProblem(f"{shown}：文件无法作为 Excel 工作簿打开，可能已损坏。请在 Excel 中重新保存为 .xlsx。") from None
    if sheet is None:
        ws = wb.worksheets[0]
    elif sheet in wb.sheetnames:
        ws = wb[sheet]
    else:
        raise UsageProblem(f"{shown} 里没有名为“{sheet}”的工作表。有：{'、'.join(wb.sheetnames)}。")
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    formulas = set()
    if any(v is None for row in rows for v in row):
        # A file written by a program (not saved by Excel) keeps formulas without their results:
        # tell the editor instead of reading an empty cell.
        with_formulas = load_workbook(path, data_only=False)[ws.title]
        for r, row in enumerate(with_formulas.iter_rows(values_only=True), start=1):
            for c, v in enumerate(row, start=1):
                if isinstance(v, str) and v.startswith("=") and rows[r - 1][c - 1] is None:
                    formulas.add((r, c))
    return Grid(shown, ws.title, rows, merged, formulas, [n for n in wb.sheetnames if n != ws.title])


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
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    # Excel names the one sheet of a CSV after the file; so do we, for 文件:工作表!单元格.
    return Grid(shown, Path(shown).stem, rows)
