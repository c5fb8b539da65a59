"""Sample data (示例数据) for the kinds real columns carry beyond the 2016 list:
办事指南 of each 事项 a citizen applies for (service_guide), recipient 公示 of
临时救助, 农村危房改造 and 保障性住房 (temp_aid_roster, rural_housing_roster,
housing_allocation_roster), 减税降费 measures (tax_relief) and 慈善捐赠款物 use
(donation_use). Run through make_sample.py:

    python tools/make_sample.py service_guide temp_aid_roster rural_housing_roster \
        housing_allocation_roster tax_relief donation_use

Bodies are today's (医疗保障局 since the 2018 reform, 住房和城乡建设局 …).
Legal bases are real documents, cited with their 文号 (see each schema's
description); names, figures and phone numbers are invented. Phone numbers use
the area code of the region's city (同心县 → 吴忠 0953, 银川 0951).

索引号 sequences 700–799 of each department are this module's, so they never meet
the other sample modules' numbers; 21 医疗保障局, 22 税务局 and 23 慈善总会
are department numbers no other module uses.
"""
from __future__ import annotations

import datetime as dt

import sys

from make_sample import ROOT, common, org, region_of, rnd, write

sys.path.insert(0, str(ROOT))  # the generator's own working-day table, so 公示期 hold by construction
from generator.model import workdays  # noqa: E402

MCA, HRSS, HOUSING, EDU, HEALTHCARE, TAX, CHARITY = 1, 3, 11, 15, 21, 22, 23
TOWNSHIP_GOVERNMENT = 7000  # + the township's three-digit code, as in sample_relief
# Per kind, inside the 700s: one department (同心县民政局, 住房和城乡建设局) publishes several of them.
SEQ = {"service_guide": 700, "temp_aid_roster": 720, "rural_housing_roster": 740,
       "housing_allocation_roster": 760, "tax_relief": 700, "donation_use": 780}
HOURS = "工作日 上午 9:00—12:00，下午 14:30—17:30"
SURNAMES = "马王李张杨田海丁周苏"
GIVEN = "花军林英明兰福成梅强"
TONGXIN_VILLAGES = ["豫海镇示例村一组", "豫海镇示例村三组", "河西镇示例村二组", "丁塘镇示例村四组", "韦州镇示例村一组"]


def masked_name(*key) -> str:
    surname = SURNAMES[int(rnd(*key, "s", hi=len(SURNAMES)))]
    if rnd(*key, "len") < 0.4:
        return surname + "*"
    return surname + "*" + GIVEN[int(rnd(*key, "g", hi=len(GIVEN)))]


def notice_end(start: dt.date, days: int) -> dt.date:
    """Last day of a posting of `days` working days that starts on `start` (which counts)."""
    return workdays.add(start - dt.timedelta(days=1), days)


def m(name, copies=1, form="复印件", note=None) -> dict:
    d = {"name": name, "copies": copies, "form": form}
    if note:
        d["note"] = note
    return d


def s(step, detail, days=None) -> dict:
    d = {"step": step, "detail": detail}
    if days is not None:
        d["working_days"] = days
    return d


