"""Render cache: a record page's Markdown from the last build, reused when nothing it is made
from has changed (`build --cache`; the blobs live in the build cache's directory).

Rendering the 10,000 record pages of a province site took 7.5 s of a one-record push (two
processes), and a push changes a few of them. A record page is keyed by everything its
template can reach, which `declared` makes exact rather than assumed:

- the record itself: its path, kind, column and data as the model holds it at render time
  (after every step that adds to it);
- the records it links to and that link to it (`Record.links`), by the same;
- for a kind with trend charts, every published record of its series (same kind, column and
  region: charts.for_record draws from them);
- the front matter later steps add to it (page_meta's tags and date);
- what every record page shares: the generator's code and the installed packages, every
  template outside templates/kinds/ and the kind's own template, the schemas, site.yaml as
  loaded (site.config), the regions, and whether the site is a sample.

Record templates see the site and the page queries only through `declared`: reading anything
of `site` or `pages` outside what the key takes in (SITE_READS; `pages` only through
trend_charts) stops the build with an error naming this module, in every build with or without
the cache, so a template cannot come to depend on something the key misses. One way round it
is left open: a linked record is the model's own object, so a template that followed a linked
record's links in turn (two steps away; none does) would read records the key does not hold.

Listing pages — a kind's listing, a county's part of it, a year and county of the catalogue:
833 pages at 10,000 records, 2.5 s of a one-record push — are kept the same way, keyed by
what they are given (listing_key): the records they list, by the same digest as above, their
column and kind, their paths, and the front matter later steps add. Their templates see
`site` as record templates do and `pages` only through LISTING_QUERIES, functions of the
records passed to them (and the regions, for totals); the home and column pages, which read
the whole site, are rendered every time.

Entries are blobs named by key; the manifest holds each one's SHA-256, and a blob whose bytes
no longer match is rendered again. The manifest is replaced in one rename and lists only the
last build's entries (tests/test_build_cache.py compares cached builds with cold ones).
It also holds what each generated file under content/ held when the last build left it, with
the file's signature (device, inode, size, modification time): a page whose entry is unchanged
and whose file still has that signature is neither read from the cache nor compared again
(10,833 pages of a one-record push at 10,000 records).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .. import fingerprint
from ..model.kinds import Kind
from ..model.model import Column, Record
from ..sitebuild.build_cache import signature

FORMAT = 3
DIR = "markdown"
MANIFEST = "markdown.json"
# What of the Site model a record template may read: each is in the shared key.
SITE_READS = frozenset({"kinds", "regions", "columns", "config", "ancestors"})  # ancestors: of regions
# The page queries (render.Pages) a listing template may call: each reads only the records it
# is given and, for totals, the regions.
LISTING_QUERIES = frozenset({"last_updated", "latest_period", "totals", "recent"})


class UndeclaredRead(RuntimeError):
    """A record template read a part of the site the render cache's key does not take in."""


class _View:
    """The site (or the page queries) as record templates see them: the names in `allowed`,
    and nothing else. Not an AttributeError: Jinja would quietly print nothing instead."""

    __slots__ = ("_View__inner", "_View__allowed", "_View__what")

    def __init__(self, inner, allowed: frozenset, what: str):
        object.__setattr__(self, "_View__inner", inner)
        object.__setattr__(self, "_View__allowed", allowed)
        object.__setattr__(self, "_View__what", what)

    def __getattr__(self, name):
        if name in self.__allowed:
            return getattr(self.__inner, name)
        raise UndeclaredRead(_undeclared(f"{self.__what}.{name}"))

    def __getitem__(self, name):
        raise UndeclaredRead(_undeclared(f"{self.__what}[{name!r}]"))


def _undeclared(what: str) -> str:
    allowed = "、".join(f"site.{n}" for n in sorted(SITE_READS))
    queries = "、".join(f"pages.{n}" for n in sorted(LISTING_QUERIES))
    return (f"页面模板读取了 {what}。记录页只能用本条记录（r）、它关联的记录（r.links）、趋势图"
            f"（trend_charts）和网站设置（{allowed}）；类别列表页和目录分页只能用交给它的记录和 {queries}。"
            "请改用这些数据；确实需要时，请技术人员在 generator/pages/render_cache.py 里把它加进缓存的依据"
            "（SITE_READS、LISTING_QUERIES 和 record_key、listing_key），否则带缓存的构建会用到过时的页面。")


