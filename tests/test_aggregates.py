"""全区 and 各市 totals are computed from the counties' published records, never typed;
a city's own figure that differs from them is reported; office phones carry their
region's 长途区号; the sample's figures look like real ones."""
from __future__ import annotations

import csv
import html
import io
import re
from collections import defaultdict

import pytest
import yaml
from conftest import ROOT, run_cli, write
from sample_data import approved, article, get, schema

from generator.pipeline import load_and_check
from generator.pages.render import render
from generator.urls import urls

COMPUTED = "合计（由下级数据计算）"


def regions(root=ROOT) -> dict[str, dict]:
    with open(root / "site_data/regions.tsv", encoding="utf-8") as f:
        return {r["code"]: r for r in csv.DictReader(f, delimiter="\t")}


def aggregating_kinds() -> list[str]:
    kinds = [p.name[: -len(".schema.json")] for p in (ROOT / "schemas").glob("*.schema.json")]
    return sorted(k for k in kinds if k not in ("common", "site")
                  and schema(k).get("x-kind", {}).get("dataset", {}).get("aggregate_from"))


def expected_totals(kind: str) -> dict[tuple[str, str], dict]:
    """(period, region code) → {field path: total} from the YAML, for complete groups only."""
    ds = schema(kind)["x-kind"]["dataset"]
    unit, fields = ds["aggregate_from"], ds["fields"]
    regs = regions()
    units = [c for c, r in regs.items() if r["level"] == unit]
    groups = {"640000": units}
    if unit == "county":
        for code in units:
            groups.setdefault(regs[code]["parent"], []).append(code)
    have = defaultdict(dict)
    for k, d in approved():
        if k == kind and d["region"]["code"] in units:
            have[d["period"]][d["region"]["code"]] = d
    out = {}
    for period, by_code in have.items():
        for group, codes in groups.items():
            if not all(c in by_code for c in codes):
                continue
            recs = [by_code[c] for c in codes]
            values = {}
            for f in fields:
                vals = [get(d, f["path"]) for d in recs]
                if f["aggregate"] == "sum":
                    values[f["path"]] = sum(vals)
                elif f["aggregate"] == "range":
                    values[f["path"]] = (min(vals), max(vals))
                elif f["aggregate"] == "weighted_mean":
                    weights = [get(d, f["weight"]) for d in recs]
                    values[f["path"]] = sum(v * w for v, w in zip(vals, weights)) / sum(weights)
            out[(period, group)] = values
    return out


def read_csv(path):
    return list(csv.reader(io.StringIO(path.read_bytes()[3:].decode("utf-8"), newline="")))


def test_every_statistics_kind_aggregates_and_says_how():
    """Every kind kept per period with figures computes totals, each figure with its rule."""
    stats = [p.name[: -len(".schema.json")] for p in (ROOT / "schemas").glob("*.schema.json")
             if schema(p.name[: -len(".schema.json")]).get("x-kind", {}).get("period")
             and schema(p.name[: -len(".schema.json")])["x-kind"].get("dataset")]
    assert sorted(stats) == aggregating_kinds() and len(stats) >= 6
    for kind in stats:
        ds = schema(kind)["x-kind"]["dataset"]
        assert ds["aggregate_note"], kind
        for f in ds["fields"]:
            assert f["aggregate"] in ("sum", "range", "weighted_mean", "none"), (kind, f)
            # Standards and levels are never summed.
            if "标准" in f["label"] or "水平" in f["label"] or f.get("unit") == "%":
                assert f["aggregate"] != "sum", (kind, f["path"])


@pytest.mark.parametrize("kind", ["dibao_stats", "temp_aid_stats", "housing_fund_report"])
def test_csv_totals_equal_the_sum_of_their_parts(built_site, kind):
    ds = schema(kind)["x-kind"]["dataset"]
    column = schema(kind)["x-kind"]["column"]
    header, *rows = read_csv(built_site / urls.dataset_file(column, kind, "csv"))
    assert header[4] == "数据类型"
    want = expected_totals(kind)
    computed = {(r[3], r[1]): r for r in rows if r[4] == COMPUTED}
    assert set(computed) == set(want) and want
    for key, row in computed.items():
        assert row[0] == "", "a computed total has no 索引号"
        for i, f in enumerate(ds["fields"], start=5):
            value = want[key][f["path"]]
            if isinstance(value, tuple):
                assert row[i] == "", (key, f["path"])  # a range has no single value to download
            else:
                assert float(row[i]) == pytest.approx(value, abs=0.06), (key, f["path"], row[i], value)