GUIDES = [
    # (column, region, dept, publisher suffix, topic, service, legal basis, conditions, materials, procedure,
    #  working days, note, where, online, phone, published)
    ("relief", "640324", HEALTHCARE, "医疗保障局", "卫生、体育", "医疗救助",
     ["《社会救助暂行办法》（国务院令第649号）第五章 医疗救助",
      "《国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见》（国办发〔2021〕42号）"],
     ["本县（区）户籍的最低生活保障对象、特困人员、低保边缘家庭成员和纳入监测范围的农村易返贫致贫人口",
      "不符合上述条件、因高额医疗费用支出导致家庭基本生活出现严重困难的大病患者（因病致贫重病患者）",
      "申请救助的是经基本医疗保险、大病保险报销后个人负担的政策范围内医疗费用"],
     [m("医疗救助申请书", form="原件"), m("居民身份证或户口簿"),
      m("住院病历首页、出院小结", note="在定点医疗机构“一站式”即时结算的，免于提交"),
      m("医疗费用结算单据", note="在定点医疗机构“一站式”即时结算的，免于提交"),
      m("家庭经济状况核对授权书", form="原件", note="因病致贫重病患者提交")],
     [s("申请", "向户籍所在地乡（镇）人民政府（街道办事处）或县医疗保障局提出申请；低保对象、特困人员在定点医疗机构出院时直接结算，不需另行申请"),
      s("审核", "核实救助对象身份、医疗费用和家庭经济状况", 10),
      s("审批", "县医疗保障局确定救助金额", 5),
      s("发放", "救助资金拨付到申请人的社会保障卡或银行账户", 5)],
     20, None, "同心县政务服务中心医保窗口", "宁夏医疗保障公共服务平台", "0953-8060101", dt.date(2026, 3, 16)),
    ("relief", "640324", MCA, "民政局", "民政、扶贫、救灾", "临时救助",
     ["《社会救助暂行办法》（国务院令第649号）第九章 临时救助",
      "《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号）",
      "《民政部 财政部关于进一步加强和改进临时救助工作的意见》（民发〔2018〕23号）"],
     ["因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，导致基本生活暂时出现严重困难的家庭",
      "因生活必需支出突然增加超出家庭承受能力，导致基本生活暂时出现严重困难的最低生活保障家庭",
      "遭遇其他特殊困难、暂时无法得到家庭支持，导致基本生活陷入困境的个人"],
     [m("临时救助申请书", form="原件"), m("居民身份证或户口簿"),
      m("遭遇困难的证明", note="例如 医疗费用单据、火灾或事故证明"),
      m("家庭经济状况核对授权书", form="原件")],
     [s("申请", "向户籍所在地或经常居住地乡（镇）人民政府（街道办事处）提出申请；情况紧急的可先行救助，事后补办手续"),
      s("审核", "乡（镇）人民政府（街道办事处）调查家庭经济状况、人口状况和遭遇困难类型，在村（居）公示后提出审核意见", 8),
      s("审批", "县民政局审批；不予批准的书面说明理由", 5),
      s("发放", "救助金发放到申请人银行账户，或发放实物、转介服务", 2)],
     15, "公示时间不计入办理时限", "户籍所在地乡（镇）人民政府（街道办事处）社会救助窗口", None, "0953-8060102",
     dt.date(2026, 3, 17)),
    ("housing", "640324", HOUSING, "住房和城乡建设局", "城乡建设、环境保护", "农村危房改造申请",
     ["《住房和城乡建设部 财政部 民政部 国家乡村振兴局关于做好农村低收入群体等重点对象住房安全保障工作的实施意见》（建村〔2021〕35号）"],
     ["属于农村低收入群体等重点对象：农村易返贫致贫户、农村低保户、农村分散供养特困人员、农村低保边缘家庭、"
      "因病因灾因意外事故等刚性支出较大或收入大幅缩减导致基本生活出现严重困难家庭，以及未享受过农村住房保障政策支持且依靠自身力量无法解决住房安全问题的其他脱贫户",
      "现住房经鉴定为 C级或 D级危房，或者无房",
      "一户一宅，改造的是唯一住房"],
     [m("农村危房改造申请书", form="原件"), m("居民身份证和户口簿"),
      m("保障对象身份证明", note="低保、特困、监测对象身份可通过部门间信息共享核实的，免于提交"),
      m("现住房照片", form="原件")],
     [s("申请", "农户向村民委员会提出书面申请"),
      s("评议和公示", "村民会议或村民代表会议民主评议，结果在村务公开栏公示"),
      s("鉴定", "乡（镇）组织房屋危险性鉴定，确定 C级或 D级"),
      s("审核审批", "乡（镇）人民政府审核，县住房和城乡建设局审批，改造对象名单公示", 20),
      s("改造和验收", "签订改造协议，农户实施维修加固或拆除重建，竣工后验收"),
      s("资金拨付", "验收合格后补助资金通过惠民惠农财政补贴资金“一卡通”发放到户", 10)],
     30, "公示、鉴定和施工时间不计入办理时限", "户籍所在地乡（镇）人民政府村镇建设办公室", None, "0953-8060103",
     dt.date(2026, 3, 18)),
    ("housing", "640100", HOUSING, "住房和城乡建设局", "城乡建设、环境保护", "公共租赁住房申请",
     ["《公共租赁住房管理办法》（住房和城乡建设部令第11号）第七条、第九条"],
     ["在本市无住房或者住房面积低于规定标准", "家庭收入、财产低于规定标准",
      "申请人为外来务工人员的，在本市稳定就业达到规定年限"],
     [m("公共租赁住房申请表", form="原件"), m("申请人和共同申请家庭成员的居民身份证、户口簿"),
      m("婚姻状况证明"), m("劳动合同和社会保险缴费证明", note="外来务工人员提交"),
      m("家庭收入、财产和住房情况的核对授权书", form="原件", note="不动产登记情况由部门间信息共享核查")],
     [s("申请", "向工作或居住地街道办事处（乡镇人民政府）住房保障窗口提出申请"),
      s("审核", "住房保障部门会同民政、不动产登记等部门核查家庭收入、财产和住房情况", 15),
      s("公示", "符合条件的申请人予以公示"),
      s("轮候", "公示无异议或者异议不成立的，登记为轮候对象并向社会公开"),
      s("配租", "按轮候顺序配租，配租对象与配租排序确定后公示，配租结果向社会公开")],
     20, "公示和轮候时间不计入办理时限", "银川市民大厅住房保障窗口", "宁夏政务服务网", "0951-6060104",
     dt.date(2026, 3, 19)),
    ("education", "640104", EDU, "教育局", "教育", "进城务工人员随迁子女义务教育入学",
     ["《中华人民共和国义务教育法》第十二条", "《居住证暂行条例》（国务院令第663号）"],
     ["父母或者其他法定监护人在本区工作或者居住，持有本区居住证", "子女达到义务教育入学年龄或在义务教育阶段转学"],
     [m("父母或其他法定监护人的居民身份证", form="原件和复印件"), m("户口簿", form="原件和复印件"),
      m("本区居住证", form="原件和复印件"), m("务工就业证明", note="劳动合同或营业执照"),
      m("实际居住证明", note="房屋租赁合同或不动产权证书")],
     [s("报名", "在规定时间内网上报名或到区教育局窗口现场报名"),
      s("审核", "区教育局审核证件材料", 10),
      s("安排学位", "以居住证为主要依据，统筹安排到公办学校或政府购买学位的民办学校就读", 5),
      s("报到", "持入学通知书到学校报到")],
     15, None, "兴庆区政务服务中心教育窗口", "“我的宁夏”政务 App 义务教育招生入学报名", "0951-6060105",
     dt.date(2026, 4, 1)),
    ("subsidies", "640324", HRSS, "人力资源和社会保障局", "劳动、人事、监察", "一次性创业补贴申领",
     ["《中华人民共和国就业促进法》", "《财政部 人力资源社会保障部关于印发〈就业补助资金管理办法〉的通知》（财社〔2017〕164号）"],
     ["首次创办小微企业或从事个体经营", "创办的企业或个体工商户在本县（区）登记注册并正常经营 6 个月以上",
      "属于高校毕业生、农村劳动力、就业困难人员等本地规定的补贴对象，未享受过同类补贴"],
     [m("一次性创业补贴申请表", form="原件"), m("居民身份证"), m("营业执照", note="可通过部门间信息共享核验的，免于提交"),
      m("本人银行账户信息")],
     [s("申请", "向所在乡（镇）劳动保障所或县政务服务中心人社窗口提出申请"),
      s("审核", "县人力资源和社会保障局审核", 10),
      s("公示", "审核结果公示 5 个工作日", 5),
      s("拨付", "财政部门将补贴资金拨付到申请人银行账户", 5)],
     20, None, "同心县政务服务中心人社窗口", "宁夏政务服务网", "0953-8060106", dt.date(2026, 4, 2)),
]


