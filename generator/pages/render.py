"""Render step: the Site model → Markdown pages and data files under content/.

Generated files live in git-ignored places (content/index.md, content/zwgk/)
and are rewritten only when their text changes, so a preview server sees
only the pages an edit really touched.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import posixpath
import shutil
from collections import Counter
from urllib.parse import quote
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from ..model import aggregates, periods
from .. import compiled_templates, walk
from . import charts, escape, render_cache
from ..model.model import Record, Site
from ..sitebuild.workers import build_workers, frozen_heap
from ..urls import HOME, ROOT as GENERATED_DIR, page_url, urls

CONTENT_DIR = "content"  # MkDocs' docs_dir


# Keys the page steps set after a page is rendered (page_meta, open_data). They are written
# first, one JSON line each (JSON is valid YAML; one line keeps a long JSON-LD whole), in
# this order, then the template's own keys as YAML.
ADDED_KEYS = ("gk_meta", "gk_modified", "gk_jsonld")


@dataclass
class Page:
    """A generated Markdown page until it is written: its front matter as keys (None: the
    template wrote none) and the text after it, so steps set metadata without parsing text."""

    meta: dict | None
    body: str

    def text(self) -> str:
        if self.meta is None:
            return self.body
        added = "".join(f"{key}: {json.dumps(self.meta[key], ensure_ascii=False)}\n"
                        for key in ADDED_KEYS if key in self.meta)
        own = {k: v for k, v in self.meta.items() if k not in ADDED_KEYS}
        return "---\n" + added + front_matter_yaml(own) + "---\n" + self.body


class LazyPage:
    """A page rendered only when it is written (or its text is asked for), then let go: the
    record pages and the listings (`listing`: kind listings, county parts, catalogue slices),
    which no later page step reads but page_meta tags. Held rendered until the
    write, 10,000 record pages were 262 of the generate step's 694 MB (tracemalloc); at 50,000
    the whole build must fit in 2 GB. Keys set before then (Output.set_meta) are kept and
    added as they would have been to the rendered page's front matter. (A template error in a
    record page now stops the write, with the files before it written; the build stops as before.)"""

    def __init__(self, template: jinja2.Template, context: dict, listing: bool = False):
        self.template, self.context = template, context
        self.added: dict = {}
        self.key: str | None = None  # its render_cache key, when the build has the cache
        self.held: str | None = None  # the SHA-256 of its entry, when content/ holds it (RenderCache.holds)
        self.listing = listing  # a listing page (render_cache.listing_key), else a record's

    def cache_key(self, memo) -> str:
        if self.listing:
            return memo.listing_key(self.template.name, self.context, self.added)
        return memo.record_key(self.context["r"], self.added)

    def rendered(self) -> Page:
        try:
            done = page(self.template, **self.context)
        except render_cache.UndeclaredRead as exc:
            from ..problems import DataError, Problem

            where = _template_line(exc, self.template.environment)
            raise DataError([Problem(*where, 1, f"{exc}（渲染 {self.context.get('src')} 时）")]) from None
        if done.meta is not None:
            done.meta.update(self.added)
        return done

    def text(self) -> str:
        return self.rendered().text()


class LazyFile:
    """A generated file other than a page, made when it is written by `make(**given)` from what
    it is given alone (records, a kind, the site as render_cache.declared shows it: what
    render_cache.listing_key digests), and kept by the render cache under a key of that: a push
    that changes no record of a kind writes the kind's downloads as the last build left them
    (making every kind's CSV and JSON again was 0.8 s of a one-record push at 10,000 records)."""

    listing = False

    def __init__(self, make, **given):
        self.make, self.given = make, given
        self.key: str | None = None
        self.held: str | None = None  # as LazyPage.held

    def cache_key(self, memo) -> str:
        return memo.listing_key(f"{self.make.__module__}.{self.make.__qualname__}", self.given, {})

    def data(self) -> bytes:
        return self.make(**self.given)


def _template_line(exc: BaseException, env: jinja2.Environment) -> tuple[str, int]:
    """The template file and line an error was raised at (Jinja's traceback names them)."""
    import traceback

    found = ("templates", 1)
    base = Path(env.loader.searchpath[0]).resolve() if isinstance(env.loader, jinja2.FileSystemLoader) else None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if base is not None and name.endswith(".j2"):
            try:
                found = (f"templates/{Path(name).resolve().relative_to(base).as_posix()}", line)
            except ValueError:
                continue
    return found


@dataclass
class Output:
    """Everything one render produces: path under content/ → Page, text, bytes or a file to copy."""

    files: dict

    def add(self, rel: str, content):
        self.files[rel] = content

    def set_meta(self, rel: str, values: dict) -> None:
        """Add keys to a generated page's front matter."""
        page = self.files.get(rel)
        if isinstance(page, Page) and page.meta is not None:
            page.meta.update(values)
        elif isinstance(page, LazyPage):
            page.added.update(values)  # dropped at render, as above, if its template writes no front matter

    def text(self, rel: str):
        """A file as it will be written (a Page serialised)."""
        content = self.files[rel]
        if isinstance(content, LazyFile):
            return content.data()
        return content.text() if isinstance(content, (Page, LazyPage)) else content


class _Capture:
    """Where front_matter() leaves a page's keys while its template renders."""

    meta: dict | None = None


_CAPTURE = "_page_capture"


def page(template: jinja2.Template, **context) -> Page:
    """Render a page template into a Page: its front_matter() call's keys and the rest."""
    capture = _Capture()
    body = template.render(**context, **{_CAPTURE: capture})
    return Page(capture.meta, body)


def environment(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root / "templates")),
        autoescape=True,
        finalize=escape.text,
        # Optional fields are simply absent from the data; they render as empty.
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape.markdown
    env.filters["num"] = escape.number
    env.filters["period"] = periods.label
    env.filters["attr"] = escape.attr
    env.globals["front_matter"] = front_matter
    env.globals["trend_charts"] = charts.for_record
    env.globals["unit"] = schema_unit
    env.globals["urls"] = urls
    return env


