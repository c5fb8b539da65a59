"""The phone and 大字 (elder mode) passes over every page template (360 px, 特大 text and high
contrast, 200 % zoom), in a module of their own so that `make test`'s two processes can run
them beside test_browser_a11y.py's full-size axe pass instead of after it."""
from __future__ import annotations

import pytest

from browser_support import browsing, chromium, component_cover, page_templates, site_url  # noqa: F401
from test_browser_a11y import PAGE_WIDTH, PHONE, STYLE_RULES, ZOOM_200, elder_mode, open_template, violations

pytestmark = pytest.mark.browser


def test_axe_in_elder_mode_on_a_phone(browsing, site_url, built_site):
    """特大 text and high contrast on a 360 px phone: the WCAG 2.1 AA rules styles can break hold
    (contrast, links told apart, keyboard-reachable scroll boxes for wide tables) on the templates
    that between them show every component (component_cover), and no template is wider than the
    screen."""
    page = browsing(viewport=PHONE).page
    elder_mode(page, site_url)
    found, wide = {}, {}
    templates = page_templates(built_site)
    styled = component_cover(built_site, templates)  # axe where a new combination shows; width everywhere
    assert len(styled) < len(templates)
    for name, rel in templates.items():
        open_template(page, site_url, name, rel)
        assert {"gk-size-xl", "gk-contrast"} <= set(page.evaluate("document.documentElement.className").split())
        v = violations(page, STYLE_RULES) if name in styled else []
        if v:
            found[name] = v
        if page.evaluate(PAGE_WIDTH) > PHONE["width"]:
            wide[name] = page.evaluate(PAGE_WIDTH)
    assert not found, found
    assert not wide, f"pages wider than a 360 px phone in 特大 text: {wide}"


def test_layout_holds_on_a_phone_and_at_200_percent_zoom(browsing, site_url, built_site):
    """Standard text at 360 px and at 200% zoom: nothing makes the page scroll sideways; a table
    wider than the screen scrolls in its own box, which the keyboard can reach."""
    templates = page_templates(built_site)
    problems = {}
    for viewport in (PHONE, ZOOM_200):
        page = browsing(viewport=viewport).page
        for name, rel in templates.items():
            open_template(page, site_url, name, rel)
            r = page.evaluate("""() => {
              const boxes = [...document.querySelectorAll('.md-content table')].map(t => {
                let box = t.parentElement;
                while (box && !/auto|scroll/.test(getComputedStyle(box).overflowX)) box = box.parentElement;
                return {wide: t.getBoundingClientRect().width > innerWidth,
                        focusable: !!box && box.tabIndex >= 0,
                        boxRight: box ? box.getBoundingClientRect().right : Infinity};
              });
              return {width: document.documentElement.scrollWidth, boxes};
            }""")
            bad = [b for b in r["boxes"] if b["wide"] and (not b["focusable"] or b["boxRight"] > viewport["width"] + 1)]
            if r["width"] > viewport["width"] or bad:
                problems[f"{viewport['width']}px {name}"] = (r["width"], bad)
    assert not problems, problems