def service_guides() -> None:
    for n, (column, code, dept, suffix, topic, service, basis, conditions, materials, procedure, days, note, where,
            online, phone, published) in enumerate(GUIDES):
        region = region_of(code)
        body = region["name"] + suffix
        d = common(f"{org(code, dept)}/{published.year}-{SEQ['service_guide'] + n:05d}", f"{region['name']}{service}办事指南（示例）",
                   body, body, region, published, published - dt.timedelta(days=3), topic,
                   summary=f"{service}的设定依据、申请条件、申请材料、办理流程、办理时限、办理地点和时间、咨询和监督投诉电话。",
                   keywords=[service, "办事指南", region["name"]])
        d["column"] = column
        d["service"] = service
        d["department"] = body
        d["legal_basis"] = basis
        d["conditions"] = conditions
        d["materials"] = materials
        d["procedure"] = procedure
        d["time_limit_working_days"] = days
        if note:
            d["time_limit_note"] = note
        d["where"] = where
        d["when"] = HOURS
        if online:
            d["online"] = online
        d["contact_phone"] = phone
        d["complaint_phone"] = "12345"
        d["fee"] = "不收费"
        write("service_guide", f"{published.year}-{code}-{n + 1}", d)


def _roster_common(kind, n, code, dept_org, office, title, published, topic, summary, keywords) -> dict:
    return common(f"{dept_org}/{published.year}-{SEQ[kind] + n:05d}", title, office, office, region_of(code),
                  published, published - dt.timedelta(days=2), topic, summary=summary, keywords=keywords)


