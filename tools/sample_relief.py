"""Sample data (示例数据) for the relief kinds beyond 低保 statistics: 医疗救助,
临时救助, 减灾救灾, 帮扶公告公示, 低保/特困 办事指南 and 名单公示.

Figures are invented but plausible and derived deterministically from each
county's code (as in make_sample.py); names in lists are invented and masked
the way a real 公示 must show them. Run through make_sample.py:

    python tools/make_sample.py medical_aid_stats temp_aid_stats disaster_report \
        poverty_notice dibao_guide dibao_roster
"""
from __future__ import annotations

import datetime as dt

from make_sample import PERIODS, area_code, common, counties, org, period_end, region_of, rnd, write

TOPIC = "民政、扶贫、救灾"
# 索引号 sequences: the county 民政局 (department 1) numbers dibao_stats 100–199;
# these kinds take their own hundreds so the two never meet.
SEQ = {"medical_aid_stats": 200, "temp_aid_stats": 300, "disaster_report": 400, "dibao_guide": 500,
       "dibao_roster": 550, "poverty_notice": 600}
POVERTY_OFFICE = 6          # 农业农村局 (the 扶贫办 became 乡村振兴局 in 2021, merged into 农业农村 since)
MEDICAL_SECURITY = 8        # 医疗保障局: 医疗救助 since the 2018 reform
EMERGENCY = 9               # 应急管理局/厅: 救灾 since the 2018 reform
TOWNSHIP_GOVERNMENT = 7000  # + the township's three-digit code: a 乡（镇）人民政府

TOWNSHIPS = {"640324": ["豫海镇", "河西镇", "丁塘镇"], "640422": ["吉强镇", "兴隆镇", "硝河乡"]}
# 城市低保 households live in a town's 社区, not in a 村民小组: the seats of these counties.
COMMUNITIES = {"640324": ("豫海镇", ["东关社区", "西关社区"]), "640422": ("吉强镇", ["东关社区", "西关社区"])}
SURNAMES = "马王李张杨田海丁周苏"
GIVEN = "花军林英明兰福成梅强"


def masked_name(*key) -> str:
    """张* or 王*明: the surname and, for three-character names, the last character."""
    surname = SURNAMES[int(rnd(*key, "s", hi=len(SURNAMES)))]
    if rnd(*key, "len") < 0.4:
        return surname + "*"
    return surname + "*" + GIVEN[int(rnd(*key, "g", hi=len(GIVEN)))]


def masked_id(county: str, *key) -> str:
    """An ID number with the birth date masked: 640324********1234."""
    tail = f"{int(rnd(*key, 'id', hi=1000)):03d}" + "0123456789X"[int(rnd(*key, "chk", hi=11))]
    return f"{county}********{tail}"


def mca(county: dict) -> str:
    return f"{county['name']}民政局"


def quarter_title(region: str, period: str, what: str) -> str:
    return f"{region}{period[:4]}年第{period[-1]}季度{what}"


def medical_aid() -> None:
    for c in counties():
        base = rnd(c["code"], "medical", lo=600, hi=3200)
        for i, period in enumerate(PERIODS):
            end = period_end(period)
            published = end + dt.timedelta(days=14)
            season = 1.12 if period.endswith("Q1") else 1.0   # winter illness
            visits = int(base * season * (1 + 0.02 * i))
            inpatient = int(visits * rnd(c["code"], period, "in", lo=0.35, hi=0.45))
            outpatient = visits - inpatient
            in_exp = round(inpatient * rnd(c["code"], period, "ie", lo=2600, hi=3400) / 10000, 1)
            out_exp = round(outpatient * rnd(c["code"], period, "oe", lo=280, hi=420) / 10000, 1)
            insured = int(base * rnd(c["code"], "ins", lo=1.6, hi=2.4))
            nhsa = f"{c['name']}医疗保障局"
            d = common(
                f"{org(c['code'], MEDICAL_SECURITY)}/{end.year}-{SEQ['medical_aid_stats'] + i:05d}",
                quarter_title(c["name"], period, "医疗救助统计"),
                nhsa, nhsa, region_of(c["code"]), published, published - dt.timedelta(days=3), TOPIC,
                coop_depts=[mca(c), f"{c['name']}财政局"],
                summary=f"公布{c['name']}{period[:4]}年第{period[-1]}季度医疗救助人次数和资金支出，含住院和门诊救助分项。",
                keywords=["医疗救助", "救助人次数", c["name"]],
            )
            d["period"] = period
            d["visits"] = visits
            d["expenditure"] = round(in_exp + out_exp, 1)
            d["inpatient"] = {"visits": inpatient, "expenditure": in_exp}
            d["outpatient"] = {"visits": outpatient, "expenditure": out_exp}
            if period.endswith("Q1"):
                # Enrolment in the residents' medical insurance is paid once a year, in the first quarter.
                d["insurance"] = {"persons": insured, "expenditure": round(insured * 380 / 10000, 1)}
            write("medical_aid_stats", f"{period}-{c['code']}", d)


