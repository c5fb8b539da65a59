"""Every address the site has, spelled in this one place (in the manner of Datasette's `Urls`).

Each method gives a page's Markdown source path under content/ (`zwgk/…/index.md`) or a
file's path under the built site; `url()` turns a source path into the public URL MkDocs
gives it (relative to the site root; a base such as https://<domain>/ goes in front).
Every generated page is the index.md of its own folder, so a page's URL and its file's
folder are one place: a relative link in raw HTML means the same to every engine.

Templates reach these as the Jinja global `urls` (`urls.kind(column.id, kind.id)`), the
theme's own templates (overrides/) as config.extra.gk_urls (sitebuild/site_identity.py);
the generator spells no address elsewhere, and neither do the tests, but where a literal
is their point (a published address that must never change, an editor's message, a
path-traversal string), each marked with its reason.
"""
from __future__ import annotations

ROOT = "zwgk"   # everything generated (but the home page) lives under content/zwgk/
HOME = "index.md"
INDEX = "index.md"


def slug(index_no: str) -> str:
    # 索引号 are unique and never change, so the URL built from one is stable too.
    return index_no.replace("/", "-").lower()


def page_url(src: str) -> str:
    """The directory URL MkDocs gives a Markdown source path."""
    if src == HOME:
        return ""
    if src.endswith("/" + INDEX):
        return src[: -len(INDEX)]
    return src[:-3] + "/"


class Urls:
    # ---- pages of the column structure
    def home(self) -> str:
        return HOME

    def column(self, column_id: str) -> str:
        return f"{ROOT}/{column_id}/{INDEX}"

    def kind(self, column_id: str, kind_id: str) -> str:
        """A kind's listing in a column."""
        return f"{ROOT}/{column_id}/{kind_id}/{INDEX}"

    def kind_part(self, column_id: str, kind_id: str, county_code: str) -> str:
        """One county's share of a kind's listing too long for one page."""
        return f"{ROOT}/{column_id}/{kind_id}/dq-{county_code}/{INDEX}"

    def record(self, column_id: str, kind_id: str, index_no: str) -> str:
        return f"{ROOT}/{column_id}/{kind_id}/{slug(index_no)}/{INDEX}"

    def record_table(self, record_src: str, table_id: str) -> str:
        """A record's table as CSV, beside its page (…/<slug>/<table id>.csv)."""
        return f"{record_src.rsplit('/', 1)[0]}/{table_id}.csv"

    def attachment(self, file: str) -> str:
        return f"{ROOT}/files/{file}"

    def directory(self, column_id: str) -> str:
        """A column's standard directory (标准目录)."""
        return f"{ROOT}/{column_id}/standard-directory/{INDEX}"

    def feed(self, column_id: str | None = None) -> str:
        """The Atom feed of the whole site, or of one column."""
        return f"{ROOT}/{column_id}/atom.xml" if column_id else f"{ROOT}/atom.xml"

    # ---- open data
    def datasets(self) -> str:
        """The 数据下载 index."""
        return f"{ROOT}/data/{INDEX}"

    def dataset_base(self, column_id: str, kind_id: str) -> str:
        """A dataset's stem: its page's folder and its files' name without extension;
        also the dataset's identifier in the open-data catalogues."""
        return f"{ROOT}/data/{column_id}-{kind_id}"

    def dataset(self, column_id: str, kind_id: str) -> str:
        return f"{self.dataset_base(column_id, kind_id)}/{INDEX}"

    def dataset_file(self, column_id: str, kind_id: str, ext: str) -> str:
        """The dataset's download: ext "csv" or "json"."""
        return f"{self.dataset_base(column_id, kind_id)}.{ext}"

    def dataset_fields(self, column_id: str, kind_id: str) -> str:
        """The data dictionary as CSV."""
        return f"{self.dataset_base(column_id, kind_id)}-fields.csv"

    def data_catalogue(self) -> str:
        """The DCAT catalogue (Project Open Data), at the built site's root."""
        return "data.json"

    # ---- pages of the conventions (目录, 指南, 依申请公开, 自查, 网站地图)
    def catalogue(self) -> str:
        return f"{ROOT}/gkml/{INDEX}"

    def catalogue_slice(self, column_id: str, year: str, area_code: str) -> str:
        return f"{ROOT}/gkml/{column_id}/{year}-{area_code}/{INDEX}"

    def catalogue_file(self, ext: str) -> str:
        return f"{ROOT}/data/catalogue.{ext}"

    def guide(self) -> str:
        return f"{ROOT}/gkzn/{INDEX}"

    def application(self) -> str:
        return f"{ROOT}/ysqgk/{INDEX}"

    def application_form(self) -> str:
        return f"{ROOT}/ysqgk/zfxxgk-shenqingbiao.docx"

    def report(self) -> str:
        """The self-check report (自查报告)."""
        return f"{ROOT}/zicha/{INDEX}"

    def site_map(self) -> str:
        return f"{ROOT}/wzdt/{INDEX}"

    def sitemap(self) -> str:
        """sitemap.xml for crawlers, at the built site's root."""
        return "sitemap.xml"

    def generated(self) -> str:
        """The folder every generated page but the home page is under (its URL prefix)."""
        return f"{ROOT}/"

    # ---- source path → address
    def url(self, src: str) -> str:
        return page_url(src)

    def built(self, src: str) -> str:
        """The file a path under content/ becomes in the built site (a page: its index.html)."""
        return page_url(src) + "index.html" if src.endswith(".md") else src



urls = Urls()