def test_column_page_shows_region_and_city_totals_first(built_site):
    page = html.unescape(article((built_site / urls.built(urls.column("relief"))).read_text("utf-8")))
    section = page[page.index("城乡低保和特困人员统计：最新数据"):]
    totals = section.index("全区合计")
    assert totals < section.index("兴庆区"), "totals come before the county rows"
    want = expected_totals("dibao_stats")
    newest = max(p for p, _ in want)
    fields = [f for f in schema("dibao_stats")["x-kind"]["dataset"]["fields"] if f.get("summary")]
    names = {c: r["name"] for c, r in regions().items()}
    for (period, code), values in want.items():
        if period != newest:
            continue
        label = "全区合计" if code == "640000" else f"{names[code]}合计"
        m = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', section, re.S)
        assert m, label
        cells = re.findall(r'<td class="gk-num">([^<]*)</td>', m.group(1))
        expected = []
        for f in fields:
            v = values[f["path"]]
            if isinstance(v, tuple):
                expected.append(str(v[0]) if v[0] == v[1] else f"{v[0]}–{v[1]}")
            else:
                expected.append(str(v))
        assert cells == expected, (label, cells, expected)


def _site(root):
    site, problems, _ = load_and_check(root)
    assert site is not None, [p.format() for p in problems]
    return site, problems


def test_city_figure_is_checked_against_its_counties_and_gaps_are_named(project):
    regs = regions(project)
    shizuishan = [c for c, r in regs.items() if r["parent"] == "640200"]
    counties = [yaml.safe_load((project / f"site_data/dibao_stats/2026-Q3-{c}.yaml").read_text("utf-8"))
                for c in shizuishan]
    d = dict(counties[0])
    d["index_no"] = d["index_no"][:-5] + "90001"
    d["region"] = {"code": "640200", "name": "石嘴山市"}
    d["title"] = d["title"].replace(counties[0]["region"]["name"], "石嘴山市")
    for f in schema("dibao_stats")["x-kind"]["dataset"]["fields"]:
        if f["aggregate"] == "sum":
            head, tail = f["path"].split(".")
            d[head] = dict(d[head], **{tail: round(sum(get(c, f["path"]) for c in counties), 1)})
    total = d["urban"]["recipients"]
    d["urban"]["recipients"] = total + 37
    text = yaml.safe_dump(d, allow_unicode=True, sort_keys=False)
    city = write(project / "site_data/dibao_stats/2026-Q3-640200.yaml", text)
    # A county's record for an older period withdrawn from publication: that period's
    # 银川 total must not be shown as a partial sum.
    gap = project / "site_data/dibao_stats/2026-Q2-640121.yaml"
    gap.write_text(gap.read_text("utf-8").replace("status: 已通过", "status: 待审核"), "utf-8")
    (project / "site_data/published.tsv").unlink()

    site, problems = _site(project)
    found = [p for p in problems if p.path == city.relative_to(project).as_posix()]
    assert len(found) == 1, [p.format() for p in problems]
    line = next(n for n, t in enumerate(text.split("\n"), start=1) if t.startswith("  recipients:"))
    assert (found[0].line, found[0].col) == (line, 15), found[0].format()
    message = found[0].format()
    assert f"填的是 {total + 37} 人" in message and f"合计是 {total} 人（3 个地区），多 37 人" in message
    assert not found[0].is_error  # a city may spend on its own (市本级); the editor is asked to explain

    csv_rows = read_csv_bytes(render(site).text(urls.dataset_file("relief", "dibao_stats", "csv")))
    types = {(r[3], r[1], r[4]) for r in csv_rows[1:]}
    assert ("2026-Q3", "640200", "公开数据") in types and ("2026-Q3", "640200", COMPUTED) in types
    assert ("2026-Q2", "640100", COMPUTED) not in types and ("2026-Q2", "640000", COMPUTED) not in types
    assert ("2026-Q3", "640100", COMPUTED) in types

    # The city's own figure, equal to the sum, raises nothing.
    city.write_text(text.replace(f"recipients: {total + 37}", f"recipients: {total}"), "utf-8")
    site, problems = _site(project)
    assert not [p for p in problems if p.path.endswith("2026-Q3-640200.yaml")], [p.format() for p in problems]


