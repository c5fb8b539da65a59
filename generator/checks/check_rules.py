"""Rules of the compliance self-check: what each one finds, at what default level.

RULES lists them as the report does; each rule id is checked by the function of
that name (CHECKS). check.py runs them and reports; this module only looks at a
loaded Site and returns Findings (on time, late by N working days, missing,
stale, problem).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import periods, workdays
from ..model.kinds import deref, get_path, timed_links
from ..problems import ERROR, WARNING, Problem

OK = "ok"
SEVERITY_WORDS = {"错误": ERROR, "警告": WARNING, "不检查": None}

# Statuses shown on the report, in the order citizens and inspectors read them.
STATUS_NAMES = {"late": "逾期", "missing": "缺失", "stale": "未按时更新", "problem": "问题", "ontime": "按时"}

FRESHNESS = {"monthly": ("M", 1, "每月"), "quarterly": ("Q", 3, "每季度"),
             "half-yearly": ("H", 6, "每半年"), "yearly": ("Y", 12, "每年")}
# Published when something happens (a 公示, a disaster report): no schedule to fall behind;
# their deadline from formation (publish_deadline) still applies.
EVENT = "event"

# 政府网站与政务新媒体检查指标（国办秘函〔2019〕19号），单项否决“栏目不更新”：“监测时间点前 2 周内的
# 动态、要闻类栏目，以及监测时间点前 6 个月内的通知公告、政策文件类一级栏目，累计超过（含）5 个未更新”；
# “应更新但长期未更新的栏目数量超过（含）10 个”；“空白栏目数量超过（含）5 个”。One stale or empty
# column is not the veto: the rules below report each column, and say how many there are.
# The 1-year class (人事、规划计划) is kept from the earlier text of this table; not found in the quoted rule.
UPDATE_CLASSES = {"动态要闻": 14, "通知公告政策文件": 183, "人事规划计划": 365}
DEFAULT_UPDATE_CLASS = "通知公告政策文件"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str
    basis: str
    settings: dict = field(default_factory=dict)
    # What the public 自查报告 says instead of `basis` where the basis names a configuration
    # key or a library: those are for the editors' terminal output and JSON report only.
    public_basis: str | None = None

    @property
    def public(self) -> str:
        return self.public_basis or self.basis


RULES = {r.id: r for r in [
    Rule("interpretation_deadline", "政策解读时限", WARNING,
         "《国务院办公厅关于印发〈关于全面推进政务公开工作的意见〉实施细则的通知》（国办发〔2016〕80号）："
         "政策性文件与解读方案、解读材料同步组织、同步审签、同步部署；默认允许的 3 个工作日沿用"
         "《宁夏回族自治区2016年政务公开工作要点》（已过期，作为沿革），可在 site.yaml 的 "
         "self_check.rules.interpretation_deadline.working_days 中改为 0（与文件同日发布）或本地规定的天数",
         {"working_days": 3},
         "《国务院办公厅关于印发〈关于全面推进政务公开工作的意见〉实施细则的通知》（国办发〔2016〕80号）："
         "政策性文件与解读方案、解读材料同步组织、同步审签、同步部署；本站检查解读是否在政策发布后规定的工作日内发布"),
    Rule("publish_deadline", "公开时限", WARNING,
         "《中华人民共和国政府信息公开条例》第二十六条：自信息形成或者变更之日起 20 个工作日内公开；"
         "标准目录（x-kind.directory.deadline_working_days）另有规定的从其规定",
         {"working_days": 20},
         "《中华人民共和国政府信息公开条例》第二十六条：自信息形成或者变更之日起 20 个工作日内公开；"
         "基层政务公开标准目录对某类信息规定了更短时限的，按该目录的规定检查"),
    Rule("pending_overdue", "待审核超期", WARNING,
         "《中华人民共和国政府信息公开条例》第二十六条：审核中的信息同样受公开时限约束", {}),
    Rule("freshness", "更新频率", WARNING,
         "各类别在 x-kind.freshness 中声明的更新频率（如低保统计每季度、公积金年度报告每年）；"
         "政策文件、公示等随事公开的类别不按周期检查（规范性文件不是每半年重新印发一次），"
         "专栏整体是否按时更新由“栏目更新”检查", {},
         "每类信息按其更新周期更新（如低保统计每季度、住房公积金年度报告每年）；政策文件、公示等随事公开的信息不按周期检查，"
         "专栏整体是否按时更新由“栏目更新”检查"),
    Rule("completeness", "内容完整", WARNING,
         "基层政务公开标准目录：每个地区、每个统计期都要公开必填要素；分类别公开的信息"
         "（x-kind.category_items，如帮扶公告公示）按各自类别要求的要素检查", {"region_level": ""},
         "基层政务公开标准目录：每个地区、每个统计期都要公开必填要素；分类别公开的信息（如帮扶公告公示）"
         "按各自类别要求的要素检查"),
    Rule("integrity", "要素和链接", ERROR,
         "《中华人民共和国政府信息公开条例》第十二条（发布机构等目录要素）；"
         "《政府网站与政务新媒体检查指标》：链接无法打开、附件无法下载扣分", {}),
    Rule("empty_column", "空白栏目", ERROR,
         "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）：“空白栏目数量超过（含）5 个”即单项否决；"
         "不足 5 个不单项否决，但空白栏目在发布前就能改正，本站默认作为错误", {"veto_count": 5}),
    Rule("column_stale", "栏目更新", WARNING,
         "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）：“监测时间点前 2 周内的动态、要闻类栏目，"
         "以及监测时间点前 6 个月内的通知公告、政策文件类一级栏目，累计超过（含）5 个未更新”即单项否决；"
         "本检查逐个专栏提示（人事规划计划类 1 年）",
         {"max_days": dict(UPDATE_CLASSES)}),
    Rule("notice_period", "公示期", ERROR,
         "基层政务公开标准目录（社会救助）：低保初审对象名单公示 7 个工作日；"
         "各类别在 x-kind.notice_working_days 中按名单类型声明", {},
         "基层政务公开标准目录（社会救助）：低保初审对象名单公示 7 个工作日；其他名单按各自规定的公示期"),
    Rule("annual_report_deadline", "年度报告时限", WARNING,
         "《中华人民共和国政府信息公开条例》第四十九条：县级以上人民政府部门每年1月31日前、"
         "县级以上地方人民政府的政府信息公开工作主管部门每年3月31日前公布上一年度政府信息公开工作年度报告",
         {}),
    Rule("calendar_range", "节假日表范围", WARNING,
         "工作日按国务院办公厅每年发布的节假日安排计算（chinesecalendar 和 site_data/holidays/ 中照通知填写的文件）", {},
         "工作日按国务院办公厅每年发布的节假日安排计算"),
]}


@dataclass
class Finding:
    rule: str
    status: str                      # ontime | late | missing | stale | problem
    message: str
    column: str | None = None
    region: tuple[str, str] | None = None   # (code, name)
    kind: str | None = None
    record: object | None = None
    where: tuple[str, int, int] | None = None
    due: dt.date | None = None
    date: dt.date | None = None
    late_working_days: int | None = None
    overdue_days: int | None = None
    period: str | None = None
    severity: str = OK
    # What the public 自查报告 page may say instead of `message`, when the message names
    # records not yet approved: unreviewed content is never published, not even here.
    public: str | None = None

    @property
    def public_message(self) -> str:
        return self.public or self.message

    def problem(self) -> Problem:
        path, line, col = self.where or ("site_data/site.yaml", 1, 1)
        return Problem(path, line, col, f"【{RULES[self.rule].name}】{self.message}", self.severity)


# ---------------------------------------------------------------- settings

def rule_settings(config: dict) -> dict:
    """Each rule's (severity or None when switched off, settings) from site.yaml over the defaults."""
    own = ((config or {}).get("self_check") or {}).get("rules") or {}
    out = {}
    for rid, rule in RULES.items():
        conf = own.get(rid) or {}
        severity = SEVERITY_WORDS.get(conf.get("severity"), rule.severity) if "severity" in conf else rule.severity
        settings = dict(rule.settings)
        for key, value in conf.items():
            if key == "severity":
                continue
            if isinstance(value, dict) and isinstance(settings.get(key), dict):
                settings[key] = {**settings[key], **value}
            else:
                settings[key] = value
        out[rid] = (severity, settings)
    return out


