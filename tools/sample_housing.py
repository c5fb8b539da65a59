"""Sample data (示例数据) for the housing column and the fee catalogue.

Figures are invented but plausible, derived deterministically from region
codes; every record is `sample: true`. Run through make_sample.py:

    python tools/make_sample.py fee_catalogue rural_housing_policy rural_housing_result \
        affordable_housing housing_fund_report

索引号 use department numbers nobody else uses: 10 财政局 (fee catalogue),
11 住房和城乡建设局 (sequences 1–99 policy, 101–199 yearly results, 201–299
affordable housing), 12 住房公积金管理中心.
"""
from __future__ import annotations

import datetime as dt

FEE, HOUSING, FUND = 10, 11, 12
TOPIC_HOUSING = "城乡建设、环境保护"
RURAL_YEARS = ["2023", "2024", "2025"]
FUND_YEARS = ["2023", "2024", "2025"]
HALF_YEARS = ["2025-H1", "2025-H2", "2026-H1"]
CITIES = ["640100", "640200", "640300", "640400", "640500"]
# Cities' 住房公积金 size relative to Yinchuan (deposit-paying employees).
FUND_SCALE = {"640100": 1.0, "640200": 0.27, "640300": 0.31, "640400": 0.22, "640500": 0.2}
# Real townships of 同心县, for the town-level allocation table of one county.
TONGXIN_TOWNS = ["豫海镇", "河西镇", "丁塘镇", "韦州镇", "下马关镇", "预旺镇"]

GRADES = [
    ("A级", "结构能满足安全使用要求，未发现危险点，房屋结构安全", "无需改造"),
    ("B级", "结构基本满足安全使用要求，个别结构构件处于危险状态，但不影响主体结构安全", "日常维护"),
    ("C级", "部分承重结构不能满足安全使用要求，房屋局部处于危险状态，构成局部危房", "修缮加固"),
    ("D级", "承重结构已不能满足安全使用要求，房屋整体处于危险状态，构成整幢危房", "拆除重建"),
]
# 农村低收入群体等重点对象 (建村〔2021〕35号), which replaced 建档立卡贫困户 and 贫困残疾人家庭.
CATEGORIES = [
    ("农村易返贫致贫户", "以县（区）农业农村部门防止返贫致贫监测帮扶信息中的监测对象为准", "县（区）农业农村局"),
    ("低保户", "以县（区）民政部门认定的农村低保对象名单为准", "县（区）民政局"),
    ("农村分散供养特困人员", "以县（区）民政部门认定的农村分散供养特困人员名单为准", "县（区）民政局"),
    ("突发严重困难户", "因病因灾因意外事故等刚性支出较大或收入大幅缩减导致基本生活出现严重困难的家庭，以县（区）民政部门认定为准",
     "县（区）民政局"),
    ("农村低保边缘家庭", "以县（区）民政部门认定的农村低保边缘家庭名单为准", "县（区）民政局"),
    ("其他脱贫户", "未享受过农村住房保障政策支持且依靠自身力量无法解决住房安全问题的其他脱贫户", "县（区）农业农村局会同住房和城乡建设局"),
]
PROCEDURE = [
    "农户向所在村民委员会提出书面申请，提交户口簿、房屋现状照片和对象类别证明",
    "村民委员会组织村民代表会议民主评议，评议结果在村务公开栏公示 7 天",
    "乡（镇）人民政府审核，组织技术人员进行房屋危险性鉴定，确定危房等级",
    "县（区）住房城乡建设局会同财政、民政、农业农村部门审批，审批结果在乡（镇）公示",
    "农户与乡（镇）人民政府签订改造协议，按规定开工建设",
    "竣工后由乡（镇）和县（区）住房城乡建设局组织验收，验收合格后拨付补助资金",
]
PAYMENT = ("补助资金纳入财政专户管理、封闭运行、专款专用。开工后可预拨不超过 40% 的补助资金，"
           "竣工验收合格后拨付剩余资金；全部资金通过财政涉农资金“一卡通”直接拨付到农户本人账户，"
           "任何单位和个人不得截留、挤占、挪用。")


