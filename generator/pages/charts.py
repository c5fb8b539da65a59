"""Charts step: trend lines for period statistics, drawn at build time as SVG.

Which figures are charted is data: a dataset field in the kind schema with
`"chart": true` gets a chart of its own, and fields sharing `"chart": "<title>"`
are drawn together (they must share a unit). This module only computes the
geometry; `templates/_charts.md.j2` draws it, next to a table of the same
numbers for readers who cannot see the picture. No JavaScript, no CDN.

Every record of a region shows the same trend, so a chart's drawing and table
are rendered once per region and reused; a page adds only its own highlighted
points. That keeps a 10,000-record build from redrawing 40-point charts 10,000 times.
"""
from __future__ import annotations

import math
import weakref

import jinja2
from dataclasses import dataclass, field

from ..model import periods
from . import render_cache
from .escape import number
from ..problems import Problem

# Drawing units. The viewBox is about a phone's width, so 13-unit text stays
# about 12 px on a 360 px screen; CSS caps the width on large screens.
WIDTH, HEIGHT = 360, 230
TOP, BOTTOM, RIGHT = 46, 186, 24
LEGEND_Y = 32
FONT = 13
# Colour plus dash plus marker shape, so lines differ without colour vision.
STYLES = [("#8a1c1c", "", "circle"), ("#0b4f8a", "6 4", "square"), ("#2e6b30", "2 3", "diamond")]


@dataclass
class Series:
    label: str
    values: list
    color: str
    dash: str
    marker: str
    points: list = field(default_factory=list)     # (x, y, value, period_index) for values present
    segments: list = field(default_factory=list)   # runs of consecutive points, for polylines
    legend_x: float = 0


@dataclass
class Chart:
    title: str
    unit: str
    region: str
    periods: list[str]
    labels: list[str]
    series: list[Series]
    left: float = 0
    x_ticks: list = field(default_factory=list)   # (x, [line1, line2])
    y_ticks: list = field(default_factory=list)   # (y, value)
    width: int = WIDTH
    height: int = HEIGHT
    top: int = TOP
    bottom: int = BOTTOM
    right: int = WIDTH - RIGHT
    font: int = FONT
    legend_y: int = LEGEND_Y


@dataclass
class Trend:
    """A chart as one page shows it: the shared drawing plus this page's period."""
    chart: Chart
    id: str
    svg: object      # Markup: the inside of <svg>, shared by the region's pages
    table: object    # Markup: the data table, shared too
    current: int     # index of this page's period
    marks: list      # (series, point) drawn filled for this page's period


def chart_groups(kind) -> list[tuple[str, list]]:
    """[(title, fields)] in schema order, from the `chart` keys of the dataset fields."""
    groups: dict[str, list] = {}
    for f in kind.fields:
        if f.chart is True:
            groups.setdefault(f.label, []).append(f)
        elif isinstance(f.chart, str) and f.chart:
            groups.setdefault(f.chart, []).append(f)
    return list(groups.items())


def nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def y_scale(values: list[float]) -> tuple[float, float, float]:
    lo, hi = min(values), max(values)
    if lo == hi:
        pad = abs(lo) * 0.1 or 1
        lo, hi = lo - pad, hi + pad
    step = nice_step(hi - lo)
    lo = math.floor(lo / step) * step
    hi = math.ceil(hi / step) * step
    if lo < 0 <= min(values):
        lo = 0.0
    return lo, hi, step


def label_lines(period: str) -> list[str]:
    """'2025年第4季度' → ['2025年', '第4季度'] so labels fit under a phone-width axis."""
    text = periods.label(period)
    year, sep, rest = text.partition("年")
    return [year + sep, rest] if rest else [text]