def deadline(kind, rules) -> int:
    """A kind's publication deadline in working days: its standard directory's, else the default."""
    directory = kind.directory or {}
    days = directory.get("deadline_working_days") or kind.deadline_working_days
    return int(days) if isinstance(days, int) and days > 0 else int(rules["publish_deadline"][1]["working_days"])


def freshness_problems(site) -> list[Problem]:
    out = []
    for kind in site.kinds.values():
        value = kind.freshness
        if value is not None and value not in FRESHNESS and value != EVENT:
            out.append(Problem(f"schemas/{kind.id}.schema.json", 1, 1,
                               f"类别“{kind.name}”的 x-kind.freshness“{value}”无效，应为 "
                               f"{'、'.join(FRESHNESS)} 之一（{'、'.join(v[2] for v in FRESHNESS.values())}），"
                               f"或 {EVENT}（随事公开，不按周期检查）。"))
    return out


# ---------------------------------------------------------------- one run

class Run:
    """One run of the rules over a site as of a date: what every rule reads, and its findings."""

    def __init__(self, site, as_of: dt.date, rules: dict):
        self.site, self.as_of, self.rules = site, as_of, rules
        self.findings: list[Finding] = []
        self.approved_records = site.approved_records  # computed once: a property over every record

    def add(self, rule: str, status: str, message: str, record=None, path: tuple = ("published",),
            **kw) -> Finding:
        f = Finding(rule=rule, status=status, message=message, **kw)
        if record is not None:
            f.record = record
            f.column = f.column or record.column_id
            f.region = f.region or (record.region_code, record.region_name)
            f.kind = f.kind or record.kind.id
            f.period = f.period or record.period
            line, col = record.doc.where(path)
            f.where = (record.doc.rel, line, col)
        if status != "ontime":
            f.severity = self.rules[rule][0] or OK
        if record is not None and not record.approved and f.public is None:
            f.public = f"一条尚未通过审核的{record.kind.name}：" + {
                "pending_overdue": f"已超过公开时限 {f.late_working_days} 个工作日仍未发布，请尽快完成审核。",
                "calendar_range": "公开时限无法按工作日核对（日期超出节假日表）。",
            }.get(rule, "详情见编辑使用的自查报告（终端输出和 JSON 报告）。")
        self.findings.append(f)
        return f

    def enabled(self, rule: str) -> bool:
        return self.rules[rule][0] is not None


