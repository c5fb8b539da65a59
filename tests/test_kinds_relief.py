"""The relief kinds added as data (医疗救助, 临时救助, 减灾救灾, 帮扶公告公示,
低保/特困 办事指南 and 名单公示): their pages, datasets, directory entries and
the masking of names and ID numbers, checked on the built sample site."""
import csv
import html as htmllib
import io
import json
import re

import yaml
from conftest import run_cli, run_cli_in_process, write
from sample_data import (MASKED_NAME, Elements, approved_of as records, article, check_record_pages, get, page_text, schema,
                         url)

from generator.checks import pii
from generator.urls import urls

STATS = ("medical_aid_stats", "temp_aid_stats")
KINDS = STATS + ("disaster_report", "poverty_notice", "dibao_guide", "dibao_roster")


def expected_values(kind, d) -> list:
    """What an editor wrote that the page must show, per kind."""
    if kind in STATS:
        return [get(d, f["path"]) for f in schema(kind)["x-kind"]["dataset"]["fields"]
                if get(d, f["path"]) is not None]
    if kind == "disaster_report":
        a = d["assessed"]
        return ([d["event"], d["stage"], a["affected_people"], a["collapsed_houses"], a["direct_loss"]]
                + d["affected_areas"] + [p["action"] for p in d["progress"]]
                + [x["item"] for x in d.get("allocations", [])] + [x["use"] for x in d.get("allocations", [])])
    if kind == "poverty_notice":
        return ([d["category"], d["supervision_phone"]] + [p["name"] for p in d.get("projects", [])]
                + [f["amount"] for f in d.get("funds", [])] + d.get("outcomes", [])
                + [b["name"] for b in d.get("beneficiaries", [])]
                + [b["id_masked"] for b in d.get("beneficiaries", []) if "id_masked" in b]
                + ([f"本次退出 {d['exit']['households']} 户 {d['exit']['persons']} 人"] if "exit" in d else [])
                + list(d.get("notice_period", {}).values()))
    if kind == "dibao_guide":
        return ([d["service"], d["standard"], d["time_limit"], d["where"], d["when"], d["contact_dept"],
                 d["contact_phone"]] + d["conditions"] + d["materials"] + d["procedure"] + d["legal_basis"])
    if kind == "dibao_roster":
        return ([d["program"], d["list_type"], d["notice_period"]["start"], d["notice_period"]["end"],
                 d["objection_phone"]] + [r["name"] for r in d["rows"]]
                + [r["amount"] for r in d["rows"]]
                + [f"共 {len(d['rows'])} 户 {sum(r['household_size'] for r in d['rows'])} 人"])
    raise AssertionError(kind)


def test_every_relief_record_page_shows_its_fields_and_the_index_box(built_site):
    check_record_pages(built_site, KINDS, expected_values)


def test_poverty_notices_cover_the_four_levels_and_say_which(built_site):
    regions = {}
    for line in (built_site.parent / "site_data/regions.tsv").read_text("utf-8").splitlines()[1:]:
        code, name, level, *_ = line.split("\t")
        regions[code] = level
    levels = {regions[d["region"]["code"]] for d in records("poverty_notice")}
    assert {"city", "county", "township", "village"} <= levels
    names = {"city": "市级", "county": "县（区）级", "township": "乡（镇）级", "village": "村级"}
    for d in records("poverty_notice"):
        text = page_text(built_site, "poverty_notice", d)
        assert f"公告公示层级： {names[regions[d['region']['code']]]}" in text, d["index_no"]


def test_relief_statistics_download_as_csv_and_json_with_charts(built_site):
    for kind in STATS:
        fields = schema(kind)["x-kind"]["dataset"]["fields"]
        want = {d["index_no"]: [d["region"]["code"], d["period"]] + [get(d, f["path"]) for f in fields]
                for d in records(kind)}
        assert len({d["region"]["code"] for d in records(kind)}) == 22
        raw = (built_site / urls.dataset_file("relief", kind, "csv")).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        header, *rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
        # Column 5 (数据类型) tells records from the computed totals (tests/test_aggregates.py).
        assert header[4:] == ["数据类型"] + [f"{f['label']}（{f['unit']}）" for f in fields]
        rows = [r for r in rows if r[4] == "公开数据"]
        assert sorted(r[0] for r in rows) == sorted(want)
        for row in rows:
            expect = want[row[0]]
            assert [row[1], row[3]] == expect[:2]
            for got, value in zip(row[5:], expect[2:]):
                assert (got == "") if value is None else float(got) == value, (row[0], got, value)
        data = json.loads((built_site / urls.dataset_file("relief", kind, "json")).read_text("utf-8"))
        assert data["title"] == schema(kind)["x-kind"]["dataset"]["title"]
        assert {r[0]: [r[1], r[3]] + r[5:] for r in data["rows"] if r[4] == "公开数据"} == want
        charts = [f for f in fields if f.get("chart")]
        for d in records(kind):
            page = article((built_site / url(kind, d) / "index.html").read_text("utf-8"))
            assert page.count('<svg role="img"') == len(charts), d["index_no"]


