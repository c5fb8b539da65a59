"""Validate step: editors' files → the Site model, with every problem at once.

Per file: strict YAML (load.py), then the kind's JSON Schema (schema_errors.py).
Across files: unique 索引号, regions that exist, links between records (x-kind.links,
e.g. policy ↔ 解读),
attachments that exist inside the project.
"""
from __future__ import annotations

import csv
import io
import json
import os
from functools import partial
from pathlib import Path
from typing import NamedTuple

from .. import walk
from . import holidays, load, schema_errors, table_totals, wording, workdays
from ..editor.import_map import check_map_file
from .kinds import load_kinds
from .layout import ATTACHMENTS_DIR, DATA_DIR, HOLIDAYS_DIR, MAP_DIR, REGIONS_FILE, SITE_FILE
from .model import Column, Record, Region, Site
from .record_cache import RecordCache, schema_key
from ..problems import Problem, errors
from ..sitebuild.workers import split_map

def _rel(root: Path, path: Path) -> str:
    # By its text when path is under root, as relative_to would find (it parses both again:
    # 0.1 s of a push's 10,000 record files).
    inside, top = str(path), str(root) + os.sep
    if inside.startswith(top):
        return inside[len(top):].replace(os.sep, "/")
    return path.relative_to(root).as_posix()


def load_regions(root: Path) -> tuple[dict[str, Region], list[Problem]]:
    path = root / DATA_DIR / REGIONS_FILE
    rel = _rel(root, path)
    try:
        raw = path.read_bytes()
    except OSError:
        return {}, [Problem(rel, 1, 1, "找不到行政区划表。请从模板复制 regions.tsv。")]
    text, problems = load.decode(raw, rel)
    if text is None:
        return {}, problems
    regions: dict[str, Region] = {}
    levels = set(Region.LEVEL_NAMES)
    for n, row in enumerate(csv.reader(io.StringIO(text), delimiter="\t"), start=1):
        if n == 1 or not row or not "".join(row).strip():
            continue
        if len(row) < 3:
            problems.append(Problem(rel, n, 1, "每行要有 代码、名称、级别、上级代码、长途区号 五列，用 Tab 分隔"
                                               "（上级代码和长途区号可以空着）。"))
            continue
        code, name, level = row[0].strip(), row[1].strip(), row[2].strip()
        parent = row[3].strip() if len(row) > 3 else ""
        area = row[4].strip() if len(row) > 4 else ""
        if area and not (area.isdigit() and area.startswith("0") and len(area) in (3, 4)):
            problems.append(Problem(rel, n, sum(len(c) + 1 for c in row[:4]) + 1,
                                    f"长途区号“{area}”应为 0 开头的 3 或 4 位数字，例如 0953；不知道可以空着。"))
            continue
        if not code.isdigit() or len(code) not in (6, 9, 12):
            problems.append(Problem(rel, n, 1, f"行政区划代码“{code}”应为 6、9 或 12 位数字。"))
            continue
        if level not in levels:
            problems.append(Problem(rel, n, len(row[0]) + len(row[1]) + 3,
                                    f"级别“{level}”无效，应为 {'、'.join(levels)} 之一。"))
            continue
        if code in regions:
            problems.append(Problem(rel, n, 1, f"行政区划代码“{code}”重复。"))
            continue
        regions[code] = Region(code, name, level, parent, area)
    for n, region in enumerate(regions.values()):
        if region.parent and region.parent not in regions:
            problems.append(Problem(rel, 1, 1, f"“{region.name}”的上级代码 {region.parent} 不在表中。"))
    return regions, problems