# ---------------------------------------------------------------- the rules
# One function per rule id, named after it, in the order of RULES.

def interpretation_deadline(run: Run):
    if not run.enabled("interpretation_deadline"):
        return
    n = int(run.rules["interpretation_deadline"][1]["working_days"])
    timed = timed_links(run.site.kinds, "interpretation_deadline")  # 政策 ← 解读, declared in x-kind.links
    for policy in run.approved_records:
        if policy.kind.id not in timed:
            continue
        source, link = timed[policy.kind.id]
        interps = [r for r in policy.links.get(link.back, []) if r.approved]
        try:
            due = workdays.add(policy.published, n)
        except workdays.BeyondCalendar:
            due = None
        if not interps:
            _interpretation_missing(run, policy, n, due, source, link)
            continue
        first = min(interps, key=lambda r: r.published)
        try:
            elapsed = workdays.between(policy.published, first.published)
        except workdays.BeyondCalendar as exc:
            calendar_range(run, exc, f"解读《{first.title}》的时限", first)
            continue
        if elapsed > n:
            run.add("interpretation_deadline", "late",
                    f"解读晚于政策 {elapsed - n} 个工作日：政策 {policy.published} 发布，解读应在 {due} 前发布，"
                    f"实际 {first.published}。", first, due=due, date=first.published,
                    late_working_days=elapsed - n)
        else:
            run.add("interpretation_deadline", "ontime",
                    f"解读在政策发布后第 {elapsed} 个工作日内发布（时限 {n} 个工作日）。", first,
                    due=due, date=first.published)


def _interpretation_missing(run: Run, policy, n: int, due, source, link):
    """A policy with no approved 解读 yet: late once its n working days have passed."""
    try:
        elapsed = workdays.between(policy.published, run.as_of)
    except workdays.BeyondCalendar as exc:
        calendar_range(run, exc, f"政策《{policy.title}》的解读时限", policy)
        return
    if elapsed > n:
        run.add("interpretation_deadline", "missing",
                f"政策《{policy.title}》{policy.published} 发布，解读应在 {n} 个工作日内"
                f"（{due} 前）发布，至 {run.as_of} 仍没有解读，已超过 {elapsed - n} 个工作日。"
                f"请在 site_data/{source.id}/ 新增解读，{link.field} 写 {policy.index_no}。",
                policy, due=due, late_working_days=elapsed - n,
                public=f"政策《{policy.title}》{policy.published} 发布，解读应在 {n} 个工作日内"
                       f"（{due} 前）发布，至 {run.as_of} 仍没有解读，已超过 {elapsed - n} 个工作日。")
    else:
        run.add("interpretation_deadline", "ontime",
                f"政策《{policy.title}》的解读尚在 {n} 个工作日的时限内"
                f"{f'（{due} 前）' if due else ''}。", policy, due=due)


