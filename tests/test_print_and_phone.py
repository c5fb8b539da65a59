"""In Chromium: a record prints with its 信息索引 box and without the site chrome,
and its trend charts stay readable on a 360 px phone."""
import pytest
from browser_support import chromium  # noqa: F401
from sample_data import approved, url

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def record_page(built_site):
    kind, data = next((k, d) for k, d in approved() if k == "dibao_stats")
    return (built_site / url(kind, data) / "index.html").as_uri()


@pytest.fixture(scope="module")
def policy_page(built_site):
    """A policy with its 解读 linked in the text: a link to print with its address."""
    kind, data = next((k, d) for k, d in approved() if k == "policy")
    return (built_site / url(kind, data) / "index.html").as_uri()


@pytest.fixture(scope="module")
def browser(chromium):  # noqa: F811
    return chromium


VISIBLE = "sel => { const e = document.querySelector(sel); return !!e && getComputedStyle(e).display !== 'none' " \
          "&& e.getBoundingClientRect().height > 0; }"


def test_record_prints_metadata_and_content_without_chrome(browser, policy_page):
    page = browser.new_page()
    page.goto(policy_page)
    for sel in (".md-header", ".md-tabs", ".md-footer"):
        assert page.evaluate(VISIBLE, sel), f"{sel} should be on screen"
    page.emulate_media(media="print")
    for sel in (".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-banner", ".gk-back"):
        assert not page.evaluate(VISIBLE, sel), f"{sel} is printed"
    for sel in (".gk-meta", "article h1", "article h2"):
        assert page.evaluate(VISIBLE, sel), f"{sel} is not printed"
    after = page.evaluate("""() => [...document.querySelectorAll('article a[href]:not([href^="#"])')]
        .filter(a => !a.closest('table') && getComputedStyle(a).display !== 'none' && a.offsetParent)
        .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content])""")
    assert after
    for href, content in after:
        assert href in content, (href, content)
    page.close()


def test_charts_read_on_a_360px_phone(browser, record_page):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(record_page)
    sizes = page.evaluate("""() => [...document.querySelectorAll('figure.gk-chart svg')].map(svg => {
        const box = svg.getBoundingClientRect();
        const text = svg.querySelector('text').getBoundingClientRect();
        return [box.left, box.right, text.height]; })""")
    assert len(sizes) >= 2
    for left, right, text_height in sizes:
        assert left >= 0 and right <= 360, "chart wider than the phone"
        assert right - left >= 280, "chart squeezed"
        assert text_height >= 11, f"chart text {text_height:.1f}px is too small to read"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.close()
