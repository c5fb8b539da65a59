"""Statistical periods as editors write them: 2025, 2025-H1, 2025-Q3, 2025-07."""
from __future__ import annotations

import datetime as dt
import re

PATTERN = r"^[0-9]{4}(-Q[1-4]|-H[12]|-(0[1-9]|1[0-2]))?$"
_RE = re.compile(PATTERN)


def valid(period: str) -> bool:
    return isinstance(period, str) and bool(_RE.match(period))


def label(period: str) -> str:
    if not valid(period):
        return str(period)
    year, _, rest = period.partition("-")
    if not rest:
        return f"{year}年"
    if rest.startswith("Q"):
        return f"{year}年第{rest[1]}季度"
    if rest.startswith("H"):
        return f"{year}年{'上' if rest[1] == '1' else '下'}半年"
    return f"{year}年{int(rest)}月"


def bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day a period covers."""
    year, _, rest = period.partition("-")
    y = int(year)
    if not rest:
        first_month, months = 1, 12
    elif rest.startswith("Q"):
        first_month, months = (int(rest[1]) - 1) * 3 + 1, 3
    elif rest.startswith("H"):
        first_month, months = (int(rest[1]) - 1) * 6 + 1, 6
    else:
        first_month, months = int(rest), 1
    start = dt.date(y, first_month, 1)
    end_month = first_month + months
    end = (dt.date(y + 1, 1, 1) if end_month > 12 else dt.date(y, end_month, 1)) - dt.timedelta(days=1)
    return start, end


def sort_key(period: str) -> tuple:
    """Periods sort by when they end, then by length (a year after its last quarter)."""
    if not valid(period):
        return (dt.date.min, 0)
    start, end = bounds(period)
    return (end, (end - start).days)


_CN_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}
# A period as a table's title names it (the forms label() writes, and the ones offices type):
# 2024年第4季度, 2024年四季度, 2024年上半年, 2024年7月, 2024年度, 2024年. A span of months
# (2024年1-9月, 1至9月: a cumulative table) names no single period, nor does a date (2025年1月8日).
_NAMED = re.compile(r"(\d{4})\s*年\s*(?:(?:第\s*)?([1-4一二三四])\s*季度?|([上下])半年|(\d{1,2})\s*月(?!份?\s*[-－—~～至到\d])|度|(?!\s*\d))")
_SPAN = re.compile(r"\d{1,2}\s*月?\s*[-－—~～至到]\s*\d{1,2}\s*月")


def named_in(text: str) -> list[str]:
    """The periods a Chinese text names (2024年第4季度 → 2024-Q4), in order; none for a date,
    and [] when it names a span of months, which is no single period."""
    if _SPAN.search(text):
        return []
    found = []
    for m in _NAMED.finditer(text):
        year, quarter, half, month = m.groups()
        if quarter:
            found.append(f"{year}-Q{_CN_DIGITS.get(quarter, quarter)}")
        elif half:
            found.append(f"{year}-H{1 if half == '上' else 2}")
        elif month and 1 <= int(month) <= 12:
            found.append(f"{year}-{int(month):02d}")
        elif not month:
            found.append(year)
    return found