def test_lists_show_only_masked_names_and_no_personal_numbers(built_site):
    for kind, rows_key in (("dibao_roster", "rows"), ("poverty_notice", "beneficiaries")):
        listed = 0
        for d in records(kind):
            raw = article((built_site / url(kind, d) / "index.html").read_text("utf-8"))
            rows = d.get(rows_key, [])
            if rows:
                label = d["list_type"] if kind == "dibao_roster" else "对象名单"
                table = Elements(re.search(rf'aria-label="{label}".*?</table>', raw, re.S).group(0))
                shown = [e["text"] for e in table.find("th", scope="row")]
                assert shown == [r["name"] for r in rows], d["index_no"]
                assert all(MASKED_NAME.match(name) for name in shown), shown
                listed += len(shown)
            # Nothing that reads as a full ID, mobile or card number, anywhere on the page.
            assert pii.find(htmllib.unescape(re.sub(r"<[^>]+>", " ", raw)), office_phone_ok=True) == []
        assert listed > 0, kind


def test_standard_directory_lists_the_relief_items(built_site):
    page = (built_site / urls.built(urls.directory("relief"))).read_text("utf-8")
    rows = re.findall(r"<tr><td>社会救助</td>.*?</tr>", page, re.S)
    for kind in KINDS:
        entry = schema(kind)["x-kind"]["directory"]
        assert entry["deadline_working_days"] == 10 and entry["item"][0] == "社会救助"
        row = next((r for r in rows if f'href="../{kind}/">{entry["item"][1]}</a>' in r), None)
        assert row, kind
        assert "10 个工作日内" in row and entry["subject"] in row
        for element in entry["elements"]:
            assert element["name"] in row, (kind, element)
    assert schema("dibao_roster")["x-kind"]["notice_working_days"] == {"初审对象名单": 7}
    first = next(d for d in records("dibao_roster") if d["list_type"] == "初审对象名单")
    assert "初审对象名单公示 7 个工作日" in page_text(built_site, "dibao_roster", first)


def _check_digit(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def test_unmasked_names_and_numbers_in_lists_stop_validation(project):
    """The PII guard refuses an ID or mobile number typed into a notice's free text; the
    roster's schema refuses an unmasked name. Each is reported at the line where it was typed.
    (The guard runs on the validated site, so it speaks once schema errors are fixed.)"""
    roster = next(p for p in sorted((project / "site_data/dibao_roster").glob("*.yaml")))
    notice = next(p for p in sorted((project / "site_data/poverty_notice").glob("*.yaml"))
                  if "id_masked:" in p.read_text("utf-8"))
    roster_text, notice_text = roster.read_text("utf-8"), notice.read_text("utf-8")
    row = yaml.safe_load(roster_text)["rows"][0]
    person = yaml.safe_load(notice_text)["beneficiaries"][0]
    id18 = "64032419800101002"
    id18 += _check_digit(id18)
    assert pii.id18_valid(id18)
    bad_roster = roster_text.replace(f"name: {row['name']}", "name: 王小明", 1)
    bad_notice = notice_text.replace(f"support: {person['support']}",
                                     f"support: 身份证号 {id18}，电话 13912345678", 1)
    assert bad_roster != roster_text and bad_notice != notice_text

    def at(path, text, needle):
        line = next(i for i, l in enumerate(text.splitlines(), 1) if needle in l)
        return f"{path.relative_to(project).as_posix()}:{line}:"

    write(notice, bad_notice)
    result = run_cli(project, "validate")
    assert result.returncode == 1
    out = result.stderr
    assert at(notice, bad_notice, id18) in out
    assert "未遮挡的 18 位身份证号" in out and "未遮挡的手机号码" in out
    assert id18 not in out and "13912345678" not in out, "the message itself must not repeat the number"

    write(notice, notice_text)
    write(roster, bad_roster)
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1
    assert re.search(re.escape(at(roster, bad_roster, "王小明")) + r"\d+: .*姓名必须遮挡", result.stderr), \
        result.stderr
    # The same lists, masked as in the sample, pass.
    write(roster, roster_text)
    write(notice, notice_text)
    assert run_cli_in_process(project, "validate").returncode == 0
