"""Personal-data guard: unmasked ID, mobile and bank card numbers stop the build.

Recipient 公示 lists must never show a full 身份证号, a personal phone or a
bank card number. This step scans every string of every record that will be
published, the site settings, and attached CSV/XLSX tables, and reports each
hit at its file:line:column. Masked forms (`640102********1234`,
`138****5678`) pass because the masked run of digits is broken.

Office (landline) phone numbers of departments are public information, but
only in fields whose schema says so: `"x-pii": "office-phone"` (or the older
`"x-office-phone": true`) on the property. Anywhere else a landline number is
reported too, so that a private home number cannot slip into free text.

To avoid false alarms on 索引号 (`…/2026-00012`), 文号, amounts and dates,
every pattern needs a non-digit on both sides, a digit run followed by "/"
(an organisation code inside an 索引号) is skipped, ID numbers must carry a
real birth date, a known province prefix and a valid check digit, and card
numbers must pass the Luhn check.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from ..model import load
from ..model.kinds import subschema
from ..problems import Problem

OFFICE_PHONE = "office-phone"

_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
              50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
_ID18 = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{5})((?:18|19|20)[0-9]{2})([0-9]{2})([0-9]{2})[0-9]{3}[0-9Xx](?![0-9A-Za-z/])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{5})([0-9]{2})([0-9]{2})([0-9]{2})[0-9]{3}(?![0-9A-Za-z/])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9/])")
_CARD = re.compile(r"(?<![0-9])[0-9]{4}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,3})?(?![0-9/])")
_LANDLINE = re.compile(r"(?<![0-9])(?:0[0-9]{2,3}-|[(（]0[0-9]{2,3}[)）])[2-9][0-9]{6,7}(?![0-9])")
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _valid_birth(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def id18_valid(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def find(text: str, office_phone_ok: bool = False) -> list[tuple[int, str, str]]:
    """(offset, matched text, Chinese description) of every unmasked personal number in text."""
    hits: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    def add(m: re.Match, what: str):
        hits.append((m.start(), m.end(), what))
        taken.append((m.start(), m.end()))

    for m in _ID18.finditer(text):
        if int(m.group(1)[:2]) in _PROVINCES and _valid_birth(int(m.group(2)), int(m.group(3)), int(m.group(4))) \
                and id18_valid(m.group(0)):
            add(m, "未遮挡的 18 位身份证号")
    for m in _ID15.finditer(text):
        if free(m) and int(m.group(1)[:2]) in _PROVINCES \
                and _valid_birth(1900 + int(m.group(2)), int(m.group(3)), int(m.group(4))):
            add(m, "未遮挡的 15 位（旧）身份证号")
    for m in _MOBILE.finditer(text):
        if free(m):
            add(m, "未遮挡的手机号码")
    for m in _CARD.finditer(text):
        digits = re.sub(r"[ -]", "", m.group(0))
        if free(m) and 16 <= len(digits) <= 19 and luhn_valid(digits):
            add(m, "未遮挡的银行卡号")
    if not office_phone_ok:
        for m in _LANDLINE.finditer(text):
            if free(m):
                add(m, "电话号码（只有标明为“办公电话”的字段才能写电话）")
    return [(start, text[start:end], what) for start, end, what in sorted(hits)]


def _masked(text: str) -> str:
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    keep = set(digits[:3] + digits[-4:]) if len(digits) > 7 else set(digits[:1])
    return "".join(c if not c.isdigit() or i in keep else "*" for i, c in enumerate(text))


def _office_phone_field(schema: dict, path: tuple) -> bool:
    try:
        node = subschema(schema, path)
    except (AttributeError, TypeError):
        return False
    return node.get("x-pii") == OFFICE_PHONE or node.get("x-office-phone") is True


def _message(what: str, matched: str) -> str:
    return (f"{what}：{_masked(matched)}。公开的页面和附件不能出现完整的身份证号、手机号码或银行卡号。"
            "请遮挡中间的数字，例如身份证号写成 640102********1234，手机号码写成 138****5678；"
            "部门的办公电话请写在标明为办公电话的字段（例如 contact_phone）里。")


class _Source:
    """A YAML file's text, to turn (value position, offset in value) into line:column."""

    def __init__(self, path: Path | None):
        try:
            text, _ = load.decode(path.read_bytes(), "") if path else (None, [])
        except OSError:
            text = None
        self.lines = (text or "").split("\n")

    def locate(self, start: tuple[int, int], matched: str, offset: int) -> tuple[int, int]:
        line, col = start
        for n in range(line - 1, len(self.lines)):
            i = self.lines[n].find(matched, col - 1 if n == line - 1 else 0)
            if i >= 0:
                return n + 1, i + 1
        return line, col + offset  # no source text: as if the value were plain and on one line


