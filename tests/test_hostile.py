"""Publishing only what may be published, over every output of a real build.

- review gate: a record that is not 已通过 reaches no page, no Pagefind index
  entry, no dataset row, no sitemap line, no feed item, no 公开目录 row, no
  data.json figure, no published.tsv line (the sample site has a draft policy;
  the hostile site adds a draft statistics record for the dataset outputs);
- escaping: a record whose title, summary, keywords, publisher and region name
  carry markup, quotes, `]]>`, `|` and newlines leaves no live markup in any
  HTML page, feed, sitemap or JSON file, and is still shown as text;
- atomic output: a build killed with SIGKILL while MkDocs writes, and a build
  that fails, leave the previous site/ byte for byte as it was;
- reproducible: two builds of the same sources give byte-identical trees,
  Pagefind's index, sitemap.xml.gz, feeds and data.json included.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from browser_support import chromium  # noqa: F401
from conftest import ROOT, copy_project, run_cli
from extended_sample import EVIL, EVIL_LINES, REGION
from sample_data import load_yaml, records

from generator.pages.escape import theme_text
from generator.sitebuild.reproducible import read_pf
from generator.urls import urls

# The hostile records of the extended sample (extended_sample.py), by their 索引号.
RECORD_SRC = urls.record("relief", "dibao_stats", "11640399MB0000001X/2026-00001")
POLICY_SRC = urls.record("relief", "policy", "11640399MB0000001X/2026-00002")
RECORD_PAGE = urls.built(RECORD_SRC)
COLUMN_PAGE = urls.built(urls.column("relief"))
DIBAO_STATS = ("relief", "dibao_stats")

# -- helpers ---------------------------------------------------------------------------


def file_hashes(site: Path) -> dict[str, str]:
    return {f.relative_to(site).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(site.rglob("*")) if f.is_file()}


def readable(path: Path) -> str:
    """A built file as text: gzip (sitemap.xml.gz, Pagefind files) unpacked, Pagefind's CBOR as is."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8", errors="replace")


def outputs_containing(site: Path, needle: str) -> list[str]:
    return [f.relative_to(site).as_posix() for f in sorted(site.rglob("*"))
            if f.is_file() and needle in readable(f)]


def pagefind_pages(site: Path) -> dict[str, str]:
    """Pagefind's fragments: URL of each indexed page → the text the index holds for it."""
    pages = {}
    for f in (site / "pagefind/fragment").glob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])
        text = fragment["content"] + json.dumps(fragment["meta"], ensure_ascii=False)
        pages[fragment["url"]] = squash(text)
    return pages


def squash(text: str) -> str:
    # Pagefind puts zero-width spaces between the words it segments and joins lines.
    return re.sub(r"[\s\u200b]", "", text)




def slug(index_no: str) -> str:
    return index_no.replace("/", "-").lower()


def check_gate(root: Path, draft: dict, approved: dict) -> None:
    """`draft` reaches no output of root/site; `approved` (same kind) reaches each of them,
    so that every check below can fail."""
    site = root / "site"
    draft_marks = [draft["title"], draft["index_no"], slug(draft["index_no"])]
    if "body" in draft:
        draft_marks.append(draft["body"][:20])
    for mark in draft_marks:
        assert outputs_containing(site, mark) == [], mark

    # The search index, read as Pagefind's client reads it.
    indexed = pagefind_pages(site)
    assert any(slug(approved["index_no"]) in url for url in indexed)
    assert not any(slug(draft["index_no"]) in url for url in indexed)
    assert any(squash(approved["title"]) in text for text in indexed.values())
    assert not any(squash(draft["title"]) in text for text in indexed.values())

    # Sitemap (plain and gzip), feeds, catalogue, manifest: the approved record is in each.
    lines = readable(site / "sitemap.xml.gz")
    assert slug(approved["index_no"]) in lines and slug(draft["index_no"]) not in lines
    assert slug(approved["index_no"]) in (site / urls.sitemap()).read_text("utf-8")
    feeds = {f.relative_to(site).as_posix(): ET.parse(f) for f in site.rglob("atom.xml")}
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for tree in feeds.values()
              for e in tree.getroot().findall("a:entry", ns)]
    # Feeds hold the newest entries: the newest approved record is there, the draft is not.
    def newest(d):
        return (str(d.get("updated") or d["published"]), d["index_no"])
    latest = max((d for _, d in sample_records(root) if d["review"]["status"] == "已通过"), key=newest)
    assert latest["title"] in titles and draft["title"] not in titles
    catalogue = json.loads((site / urls.catalogue_file("json")).read_text("utf-8"))
    cat_text = json.dumps(catalogue, ensure_ascii=False)
    assert approved["index_no"] in cat_text and draft["index_no"] not in cat_text
    rows = list(csv.reader(io.StringIO((site / urls.catalogue_file("csv")).read_text("utf-8-sig"))))
    assert any(approved["index_no"] in row for row in rows)
    assert not any(draft["index_no"] in row for row in rows)
    manifest = (root / "site_data/published.tsv").read_text("utf-8")
    assert approved["index_no"] in manifest and draft["index_no"] not in manifest


