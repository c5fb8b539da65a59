"""generator/urls.py: the one place the site's addresses are spelled."""
import pytest

from conftest import ROOT
from generator.model.validate import load_site
from generator.urls import page_url, urls


def test_a_source_path_gives_the_directory_url_mkdocs_gives_it():
    assert page_url(urls.home()) == ""
    assert page_url(urls.column("relief")) == "zwgk/relief/"
    assert page_url(urls.kind("relief", "dibao_stats")) == "zwgk/relief/dibao_stats/"
    assert page_url("zwgk/about.md") == "zwgk/about/"


def test_a_record_address_comes_from_its_index_no():
    assert urls.record("relief", "dibao_stats", "MZ-2024/0001") == "zwgk/relief/dibao_stats/mz-2024-0001/index.md"
    assert urls.record_table(urls.record("relief", "dibao_stats", "A1"), "rows") == \
        "zwgk/relief/dibao_stats/a1/rows.csv"


def test_the_model_takes_its_addresses_from_urls():
    site, problems = load_site(ROOT)
    assert site is not None, [p.format() for p in problems]
    for column in site.columns.values():
        assert (column.src, column.url) == (urls.column(column.id), page_url(urls.column(column.id)))
    for r in site.approved_records:
        assert r.src == urls.record(r.column_id, r.kind.id, r.index_no)
        assert r.url == page_url(r.src)


def addresses(site) -> list[str]:
    """Every address urls gives for a site: Markdown sources (…md) and files."""
    found = [urls.home(), urls.catalogue(), urls.catalogue_file("csv"), urls.catalogue_file("json"),
             urls.guide(), urls.application(), urls.application_form(), urls.report(), urls.site_map(),
             urls.datasets(), urls.feed(), urls.data_catalogue(), urls.sitemap()]
    for column in site.columns.values():
        found.append(urls.column(column.id))
        records = [r for r in site.approved_records if r.column_id == column.id]
        if records:
            found.append(urls.feed(column.id))
        if any(site.kinds[k].directory for k in column.kinds):
            found.append(urls.directory(column.id))
        for kind_id in column.kinds:
            if not any(r.kind.id == kind_id for r in records):
                continue
            found.append(urls.kind(column.id, kind_id))
            if site.kinds[kind_id].fields:
                found += [urls.dataset(column.id, kind_id), urls.dataset_file(column.id, kind_id, "csv"),
                          urls.dataset_file(column.id, kind_id, "json"), urls.dataset_fields(column.id, kind_id)]
    for r in site.approved_records:
        found.append(urls.record(r.column_id, r.kind.id, r.index_no))
        found += [urls.attachment(a["file"]) for a in r.data.get("attachments", [])]
    return found


@pytest.mark.build
def test_every_address_urls_gives_for_the_sample_is_a_built_file(sample_build, built_site):
    site, problems = load_site(sample_build.root)
    assert site is not None, [p.format() for p in problems]
    found = addresses(site)
    assert len(found) > 50
    missing = [a for a in found if not (built_site / urls.built(a)).is_file()]
    assert not missing


def test_the_theme_spells_no_address_of_the_generated_pages():
    """overrides/ links to the feed, the data downloads, the site map and the generated section
    through config.extra.gk_urls / gk_identity (sitebuild/site_identity.py), taken from urls."""
    import re

    for template in sorted((ROOT / "overrides").rglob("*.html")):
        code = re.sub(r"\{#.*?#\}", "", template.read_text("utf-8"), flags=re.S)  # comments may name them
        assert urls.generated() not in code, template


def test_the_theme_gets_its_addresses_from_urls():
    from generator.sitebuild.site_identity import theme_extra

    extra = theme_extra(ROOT, None)
    assert extra["gk_urls"] == {"generated": "zwgk/", "feed": urls.feed(), "datasets": page_url(urls.datasets())}
    assert extra["gk_identity"]["site_map"] == page_url(urls.site_map())