def publish_deadline(run: Run):
    if not run.enabled("publish_deadline"):
        return
    for r in run.site.records:
        if not r.approved:
            continue
        n = deadline(r.kind, run.rules)
        try:
            elapsed = workdays.between(r.written, r.published)
            due = workdays.add(r.written, n)
        except workdays.BeyondCalendar as exc:
            calendar_range(run, exc, f"《{r.title}》的公开时限", r)
            continue
        if elapsed > n:
            run.add("publish_deadline", "late",
                    f"发布晚于时限 {elapsed - n} 个工作日：{r.written} 形成，应在 {n} 个工作日内"
                    f"（{due} 前）公开，实际 {r.published} 发布。", r, due=due, date=r.published,
                    late_working_days=elapsed - n)
        else:
            run.add("publish_deadline", "ontime",
                    f"形成后第 {elapsed} 个工作日发布（时限 {n} 个工作日）。", r, due=due,
                    date=r.published)


def pending_overdue(run: Run):
    if not run.enabled("pending_overdue"):
        return
    for r in run.site.records:
        if r.approved or r.data.get("review", {}).get("status") != "待审核":
            continue
        n = deadline(r.kind, run.rules)
        # A change restarts the clock: art. 26 counts from formation or change.
        start = max(r.written, dt.date.fromisoformat(r.data["updated"])) if r.data.get("updated") \
            else r.written
        try:
            elapsed = workdays.between(start, run.as_of)
            due = workdays.add(start, n)
        except workdays.BeyondCalendar as exc:
            calendar_range(run, exc, f"待审核的《{r.title}》的公开时限", r, path=("review", "status"))
            continue
        if elapsed > n:
            run.add("pending_overdue", "late",
                    f"《{r.title}》{start} 形成或变更，至 {run.as_of} 仍待审核未发布，"
                    f"已超过 {n} 个工作日的时限 {elapsed - n} 个工作日（应在 {due} 前公开）。"
                    f"请尽快完成保密审查。", r, path=("review", "status"), due=due,
                    late_working_days=elapsed - n)


def freshness(run: Run):
    if not run.enabled("freshness"):
        return
    for kind in run.site.kinds.values():
        spec = FRESHNESS.get(kind.freshness)
        if spec is None:
            continue
        columns = [kind.column] if kind.column != "*" else \
            sorted({r.column_id for r in run.approved_records if r.kind.id == kind.id})
        for cid in columns:
            if cid not in run.site.columns:
                continue
            records = [r for r in run.approved_records if r.kind.id == kind.id and r.column_id == cid]
            if kind.period and any(periods.valid(r.period) for r in records):
                _freshness_by_period(run, kind, cid, records, spec)
            else:
                _freshness_by_date(run, kind, cid, records, spec)


def _freshness_by_period(run: Run, kind, cid, records, spec):
    token, months, word = spec
    n = deadline(kind, run.rules)
    latest_end = max(periods.bounds(r.period)[1] for r in records if periods.valid(r.period))
    latest = max((r for r in records if periods.valid(r.period)), key=lambda r: periods.sort_key(r.period))
    # The newest period whose data is already due: it ended, and its deadline passed.
    candidate = _period_containing(run.as_of, token)
    for _ in range(40):
        candidate = _previous_period(candidate)
        end = periods.bounds(candidate)[1]
        try:
            due = workdays.add(end, n)
        except workdays.BeyondCalendar as exc:
            calendar_range(run, exc, f"{kind.name}（{run.site.columns[cid].name}）的更新时限",
                           column=cid, kind=kind.id, where=(f"schemas/{kind.id}.schema.json", 1, 1))
            return
        if due < run.as_of:
            break
    else:
        return
    if latest_end >= end:
        run.add("freshness", "ontime",
                f"{kind.name}已更新到{latest.period_label}（{word}更新）。", column=cid, kind=kind.id,
                period=latest.period, date=max(r.updated for r in records),
                where=(f"schemas/{kind.id}.schema.json", 1, 1))
        return
    try:
        late = workdays.between(due, run.as_of)
    except workdays.BeyondCalendar as exc:
        calendar_range(run, exc, f"{kind.name}（{run.site.columns[cid].name}）的更新时限",
                       column=cid, kind=kind.id, where=(f"schemas/{kind.id}.schema.json", 1, 1))
        return
    run.add("freshness", "stale",
            f"{kind.name}应{word}更新：{periods.label(candidate)}的数据应在 {due} 前发布，"
            f"最新只有{latest.period_label}，已超过 {late} 个工作日。请在 site_data/{kind.id}/ "
            f"新增 period: {candidate} 的记录。", column=cid, kind=kind.id, period=candidate, due=due,
            late_working_days=late, where=_at(latest, ("period",))).record = latest


