"""A province-scale corpus for benchmarks, built from the sample site's own kinds.

Regions go down to village level (5 cities, 22 counties, ~200 townships,
~2,200 villages); records are clones of each kind's sample record, spread over
10 years of periods and over regions, each with its own 索引号, dates and
figures. Kinds added later are picked up automatically: every folder of
site_data/ with an approved sample record is a prototype.

    python benchmarks/corpus.py --pages 10000 --out benchmarks/out/corpus-10000
"""
from __future__ import annotations

import argparse
import copy
import csv
import datetime as dt
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["mkdocs.yml", "schemas", "templates", "content", "overrides", "generator"]
YEARS = list(range(2017, 2027))
AS_OF = dt.date(2026, 11, 25)
TOWNSHIPS_PER_COUNTY = 9
VILLAGES_PER_TOWNSHIP = 11

try:
    Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - libyaml missing
    Dumper = yaml.SafeDumper


def copy_sources(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "zwgk", "index.md"))
        else:
            shutil.copy2(src, dest / name)
    (dest / "site_data").mkdir()
    for name in ("site.yaml",):
        shutil.copy2(ROOT / "site_data" / name, dest / "site_data" / name)
    if (ROOT / "site_data" / "attachments").exists():
        shutil.copytree(ROOT / "site_data" / "attachments", dest / "site_data" / "attachments")