def build_chart(title: str, fields: list, history: list) -> Chart | None:
    """One chart over a region's records in period order; None if under two periods have data."""
    series = []
    for i, f in enumerate(fields):
        color, dash, marker = STYLES[i % len(STYLES)]
        series.append(Series(f.label, [f.get(r.data) for r in history], color, dash, marker))
    present = [v for s in series for v in s.values if isinstance(v, (int, float))]
    counted = sum(1 for i in range(len(history))
                  if any(isinstance(s.values[i], (int, float)) for s in series))
    if counted < 2:
        return None
    lo, hi, step = y_scale(present)
    ticks = [lo + k * step for k in range(int(round((hi - lo) / step)) + 1)]
    left = 12 + 7.5 * max(len(number(round(t, 6))) for t in ticks)
    chart = Chart(title=title, unit=fields[0].unit, region=history[0].region_name,
                  periods=[r.period for r in history],
                  labels=[periods.label(r.period) for r in history], series=series, left=left)
    n = len(history)
    span_x = chart.right - left - 16

    def x_at(i):
        return round(left + 8 + (span_x * i / (n - 1) if n > 1 else span_x / 2), 1)

    def y_at(v):
        return round(BOTTOM - (v - lo) / (hi - lo) * (BOTTOM - TOP), 1)

    chart.y_ticks = [(y_at(t), round(t, 6)) for t in ticks]
    every = max(1, math.ceil(n / 6))   # keep at most about six labels on the axis
    chart.x_ticks = [(x_at(i), label_lines(history[i].period)) for i in range(n)
                     if i % every == 0 or i == n - 1]
    x = 4.0
    for s in series:
        s.legend_x = x
        x += 28 + FONT * len(s.label) + 10
    for s in series:
        run = []
        for i, v in enumerate(s.values):
            if isinstance(v, (int, float)):
                point = (x_at(i), y_at(v), v, i)
                s.points.append(point)
                run.append(point)
            elif run:
                s.segments.append(run)
                run = []
        if run:
            s.segments.append(run)
    return chart


WINDOW = 12  # periods per chart: three years of quarters


def window(count: int, current: int, size: int = WINDOW) -> tuple[int, int, int]:
    """(block, start, end): the periods a page's chart shows, `size` at most, holding
    its own period. Ten years of quarters would otherwise put 40-point charts and
    tables on every page, and a region's pages would grow with the square of its
    history. Windows are aligned from the latest period, so the pages of one block
    share one drawing."""
    block = (count - 1 - current) // size
    end = count - block * size
    return block, max(0, end - size), end


class _Cache:
    """Per render: region histories and drawn charts, so work is done once per region."""

    def __init__(self, pages):
        self.histories: dict = {}
        for r in pages.approved_records:
            if r.period:
                self.histories.setdefault((r.kind.id, r.column_id, r.region_code), []).append(r)
        for runs in self.histories.values():
            runs.sort(key=lambda r: periods.sort_key(r.period))
        self.drawn: dict = {}


# Keyed by the render's Pages object, so a new render (serve, tests) starts afresh.
_caches: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@jinja2.pass_environment
def for_record(env, pages, record) -> list[Trend]:
    """Trend charts for a period record: its region's published records of the same kind
    (the series render_cache.RenderCache keys the page by)."""
    pages = render_cache.unwrap(pages)
    if not record.period:
        return []
    groups = chart_groups(record.kind)
    if not groups:
        return []
    cache = _caches.get(pages)
    if cache is None:
        cache = _caches[pages] = _Cache(pages)
    key = (record.kind.id, record.column_id, record.region_code)
    history = cache.histories.get(key, [])
    # By identity: records compare field by field, which is slow and not what is meant.
    current = next((i for i, r in enumerate(history) if r is record), None)
    if current is None:
        return []
    block, start, end = window(len(history), current)
    history, current = history[start:end], current - start
    trends = []
    for n, (title, fields) in enumerate(groups, 1):
        drawn = cache.drawn.get(key + (n, block))
        if drawn is None:
            chart = build_chart(title, fields, history)
            chart_id = f"gk-chart-{n}"
            parts = env.get_template("_chart_parts.j2").module
            drawn = cache.drawn[key + (n, block)] = (chart, chart_id, *(
                (parts.svg_body(chart, chart_id), parts.data_table(chart)) if chart else (None, None)))
        chart, chart_id, svg, table = drawn
        if chart is None:
            continue
        marks = [(s, p) for s in chart.series for p in s.points if p[3] == current]
        trends.append(Trend(chart, chart_id, svg, table, current, marks))
    return trends


def check_chart_units(site, as_of) -> list[Problem]:
    """Lines drawn on one axis must measure the same thing."""
    problems = []
    for kind in site.kinds.values():
        for title, fields in chart_groups(kind):
            units = {f.unit for f in fields}
            if len(units) > 1:
                problems.append(Problem(
                    f"schemas/{kind.id}.schema.json", 1, 1,
                    f"图表“{title}”中的字段单位不同（{'、'.join(sorted(units))}），不能画在同一坐标轴上："
                    "请给单位不同的字段写不同的 chart 名称。"))
    return problems