def _freshness_by_date(run: Run, kind, cid, records, spec):
    _, months, word = spec
    where = (f"site_data/{kind.id}", 1, 1)
    if not records:
        run.add("freshness", "stale",
                f"{kind.name}应{word}更新，但{run.site.columns[cid].name}专栏还没有发布过这类信息。",
                column=cid, kind=kind.id, where=where)
        return
    newest = max(records, key=lambda r: (r.updated, r.index_no))
    last = newest.updated
    where = _at(newest, ("updated",) if newest.data.get("updated") else ("published",))
    due = _add_months(last, months)
    if run.as_of > due:
        run.add("freshness", "stale",
                f"{kind.name}应{word}更新，最近一次更新是 {last}，应在 {due} 前再次更新，"
                f"已超过 {(run.as_of - due).days} 天。", column=cid, kind=kind.id, due=due, date=last,
                overdue_days=(run.as_of - due).days, where=where).record = newest
    else:
        run.add("freshness", "ontime", f"{kind.name}最近一次更新是 {last}（{word}更新）。",
                column=cid, kind=kind.id, date=last, where=where)


def completeness(run: Run):
    if not run.enabled("completeness"):
        return
    level = run.rules["completeness"][1].get("region_level") or ""
    for kind in run.site.kinds.values():
        by_column: dict = {}
        for r in run.approved_records:
            if r.kind.id == kind.id:
                by_column.setdefault(r.column_id, []).append(r)
        if kind.category_items:
            _completeness_by_category(run, kind, by_column)
            continue
        # Items the schema requires cannot be missing from a valid record: only the
        # others (directory elements, x-kind.required_items) need looking at.
        items = [(path, label) for path, label in required_items(kind)
                 if not _schema_requires(kind.schema, path)]
        for cid, records in by_column.items():
            # A required element is due once per region (and period): for kinds whose
            # records each cover one aspect (公告公示), any record of the group may carry it.
            groups: dict = {}
            for r in records:
                groups.setdefault((r.region_code, r.period if kind.period else None), []).append(r)
            for group in groups.values():
                newest = max(group, key=lambda r: (r.updated, r.index_no))
                for path, label in items:
                    if all(get_path(r.data, path) in (None, "", []) for r in group):
                        where = "" if len(group) == 1 else \
                            f"{newest.region_name}的 {len(group)} 条{kind.name}都没有写。"
                        run.add("completeness", "missing",
                                f"缺少必须公开的要素“{label}”（字段 {path}）。{where}", newest,
                                path=tuple(path.split(".")[:1]),
                                public=f"缺少必须公开的要素“{label}”。{where}")
            if kind.period:
                _completeness_coverage(run, kind, cid, records, level)


def _completeness_by_category(run: Run, kind, by_column: dict):
    """Each record is one category of notice (资金安排, 防止返贫监测帮扶 …): it owes
    what its own category carries, not every element of the kind."""
    for records in by_column.values():
        for r in records:
            for path, label in category_items(kind, r.data):
                if get_path(r.data, path) in (None, "", []):
                    run.add("completeness", "missing",
                            f"{r.data.get(kind.category_items.get('field', 'category'))}类的"
                            f"{kind.name}要公开“{label}”（字段 {path}），这一条没有写。", r,
                            path=tuple(path.split(".")[:1]))


def _completeness_coverage(run: Run, kind, cid, records, level):
    """Every region (of the configured level) and every period between a kind's first and
    last published ones has its record."""
    by_token: dict = {}
    for r in records:
        if periods.valid(r.period):
            by_token.setdefault(_token(r.period), []).append(r)
    drafts = {(r.region_code, r.period) for r in run.site.records
              if r.kind.id == kind.id and not r.approved}
    for token, group in by_token.items():
        have = {(r.region_code, r.period) for r in group}
        regions = {r.region_code: r.region_name for r in group}
        if level:
            regions.update({c: reg.name for c, reg in run.site.regions.items() if reg.level == level})
        first = min(group, key=lambda r: periods.sort_key(r.period)).period
        last = max(group, key=lambda r: periods.sort_key(r.period)).period
        span, p = [], first
        while periods.sort_key(p) <= periods.sort_key(last) and len(span) < 400:
            span.append(p)
            p = _next_period(p)
        for code in sorted(regions):
            for p in span:
                if (code, p) in have:
                    continue
                hint = "（有一条待审核的记录，审核通过后即可发布）" if (code, p) in drafts else \
                    f"请新增记录：region.code 写 {code}，period 写 {p}。"
                run.add("completeness", "missing",
                        f"{regions[code]}缺少{periods.label(p)}的{kind.name}。{hint}",
                        column=cid, region=(code, regions[code]), kind=kind.id, period=p,
                        where=(f"site_data/{kind.id}", 1, 1),
                        public=f"{regions[code]}缺少{periods.label(p)}的{kind.name}。")


