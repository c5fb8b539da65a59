"""China's working days: statutory holidays and the adjusted working weekends (调休).

Deadlines in the disclosure regulations count working days (条例 art. 26: 20
working days). The holiday table comes from PyPI `chinesecalendar`, which
follows the State Council's yearly notice weeks or months after it, and from
the project's own site_data/holidays/<year>.yaml (generator/model/holidays.py), which
an editor adds the day the notice appears and which wins for its year. A date
outside both raises `BeyondCalendar` instead of guessing from weekdays, so the
compliance check can say so in a warning.
"""
from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache
from importlib import metadata

import chinese_calendar
from chinese_calendar import constants

from .layout import HOLIDAYS_DIR, holidays_file

LIB_FIRST = min(min(constants.holidays), min(constants.workdays))
LIB_LAST = max(max(constants.holidays), max(constants.workdays)).replace(month=12, day=31)
FIRST, LAST = LIB_FIRST, LIB_LAST
# The project's own tables (site_data/holidays/<year>.yaml, generator/model/holidays.py), by year:
# they take precedence over the library for their year.
_tables: dict = {}


def configure(tables: dict) -> None:
    """Use a project's holiday tables (year → holidays.YearTable); {} for the library alone.

    Coverage runs from the library's first year through every following year that the
    library or a table covers without a gap: a table for 2029 with none for 2028 cannot
    make a deadline across 2028 computable.
    """
    global FIRST, LAST, _tables
    if tables == _tables and _table.cache_info().currsize:
        return  # the same tables again (a second load in one process): keep the computed days
    _tables = dict(tables)
    last_year = LIB_LAST.year
    while last_year + 1 in _tables:
        last_year += 1
    FIRST, LAST = LIB_FIRST, dt.date(last_year, 12, 31)
    _table.cache_clear()


def table_years() -> list[int]:
    return sorted(_tables)


def library() -> str:
    try:
        name = f"chinesecalendar {metadata.version('chinesecalendar')}"
    except metadata.PackageNotFoundError:
        name = "chinesecalendar"
    if _tables:
        years = "、".join(str(y) for y in sorted(_tables))
        name += f" 和 site_data/{HOLIDAYS_DIR}/（{years} 年）"
    return name


class BeyondCalendar(Exception):
    """A date the holiday table does not cover: working days there are unknown."""

    def __init__(self, day: dt.date):
        super().__init__(day.isoformat())
        self.day = day

    def message(self) -> str:
        return (f"日期 {self.day.isoformat()} 超出节假日表（{library()} 只收录 {FIRST.year}—{LAST.year} 年的"
                f"法定节假日和调休），无法准确计算工作日，本项暂不判定。"
                f"请按国务院办公厅当年的节假日安排通知新建 {holidays_file(self.day.year)}（格式见 README“节假日安排”），"
                f"或升级 requirements.txt 中的 chinesecalendar 后重新检查。")


def covered(day: dt.date) -> bool:
    return FIRST <= day <= LAST


def _is_workday(day: dt.date) -> bool:
    table = _tables.get(day.year)
    if table is not None:
        return day in table.on or (day.weekday() < 5 and day not in table.off)
    return chinese_calendar.is_workday(day)


@lru_cache(maxsize=1)
def _table() -> list[dt.date]:
    """Every working day the table covers, in order."""
    days, day = [], FIRST
    while day <= LAST:
        if _is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _check(*days: dt.date) -> None:
    for day in days:
        if not covered(day):
            raise BeyondCalendar(day)


def is_workday(day: dt.date) -> bool:
    _check(day)
    table = _table()
    i = bisect.bisect_left(table, day)
    return i < len(table) and table[i] == day


def between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start).

    A 解读 published on the third working day after its policy has
    between(policy, 解读) == 3: the day of publication itself is not counted,
    as deadlines "within N days" are counted in Chinese administrative law.
    """
    if end <= start:
        return 0
    _check(start, end)
    table = _table()
    return bisect.bisect_right(table, end) - bisect.bisect_right(table, start)


def add(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (the last day of an n-working-day deadline)."""
    _check(start)
    table = _table()
    i = bisect.bisect_right(table, start) + n - 1
    if i >= len(table):
        raise BeyondCalendar(LAST + dt.timedelta(days=1))
    return table[i] if n > 0 else start
