"""End to end: the bundled sample data through the real CLI to a built MkDocs site."""
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import ROOT, run_cli
from sample_data import records
from extended_sample import FLOOD_PAGE, FLOOD_RECORD, add_flood_notice_kind
from generator.urls import urls

SAMPLE = ROOT / "site_data"


def sample_records():
    yield from records()


def page_for(site: Path, kind: str, data: dict) -> Path:
    column = data.get("column") or {"dibao_stats": "relief", "subsidy_program": "subsidies"}.get(kind)
    if column is None:
        schema = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
        column = schema["x-kind"]["column"]
    return site / urls.built(urls.record(column, kind, data["index_no"]))


def html_text(path: Path) -> str:
    return path.read_text("utf-8")


def tree_hash(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(path.rglob("*")):
        if f.is_file():
            h.update(f.relative_to(path).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def test_every_column_page_has_its_parts(built_site):
    site_cfg = yaml.safe_load((SAMPLE / "site.yaml").read_text("utf-8"))
    for column in site_cfg["columns"]:
        html = html_text(built_site / urls.built(urls.column(column["id"])))
        assert column["name"] in html
        assert column["lead_dept"] in html, column["id"]
        assert "公开依据" in html and "最后更新" in html
        assert "示例数据" in html


def test_every_approved_record_has_a_page_with_the_index_box(built_site):
    kinds_seen = set()
    for kind, data in sample_records():
        page = page_for(built_site, kind, data)
        if data["review"]["status"] != "已通过":
            assert not page.exists(), page
            continue
        kinds_seen.add(kind)
        html = html_text(page)
        assert 'aria-label="信息索引"' in html
        for label in ("索引号", "发布机构", "发布日期", "文号", "主题分类", "有效性"):
            assert f"<th scope=\"row\">{label}</th>" in html, (page, label)
        assert data["index_no"] in html
        assert "示例数据" in html
    schemas = {p.name[:-12] for p in (ROOT / "schemas").glob("*.schema.json")} - {"common", "site"}
    assert kinds_seen == schemas, "every kind needs sample records"


def test_latest_figures_first_on_the_relief_column(built_site):
    html = html_text(built_site / urls.built(urls.column("relief")))
    latest = max(d["period"] for k, d in sample_records() if k == "dibao_stats")
    tongxin = [d for k, d in sample_records() if k == "dibao_stats"
               and d["period"] == latest and d["region"]["code"] == "640324"][0]
    # First the computed 全区/各市 totals (tests/test_aggregates.py), then each county's figures.
    first_end = html.index("</table>")
    assert "全区合计" in html[html.index("<table"):first_end]
    second_table = html[html.index("<table", first_end):html.index("</table>", first_end + 1)]
    assert "同心县" in second_table
    assert f">{tongxin['rural']['recipients']}<" in second_table
    assert f">{tongxin['rural']['standard']}<" in second_table


def test_dibao_record_shows_all_required_figures(built_site):
    kind, data = next((k, d) for k, d in sample_records() if k == "dibao_stats")
    html = html_text(page_for(built_site, kind, data))
    for label in ("对象人数", "低保标准", "补助水平", "资金支出", "特困人员"):
        assert label in html
    assert f">{data['urban']['recipients']}<" in html
    assert str(data["tekun"]["persons"]) in html


def test_policy_and_interpretation_link_both_ways(built_site):
    recs = list(sample_records())
    policy = next(d for k, d in recs if k == "policy" and d["review"]["status"] == "已通过")
    interp = next(d for k, d in recs if k == "interpretation" and d["policy"] == policy["index_no"])
    p_html = html_text(page_for(built_site, "policy", policy))
    i_html = html_text(page_for(built_site, "interpretation", interp))
    assert interp["title"] in p_html and "政策解读" in p_html
    assert policy["title"] in i_html and "被解读的政策文件" in i_html


def test_unapproved_record_reaches_no_output(built_site):
    draft = next(d for k, d in sample_records() if d["review"]["status"] != "已通过")
    for f in built_site.rglob("*"):
        if f.is_file() and f.suffix in (".html", ".json", ".xml", ".csv", ".txt"):
            text = f.read_text("utf-8", errors="replace")
            assert draft["title"] not in text, f
            assert draft["index_no"] not in text, f


def test_home_lists_columns_and_recent_updates(built_site):
    html = html_text(built_site / "index.html")
    for name in ("社会救助", "补贴与收费", "住房保障", "教育"):
        assert name in html
    assert "最近更新" in html and "示例数据" in html
    assert 'lang="zh' in html


def test_datasets_download_as_csv_with_bom_and_json(built_site):
    csv_path = built_site / urls.dataset_file("relief", "dibao_stats", "csv")
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("索引号,地区代码,地区,统计期,数据类型,城市低保对象人数（人）")
    data = json.loads((built_site / urls.dataset_file("relief", "dibao_stats", "json")).read_text("utf-8"))
    # Besides the records, computed 全区/各市 totals (数据类型 says which; tests/test_aggregates.py).
    assert len([r for r in data["rows"] if r[4] == "公开数据"]) == sum(
        1 for k, _ in sample_records() if k == "dibao_stats")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append((tag, value))


def test_no_broken_internal_links_and_nothing_loaded_from_outside(built_site):
    broken, outside = [], []
    for page in built_site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        for tag, link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                if tag in ("script", "link", "img", "iframe", "source"):
                    outside.append((page, link))
                continue
            if not parts.path:
                continue
            base = built_site if parts.path.startswith("/") else page.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append((page.relative_to(built_site), link))
    assert outside == []
    assert broken == []


def test_invalid_data_leaves_the_existing_site_untouched(built_site, project):
    shutil.copytree(built_site, project / "site", symlinks=True)  # a site published earlier
    before = tree_hash(project / "site")
    target = next((project / "site_data/dibao_stats").glob("*.yaml"))
    target.write_text(target.read_text("utf-8").replace("recipients:", "recipents:", 1), "utf-8")
    second = run_cli(project, "build")
    assert second.returncode == 1
    assert re.search(rf"site_data/dibao_stats/{target.name}:\d+:\d+: 不认识的字段“recipents”", second.stderr)
    assert "已发布的站点没有改动" in second.stderr
    assert tree_hash(project / "site") == before
    # Not a terminal and not asked (--progress): no progress lines, not even the first stage's.
    assert "[1/4]" not in second.stderr


@pytest.mark.build
def test_a_build_that_fails_at_the_swap_records_nothing_as_published(small, monkeypatch):
    """site_data/published.tsv lists what went live: written after the swap, never before."""
    from generator.problems import DataError, Problem
    from generator.sitebuild import build

    project = small  # any site will do: the smaller sample builds faster
    manifest = project / "site_data/published.tsv"
    manifest.unlink()  # a site that has published nothing yet

    def swap_fails(new_dir, site_dir):
        raise DataError([Problem("site", 1, 1, "替换站点目录失败")])

    monkeypatch.setattr(build, "swap_in", swap_fails)
    with pytest.raises(DataError):
        build.build(project)
    assert not manifest.exists()
    assert not (project / "site").exists()
    assert not list(project.glob(".site-new-*"))  # the new tree is removed with the failed build



@pytest.mark.build
def test_a_failure_after_the_swap_says_the_new_site_is_in_place(small):
    """Once site/ is replaced, "已发布的站点没有改动" would be false: the editor reads that the
    new site is there and what to do about the record of published 索引号."""
    project = small  # any site will do: the smaller sample builds faster
    manifest = project / "site_data/published.tsv"
    manifest.unlink()
    (project / "site_data/published.tsv.tmp").mkdir()  # the manifest's write cannot complete

    result = run_cli(project, "build")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "已经换成新构建的网站" in result.stderr and "python -m generator manifest" in result.stderr
    assert "没有改动" not in result.stderr and "Traceback" not in result.stderr
    assert (project / "site/index.html").exists()
    assert "IsADirectoryError" in (project / ".generator-error.log").read_text("utf-8")

def test_the_build_collects_garbage_rarely_and_puts_the_settings_back(small, monkeypatch):
    """Every step of a build (and the workers it forks) runs with the young generation collected
    after workers.ALLOCATIONS_PER_COLLECTION allocations; a failed build too gives the caller's
    settings back."""
    import gc

    from generator import pipeline
    from generator.problems import DataError, Problem
    from generator.sitebuild import build, workers

    seen = []

    def generate(*args, **kwargs):
        seen.append(gc.get_threshold())
        raise DataError([Problem("site_data", 1, 1, "停在这里")])

    monkeypatch.setattr(pipeline, "generate", generate)
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        with pytest.raises(DataError):
            build.build(small)
        assert seen and seen[0][0] == workers.ALLOCATIONS_PER_COLLECTION
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)


def test_every_command_collects_garbage_rarely(small, monkeypatch):
    """`validate`, `check` and the preview load the site as a build does (cli/main.py)."""
    import gc

    from generator import pipeline
    from generator.cli.main import main
    from generator.problems import DataError, Problem
    from generator.sitebuild import workers

    seen = []

    def load_and_check(*args, **kwargs):
        seen.append(gc.get_threshold()[0])
        raise DataError([Problem("site_data", 1, 1, "停在这里")])

    monkeypatch.setattr(pipeline, "load_and_check", load_and_check)
    before = gc.get_threshold()
    assert main(["--root", str(small), "validate"]) == 1
    assert seen == [workers.ALLOCATIONS_PER_COLLECTION] and gc.get_threshold() == before


def test_a_forked_run_gives_back_the_callers_own_objects():
    """workers.Forked (the self-check while the pages render): the value is computed in another
    process, and the shared objects in it are this process's, not copies."""
    import os

    from generator.sitebuild.workers import Forked

    shared = [object(), {"地区": "银川市"}]
    pid, first, (second,), text = Forked(lambda: (os.getpid(), shared[0], [shared[1]], "自查"), shared).result()
    assert pid != os.getpid()
    assert first is shared[0] and second is shared[1] and text == "自查"


def test_what_a_forked_run_raises_is_raised_in_the_caller():
    import os

    from generator.sitebuild.workers import Forked

    calls = []

    def run():
        calls.append(os.getpid())
        raise ValueError("规则设置有误")

    with pytest.raises(ValueError, match="规则设置有误"):
        Forked(run, []).result()
    assert calls == [os.getpid()]  # run again here after the forked process failed


def test_add_a_kind_from_files_only(extended_site, project):
    """A new column kind is a schema, a template and data: no Python change
    (built in the extended sample, tests/extended_sample.py)."""
    html = (extended_site / "site" / FLOOD_PAGE).read_text("utf-8")
    assert "防汛黄色预警通告" in html and "黄色" in html
    assert "&lt;b&gt;" in html or "&#60;b&#62;" in html  # escaped, never live HTML
    assert "<b>立即转移</b>" not in html
    assert "防汛通告" in (extended_site / "site" / urls.built(urls.column("relief"))).read_text("utf-8")
    # Its schema is enforced like any other: on a plain copy of the sample, no build needed.
    add_flood_notice_kind(project)
    assert run_cli(project, "validate").returncode == 0
    (project / "site_data/flood_notice/bad.yaml").write_text(
        FLOOD_RECORD.replace("level: 黄色", "level: 紫色").replace("00001", "00002"), "utf-8")
    result = run_cli(project, "validate")
    assert result.returncode == 1 and "“level”（预警等级）只能是以下之一：蓝色、黄色、橙色、红色" in result.stderr


def _wait_gone(pattern_dir: Path, pattern: str, seconds: float = 30) -> list:
    import time
    deadline = time.monotonic() + seconds
    while (left := list(pattern_dir.glob(pattern))) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_the_old_site_is_deleted_after_the_swap_by_another_process(tmp_path, monkeypatch):
    """The swap returns once the new site is in place: the old tree goes in a process of its own."""
    from generator.sitebuild import build

    site, new = tmp_path / "site", tmp_path / ".site-new-x"
    for d, text in ((site, "old"), (new, "new")):
        for i in range(200):
            (d / f"p{i}").mkdir(parents=True)
            (d / f"p{i}" / "index.html").write_text(text, "utf-8")

    def no_rmtree(*a, **kw):
        raise AssertionError("deleted in the build process")

    monkeypatch.setattr(build.shutil, "rmtree", no_rmtree)
    build.swap_in(new, site)
    assert {p.read_text("utf-8") for p in site.rglob("index.html")} == {"new"}
    assert not new.exists()
    assert _wait_gone(tmp_path, ".site-old-*") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_old_site_is_deleted_at_once_when_no_process_can_be_started(tmp_path, monkeypatch):
    from generator.sitebuild import build

    site, new = tmp_path / "site", tmp_path / ".site-new-x"
    for d in (site, new):
        (d / "a").mkdir(parents=True)
        (d / "a" / "index.html").write_text(d.name, "utf-8")

    def cannot_start(*a, **kw):
        raise OSError("no processes left")

    monkeypatch.setattr(build.subprocess, "Popen", cannot_start)
    build.swap_in(new, site)
    assert (site / "a" / "index.html").read_text("utf-8") == ".site-new-x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_split_map_deals_the_items_to_other_processes_and_keeps_their_order():
    """workers.split_map (validating record files, scanning pages for links in a cold build)."""
    import os

    from generator.sitebuild.workers import split_map

    items = [f"记录{i}" for i in range(9)]
    out = split_map(lambda x: (x + "已校验", os.getpid()), items, workers=3, least=1)
    assert [x for x, _ in out] == [f"记录{i}已校验" for i in range(9)]
    pids = [pid for _, pid in out]
    assert pids[0::3] == [os.getpid()] * 3
    assert len(set(pids[1::3])) == 1 and len(set(pids[2::3])) == 1 and len(set(pids)) == 3
    # Too few items: no process is forked.
    assert {pid for _, pid in split_map(lambda x: (x, os.getpid()), items, workers=3)} == {os.getpid()}


def test_what_a_split_map_function_raises_is_raised_in_the_caller():
    from generator.sitebuild.workers import split_map

    def judge(x):
        if x == 7:
            raise ValueError("第 7 个文件无法读取")
        return x

    with pytest.raises(ValueError, match="第 7 个文件无法读取"):
        split_map(judge, list(range(10)), workers=2, least=1)