def schema_unit(kind, path: str) -> str:
    """The unit a kind's schema declares for a field, so that a template does not spell it a
    second time: `unit(kind, "rural.standard")`, a list's items by 0 (`"rows.0.amount"`)."""
    return kind.unit(path)


# libyaml's emitter is ~10x faster; front matter of 10,000 pages adds up.
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@jinja2.pass_context
def front_matter(context, meta: dict) -> str:
    """A page template's front matter: kept as keys (Page.meta) until the page is written."""
    context.resolve(_CAPTURE).meta = dict(meta)
    return ""


def front_matter_yaml(meta: dict) -> str:
    meta = escape.front_matter_values({k: v for k, v in meta.items() if v not in (None, "", [])})
    return yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)


def href(from_src: str, to: str) -> str:
    """A relative link from a generated page to a page (by source path or URL) or file.

    Raw HTML (tables, the metadata box) is not rewritten by MkDocs, so links
    there must already be relative URLs that work under any sub-path.
    """
    target = page_url(to) if to.endswith(".md") else to
    base = page_url(from_src)
    rel = os.path.relpath(target or ".", base or ".")
    if target.endswith("/") or target == "":
        return _url("./" if rel == "." else rel + "/")
    return _url(rel)


def link(from_src: str, to_src: str) -> str:
    """A Markdown link target: a path relative to the source file, which MkDocs
    checks (strict mode fails on a broken one) and turns into the page URL."""
    return _url(os.path.relpath(to_src, os.path.dirname(from_src) or "."))


def _url(path: str):
    # Percent-encode so that spaces, brackets or quotes in a file name cannot
    # end a Markdown link or an HTML attribute early.
    return Markup(quote(path, safe="/._-~"))