def sample_records(root: Path):
    yield from records(root)


# -- review gate over the sample site ----------------------------------------------------


def test_draft_policy_reaches_no_output_of_the_sample_site(built_site):
    root = built_site.parent
    records = list(sample_records(root))
    drafts = [(k, d) for k, d in records if d["review"]["status"] != "已通过"]
    assert drafts, "the sample data must keep a record that is not approved"
    for kind, draft in drafts:
        approved = next(d for k, d in records if k == kind and d["review"]["status"] == "已通过"
                        and d.get("column") == draft.get("column"))
        check_gate(root, draft, approved)


# -- a hostile record through every template ----------------------------------------------

class _Markup(HTMLParser):
    """Every element and attribute a browser would create, and the page's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._script = attrs
            self.scripts.append((attrs, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        else:
            self.text.append(data)


class _Tables(HTMLParser):
    """Tables as lists of rows of (cell text, colspan)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int]]]] = []
        # Each table's row widths in grid columns, counting cells that span down from rows
        # above (rowspan: the 依申请公开 form's 申请人信息 and 公民 cells).
        self.widths: list[list[int]] = []
        self._stack: list[list] = []
        self._spans: list[list] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
            self._spans.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
            self._spans[-1].append([])
        elif tag in ("td", "th") and self._stack and self._stack[-1]:
            self._cell = []
            a = dict(attrs)
            self._stack[-1][-1].append(["", int(a.get("colspan") or 1)])
            self._spans[-1][-1].append((int(a.get("colspan") or 1), int(a.get("rowspan") or 1)))

    def handle_endtag(self, tag):
        if tag == "table" and self._stack:
            self.tables.append([[tuple(c) for c in row] for row in self._stack.pop()])
            widths, carried = [], []  # carried: [colspan, rows still covered]
            for row in self._spans.pop():
                if row:
                    widths.append(sum(c for c, _ in row) + sum(c for c, _ in carried))
                carried = [[c, n - 1] for c, n in carried if n > 1] + [[c, r - 1] for c, r in row if r > 1]
            self.widths.append(widths)
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None and self._stack and self._stack[-1] and self._stack[-1][-1]:
            self._stack[-1][-1][-1][0] += data


def test_table_cells_keep_pipes_newlines_and_markup_inside_one_cell(hostile_site):
    site = hostile_site / "site"
    cells_with_evil = 0
    for page in sorted(site.rglob("*.html")):
        parser = _Tables()
        parser.feed(page.read_text("utf-8"))
        for table, row_widths in zip(parser.tables, parser.widths):
            widths = set(row_widths)
            assert len(widths) <= 1, (page.relative_to(site).as_posix(), table[:3])
            cells_with_evil += sum(1 for row in table for text, *_ in row if EVIL in text)
    # Record lists, the latest-figures table (region name), the catalogue, the index box…
    assert cells_with_evil >= 5, cells_with_evil
    column = _Tables()
    column.feed((site / COLUMN_PAGE).read_text("utf-8"))
    assert any(REGION in text for table in column.tables for row in table for text, *_ in row)


def parse_html(path: Path) -> _Markup:
    parser = _Markup()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return parser