def temp_aid_rosters() -> None:
    items = [
        # (region, publisher, org, list type, start, decided_by, rows)
        ("640324100", "豫海镇人民政府", org("640324", TOWNSHIP_GOVERNMENT + 100), "审核对象名单",
         dt.date(2026, 9, 7), None, 5),
        ("640324", "同心县民政局", org("640324", MCA), "审批结果", dt.date(2026, 9, 28), "同心县民政局", 5),
    ]
    reasons = ["家庭成员突发重大疾病", "住房失火", "交通事故致伤", "子女教育支出过大", "遭遇意外事故"]
    for n, (code, office, org_code, list_type, start, decided_by, count) in enumerate(items):
        region = region_of(code)
        place = region["name"].replace("（示例）", "")
        end = notice_end(start, 7)
        d = _roster_common("temp_aid_roster", n, code, org_code, office, f"{place}临时救助{list_type}公示（示例）", start,
                           "民政、扶贫、救灾", f"{place}临时救助{list_type}，姓名已遮挡，公示期 {start} 至 {end}。",
                           ["临时救助", list_type, "公示"])
        d["list_type"] = list_type
        d["notice_period"] = {"start": start.isoformat(), "end": end.isoformat()}
        if decided_by:
            d["decided_by"] = decided_by
        rows = []
        for i in range(count):
            key = ("temp_aid_roster", i)   # the same households: 审核 first, then 审批
            reason = reasons[i % len(reasons)]
            rows.append({"name": masked_name(*key), "village": TONGXIN_VILLAGES[i % 2].replace("豫海镇", ""),
                         "household_size": 1 + int(rnd(*key, "size", hi=5)), "reason": reason,
                         "form": "发放临时救助金",
                         "amount": int(rnd(*key, "amt", lo=10, hi=60)) * 100})
        d["rows"] = rows
        d["objection_unit"] = office if len(code) > 6 else "同心县民政局社会救助股"
        d["objection_phone"] = f"0953-806{n + 1:04d}"
        d["notes"] = ("审核对象名单在村（居）务公开栏和本站同时公示 7 个工作日，公示无异议后报县民政局审批。"
                      if list_type == "审核对象名单" else "名单不公开身份证号、手机号码和银行账号。")
        write("temp_aid_roster", f"{start.year}-{code}-{n + 1}", d)


GRADE_METHOD = [("C级", "维修加固", 15000), ("D级", "拆除重建", 34000), ("C级", "维修加固", 12000),
                ("D级", "拆除重建", 34000), ("无房户", "选址新建", 34000), ("C级", "维修加固", 15000)]
CATEGORIES = ["农村低保户", "农村易返贫致贫户", "农村分散供养特困人员", "农村低保边缘家庭",
              "因病因灾因意外事故等刚性支出较大或收入大幅缩减导致基本生活出现严重困难家庭", "农村低保户"]