class Pages:
    """Queries templates need; kept here so templates stay simple."""

    def __init__(self, site: Site):
        self.site = site
        self.approved_records = sorted(site.approved_records, key=lambda r: r.sort_key(), reverse=True)

    def by_kind(self, kind_id: str, column_id: str | None = None) -> list[Record]:
        return [r for r in self.approved_records
                if r.kind.id == kind_id and (column_id is None or r.column_id == column_id)]

    def latest_period(self, records: list[Record]) -> list[Record]:
        """The newest period's records, one row per region, in region-code order."""
        with_period = [r for r in records if r.period]
        if not with_period:
            return []
        newest = max(with_period, key=lambda r: periods.sort_key(r.period)).period
        return sorted((r for r in with_period if r.period == newest), key=lambda r: r.region_code)

    def totals(self, kind, records: list[Record]) -> list:
        """The newest period's computed totals (全区 first, then each city), [] if the kind has none."""
        return aggregates.latest_totals(self.site, kind, records)

    def recent(self, records: list[Record], n: int = 10) -> list[Record]:
        return sorted(records, key=lambda r: (r.updated, r.index_no), reverse=True)[:n]

    def last_updated(self, records: list[Record]):
        return max((r.updated for r in records), default=None)


def dataset_rows(kind, records: list[Record], site: Site | None = None) -> tuple[list[str], list[list]]:
    """The download's rows: every published record and, for a kind that aggregates, the
    computed 全区/各市 totals (no 索引号, 数据类型 says so; incomplete totals are left out)."""
    header = [d["label"] + (f"（{d['unit']}）" if d["unit"] else "") for d in dictionary(kind)]
    keyed = []
    typed = bool(kind.aggregate_from)
    for r in records:
        keyed.append(((periods.sort_key(r.period or ""), r.region_code, 0),
                      [r.index_no, r.region_code, r.region_name, r.period or ""]
                      + ([aggregates.PUBLISHED] if typed else []) + [f.get(r.data) for f in kind.fields]))
    if typed and site is not None:
        for period, found in aggregates.totals(site, kind, records).items():
            for t in found:
                if t.complete:
                    keyed.append(((periods.sort_key(period), t.code, 1),
                                  ["", t.code, t.name, period, aggregates.COMPUTED]
                                  + [t.download(f) for f in kind.fields]))
    return header, [row for _, row in sorted(keyed, key=lambda kv: kv[0])]


def dataset_csv(kind, records: list[Record], site) -> bytes:
    """A kind's download as CSV (UTF-8 with BOM)."""
    return csv_bytes(*dataset_rows(kind, records, site))


def dataset_json(kind, records: list[Record], site) -> bytes:
    """A kind's download as JSON, with its title, description and data dictionary."""
    header, rows = dataset_rows(kind, records, site)
    return json.dumps({"title": kind.dataset_title, "description": kind.dataset_description,
                       **({"aggregate_note": kind.aggregate_note} if kind.aggregate_note else {}),
                       "updated": max(r.updated for r in records).isoformat(),
                       "fields": header, "dictionary": dictionary(kind), "rows": rows},
                      ensure_ascii=False, indent=1).encode("utf-8")


def dictionary(kind) -> list[dict]:
    """The data dictionary: one entry per column of the CSV/JSON, in the same order."""
    fixed = [("index_no", "索引号", ""), ("region.code", "地区代码", ""), ("region.name", "地区", ""),
             ("period", "统计期", "")] + ([aggregates.ROW_TYPE] if kind.aggregate_from else [])
    return ([{"field": f, "label": label, "unit": unit} for f, label, unit in fixed]
            + [{"field": f.path, "label": f.label, "unit": f.unit} for f in kind.fields])


def csv_bytes(header, rows) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else escape.number(v) if isinstance(v, (int, float)) else v
                         for v in row])
    # UTF-8 with BOM: Excel on Chinese Windows opens it without mojibake.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