def temp_aid() -> None:
    for c in counties():
        base = rnd(c["code"], "temp", lo=80, hi=520)
        for i, period in enumerate(PERIODS):
            end = period_end(period)
            published = end + dt.timedelta(days=14)
            households = int(base * rnd(c["code"], period, "h", lo=0.85, hi=1.2))
            level = round(rnd(c["code"], period, "lv", lo=1100, hi=1900) + 30 * i)
            d = common(
                f"{org(c['code'], 1)}/{end.year}-{SEQ['temp_aid_stats'] + i:05d}",
                quarter_title(c["name"], period, "临时救助统计"),
                mca(c), mca(c), region_of(c["code"]), published, published - dt.timedelta(days=3), TOPIC,
                coop_depts=[f"{c['name']}财政局"],
                summary=f"公布{c['name']}{period[:4]}年第{period[-1]}季度临时救助户次数、救助水平和资金支出。",
                keywords=["临时救助", "救助水平", c["name"]],
            )
            d["period"] = period
            d["households"] = households
            d["level"] = level
            d["expenditure"] = round(households * level / 10000, 1)
            d["non_local_households"] = int(households * rnd(c["code"], period, "nl", lo=0.02, hi=0.08))
            write("temp_aid_stats", f"{period}-{c['code']}", d)