def test_hostile_strings_leave_no_live_markup_in_any_page(hostile_site):
    site = hostile_site / "site"
    shown = 0
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        parsed = parse_html(page)
        for tag, attrs in parsed.tags:
            assert not any(name.startswith("on") for name in attrs), (rel, tag, attrs)
            assert attrs.get("class") != "gkevil", (rel, tag)
            assert "x" not in attrs or tag == "svg" or attrs.get("x", "").replace(".", "").isdigit(), \
                (rel, tag, attrs)
            for name in ("href", "src", "action", "formaction", "xlink:href"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:text", "vbscript:")), (rel, tag, attrs)
                assert "evil.example" not in value, (rel, tag, attrs)
        for attrs, code in parsed.scripts:
            if attrs.get("type") == "application/ld+json":
                # Data, not code: the hostile text may be inside its strings, but the
                # block stays one valid JSON document that nothing closed early.
                json.loads(code)
                assert "</" not in code and "<!--" not in code, (rel, code[:200])
            else:
                assert "alert(" not in code, (rel, attrs, code[:200])
        if EVIL in "".join(parsed.text):
            shown += 1
    # The hostile text is shown, as text, on the record pages and on the lists that name them.
    assert shown >= 5, shown
    record = site / RECORD_PAGE
    text = "".join(parse_html(record).text)
    assert "恶意标题" + EVIL in text and "恶意机构" + EVIL in text and REGION in text
    assert "政务公开办" + EVIL in "".join(parse_html(site / urls.built(urls.guide())).text)
    assert "专栏说明" + EVIL in "".join(parse_html(site / COLUMN_PAGE).text)
    policy = "".join(parse_html(site / urls.built(POLICY_SRC)).text)
    assert "点我" in policy and "<script>alert(5)</script>" in policy  # escaped Markdown body, as text



def check_theme_printed_text_once(site: Path) -> None:
    """What the theme prints from front matter (<title>, description, the header) shows the
    hostile text as text, once: no markup, and no `&lt;` a reader would see. The theme prints
    these values raw (Material) or escaped (an autoescaping engine); they carry no HTML-special
    character by construction (generator/pages/escape.py theme_text), so both show the same."""
    import html as html_lib

    from generator.pages.feeds import _AnyTagLoader  # mkdocs.yml holds a !!python tag

    site_name = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_AnyTagLoader)["site_name"]
    for rel, title, description in (
            (RECORD_PAGE, "恶意标题" + EVIL_LINES, "概述" + EVIL),
            (COLUMN_PAGE, "社会救助", "专栏说明" + EVIL_LINES)):
        raw = (site / rel).read_text("utf-8")
        shown = html_lib.unescape(re.search(r"<title>(.*?)</title>", raw, re.S).group(1))
        assert re.sub(r"\s+", " ", shown) == re.sub(r"\s+", " ", f"{theme_text(title)} - {site_name}"), (rel, shown)
        meta = {a.get("name"): a.get("content") for t, a in parse_html(site / rel).tags if t == "meta"}
        assert re.sub(r"\s+", " ", meta["description"]) == re.sub(r"\s+", " ", theme_text(description))
        for seen in (shown, meta["description"]):
            assert "&lt;" not in seen and "&amp;amp;" not in seen and "&#" not in seen, (rel, seen)
    header = "".join(parse_html(site / RECORD_PAGE).text)
    assert theme_text("恶意标题" + EVIL) in header  # the header's page title
    # Our own keys keep the exact text: the 集约化 platforms' ArticleTitle, escaped once by |e.
    meta = {a.get("name"): a.get("content") for t, a in parse_html(site / RECORD_PAGE).tags if t == "meta"}
    assert meta["ArticleTitle"] == "恶意标题" + EVIL_LINES


def test_front_matter_values_reach_title_description_and_header_as_text_once(hostile_site):
    check_theme_printed_text_once(hostile_site / "site")


def test_hostile_strings_keep_feeds_sitemap_and_data_files_well_formed(hostile_site):
    site = hostile_site / "site"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed_titles = []
    for xml_file in sorted(site.rglob("*.xml")):
        tree = ET.parse(xml_file)  # raises on a broken feed or sitemap
        for entry in tree.getroot().findall("a:entry", ns):
            feed_titles.append(entry.findtext("a:title", namespaces=ns))
            for el in entry.iter():
                assert el.get("type") in (None, "text", "text/html", "application/atom+xml"), el.attrib
    ET.fromstring(gzip.decompress((site / "sitemap.xml.gz").read_bytes()))
    assert "恶意标题" + EVIL_LINES in feed_titles
    for json_file in sorted(site.rglob("*.json")):
        if "pagefind" not in json_file.parts:
            json.loads(json_file.read_text("utf-8"))
    rows = list(csv.reader(io.StringIO((site / urls.dataset_file(*DIBAO_STATS, "csv")).read_text("utf-8-sig"))))
    assert any(REGION in row for row in rows)  # one cell, commas and quotes kept inside it


