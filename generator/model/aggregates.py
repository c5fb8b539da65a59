"""Computed totals: 各市合计 and 全区合计 of a statistics kind, from its county (or city) records.

Totals are never typed by hand. A kind opts in with `x-kind.dataset.aggregate_from`
("county": each county publishes, cities and the region are computed; "city": each
设区市 publishes, the region is computed), and every dataset field says how it adds
up (`aggregate`):

  sum            counts and money: the total is the sum
  range          a figure each county sets for itself (低保标准): the smallest and the
                 largest, since there is no one standard of a city
  weighted_mean  a level or rate (补助水平, 贷款率): the mean weighted by `weight`
                 (a mean of rates would count a county of 500 people as one of 50,000)
  none           not shown for a total

A total exists only when every region below has a published record for that
period: a partial sum shown as a city's figure would understate it, so instead
the page says which counties are 暂缺.

Where an office publishes its own figure for a city or the region (a record of
the kind at that level), the check step compares it with the computed total
and reports a difference as a warning: a city's own figure may rightly include
spending of the city itself (市本级 临时救助, a city-run 特困供养 home), which no
county reports, so a difference is a question for the editor, not an error.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..problems import WARNING, Problem

COMPUTED = "合计（由下级数据计算）"
PUBLISHED = "公开数据"
ROW_TYPE = ("row_type", "数据类型", "")


@dataclass
class Total:
    code: str
    name: str
    level: str                      # "city" or "province"
    period: str
    values: dict = field(default_factory=dict)    # field path → number, (min, max) or None
    missing: list[str] = field(default_factory=list)  # names of the regions without a record
    parts: int = 0                  # how many records it adds up

    @property
    def complete(self) -> bool:
        return not self.missing

    def shown(self, f) -> str | None:
        """The value as a table shows it: a range as 最低–最高."""
        value = self.values.get(f.path)
        if isinstance(value, tuple):
            lo, hi = value
            return _fmt(lo) if lo == hi else f"{_fmt(lo)}–{_fmt(hi)}"
        return None if value is None else _fmt(value)

    def download(self, f):
        """The value in CSV/JSON: numbers only; a range has no single value (the county rows carry it)."""
        value = self.values.get(f.path)
        return None if isinstance(value, tuple) else value


def _fmt(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decimals(value) -> int:
    if isinstance(value, int):
        return 0
    text = repr(float(value))
    return len(text.split(".")[1]) if "." in text and "e" not in text else 2


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def combine(kind, records) -> dict:
    """Each field's total over `records`, by the field's declared method."""
    out = {}
    for f in kind.fields:
        values = [f.get(r.data) for r in records]
        if f.aggregate in ("", "none") or not values or not all(_number(v) for v in values):
            out[f.path] = None
            continue
        places = max(_decimals(v) for v in values)
        if f.aggregate == "sum":
            total = sum(values)
            out[f.path] = round(total, places) if places else int(total)
        elif f.aggregate == "range":
            out[f.path] = (min(values), max(values))
        elif f.aggregate == "weighted_mean":
            weights = [next(g for g in kind.fields if g.path == f.weight).get(r.data) for r in records]
            if not all(_number(w) for w in weights) or sum(weights) <= 0:
                out[f.path] = None
                continue
            mean = sum(v * w for v, w in zip(values, weights)) / sum(weights)
            out[f.path] = round(mean, max(places, 1))
    return out


def _below(site, level: str) -> dict[str, list[str]]:
    """For each region, the codes of the regions of `level` that lie in it."""
    out: dict[str, list[str]] = {}
    for r in site.regions.values():
        if r.level == level:
            for up in site.ancestors(r.code):
                out.setdefault(up, []).append(r.code)
    return {k: sorted(v) for k, v in out.items()}


def totals(site, kind, records) -> dict[str, list[Total]]:
    """Per period (newest last in insertion order): the region's total first, then each city's.

    Only `records` count (the caller passes published ones)."""
    if not kind.aggregate_from:
        return {}
    unit = kind.aggregate_from
    by_period: dict[str, dict[str, object]] = {}
    for r in records:
        region = site.regions.get(r.region_code)
        if r.period and region is not None and region.level == unit:
            by_period.setdefault(r.period, {})[r.region_code] = r
    province = [r for r in site.regions.values() if r.level == "province"]
    cities = sorted((r for r in site.regions.values() if r.level == "city"), key=lambda r: r.code)
    below = _below(site, unit)
    out: dict[str, list[Total]] = {}
    for period, have in by_period.items():
        rows = [_total(site, kind, top, period, have, below.get(top.code, [])) for top in province]
        if unit == "county":
            rows += [_total(site, kind, city, period, have, below[city.code])
                     for city in cities if below.get(city.code)]
        out[period] = rows
    return out


def _total(site, kind, region, period, have: dict, codes: list[str]) -> Total:
    missing = [site.regions[c].name for c in codes if c not in have]
    t = Total(region.code, region.name, region.level, period, missing=missing, parts=len(codes) - len(missing))
    if not missing and codes:
        t.values = combine(kind, [have[c] for c in codes])
    return t


def latest_totals(site, kind, records) -> list[Total]:
    from . import periods
    found = totals(site, kind, records)
    if not found:
        return []
    return found[max(found, key=periods.sort_key)]


def check_published_totals(site, as_of) -> list[Problem]:
    """A city's (or the region's) own published figure against the sum of its parts."""
    problems: list[Problem] = []
    for kind in site.kinds.values():
        if not kind.aggregate_from:
            continue
        published = [r for r in site.approved_records if r.kind.id == kind.id]
        computed = {(t.period, t.code): t for rows in totals(site, kind, published).values() for t in rows}
        for r in published:
            t = computed.get((r.period, r.region_code))
            if t is None or not t.complete:
                continue
            below = "各县（区）" if kind.aggregate_from == "county" else "各市"
            for f in kind.fields:
                own, sum_ = f.get(r.data), t.values.get(f.path)
                if f.aggregate != "sum" or not _number(own) or not _number(sum_):
                    continue
                if round(sum_, _decimals(own)) == own:
                    continue
                line, col = r.doc.where(tuple(f.path.split(".")))
                unit = f.unit or ""
                diff = round(own - sum_, max(_decimals(own), _decimals(sum_)))
                problems.append(Problem(r.doc.rel, line, col, (
                    f"{r.region_name}{r.period_label}的“{f.label}”填的是 {_fmt(own)} {unit}，"
                    f"{below}已发布数据的合计是 {_fmt(sum_)} {unit}（{t.parts} 个地区），"
                    f"{'多' if diff > 0 else '少'} {_fmt(abs(diff))} {unit}。"
                    f"如果差额是{r.region_name}本级直接发放或支出的部分，请在“说明”中写明；"
                    "否则请核对这个数或各地的数据。"), WARNING))
    return problems
