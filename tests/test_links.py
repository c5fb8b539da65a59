"""No dead link (issue 16): internal links and the site's own addresses, as links or as plain
text, resolve in the built site or the build fails; outside addresses are listed for the editor."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import write
from generator.checks import link_check
from generator.problems import DataError
from generator.sitebuild.progress import build_summary

BASE = "https://gk.example.gov.cn/"
JIUCUO = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=6400000001"


def test_every_internal_link_and_own_address_of_the_sample_resolves(built_site):
    problems, outside = link_check.check(built_site, BASE)
    assert problems == []
    # The 政府网站找错 entry is on every page and is an outside system: listed, not fetched.
    jiucuo = [u for u in outside if u.startswith(JIUCUO)]
    assert jiucuo and len(outside[jiucuo[0]]) > 100


def _tiny_site(tmp_path: Path, body: str) -> Path:
    """A hand-made three-file site for the link checker: its paths (and the addresses in the
    tests' text below) are literal fixture data, not pages of the generated site."""
    out = tmp_path / "site"
    write(out / "index.html", "<html><body><a href=\"zwgk/\">专栏</a></body></html>")  # literal: fixture
    write(out / "zwgk" / "index.html", f"<html><body><article>{body}</article></body></html>")
    write(out / "zwgk" / "a.docx", "x")
    return out


def test_a_broken_own_address_in_text_fails_the_build_with_a_chinese_message(tmp_path):
    # Literal addresses: text an editor typed into a page of the hand-made site.
    out = _tiny_site(tmp_path, "<p>网上申请：https&#58;//gk.example.gov.cn/ysqgk/。也可以访问 gk.example.gov.cn/zwgk/nothing/ 。"
                               "<a href=\"../missing/\">旧页面</a><a href=\"a.docx\">申请表</a><a href=\"#x\">本页</a>"
                               "正常：https://gk.example.gov.cn/zwgk/ 和 gk.example.gov.cn/zwgk/a.docx</p>")
    site = SimpleNamespace(root=tmp_path, config={"domain": "gk.example.gov.cn"})
    with pytest.raises(DataError) as exc:
        link_check.check_links(site, out, tmp_path)
    messages = [p.format() for p in exc.value.problems]
    assert len(messages) == 3, messages
    # Literal: the exact message an editor reads, naming the hand-made page.
    assert any("content/zwgk/index.md:1:1: 页面 /zwgk/index.html 中的本站地址“https://gk.example.gov.cn/ysqgk/”在网站中不存在"
               in m for m in messages), messages
    assert any("“gk.example.gov.cn/zwgk/nothing/”" in m for m in messages), messages  # literal: message text
    assert any("的链接“../missing/”" in m for m in messages), messages


def test_outside_addresses_are_listed_in_the_build_summary(tmp_path):
    # Literal: outside addresses (another government's site), not addresses of this site.
    out = _tiny_site(tmp_path, "<p>详见 <a href=\"https://www.gov.cn/zhengce/\">中国政府网</a>，"
                               "或 http://www.nx.gov.cn/zwgk/。</p><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")
    problems, outside = link_check.check(out, BASE)
    assert problems == []
    assert set(outside) == {"https://www.gov.cn/zhengce/", "http://www.nx.gov.cn/zwgk/"}  # literal: outside
    result = SimpleNamespace(site=SimpleNamespace(records=[], columns={}, outside_addresses=outside),
                             problems=[], site_dir=Path("site"), render_stats={})
    text = build_summary(result)
    assert "站外地址 2 个（构建时无法检查，请逐个打开确认仍然有效）" in text
    assert "  https://www.gov.cn/zhengce/（/zwgk/index.html）" in text  # literal: summary text, hand-made page


def test_with_the_build_cache_a_page_unchanged_still_has_its_links_checked(tmp_path, monkeypatch):
    """The cache keeps what each page links to (by its bytes), never whether the targets exist:
    an unchanged page whose target is gone fails as in a build without the cache."""
    from generator.sitebuild.build_cache import Cache

    body = ("<p>gk.example.gov.cn/zwgk/a.docx <a href=\"a.docx\">申请表</a> https://gk.example.gov.cn/zwgk/a.docx"
            " <a href=\"https://www.gov.cn/zhengce/\">中国政府网</a></p>")  # literal: fixture text
    out = _tiny_site(tmp_path, body)
    plain = link_check.check(out, BASE)
    cache = Cache(tmp_path / "cache", "key")
    assert link_check.check(out, BASE, cache) == plain and plain[0] == []
    cache.commit()
    (out / "zwgk" / "a.docx").unlink()
    plain = link_check.check(out, BASE)
    monkeypatch.setattr(link_check._Links, "scan", lambda *a: pytest.fail("scanned again"))
    assert link_check.check(out, BASE, Cache(tmp_path / "cache", "key")) == plain and len(plain[0]) == 3


def test_pages_scanned_in_several_processes_give_the_same_findings(tmp_path, monkeypatch):
    """A cold build scans its pages in every build process (workers.split_map): the same dead
    links in the same order, the same outside addresses."""
    import os

    from generator.sitebuild import workers

    out = _tiny_site(tmp_path, "<p>首页</p>")
    for i in range(7):  # literal addresses: fixture pages of the hand-made site
        write(out / f"p{i}" / "index.html", f"<html><body><a href=\"../gone{i}/\">旧页面</a>"
                                           f"<a href=\"https://www.gov.cn/{i}/\">中国政府网</a></body></html>")
    monkeypatch.setenv("GK_BUILD_WORKERS", "1")
    alone = link_check.check(out, BASE)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    monkeypatch.setattr(workers, "SPLIT_LEAST", 1)
    monkeypatch.setenv("GK_BUILD_WORKERS", "2")
    shared = link_check.check(out, BASE)
    assert forks, "the pages were not shared out"
    assert [p.format() for p in shared[0]] == [p.format() for p in alone[0]] and len(alone[0]) == 7
    assert shared[1] == alone[1] and len(alone[1]) == 7
