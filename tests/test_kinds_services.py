"""The kinds real columns carry beyond the 2016 list, checked on the built sample site:
办事指南 of each 事项 (service_guide), the 公示 of 临时救助, 危房改造对象 and 保障性住房
分配/退出 (masked rosters with a 公示期), 减税降费 measures and 慈善捐赠款物 use; and each
column page's 监督投诉电话 and 信访通讯地址."""
import datetime as dt
import html as htmllib
import re

import yaml
from browser_support import list_covered, page_templates
from conftest import ROOT, run_cli, run_cli_in_process, write
from sample_data import (MASKED_NAME, Elements, approved_of as records, article, check_record_pages, column_of, page_text,
                         schema, url)
from test_check import fixture_site, only, run

from generator.checks import pii
from generator.urls import urls

ROSTERS = ("temp_aid_roster", "rural_housing_roster", "housing_allocation_roster")
KINDS = ("service_guide",) + ROSTERS + ("tax_relief", "donation_use")


def expected_values(kind, d) -> list:
    """What an editor wrote that the page must show."""
    if kind == "service_guide":
        return ([d["service"], d["department"], f"{d['time_limit_working_days']} 个工作日", d["where"], d["when"],
                 d["contact_phone"], d["complaint_phone"], d["fee"]] + d["legal_basis"] + d["conditions"]
                + [m["name"] for m in d["materials"]] + [s["detail"] for s in d["procedure"]])
    if kind in ROSTERS:
        cells = [v for row in d["rows"] for k, v in row.items()]
        return [d["list_type"], d["notice_period"]["start"], d["notice_period"]["end"], d["objection_unit"],
                d["objection_phone"], f"共 {len(d['rows'])} 户"] + cells
    if kind == "tax_relief":
        return ([d["measure"], d["category"], d["beneficiaries"], d["start"], d.get("end", "长期执行"), d["how"]]
                + d["taxes"] + d["content"] + [b["doc_no"] for b in d["basis"]] + [b["title"] for b in d["basis"]])
    if kind == "donation_use":
        return ([d["recipient_org"], d["activity"], d["start"], d["end"], d["balance"], d["supervision_phone"]]
                + [x["donor"] for x in d["received"]] + [x["amount"] for x in d["received"]]
                + [x["use"] for x in d["used"]] + [x["amount"] for x in d["used"]])
    raise AssertionError(kind)


def test_every_new_kind_has_pages_that_show_what_the_editor_wrote(built_site):
    check_record_pages(built_site, KINDS, expected_values)
    for kind in KINDS:
        # Each kind has its list page in its column(s), linking every record.
        for column in {column_of(kind, d) for d in records(kind)}:
            listing = (built_site / urls.built(urls.kind(column, kind))).read_text("utf-8")
            for d in records(kind):
                if column_of(kind, d) == column:
                    slug = d["index_no"].replace("/", "-").lower()
                    assert f'href="{slug}/"' in listing or f'{slug}/"' in listing, (kind, d["index_no"])