def load_site_config(root: Path) -> tuple[dict, dict[str, Column], list[Problem]]:
    path = root / DATA_DIR / SITE_FILE
    rel = _rel(root, path)
    doc, problems = load.load_file(path, rel)
    if problems:
        return {}, {}, problems
    schema = json.loads((root / "schemas" / "site.schema.json").read_text("utf-8"))
    if not isinstance(doc.data, dict):
        return {}, {}, [Problem(rel, 1, 1, "站点设置应为一组字段（name、domain、columns 等）。")]
    doc.data = schema_errors.coerce_numbers_to_text(doc.data, schema, doc)
    problems = schema_errors.problems(doc, schema)
    if problems:
        return {}, {}, problems
    columns = {}
    for i, c in enumerate(doc.data["columns"]):
        line, col = doc.where(("columns", i, "id"))
        if c["id"] in columns:
            problems.append(Problem(rel, line, col, f"专栏代号“{c['id']}”重复。"))
            continue
        columns[c["id"]] = Column(
            id=c["id"], name=c["name"], description=c["description"], lead_dept=c["lead_dept"],
            legal_basis=c["legal_basis"], keywords=c.get("keywords", []), type=c.get("type", "信息公开"),
            complaint_phone=c.get("complaint_phone", ""), petition_address=c.get("petition_address", ""),
            legal_history=c.get("legal_history", []), where=(rel, line, col))
    mark = ((doc.data.get("identity") or {}).get("dzjg") or {}).get("image")
    if mark:
        content = (root / "content").resolve()
        image = (content / mark).resolve()
        if not image.is_relative_to(content) or not image.is_file():
            line, col = doc.where(("identity", "dzjg", "image"))
            problems.append(Problem(rel, line, col, f"党政机关网站标识图片“{mark}”不在 content/ 目录里。"
                                                    "请把图片放到 content/ 下（例如 content/assets/dzjg.png），"
                                                    "这里写 assets/dzjg.png：页面不从外部加载图片。"))
    return doc.data, columns, problems


def record_files(root: Path, kinds) -> tuple[list[tuple[str, Path]], list[Problem]]:
    """Every record file, with its kind taken from its folder: site_data/<kind>/…"""
    data_dir = root / DATA_DIR
    found, problems = [], []
    for inside, is_link, is_file in walk.entries(data_dir):
        rel = f"{DATA_DIR}/{inside}"
        if is_link:
            problems.append(Problem(rel, 1, 1, "数据目录里不允许符号链接（快捷方式）。请放入真实文件。"))
            continue
        if not is_file or os.path.splitext(inside)[1].lower() not in (".yaml", ".yml"):
            continue
        path = data_dir / inside
        parts = tuple(inside.split("/"))
        if len(parts) == 1:
            if parts[0] != SITE_FILE:
                problems.append(Problem(rel, 1, 1,
                                        f"记录文件要放在类别目录里，例如 site_data/dibao_stats/。可用的类别：{'、'.join(kinds)}。"))
            continue
        if parts[0] in (ATTACHMENTS_DIR, HOLIDAYS_DIR):
            continue  # attachments, and the holiday tables (holidays.py loads them)
        if parts[0] == MAP_DIR and len(parts) == 2:
            problems += check_map_file(root, path, kinds)
            continue
        if parts[0] not in kinds:
            problems.append(Problem(rel, 1, 1,
                                    f"目录“{parts[0]}”不是已知的记录类别。可用的类别：{'、'.join(kinds)}。"))
            continue
        found.append((parts[0], path))
    return found, problems


class _Unknown(NamedTuple):
    """A record file no cache knows in its present form: what validating it needs, and where
    its result is then remembered."""
    kind: object
    path: Path
    raw: bytes | None     # its bytes, when the record cache read them
    key: tuple | None     # its key in the preview's cache
    entry: str | None     # its key in the record cache