def declared(site, pages) -> tuple[_View, _View]:
    """(site, pages) as a record page's template gets them."""
    return _View(site, SITE_READS, "site"), _View(pages, frozenset(), "pages")


def declared_for_listings(site, pages) -> tuple[_View, _View]:
    """(site, pages) as a listing page's template gets them."""
    return _View(site, SITE_READS, "site"), _View(pages, LISTING_QUERIES, "pages")


def unwrap(obj):
    """The object behind a `declared` view (for trend_charts), or obj itself."""
    return object.__getattribute__(obj, "_View__inner") if isinstance(obj, _View) else obj


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


class RenderCache:
    """One build's use of the render cache in `directory` (the build cache's)."""

    def __init__(self, directory: Path, root: Path, site):
        self.dir = Path(directory)
        self.root = Path(root)
        self.site = site
        self._records: dict[int, bytes] = {}
        self._series: dict[tuple, bytes] = {}
        self._templates: dict[str, str] = {}
        self._own: set[str] = set()
        self._held: set[str] = set()  # files holds() found as the last build left them
        self.shared = self._shared_key()
        self.old, self.files = self._read_manifest()

    def _shared_key(self) -> str:
        site = self.site
        self._own = {k.template for k in site.kinds.values()}  # each kind's template: keyed per page
        h = hashlib.sha256(f"gk-render {FORMAT}\0".encode())
        fingerprint.add_tree(h, self.root, "generator")
        fingerprint.add_tree(h, self.root, "schemas")
        templates = self.root / "templates"
        for p in sorted(templates.rglob("*")) if templates.is_dir() else []:
            rel = p.relative_to(templates).as_posix()
            if p.is_file() and rel not in self._own:
                h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
        fingerprint.add_environment(h)
        h.update(_json(site.config))
        h.update(repr(sorted(site.regions.items())).encode("utf-8"))
        h.update(repr(sorted(site.columns.items())).encode("utf-8"))
        return h.hexdigest()

    def _read_manifest(self) -> tuple[dict, dict]:
        try:
            data = json.loads((self.dir / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return {}, {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("pages"), dict) \
                or not isinstance(data.get("files"), dict):
            return {}, {}
        return data["pages"], data["files"]

    def holds(self, rel: str, path: Path, key: str) -> str | None:
        """The SHA-256 of key's entry, if the file at path (rel: its name under content/) is the
        very file the last build left holding it; else None."""
        sha, kept = self.old.get(key), self.files.get(rel)
        if sha is None or not isinstance(kept, list) or kept[-1] != sha:
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        if signature(st) != kept[:-1]:
            return None
        self._held.add(rel)
        return sha

    # ---- keys

    def _template(self, name: str) -> str:
        """A kind's template, with any other kind's template it extends, includes or imports
        (every other template is in the shared key)."""
        if name not in self._templates:
            import jinja2
            from jinja2 import meta

            env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(self.root / "templates")))
            h, todo, seen = hashlib.sha256(), [name], set()
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                seen.add(current)
                try:
                    text = (self.root / "templates" / current).read_text("utf-8")
                except OSError:
                    h.update(f"{current}\0missing\0".encode())
                    continue
                h.update(f"{current}\0".encode() + text.encode("utf-8") + b"\0")
                for ref in meta.find_referenced_templates(env.parse(text)):
                    if ref is None:  # a name worked out while rendering: any kind's template
                        todo.extend(sorted(self._own))
                    elif ref in self._own:
                        todo.append(ref)
            self._templates[name] = h.hexdigest()
        return self._templates[name]

    def _record(self, r) -> bytes:
        found = self._records.get(id(r))
        if found is None:
            found = self._records[id(r)] = _sha(
                _json([r.src, r.kind.id, r.column_id, r.data])).encode()
        return found

    def _history(self, r) -> bytes:
        key = (r.kind.id, r.column_id, r.region_code)
        found = self._series.get(key)
        if found is None:
            if not self._series:
                members: dict[tuple, list] = {}
                for other in self.site.approved_records:
                    if other.period:
                        members.setdefault((other.kind.id, other.column_id, other.region_code), []).append(other)
                for k, recs in members.items():
                    self._series[k] = _sha(b"".join(sorted(self._record(x) for x in recs))).encode()
            found = self._series.get(key, b"")
        return found

    def record_key(self, r, added: dict) -> str:
        h = hashlib.sha256(f"{self.shared}\0{r.kind.template}\0{self._template(r.kind.template)}\0".encode())
        h.update(self._record(r))
        for name in sorted(r.links):
            linked = r.links[name]
            for other in linked if isinstance(linked, list) else [linked]:
                if other is not None:
                    h.update(f"\0{name}\0".encode() + self._record(other))
        if r.period:
            h.update(b"\0series\0" + self._history(r))
        h.update(b"\0" + _json(added))
        return h.hexdigest()

    def listing_key(self, template: str, context: dict, added: dict) -> str:
        """A listing page's key: the shared key (its template is not a kind's, so it is in
        there), then every value it is given, records by their digest."""
        h = hashlib.sha256(f"{self.shared}\0listing\0{template}\0".encode())
        for name in sorted(context):
            h.update(f"\0{name}\0".encode())
            self._digest(h, context[name])
        h.update(b"\0" + _json(added))
        return h.hexdigest()

    def _digest(self, h, value) -> None:
        if isinstance(value, Record):
            h.update(b"R" + self._record(value))
        elif isinstance(value, (list, tuple)):
            if value and all(isinstance(item, Record) for item in value):
                # The bytes the loop below feeds, in one update: what most listings are given.
                h.update(b"[R" + b"R".join(map(self._record, value)) + b"]")
                return
            h.update(b"[")
            for item in value:
                self._digest(h, item)
            h.update(b"]")
        elif isinstance(value, dict):
            if value is self.site.config:
                h.update(b"config")  # in the shared key
                return
            h.update(b"{")
            for k in sorted(value):
                if type(k) is str:
                    self._digest(h, k)
                else:
                    h.update(_json(k))
                self._digest(h, value[k])
            h.update(b"}")
        elif isinstance(value, (Column, Kind)):
            h.update(f"{type(value).__name__}:{value.id}".encode())  # both in the shared key
        elif isinstance(value, _View):
            h.update(b"view")  # what it lets through is in the shared key or given here
        elif type(value) is str:  # most values and every key: a length and the bytes, not json.dumps
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data) + data)
        elif value is None or isinstance(value, (str, int, float, bool)):
            h.update(_json(value))
        elif callable(value):
            h.update(f"fn:{value.__module__}.{value.__qualname__}".encode())  # code: in the shared key
        else:
            raise TypeError(f"render_cache.listing_key: no digest for {type(value).__name__}")

    # ---- entries

    def _blob(self, key: str) -> Path:
        return self.dir / DIR / key[:2] / key

    def recall(self, key: str) -> bytes | None:
        """The Markdown kept under this key, if the last build kept it and it is intact."""
        sha = self.old.get(key)
        if sha is None:
            return None
        try:
            data = self._blob(key).read_bytes()
        except OSError:
            return None
        return data if _sha(data) == sha else None

    def keep(self, key: str, data: bytes) -> str:
        """Store a page just rendered (in a forked writer: the parent records the returned SHA-256)."""
        path = self._blob(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".tmp-{os.getpid()}-{key}")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return _sha(data)

    def commit(self, entries: dict[str, str], content_dir: Path, digests: dict[str, str]) -> None:
        """Make these (key → SHA-256) the cache, with the generated files (`digests`: what each
        holds now, by its name under content_dir), then drop blobs no longer listed."""
        files = {}
        for rel, sha in digests.items():
            if rel in self._held and self.files[rel][-1] == sha:
                files[rel] = self.files[rel]  # its signature, read by holds in this build
                continue
            try:
                st = os.stat(content_dir / rel)
            except OSError:
                continue
            files[rel] = [*signature(st), sha]
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f".tmp-{os.getpid()}-{MANIFEST}"
        tmp.write_text(json.dumps({"format": FORMAT, "pages": entries, "files": files}, sort_keys=True), "utf-8")
        os.replace(tmp, self.dir / MANIFEST)
        blobs = self.dir / DIR
        if blobs.is_dir():
            for blob in blobs.glob("*/*"):
                if blob.name not in entries:
                    blob.unlink(missing_ok=True)