def test_one_service_guide_kind_serves_every_column_and_the_six_matters(built_site):
    guides = records("service_guide")
    services = {d["service"] for d in guides}
    for matter in ("医疗救助", "临时救助", "农村危房改造申请", "公共租赁住房申请", "随迁子女", "一次性创业补贴申领"):
        assert any(matter in s for s in services), matter
    assert {d["column"] for d in guides} == {"relief", "subsidies", "housing", "education"}
    # Today's bodies: 医疗救助 is the 医疗保障局's (2018 reform), not the 民政局's.
    medical = next(d for d in guides if d["service"] == "医疗救助")
    assert medical["publisher"].endswith("医疗保障局") and medical["department"].endswith("医疗保障局")
    assert any("建村〔2021〕35号" in b for d in guides if d["column"] == "housing" for b in d["legal_basis"])
    # The 申请材料 are a table: name, 份数, 原件/复印件 per row.
    for d in guides:
        raw = article((built_site / url("service_guide", d) / "index.html").read_text("utf-8"))
        table = re.search(r'aria-label="申请材料".*?</table>', raw, re.S).group(0)
        rows = re.findall(r"<tr><td[^>]*>\d+</td>(.*?)</tr>", table, re.S)
        assert len(rows) == len(d["materials"]), d["index_no"]
        for row, m in zip(rows, d["materials"]):
            cells = [htmllib.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            assert cells[:3] == [m["name"], str(m["copies"]), m["form"]], (d["index_no"], cells)
        assert f"<strong>{d['time_limit_working_days']} 个工作日</strong>" in raw


def test_rosters_show_only_masked_names_and_no_personal_numbers(built_site):
    for kind in ROSTERS:
        for d in records(kind):
            raw = article((built_site / url(kind, d) / "index.html").read_text("utf-8"))
            table = Elements(re.search(rf'aria-label="{d["list_type"]}".*?</table>', raw, re.S).group(0))
            shown = [e["text"] for e in table.find("th", scope="row")]
            assert shown == [r["name"] for r in d["rows"]], d["index_no"]
            assert all(MASKED_NAME.match(name) for name in shown), shown
            assert pii.find(htmllib.unescape(re.sub(r"<[^>]+>", " ", raw)), office_phone_ok=True) == []


def test_rural_housing_roster_lists_grade_method_and_amount_per_household(built_site):
    categories = set(schema("rural_housing_roster")["properties"]["rows"]["items"]["properties"]["category"]["enum"])
    assert "农村低保边缘家庭" in categories and not any("建档立卡" in c or "贫困残疾人" in c for c in categories)
    for d in records("rural_housing_roster"):
        text = page_text(built_site, "rural_housing_roster", d)
        c = sum(r["grade"] == "C级" for r in d["rows"])
        dd = sum(r["grade"] == "D级" for r in d["rows"])
        assert f"C级 {c} 户、D级 {dd} 户，补助金额 {sum(r['amount'] for r in d['rows'])} 元" in text
        assert {r["method"] for r in d["rows"]} >= {"维修加固", "拆除重建"}


def test_donation_balance_is_what_was_received_less_what_was_used():
    for d in records("donation_use"):
        received = sum(x["amount"] for x in d["received"])
        used = sum(x["amount"] for x in d["used"])
        assert round(received - used, 2) == round(d["balance"], 2), d["index_no"]


def test_tax_relief_measures_are_in_force_and_cite_their_announcement():
    for d in records("tax_relief"):
        assert dt.date.fromisoformat(d["start"]) <= dt.date.fromisoformat(d["published"])
        assert dt.date.fromisoformat(d["end"]) >= dt.date.fromisoformat(d["published"]), d["index_no"]
        assert all(re.match(r"^财政部 税务总局公告20\d\d年第\d+号$", b["doc_no"]) for b in d["basis"])
    assert {d["category"] for d in records("tax_relief")} == {"小微企业和个体工商户"}


def test_every_column_page_shows_its_complaint_phone_and_petition_address(built_site):
    site = yaml.safe_load((ROOT / "site_data/site.yaml").read_text("utf-8"))
    for c in site["columns"]:
        assert c.get("complaint_phone") and c.get("petition_address"), c["id"]
        raw = (built_site / urls.built(urls.column(c["id"]))).read_text("utf-8")
        facts = htmllib.unescape(re.sub(r"<[^>]+>", "", re.search(r'class="gk-column-facts".*?</div>', raw, re.S).group(0)))
        assert f"监督投诉电话：{c['complaint_phone']}" in facts, c["id"]
        assert f"信访通讯地址：{c['petition_address']}" in facts, c["id"]


def test_a_column_without_them_is_valid_and_a_mobile_there_is_refused(project):
    path = project / "site_data/site.yaml"
    text = path.read_text("utf-8")
    first = re.search(r"    complaint_phone: (.*)\n", text)
    write(path, text.replace(first.group(0), "    complaint_phone: 13912345678\n", 1))
    result = run_cli(project, "validate")
    assert result.returncode == 1
    line = text[:first.start()].count("\n") + 1
    assert re.search(rf"^site_data/site\.yaml:{line}:\d+: .*监督投诉电话", result.stderr, re.M), result.stderr
    write(path, re.sub(r"    (complaint_phone|petition_address): .*\n", "", text))
    assert run_cli_in_process(project, "validate").returncode == 0


def test_unmasked_names_and_personal_numbers_in_the_new_rosters_stop_validation(project):
    """An unmasked name is refused by the roster's schema; an ID or mobile number typed into a
    roster's free text by the PII guard, each at the line where it was typed."""
    def first(kind):
        return sorted((project / "site_data" / kind).glob("*.yaml"))[0]

    housing, temp, alloc = first("rural_housing_roster"), first("temp_aid_roster"), first("housing_allocation_roster")
    texts = {p: p.read_text("utf-8") for p in (housing, temp, alloc)}
    name = yaml.safe_load(texts[housing])["rows"][0]["name"]
    write(housing, texts[housing].replace(f"name: {name}", "name: 王小明", 1))
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1
    line = next(i for i, l in enumerate(housing.read_text("utf-8").splitlines(), 1) if "王小明" in l)
    assert re.search(rf"site_data/rural_housing_roster/{housing.name}:{line}:\d+: .*姓名必须遮挡", result.stderr), \
        result.stderr
    write(housing, texts[housing])

    id18 = "64032419800101002"
    id18 += "10X98765432"[sum(int(c) * w for c, w in zip(id18, [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])) % 11]
    reason = yaml.safe_load(texts[temp])["rows"][0]["reason"]
    write(temp, texts[temp].replace(f"reason: {reason}", f"reason: {reason}，身份证 {id18}", 1))
    write(alloc, texts[alloc].rstrip("\n") + "\nnotes: 联系人电话 13912345678\n")
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1
    out = result.stderr
    temp_line = next(i for i, l in enumerate(temp.read_text("utf-8").splitlines(), 1) if id18 in l)
    alloc_line = next(i for i, l in enumerate(alloc.read_text("utf-8").splitlines(), 1) if "13912345678" in l)
    assert re.search(rf"site_data/temp_aid_roster/{temp.name}:{temp_line}:\d+: 未遮挡的 18 位身份证号", out), out
    assert re.search(rf"site_data/housing_allocation_roster/{alloc.name}:{alloc_line}:\d+: 未遮挡的手机号码", out), out
    assert id18 not in out and "13912345678" not in out
    for p, t in texts.items():
        write(p, t)
    assert run_cli_in_process(project, "validate").returncode == 0


def test_notice_period_rule_applies_to_the_new_lists(tmp_path):
    """Each new roster declares how long its 公示 lists are posted; a list posted for fewer
    working days is an error at its notice_period.end, and the sample's own lists pass."""
    data, n = {}, 0
    for kind in ROSTERS:
        declared = schema(kind)["x-kind"]["notice_working_days"]
        assert declared and all(v >= 5 for v in declared.values()), kind
        for d in records(kind):
            data[f"{kind}/{d['index_no'].replace('/', '-')}.yaml"] = d
            if d["list_type"] in declared:
                n += 1
                # National Day week: 2026-09-28 to 10-09 holds only 5 working days.
                short = dict(d, index_no=d["index_no"][:-5] + f"{99000 + n:05d}"[-5:],
                             notice_period={"start": "2026-09-28", "end": "2026-10-09"})
                data[f"{kind}/short-{n}.yaml"] = short
    assert n >= 3
    root = fixture_site(tmp_path / "p", data)
    found = only(run(root, dt.date(2026, 11, 25)), "notice_period")
    assert sorted(f.where[0] for f in found) == sorted(f"site_data/{k}" for k in data if "/short-" in k)
    for f in found:
        assert "只有 5 个工作日" in f.message and f.severity == "error"
        rel, line, _ = f.where
        assert (root / rel).read_text("utf-8").splitlines()[line - 1].strip().startswith("end:")


def test_axe_covers_a_record_and_the_list_of_each_new_kind(built_site):
    """tests/test_browser_a11y.py runs axe-core on one page per template, found from the
    built site: each new kind's record page, and a list page of the shape of its own, are among them."""
    pages = page_templates(built_site)
    for kind in KINDS:
        assert f"record:{kind}" in pages and list_covered(built_site, pages, kind), kind
