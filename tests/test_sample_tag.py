"""The 示例数据 tag on a record's tables, and the 示例数据 notice on its page, follow the
record's own `sample` flag (issue 18): a real record published beside sample data is not
marked as sample, a sample one is.
Rendered in-process from the bundled sample, each record once with its flag on and once off."""
import re

import pytest
from conftest import ROOT

from generator.pages.render import render
from generator.urls import urls
from generator.model.validate import load_site

TAG = '<span class="gk-sample-tag">示例数据</span>'
NOTICE = '!!! warning "示例数据"'
# Templates that print a table of the record's own data: the record_table and figures_table
# macros of _macros.md.j2, or the form tables of _record_tables.md.j2 (not a table of no
# figures, which is called with tag=False: a service guide's list of materials).
PRINTS_A_TABLE = re.compile(r"m\.record_table\(r,(?![^%]*tag=False)|m\.figures_table\(kind, \[r\]|tables\.(sectioned|blocks|across)\(r,")
KINDS = sorted(p.name.removesuffix(".md.j2") for p in (ROOT / "templates/kinds").glob("*.md.j2")
               if PRINTS_A_TABLE.search(p.read_text("utf-8")))


@pytest.fixture(scope="module")
def site():
    site, problems = load_site(ROOT)
    assert site is not None, [p.format() for p in problems]
    assert site.config.get("sample_data"), "the sample site is no longer marked sample: update this test"
    return site


def page(site, record, sample: bool) -> str:
    """The record's page, rendered with its flag set to `sample`."""
    saved = record.data.get("sample")
    record.data["sample"] = sample
    try:
        return render(site, only={record.src}).text(record.src)
    finally:
        record.data["sample"] = saved


def captions(site, record, sample: bool) -> list[str]:
    return re.findall(r"<caption>(.*?)</caption>", page(site, record, sample))


def test_every_kind_printing_a_record_table_is_covered():
    # 14 templates with hand-written tables of figures (now record_table), 4 statistics kinds
    # with only figures_table, the 年度报告 (_record_tables.md.j2).
    assert len(KINDS) >= 19, KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_a_record_table_carries_the_sample_tag_only_when_the_record_is_sample(site, kind):
    records = [r for r in site.records if r.kind.id == kind and r.approved]
    assert records, f"no approved sample record of {kind}"
    # Some tables are optional (a fee catalogue's 查处结果): the first record that prints one.
    record = next((r for r in records if any(TAG in c for c in captions(site, r, True))), None)
    assert record is not None, f"{kind}: no sample record's tables carry the 示例数据 tag"
    untagged = captions(site, record, False)
    assert untagged and not [c for c in untagged if TAG in c], f"{kind}: a real record's table is marked 示例数据"


def test_the_notice_on_a_record_page_follows_the_record(site):
    record = next(r for r in site.records if r.approved and r.kind.id == "policy")
    assert NOTICE in page(site, record, True)
    assert NOTICE not in page(site, record, False)
    # The site's other pages keep theirs while the site carries sample data.
    assert NOTICE in render(site).text(urls.home())