DISASTERS = [
    # (region, event, hazard, stage, occurred, ended, areas, assessed, progress, allocations, published)
    ("640324", "2026年7月同心县暴雨洪涝灾害", "洪涝", "核报", dt.date(2026, 7, 12), dt.date(2026, 7, 14),
     ["豫海镇", "河西镇", "丁塘镇"],
     {"affected_people": 12860, "deaths": 0, "relocated": 652, "needing_aid": 1230, "collapsed_houses": 36,
      "damaged_houses": 214, "crops_affected": 2350.5, "crops_lost": 310, "direct_loss": 4620.8},
     [("2026-07-12", "启动县级自然灾害救助Ⅳ级应急响应，派出 3 个工作组赴受灾乡镇查灾核灾，紧急转移安置受灾群众 652 人。"),
      ("2026-07-13", "调拨帐篷、棉被、折叠床等救灾物资，设置 4 个临时安置点，保障受灾群众有饭吃、有干净水喝、有临时住所。"),
      ("2026-07-20", "完成灾情核定，对倒塌和严重损坏住房逐户登记造册，启动恢复重建。"),
      ("2026-08-05", "过渡期生活救助资金全部发放到户，倒塌房屋恢复重建全部开工。")],
     [("中央自然灾害救灾资金", "资金", 300, "万元", "应急管理部、财政部", "豫海镇、河西镇、丁塘镇受灾群众",
       "用于紧急转移安置、过渡期生活救助和倒塌损坏住房恢复重建补助，已发放 268 万元。", "2026-07-18"),
      ("自治区自然灾害救灾资金", "资金", 120, "万元", "自治区应急管理厅、财政厅", "受灾乡镇",
       "用于受灾群众过渡期生活救助，已全部发放。", "2026-07-16"),
      ("帐篷", "物资", 180, "顶", "自治区救灾物资储备库", "豫海镇、河西镇临时安置点", "用于临时安置，已全部回收入库。", "2026-07-13"),
      ("棉被", "物资", 1500, "床", "自治区救灾物资储备库", "受灾群众", "发放到户。", "2026-07-13")],
     dt.date(2026, 8, 10)),
    ("640422", "2026年5月西吉县风雹灾害", "风雹", "核报", dt.date(2026, 5, 21), None,
     ["吉强镇", "兴隆镇"],
     {"affected_people": 5630, "relocated": 0, "collapsed_houses": 2, "damaged_houses": 58,
      "crops_affected": 1820, "crops_lost": 260.5, "direct_loss": 1376.2},
     [("2026-05-21", "县应急管理局会同农业农村局、民政局赶赴受灾村组查看灾情，指导乡镇做好灾情统计。"),
      ("2026-05-28", "完成灾情核定，将受灾困难群众纳入临时救助和冬春救助范围。")],
     [("自治区自然灾害救灾资金", "资金", 80, "万元", "自治区应急管理厅、财政厅", "吉强镇、兴隆镇受灾群众",
       "用于损坏住房维修补助和受灾困难群众生活救助，已发放 72 万元。", "2026-06-03")],
     dt.date(2026, 6, 8)),
    ("640000", "2026年上半年宁夏自然灾害", "其他", "核报", dt.date(2026, 1, 1), dt.date(2026, 6, 30),
     ["银川市", "吴忠市", "固原市", "中卫市"],
     {"affected_people": 48210, "deaths": 0, "relocated": 1320, "needing_aid": 5120, "collapsed_houses": 61,
      "damaged_houses": 690, "crops_affected": 21530, "crops_lost": 2840, "direct_loss": 18260.4},
     [("2026-04-15", "针对春季干旱和低温冷冻灾害，下拨春荒救助资金，保障受灾群众基本生活。"),
      ("2026-06-30", "汇总核定上半年全区自然灾害情况，督促各地做好救灾资金发放和使用管理。")],
     [("中央冬春救助资金（春荒部分）", "资金", 1200, "万元", "应急管理部、财政部", "各市、县（区）",
       "用于春荒期间受灾困难群众口粮、饮水等基本生活救助，已按因素法分配到各县（区）。", "2026-03-20"),
      ("折叠床", "物资", 600, "张", "自治区救灾物资储备库", "固原市、中卫市", "用于临时安置点。", "2026-05-22")],
     dt.date(2026, 7, 20)),
]


def disasters() -> None:
    for n, (code, event, hazard, stage, occurred, ended, areas, assessed, progress, allocations,
            published) in enumerate(DISASTERS):
        region = region_of(code)
        office = "宁夏回族自治区应急管理厅" if code == "640000" else f"{region['name']}应急管理局"
        dept = EMERGENCY
        d = common(
            f"{org(code, dept)}/{published.year}-{SEQ['disaster_report'] + n:05d}",
            event + "核定灾情和救灾工作情况（示例）",
            office, office, region, published, published - dt.timedelta(days=2), TOPIC,
            coop_depts=[f"{region['name']}民政局" if code != "640000" else "宁夏回族自治区民政厅"],
            summary=f"公布{event}的核定灾情、救灾工作进展和救灾资金物资调拨使用情况。",
            keywords=["减灾救灾", "核定灾情", "救灾资金", hazard],
        )
        d["event"] = event
        d["hazard"] = hazard
        d["stage"] = stage
        d["occurred"] = occurred.isoformat()
        if ended:
            d["ended"] = ended.isoformat()
        d["affected_areas"] = areas
        d["assessed"] = assessed
        d["progress"] = [{"date": day, "action": action} for day, action in progress]
        d["allocations"] = [{"item": item, "category": cat, "quantity": qty, "unit": unit, "source": src,
                             "recipient": to, "use": use, "date": day}
                            for item, cat, qty, unit, src, to, use, day in allocations]
        d["notes"] = "本报告灾情数据为核定数，此前发布的初报、续报数据以本报告为准。"
        write("disaster_report", f"{published.year}-{code}-{n + 1}", d)


# The seed's 扶贫 wording (2016: 扶贫办, 贫困退出) is history; records dated 2026 use the terms of
# 2026 documents: 常态化帮扶, 防止返贫致贫对象, 风险消除 (2026 中央一号文件; schemas/wording.yaml).
# Ningxia's county 乡村振兴局 are written as merged into the 农业农村局 (the 2024 local reform in most
# provinces; not verified for Ningxia).