def test_a_missing_county_is_named_instead_of_a_partial_total(project):
    gap = project / "site_data/temp_aid_stats/2026-Q3-640521.yaml"
    gap.write_text(gap.read_text("utf-8").replace("status: 已通过", "status: 待审核"), "utf-8")
    (project / "site_data/published.tsv").unlink()
    site, _ = _site(project)
    page = render(site).text(urls.kind("relief", "temp_aid_stats"))
    assert "<th scope=\"row\">中卫市合计</th><td colspan=\"4\">暂缺 中宁县 的数据，暂不计算合计</td>" in page
    assert "<th scope=\"row\">全区合计</th><td colspan=\"4\">暂缺 中宁县 的数据" in page
    assert "<th scope=\"row\">银川市合计</th><td class=\"gk-num\">" in page


def read_csv_bytes(raw: bytes):
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def test_wrong_area_code_is_an_error_at_its_place(project):
    path = project / "site_data/rural_housing_policy/2026-640324.yaml"  # 同心县, 吴忠: 0953
    text = path.read_text("utf-8")
    phone = re.search(r"contact_phone: (0953)-(\d+)", text)
    assert phone, "the sample's 同心县 phone carries 吴忠's code"
    path.write_text(text.replace(phone.group(0), f"contact_phone: 0954-{phone.group(2)}"), "utf-8")
    line = next(n for n, t in enumerate(path.read_text("utf-8").split("\n"), start=1)
                if t.startswith("contact_phone:"))
    # A county page may give the 自治区's number (0951), and a 银川 district's 0951 is its own.
    guide = project / "site_data/subsidy_program/2026-640104-3.yaml"
    assert "contact_phone: 0951-" in guide.read_text("utf-8")
    result = run_cli(project, "validate")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [t for t in result.stdout.splitlines() + result.stderr.splitlines() if "区号" in t]
    assert lines == [f"site_data/rural_housing_policy/2026-640324.yaml:{line}:16: 电话“0954-{phone.group(2)}”"
                     f"的区号是 0954，不是同心县的长途区号 0953（site_data/regions.tsv 的 area_code 列）。"
                     f"请核对号码，本地部门的电话写成 0953-{phone.group(2)} 这样；上级部门的电话可以用区号 0951。"], lines
    assert "Traceback" not in result.stderr


def test_sample_phones_use_their_regions_area_code():
    regs = regions()

    def code_of(c):
        while not regs[c]["area_code"]:
            c = regs[c]["parent"]
        return regs[c]["area_code"]
    seen = 0
    for kind, d in approved():
        allowed = {code_of(d["region"]["code"]), "0951"}
        for value in re.findall(r"\b(0\d{2,3})-\d{7,8}\b", yaml.safe_dump(d, allow_unicode=True)):
            seen += 1
            assert value in allowed, (kind, d["index_no"], value)
    assert seen > 20


def test_sample_figures_look_real():
    urban_districts = {"640104", "640105", "640106", "640202", "640205", "640302", "640402", "640502"}
    regs = regions()
    assert all(regs[c]["name"].endswith("区") for c in urban_districts)
    for kind, d in approved():
        if kind == "dibao_stats" and d["region"]["code"] in urban_districts:
            assert d["urban"]["recipients"] > d["rural"]["recipients"], d["index_no"]
        if kind == "dibao_roster":
            for row in d["rows"]:
                if row.get("category") == "城市低保":
                    assert "社区" in row["village"] and "村" not in row["village"], (d["index_no"], row)
        if kind == "policy" and d.get("column") == "relief":
            assert "20 个工作日" not in d["body"] and "10 个工作日" in d["body"]
    assert schema("dibao_stats")["x-kind"]["directory"]["deadline_working_days"] == 10


def test_first_review_list_shows_proposed_amounts(built_site):
    for kind, d in approved():
        if kind == "dibao_roster" and d["list_type"] == "初审对象名单":
            page = article((built_site / urls.built(urls.record("relief", kind, d["index_no"]))).read_text("utf-8"))
            assert "拟保障金额" in page and "每月拟保障金额" in page
            break
    else:
        pytest.fail("the sample has no 初审对象名单")
