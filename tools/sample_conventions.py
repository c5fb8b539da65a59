"""Sample data (示例数据) for the site-wide conventions: the 政府信息公开工作年度报告 of
the sample office and published responses to public concern (回应关切).

The annual report's figures are invented but satisfy every identity of the national
format (国办公开办函〔2021〕30号): each total below is the sum of its parts, as the
signed report an office copies from would have them. Responses link to the sample
policies of their column, read from site_data/policy/ so that they follow whatever
policies the sample holds. Run through make_sample.py:

    python tools/make_sample.py annual_report response
"""
from __future__ import annotations

import datetime as dt

import yaml
from make_sample import DATA, common, org, region_of, write

OFFICE = "宁夏回族自治区人民政府办公厅"
OFFICE_DEPT = 20   # the 办公厅's fictional 统一社会信用代码: org("640000", 20)

APPLICANTS = ["natural", "business", "research", "public_interest", "legal_services", "other"]
# Per applicant type (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他).
RECEIVED = {
    "new": [286, 21, 0, 2, 9, 4],
    "carried_over": [12, 1, 0, 0, 1, 0],
}
RESULTS = {
    "granted": [98, 9, 0, 1, 3, 1],
    "partial": [24, 2, 0, 0, 1, 0],
    "denied_secret": [1, 0, 0, 0, 0, 0],
    "denied_law": [0, 0, 0, 0, 0, 0],
    "denied_security": [0, 0, 0, 0, 0, 0],
    "denied_third_party": [6, 1, 0, 0, 0, 0],
    "denied_internal": [3, 0, 0, 0, 0, 0],
    "denied_process": [5, 0, 0, 0, 0, 0],
    "denied_case_file": [2, 0, 0, 0, 0, 0],
    "denied_query": [4, 0, 0, 0, 0, 0],
    "unable_not_held": [71, 4, 0, 0, 2, 1],
    "unable_need_making": [9, 1, 0, 0, 0, 0],
    "unable_unclear": [3, 0, 0, 0, 0, 0],
    "refused_petition": [14, 0, 0, 0, 0, 0],
    "refused_repeat": [8, 0, 0, 0, 0, 0],
    "refused_publication": [1, 0, 0, 0, 0, 0],
    "refused_mass": [2, 0, 0, 0, 0, 0],
    "refused_confirm": [1, 0, 0, 0, 0, 0],
    "other_no_correction": [11, 1, 0, 0, 1, 0],
    "other_no_fee": [0, 0, 0, 0, 0, 0],
    "other_other": [17, 1, 0, 1, 1, 1],
}
# 行政复议, 未经复议直接起诉, 复议后起诉: 结果维持, 结果纠正, 其他结果, 尚未审结.
CASES = {"review": [5, 1, 1, 2], "litigation_direct": [2, 0, 1, 1], "litigation_after_review": [1, 0, 0, 1]}


def _row(values: list[int]) -> dict:
    row = dict(zip(APPLICANTS, values))
    row["total"] = sum(values)
    return row


def applications() -> dict:
    table = {key: _row(v) for key, v in RECEIVED.items()}
    table.update({key: _row(v) for key, v in RESULTS.items()})
    done = [sum(col) for col in zip(*RESULTS.values())]
    table["result_total"] = _row(done)
    left = [n + c - d for n, c, d in zip(RECEIVED["new"], RECEIVED["carried_over"], done)]
    assert min(left) >= 0, left
    table["carry_forward"] = _row(left)
    return table


def annual_report() -> None:
    year = 2025
    apps = applications()
    new, carried = apps["new"]["total"], apps["carried_over"]["total"]
    done, left = apps["result_total"]["total"], apps["carry_forward"]["total"]
    opened = apps["granted"]["total"] + apps["partial"]["total"]
    cases = {key: dict(zip(["upheld", "corrected", "other", "pending"], v), total=sum(v)) for key, v in CASES.items()}
    written, published = dt.date(year + 1, 3, 20), dt.date(year + 1, 3, 27)
    d = common(f"{org('640000', OFFICE_DEPT)}/{year + 1}-00001",
               f"宁夏回族自治区人民政府{year}年政府信息公开工作年度报告（示例）", OFFICE, OFFICE,
               region_of("640000"), published, written, "综合政务",
               summary=f"宁夏回族自治区人民政府{year}年主动公开、依申请公开、行政复议和行政诉讼情况，存在的主要问题及改进情况。",
               keywords=["政府信息公开工作年度报告", "年报", "依申请公开"])
    d["period"] = str(year)
    d["overview"] = (
        f"{year}年，自治区人民政府办公厅认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "围绕社会救助、补贴与收费、住房保障、教育等群众关心的领域推进政府信息公开工作（示例）。\n\n"
        "### （一）主动公开\n\n"
        "通过政府网站和政务公开专栏主动公开规章、行政规范性文件和各专栏信息，政策文件与解读材料同步发布。"
        "城乡低保、特困人员救助供养等统计数据按季度公开，各县（区）数据可下载。\n\n"
        "### （二）依申请公开\n\n"
        f"全年新收政府信息公开申请 {new} 件，上年结转 {carried} 件，办结 {done} 件，"
        f"其中予以公开和部分公开 {opened} 件，结转下年度继续办理 {left} 件，均在法定期限内答复。\n\n"
        "### （三）政府信息管理\n\n"
        "落实公开前保密审查，定期清理行政规范性文件，在本站公开现行有效文件和废止文件的有效性。\n\n"
        "### （四）平台建设\n\n"
        "政务公开专栏集中发布各领域信息，提供站内搜索、政府信息公开目录和数据下载，页面适老化、无障碍。\n\n"
        "### （五）监督保障\n\n"
        "将政务公开纳入年度绩效考核，开展政务公开自查，对发现的逾期公开、链接失效等问题及时整改（示例）。")
    d["proactive"] = {
        "regulations": {"issued": 4, "repealed": 2, "in_force": 97},
        "normative_documents": {"issued": 23, "repealed": 11, "in_force": 186},
        "licensing": {"decisions": 0},
        "penalty": {"decisions": 0},
        "coercion": {"decisions": 0},
        "fees": {"amount": 0},
    }
    d["applications"] = apps
    d["review_litigation"] = cases
    d["problems"] = (
        "一是部分领域信息更新不够及时，个别统计数据晚于规定时限发布；二是政策解读形式较为单一。\n\n"
        "改进措施：按季度开展政务公开自查并通报结果；推行图文解读、问答解读，提高政策解读的可读性（示例）。")
    d["other_matters"] = (
        f"{year}年本机关未收取政府信息公开信息处理费。\n\n"
        "本报告中的数字为示例数据，不是官方统计。")
    write("annual_report", f"{year}", d)


