"""Accessibility in Chromium: axe-core (WCAG 2.1 A/AA) on every page template, keyboard use,
landmarks and heading order."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser_support import (browsing, chromium, page, page_templates, site_url,  # noqa: F401
                             wait_results)

pytestmark = pytest.mark.browser

WCAG21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
_axe = Axe()


def violations(page) -> list[str]:
    results = _axe.run(page, options=WCAG21_AA)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


def open_template(page, site_url, name, rel):
    page.goto(site_url + rel)
    if name == "search":
        wait_results(page)


def test_axe_finds_no_wcag21_aa_violations_on_any_template(page, site_url, built_site):
    found = {}
    for name, rel in page_templates(built_site).items():
        open_template(page, site_url, name, rel)
        v = violations(page)
        if v:
            found[name] = v
    assert not found, found


def test_axe_in_elder_mode(page, site_url, built_site):
    """特大 text and high contrast keep WCAG 2.1 AA (contrast above all)."""
    templates = page_templates(built_site)
    page.goto(site_url)
    page.click("[data-gk-size='xl']")
    page.click("[data-gk-contrast]")
    found = {}
    for name in ("home", "column", "search", next(k for k in templates if k.startswith("record:"))):
        open_template(page, site_url, name, templates[name])
        assert page.evaluate("document.documentElement.className").split() >= ["gk-contrast"]
        v = violations(page)
        if v:
            found[name] = v
    assert not found, found


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e),
        r = e.getBoundingClientRect();
      return {id: e.id, cls: e.className, tag: e.tagName, text: (e.textContent || '').trim().slice(0, 20),
              outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
              visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight}; }""")


def test_keyboard_skip_link_focus_and_search(page, site_url, built_site):
    record = next(v for k, v in page_templates(built_site).items() if k.startswith("record:"))
    page.goto(site_url + record)
    page.keyboard.press("Tab")
    first = focused(page)
    assert "md-skip" in first["cls"] and first["visible"] and first["outline"], first
    target = page.get_attribute(".md-skip", "href")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == target
    # getElementById: heading ids of Chinese titles are often digits only (同心县2026年… → "2026"),
    # which querySelector("#2026") refuses as a CSS selector although the anchor works.
    assert page.evaluate(
        "document.getElementById(decodeURIComponent(location.hash.slice(1))).getBoundingClientRect().top") < 400

    # From the top of the page, Tab reaches the search box; every stop shows its focus.
    page.goto(site_url + record)
    stops = []
    for _ in range(15):
        page.keyboard.press("Tab")
        f = focused(page)
        stops.append(f)
        assert f["visible"] and f["outline"], f"focus not visible on {f}"
        if f["id"] == "gk-q":
            break
    assert stops[-1]["id"] == "gk-q", [s["text"] or s["id"] for s in stops]
    page.keyboard.type("随迁子女入学")
    page.keyboard.press("Enter")
    assert wait_results(page)
    # The size and contrast buttons come right after it, and work from the keyboard.
    page.focus("#gk-q")
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.gkSize") == "l":
            break
    page.keyboard.press("Enter")
    assert "gk-size-l" in page.evaluate("document.documentElement.className")


HEADINGS_AND_LANDMARKS = """() => {
  const levels = [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]
    .filter(h => h.getClientRects().length).map(h => +h.tagName[1]);
  const count = sel => document.querySelectorAll(sel).length;
  return {levels, banner: count('header'), main: count('main'), nav: count('nav'),
          contentinfo: count('footer'), search: count('[role=search]'), h1: count('h1')};
}"""


def test_landmarks_and_heading_order(page, site_url, built_site):
    problems = {}
    for name, rel in page_templates(built_site).items():
        open_template(page, site_url, name, rel)
        r = page.evaluate(HEADINGS_AND_LANDMARKS)
        levels = r["levels"]
        bad = []
        if r["h1"] != 1 or not levels or levels[0] != 1:
            bad.append(f"h1 count {r['h1']}, first heading {levels[:1]}")
        skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
        if skips:
            bad.append(f"heading levels skip: {skips}")
        for landmark in ("banner", "main", "nav", "contentinfo", "search"):
            if r[landmark] < 1:
                bad.append(f"no {landmark} landmark")
        if r["main"] != 1 or r["banner"] < 1:
            bad.append(f"main {r['main']}")
        if bad:
            problems[name] = bad
    assert not problems, problems