def _walk(value, path: tuple = ()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, path + (i,))
    elif isinstance(value, str):
        yield path, value


def check_document(doc: load.Document, schema: dict) -> list[Problem]:
    problems: list[Problem] = []
    source = None
    for path, value in _walk(doc.data):
        for offset, matched, what in find(value, _office_phone_field(schema, path)):
            source = source or _Source(doc.path)
            line, col = source.locate(doc.where(path), matched.splitlines()[0], offset)
            problems.append(Problem(doc.rel, line, col, _message(what, matched)))
    return problems


def _cell_text(value) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, str)):
        return str(value)
    return None


def check_csv(path: Path, rel: str) -> list[Problem]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")  # what Chinese Excel writes
    problems = []
    for n, line in enumerate(text.splitlines(), start=1):
        for offset, matched, what in find(line):
            cell = line[:offset].count(",") + 1
            problems.append(Problem(rel, n, offset + 1, f"附件表格第 {cell} 列：" + _message(what, matched)))
    return problems


MAX_XLSX_UNPACKED = 200 * 1024 * 1024


def check_xlsx(path: Path, rel: str) -> list[Problem]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    invalid = [Problem(rel, 1, 1, "附件不是有效的 Excel（.xlsx）文件，无法检查其中是否有个人信息。请用 Excel 重新保存。")]
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return invalid
    if unpacked > MAX_XLSX_UNPACKED:
        # A "zip bomb": a few hundred KB that unpack to gigabytes would hang the build.
        return [Problem(rel, 1, 1, f"附件解压后有 {unpacked // 1024 // 1024} MB，超过上限 "
                                   f"{MAX_XLSX_UNPACKED // 1024 // 1024} MB，无法检查。请把表格拆小，或另存为 CSV。")]
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        return invalid
    problems = []
    try:
        for sheet in book.worksheets:
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                for c, value in enumerate(row, start=1):
                    text = _cell_text(value)
                    if not text:
                        continue
                    for _, matched, what in find(text):
                        problems.append(Problem(rel, r, c, f"工作表“{sheet.title}”单元格 "
                                                           f"{get_column_letter(c)}{r}：" + _message(what, matched)))
    except Exception:  # noqa: BLE001 - a damaged sheet found while reading it
        return problems + invalid
    finally:
        book.close()
    return problems


def check_attachment(root: Path, file: str) -> list[Problem]:
    path = root / "site_data" / file
    rel = f"site_data/{file}"
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            return check_csv(path, rel)
        if suffix in (".xlsx", ".xlsm"):
            return check_xlsx(path, rel)
    except OSError:
        return [Problem(rel, 1, 1, "无法读取附件，不能检查其中是否有个人信息。")]
    return []


def _site_config_problems(root: Path) -> list[Problem]:
    import json

    path = root / "site_data" / "site.yaml"
    doc, problems = load.load_file(path, "site_data/site.yaml")
    if problems or not isinstance(doc.data, dict):
        return []
    try:
        schema = json.loads((root / "schemas" / "site.schema.json").read_text("utf-8"))
    except (OSError, ValueError):
        schema = {}
    return check_document(doc, schema)


def check_pii(site, as_of) -> list[Problem]:
    problems = _site_config_problems(site.root)
    seen: set[str] = set()
    for record in site.approved_records:
        problems += record.doc.remembered("pii", None, lambda: check_document(record.doc, record.kind.schema))
        for att in record.data.get("attachments", []):
            if att["file"] not in seen:
                seen.add(att["file"])
                problems += check_attachment(site.root, att["file"])
    return problems