def rural_housing_rosters() -> None:
    items = [("改造对象公示", 2026, dt.date(2026, 5, 11)), ("补助资金发放公示", 2025, dt.date(2026, 1, 12))]
    for n, (list_type, year, start) in enumerate(items):
        code = "640324"
        office = "同心县住房和城乡建设局"
        end = notice_end(start, 7)
        d = _roster_common("rural_housing_roster", n, code, org(code, HOUSING), office,
                           f"同心县{year}年农村危房改造{list_type.replace('改造对象', '对象')}（示例）", start, "城乡建设、环境保护",
                           f"同心县{year}年农村低收入群体等重点对象住房安全保障（农村危房改造）{list_type}，姓名已遮挡。",
                           ["危房改造", list_type, "公示"])
        d["year"] = year
        d["list_type"] = list_type
        d["notice_period"] = {"start": start.isoformat(), "end": end.isoformat()}
        d["decided_by"] = office
        rows = []
        for i, (grade, method, amount) in enumerate(GRADE_METHOD):
            key = ("rural_housing_roster", year, i)
            rows.append({"name": masked_name(*key), "village": TONGXIN_VILLAGES[i % len(TONGXIN_VILLAGES)],
                         "category": CATEGORIES[i], "grade": grade, "method": method, "amount": amount})
        d["rows"] = rows
        d["objection_unit"] = "同心县住房和城乡建设局村镇建设股"
        d["objection_phone"] = f"0953-807{n + 1:04d}"
        d["notes"] = ("经农户申请、村民代表会议评议、房屋危险性鉴定和乡（镇）审核，拟列为本年度改造对象，现予公示。"
                      if n == 0 else "以上农户已竣工验收合格，补助资金通过“一卡通”发放到户。")
        write("rural_housing_roster", f"{year}-{code}-{n + 1}", d)


def housing_allocation_rosters() -> None:
    items = [("资格审核公示", dt.date(2026, 4, 13)), ("配租结果公示", dt.date(2026, 6, 8)), ("退出名单", dt.date(2026, 7, 6))]
    code = "640100"
    office = "银川市住房和城乡建设局"
    exits = ["家庭收入超过保障标准", "已购买其他住房", "违规转租"]
    for n, (list_type, start) in enumerate(items):
        end = notice_end(start, 7)
        d = _roster_common("housing_allocation_roster", n, code, org(code, HOUSING), office,
                           f"银川市公共租赁住房{list_type}（示例）", start, "城乡建设、环境保护",
                           f"银川市公共租赁住房{list_type}，姓名已遮挡，公示期 {start} 至 {end}。",
                           ["保障性住房", "公共租赁住房", list_type])
        d["list_type"] = list_type
        d["notice_period"] = {"start": start.isoformat(), "end": end.isoformat()}
        d["decided_by"] = office
        rows = []
        for i in range(3 if list_type == "退出名单" else 6):
            key = ("housing_allocation_roster", list_type if list_type == "退出名单" else "in", i)
            row = {"name": masked_name(*key), "household_size": 1 + int(rnd(*key, "size", hi=4)),
                   "housing_type": "公共租赁住房", "method": "实物配租" if i % 3 else "租赁补贴"}
            if list_type != "资格审核公示" and row["method"] == "实物配租":
                row["project"] = f"示例公租房小区 {1 + i % 4} 号楼"
                row["area"] = round(rnd(*key, "area", lo=38, hi=60), 1)
            if list_type == "退出名单":
                row["reason"] = exits[i]
            rows.append(row)
        d["rows"] = rows
        d["objection_unit"] = "银川市住房保障服务中心"
        d["objection_phone"] = f"0951-608{n + 1:04d}"
        write("housing_allocation_roster", f"{start.year}-{code}-{n + 1}", d)


TAX_POLICY = ("关于进一步支持小微企业和个体工商户发展有关税费政策的公告", "财政部 税务总局公告2023年第12号")
TAX_MEASURES = [
    ("小型微利企业减征企业所得税", "小微企业和个体工商户", "小型微利企业", ["企业所得税"],
     ["对小型微利企业减按25%计算应纳税所得额，按20%的税率缴纳企业所得税"], "第三条",
     "在预缴和汇算清缴企业所得税时通过填写纳税申报表享受，相关资料留存备查"),
    ("个体工商户减半征收个人所得税", "小微企业和个体工商户", "个体工商户", ["个人所得税"],
     ["对个体工商户年应纳税所得额不超过200万元的部分，减半征收个人所得税",
      "个体工商户在享受现行其他个人所得税优惠政策的基础上，可叠加享受本项优惠"], "第一条",
     "在预缴和汇算清缴个人所得税时享受，办理申报时填写减免税额"),
    ("“六税两费”减半征收", "小微企业和个体工商户", "增值税小规模纳税人、小型微利企业和个体工商户",
     ["资源税（不含水资源税）", "城市维护建设税", "房产税", "城镇土地使用税", "印花税（不含证券交易印花税）", "耕地占用税",
      "教育费附加", "地方教育附加"],
     ["减半征收资源税（不含水资源税）、城市维护建设税、房产税、城镇土地使用税、印花税（不含证券交易印花税）、耕地占用税和教育费附加、地方教育附加",
      "已依法享受上述税费其他优惠政策的，可叠加享受本项优惠"], "第二条、第四条",
     "申报时自动带出减免，纳税人缴费人无需另行申请"),
]


