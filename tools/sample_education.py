"""Sample data (示例数据) for the education column's kinds: 划片招生, 随迁子女入学,
学校名录和招生计划, 教育督导报告和整改.

Registered in tools/make_sample.py's BUILDERS. Town and street names are real
Ningxia names; schools, communities, villages, addresses and phone numbers are
invented. 索引号 use department numbers 15 (county 教育局) and 16 (教育督导室),
which no other sample kind uses, so the sequences cannot collide.
"""
from __future__ import annotations

import datetime as dt

from make_sample import common, org, region_of, write

EDU_DEPT = 15
SUPERVISION_DEPT = 16
TOPIC = "教育"

# County → (phone area code, towns or streets with the communities / villages each school takes).
COUNTIES = {
    "640104": ("0951", [("凤凰北街街道", ["丽景社区", "凤凰社区"]), ("解放西街街道", ["光明社区", "银古社区"]),
                        ("文化街街道", ["南薰社区", "文化社区"]), ("富宁街街道", ["富宁社区", "民乐社区"])]),
    "640323": ("0953", [("花马池镇", ["城东社区", "城西社区"]), ("大水坑镇", ["新桥村", "大水坑村"]),
                        ("惠安堡镇", ["惠安堡村", "杏树梁村"])]),
    "640324": ("0953", [("豫海镇", ["东关社区", "西关社区"]), ("河西镇", ["旱天岭村", "上河湾村"]),
                        ("丁塘镇", ["丁塘村", "新华村"]), ("韦州镇", ["韦一村", "韦二村"])]),
    "640422": ("0954", [("吉强镇", ["东关社区", "西关社区"]), ("兴隆镇", ["兴隆村", "单家集村"]),
                        ("平峰镇", ["平峰村", "杨河村"])]),
    "640522": ("0955", [("海城镇", ["南城社区", "北城社区"]), ("李旺镇", ["李旺村", "团庄村"]),
                        ("西安镇", ["西安村", "园河村"])]),
}
YEARS = [2025, 2026]


def phone(code: str, n: int) -> str:
    return f"{COUNTIES[code][0]}-60{int(code[-3:]):03d}{n:02d}"


def bureau(region: dict) -> str:
    return f"{region['name']}教育局"


def schools(code: str) -> list[dict]:
    """Each town's central primary school plus the county seat's middle, nine-year and private schools."""
    region = region_of(code)
    county = region["name"]
    towns = COUNTIES[code][1]
    seat, seat_places = towns[0]
    out = []
    for i, (town, places) in enumerate(towns, start=1):
        name = f"{county}第{'一二三四五'[i - 1]}小学" if i <= 2 else f"{county}{town}中心小学"
        out.append({"name": name, "address": f"{county}{town}{places[0]}（示例地址）", "level": "小学", "type": "公办",
                    "phone": phone(code, i), "students": 45 * (7 - i), "classes": 7 - i,
                    "zone": f"{town}{'、'.join(places)}", "_zone": [town + p for p in places]})
    out.append({"name": f"{county}第三中学", "address": f"{county}{seat}{seat_places[-1]}（示例地址）", "level": "初中",
                "type": "公办", "phone": phone(code, 11), "students": 400, "classes": 8,
                "zone": f"{towns[0][0]}、{towns[1][0]}全部社区和村",
                "_zone": [towns[0][0], towns[1][0]]})
    far, far_places = towns[-1]
    out.append({"name": f"{county}{far}九年一贯制学校", "address": f"{county}{far}{far_places[-1]}（示例地址）",
                "level": "九年一贯制", "type": "公办", "phone": phone(code, 12), "students": 180, "classes": 4,
                "zone": f"{far}全部社区和村", "_zone": [far]})
    out.append({"name": f"{county}育才实验学校", "address": f"{county}{seat}（示例地址）", "level": "九年一贯制",
                "type": "民办", "phone": phone(code, 13), "students": 120, "classes": 3,
                "zone": "面向全县（区）招生，报名人数超过招生计划时电脑随机录取", "_zone": None})
    return out