def _recall(root: Path, kind, path: Path, schema: str, cache: dict | None,
            stored: RecordCache | None = None):
    """One record file's (Document or None, problems) as a cache has it, or _Unknown.

    The preview server passes a cache so that, at 10,000 files, a save costs
    one file's parse and validation rather than all of them. `stored`: the record cache
    (record_cache.py), for the same across runs. `schema`: the kind schema's key in both.
    """
    key = None
    if cache is not None:
        try:
            st = path.stat()
            key = (st.st_mtime_ns, st.st_size, st.st_ino, schema)
        except OSError:
            key = None
        hit = cache.get(path)
        if key is not None and hit is not None and hit[0] == key:
            return hit[1], list(hit[2])
    raw = entry = None
    if stored:
        rel = _rel(root, path)
        try:
            st = path.stat()
            entry = stored.known_entry(rel, schema, st)
            hit = stored.get(entry, path) if entry is not None else None
            if hit is None:  # new or changed since the last run (or its entry damaged): read it
                raw = path.read_bytes() if st.st_size <= load.MAX_BYTES else None
                entry = stored.entry_key(rel, schema, raw) if raw is not None else None
                hit = stored.get(entry, path) if entry is not None else None
        except OSError:
            raw = entry = hit = None  # validating it says what is wrong with it
        if entry is not None:
            stored.note(rel, schema, st, entry)
        if hit is not None:
            _remember(_Unknown(kind, path, raw, key, None), hit, cache, stored)
            return hit
    return _Unknown(kind, path, raw, key, entry)


def _remember(unknown: _Unknown, result, cache: dict | None, stored: RecordCache | None) -> None:
    if unknown.entry is not None:
        stored.put(unknown.entry, *result)
    if unknown.key is not None:
        cache[unknown.path] = (unknown.key, *result)


def _validate_unknown(root: Path, unknown: list[_Unknown]) -> list:
    """Each file's (Document or None, problems), in order. A cold build reads and validates
    every file, 18.6 of its 113 s at 10,000 records in one process (a pure-Python YAML
    composer that keeps each value's position, then jsonschema): the files are split among
    the build's processes (workers.split_map), whose Documents come back pickled."""
    return split_map(partial(_validate_one, root), unknown)


def _validate_one(root: Path, unknown: _Unknown):
    return _validate_file(root, unknown.kind, unknown.path, unknown.raw)


def _validate_file(root: Path, kind, path: Path, raw: bytes | None = None):
    rel = _rel(root, path)
    doc, problems = load.load_file(path, rel) if raw is None else load.load_bytes(path, rel, raw)
    if not problems and not isinstance(doc.data, dict):
        problems = [Problem(doc.rel, 1, 1, "文件应为一组“字段名: 值”，现在是空文件或只有一个值。"
                                           "可以用 python -m generator new 生成模板。")]
    if not problems:
        doc.data = schema_errors.coerce_numbers_to_text(doc.data, kind.schema, doc)
        # The numbers as typed are read by that step alone: ~1.5 KB a record, 75 MB at 50,000.
        doc.raw = {}
        problems = schema_errors.problems(doc, kind.schema)
    return (None if problems else doc), problems


def load_site(root: Path, cache: dict | None = None,
              stored: RecordCache | None = None) -> tuple[Site | None, list[Problem]]:
    """Load and validate everything; the Site is None when there are errors. `cache`: the
    preview's, in memory; `stored`: the record cache on disk (record_cache.py), which the
    caller saves once the per-record checks have run (their findings are kept with it)."""
    root = Path(root)
    kinds, problems = load_kinds(root)
    regions, p = load_regions(root)
    problems += p
    config, columns, p = load_site_config(root)
    problems += p
    files, p = record_files(root, kinds)
    problems += p
    entries, p = wording.load_entries(root)
    problems += p + wording.kind_problems(kinds)
    # This project's holiday tables, for every working-day deadline checked after loading.
    tables, p = holidays.load_tables(root)
    problems += p
    workdays.configure(tables)

    records: list[Record] = []
    schemas = {k: schema_key(kind.schema) for k, kind in kinds.items()}
    entries_key = repr(entries)  # dates, strings and tuples: the same text for the same list
    known = [_recall(root, kinds[kind_id], path, schemas[kind_id], cache, stored) for kind_id, path in files]
    unknown = [k for k in known if isinstance(k, _Unknown)]
    validated = iter(_validate_unknown(root, unknown))
    for i, k in enumerate(known):
        if isinstance(k, _Unknown):
            known[i] = next(validated)
            _remember(k, known[i], cache, stored)
    for (kind_id, path), (doc, p) in zip(files, known):
        kind = kinds[kind_id]
        problems += p
        if doc is None:
            continue
        column_id = doc.data.get("column") if kind.column == "*" else kind.column
        record = Record(kind=kind, doc=doc, data=doc.data, column_id=column_id)
        problems += doc.remembered("wording", entries_key, lambda: wording.record_problems(record, entries))
        records.append(record)

    for kind in kinds.values():
        if kind.column != "*" and columns and kind.column not in columns:
            problems.append(Problem(f"schemas/{kind.id}.schema.json", 1, 1,
                                    f"类别“{kind.name}”所属的专栏“{kind.column}”没有在 site.yaml 中设置。"))
    for column in columns.values():
        # A kind whose records name their column ("*") belongs to the columns its schema
        # allows (the `column` enum): 政策 and 解读 are not kinds of the 年报 column.
        column.kinds = [k.id for k in kinds.values() if k.column == column.id or (
            k.column == "*" and column.id in (k.column_choices or [column.id]))]

    problems += cross_check(root, records, regions, columns, kinds)
    problems += table_totals.problems(records)
    site = Site(root=root, config=config, regions=regions, columns=columns, kinds=kinds, records=records)
    return (None if errors(problems) else site), sorted(problems)