def test_draft_statistics_reach_no_dataset_row_chart_or_count(hostile_site):
    root = hostile_site
    site = root / "site"
    draft, approved = load_yaml(root / "site_data/dibao_stats/draft.yaml"), \
        load_yaml(root / "site_data/dibao_stats/hostile.yaml")
    check_gate(root, draft, approved)
    assert outputs_containing(site, "98765.4") == []
    assert outputs_containing(site, "2026-Q4") == [] and outputs_containing(site, "2026年第4季度") == []
    data = json.loads((site / urls.dataset_file(*DIBAO_STATS, "json")).read_text("utf-8"))
    approved_count = sum(1 for k, d in sample_records(root)
                         if k == "dibao_stats" and d["review"]["status"] == "已通过")
    assert len([r for r in data["rows"] if r[4] == "公开数据"]) == approved_count  # besides computed 合计
    catalog = json.loads((site / urls.data_catalogue()).read_text("utf-8"))
    described = [d["description"] for d in catalog["dataset"]
                 if d["identifier"].endswith(urls.dataset_base(*DIBAO_STATS))]
    assert described and f"共 {approved_count} 条记录" in described[0]


# -- reproducible and atomic output ------------------------------------------------------


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    """A second build of the same sources as built_site, elsewhere on disk."""
    root = copy_project(tmp_path_factory.mktemp("again") / "project")
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_two_builds_of_the_same_sources_are_byte_identical(built_site, rebuilt):
    first, second = file_hashes(built_site), file_hashes(rebuilt / "site")
    assert any(name.startswith("pagefind/filter/") for name in first)
    assert "sitemap.xml.gz" in first and urls.data_catalogue() in first and urls.feed() in first
    differing = sorted(n for n in first.keys() | second.keys() if first.get(n) != second.get(n))
    assert differing == []
    # The canonical search index is still one Pagefind reads: every filter its metadata names exists.
    entry = json.loads((built_site / "pagefind/pagefind-entry.json").read_text("utf-8"))
    for info in entry["languages"].values():
        meta = read_pf(built_site / f"pagefind/pagefind.{info['hash']}.pf_meta")
        names = [name for name, _ in meta[3]]
        assert names == sorted(names) and {"专栏", "类别"} <= set(names)
        for _, filter_hash in meta[3]:
            _, values = read_pf(built_site / "pagefind/filter" / f"{filter_hash}.pf_filter")
            assert [v for v, _ in values] == sorted(v for v, _ in values)