def regions() -> list[dict]:
    with open(ROOT / "site_data" / "regions.tsv", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    base = [dict(code=r[0], name=r[1], level=r[2], parent=r[3] if len(r) > 3 else "",
                 area_code=r[4] if len(r) > 4 else "") for r in rows[1:]
            if r[2] in ("province", "city", "county")]
    out = list(base)
    for county in [r for r in base if r["level"] == "county"]:
        for t in range(TOWNSHIPS_PER_COUNTY):
            tcode = f"{county['code']}{200 + t:03d}"
            out.append(dict(code=tcode, name=f"{county['name']}第{t + 1}镇（基准）", level="township",
                            parent=county["code"], area_code=""))
            for v in range(VILLAGES_PER_TOWNSHIP):
                out.append(dict(code=f"{tcode}{v + 1:03d}", name=f"{county['name']}{t + 1}镇{v + 1}村（基准）",
                                level="village", parent=tcode, area_code=""))
    _PARENT_AND_AREA.update({r["code"]: (r["parent"], r["area_code"]) for r in out})
    return out


_PARENT_AND_AREA: dict[str, tuple[str, str]] = {}
LANDLINE = re.compile(r"^0\d{2,3}(-\d{7,8})$")


def area_code(code: str) -> str:
    """A region's 长途区号 (a township's is its county's), as validate checks office phones."""
    while code in _PARENT_AND_AREA:
        parent, area = _PARENT_AND_AREA[code]
        if area:
            return area
        code = parent
    return ""


def local_phones(value, area: str):
    """A prototype's office numbers moved to the clone's region: the same number behind its area code."""
    if isinstance(value, dict):
        return {k: local_phones(v, area) for k, v in value.items()}
    if isinstance(value, list):
        return [local_phones(v, area) for v in value]
    if isinstance(value, str) and area and LANDLINE.match(value):
        return area + LANDLINE.match(value).group(1)
    return value


def prototypes() -> dict[str, list[dict]]:
    protos: dict[str, list[dict]] = {}
    for path in sorted((ROOT / "site_data").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        if isinstance(data, dict) and data.get("review", {}).get("status") == "已通过":
            protos.setdefault(path.parent.name, []).append(data)
    return protos


def periods_like(example: str) -> list[str]:
    """Periods of the same granularity as the prototype's, newest first, all already due."""
    if "-Q" in example:
        out = [f"{y}-Q{q}" for y in YEARS for q in range(1, 5)]
    elif "-H" in example:
        out = [f"{y}-H{h}" for y in YEARS for h in (1, 2)]
    elif len(example) == 7:
        out = [f"{y}-{m:02d}" for y in YEARS for m in range(1, 13)]
    else:
        out = [str(y) for y in YEARS]
    return [p for p in reversed(out) if period_end(p) + dt.timedelta(days=30) <= AS_OF]


def period_end(p: str) -> dt.date:
    y = int(p[:4])
    if "-Q" in p:
        m = int(p[-1]) * 3
    elif "-H" in p:
        m = int(p[-1]) * 6
    elif len(p) == 7:
        m = int(p[5:])
    else:
        m = 12
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def scale_numbers(value, factor: float):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return max(0, int(value * factor))
    if isinstance(value, float):
        return round(max(0.0, value * factor), 1)
    if isinstance(value, dict):
        return {k: scale_numbers(v, factor) for k, v in value.items()}
    if isinstance(value, list):
        return [scale_numbers(v, factor) for v in value]
    return value


class Writer:
    def __init__(self, dest: Path):
        self.dest = dest
        self.count = 0

    def index_no(self, kind_i: int, year: int) -> str:
        self.count += 1
        # Shaped like the sample's 统一社会信用代码 (letters break the digit runs, so the
        # personal-data guard does not read a long run of zeros as a bank card number).
        org = f"11640000MB{kind_i:02d}{self.count // 90000:05d}X"
        return f"{org}/{year}-{self.count % 90000 + 1:05d}"

    def write(self, kind: str, data: dict) -> None:
        path = self.dest / "site_data" / kind / f"b{self.count:06d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False), "utf-8")


def clone(proto: dict, writer: Writer, kind_i: int, region: dict, published: dt.date, title: str,
          factor: float = 1.0) -> dict:
    d = copy.deepcopy(proto)
    d = {k: (scale_numbers(v, factor) if k not in ("index_no", "region", "review") else v) for k, v in d.items()}
    d["index_no"] = writer.index_no(kind_i, published.year)
    d["title"] = title
    d["region"] = {"code": region["code"], "name": region["name"]}
    d = local_phones(d, area_code(region["code"]))
    d["published"] = published.isoformat()
    d["written"] = (published - dt.timedelta(days=3)).isoformat()
    d.pop("updated", None)
    d.pop("attachments", None)
    d["review"] = {"reviewer": "基准测试", "date": (published - dt.timedelta(days=1)).isoformat(), "status": "已通过"}
    d["sample"] = True
    return d


class Fit:
    """Whether a clone may carry its prototype's wording on its own date.

    Prototypes are 2026 records; a clone dated 2017 must not say 防止返贫监测帮扶 (from 2021) or be of a
    kind outside its validity dates (x-kind.valid). The rules are the generator's own (schemas/wording.yaml).
    """

    def __init__(self):
        sys.path.insert(0, str(ROOT))
        from generator.model import wording
        from generator.model.kinds import load_kinds

        self.wording = wording
        self.kinds, _ = load_kinds(ROOT)
        self.entries, _ = wording.load_entries(ROOT)

    def ok(self, kind: str, data: dict) -> bool:
        record = _Probe(self.kinds[kind], data)
        return not self.wording.record_problems(record, self.entries)


class _Probe:
    """Just enough of a Record for wording.record_problems (positions are not needed here)."""

    class _Doc:
        rel = ""

        @staticmethod
        def where(path):
            return (1, 1)

    def __init__(self, kind, data):
        self.kind, self.data, self.doc = kind, data, self._Doc()


def build_corpus(pages: int, dest: Path) -> dict:
    copy_sources(dest)
    regs = regions()
    with open(dest / "site_data" / "regions.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["code", "name", "level", "parent", "area_code"])
        for r in regs:
            w.writerow([r["code"], r["name"], r["level"], r["parent"], r["area_code"]])
    by_level = {lvl: [r for r in regs if r["level"] == lvl] for lvl in ("county", "township", "village")}
    ordered_regions = by_level["county"] + by_level["township"] + by_level["village"]
    protos = prototypes()
    kinds = sorted(protos)
    period_kinds = [k for k in kinds if "period" in protos[k][0]]
    pair_kinds = [k for k in kinds if "policy" in protos[k][0]]
    other_kinds = [k for k in kinds if k not in period_kinds and k not in pair_kinds]
    writer = Writer(dest)
    fit = Fit()
    target_other = int(pages * 0.12)
    counts: dict[str, int] = {}

    # Non-period records (policies with their 解读, programmes, notices …), spread over years and regions.
    i = 0
    while sum(counts.values()) < target_other and other_kinds:
        kind = other_kinds[i % len(other_kinds)]
        region = ordered_regions[i % (len(by_level["county"]) + len(by_level["township"]))]
        year = YEARS[-1 - (i // len(other_kinds)) % len(YEARS)]
        published = dt.date(year, 1 + i % 11, 1 + i % 27)
        # The first prototype (in rotation) whose wording holds on this date; none: the newest year.
        start = (i // len(other_kinds)) % len(protos[kind])
        rotation = protos[kind][start:] + protos[kind][:start]
        proto = next((p for p in rotation if fit.ok(kind, {**p, "published": published.isoformat()})), None)
        if proto is None:
            year, proto = YEARS[-1], rotation[0]
            published = dt.date(year, 1 + i % 11, 1 + i % 27)
        d = clone(proto, writer, kinds.index(kind), region, published, f"{region['name']}{year}年{proto['title']}")
        writer.write(kind, d)
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "policy" and pair_kinds:
            for pk in pair_kinds:
                ip = clone(protos[pk][0], writer, kinds.index(pk), region, published + dt.timedelta(days=1),
                           f"{d['title']}解读")
                ip["policy"] = d["index_no"]
                ip["column"] = d["column"]
                writer.write(pk, ip)
                counts[pk] = counts.get(pk, 0) + 1
        i += 1

    # Statistics: whole periods at a time (every county, then townships, then villages), newest first,
    # so that each period is complete for the regions it covers.
    remaining = pages - sum(counts.values())
    if period_kinds:
        per_kind = remaining // len(period_kinds)
        for ki, kind in enumerate(period_kinds):
            proto = protos[kind][0]
            plist = periods_like(proto["period"])
            n = 0
            for region in ordered_regions:
                for period in plist:
                    if n >= per_kind + (1 if ki < remaining % len(period_kinds) else 0):
                        break
                    published = period_end(period) + dt.timedelta(days=12)
                    if not fit.ok(kind, {**proto, "published": published.isoformat()}):
                        continue
                    factor = 0.15 if region["level"] != "county" else 1.0
                    if fit.kinds[kind].tables:
                        # A kind whose tables' totals are checked (年度报告, model/table_totals.py): parts
                        # scaled and truncated one by one no longer add up to their totals.
                        factor = 1.0
                    d = clone(proto, writer, kinds.index(kind), region, published,
                              f"{region['name']}{period}{proto['title'].split('年')[-1] if '年' in proto['title'] else proto['title']}",
                              factor)
                    d["period"] = period
                    writer.write(kind, d)
                    n += 1
                else:
                    continue
                break
            counts[kind] = n
    return {"pages": sum(counts.values()), "kinds": counts, "regions": len(regs)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--pages", type=int, default=10000)
    p.add_argument("--out", type=Path, default=None)
    ns = p.parse_args(argv)
    dest = ns.out or ROOT / "benchmarks" / "out" / f"corpus-{ns.pages}"
    info = build_corpus(ns.pages, dest)
    print(f"{info['pages']} records in {dest} ({info['regions']} regions): {info['kinds']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
