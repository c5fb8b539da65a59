"""The housing kinds and the fee catalogue on the built sample site: every field an editor
filled reaches the record page, under the 信息索引 box, and yearly figures reach the datasets."""
import csv
import html as htmllib
import io
import json
import re

import yaml
from conftest import run_cli, run_cli_in_process
from sample_data import Elements, approved, article, get, schema, url

from generator.pages.escape import number
from generator.urls import urls

KINDS = ["fee_catalogue", "rural_housing_policy", "rural_housing_result", "affordable_housing",
         "housing_fund_report"]
YEARLY = ["rural_housing_result", "housing_fund_report"]


def records(kind):
    found = [d for k, d in approved() if k == kind]
    assert found, f"{kind} needs approved sample records"
    return found


def text_of(built_site, kind, data) -> str:
    """The article's visible text, with tags dropped and character references resolved."""
    page = built_site / url(kind, data) / "index.html"
    body = article(page.read_text("utf-8"))
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", body))


def shown(value) -> str:
    return number(value) if isinstance(value, (int, float)) else str(value)


def assert_shown(text, values, where):
    for v in values:
        assert shown(v) in text, (where, v)


def test_every_record_page_opens_with_the_index_box_and_sample_notice(built_site):
    for kind in KINDS:
        for data in records(kind):
            page = (built_site / url(kind, data) / "index.html").read_text("utf-8")
            doc = Elements(article(page))
            box, = [e for e in doc.find("div") if e["attrs"].get("aria-label") == "信息索引"]
            for label, value in (("索引号", data["index_no"]), ("发布机构", data["publisher"]),
                                 ("发布日期", data["published"]), ("有效性", data["validity"])):
                assert label in box["text"] and value in box["text"], (kind, label)
            assert "示例数据" in page, data["index_no"]


def test_fee_catalogue_shows_every_item_and_the_enforcement_results(built_site):
    with_violations = 0
    for data in records("fee_catalogue"):
        text = text_of(built_site, "fee_catalogue", data)
        for label in ("设立依据", "收费标准", "收费主体", "收费范围", "收费对象"):
            assert label in text
        for item in data["items"]:
            assert_shown(text, [item[k] for k in ("name", "basis", "standard", "collector", "scope", "payer")],
                         item["name"])
        assert "乱收费、乱摊派查处结果" in text
        for v in data.get("violations", []):
            with_violations += 1
            assert_shown(text, [v["date"], v["unit"], v["conduct"], v["result"]], v["unit"])
    assert with_violations, "a sample fee catalogue should show 查处结果"


def test_rural_housing_policy_shows_standards_grades_categories_procedure_and_payment(built_site):
    for data in records("rural_housing_policy"):
        text = text_of(built_site, "rural_housing_policy", data)
        for heading in ("政府补助标准", "危房等级评定标准", "重点对象类别认定", "政府补助申请程序", "资金拨付方式"):
            assert heading in text
        page = Elements(article((built_site / url("rural_housing_policy", data) / "index.html").read_text("utf-8")))
        rows = [[c["text"] for c in r] for r in _rows(page)]
        for s in data["standards"]:
            assert [s["category"], s["method"], shown(s["amount"])] in [r[:3] for r in rows], s
        assert_shown(text, [g["grade"] for g in data["grades"]] + [g["description"] for g in data["grades"]],
                     "grades")
        assert_shown(text, [c["criteria"] for c in data["categories"]], "categories")
        assert_shown(text, data["procedure"] + [data["payment"]], "procedure")


def _rows(doc):
    """The cells of each table row, in order."""
    out, current = [], None
    for e in doc.items:
        if e["tag"] == "tr":
            current = []
            out.append(current)
        elif e["tag"] in ("th", "td") and current is not None:
            current.append(e)
    return out


def test_rural_housing_result_shows_identification_households_funds_and_completion(built_site):
    for data in records("rural_housing_result"):
        text = text_of(built_site, "rural_housing_result", data)
        assert data["identification"]["process"] in text
        for label, value in (("认定户数", data["identification"]["approved"]),
                             ("改造户数", data["households"]["total"]),
                             ("竣工户数", data["completed"]),
                             ("补助资金合计", data["funds"]["total"])):
            assert re.search(rf"{label}：\s*{re.escape(shown(value))}", text), (data["index_no"], label)
        for row in data.get("allocation", []):
            assert_shown(text, [row["town"], row["households"], row["amount"]], row["town"])
    assert any(d.get("allocation") for d in records("rural_housing_result"))


def test_affordable_housing_shows_documents_with_their_implementation_dates(built_site):
    for data in records("affordable_housing"):
        page = Elements(article((built_site / url("affordable_housing", data) / "index.html").read_text("utf-8")))
        tables = [t for t in page.find("table") if "本期执行的文件" in t["text"]]
        assert len(tables) == 1, data["index_no"]
        assert "实施日期" in tables[0]["text"]
        rows = [[c["text"] for c in r] for r in _rows(page)]
        for d in data["documents"]:
            assert [d["title"], d.get("doc_no", "无"), d["effective"]] in rows, d
        text = text_of(built_site, "affordable_housing", data)
        assert_shown(text, [p["name"] for p in data["construction"]["projects"]]
                     + [p["progress"] for p in data["construction"]["projects"]], "projects")
        assert re.search(rf"本期分配\s*{data['allocation']['units']}\s*套", text)
        assert re.search(rf"本期退出\s*{data['exit']['households']}\s*户", text)
        for n in data["allocation"].get("notices", []):
            assert_shown(text, [n["title"], n["start"], n["end"]], n["title"])