@pytest.mark.build
def test_killed_and_failed_builds_leave_the_previous_site_unchanged(rebuilt, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(rebuilt, root, symlinks=True)
    before = file_hashes(root / "site")
    # A build killed (process group: MkDocs' forked workers and Pagefind too) while MkDocs writes.
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=root,
                            env={**os.environ, "GK_BUILD_WORKERS": "2"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    written = 0
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            work = list(root.glob(".site-new-*"))
            written = sum(1 for w in work for _ in w.rglob("index.html"))
            if written >= 10:
                break
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the build finished before it could be killed"
    assert written >= 10
    assert list(root.glob(".site-new-*")), "the killed build's directory should be left over"
    assert file_hashes(root / "site") == before

    # A build that fails after MkDocs has started writing: same site, and the killed build's leftovers gone.
    home = root / "templates/home.md.j2"
    home.write_text(home.read_text("utf-8") + "\n[坏链接](no-such-page.md)\n", "utf-8")
    result = run_cli(root, "build")
    assert result.returncode == 1 and "已发布的站点没有改动" in result.stderr, result.stderr
    # MkDocs' strict mode: a link to a page that does not exist fails the build, named.
    assert "MkDocs 构建失败" in result.stderr and "no-such-page.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert file_hashes(root / "site") == before
    assert list(root.glob(".site-new-*")) == [] and list(root.glob(".site-old-*")) == []


def test_no_generated_path_can_leave_the_output_directory(tmp_path):
    from generator.pages import render
    from generator.problems import DataError

    content = tmp_path / "project/content"
    content.mkdir(parents=True)
    # Literal on purpose: hand-made traversal paths (and one harmless neighbour), no site address.
    for rel in ("../outside.md", "zwgk/../../outside.md", str(tmp_path / "abs.md"), "zwgk//x.md"):
        out = render.Output(files={"zwgk/ok.md": "ok", rel: "evil"})  # literal: see above
        with pytest.raises(DataError) as err:
            render.write(out, content)
        assert "会写到网站目录之外" in err.value.problems[0].message
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == []
    page = urls.record("relief", "policy", "A/B")
    render.write(render.Output(files={page: "ok"}), content)
    assert (content / page).read_text() == "ok"


@pytest.mark.browser
def test_hostile_record_is_inert_in_chromium_on_its_page_and_in_search(hostile_site, chromium):
    """What Chromium makes of it: the page and Pagefind's results (titles, excerpts, meta) show
    the text, no script runs, no injected element or handler exists."""
    from urllib.parse import quote

    import search_transfer
    from browser_support import Browsing, wait_results

    server, base = search_transfer.serve(hostile_site / "site", "/")
    browsing = Browsing(chromium)
    try:
        page = browsing.page
        injected = "() => document.querySelectorAll('.gkevil, [onmouseover], [onerror], img[src=\"x\"]').length"
        page.goto(base + urls.url(RECORD_SRC))
        assert page.title().startswith(theme_text("恶意标题" + EVIL.split("\n")[0]))
        assert EVIL in page.locator("h1").first.inner_text()
        assert page.evaluate(injected) == 0
        page.goto(base + urls.url(POLICY_SRC))
        assert page.evaluate(injected) == 0
        assert page.evaluate("() => [...document.links].filter(a => a.protocol === 'javascript:').length") == 0
        page.goto(base + "search/?q=" + quote("恶意"))
        hrefs = wait_results(page)
        assert any("11640399mb0000001x-2026-00001" in h for h in hrefs), hrefs
        # Excerpts arrive after the titles: wait until the hostile text is shown, as text.
        page.wait_for_function("""() => [...document.querySelectorAll('.pagefind-ui__result')]
            .some(e => e.innerText.includes('</script>') || e.innerText.includes('alert(1)'))""", timeout=30000)
        shown = " ".join(page.locator(".pagefind-ui__result").all_inner_texts())
        assert "</script>" in shown or "alert(1)" in shown
        assert page.evaluate(injected) == 0
        # The canonical filter files (generator/sitebuild/reproducible.py) are the ones Pagefind reads.
        filters = page.evaluate("""async () => { const pf = await import('/pagefind/pagefind.js');
            await pf.options({}); await pf.init(); return await pf.filters(); }""")
        assert filters["专栏"].get("社会救助", 0) > 0 and filters["类别"].get("政策文件", 0) > 0, filters
        page.locator(".pagefind-ui__result-link").first.hover()
        assert browsing.dialogs == [] and browsing.popups == []
        assert browsing.outside == []
    finally:
        browsing.close()
        server.shutdown()


def test_markdown_is_accepted_only_in_fields_the_schema_declares_as_markdown():
    """`|md` (sanitised Markdown) only on fields with contentMediaType text/markdown, in the
    template of that field's kind; `|safe` nowhere: every other value is escaped by the environment."""
    from conftest import ROOT
    from generator.model.kinds import load_kinds

    kinds, _ = load_kinds(ROOT)
    uses = []
    for template in sorted((ROOT / "templates").rglob("*.j2")):
        text = template.read_text("utf-8")
        assert not re.search(r"\|\s*safe\b", text), template
        for m in re.finditer(r"([\w.\[\]'\"]+)\s*\|\s*md\b", text):
            uses.append((template, m.group(1)))
    assert uses, "the policy and 解读 bodies are Markdown"
    for template, expr in uses:
        assert template.parent.name == "kinds", f"{template.name}: |md outside a kind's template"
        kind = kinds[template.name.split(".")[0]]
        assert expr.startswith("r.data."), (template.name, expr)
        node = kind.schema
        for part in expr[len("r.data."):].split("."):
            node = node["properties"][part]
        assert node.get("contentMediaType") == "text/markdown", (template.name, expr)