def tax_relief() -> None:
    region = region_of("640000")
    office = "国家税务总局宁夏回族自治区税务局"
    for n, (measure, category, who, taxes, content, article, how) in enumerate(TAX_MEASURES):
        published = dt.date(2026, 2, 2 + n)
        d = common(f"{org('640000', TAX)}/{published.year}-{SEQ['tax_relief'] + n:05d}", f"{measure}政策（示例）", office, office,
                   region, published, published - dt.timedelta(days=3), "财政、金融、审计",
                   summary=f"{who}的{measure}政策：优惠内容、执行期限、政策依据和享受方式。",
                   keywords=["减税降费", measure])
        d["measure"] = measure
        d["category"] = category
        d["beneficiaries"] = who
        d["taxes"] = taxes
        d["content"] = content
        d["start"] = "2023-01-01"
        d["end"] = "2027-12-31"
        d["basis"] = [{"title": TAX_POLICY[0], "doc_no": TAX_POLICY[1], "article": article}]
        d["how"] = how
        d["contact_phone"] = "12366"
        write("tax_relief", f"{published.year}-{n + 1}", d)


def donation_use() -> None:
    code = "640324"
    region = region_of(code)
    office = "同心县民政局"
    published = dt.date(2026, 7, 20)
    d = common(f"{org(code, MCA)}/{published.year}-{SEQ['donation_use']:05d}", "同心县慈善总会2026年上半年捐赠款物接收和使用情况（示例）",
               office, office, region, published, published - dt.timedelta(days=5), "民政、扶贫、救灾",
               coop_depts=["同心县慈善总会"],
               summary="同心县慈善总会2026年上半年接收的捐赠款物、使用去向、受益人数和结余。",
               keywords=["慈善", "捐赠款物", "同心县"])
    d["recipient_org"] = "同心县慈善总会"
    d["activity"] = "2026年“慈善一日捐”和冬春救助募捐"
    d["start"] = "2026-01-01"
    d["end"] = "2026-06-30"
    received = [
        {"donor": "同心县机关事业单位干部职工", "type": "资金", "amount": 38.6},
        {"donor": "示例商贸有限公司", "type": "资金", "amount": 20.0},
        {"donor": "示例食品有限公司", "type": "物资", "item": "米面油 1200 份", "amount": 9.6},
        {"donor": "爱心人士", "type": "资金", "amount": 4.3},
    ]
    used = [
        {"use": "资助困难家庭大学新生", "amount": 24.0, "beneficiaries": 120, "date": "2026-03-10"},
        {"use": "冬春困难群众生活救助（米面油）", "amount": 9.6, "beneficiaries": 1200, "date": "2026-01-25"},
        {"use": "大病患者慈善救助", "amount": 18.5, "beneficiaries": 37, "date": "2026-05-20"},
    ]
    d["received"] = received
    d["used"] = used
    d["balance"] = round(sum(x["amount"] for x in received) - sum(x["amount"] for x in used), 1)
    d["supervision_phone"] = "0953-8060107"
    d["notes"] = "结余资金结转下半年继续用于救助困难群众。个人捐赠者不愿公开姓名的以“爱心人士”列示。"
    write("donation_use", f"{published.year}-{code}-1", d)


BUILDERS = {"service_guide": service_guides, "temp_aid_roster": temp_aid_rosters,
            "rural_housing_roster": rural_housing_rosters, "housing_allocation_roster": housing_allocation_rosters,
            "tax_relief": tax_relief, "donation_use": donation_use}