def integrity(run: Run):
    if not run.enabled("integrity"):
        return
    from ..model.validate import attachment_problem

    for r in run.approved_records:
        for key in ("publisher", "lead_dept"):
            if not str(r.data.get(key) or "").strip():
                run.add("integrity", "problem", f"没有写{r.kind.label(key)}（{key}）。", r, path=(key,))
        _integrity_links(run, r)
        for i, att in enumerate(r.data.get("attachments", [])):
            message = attachment_problem(run.site.root, att["file"])
            if message:
                run.add("integrity", "problem", message, r, path=("attachments", i, "file"))


def _integrity_links(run: Run, r):
    """Links declared in x-kind.links (政策 ↔ 解读, 政策 ↔ 回应关切) open only when both ends
    are published: this record's own links, then the links other kinds hold back to it."""
    for link in r.kind.links:
        target = r.links.get(link.field)
        if target is not None and not target.approved:
            run.add("integrity", "problem",
                    f"{r.kind.name}对应的{target.kind.name}《{target.title}》（{target.doc.rel}）还没有通过审核，"
                    f"不能发布，本页上的链接会打不开。请先发布{target.kind.name}，或把本条的 review.status 改为 待审核。",
                    r, path=(link.field,),
                    public=f"{r.kind.name}对应的{target.kind.name}尚未发布，页面上的链接打不开。")
    for kind in run.site.kinds.values():
        for link in kind.links:
            if link.kind != r.kind.id:
                continue
            for other in r.links.get(link.back, []):
                if not other.approved:
                    run.add("integrity", "problem",
                            f"本条的{kind.name}《{other.title}》（{other.doc.rel}）还没有通过审核，本页上指向它的链接"
                            f"会打不开。请完成审核，或暂缓发布。", r, path=("index_no",),
                            public=f"一条{kind.name}尚未发布，本页上指向它的链接打不开。")


def empty_column(run: Run):
    if not run.enabled("empty_column"):
        return
    filled = {r.column_id for r in run.approved_records}
    empty = [cid for cid in run.site.columns if cid not in filled]
    veto = int(run.rules["empty_column"][1].get("veto_count") or 5)
    count = (f"全站共 {len(empty)} 个空白栏目，达到检查指标单项否决的 {veto} 个。" if len(empty) >= veto
             else f"全站共 {len(empty)} 个空白栏目（达到 {veto} 个即单项否决）。")
    for cid in empty:
        column = run.site.columns[cid]
        run.add("empty_column", "missing",
                f"专栏“{column.name}”没有任何已发布的信息（空白栏目）。{count}"
                f"请发布内容，或从 site.yaml 删除这个专栏。",
                column=cid, where=column.where)


def column_stale(run: Run):
    if not run.enabled("column_stale"):
        return
    limits = run.rules["column_stale"][1].get("max_days") or {}
    by_column: dict = {}
    for r in run.approved_records:
        by_column.setdefault(r.column_id, []).append(r)
    for cid, column in run.site.columns.items():
        records = by_column.get(cid)
        if not records:
            continue  # an empty column: empty_column's
        cls = _column_class(run.site, cid)
        limit = int(limits.get(cls, UPDATE_CLASSES.get(cls, UPDATE_CLASSES[DEFAULT_UPDATE_CLASS])))
        last = max(r.updated for r in records)
        idle = (run.as_of - last).days
        if idle > limit:
            run.add("column_stale", "stale",
                    f"专栏“{column.name}”（{cls}类）最近一次更新是 {last}，已 {idle} 天未更新，"
                    f"超过 {limit} 天的要求。", column=cid, date=last, overdue_days=idle - limit,
                    where=column.where)
        else:
            run.add("column_stale", "ontime",
                    f"专栏“{column.name}”最近一次更新是 {last}（{cls}类，{limit} 天内须更新）。",
                    column=cid, date=last, where=column.where)