LISTING_ROWS = 300  # default of site.yaml's catalogue_page_rows


def county_of(site: Site, code: str) -> str | None:
    """The county (县/区) a region lies in, itself if it is one; None above county level."""
    seen = set()
    while code and code not in seen:
        seen.add(code)
        region = site.regions.get(code)
        if region is None:
            return None
        if region.level == "county":
            return code
        code = region.parent
    return None


def county_parts(site: Site, records: list[Record], column_id: str, kind_id: str) -> list[dict]:
    """A long kind listing split by county: one page per county with its own and its
    townships' and villages' records. At province scale one listing of every record
    was 3.9 MB, which a phone on a slow link cannot open. Short listings stay whole."""
    if len(records) <= site.config.get("catalogue_page_rows", LISTING_ROWS):
        return []
    groups: dict[str, list[Record]] = {}
    for r in records:
        county = county_of(site, r.region_code)
        if county is not None:
            groups.setdefault(county, []).append(r)
    return [{"code": code, "name": site.regions[code].name, "records": recs,
             "src": urls.kind_part(column_id, kind_id, code)} for code, recs in sorted(groups.items())]


def render(site: Site, only: set[str] | None = None, extra_pages=(), compiled: Path | None = None) -> Output:
    """Render the home, column, kind and record pages, then let each of `extra_pages`
    (pipeline.pages(), each `(site, output, env)`) add its own; with `only`, just those
    record pages (the preview's fast first pass). `compiled`: where the templates' compiled
    code is kept (compiled_templates.py)."""
    env = compiled_templates.attach(environment(site.root), compiled)
    pages = Pages(site)
    out = Output(files={})
    env.globals["pages"] = pages
    env.globals["site"] = site
    env.globals["sample_site"] = bool(site.config.get("sample_data"))
    common = {"site": site, "config": site.config, "pages": pages, "href": href, "link": link,
              "sample_site": bool(site.config.get("sample_data"))}
    if only is not None:
        render_records(site, env, pages, common, out, only)
        _declare(env)
        return out

    out.add(HOME, page(env.get_template("home.md.j2"), src=HOME, **common))
    # Kind listings and their county parts render at write, from what they are given (render_cache).
    view_site, view_pages = render_cache.declared_for_listings(site, pages)
    listing = {**common, "site": view_site, "pages": view_pages}
    for column in site.columns.values():
        records = site.column_records(column.id)
        out.add(column.src, page(env.get_template("column.md.j2"),
            src=column.src, column=column, records=records, **common))
        for kind_id in column.kinds:
            kind = site.kinds[kind_id]
            kind_records = pages.by_kind(kind_id, column.id)
            if not kind_records:
                continue
            src = urls.kind(column.id, kind_id)
            parts = county_parts(site, kind_records, column.id, kind_id)
            for part in parts:
                out.add(part["src"], LazyPage(env.get_template("kind.md.j2"), dict(
                    src=part["src"], kind_src=src, column=column, kind=kind, part=part, **listing), listing=True))
            top = [r for r in kind_records if not parts or county_of(site, r.region_code) is None]
            out.add(src, LazyPage(env.get_template("kind.md.j2"), dict(
                src=src, column=column, kind=kind, records=kind_records, parts=parts, top=top, **listing),
                listing=True))
            if kind.fields:
                for ext, make in (("csv", dataset_csv), ("json", dataset_json)):
                    out.add(urls.dataset_file(column.id, kind_id, ext),
                            LazyFile(make, kind=kind, records=kind_records, site=view_site))

    render_records(site, env, pages, common, out)
    for step in extra_pages:
        step(site, out, env)
    _declare(env)
    return out


def _declare(env) -> None:
    """From here on only record pages render (LazyPage, at write): their templates, and the
    macros they import, see the site and the page queries as render_cache.declared gives them."""
    env.globals["site"], env.globals["pages"] = render_cache.declared(env.globals["site"], env.globals["pages"])