def _beneficiaries(county: str, key: str, n: int, support, with_id: bool, village: str) -> list[dict]:
    rows = []
    for i in range(n):
        size = 1 + int(rnd(key, i, "size", hi=5))
        row = {"name": masked_name(key, i)}
        if with_id:
            row["id_masked"] = masked_id(county, key, i)
        row["village"] = f"{village}{1 + i % 4}组"
        row["household_size"] = size
        text, amount = support(i, size)
        row["support"] = text
        if amount is not None:
            row["amount"] = amount
        rows.append(row)
    return rows


def poverty() -> None:
    records = []
    # 市级: 资金安排
    wz = region_of("640300")
    records.append(dict(
        region=wz, office="吴忠市农业农村局", org=org("640300", POVERTY_OFFICE), published=dt.date(2026, 3, 18),
        title="吴忠市2026年市级财政帮扶资金分配公告（示例）", category="资金安排",
        body="现将2026年市级财政帮扶资金分配情况公告如下，接受社会监督。\n\n"
             "资金按因素法分配到各县（区），由县（区）统筹用于产业发展、小型公益性基础设施和就业帮扶。",
        funds=[{"source": "市财政局下达2026年市级财政帮扶资金（利通区）", "amount": 420, "use": "产业发展和就业帮扶"},
               {"source": "市财政局下达2026年市级财政帮扶资金（红寺堡区）", "amount": 560, "use": "移民村产业培育和小型公益性基础设施"},
               {"source": "市财政局下达2026年市级财政帮扶资金（同心县）", "amount": 610, "use": "肉牛滩羊养殖和村道硬化"}],
        outcomes=["资金分配结果已在市政府网站和各县（区）政府网站同步公开。"]))
    # 县级: 项目安排
    tx = region_of("640324")
    records.append(dict(
        region=tx, office="同心县农业农村局", org=org("640324", POVERTY_OFFICE), published=dt.date(2026, 4, 20),
        title="同心县2026年度帮扶项目计划公告（示例）", category="项目安排",
        notice_period={"start": "2026-04-20", "end": "2026-04-29"},
        body="经县人民政府研究，现将同心县2026年度帮扶项目计划予以公告。\n\n"
             "**公告期 10 天。**对项目安排有异议的，请在公告期内向县农业农村局反映。",
        projects=[{"name": "河西镇肉牛养殖产业帮扶项目", "location": "河西镇", "content": "扶持 120 户脱贫户和监测户每户购买基础母牛 2 头。",
                   "funds": 96, "fund_source": "中央财政帮扶资金", "beneficiary_households": 120,
                   "responsible": "河西镇人民政府", "status": "实施中"},
                  {"name": "豫海镇示例村村道硬化项目", "location": "豫海镇示例村", "content": "硬化村组道路 3.2 公里，宽 4.5 米。",
                   "funds": 138.5, "fund_source": "自治区财政帮扶资金", "beneficiary_households": 412,
                   "responsible": "同心县交通运输局", "status": "计划"},
                  {"name": "帮扶车间就业帮扶项目", "location": "豫海镇", "content": "支持 2 个帮扶车间吸纳脱贫劳动力就业 160 人。",
                   "funds": 40, "fund_source": "县级财政资金", "beneficiary_households": 160,
                   "responsible": "同心县人力资源和社会保障局", "status": "实施中"}],
        funds=[{"source": "2026年中央、自治区和县级财政帮扶资金", "amount": 274.5, "use": "上表 3 个项目"}]))
    # 县级: 帮扶成效
    records.append(dict(
        region=tx, office="同心县农业农村局", org=org("640324", POVERTY_OFFICE), published=dt.date(2026, 1, 25),
        title="同心县2025年度巩固拓展脱贫攻坚成果成效公告（示例）", category="帮扶成效",
        body="2025 年是巩固拓展脱贫攻坚成果同乡村振兴有效衔接过渡期的最后一年。现将同心县2025年度帮扶成效公告如下。",
        outcomes=["全县脱贫户人均纯收入达到 13560 元，同比增长 9.2%。",
                  "实施产业帮扶项目 46 个，带动脱贫户和监测户 5200 户增收。",
                  "全年未发生规模性返贫致贫。"]))
    # 乡级: 防止返贫监测帮扶（风险消除）公示, with a masked list — the 2016 exit lists' successor
    yh = region_of("640324100")
    removed = _beneficiaries("640324", "yh-monitor", 6,
                             lambda i, size: (("因病返贫致贫风险已稳定消除，落实医疗保障和就业帮扶",
                                               "因灾返贫致贫风险已稳定消除，住房和收入稳定",
                                               "因意外事故返贫致贫风险已稳定消除，家庭收入稳定")[i % 3], None),
                             True, "示例村")
    records.append(dict(
        region=yh, office="豫海镇人民政府", org=org("640324", TOWNSHIP_GOVERNMENT + 100), published=dt.date(2026, 9, 8),
        title="豫海镇2026年防止返贫致贫对象风险消除名单公示（示例）", category="防止返贫监测帮扶",
        notice_period={"start": "2026-09-08", "end": "2026-09-17"},
        body="经农户申请、村“两委”和驻村工作队入户核实、村民代表会议评议，以下防止返贫致贫对象的风险已经稳定消除，"
             "拟按程序有序退出，现予公示；本期另有 5 户新纳入监测帮扶。公示期内如有异议，请向镇人民政府实名反映。",
        monitoring={"identified_households": 5, "identified_persons": 19,
                    "removed_households": len(removed), "removed_persons": sum(b["household_size"] for b in removed)},
        beneficiaries=removed))
    # 村级: 到户产业帮扶对象公示, with a masked list and amounts
    village = region_of("640324100001")
    records.append(dict(
        region=village, office="豫海镇人民政府", org=org("640324", TOWNSHIP_GOVERNMENT + 100), published=dt.date(2026, 5, 6),
        title="示例村2026年到户产业帮扶对象公示（示例）", category="帮扶对象",
        notice_period={"start": "2026-05-06", "end": "2026-05-15"},
        body="根据同心县2026年度帮扶项目计划，经农户申请、村民代表大会评议，拟对以下农户给予到户产业帮扶，现予公示。",
        beneficiaries=_beneficiaries("640324", "village-aid", 8,
                                     lambda i, size: ("肉牛养殖产业帮扶，购买基础母牛 2 头", 8000 if i % 3 else 6000),
                                     False, "示例村")))
    for n, rec in enumerate(records):
        published = rec["published"]
        d = common(f"{rec['org']}/{published.year}-{SEQ['poverty_notice'] + n:05d}", rec["title"],
                   rec["office"], rec["office"], rec["region"], published, published - dt.timedelta(days=2), TOPIC,
                   summary=rec["title"].replace("（示例）", "") + "。", keywords=["防止返贫", "公告公示", rec["category"]])
        d["category"] = rec["category"]
        if "notice_period" in rec:
            d["notice_period"] = rec["notice_period"]
        d["body"] = rec["body"]
        for key in ("projects", "funds", "outcomes", "monitoring", "beneficiaries"):
            if key in rec:
                d[key] = rec[key]
        d["supervision_unit"] = rec["office"] if "农业农村" in rec["office"] else "同心县农业农村局"
        d["supervision_phone"] = "12317" if n % 2 else f"{area_code(rec['region']['code'])}-803{n:04d}"
        write("poverty_notice", f"{published.year}-{rec['region']['code']}-{n + 1}", d)