def zoning() -> None:
    for code in COUNTIES:
        region = region_of(code)
        for y, year in enumerate(YEARS):
            published = dt.date(year, 5, 12 + y)
            d = common(f"{org(code, EDU_DEPT)}/{year}-{11 + y:05d}", f"{region['name']}{year}年义务教育学校划片招生范围（示例）",
                       bureau(region), bureau(region), region, published, published - dt.timedelta(days=5), TOPIC,
                       coop_depts=[f"{region['name']}公安局", f"{region['name']}住房和城乡建设局"],
                       summary=f"公布{region['name']}{year}年义务教育划片工作程序、划片原则和每所公办学校的招生范围。",
                       keywords=["划片招生", "招生范围", "义务教育", region["name"]])
            d["year"] = year
            d["procedure"] = [
                "县（区）教育局会同公安、住建部门摸清辖区内适龄儿童少年人数和分布",
                "根据各校学位数和生源分布拟定划片方案，征求家长、社区和人大代表、政协委员意见",
                "划片方案报县（区）人民政府审定",
                "通过政府网站、学校公告栏向社会公布划片结果，公示期内受理咨询和异议",
            ]
            d["content"] = ("按照免试、就近入学原则，以街道（乡镇）、社区和行政村为单位，为每所公办小学、初中划定相对固定的招生范围，"
                            "一校一片；学位不足的片区由县（区）教育局统筹安排到就近学校。" + ("本年度招生范围与上年保持稳定。" if y else ""))
            d["results"] = []
            for s in schools(code):
                if s["_zone"] is None:
                    continue  # private schools recruit county-wide and are not zoned
                row = {"school": s["name"], "stage": s["level"], "zone": s["_zone"]}
                if s["level"] == "初中":
                    row["note"] = "对口小学毕业生直接升入"
                elif s["level"] == "九年一贯制":
                    row["note"] = "初中部招收本镇全部小学毕业生；小学部招收本镇中心小学招生范围以外的村"
                d["results"].append(row)
            d["enrol_time"] = f"{year}年7月1日至7月10日"
            d["contact_phone"] = phone(code, 20)
            d["complaint_phone"] = phone(code, 21)
            write("school_zoning", f"{year}-{code}", d)


def migrant() -> None:
    for code in COUNTIES:
        region = region_of(code)
        year = 2026
        published = dt.date(year, 5, 20)
        d = common(f"{org(code, EDU_DEPT)}/{year}-{21:05d}", f"{region['name']}{year}年进城务工人员随迁子女入学指南（示例）",
                   bureau(region), bureau(region), region, published, published - dt.timedelta(days=4), TOPIC,
                   summary=f"公布{region['name']}{year}年随迁子女入学办法、入学流程、证件要求和办理方式。",
                   keywords=["随迁子女入学", "进城务工人员", "义务教育", region["name"]])
        d["year"] = year
        d["methods"] = [
            "坚持以流入地政府管理为主、以公办学校为主，以居住证为主要依据安排随迁子女入学",
            "符合条件的随迁子女与本地户籍学生享受同等待遇，由县（区）教育局统筹安排到居住地附近的公办学校就读",
            "公办学校学位不足的，通过政府购买学位等方式安排到民办学校就读",
        ]
        d["steps"] = ["在报名时间内网上报名或到办理地点现场报名", "提交证件材料（现场核验原件）",
                      "县（区）教育局会同公安、人社部门审核", "公布学位安排结果",
                      "持入学通知书到学校报到"]
        d["documents"] = ["父母或其他法定监护人的居民身份证（原件和复印件）", f"{region['name']}居住证（原件和复印件）",
                          "户口簿（原件和复印件）", "在本县（区）务工或经商的证明：劳动合同或营业执照",
                          "在本县（区）的居住证明：房屋产权证明或租赁合同"]
        d["handling"] = {"place": f"{region['name']}政务服务中心教育窗口，或居住地附近的公办学校",
                         "online": "“我的宁夏”政务服务平台义务教育招生入学报名（示例）",
                         "time": f"{year}年7月1日至7月15日，工作日 上午 9:00—12:00，下午 14:30—17:30"}
        d["contact_office"] = f"{bureau(region)}基础教育股"
        d["contact_phone"] = phone(code, 22)
        write("migrant_enrolment", f"{year}-{code}", d)


def directory() -> None:
    for code in COUNTIES:
        region = region_of(code)
        year = 2026
        published = dt.date(year, 6, 2)
        d = common(f"{org(code, EDU_DEPT)}/{year}-{31:05d}", f"{region['name']}{year}年义务教育学校名录和招生计划（示例）",
                   bureau(region), bureau(region), region, published, published - dt.timedelta(days=3), TOPIC,
                   summary=f"公布{region['name']}义务教育学校的名称、地址、办学层次、办学类型、电话、{year}年招生计划和招生范围。",
                   keywords=["学校名录", "招生计划", "招生范围", region["name"]])
        d["year"] = year
        d["schools"] = [{k: v for k, v in s.items() if not k.startswith("_")} for s in schools(code)]
        d["notes"] = "民办学校招生与公办学校同步进行；报名人数超过招生计划的，在教育、纪检部门监督下电脑随机录取。"
        write("school_directory", f"{year}-{code}", d)