def rural_housing_policy() -> None:
    cases = [
        # (region, publisher, seq, extra per household from the county, published)
        ("640000", "宁夏回族自治区住房和城乡建设厅", 1, 0, dt.date(2026, 3, 16)),
        ("640324", "同心县住房和城乡建设局", 2, 2000, dt.date(2026, 3, 30)),
        ("640422", "西吉县住房和城乡建设局", 3, 3000, dt.date(2026, 4, 8)),
    ]
    for code, publisher, seq, extra, published in cases:
        region = region_of(code)
        where = "全区" if code == "640000" else region["name"]
        d = common(
            f"{org(code, HOUSING)}/2026-{seq:05d}",
            f"{where}2026年农村危房改造政策明白卡（示例）",
            publisher, publisher, region, published, published - dt.timedelta(days=5), TOPIC_HOUSING,
            coop_depts=[publisher.replace("住房和城乡建设", "财政"), publisher.replace("住房和城乡建设", "民政")],
            summary=f"公开{where}农村危房改造政府补助标准、危房等级评定标准、重点对象类别认定、申请程序和资金拨付方式。",
            keywords=["农村危房改造", "补助标准", "危房等级", region["name"]],
        )
        d["effective"] = "2026-01-01"
        standards = []
        for category, _, _ in CATEGORIES:
            rebuild = 28000 + (2000 if category == "农村分散供养特困人员" else 0) + extra
            row = {"category": category, "method": "拆除重建", "amount": rebuild}
            if category == "农村分散供养特困人员":
                row["note"] = "鼓励建设 40 平方米以内的小户型，每户多补助 2000 元"
            standards.append(row)
            standards.append({"category": category, "method": "修缮加固", "amount": 10000 + extra // 2})
        d["standards"] = standards
        d["grades"] = [{"grade": g, "description": desc, "treatment": t} for g, desc, t in GRADES]
        d["categories"] = [{"category": c, "criteria": crit, "authority": auth} for c, crit, auth in CATEGORIES]
        d["procedure"] = PROCEDURE
        d["payment"] = PAYMENT
        d["contact_phone"] = f"{area_code(code)}-{50 if code == '640000' else 60}{seq:05d}"
        d["notes"] = ("补助标准含中央和自治区补助资金" + (f"，县级财政另按每户拆除重建 {extra} 元、修缮加固 {extra // 2} 元配套。"
                                                  if extra else "，市、县（区）可在此基础上另行配套。")
                      + "对评定结果或审批结果有异议的，可在公示期内向乡（镇）人民政府或县（区）住房城乡建设局申请复核。"
                      "政策明白卡由乡（镇）发放到每一户危改对象。")
        write("rural_housing_policy", f"2026-{code}", d)


def rural_housing_result() -> None:
    for c in counties():
        base = int(rnd(c["code"], "rural-housing", lo=120, hi=900))
        for i, year in enumerate(RURAL_YEARS):
            total = int(base * (1 - 0.22 * i) * rnd(c["code"], year, "hh", lo=0.9, hi=1.1))
            rebuild = int(total * rnd(c["code"], year, "rb", lo=0.25, hi=0.4))
            approved = total + int(rnd(c["code"], year, "ap", lo=0, hi=12))
            assessed = approved + int(total * rnd(c["code"], year, "as", lo=0.05, hi=0.12))
            applied = assessed + int(total * rnd(c["code"], year, "ad", lo=0.03, hi=0.1))
            # The newest year still has some houses under construction.
            completed = total - (int(total * rnd(c["code"], year, "open", lo=0.02, hi=0.06))
                                 if year == RURAL_YEARS[-1] else int(rnd(c["code"], year, "o", lo=0, hi=3)))
            funds = round((rebuild * 2.8 + (total - rebuild) * 1.0) * rnd(c["code"], year, "f", lo=0.98, hi=1.04), 1)
            central = round(funds * 0.6, 1)
            regional = round(funds * 0.28, 1)
            published = dt.date(int(year) + 1, 2, 10) + dt.timedelta(days=int(rnd(c["code"], year, "p", hi=20)))
            d = common(
                f"{org(c['code'], HOUSING)}/{published.year}-{101 + i:05d}",
                f"{c['name']}{year}年农村危房改造对象认定和改造结果（示例）",
                f"{c['name']}住房和城乡建设局", f"{c['name']}住房和城乡建设局",
                {"code": c["code"], "name": c["name"]}, published, published - dt.timedelta(days=4), TOPIC_HOUSING,
                coop_depts=[f"{c['name']}财政局", f"{c['name']}民政局"],
                summary=f"公开{c['name']}{year}年农村危房改造对象认定过程、改造户数、补助资金分配和竣工户数。",
                keywords=["农村危房改造", "改造结果", c["name"]],
            )
            d["period"] = year
            d["identification"] = {
                "process": (f"{year}年共受理农户申请 {applied} 户。经村民代表会议民主评议并在村务公开栏公示 7 天，"
                            f"乡（镇）组织技术人员对 {assessed} 户房屋进行危险性鉴定，县住房城乡建设局会同财政、民政、"
                            f"农业农村部门逐户审核，认定改造对象 {approved} 户，认定名单在乡（镇）政务公开栏公示 7 天无异议。"),
                "applied": applied, "assessed": assessed, "approved": approved,
                "publicity": "评议结果在村务公开栏公示 7 天，认定名单在乡（镇）政务公开栏公示 7 天",
            }
            d["households"] = {"total": total, "rebuild": rebuild, "repair": total - rebuild}
            d["funds"] = {"total": funds, "central": central, "regional": regional,
                          "local": round(funds - central - regional, 1)}
            if c["code"] == "640324":
                d["allocation"] = town_allocation(c["code"], year, total, funds)
            d["completed"] = completed
            if completed < total:
                d["notes"] = (f"截至{published.year}年1月底，尚有 {total - completed} 户因冬季停工未竣工，"
                              f"将于{published.year}年6月底前完工并验收。")
            write("rural_housing_result", f"{year}-{c['code']}", d)


def town_allocation(code: str, year: str, total: int, funds: float) -> list[dict]:
    """Split a county's households and funds over its towns; the parts add up to the totals."""
    weights = [rnd(code, year, town, lo=0.5, hi=1.5) for town in TONGXIN_TOWNS]
    scale = sum(weights)
    rows, left_h, left_f = [], total, round(funds, 1)
    for n, (town, w) in enumerate(zip(TONGXIN_TOWNS, weights)):
        last = n == len(TONGXIN_TOWNS) - 1
        h = left_h if last else int(total * w / scale)
        f = round(left_f, 1) if last else round(funds * w / scale, 1)
        left_h -= h
        left_f -= f
        rows.append({"town": town, "households": h, "amount": f})
    return rows


def affordable_housing() -> None:
    for code in CITIES:
        region = region_of(code)
        city = region["name"]
        size = FUND_SCALE[code]
        for i, period in enumerate(HALF_YEARS):
            year, half = period.split("-H")
            end = dt.date(int(year), 6, 30) if half == "1" else dt.date(int(year), 12, 31)
            published = end + dt.timedelta(days=15 + int(rnd(code, period, "p", hi=8)))
            started = int(1800 * size * rnd(code, period, "st", lo=0.6, hi=1.3))
            completed = int(1500 * size * rnd(code, period, "co", lo=0.6, hi=1.3))
            allocated = int(completed * rnd(code, period, "al", lo=0.7, hi=1.0))
            exits = int(120 * size * rnd(code, period, "ex", lo=0.6, hi=1.4))
            publisher = f"{city}住房和城乡建设局"
            d = common(
                f"{org(code, HOUSING)}/{published.year}-{201 + i:05d}",
                f"{city}{year}年{'上' if half == '1' else '下'}半年保障性住房建设、分配和退出情况（示例）",
                publisher, publisher, region, published, published - dt.timedelta(days=3), TOPIC_HOUSING,
                coop_depts=[f"{city}财政局", f"{city}自然资源局"],
                summary=f"公开{city}{year}年{'上' if half == '1' else '下'}半年保障性住房建设项目和进度、分配公示和套数、退出情况。",
                keywords=["保障性住房", "公共租赁住房", "保障性租赁住房", city],
            )
            d["period"] = period
            short = city[:2]
            d["documents"] = [
                {"title": f"{city}公共租赁住房分配管理办法（示例）", "doc_no": f"{short}政发〔2025〕{8 + CITIES.index(code)}号",
                 "effective": "2025-03-01"},
                {"title": f"{city}{year}年保障性住房建设计划（示例）", "effective": f"{year}-02-01"},
            ]
            progress = ["已开工", "主体完工", "基本建成"] if i == 0 else ["主体完工", "基本建成", "已交付"]
            units = [int(started * 0.55), int(started * 0.45), completed]
            d["construction"] = {
                "projects": [
                    {"name": f"{city}{t}项目（{year}-{n}，示例）", "type": t, "units": u, "progress": p,
                     "location": f"{city}城区（示例地址）"}
                    for n, (t, u, p) in enumerate(zip(["保障性租赁住房", "公共租赁住房", "棚户区改造安置住房"],
                                                      units, progress), start=1)
                ],
                "started": started,
                "completed": completed,
            }
            first = int(allocated * 0.6)
            month = 4 if half == "1" else 10
            d["allocation"] = {
                "units": allocated,
                "method": "符合条件的申请家庭按轮候顺序公开摇号选房，结果公示无异议后签订租赁合同",
                "notices": [
                    {"title": f"{year}年第{2 * int(half) - 1}批保障性住房分配结果公示", "start": f"{year}-{month:02d}-08",
                     "end": f"{year}-{month:02d}-14", "units": first, "where": "本站、各街道办事处和项目小区公告栏"},
                    {"title": f"{year}年第{2 * int(half)}批保障性住房分配结果公示", "start": f"{year}-{month + 1:02d}-10",
                     "end": f"{year}-{month + 1:02d}-16", "units": allocated - first,
                     "where": "本站、各街道办事处和项目小区公告栏"},
                ],
            }
            d["exit"] = {
                "households": exits,
                "reasons": ["家庭收入或住房条件超过保障标准", "已购买其他住房", "违规转租、转借或闲置"],
                "rules": "不再符合保障条件的，给予 3 个月腾退期；腾退期内按原租金标准计租，逾期不腾退的按市场租金计收并依法收回。",
            }
            write("affordable_housing", f"{period}-{code}", d)


def housing_fund_report() -> None:
    for code in CITIES:
        region = region_of(code)
        city = region["name"]
        size = FUND_SCALE[code]
        center = "银川住房公积金管理中心" if code == "640100" else f"{city}住房公积金管理中心"
        for i, year in enumerate(FUND_YEARS):
            grow = 1 + 0.045 * i
            employees = int(412000 * size * grow * rnd(code, year, "e", lo=0.97, hi=1.03))
            deposit = round(employees * 1.9e-4 * rnd(code, year, "d", lo=0.95, hi=1.05), 2)
            withdraw = round(deposit * rnd(code, year, "w", lo=0.68, hi=0.8), 2)
            balance = round(deposit * (4.3 + 0.25 * i), 2)
            loan_amount = round(deposit * rnd(code, year, "l", lo=0.4, hi=0.58), 2)
            loan_balance = round(balance * rnd(code, year, "lb", lo=0.72, hi=0.88), 2)
            published = dt.date(int(year) + 1, 3, 20) + dt.timedelta(days=int(rnd(code, year, "p", hi=9)))
            d = common(
                f"{org(code, FUND)}/{published.year}-{1 + i:05d}",
                f"{city}住房公积金{year}年年度报告（示例）",
                center, center, region, published, published - dt.timedelta(days=6), TOPIC_HOUSING,
                summary=f"公布{city}{year}年住房公积金缴存、提取、个人住房贷款和增值收益情况。",
                keywords=["住房公积金", "年度报告", city],
            )
            d["period"] = year
            d["deposit"] = {
                "units": int(9800 * size * grow * rnd(code, year, "u", lo=0.95, hi=1.05)),
                "employees": employees,
                "new_employees": int(employees * rnd(code, year, "n", lo=0.06, hi=0.09)),
                "amount": deposit,
                "balance": balance,
            }
            d["withdrawal"] = {
                "persons": int(employees * rnd(code, year, "wp", lo=0.3, hi=0.4)),
                "amount": withdraw,
                "housing_share": round(rnd(code, year, "hs", lo=74, hi=84), 1),
            }
            d["loans"] = {
                "count": int(loan_amount * 1e8 / 430000),
                "amount": loan_amount,
                "balance": loan_balance,
                "ratio": round(loan_balance / balance * 100, 1),
                "overdue_ratio": round(rnd(code, year, "od", lo=0.02, hi=0.2), 2),
            }
            income = round(balance * 0.0075, 2)
            d["value_added"] = {"amount": income, "risk_reserve": round(income * 0.12, 2),
                                "rental_housing": round(income * 0.6, 2)}
            d["body"] = (
                f"### 一、机构概况\n\n{city}住房公积金管理委员会是住房公积金管理的决策机构。{center}负责本市住房公积金的"
                "归集、管理、使用和会计核算，下设若干服务网点（示例）。\n\n"
                f"### 二、业务运行情况\n\n{year}年，新开户职工 {d['deposit']['new_employees']:,} 人，实缴职工 {employees:,} 人，"
                f"缴存额 {deposit} 亿元；提取额 {withdraw} 亿元；发放个人住房贷款 {d['loans']['count']:,} 笔、{loan_amount} 亿元。\n\n"
                "### 三、其他重要事项\n\n全面推行住房公积金业务“一网通办”，提取和贷款申请材料进一步精简（示例）。"
            )
            write("housing_fund_report", f"{year}-{code}", d)


FEE_ITEMS_ADMIN = [
    {"name": "不动产登记费",
     "basis": "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
     "standard": "住宅类不动产登记每件 80 元；非住宅类不动产登记每件 550 元",
     "collector": "县级以上不动产登记机构",
     "scope": "办理不动产权利首次登记、转移登记、变更登记、抵押权登记",
     "payer": "申请不动产登记的单位和个人；小微企业和个体工商户免收",
     "note": "收入全额缴入国库，实行“收支两条线”管理"},
    {"name": "居民身份证工本费",
     "basis": "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）",
     "standard": "换领、补领居民身份证每证 20 元；临时居民身份证每证 10 元",
     "collector": "县（区）公安机关",
     "scope": "换领、补领居民身份证，申领临时居民身份证",
     "payer": "申请换领、补领居民身份证或申领临时居民身份证的公民",
     "note": "城乡最低生活保障对象和特困人员免收（示例）"},
    {"name": "污水处理费（示例）",
     "basis": "《城镇排水与污水处理条例》；自治区价格、财政主管部门批准文件（示例）",
     "standard": "居民生活用水每立方米 0.95 元；非居民用水每立方米 1.4 元（示例）",
     "collector": "市、县（区）城镇排水主管部门委托供水企业代征",
     "scope": "城镇污水集中处理设施服务范围内",
     "payer": "向城镇排水设施排放污水的单位和个人"},
]
FEE_ITEMS_FUND = [
    {"name": "残疾人就业保障金",
     "basis": "《残疾人就业保障金征收使用管理办法》（财税〔2015〕72号）",
     "standard": "按上年用人单位在职职工人数乘以自治区规定的安排比例，减去实际安排的残疾人就业人数，再乘以上年在职职工年平均工资计算",
     "collector": "税务部门",
     "scope": "未按规定比例安排残疾人就业的用人单位",
     "payer": "机关、团体、企业、事业单位和民办非企业单位；在职职工总数 30 人（含）以下的企业暂免征收",
     "note": "收入全额缴入地方国库"},
    {"name": "国家重大水利工程建设基金（示例）",
     "basis": "《财政部 国家发展改革委 水利部关于印发〈国家重大水利工程建设基金征收使用管理暂行办法〉的通知》（示例）",
     "standard": "随售电量征收，按国家核定的标准执行（示例）",
     "collector": "电网企业代征",
     "scope": "本行政区域内销售电量",
     "payer": "除农业生产用电外的电力用户"},
]


def fee_catalogue() -> None:
    cases = [
        # (region, publisher, category, items, published, with violations)
        ("640000", "宁夏回族自治区财政厅", "行政事业性收费", FEE_ITEMS_ADMIN, dt.date(2026, 1, 20), False),
        ("640000", "宁夏回族自治区财政厅", "政府性基金", FEE_ITEMS_FUND, dt.date(2026, 1, 20), False),
        ("640324", "同心县财政局", "行政事业性收费", FEE_ITEMS_ADMIN[:2], dt.date(2026, 2, 26), True),
    ]
    for seq, (code, publisher, category, items, published, violations) in enumerate(cases, start=1):
        region = region_of(code)
        where = "自治区本级" if code == "640000" else region["name"]
        d = common(
            f"{org(code, FEE)}/2026-{seq:05d}",
            f"{where}2026年{category}目录清单（示例）",
            publisher, publisher, region, published, published - dt.timedelta(days=6), "财政、金融、审计",
            coop_depts=["宁夏回族自治区发展和改革委员会" if code == "640000" else f"{region['name']}发展和改革局"],
            summary=f"公布{where}2026年{category}项目名称、设立依据、收费标准、收费主体、范围和对象。",
            keywords=["收费目录清单", category, "减税降费"],
        )
        d["category"] = category
        d["edition"] = "2026"
        d["effective"] = "2026-01-01"
        d["items"] = items
        if violations:
            d["violations"] = [
                {"date": "2025-11-18", "unit": "某乡镇农业综合服务站（示例）",
                 "conduct": "在收费目录清单之外向农户收取农田灌溉设施管护费",
                 "result": "责令立即停止收费并全额退还，对相关责任人进行诫勉谈话", "refund": 36800},
                {"date": "2026-01-09", "unit": "某驾驶人培训机构（示例）",
                 "conduct": "在学员报名时搭车收取资料费、体检代办费",
                 "result": "责令退还违规收取的费用，处以罚款并向社会通报", "refund": 12450},
            ]
        d["complaint_phone"] = f"{area_code(code)}-70{seq:05d}"
        write("fee_catalogue", f"2026-{code}-{seq}", d)


BUILDERS = {
    "fee_catalogue": fee_catalogue,
    "rural_housing_policy": rural_housing_policy,
    "rural_housing_result": rural_housing_result,
    "affordable_housing": affordable_housing,
    "housing_fund_report": housing_fund_report,
}

# Imported last: make_sample registers BUILDERS above while this module is still loading
# (it imports this one), so BUILDERS must exist before make_sample runs.
from make_sample import area_code, common, counties, org, region_of, rnd, write  # noqa: E402
