"""Trend charts: build-time SVG with a text and table alternative, values from the data."""
import math
import re
from types import SimpleNamespace

from sample_data import Elements, approved, article, get, schema, url

from generator.pages import charts
from generator.model.kinds import DatasetField, Kind

KIND = "dibao_stats"


def groups():
    """[(title, [(path, label, unit)])] as the schema declares them."""
    out: dict = {}
    for f in schema(KIND)["x-kind"]["dataset"]["fields"]:
        chart = f.get("chart")
        if chart:
            out.setdefault(f["label"] if chart is True else chart, []).append(
                (f["path"], f["label"], f.get("unit", "")))
    return list(out.items())


def by_region():
    series: dict = {}
    for kind, data in approved():
        if kind == KIND:
            series.setdefault(data["region"]["code"], []).append(data)
    return {code: sorted(recs, key=lambda d: d["period"]) for code, recs in series.items()}


def figures(html: str) -> list[str]:
    return re.findall(r'<figure class="gk-chart".*?</figure>', article(html), re.S)


def test_every_period_record_page_has_its_declared_charts_with_alternatives(built_site):
    declared = groups()
    assert len(declared) >= 2 and any(len(fields) > 1 for _, fields in declared)
    checked = 0
    for code, history in by_region().items():
        for data in history:
            html = (built_site / url(KIND, data) / "index.html").read_text("utf-8")
            found = figures(html)
            assert len(found) == len(declared), data["index_no"]
            for fig, (title, fields) in zip(found, declared):
                doc = Elements(fig)
                svg, = doc.find("svg")
                assert svg["attrs"]["role"] == "img"
                assert svg["attrs"]["viewbox"].startswith("0 0 ") and svg["attrs"]["width"] == "100%"
                title_id, desc_id = svg["attrs"]["aria-labelledby"].split()
                svg_title, = doc.find("title", id=title_id)
                desc, = doc.find("desc", id=desc_id)
                assert title in svg_title["text"] and data["region"]["name"] in svg_title["text"]
                # The text alternative states first and last value of every line.
                for path, label, unit in fields:
                    first, last = get(history[0], path), get(history[-1], path)
                    assert f"{label}：" in desc["text"]
                    assert f"为{first}{unit}" in desc["text"] and f"为{last}{unit}" in desc["text"]
                # Markers carry the drawn values, line by line in period order.
                markers = [e for e in doc.items if "data-value" in e["attrs"]]
                expected = [get(d, path) for path, _, _ in fields for d in history]
                assert [float(m["attrs"]["data-value"]) for m in markers] == expected
                ys = [float(m["attrs"].get("cy") or m["attrs"]["y"]) + (0 if "cy" in m["attrs"] else
                      float(m["attrs"]["height"]) / 2) for m in markers]
                pairs = sorted(zip(expected, ys))
                assert all(a[1] >= b[1] for a, b in zip(pairs, pairs[1:])), "a larger value is drawn higher"
                # The same numbers as a table next to the picture.
                rows = [e for e in doc.find("tr")][1:]
                assert len(rows) == len(history)
                cells = [float(c["text"]) for c in doc.find("td", **{"class": "gk-num"})]
                assert cells == [get(d, path) for d in history for path, _, _ in fields]
                label = f"{data['period'][:4]}年第{data['period'][-1]}季度"
                note, = doc.find("p", **{"class": "gk-chart-note"})
                assert f"本页统计期：{label}" in note["text"]
                # This page's period is drawn filled on top of every line.
                here = history.index(data)
                own = [markers[k * len(history) + here] for k in range(len(fields))]
                filled = [e for e in doc.items if e["tag"] in ("circle", "rect", "polygon")
                          and "data-value" not in e["attrs"]]
                assert len(filled) == len(fields)
                for mark, dot in zip(filled, own):
                    assert mark["attrs"]["fill"] == mark["attrs"]["stroke"] != dot["attrs"]["fill"]
                    for axis in ("cx", "cy"):
                        if axis in dot["attrs"]:
                            assert mark["attrs"][axis] == dot["attrs"][axis]
            checked += 1
    assert checked == sum(1 for k, _ in approved() if k == KIND)


def test_non_period_pages_have_no_chart(built_site):
    for kind, data in approved():
        if not schema(kind)["x-kind"].get("period"):
            html = (built_site / url(kind, data) / "index.html").read_text("utf-8")
            assert "<svg role=\"img\"" not in article(html), data["index_no"]


def field(path, label, unit, chart):
    return DatasetField(path=path, label=label, unit=unit, chart=chart)


def kind_with(*fields):
    return Kind(id="k", name="测试", column="relief", schema={}, template="", period=True,
                fields=list(fields))


def test_axis_covers_every_value_with_round_ticks():
    for values in ([780, 785, 790, 800], [5760, 6000], [0.5, 0.75], [12, 12], [1_234_567, 2_000_001]):
        lo, hi, step = charts.y_scale(values)
        assert lo <= min(values) and hi >= max(values) and hi > lo
        assert 2 <= (hi - lo) / step <= 8
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5)), (values, step)


def test_missing_value_breaks_the_line_and_groups_follow_the_schema():
    kind = kind_with(field("a", "甲", "人", "人数"), field("b", "乙", "人", "人数"),
                     field("c", "丙", "元", True), field("d", "丁", "元", False))
    assert [(t, [f.path for f in fs]) for t, fs in charts.chart_groups(kind)] == \
        [("人数", ["a", "b"]), ("丙", ["c"])]
    history = [SimpleNamespace(period=p, data=d, region_name="兴庆区") for p, d in
               [("2025-Q1", {"a": 1, "b": 5}), ("2025-Q2", {"b": 6}), ("2025-Q3", {"a": 3, "b": 7})]]
    chart = charts.build_chart("人数", charts.chart_groups(kind)[0][1], history)
    a, b = chart.series
    assert [len(run) for run in a.segments] == [1, 1] and [len(run) for run in b.segments] == [3]
    assert [p[3] for p in a.points] == [0, 2] and [p[2] for p in b.points] == [5, 6, 7]
    assert all(chart.left <= p[0] <= chart.right and chart.top <= p[1] <= chart.bottom
               for s in chart.series for p in s.points)


def test_lines_with_different_units_on_one_chart_are_refused():
    site = SimpleNamespace(kinds={"k": kind_with(field("a", "甲", "人", "合计"), field("b", "乙", "元", "合计"))})
    problems = charts.check_chart_units(site, None)
    assert len(problems) == 1 and problems[0].is_error
    assert problems[0].path == "schemas/k.schema.json" and "单位不同" in problems[0].message


def test_a_long_history_is_charted_in_aligned_windows_of_twelve_periods():
    """40 quarters: each page's chart holds its own period and at most 12, the latest
    page sees the latest 12, and the 40 pages share 4 drawings."""
    windows = {}
    for current in range(40):
        block, start, end = charts.window(40, current)
        assert start <= current < end and end - start <= 12
        windows[block] = (start, end)
    assert charts.window(40, 39)[1:] == (28, 40)
    assert sorted(windows.values()) == [(0, 4), (4, 16), (16, 28), (28, 40)]
    assert charts.window(4, 0) == (0, 0, 4)  # a short history is shown whole