def test_housing_fund_report_shows_deposits_withdrawals_and_loans(built_site):
    for data in records("housing_fund_report"):
        text = text_of(built_site, "housing_fund_report", data)
        for label, value, unit in (("缴存单位", data["deposit"]["units"], "个"),
                                   ("缴存职工", data["deposit"]["employees"], "人"),
                                   ("缴存额", data["deposit"]["amount"], "亿元"),
                                   ("提取额", data["withdrawal"]["amount"], "亿元"),
                                   ("发放额", data["loans"]["amount"], "亿元"),
                                   ("个人住房贷款率", data["loans"]["ratio"], "%")):
            assert re.search(rf"{label}：\s*{re.escape(shown(value))}\s*{re.escape(unit)}", text), (
                data["index_no"], label)


def test_yearly_kinds_have_one_dataset_row_per_record_and_a_trend_chart(built_site):
    for kind in YEARLY:
        fields = schema(kind)["x-kind"]["dataset"]["fields"]
        raw = (built_site / urls.dataset_file("housing", kind, "csv")).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        header, *rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))
        assert header[3:5] == ["统计期", "数据类型"]
        # Records only; the computed 全区/各市 totals are tested in tests/test_aggregates.py.
        rows = [r for r in rows if r[4] == "公开数据"]
        want = {d["index_no"]: d for d in records(kind)}
        assert sorted(r[0] for r in rows) == sorted(want)
        for row in rows:
            data = want[row[0]]
            assert row[1:4] == [data["region"]["code"], data["region"]["name"], data["period"]]
            assert re.fullmatch(r"[0-9]{4}", row[3]), "yearly kinds use the year as period"
            for f, cell in zip(fields, row[5:]):
                assert float(cell) == get(data, f["path"]), (row[0], f["path"])
        as_json = json.loads((built_site / urls.dataset_file("housing", kind, "json")).read_text("utf-8"))
        assert len([r for r in as_json["rows"] if r[4] == "公开数据"]) == len(want)
        # Several years per region, so every record page draws its trend.
        charted = [f.get("chart") for f in fields if f.get("chart")]
        assert charted
        latest = max(records(kind), key=lambda d: d["period"])
        page = (built_site / url(kind, latest) / "index.html").read_text("utf-8")
        assert len(re.findall(r'<figure class="gk-chart"', page)) == len(
            {f["label"] if f["chart"] is True else f["chart"] for f in fields if f.get("chart")})
        assert "各统计期变化趋势" in page


def test_directory_entries_list_each_kind_with_its_basis_and_deadline(built_site):
    for kind in KINDS:
        meta = schema(kind)["x-kind"]
        entry = meta["directory"]
        page = htmllib.unescape((built_site / urls.built(urls.directory(meta["column"])))
                                .read_text("utf-8"))
        assert entry["item"][1] in page, kind
        assert entry["basis"].split("；")[-1][:30] in page, kind
        assert f"{entry['deadline_working_days']} 个工作日" in page, kind


def test_new_for_a_yearly_kind_says_which_period_it_takes(project):
    result = run_cli(project, "new", "housing_fund_report", "--region", "640100", "--period", "2025-Q3",
                     "--out", "-")
    assert result.returncode == 1
    assert "住房公积金年度报告" in result.stderr and "四位年份" in result.stderr
    assert "2025-Q3，月份" not in result.stderr  # not the forms this kind refuses
    result = run_cli_in_process(project, "new", "housing_fund_report", "--region", "640100", "--period", "2019",
                     "--out", "-")
    assert result.returncode == 0, result.stderr
    assert "统计期：2019年" in result.stdout


def test_a_fee_catalogue_spreadsheet_imports_as_one_record_with_one_item_per_row(project):
    """收费目录清单 are kept in Excel: each row a 收费项目, the whole table one record."""
    rows = [["项目名称", "设立依据", "收费标准", "收费主体", "收费范围", "收费对象"],
            ["不动产登记费", "《不动产登记收费通知》（示例）", "住宅类每件 80 元", "县不动产登记中心", "办理不动产登记",
             "申请登记的单位和个人"],
            ["居民身份证工本费", "《居民身份证收费通知》（示例）", "每证 20 元", "县公安局", "换领、补领居民身份证",
             "申请的公民"]]
    sheet = project / "fees.csv"
    sheet.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    sets = {"index_no": "11640422MB0000010X/2026-00001", "title": "西吉县2026年行政事业性收费目录清单",
            "publisher": "西吉县财政局", "lead_dept": "西吉县财政局", "published": "2026-03-02",
            "written": "2026-02-27", "validity": "有效", "topic": "财政、金融、审计", "category": "行政事业性收费",
            "edition": "2026", "review.reviewer": "张三", "review.date": "2026-03-01", "review.status": "已通过"}
    args = ["import", "--kind", "fee_catalogue", "--region", "640422", str(sheet)]
    for key, value in sets.items():
        args += ["--set", f"{key}={value}"]
    result = run_cli_in_process(project, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    written = [p for p in (project / "site_data/fee_catalogue").glob("*.yaml")
               if "西吉县" in p.read_text("utf-8")]
    assert len(written) == 1
    data = yaml.safe_load(written[0].read_text("utf-8"))
    keys = ["name", "basis", "standard", "collector", "scope", "payer"]
    assert data["items"] == [dict(zip(keys, r)) for r in rows[1:]]
    assert run_cli_in_process(project, "validate").returncode == 0
