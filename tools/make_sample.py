"""Write the bundled sample data (示例数据) into site_data/.

The figures are invented but plausible, derived deterministically from each
county's code, and every record is marked `sample: true`. What each column
publishes comes from the Ningxia 2016 disclosure work points (shared/seed);
bodies, categories and legal bases are those in force on each record's date
(schemas/wording.yaml, checked by validate and tests/test_wording.py). Run it again after
changing it; the output is committed because it is the sample *source* data.

    python tools/make_sample.py
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "site_data"

PERIODS = ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


def regions():
    with open(DATA / "regions.tsv", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    return [dict(code=r[0], name=r[1], level=r[2], parent=r[3] if len(r) > 3 else "",
                 area_code=r[4] if len(r) > 4 else "") for r in rows]


def area_code(code: str) -> str:
    """The region's 长途区号 from regions.tsv (a township's is its county's): sample office
    phones must carry it, as `validate` checks."""
    by_code = {r["code"]: r for r in regions()}
    while code in by_code:
        if by_code[code]["area_code"]:
            return by_code[code]["area_code"]
        code = by_code[code]["parent"]
    raise KeyError(code)


# 市辖区 whose people live mostly in town: their 低保 is mostly 城市低保. 红寺堡区 is a 市辖区
# too, but an ecological-resettlement area of villages, so it keeps the rural mix.
URBAN_SHARE = {"640104": 0.9, "640105": 0.85, "640106": 0.9, "640202": 0.85,
               "640205": 0.7, "640302": 0.65, "640402": 0.6, "640502": 0.6}


def counties():
    return [r for r in regions() if r["level"] == "county"]


def rnd(*parts, lo=0.0, hi=1.0) -> float:
    h = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return lo + (hi - lo) * int.from_bytes(h[:8], "big") / 2**64


def org(code: str, dept: int) -> str:
    """A fictional 18-character 统一社会信用代码 for a department of a region."""
    return f"11{code}MB{dept:07d}X"


def period_end(period: str) -> dt.date:
    year, q = period.split("-Q")
    month = int(q) * 3
    nxt = dt.date(int(year) + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def review(date: dt.date, status: str = "已通过") -> dict:
    return {"reviewer": "李华（示例）", "date": date.isoformat(), "status": status}


def region_of(code: str) -> dict:
    for r in regions():
        if r["code"] == code:
            return {"code": r["code"], "name": r["name"]}
    raise KeyError(code)


def write(kind: str, name: str, data: dict, header: str = "") -> None:
    path = DATA / kind / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(f"# 示例数据：{header or data['title']}\n{text}", encoding="utf-8")


def common(index_no, title, publisher, lead, region, published, written, topic, **extra) -> dict:
    d = {
        "index_no": index_no, "title": title, "publisher": publisher, "lead_dept": lead,
        "region": region, "published": published.isoformat(), "written": written.isoformat(),
        "validity": "有效", "topic": topic,
    }
    d.update(extra)
    d.setdefault("review", review(published - dt.timedelta(days=1)))
    d["sample"] = True
    return d


def dibao() -> None:
    for c in counties():
        base_people = int(rnd(c["code"], "people", lo=1500, hi=9000))
        for i, period in enumerate(PERIODS):
            end = period_end(period)
            published = end + dt.timedelta(days=12)
            drift = 1 - 0.015 * i
            share = URBAN_SHARE.get(c["code"], 0.23)
            urban_n = int(base_people * 1.3 * share * drift)
            rural_n = int(base_people * 1.3 * (1 - share) * drift)
            # Each city sets its own standard (so a city's "total" standard is a range); the
            # 2026 standards take effect on 1 January, as the sample 办事指南 say.
            extra = {"6401": 40, "6402": 20}.get(c["code"][:4], 0)
            urban_std = 780 + 20 * (period >= "2026") + extra
            rural_std = 5760 + 240 * (period >= "2026") + 12 * extra
            seq = 100 + PERIODS.index(period)
            d = common(
                f"{org(c['code'], 1)}/{end.year}-{seq:05d}",
                f"{c['name']}{period[:4]}年第{period[-1]}季度城乡低保和特困人员统计",
                f"{c['name']}民政局", f"{c['name']}民政局",
                {"code": c["code"], "name": c["name"]}, published, published - dt.timedelta(days=3),
                "民政、扶贫、救灾",
                coop_depts=[f"{c['name']}财政局"],
                summary=f"公布{c['name']}{period[:4]}年第{period[-1]}季度城乡低保对象人数、特困人员人数、低保标准、补助水平和资金支出。",
                keywords=["低保", "低保标准", "特困人员", c["name"]],
            )
            d["period"] = period
            d["urban"] = {"recipients": urban_n, "households": int(urban_n / 1.9), "standard": urban_std,
                          "subsidy_level": round(urban_std * rnd(c["code"], period, "u", lo=0.55, hi=0.7), 1),
                          "expenditure": round(urban_n * urban_std * 0.62 * 3 / 10000, 1)}
            d["rural"] = {"recipients": rural_n, "households": int(rural_n / 2.3), "standard": rural_std,
                          "subsidy_level": round(rural_std / 12 * rnd(c["code"], period, "r", lo=0.5, hi=0.65), 1),
                          "expenditure": round(rural_n * rural_std / 12 * 0.58 * 3 / 10000, 1)}
            tekun = int(base_people * rnd(c["code"], "tk", lo=0.05, hi=0.09))
            d["tekun"] = {"persons": tekun, "standard": round(rural_std * 1.3),
                          "expenditure": round(tekun * rural_std * 1.3 / 4 / 10000, 1)}
            write("dibao_stats", f"{period}-{c['code']}", d)


SEED_RELIEF = ("各市、县（区）人民政府及各级民政部门要进一步细化公开内容，进一步增强城乡低保、特困人员救助供养、"
               "医疗救助、临时救助等信息公开的针对性和有效性，提高公开信息的到达率。低保和特困人员救助方面，"
               "重点公开城乡低保对象人数、特困人员人数、低保标准、补助水平、资金支出等情况；医疗救助方面，"
               "重点公开救助对象的人次数、资金支出等情况；临时救助方面，重点公开救助对象的户次数、救助水平、"
               "资金支出等情况。")

POLICIES = [
    # (column, region code, dept no, seq, title, doc_no, body, interpretation body, days to 解读)
    ("relief", "640000", 2, 1, "关于进一步做好城乡低保和特困人员救助供养信息公开工作的通知（示例）",
     "宁民发〔2026〕3号",
     "各市、县（区）民政局：\n\n" + SEED_RELIEF + "\n\n## 一、公开内容\n\n1. 城乡低保对象人数、低保标准、补助水平和资金支出，按季度公开；\n"
     "2. 特困人员人数、基本生活标准和供养资金支出，按季度公开；\n3. 低保对象名单公示时不得公开完整身份证号码、手机号码和银行账号。\n\n"
     "## 二、公开时限\n\n社会救助信息自制定或获取之日起 10 个工作日内公开（民政部办公厅《社会救助和养老服务领域基层政务公开标准指引》，民办函〔2019〕52号）；"
     "初审对象名单公示 7 个工作日。",
     "一、出台背景\n\n为贯彻落实《中华人民共和国政府信息公开条例》和全区政务公开工作要点，进一步规范城乡低保和特困人员救助供养信息公开。\n\n"
     "二、主要内容\n\n明确了公开内容、公开时限和个人信息保护要求。群众可以在本站“社会救助”专栏查看各县（区）最新的低保标准和救助人数。", 2),
    ("subsidies", "640000", 3, 1, "关于做好就业创业补贴政策公开工作的通知（示例）", "宁人社发〔2026〕8号",
     "各市、县（区）人力资源社会保障局：\n\n围绕稳增长、促改革、调结构、惠民生、防风险，做好就业创业补贴政策公开。"
     "重点公开农村劳动力、就业困难人员、高校毕业生等群体的补贴申领条件、申领程序、申请材料、补贴标准、办理地点和时间。",
     "一、为什么要公开\n\n让符合条件的群众知道补贴、会申请、能监督。\n\n二、怎么查\n\n在本站“补贴与收费”专栏，每项补贴都列明了条件、程序、材料和办理地点。", 3),
    ("housing", "640000", 4, 1, "关于推进农村危房改造信息公开的通知（示例）", "宁建发〔2026〕5号",
     "各市、县（区）住房城乡建设局：\n\n全面公开农村危房改造补助标准、危房等级评定标准、农村低收入群体等重点对象类别认定、申请程序、资金拨付方式，"
     "以及改造对象认定过程、补助资金分配和改造结果，接受群众监督。",
     "一、主要内容\n\n农村危房改造从申请、评定到资金拨付的全过程都要公开。\n\n二、群众如何监督\n\n对公示结果有异议的，可在公示期内向乡（镇）人民政府反映。", 1),
    ("education", "640000", 5, 1, "关于做好义务教育招生入学信息公开工作的通知（示例）", "宁教发〔2026〕12号",
     "各市、县（区）教育局：\n\n做好义务教育划片工作程序、内容、结果以及随迁子女入学办法、入学流程、证件要求、办理方式等信息公开，"
     "便于群众了解入学政策。",
     "一、划片招生\n\n各县（区）公开每所学校的招生范围。\n\n二、随迁子女入学\n\n公开需要准备的证件和办理流程，家长可在本站“教育”专栏查询。", 3),
]


def policies() -> None:
    for column, code, dept, seq, title, doc_no, body, interp, delay in POLICIES:
        written = dt.date(2026, 3, 2 + dept)
        published = written + dt.timedelta(days=4)
        region = region_of(code)
        lead = {"relief": "宁夏回族自治区民政厅", "subsidies": "宁夏回族自治区人力资源和社会保障厅",
                "housing": "宁夏回族自治区住房和城乡建设厅", "education": "宁夏回族自治区教育厅"}[column]
        topic = {"relief": "民政、扶贫、救灾", "subsidies": "劳动、人事、监察", "housing": "城乡建设、环境保护",
                 "education": "教育"}[column]
        index_no = f"{org(code, dept)}/2026-{seq:05d}"
        d = common(index_no, title, lead, lead, region, published, written, topic, doc_no=doc_no,
                   summary=title.replace("（示例）", "") + "。", keywords=[topic.split("、")[0]])
        d["column"] = column
        d["effective"] = published.isoformat()
        d["body"] = body
        write("policy", f"2026-{column}", d)
        ip = published + dt.timedelta(days=delay)
        di = common(f"{org(code, dept)}/2026-{seq + 1:05d}", "《" + title.replace("（示例）", "") + "》政策解读（示例）",
                    lead, lead, region, ip, ip, topic, summary="对" + title.replace("（示例）", "") + "的解读。")
        di["column"] = column
        di["policy"] = index_no
        di["form"] = "文字解读"
        di["body"] = interp
        write("interpretation", f"2026-{column}", di)
    # A draft still under review: it must never reach the site.
    draft = common(f"{org('640000', 2)}/2026-00009", "关于调整城乡低保标准的通知（征求意见稿，示例）",
                   "宁夏回族自治区民政厅", "宁夏回族自治区民政厅", region_of("640000"),
                   dt.date(2026, 11, 20), dt.date(2026, 11, 18), "民政、扶贫、救灾",
                   review=review(dt.date(2026, 11, 19), "待审核"))
    draft["column"] = "relief"
    draft["body"] = "本通知尚在保密审查中，审查通过前不得发布。"
    write("policy", "2026-relief-draft", draft)


def subsidies() -> None:
    programs = [
        ("640324", "一次性创业补贴", ["高校毕业生", "农村劳动力"], "每户一次性补贴 5000 元", 5000),
        ("640422", "就业困难人员社会保险补贴", ["就业困难人员"], "按实际缴纳的基本养老、医疗、失业保险费给予补贴", None),
        ("640104", "高校毕业生求职创业补贴", ["高校毕业生"], "每人一次性补贴 1000 元", 1000),
    ]
    for i, (code, program, groups, standard, amount) in enumerate(programs, start=1):
        region = region_of(code)
        published = dt.date(2026, 4, 10 + i)
        d = common(f"{org(code, 3)}/2026-{i:05d}", f"{region['name']}{program}申领指南（示例）",
                   f"{region['name']}人力资源和社会保障局", f"{region['name']}人力资源和社会保障局", region,
                   published, published - dt.timedelta(days=2), "劳动、人事、监察",
                   coop_depts=[f"{region['name']}财政局"], keywords=["就业创业补贴", program])
        d["program"] = program
        d["groups"] = groups
        d["conditions"] = ["具有本县（区）户籍或在本县（区）办理就业创业登记", "符合补贴对象范围且未重复享受同类补贴"]
        d["procedure"] = ["向所在乡（镇）劳动保障所或政务服务中心提出申请", "县（区）人力资源和社会保障局审核",
                          "审核结果公示 5 个工作日", "财政部门将补贴资金拨付到申请人银行账户"]
        d["materials"] = ["居民身份证", "就业创业证", "营业执照或劳动合同", "本人银行账户信息"]
        d["standard"] = standard
        if amount:
            d["amount"] = amount
        d["where"] = f"{region['name']}政务服务中心人社窗口"
        d["when"] = "工作日 上午 9:00—12:00，下午 14:30—17:30"
        d["contact_phone"] = f"{area_code(code)}-80{i:05d}"
        write("subsidy_program", f"2026-{code}-{i}", d)


BUILDERS = {"dibao_stats": dibao, "policy": policies, "subsidy_program": subsidies}
# The sample_<column>.py modules import their helpers from here, also when this runs as a script.
sys.modules.setdefault("make_sample", sys.modules[__name__])
BUILDERS.update(__import__("sample_housing").BUILDERS)  # housing kinds and 收费目录清单: tools/sample_housing.py
BUILDERS.update(__import__("sample_relief").BUILDERS)  # relief kinds: tools/sample_relief.py


def main(argv: list[str]) -> int:
    BUILDERS.update(__import__("sample_education").BUILDERS)  # imported here: it imports helpers from this module
    BUILDERS.update(__import__("sample_conventions").BUILDERS)  # 年度报告, 回应关切: tools/sample_conventions.py
    BUILDERS.update(__import__("sample_services").BUILDERS)  # 办事指南, 公示 lists, 减税降费, 慈善: tools/sample_services.py
    for name in argv or list(BUILDERS):
        BUILDERS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
