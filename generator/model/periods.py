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