SUPERVISION = [
    # (region code, year, report type, inspector, findings with (issue, measure, status, progress), improvement)
    ("640000", 2025, "教育督导报告", "宁夏回族自治区人民政府教育督导委员会办公室",
     "全区义务教育学校办学条件持续改善，控辍保学成效明显，教师队伍结构有待优化。",
     [("部分县（区）乡村教师结构性缺编", "各县（区）通过特岗计划和县域内交流补充乡村学校教师", "整改中", "已补充乡村教师 860 名"),
      ("个别县（区）城区学校大班额", "新建和改扩建城区学校，严格控制班额", "已完成", "全区 56 人以上大班额已全部消除"),
      ("学生体质健康监测结果公开不及时", "建立年度监测结果公开制度", "未启动", None)], None),
    ("640324", 2025, "义务教育均衡发展督导评估反馈意见", "宁夏回族自治区人民政府教育督导委员会办公室",
     "同心县义务教育学校校际差距逐步缩小，达到义务教育基本均衡发展的评估要求。",
     [("部分农村小学运动场地不达标", "新建和改造 3 所农村小学运动场", "已完成", "3 所学校运动场已全部建成投用"),
      ("城区学校音体美专任教师不足", "公开招聘并在县域内交流音体美教师", "整改中", "已招聘 12 名，交流 8 名"),
      ("信息化设备更新滞后", "分两年为农村学校更新多媒体教学设备", "整改中", "已完成 40% 学校的更新")], None),
    ("640323", 2025, "义务教育均衡发展督导评估反馈意见", "宁夏回族自治区人民政府教育督导委员会办公室",
     "盐池县义务教育资源配置基本均衡，学校管理规范，需进一步提高农村学校教育质量。",
     [("农村学校图书生均册数偏低", "为农村学校补充图书", "已完成", "补充图书 3.2 万册"),
      ("教师培训经费使用不足", "按公用经费 5% 安排教师培训经费", "整改中", "已安排培训经费，正在组织培训")], None),
    ("640422", 2026, "薄弱学校改善工作进展", "西吉县人民政府教育督导室",
     "西吉县全面改善贫困地区义务教育薄弱学校基本办学条件工作按计划推进。",
     [("部分学校寄宿条件不足", "新建 2 所学校学生宿舍", "整改中", "1 所已完工，1 所主体完工"),
      ("农村学校食堂设施陈旧", "改造 6 所农村学校食堂", "已完成", "6 所食堂已改造完成并投用")],
     {"planned": 24, "completed": 18, "investment": 5320.5}),
    ("640522", 2026, "薄弱学校改善工作进展", "海原县人民政府教育督导室",
     "海原县薄弱学校改善项目进度总体正常，个别项目开工较晚。",
     [("个别项目开工较晚", "倒排工期，每月督查一次进度", "整改中", "已全部开工"),
      ("部分学校课桌椅不符合标准", "更换不符合标准的课桌椅", "未启动", None)],
     {"planned": 31, "completed": 19, "investment": 4186.0}),
]


def supervision() -> None:
    for n, (code, year, report_type, inspector, overview, items, improvement) in enumerate(SUPERVISION):
        region = region_of(code)
        published = dt.date(year, 9, 8 + n)
        publisher = ("宁夏回族自治区人民政府教育督导委员会办公室" if code == "640000"
                     else f"{region['name']}人民政府教育督导室")
        lead = "宁夏回族自治区教育厅" if code == "640000" else bureau(region)
        d = common(f"{org(code, SUPERVISION_DEPT)}/{year}-{41 + n:05d}", f"{region['name']}{year}年{report_type}（示例）",
                   publisher, lead, region, published, published - dt.timedelta(days=6), TOPIC,
                   summary=f"公布{region['name']}{year}年{report_type}、发现的主要问题和整改进展。",
                   keywords=["教育督导", report_type, region["name"]])
        d["report_type"] = report_type
        d["year"] = year
        d["inspector"] = inspector
        d["inspected"] = f"{year}年{4 + n % 3}月"
        d["overview"] = overview
        d["findings"] = [i[0] for i in items]
        d["items"] = []
        for i, (issue, measure, status, progress) in enumerate(items):
            item = {"issue": issue, "measure": measure, "dept": lead, "due": f"{year}-{10 + i}-30", "status": status}
            if progress:
                item["progress"] = progress
            d["items"].append(item)
        if improvement:
            d["improvement"] = improvement
        write("education_supervision", f"{year}-{code}", d)


BUILDERS = {"school_zoning": zoning, "migrant_enrolment": migrant, "school_directory": directory,
            "education_supervision": supervision}