def render_records(site: Site, env, pages: Pages, common: dict, out: Output, only: set[str] | None = None):
    view_site, view_pages = render_cache.declared(site, pages)
    common = {**common, "site": view_site, "pages": view_pages}
    for record in pages.approved_records:
        if only is not None and record.src not in only:
            continue
        column = site.columns[record.column_id]
        template = env.get_template(record.kind.template)
        out.add(record.src, LazyPage(template, dict(src=record.src, r=record, kind=record.kind,
                                                    column=column, **common)))
        for att in record.data.get("attachments", []):
            out.add(urls.attachment(att["file"]),
                    site.root / "site_data" / att["file"])


def safe_output_path(rel: str) -> bool:
    """A path relative to content/ that stays inside it: no .., not absolute."""
    if not isinstance(rel, str) or not rel or "\x00" in rel:
        return False
    parts = rel.split("/")
    return not rel.startswith("/") and all(p not in ("", ".", "..") for p in parts)


PARALLEL_WRITE = 2000  # files; below this, forking costs more than it saves
# With the render cache, files to make or compare, the others being the very files the last
# build left (LazyPage.held): a one-record push makes about 40 of 14,654 files, and its two
# forked writers (while the self-check took the other core) cost 1.2 s of its 13.
PARALLEL_MAKE = 300
_SHARES: tuple | None = None  # (items, content_dir, workers), inherited by the forked writers


def _write_share(k: int) -> tuple[dict, list, dict, dict]:
    items, content_dir, workers, memo = _SHARES
    return _write_items([(i, item) for i, item in enumerate(items) if i % workers == k], content_dir, memo)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(data) + 1) == data
    except (FileNotFoundError, NotADirectoryError):
        return False


def _write_items(items: list, content_dir: Path, memo=None) -> tuple[dict, list, dict, dict]:
    """Write (index, (rel, content)) items; ({written, unchanged, reused}, [(index, path written)],
    the render cache entries (key → SHA-256) of the record and listing pages among them, and
    the SHA-256 of what each file now holds, by its path (not the copied files'))."""
    stats = {"written": 0, "unchanged": 0, "reused": 0, "reused_listings": 0, "reused_files": 0}
    written, entries, digests = [], {}, {}
    for i, (rel, content) in items:
        name = posixpath.normpath(rel)
        if memo is not None and getattr(content, "held", None) is not None:
            # The file the last build left holding this entry (write): not read, no Path made.
            entries[content.key] = digests[name] = content.held
            stats["reused_files" if isinstance(content, LazyFile)
                  else "reused_listings" if content.listing else "reused"] += 1
            stats["unchanged"] += 1
            continue
        path = content_dir / rel
        if isinstance(content, Path):
            if path.exists() and path.stat().st_size == content.stat().st_size \
                    and path.read_bytes() == content.read_bytes():
                stats["unchanged"] += 1
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(content, path)
        else:
            if isinstance(content, (LazyPage, LazyFile)) and memo is not None and content.key is not None:
                data = memo.recall(content.key)
                if data is not None:
                    entries[content.key] = memo.old[content.key]
                    stats["reused_files" if isinstance(content, LazyFile)
                          else "reused_listings" if content.listing else "reused"] += 1
                else:
                    data = content.data() if isinstance(content, LazyFile) else content.text().encode("utf-8")
                    entries[content.key] = memo.keep(content.key, data)
                digests[name] = entries[content.key]
            else:
                content = content.text() if isinstance(content, (Page, LazyPage)) else \
                    content.data() if isinstance(content, LazyFile) else content
                data = content.encode("utf-8") if isinstance(content, str) else content
                digests[name] = hashlib.sha256(data).hexdigest()
            if _same_bytes(path, data):
                stats["unchanged"] += 1
                continue
            # Only for a file that is new or changed: a push of one record leaves 14,649 of
            # 14,654 files as they were, and their folders exist.
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        stats["written"] += 1
        written.append((i, path))
    return stats, written, entries, digests


