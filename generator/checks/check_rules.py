"""Rules of the compliance self-check: what each one finds, at what default level.

check.py runs them and reports; this module only looks at a loaded Site and
returns Findings (on time, late by N working days, missing, stale, problem).
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


# ---------------------------------------------------------------- rules

class Checker:
    """One run of every rule over a site, as of a date; findings accumulate in .findings."""

    def __init__(self, site, as_of: dt.date, rules: dict):
        self.site, self.as_of, self.rules = site, as_of, rules
        self.findings: list[Finding] = []
        self.published = site.published  # computed once: a property over every record

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

    def beyond(self, exc: workdays.BeyondCalendar, what: str, record=None, **kw):
        self.add("calendar_range", "problem", f"{what}：{exc.message()}", record=record,
                 public=kw.pop("public", None) or f"{what}：日期 {exc.day.isoformat()} 超出已公布的节假日安排，"
                 "暂无法按工作日判定。", **kw)

    def enabled(self, rule: str) -> bool:
        return self.rules[rule][0] is not None

    # Rule 1 ------------------------------------------------------------
    def interpretations(self):
        if not self.enabled("interpretation_deadline"):
            return
        n = int(self.rules["interpretation_deadline"][1]["working_days"])
        timed = timed_links(self.site.kinds, "interpretation_deadline")  # 政策 ← 解读, declared in x-kind.links
        for policy in self.published:
            if policy.kind.id not in timed:
                continue
            source, link = timed[policy.kind.id]
            interps = [r for r in policy.links.get(link.back, []) if r.approved]
            try:
                due = workdays.add(policy.published, n)
            except workdays.BeyondCalendar:
                due = None
            if not interps:
                try:
                    elapsed = workdays.between(policy.published, self.as_of)
                except workdays.BeyondCalendar as exc:
                    self.beyond(exc, f"政策《{policy.title}》的解读时限", policy)
                    continue
                if elapsed > n:
                    self.add("interpretation_deadline", "missing",
                             f"政策《{policy.title}》{policy.published} 发布，解读应在 {n} 个工作日内"
                             f"（{due} 前）发布，至 {self.as_of} 仍没有解读，已超过 {elapsed - n} 个工作日。"
                             f"请在 site_data/{source.id}/ 新增解读，{link.field} 写 {policy.index_no}。",
                             policy, due=due, late_working_days=elapsed - n,
                             public=f"政策《{policy.title}》{policy.published} 发布，解读应在 {n} 个工作日内"
                                    f"（{due} 前）发布，至 {self.as_of} 仍没有解读，已超过 {elapsed - n} 个工作日。")
                else:
                    self.add("interpretation_deadline", "ontime",
                             f"政策《{policy.title}》的解读尚在 {n} 个工作日的时限内"
                             f"{f'（{due} 前）' if due else ''}。", policy, due=due)
                continue
            first = min(interps, key=lambda r: r.published)
            try:
                elapsed = workdays.between(policy.published, first.published)
            except workdays.BeyondCalendar as exc:
                self.beyond(exc, f"解读《{first.title}》的时限", first)
                continue
            if elapsed > n:
                self.add("interpretation_deadline", "late",
                         f"解读晚于政策 {elapsed - n} 个工作日：政策 {policy.published} 发布，解读应在 {due} 前发布，"
                         f"实际 {first.published}。", first, due=due, date=first.published,
                         late_working_days=elapsed - n)
            else:
                self.add("interpretation_deadline", "ontime",
                         f"解读在政策发布后第 {elapsed} 个工作日内发布（时限 {n} 个工作日）。", first,
                         due=due, date=first.published)

    # Rule 2 ------------------------------------------------------------
    def deadlines(self):
        on, pending_on = self.enabled("publish_deadline"), self.enabled("pending_overdue")
        for r in self.site.records:
            n = deadline(r.kind, self.rules)
            if r.approved and on:
                try:
                    elapsed = workdays.between(r.written, r.published)
                    due = workdays.add(r.written, n)
                except workdays.BeyondCalendar as exc:
                    self.beyond(exc, f"《{r.title}》的公开时限", r)
                    continue
                if elapsed > n:
                    self.add("publish_deadline", "late",
                             f"发布晚于时限 {elapsed - n} 个工作日：{r.written} 形成，应在 {n} 个工作日内"
                             f"（{due} 前）公开，实际 {r.published} 发布。", r, due=due, date=r.published,
                             late_working_days=elapsed - n)
                else:
                    self.add("publish_deadline", "ontime",
                             f"形成后第 {elapsed} 个工作日发布（时限 {n} 个工作日）。", r, due=due,
                             date=r.published)
            elif not r.approved and pending_on and r.data.get("review", {}).get("status") == "待审核":
                # A change restarts the clock: art. 26 counts from formation or change.
                start = max(r.written, dt.date.fromisoformat(r.data["updated"])) if r.data.get("updated") \
                    else r.written
                try:
                    elapsed = workdays.between(start, self.as_of)
                    due = workdays.add(start, n)
                except workdays.BeyondCalendar as exc:
                    self.beyond(exc, f"待审核的《{r.title}》的公开时限", r, path=("review", "status"))
                    continue
                if elapsed > n:
                    self.add("pending_overdue", "late",
                             f"《{r.title}》{start} 形成或变更，至 {self.as_of} 仍待审核未发布，"
                             f"已超过 {n} 个工作日的时限 {elapsed - n} 个工作日（应在 {due} 前公开）。"
                             f"请尽快完成保密审查。", r, path=("review", "status"), due=due,
                             late_working_days=elapsed - n)

    # Rule 3 ------------------------------------------------------------
    def freshness(self):
        if not self.enabled("freshness"):
            return
        for kind in self.site.kinds.values():
            spec = FRESHNESS.get(kind.freshness)
            if spec is None:
                continue
            columns = [kind.column] if kind.column != "*" else \
                sorted({r.column_id for r in self.published if r.kind.id == kind.id})
            for cid in columns:
                if cid not in self.site.columns:
                    continue
                records = [r for r in self.published if r.kind.id == kind.id and r.column_id == cid]
                if kind.period and any(periods.valid(r.period) for r in records):
                    self._fresh_periods(kind, cid, records, spec)
                else:
                    self._fresh_dates(kind, cid, records, spec)

    def _fresh_periods(self, kind, cid, records, spec):
        token, months, word = spec
        n = deadline(kind, self.rules)
        latest_end = max(periods.bounds(r.period)[1] for r in records if periods.valid(r.period))
        latest = max((r for r in records if periods.valid(r.period)), key=lambda r: periods.sort_key(r.period))
        # The newest period whose data is already due: it ended, and its deadline passed.
        candidate = _period_containing(self.as_of, token)
        for _ in range(40):
            candidate = _previous_period(candidate)
            end = periods.bounds(candidate)[1]
            try:
                due = workdays.add(end, n)
            except workdays.BeyondCalendar as exc:
                self.beyond(exc, f"{kind.name}（{self.site.columns[cid].name}）的更新时限",
                            column=cid, kind=kind.id, where=(f"schemas/{kind.id}.schema.json", 1, 1))
                return
            if due < self.as_of:
                break
        else:
            return
        if latest_end >= end:
            self.add("freshness", "ontime",
                     f"{kind.name}已更新到{latest.period_label}（{word}更新）。", column=cid, kind=kind.id,
                     period=latest.period, date=max(r.updated for r in records),
                     where=(f"schemas/{kind.id}.schema.json", 1, 1))
            return
        try:
            late = workdays.between(due, self.as_of)
        except workdays.BeyondCalendar as exc:
            self.beyond(exc, f"{kind.name}（{self.site.columns[cid].name}）的更新时限",
                        column=cid, kind=kind.id, where=(f"schemas/{kind.id}.schema.json", 1, 1))
            return
        self.add("freshness", "stale",
                 f"{kind.name}应{word}更新：{periods.label(candidate)}的数据应在 {due} 前发布，"
                 f"最新只有{latest.period_label}，已超过 {late} 个工作日。请在 site_data/{kind.id}/ "
                 f"新增 period: {candidate} 的记录。", column=cid, kind=kind.id, period=candidate, due=due,
                 late_working_days=late, where=_at(latest, ("period",))).record = latest

    def _fresh_dates(self, kind, cid, records, spec):
        _, months, word = spec
        where = (f"site_data/{kind.id}", 1, 1)
        if not records:
            self.add("freshness", "stale",
                     f"{kind.name}应{word}更新，但{self.site.columns[cid].name}专栏还没有发布过这类信息。",
                     column=cid, kind=kind.id, where=where)
            return
        newest = max(records, key=lambda r: (r.updated, r.index_no))
        last = newest.updated
        where = _at(newest, ("updated",) if newest.data.get("updated") else ("published",))
        due = _add_months(last, months)
        if self.as_of > due:
            self.add("freshness", "stale",
                     f"{kind.name}应{word}更新，最近一次更新是 {last}，应在 {due} 前再次更新，"
                     f"已超过 {(self.as_of - due).days} 天。", column=cid, kind=kind.id, due=due, date=last,
                     overdue_days=(self.as_of - due).days, where=where).record = newest
        else:
            self.add("freshness", "ontime", f"{kind.name}最近一次更新是 {last}（{word}更新）。",
                     column=cid, kind=kind.id, date=last, where=where)

    # Rule 4 ------------------------------------------------------------
    def completeness(self):
        if not self.enabled("completeness"):
            return
        level = self.rules["completeness"][1].get("region_level") or ""
        for kind in self.site.kinds.values():
            # Items the schema requires cannot be missing from a valid record: only the
            # others (directory elements, x-kind.required_items) need looking at.
            items = [(path, label) for path, label in required_items(kind)
                     if not _schema_requires(kind.schema, path)]
            by_column: dict = {}
            for r in self.published:
                if r.kind.id == kind.id:
                    by_column.setdefault(r.column_id, []).append(r)
            if kind.category_items:
                # Each record is one category of notice (资金安排, 防止返贫监测帮扶 …): it owes
                # what its own category carries, not every element of the kind.
                for records in by_column.values():
                    for r in records:
                        for path, label in category_items(kind, r.data):
                            if get_path(r.data, path) in (None, "", []):
                                self.add("completeness", "missing",
                                         f"{r.data.get(kind.category_items.get('field', 'category'))}类的"
                                         f"{kind.name}要公开“{label}”（字段 {path}），这一条没有写。", r,
                                         path=tuple(path.split(".")[:1]))
                continue
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
                            self.add("completeness", "missing",
                                     f"缺少必须公开的要素“{label}”（字段 {path}）。{where}", newest,
                                     path=tuple(path.split(".")[:1]),
                                     public=f"缺少必须公开的要素“{label}”。{where}")
                if kind.period:
                    self._coverage(kind, cid, records, level)

    def _coverage(self, kind, cid, records, level):
        by_token: dict = {}
        for r in records:
            if periods.valid(r.period):
                by_token.setdefault(_token(r.period), []).append(r)
        drafts = {(r.region_code, r.period) for r in self.site.records
                  if r.kind.id == kind.id and not r.approved}
        for token, group in by_token.items():
            have = {(r.region_code, r.period) for r in group}
            regions = {r.region_code: r.region_name for r in group}
            if level:
                regions.update({c: reg.name for c, reg in self.site.regions.items() if reg.level == level})
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
                    self.add("completeness", "missing",
                             f"{regions[code]}缺少{periods.label(p)}的{kind.name}。{hint}",
                             column=cid, region=(code, regions[code]), kind=kind.id, period=p,
                             where=(f"site_data/{kind.id}", 1, 1),
                             public=f"{regions[code]}缺少{periods.label(p)}的{kind.name}。")

    # Rule 5 ------------------------------------------------------------
    # 公示期 ------------------------------------------------------------
    def notice_periods(self):
        """A 公示 must run for the working days its kind declares per list type
        (x-kind.notice_working_days, e.g. 初审对象名单: 7), counted like other deadlines."""
        if not self.enabled("notice_period"):
            return
        for r in self.published:
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
                self.beyond(exc, f"《{r.title}》的公示期", r)
                continue
            if length < days:
                self.add("notice_period", "problem",
                         f"{r.data['list_type']}要公示 {days} 个工作日，现在 {start} 至 {end} 只有 {length} 个工作日。"
                         f"请把 notice_period.end 改为 {last} 或更晚。", r, path=("notice_period", "end"))

    def integrity(self):
        if not self.enabled("integrity"):
            return
        from ..model.validate import attachment_problem

        for r in self.published:
            for key in ("publisher", "lead_dept"):
                if not str(r.data.get(key) or "").strip():
                    self.add("integrity", "problem", f"没有写{r.kind.label(key)}（{key}）。", r, path=(key,))
            # Links declared in x-kind.links (政策 ↔ 解读, 政策 ↔ 回应关切) open only when both ends are published.
            for link in r.kind.links:
                target = r.links.get(link.field)
                if target is not None and not target.approved:
                    self.add("integrity", "problem",
                             f"{r.kind.name}对应的{target.kind.name}《{target.title}》（{target.doc.rel}）还没有通过审核，"
                             f"不能发布，本页上的链接会打不开。请先发布{target.kind.name}，或把本条的 review.status 改为 待审核。",
                             r, path=(link.field,),
                             public=f"{r.kind.name}对应的{target.kind.name}尚未发布，页面上的链接打不开。")
            for kind in self.site.kinds.values():
                for link in kind.links:
                    if link.kind != r.kind.id:
                        continue
                    for other in r.links.get(link.back, []):
                        if not other.approved:
                            self.add("integrity", "problem",
                                     f"本条的{kind.name}《{other.title}》（{other.doc.rel}）还没有通过审核，本页上指向它的链接"
                                     f"会打不开。请完成审核，或暂缓发布。", r, path=("index_no",),
                                     public=f"一条{kind.name}尚未发布，本页上指向它的链接打不开。")
            for i, att in enumerate(r.data.get("attachments", [])):
                message = attachment_problem(self.site.root, att["file"])
                if message:
                    self.add("integrity", "problem", message, r, path=("attachments", i, "file"))

    # 年度报告 ----------------------------------------------------------
    def yearly_reports(self):
        """A kind with `x-kind.yearly_due` (the 年度报告) publishes its report on year Y by a
        day of Y+1 that depends on who the office is (site.yaml office.report_role): a
        department by 31 January, a government's own report by 31 March (条例 art. 49)."""
        if not self.enabled("annual_report_deadline"):
            return
        role = ((self.site.config or {}).get("office") or {}).get("report_role") or "部门"
        for kind in self.site.kinds.values():
            spec = kind.yearly_due
            month_day = spec.get(role)
            if not month_day or kind.column not in self.site.columns:
                continue
            month, day = (int(x) for x in month_day.split("-"))
            records = [r for r in self.published if r.kind.id == kind.id and periods.valid(r.period or "")
                       and len(r.period) == 4]
            first: dict = {}
            for r in records:
                year = int(r.period)
                if year not in first or (r.published, r.index_no) < (first[year].published, first[year].index_no):
                    first[year] = r
            who = "本级政府" if role == "政府" else "本部门"
            for year, r in sorted(first.items()):
                due = dt.date(year + 1, month, day)
                if r.published > due:
                    late = (r.published - due).days
                    self.add("annual_report_deadline", "late",
                             f"{year}年{kind.name}应在 {due} 前公布（{who}），实际 {r.published} 发布，晚了 {late} 天。",
                             r, due=due, date=r.published, overdue_days=late, period=r.period)
                else:
                    self.add("annual_report_deadline", "ontime",
                             f"{year}年{kind.name}于 {r.published} 公布，在 {due} 的时限内（{who}）。",
                             r, due=due, date=r.published, period=r.period)
            # Every year from the first report on this site to the newest whose deadline has
            # passed must have its report. A site with none at all is an empty column, which
            # empty_column reports.
            if not first:
                continue
            latest = self.as_of.year - 1 if self.as_of > dt.date(self.as_of.year, month, day) else self.as_of.year - 2
            for year in range(min(first), latest + 1):
                if year in first:
                    continue
                due = dt.date(year + 1, month, day)
                self.add("annual_report_deadline", "missing",
                         f"{year}年{kind.name}应在 {due} 前公布（{who}），至 {self.as_of} 还没有发布，已超过 "
                         f"{(self.as_of - due).days} 天。请在 site_data/{kind.id}/ 新增 period: \"{year}\" 的报告。",
                         column=kind.column, kind=kind.id, period=str(year), due=due,
                         overdue_days=(self.as_of - due).days, where=(f"site_data/{kind.id}", 1, 1),
                         public=f"{year}年{kind.name}应在 {due} 前公布，至 {self.as_of} 尚未发布。")

    # Rule 6 ------------------------------------------------------------
    def columns(self):
        doc_marks = _column_marks(self.site)
        limits = self.rules["column_stale"][1].get("max_days") or {}
        by_column: dict = {}
        for r in self.published:
            by_column.setdefault(r.column_id, []).append(r)
        empty = [cid for cid in self.site.columns if not by_column.get(cid)]
        veto = int(self.rules["empty_column"][1].get("veto_count") or 5)
        for cid, column in self.site.columns.items():
            records = by_column.get(cid, [])
            where = doc_marks.get(cid, ("site_data/site.yaml", 1, 1))
            if not records:
                if self.enabled("empty_column"):
                    count = (f"全站共 {len(empty)} 个空白栏目，达到检查指标单项否决的 {veto} 个。" if len(empty) >= veto
                             else f"全站共 {len(empty)} 个空白栏目（达到 {veto} 个即单项否决）。")
                    self.add("empty_column", "missing",
                             f"专栏“{column.name}”没有任何已发布的信息（空白栏目）。{count}"
                             f"请发布内容，或从 site.yaml 删除这个专栏。",
                             column=cid, where=where)
                continue
            if not self.enabled("column_stale"):
                continue
            cls = _column_class(self.site, cid)
            limit = int(limits.get(cls, UPDATE_CLASSES.get(cls, UPDATE_CLASSES[DEFAULT_UPDATE_CLASS])))
            last = max(r.updated for r in records)
            idle = (self.as_of - last).days
            if idle > limit:
                self.add("column_stale", "stale",
                         f"专栏“{column.name}”（{cls}类）最近一次更新是 {last}，已 {idle} 天未更新，"
                         f"超过 {limit} 天的要求。", column=cid, date=last, overdue_days=idle - limit,
                         where=where)
            else:
                self.add("column_stale", "ontime",
                         f"专栏“{column.name}”最近一次更新是 {last}（{cls}类，{limit} 天内须更新）。",
                         column=cid, date=last, where=where)


def category_items(kind, data: dict) -> list[tuple[str, str]]:
    """(path, label) a record owes by its category: `x-kind.category_items` is
    {"field": "category", "items": {"资金安排": ["funds"], …}}."""
    spec = kind.category_items
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


def _column_marks(site) -> dict:
    from ..model import load

    out = {}
    path = site.root / "site_data" / "site.yaml"
    doc, problems = load.load_file(path, "site_data/site.yaml")
    if problems or not isinstance(doc.data, dict):
        return out
    for i, c in enumerate(doc.data.get("columns") or []):
        if isinstance(c, dict):
            line, col = doc.where(("columns", i, "id"))
            out[c.get("id")] = ("site_data/site.yaml", line, col)
    return out


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