def cross_check(root: Path, records: list[Record], regions, columns, kinds: dict | None = None) -> list[Problem]:
    problems: list[Problem] = []

    def at(record: Record, path: tuple, message: str):
        line, col = record.doc.where(path)
        problems.append(Problem(record.doc.rel, line, col, message))

    by_index: dict[str, Record] = {}
    for r in records:
        first = by_index.get(r.index_no)
        if first:
            line, _ = first.doc.where(("index_no",))
            at(r, ("index_no",), f"索引号“{r.index_no}”已被 {first.doc.rel} 第 {line} 行使用。索引号必须唯一，请改用新的流水号。")
        else:
            by_index[r.index_no] = r
        if r.column_id not in columns:
            at(r, ("column",), f"专栏“{r.column_id}”没有在 site.yaml 中设置。")
        region = regions.get(r.region_code)
        if regions and region is None:
            at(r, ("region", "code"), f"行政区划代码“{r.region_code}”不在 site_data/regions.tsv 中。请检查代码，例如 640324（同心县）。")
        elif region and region.name != r.region_name:
            at(r, ("region", "name"), f"代码 {r.region_code} 对应的地区是“{region.name}”，不是“{r.region_name}”。请改成 name: {region.name}。")
        if r.data["written"] > r.data["published"]:
            at(r, ("written",), f"成文日期 {r.data['written']} 晚于发布日期 {r.data['published']}，请检查。")
        for i, att in enumerate(r.data.get("attachments", [])):
            problem = attachment_problem(root, att["file"])
            if problem:
                at(r, ("attachments", i, "file"), problem)

    # Links between kinds are declared as data (x-kind.links): a field holding another
    # record's 索引号, and the name under which the target lists its back links
    # (政策 ↔ 解读, 政策 ↔ 回应关切).
    kinds = kinds if kinds is not None else {r.kind.id: r.kind for r in records}
    for r in records:
        for link in r.kind.links:
            target = r.data.get(link.field)
            if target is None:
                continue
            other = by_index.get(target)
            if other is None or other.kind.id != link.kind:
                name = kinds[link.kind].name if link.kind in kinds else link.kind
                at(r, (link.field,), f"找不到索引号为“{target}”的{name}。{link.missing}")
                continue
            r.links[link.field] = other
            other.links.setdefault(link.back, []).append(r)
    return problems


def attachment_problem(root: Path, file: str) -> str | None:
    """Attachments must be real, non-empty files inside site_data/attachments/."""
    base = (root / DATA_DIR / ATTACHMENTS_DIR).resolve()
    candidate = root / DATA_DIR / file
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):
        return f"附件路径“{file}”无效。"
    if base not in resolved.parents or candidate.is_symlink():
        return f"附件“{file}”必须放在 site_data/attachments/ 目录里（不能用 .. 或符号链接指向别处）。"
    if not resolved.is_file():
        return f"找不到附件文件“{file}”。请把文件放到 site_data/{file}，或改正文件名。"
    if resolved.stat().st_size == 0:
        return f"附件“{file}”是空文件。请上传完整的文件。"
    return None