def write(output: Output, content_dir: Path, prune: bool = True, workers: int | None = None,
          memo: render_cache.RenderCache | None = None) -> dict:
    """Write only what changed; remove generated files no longer produced
    (unless `prune` is off, for a partial output). `memo`: the render cache, whose Markdown of
    a record page is written instead of rendering it again when nothing it depends on changed.

    The record pages are rendered here (LazyPage): at 10,000 records that is most of the
    generate step, and each page is rendered from the loaded site alone. So a large output is
    written by forked processes, one per core (sitebuild/workers.py), each rendering and
    writing its share of the files; what they write is what one process would."""
    unsafe = [rel for rel in output.files if not safe_output_path(rel)]
    if unsafe:
        # Paths come from validated ids (索引号, column ids, region codes); this is the
        # last line of defence should a new step build one from unchecked data.
        from ..problems import DataError, Problem
        raise DataError([Problem("content", 1, 1, f"生成的文件路径“{rel}”会写到网站目录之外，已停止。"
                                                  "请检查数据中的代号、索引号，或联系技术人员。") for rel in unsafe])
    items = list(output.files.items())
    todo = len(items)
    if memo is not None:
        for rel, content in items:
            if isinstance(content, (LazyPage, LazyFile)):
                content.key = content.cache_key(memo)
                content.held = memo.holds(posixpath.normpath(rel), os.path.join(content_dir, rel), content.key)
                todo -= content.held is not None
    if workers is None:
        workers = build_workers() if todo >= (PARALLEL_WRITE if memo is None else PARALLEL_MAKE) else 1
    if workers > 1 and hasattr(os, "fork"):
        import multiprocessing

        global _SHARES
        _SHARES = (items, content_dir, workers, memo)
        try:
            with frozen_heap(), multiprocessing.get_context("fork").Pool(workers) as pool:
                shares = pool.map(_write_share, range(workers))
        finally:
            _SHARES = None
    else:
        shares = [_write_items(list(enumerate(items)), content_dir, memo)]
    stats = {key: sum(share[0][key] for share in shares) for key in ("written", "unchanged")}
    # What each generated file holds: the build cache keys pages by it without reading them again.
    stats["digests"] = {rel: sha for share in shares for rel, sha in share[3].items()}
    if memo is not None:
        memo.commit({key: sha for share in shares for key, sha in share[2].items()}, content_dir, stats["digests"])
        stats["reused_markdown"] = sum(share[0]["reused"] for share in shares)
        stats["reused_listings"] = sum(share[0]["reused_listings"] for share in shares)
        stats["reused_files"] = sum(share[0]["reused_files"] for share in shares)
    stats["removed"] = 0
    # The preview re-renders just these, in the output's order.
    stats["paths"] = [path for _, path in sorted(i for share in shares for i in share[1])]
    if prune:
        stats["removed"] = _prune(content_dir, {posixpath.normpath(rel) for rel, _ in items})
    return stats


def _prune(content_dir: Path, wanted: set[str]) -> int:
    """Remove the generated files not in `wanted` (paths relative to content_dir), then the
    folders left empty; returns how many files. One listing of the folder, children before
    their folder: asking each of 10,000 page folders whether it is empty, through Path
    objects, took 0.85 s of a one-record push (cProfile)."""
    removed, kept = 0, Counter()
    for rel, is_link, is_file in reversed(walk.entries(content_dir / GENERATED_DIR)):
        full = f"{GENERATED_DIR}/{rel}"
        parent = rel.rpartition("/")[0]
        if is_file and full not in wanted:
            (content_dir / full).unlink()
            removed += 1
        elif not (is_file or is_link) and not kept[rel]:
            (content_dir / full).rmdir()
        else:
            kept[parent] += 1
    return removed
