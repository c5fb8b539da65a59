"""Validity in time of bodies, categories, kinds and legal bases.

Rules change: 医疗救助 moved from 民政 to 医疗保障 in the 2018 reform, poverty
exit ended in 2020, 危房改造 targets were redefined in 2021. A record keeps
the wording of its own date, so a 2016 record may say 扶贫办 while a 2026 one
may not. The rules are data:

- `schemas/wording.yaml`: terms (bodies, categories, other wording) with the
  dates they were in use, where to look for them, what to write instead and
  the source;
- `x-kind.valid: {"from": …, "until": …, "instead": …, "source": …}` in a kind's
  schema: the dates records of the kind can carry at all.

`record_problems` judges one record by its 发布日期 (a page is read with the
wording of the day it went up). Every problem carries the file:line:col of
the value and what to type instead.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import load
from ..problems import Problem

WORDING_FILE = "schemas/wording.yaml"
TYPES = {"body": "机构名称", "category": "类别", "term": "用语", "basis": "公开依据"}


@dataclass(frozen=True)
class Entry:
    term: str
    type: str
    match: str = "contains"
    kinds: tuple = ()
    fields: tuple = ()
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    instead: str = ""
    source: str = ""
    line: int = 1

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and \
            (self.valid_until is None or day <= self.valid_until)

    def window(self) -> str:
        if self.valid_from and self.valid_until:
            return f"{self.valid_from} 至 {self.valid_until}"
        if self.valid_from:
            return f"{self.valid_from} 起"
        if self.valid_until:
            return f"{self.valid_until} 及以前"
        return "不限"


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def load_entries(root: Path) -> tuple[list[Entry], list[Problem]]:
    path = Path(root) / WORDING_FILE
    if not path.exists():
        return [], []
    doc, problems = load.load_file(path, WORDING_FILE)
    if problems:
        return [], problems
    items = doc.data.get("entries") if isinstance(doc.data, dict) else None
    if not isinstance(items, list):
        return [], [Problem(WORDING_FILE, 1, 1, "用语清单应有 entries: 列表，每项写 term、type 和有效期。")]
    out = []
    for i, item in enumerate(items):
        line, col = doc.where(("entries", i))
        if not isinstance(item, dict) or not str(item.get("term") or "").strip():
            problems.append(Problem(WORDING_FILE, line, col, "每项都要写 term（用语）。"))
            continue
        if item.get("type") not in TYPES:
            problems.append(Problem(WORDING_FILE, line, col,
                                    f"type 应为 {'、'.join(TYPES)} 之一（{'、'.join(TYPES.values())}）。"))
            continue
        if item.get("match", "contains") not in ("contains", "exact"):
            problems.append(Problem(WORDING_FILE, line, col, "match 应为 contains 或 exact。"))
            continue
        try:
            start, end = _date(item.get("from")), _date(item.get("until"))
        except ValueError:
            problems.append(Problem(WORDING_FILE, line, col, "from、until 应写成 2021-12-31 这样的日期。"))
            continue
        if not str(item.get("source") or "").strip():
            problems.append(Problem(WORDING_FILE, line, col, f"“{item['term']}”没有写出处（source）。"))
            continue
        out.append(Entry(term=str(item["term"]), type=item["type"], match=item.get("match", "contains"),
                         kinds=tuple(item.get("kinds") or ()), fields=tuple(item.get("fields") or ()),
                         valid_from=start, valid_until=end, instead=str(item.get("instead") or ""),
                         source=" ".join(str(item["source"]).split()), line=line))
    # "同“扶贫开发办公室”。" refers to another entry's source: show the source itself to the editor.
    sources = {e.term: e.source for e in out if not e.source.startswith("同“")}
    for i, e in enumerate(out):
        if e.source.startswith("同“") and "”" in e.source:
            ref = e.source[2:e.source.index("”")]
            rest = e.source[e.source.index("”") + 1:].lstrip("：:。")
            if ref in sources:
                out[i] = dataclasses.replace(e, source=sources[ref] + (f" {rest}" if rest else ""))
    return out, problems


def kind_window(kind) -> tuple[dt.date | None, dt.date | None, dict]:
    spec = kind.valid or {}
    return _date(spec.get("from")), _date(spec.get("until")), spec


def kind_problems(kinds) -> list[Problem]:
    """A malformed x-kind.valid is the developer's to fix, reported on the schema."""
    out = []
    for kind in kinds.values():
        spec = kind.valid
        if spec is None:
            continue
        try:
            if not isinstance(spec, dict):
                raise ValueError
            kind_window(kind)
        except ValueError:
            out.append(Problem(f"schemas/{kind.id}.schema.json", 1, 1,
                               f"类别“{kind.name}”的 x-kind.valid 应为 {{\"from\": \"2021-01-01\", \"until\": "
                               f"\"2025-12-31\", \"instead\": \"…\", \"source\": \"…\"}}，日期写成 YYYY-MM-DD。"))
    return out


def _strings(value, path=()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, path + (i,))


def _pattern(path: tuple) -> str:
    return ".".join("*" if isinstance(p, int) else str(p) for p in path)


# Fields that identify a record rather than say something in it.
_SKIP = {"index_no", "review", "region", "sample", "attachments"}


def record_problems(record, entries: list[Entry]) -> list[Problem]:
    """Wording and kind validity of one schema-valid record, judged on its 发布日期."""
    out: list[Problem] = []
    try:
        day = dt.date.fromisoformat(str(record.data.get("published")))
    except ValueError:
        return out
    doc = record.doc
    try:
        start, end, spec = kind_window(record.kind)
    except (ValueError, AttributeError):
        start = end = None   # reported once on the schema by kind_problems
    if (start and day < start) or (end and day > end):
        line, col = doc.where(("published",))
        span = f"{start or ''} 至 {end or ''}".strip()
        hint = f"请改用{spec['instead']}。" if spec.get("instead") else "请改用现行的类别。"
        out.append(Problem(doc.rel, line, col,
                           f"“{record.kind.name}”只用于 {span} 发布的信息，本条发布日期是 {day}。{hint}"
                           f"（依据：{' '.join(str(spec.get('source', '')).split())}）"))
    relevant = [e for e in entries if e.type != "basis" and not e.valid_on(day)
                and (not e.kinds or record.kind.id in e.kinds)]
    if not relevant:
        return out
    for path, text in _strings(record.data):
        if not path or path[0] in _SKIP:
            continue
        pattern = _pattern(path)
        for e in relevant:
            if e.fields and pattern not in e.fields:
                continue
            hit = (text.strip() == e.term) if e.match == "exact" else (e.term in text)
            if not hit:
                continue
            line, col = doc.where(path)
            label = record.kind.label(path[0]) if len(path) == 1 else ".".join(map(str, path))
            instead = f"请改为：{e.instead}。" if e.instead else ""
            out.append(Problem(doc.rel, line, col,
                               f"{TYPES[e.type]}“{e.term}”只用于 {e.window()} 的信息，本条发布日期是 {day}"
                               f"（{label}）。{instead}依据：{e.source}"))
    return out
