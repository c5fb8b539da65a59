"""Holiday arrangements as data: site_data/holidays/<year>.yaml, one file per State Council notice.

Each November the State Council's General Office publishes next year's 放假 and
调休上班 days (《国务院办公厅关于XXXX年部分节假日安排的通知》, 国办发明电〔…〕N号);
PyPI `chinesecalendar` follows weeks or months later. An editor copies the notice
into a file here and the working-day deadlines of the self-check are judged again
from 1 January, with no release to wait for. A file takes precedence over the
library for its year (a correction, or a year the library lacks).

The file mirrors the notice's own sentences, so it can be checked line by line
against it: "春节：2月15日至23日放假调休，共9天。2月14日（周六）、2月28日（周六）上班。"

    year: 2027
    notice: {title: 国务院办公厅关于2027年部分节假日安排的通知, doc_no: 国办发明电〔2026〕N号, date: 2026-11-XX}
    holidays:
      - name: 春节
        from: 2027-02-..   # 放假（含调休）第一天
        to: 2027-02-..     # 最后一天
        days: 9            # 通知中的“共 N 天”
        work: [2027-02-.., 2027-02-..]   # 调休上班的日子（可以没有）
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import load, workdays
from .kinds import get_path
from .layout import DATA_DIR, HOLIDAYS_DIR, holidays_file
from ..problems import WARNING, Problem

_DOC_NO = re.compile(r"^国办发明电〔\d{4}〕\d+号$")
_WEEKDAYS = "一二三四五六日"


@dataclass
class YearTable:
    year: int
    rel: str
    off: set = field(default_factory=set)    # 放假 days (weekends inside a range included)
    on: set = field(default_factory=set)     # 调休上班 days
    notice: dict = field(default_factory=dict)


def folder(root: Path) -> Path:
    return Path(root) / DATA_DIR / HOLIDAYS_DIR


def _date(doc, path, problems, what) -> dt.date | None:
    value = get_path(doc.data, path)
    line, col = doc.where(path)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        problems.append(Problem(doc.rel, line, col, f"{what}“{value}”不是日期，请写成 2027-02-05 这样的格式。"))
        return None


def _weekday(day: dt.date) -> str:
    return "周" + _WEEKDAYS[day.weekday()]


class _Found:
    """The problems of one holiday file, each placed at the line it is about."""

    def __init__(self, doc):
        self.doc, self.problems = doc, []

    def at(self, path, message, key: bool = False):
        line, col = self.doc.where(path, key=key)
        self.problems.append(Problem(self.doc.rel, line, col, message))

    def date(self, path, what) -> dt.date | None:
        return _date(self.doc, path, self.problems, what)


def load_table(path: Path, rel: str) -> tuple[YearTable | None, list[Problem]]:
    """One year's file, checked against itself and the calendar; (None, problems) when wrong."""
    doc, problems = load.load_file(path, rel)
    if problems:
        return None, problems
    data = doc.data
    if not isinstance(data, dict):
        return None, [Problem(rel, 1, 1, "节假日文件应写 year、notice、holidays 三项，格式见 README“节假日安排”。")]
    found = _Found(doc)
    for key in data:
        if key not in ("year", "notice", "holidays"):
            found.at((key,), f"不认识的字段“{key}”：节假日文件只有 year、notice、holidays 三项。", key=True)
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        found.at(("year",), "year 应写年份，例如 year: 2027。")
        return None, found.problems
    if Path(rel).stem != str(year):
        found.at(("year",), f"文件名应与年份一致：year 是 {year}，请把文件命名为 {year}.yaml。")
    table = YearTable(year=year, rel=rel, notice=_notice(found, data.get("notice"), year))
    holidays = data.get("holidays")
    if not isinstance(holidays, list) or not holidays:
        found.at(("holidays",), "holidays 应逐项列出通知中的节日：name、from、to、days，以及调休上班的 work。")
        return None, found.problems
    where_off: dict[dt.date, tuple] = {}
    where_on: dict[dt.date, tuple] = {}
    for i, item in enumerate(holidays):
        base = ("holidays", i)
        if not isinstance(item, dict):
            found.at(base, "每个节日应写 name、from、to、days（和 work）。")
            continue
        name = _days_off(found, item, base, year, where_off)
        _work_days(found, item, base, name, year, where_on)
    for day, (name, p) in where_on.items():
        if day in where_off:
            found.at(p, f"{day} 既是{where_off[day][0]}的放假日，又是{name}的调休上班日：同一天不能既放假又上班，请核对通知。")
    if found.problems:
        return None, found.problems
    table.off, table.on = set(where_off), set(where_on)
    return table, found.problems


def _notice(found: _Found, notice, year: int) -> dict:
    """The notice the file copies: its title, 文号 and date, checked against the year."""
    if not isinstance(notice, dict):
        found.at(("notice",), "notice 应写通知的 title（标题）、doc_no（文号）和 date（发布日期），照抄国务院办公厅的通知。")
        return {}
    title = notice.get("title")
    if not isinstance(title, str) or f"{year}年" not in title or "节假日安排" not in title:
        found.at(("notice", "title"), f"notice.title 应是通知标题，例如“国务院办公厅关于{year}年部分节假日安排的通知”。")
    doc_no = notice.get("doc_no")
    if not isinstance(doc_no, str) or not _DOC_NO.match(doc_no):
        found.at(("notice", "doc_no"), "notice.doc_no 应是通知的文号，格式如“国办发明电〔2016〕17号”（六角括号〔〕）。")
    if "date" not in notice:
        found.at(("notice",), "notice 缺少 date：通知的发布日期，例如 date: 2026-11-04。", key=True)
    else:
        issued = found.date(("notice", "date"), "notice.date")
        if issued and issued.year not in (year - 1, year):
            found.at(("notice", "date"), f"notice.date {issued} 不像是{year}年安排的发布日期（应在 {year - 1} 年或 {year} 年）。")
    return notice