def notice_period(run: Run):
    """A 公示 must run for the working days its kind declares per list type
    (x-kind.notice_working_days, e.g. 初审对象名单: 7), counted like other deadlines."""
    if not run.enabled("notice_period"):
        return
    for r in run.approved_records:
        wanted = r.kind.notice_working_days
        days = wanted.get(str(r.data.get("list_type", "")))
        period = r.data.get("notice_period") or {}
        if not days or not period.get("start") or not period.get("end"):
            continue
        start, end = dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])
        try:
            # The first day of posting counts: a 7-day notice from Monday ends on Tuesday week.
            length = workdays.between(start - dt.timedelta(days=1), end)
            last = workdays.add(start - dt.timedelta(days=1), days)
        except workdays.BeyondCalendar as exc:
            calendar_range(run, exc, f"《{r.title}》的公示期", r)
            continue
        if length < days:
            run.add("notice_period", "problem",
                    f"{r.data['list_type']}要公示 {days} 个工作日，现在 {start} 至 {end} 只有 {length} 个工作日。"
                    f"请把 notice_period.end 改为 {last} 或更晚。", r, path=("notice_period", "end"))


def annual_report_deadline(run: Run):
    """A kind with `x-kind.yearly_due` (the 年度报告) publishes its report on year Y by a
    day of Y+1 that depends on who the office is (site.yaml office.report_role): a
    department by 31 January, a government's own report by 31 March (条例 art. 49)."""
    if not run.enabled("annual_report_deadline"):
        return
    role = ((run.site.config or {}).get("office") or {}).get("report_role") or "部门"
    who = "本级政府" if role == "政府" else "本部门"
    for kind in run.site.kinds.values():
        month_day = (kind.yearly_due).get(role)
        if not month_day or kind.column not in run.site.columns:
            continue
        month, day = (int(x) for x in month_day.split("-"))
        first: dict = {}
        for r in run.approved_records:
            if r.kind.id == kind.id and periods.valid(r.period or "") and len(r.period) == 4:
                year = int(r.period)
                if year not in first or (r.published, r.index_no) < (first[year].published, first[year].index_no):
                    first[year] = r
        for year, r in sorted(first.items()):
            due = dt.date(year + 1, month, day)
            if r.published > due:
                late = (r.published - due).days
                run.add("annual_report_deadline", "late",
                        f"{year}年{kind.name}应在 {due} 前公布（{who}），实际 {r.published} 发布，晚了 {late} 天。",
                        r, due=due, date=r.published, overdue_days=late, period=r.period)
            else:
                run.add("annual_report_deadline", "ontime",
                        f"{year}年{kind.name}于 {r.published} 公布，在 {due} 的时限内（{who}）。",
                        r, due=due, date=r.published, period=r.period)
        # A site with no report at all has an empty column, which empty_column reports.
        if first:
            _annual_reports_missing(run, kind, first, month, day, who)


def _annual_reports_missing(run: Run, kind, first: dict, month: int, day: int, who: str):
    """Every year from the first report on this site to the newest whose deadline has
    passed must have its report."""
    as_of = run.as_of
    latest = as_of.year - 1 if as_of > dt.date(as_of.year, month, day) else as_of.year - 2
    for year in range(min(first), latest + 1):
        if year in first:
            continue
        due = dt.date(year + 1, month, day)
        run.add("annual_report_deadline", "missing",
                f"{year}年{kind.name}应在 {due} 前公布（{who}），至 {as_of} 还没有发布，已超过 "
                f"{(as_of - due).days} 天。请在 site_data/{kind.id}/ 新增 period: \"{year}\" 的报告。",
                column=kind.column, kind=kind.id, period=str(year), due=due,
                overdue_days=(as_of - due).days, where=(f"site_data/{kind.id}", 1, 1),
                public=f"{year}年{kind.name}应在 {due} 前公布，至 {as_of} 尚未发布。")


def calendar_range(run: Run, exc: workdays.BeyondCalendar, what: str, record=None, **kw):
    """Not run on its own: a rule that counts working days from a date beyond the holiday
    table gives no verdict for it, and reports that here instead."""
    run.add("calendar_range", "problem", f"{what}：{exc.message()}", record=record,
            public=kw.pop("public", None) or f"{what}：日期 {exc.day.isoformat()} 超出已公布的节假日安排，"
            "暂无法按工作日判定。", **kw)