DIBAO_CONDITIONS = [
    "持有本县（区）户籍，在户籍所在地申请；符合条件的也可在经常居住地申请",
    "共同生活的家庭成员人均收入低于当地最低生活保障标准",
    "家庭财产状况符合当地规定（无超标准的存款、车辆、房产等）",
]
# 民政部《特困人员认定办法》（2021 年修订）: 无劳动能力 still counts minors under 16, and minors among
# 特困人员 keep their support until 18 (longer while in school) — the guide says both.
TEKUN_CONDITIONS = [
    "无劳动能力：60 周岁以上的老年人、未满 16 周岁的未成年人，或者残疾等级符合规定的残疾人",
    "无生活来源：收入低于当地最低生活保障标准，且财产符合当地特困人员财产状况规定",
    "无法定赡养、抚养、扶养义务人，或者其法定义务人无履行义务能力",
    "特困人员中的未成年人，可继续享有救助供养待遇至 18 周岁；年满 18 周岁仍在接受义务教育或者在普通高中、"
    "中等职业学校就读的，可继续享有救助供养待遇",
]


def guides() -> None:
    items = [
        ("640324", "最低生活保障审核确认", "最低生活保障", DIBAO_CONDITIONS,
         ["居民身份证、户口簿", "家庭收入和财产状况说明", "授权核对家庭经济状况的声明", "残疾人证、病历等证明材料（有的提供）"],
         ["向户籍所在地乡（镇）人民政府（街道办事处）提出书面申请，也可委托村（居）民委员会代为提出",
          "乡（镇）人民政府（街道办事处）受理，开展家庭经济状况核对和入户调查",
          "组织民主评议，提出初审意见，初审对象名单在村（居）公示 7 个工作日",
          "县（区）民政局审核确认，审批结果在村（居）长期公布",
          "从批准次月起按月发放低保金"]),
        ("640324", "特困人员救助供养审核确认", "特困人员救助供养", TEKUN_CONDITIONS,
         ["居民身份证、户口簿", "特困人员救助供养申请书", "残疾人证或医疗机构出具的生活自理能力评估材料（有的提供）"],
         ["本人向户籍所在地乡（镇）人民政府（街道办事处）提出书面申请；本人申请有困难的，可委托村（居）民委员会代为提出",
          "乡（镇）人民政府（街道办事处）调查核实，初审对象名单在村（居）公示 7 个工作日",
          "县（区）民政局审核确认，符合条件的办理供养证",
          "根据本人意愿和生活自理能力，选择集中供养或分散供养"]),
        ("640422", "最低生活保障审核确认", "最低生活保障", DIBAO_CONDITIONS,
         ["居民身份证、户口簿", "家庭收入和财产状况说明", "授权核对家庭经济状况的声明"],
         ["向户籍所在地乡（镇）人民政府提出书面申请", "乡（镇）人民政府入户调查、组织民主评议",
          "初审对象名单在村公示 7 个工作日", "县民政局审核确认并公布结果"]),
    ]
    for n, (code, service, program, conditions, materials, procedure) in enumerate(items):
        region = region_of(code)
        published = dt.date(2026, 1, 10 + 3 * n)
        d = common(f"{org(code, 1)}/{published.year}-{SEQ['dibao_guide'] + n:05d}",
                   f"{region['name']}{service}办事指南（示例）", mca(region), mca(region), region,
                   published, published - dt.timedelta(days=3), TOPIC,
                   summary=f"{region['name']}{service}的申请条件、保障标准、申请材料、办理流程、办理时间地点和联系方式。",
                   keywords=["办事指南", program, "低保" if program == "最低生活保障" else "特困人员"])
        d["service"] = service
        d["program"] = program
        d["conditions"] = conditions
        if program == "最低生活保障":
            d["standard"] = "城市低保标准每人每月 800 元，农村低保标准每人每年 6000 元（2026 年 1 月 1 日起执行，示例）"
        else:
            d["standard"] = "特困人员基本生活标准每人每年 7800 元，照料护理标准按生活自理能力分档确定（示例）"
        d["materials"] = materials
        d["procedure"] = procedure
        d["time_limit"] = "自受理之日起 30 个工作日内办结；特殊情况可延长至 45 个工作日"
        d["fee"] = "不收费"
        d["where"] = f"户籍所在地乡（镇）人民政府（街道办事处）社会救助窗口；{region['name']}政务服务中心民政窗口"
        d["when"] = "工作日 上午 9:00—12:00，下午 14:30—17:30"
        d["contact_dept"] = f"{region['name']}民政局社会救助股"
        d["contact_phone"] = f"{area_code(code)}-802{n:04d}"
        d["complaint_phone"] = f"{area_code(code)}-809{n:04d}"
        d["online"] = "宁夏政务服务网“社会救助”专区（示例）"
        d["legal_basis"] = ["《社会救助暂行办法》",
                            "《最低生活保障审核确认办法》" if program == "最低生活保障" else "《特困人员认定办法》（民政部，2021 年修订）"]
        write("dibao_guide", f"2026-{code}-{n + 1}", d)