def _days_off(found: _Found, item: dict, base: tuple, year: int, where_off: dict) -> str:
    """One holiday's 放假 range, checked against its "共 N 天" and the other holidays;
    its days go into where_off. Returns its name for the messages that follow."""
    for key in item:
        if key not in ("name", "from", "to", "days", "work"):
            found.at(base + (key,), f"不认识的字段“{key}”：每个节日只有 name、from、to、days、work。", key=True)
    name = item.get("name") or f"第 {base[1] + 1} 项"
    if not item.get("name"):
        found.at(base, "缺少 name：节日名称，例如 name: 春节。")
    start = found.date(base + ("from",), "from") if "from" in item else None
    end = found.date(base + ("to",), "to") if "to" in item else start
    if "from" not in item:
        found.at(base, f"{name}缺少 from：放假第一天（通知中“X月X日至X日放假”的第一天）。")
    for key, day in (("from", start), ("to", end)):
        if day and day.year != year:
            found.at(base + (key,), f"{name}的 {key} 日期 {day} 不在 {year} 年内：这个文件只写 {year} 年的日子"
                                    f"（跨年的假期，上一年或下一年的日子写在那一年的文件里）。")
    if start and end and end < start:
        found.at(base + ("to",), f"{name}的放假最后一天 {end} 早于第一天 {start}，请核对通知。")
        return name
    if start and end:
        span = (end - start).days + 1
        days = item.get("days")
        if not isinstance(days, int) or isinstance(days, bool):
            found.at(base + ("days",) if "days" in item else base,
                     f"{name}应写 days：通知中“共 N 天”的 N（{start} 至 {end} 是 {span} 天）。")
        elif days != span:
            found.at(base + ("days",), f"{name}放假 {start} 至 {end} 是 {span} 天，而 days 写的是 {days} 天："
                                       f"放假的日子应正好是通知所写的起止范围，请核对通知。")
        for k in range(span):
            day = start + dt.timedelta(days=k)
            if day in where_off:
                found.at(base + ("from",), f"{name}的放假日 {day} 与{where_off[day][0]}重叠，请核对通知。")
            where_off[day] = (name, base + ("from",))
    return name


def _work_days(found: _Found, item: dict, base: tuple, name: str, year: int, where_on: dict):
    """One holiday's 调休上班 days: weekends of its year, each written once; into where_on."""
    work = item.get("work", [])
    if not isinstance(work, list):
        work = [work]
        paths = [base + ("work",)]
    else:
        paths = [base + ("work", j) for j in range(len(work))]
    for p in paths:
        day = found.date(p, "调休上班日")
        if day is None:
            continue
        if day.year != year:
            found.at(p, f"{name}的调休上班日 {day} 不在 {year} 年内：这个文件只写 {year} 年的日子。")
            continue
        if day.weekday() < 5:
            found.at(p, f"{name}的调休上班日 {day} 是{_weekday(day)}，不是周末：调休上班的日子只会是周六或周日，请核对通知。")
        if day in where_on:
            found.at(p, f"调休上班日 {day} 写了两次。")
        where_on[day] = (name, p)


def load_tables(root: Path) -> tuple[dict[int, YearTable], list[Problem]]:
    """Every year's file under site_data/holidays/ (none is fine)."""
    tables: dict[int, YearTable] = {}
    problems: list[Problem] = []
    base = folder(root)
    if not base.is_dir():
        return tables, problems
    for path in sorted(base.iterdir()):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink() or not path.is_file():
            continue
        if path.suffix.lower() not in (".yaml", ".yml"):
            continue
        table, p = load_table(path, rel)
        problems += p
        if table is not None:
            if table.year in tables:
                problems.append(Problem(rel, 1, 1, f"{table.year} 年的节假日安排已经写在 {tables[table.year].rel} 里了，请删除其中一个。"))
            else:
                tables[table.year] = table
    return tables, problems


def next_year_missing(site, as_of) -> list[Problem]:
    """From 1 December: next year's arrangement must be here before 1 January, or every
    working-day deadline of January (Q4 statistics are due then) cannot be judged."""
    today = as_of or dt.date.today()
    if today.month != 12:
        return []
    following = today.year + 1
    if workdays.covered(dt.date(following, 12, 31)):
        return []
    rel = holidays_file(following)
    return [Problem(rel, 1, 1,
                    f"节假日表还没有 {following} 年（今天是 {today}）：国务院办公厅通常在 11 月或 12 月初发布"
                    f"《国务院办公厅关于{following}年部分节假日安排的通知》。请照通知新建 {rel}，"
                    f"写明通知的标题、文号、发布日期和每个节日的放假起止、天数、调休上班日"
                    f"（写法见 README“节假日安排”）；否则从 {following}-01-01 起，按工作日计算的时限都无法判断。",
                    severity=WARNING)]
