"""索引号 stability: once published, an 索引号 keeps its page and its address.

`site_data/published.tsv` (committed with the data) records every 索引号 ever
published: its URL, the date it was first published and its current status.
Validation compares the records with it, so a build that would delete a
published record or move it to another address fails before anything is
written; `build` adds new records to it once the new site is live. A record is
stopped by being withdrawn (有效性 废止/已撤回 plus a `withdrawn` date): its page
stays and says so.
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problem

MANIFEST = "site_data/published.tsv"
HEADER = ["索引号", "地址", "首次发布日期", "状态"]
WITHDRAWN = ("废止", "已撤回")


@dataclass
class Entry:
    index_no: str
    url: str
    first_published: str
    status: str
    line: int = 0


def record_url(record) -> str:
    return "/" + record.url


def read(root: Path) -> tuple[dict[str, Entry], list[Problem]]:
    path = Path(root) / MANIFEST
    if not path.exists():
        return {}, []
    entries: dict[str, Entry] = {}
    problems = []
    text = path.read_text("utf-8-sig")
    for n, row in enumerate(csv.reader(io.StringIO(text), delimiter="\t"), start=1):
        if n == 1 or not row or not "".join(row).strip():
            continue
        if len(row) != len(HEADER):
            problems.append(Problem(MANIFEST, n, 1, "每行要有 索引号、地址、首次发布日期、状态 四列，用 Tab 分隔。"
                                                     "这个文件由 build 自动维护，请用 git 恢复它。"))
            continue
        entries[row[0]] = Entry(*row, line=n)
    return entries, problems


def write(root: Path, entries: dict[str, Entry]) -> bool:
    """Write the manifest if it changed; sorted so that diffs stay small."""
    path = Path(root) / MANIFEST
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(HEADER)
    for key in sorted(entries):
        e = entries[key]
        w.writerow([e.index_no, e.url, e.first_published, e.status])
    text = buf.getvalue()
    if path.exists() and path.read_text("utf-8") == text:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)
    return True


def updated_entries(site, old: dict[str, Entry]) -> dict[str, Entry]:
    entries = dict(old)
    for r in site.approved_records:
        prev = entries.get(r.index_no)
        first = prev.first_published if prev else r.data["published"]
        entries[r.index_no] = Entry(r.index_no, record_url(r), first, r.data["validity"])
    return entries


def lifecycle_problems(record) -> list[Problem]:
    """A withdrawn record says when; a valid one has no withdrawal date."""
    d = record.data

    def at(path, message):
        line, col = record.doc.where(path)
        return Problem(record.doc.rel, line, col, message)

    if d["validity"] in WITHDRAWN and not d.get("withdrawn"):
        return [at(("validity",), f"有效性为“{d['validity']}”时要写明日期。请加一行 withdrawn: "
                                  f"{d.get('updated') or d['published']}（废止或撤回的日期）。")]
    if d.get("withdrawn") and d["validity"] not in WITHDRAWN:
        return [at(("withdrawn",), f"写了废止或撤回日期，但有效性是“{d['validity']}”。"
                                   "请把 validity 改为 废止 或 已撤回，或删去 withdrawn 这一行。")]
    if d.get("withdrawn") and d["withdrawn"] < d["published"]:
        return [at(("withdrawn",), f"撤回日期 {d['withdrawn']} 早于发布日期 {d['published']}，请检查。")]
    return []


def stability_problems(site, entries: dict[str, Entry]) -> list[Problem]:
    problems = []
    published = {r.index_no: r for r in site.approved_records}
    every = {r.index_no: r for r in site.records}
    for key, e in sorted(entries.items(), key=lambda kv: kv[1].line):
        r = published.get(key)
        if r is None:
            held = every.get(key)
            why = (f"{held.doc.rel} 中这条记录的保密审查状态不是“已通过”，它会从网站上消失" if held
                   else "在 site_data/ 中找不到这条记录（文件被删除，或索引号被改动）")
            problems.append(Problem(MANIFEST, e.line, 1,
                f"索引号“{key}”已于 {e.first_published} 发布在 {e.url} ，不能删除或更换：{why}。"
                "已发布的信息要停止公开，请保留原记录文件和索引号，把 validity 改为 已撤回 或 废止，"
                "并加一行 withdrawn: 撤回日期；页面会保留并注明已撤回。"))
            continue
        url = record_url(r)
        if url != e.url:
            line, col = r.doc.where(("index_no",))
            problems.append(Problem(r.doc.rel, line, col,
                f"索引号“{key}”已于 {e.first_published} 发布在 {e.url} ，现在的地址会变成 {url}"
                "（改了所属专栏或记录类别）。已发布信息的地址不能改变，请恢复原来的 column 或类别目录。"))
    return problems


def check_stability(site, as_of):
    entries, problems = read(site.root)
    for r in site.records:
        problems += lifecycle_problems(r)
    return problems + stability_problems(site, entries)


def record_published(site, root):
    # After the swap (pipeline.POST_SWAP): only what really went live is recorded.
    entries, _ = read(root)
    write(root, updated_entries(site, entries))


def update(root: Path, site) -> tuple[bool, int, int]:
    """The `manifest` command: add the site's approved records; (changed, entries, new entries)."""
    entries, _ = read(root)
    new = updated_entries(site, entries)
    changed = write(root, new)
    return changed, len(new), len(set(new) - set(entries))