RESPONSES = [
    # (column, file name, title, channel, asked, days to answer, question, answered_by, answer)
    ("relief", "2026-relief-1", "关于农村低保标准和申请渠道的答复（示例）", "政府网站留言", dt.date(2026, 4, 2), 4,
     "我母亲今年68岁，一个人在农村生活，没有固定收入。听说低保标准调整了，请问现在农村低保标准是多少？"
     "像她这种情况应该去哪里申请？",
     "宁夏回族自治区民政厅",
     "您好！各县（区）最新的城乡低保标准在本站“社会救助”专栏按季度公布，可以在专栏首页的“最新数据”中查看您母亲户籍所在县（区）的标准。\n\n"
     "申请低保，由共同生活的家庭成员向户籍所在地的乡镇人民政府（街道办事处）提出书面申请；本人申请有困难的，"
     "可以委托村民委员会代为提出。乡镇人民政府（街道办事处）会对家庭经济状况进行调查核实，并将初审对象名单在村里公示。\n\n"
     "感谢您的关注！（示例）"),
    ("education", "2026-education-1", "关于随迁子女入学证件和报名时间的答复（示例）", "12345政务服务便民热线", dt.date(2026, 4, 9), 5,
     "孩子跟着我们在银川务工，今年秋季上小学，户口在固原。请问随迁子女入学需要准备哪些证件？什么时候报名？",
     "宁夏回族自治区教育厅",
     "您好！随迁子女入学由居住地县（区）教育局负责，各县（区）在招生前公布随迁子女入学办法、入学流程、证件要求和办理方式。"
     "请关注本站“教育”专栏中您居住地县（区）发布的入学办法和划片范围，按其中列明的时间和材料办理。\n\n"
     "感谢您的关注！（示例）"),
    ("subsidies", "2026-subsidies-1", "关于高校毕业生申请一次性创业补贴的答复（示例）", "领导信箱", dt.date(2026, 4, 16), 6,
     "我是去年毕业的高校毕业生，回县城开了一家小店，营业执照已经办好了。能不能申请一次性创业补贴？需要什么材料？",
     "宁夏回族自治区人力资源和社会保障厅",
     "您好！一次性创业补贴的申领条件、申领程序、申请材料、补贴标准和办理地点，以所在县（区）人力资源和社会保障局公布的申领指南为准，"
     "本站“补贴与收费”专栏已集中公开各县（区）的申领指南。符合条件的，可以携带申领指南列明的材料到当地政务服务中心人社窗口申请。\n\n"
     "感谢您的关注！（示例）"),
]


def _policies() -> dict:
    """Approved sample policies by column (the first by 索引号 when a column has several)."""
    out = {}
    for path in sorted((DATA / "policy").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        if data.get("review", {}).get("status") == "已通过":
            out.setdefault(data["column"], data)
    return out


def responses() -> None:
    policies = _policies()
    for seq, (column, name, title, channel, asked, days, question, by, answer) in enumerate(RESPONSES, start=301):
        answered = asked + dt.timedelta(days=days)
        published = answered + dt.timedelta(days=1)
        policy = policies.get(column)
        code = policy["index_no"].split("/")[0] if policy else org("640000", OFFICE_DEPT)
        d = common(f"{code}/2026-{seq:05d}", title,
                   by, by, region_of("640000"), published, answered,
                   policy["topic"] if policy else "综合政务",
                   summary=f"答复群众通过{channel}提出的问题。")
        d["column"] = column
        d["question"] = question
        d["asked"] = asked.isoformat()
        d["channel"] = channel
        d["answer"] = answer
        d["answered_by"] = by
        d["answered"] = answered.isoformat()
        if policy:
            d["policy"] = policy["index_no"]
        write("response", name, d)


BUILDERS = {"annual_report": annual_report, "response": responses}