def rosters() -> None:
    items = [
        # (region code, publisher, org, program, list type, start, end (7 working days for 初审), decided_by, rows)
        ("640324100", "豫海镇人民政府", org("640324", TOWNSHIP_GOVERNMENT + 100), "最低生活保障", "初审对象名单",
         dt.date(2026, 10, 12), dt.date(2026, 10, 20), None, 7),
        ("640324", "同心县民政局", org("640324", 1), "最低生活保障", "审批结果",
         dt.date(2026, 11, 2), dt.date(2026, 11, 10), "同心县民政局", 9),
        ("640422100", "吉强镇人民政府", org("640422", TOWNSHIP_GOVERNMENT + 100), "特困人员救助供养", "审核结果",
         dt.date(2026, 9, 14), dt.date(2026, 9, 22), "吉强镇人民政府", 4),
        ("640422", "西吉县民政局", org("640422", 1), "特困人员救助供养", "终止供养名单",
         dt.date(2026, 8, 3), dt.date(2026, 8, 11), "西吉县民政局", 3),
    ]
    reasons = {"初审对象名单": ["因病致贫", "因残致贫", "缺少劳动力"], "审核结果": ["无劳动能力、无生活来源"],
               "审批结果": ["因病致贫", "因残致贫", "缺少劳动力"], "终止供养名单": ["死亡", "获得赡养", "具备劳动能力"]}
    for n, (code, office, org_code, program, list_type, start, end, decided_by, count) in enumerate(items):
        region = region_of(code)
        county = code[:6]
        published = start
        place = region["name"].replace("（示例）", "")
        title = f"{place}{'特困人员' if program != '最低生活保障' else '最低生活保障'}{list_type}公示（示例）"
        d = common(f"{org_code}/{published.year}-{SEQ['dibao_roster'] + n:05d}", title, office, office, region,
                   published, published - dt.timedelta(days=2), TOPIC,
                   summary=f"{place}{program}{list_type}，姓名已遮挡，公示期 {start.isoformat()} 至 {end.isoformat()}。",
                   keywords=["低保" if program == "最低生活保障" else "特困人员", list_type, "公示"])
        d["program"] = program
        d["list_type"] = list_type
        d["notice_period"] = {"start": start.isoformat(), "end": end.isoformat()}
        if decided_by:
            d["decided_by"] = decided_by
        rows = []
        for i in range(count):
            key = (code, list_type, i)
            size = 1 if program != "最低生活保障" else 1 + int(rnd(*key, "size", hi=5))
            if program == "最低生活保障":
                category = "农村低保" if rnd(*key, "ru") < 0.7 else "城市低保"
                amount = round(size * (420 if category == "农村低保" else 560) * rnd(*key, "amt", lo=0.6, hi=1.0))
            else:
                category = "分散供养" if rnd(*key, "cat") < 0.8 else "集中供养"
                amount = 650
            township = TOWNSHIPS[county][i % len(TOWNSHIPS[county])]
            seat, communities = COMMUNITIES[county]
            if category == "城市低保":
                # A township roster lists its own 社区; the county's lists the seat's.
                place = communities[i % len(communities)] + "（示例）"
                village = place if len(code) > 6 else f"{seat}{place}"
            else:
                village = f"示例村{1 + i % 5}组" if len(code) > 6 else f"{township}示例村"
            rows.append({"name": masked_name(*key),
                         "village": village,
                         "household_size": size, "amount": amount, "category": category,
                         "reason": reasons[list_type][i % len(reasons[list_type])]})
        d["rows"] = rows
        phone_area = area_code(code)
        d["objection_unit"] = office if len(code) > 6 else f"{region['name']}民政局社会救助股"
        d["objection_phone"] = f"{phone_area}-801{n:04d}"
        d["notes"] = ("初审对象名单在村（居）务公开栏和本站同时公示 7 个工作日。" if list_type == "初审对象名单"
                      else "名单不公开身份证号、手机号码和银行账号。")
        write("dibao_roster", f"{published.year}-{code}-{n + 1}", d)


BUILDERS = {"medical_aid_stats": medical_aid, "temp_aid_stats": temp_aid, "disaster_report": disasters,
            "poverty_notice": poverty, "dibao_guide": guides, "dibao_roster": rosters}