# Rule id → the function that checks it, in the order of RULES (the rule list of the report
# page and of `generator check`); calendar_range is reported by the others, see above.
CHECKS = {
    "interpretation_deadline": interpretation_deadline,
    "publish_deadline": publish_deadline,
    "pending_overdue": pending_overdue,
    "freshness": freshness,
    "completeness": completeness,
    "integrity": integrity,
    "empty_column": empty_column,
    "column_stale": column_stale,
    "notice_period": notice_period,
    "annual_report_deadline": annual_report_deadline,
}

# The order the JSON report has always listed findings in, which is not that of RULES: rules
# that each look at one record (or one column) at a time are listed as one block in the
# order of the records (columns), so that a record's findings stay together.
REPORT_ORDER = (("interpretation_deadline",), ("publish_deadline", "pending_overdue"), ("freshness",),
                ("completeness",), ("notice_period",), ("integrity",), ("empty_column", "column_stale"),
                ("annual_report_deadline",))


def run_rules(site, as_of: dt.date, rules: dict) -> list[Finding]:
    """Every rule in CHECKS over the site as of a date; the findings in REPORT_ORDER."""
    run = Run(site, as_of, rules)
    by_rule = {}
    for rid, check in CHECKS.items():
        run.findings = by_rule[rid] = []
        check(run)
    records = {id(r): i for i, r in enumerate(site.records)}
    columns = {cid: i for i, cid in enumerate(site.columns)}
    out: list[Finding] = []
    for block in REPORT_ORDER:
        found = [f for rid in block for f in by_rule[rid]]
        if len(block) > 1:
            found.sort(key=lambda f: records[id(f.record)] if f.record is not None else columns[f.column])
        out += found
    return out


def category_items(kind, data: dict) -> list[tuple[str, str]]:
    """(path, label) a record owes by its category: `x-kind.category_items` is
    {"field": "category", "items": {"资金安排": ["funds"], …}}."""
    spec = kind.category_items or {}
    value = data.get(spec.get("field", "category"))
    paths = (spec.get("items") or {}).get(value, [])
    return [(path, _schema_title(kind.schema, path) or path) for path in paths]


def required_items(kind) -> list[tuple[str, str]]:
    """(path, label) of what every record of a kind must show: dataset fields the schema
    requires, schema fields a required standard-directory element names, and
    `x-kind.required_items`."""
    items: dict[str, str] = {}
    for f in kind.fields:
        if _schema_requires(kind.schema, f.path):
            items[f.path] = f.label
    elements = [e.get("name") for e in (kind.directory or {}).get("elements", [])
                if isinstance(e, dict) and e.get("required")]
    titles = {prop.get("title"): key for key, prop in kind.schema.get("properties", {}).items()
              if isinstance(prop, dict)}
    labels = {f.label: f.path for f in kind.fields}
    for name in elements:
        if name in labels:
            items.setdefault(labels[name], name)
        elif name in titles:
            items.setdefault(titles[name], name)
    for path in kind.required_items:
        items.setdefault(path, next((f.label for f in kind.fields if f.path == path), None)
                         or _schema_title(kind.schema, path) or path)
    return list(items.items())


def _schema_title(schema: dict, path: str) -> str:
    node = schema
    for part in path.split("."):
        node = (deref(node, schema).get("properties") or {}).get(part) or {}
    return node.get("title") or deref(node, schema).get("title") or ""


def _schema_requires(schema: dict, path: str) -> bool:
    node = schema
    for part in path.split("."):
        node = deref(node, schema)
        if part not in (node.get("required") or []):
            return False
        node = (node.get("properties") or {}).get(part) or {}
    return True


def _at(record, path: tuple) -> tuple[str, int, int]:
    line, col = record.doc.where(path)
    return (record.doc.rel, line, col)


def _column_class(site, cid) -> str:
    for c in site.config.get("columns", []):
        if c.get("id") == cid:
            return c.get("update_class") or DEFAULT_UPDATE_CLASS
    return DEFAULT_UPDATE_CLASS


# ---------------------------------------------------------------- periods

def _token(period: str) -> str:
    _, _, rest = period.partition("-")
    return rest[:1] if rest[:1] in ("Q", "H") else ("M" if rest else "Y")


def _period_containing(day: dt.date, token: str) -> str:
    if token == "Y":
        return f"{day.year}"
    if token == "H":
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    if token == "Q":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def _previous_period(period: str) -> str:
    start, _ = periods.bounds(period)
    return _period_containing(start - dt.timedelta(days=1), _token(period))


def _next_period(period: str) -> str:
    _, end = periods.bounds(period)
    return _period_containing(end + dt.timedelta(days=1), _token(period))


def _add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)
