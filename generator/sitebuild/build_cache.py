"""Build cache: what a build of the previous commit made, reused where its inputs are unchanged.

Two outputs are reused, each keyed by a hash of everything it is made from:

- a page's HTML from MkDocs: its own generated Markdown, plus `Cache.key`, the inputs every
  page shares (mkdocs.yml, the theme and its overrides, what the theme reads from site.yaml,
  the generator's code, every installed package's version, the Python version). Nothing else
  reaches a page: navigation titles come from mkdocs.yml (see build.mkdocs_build), no template
  prints the build date, and a link to another page or file (a dataset's CSV) depends only on
  that file existing — so when any file of the previous build's content/ is gone, nothing is
  reused (a link to it must fail as in a cold build);
- a search shard's Pagefind bundle: the pages in it as staged for Pagefind (search.py: what
  Pagefind reads of them), plus the same shared key and the number of shards;
- tables of what a later step found in one page, by the page's bytes and the shared key:
  what it links to (checks/link_check.py; whether each target exists is judged again in
  every build), its search words and the SHA-256 of its staged copy (search.py). Pickled in one file whose SHA-256 the
  manifest holds.

A reused file is hard-linked into the new site (copied where the cache is on another
filesystem), and only when its SHA-256 is the one recorded when it was made: a damaged,
half-written or missing entry is rebuilt, a cache from another version or an unreadable
manifest is ignored entirely. A page blob is read to check that only when it is no longer the
very file whose SHA-256 was recorded (device, inode, size and modification time in ns:
`signature`; any write changes the time, through whichever of its links). Placing the pages,
keying the search shards and the link tables each read and hashed all 335 MB of pages at 10,000
pages; the later steps now ask `content_sha`, which knows the pages this build placed or wrote
(benchmarks/push_profile.py: those three steps 5.6 → 4.5 s of a one-record push). Pages MkDocs
has just written are linked into the cache the same way. A link shares its bytes with the cache and with earlier releases, so no step may write a
site file in place: a later step that changes one writes a new file and renames it over the
old (`replace_file`), and tests/test_build_cache.py checks after each build that every cache
entry still has the SHA-256 it was made with (so an earlier release sharing it is unchanged).
Links spare writing the whole site again on every push (475 MB at 10,000 pages) and let the
releases the push hook keeps share their pages. So a build with the cache writes exactly what a
cold build would
(tests/test_build_cache.py compares them after changing a record, a template, a site setting
and a requirement pin).

After a push (build --cache-in-background) the pages are also left as a tree of links laid out
as the site (`make_ready`), which the next build renames into its new directory (`_take_ready`).

The manifest is replaced in one rename after the new entries are written, and lists only the
entries of the last build: a build killed at any point leaves a cache that is either the old
one or the new one, and never grows past one site's worth.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path

from .. import fingerprint, walk

FORMAT = 4
MANIFEST = "manifest.json"
TABLES = "tables.pickle"
READY, READY_LIST = "ready", "ready.json"
STAGING, STAGING_LIST = "staging", "staging.json"
# What beside the Markdown every page is made from (paths relative to the project root).
SHARED_INPUTS = ("mkdocs.yml", "overrides", "generator", "requirements.txt")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha(path: Path) -> str:
    return _sha(Path(path).read_bytes())


def signature(st: os.stat_result) -> list[int]:
    """What changes whenever a file's bytes do (device, inode, size, modification time in ns):
    a file that still has the signature it had when its SHA-256 was computed is not read again.
    A link shares it with every other name of the file, so a write through any of them shows."""
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def shared_key(root: Path, theme_extra: dict) -> str:
    """The hash of what every page shares (see the module docstring)."""
    h = hashlib.sha256(f"gk-build-cache {FORMAT}\0".encode())
    for rel in SHARED_INPUTS:
        fingerprint.add_tree(h, root, rel)
    h.update(json.dumps(theme_extra, sort_keys=True, ensure_ascii=False).encode())
    fingerprint.add_environment(h)
    return h.hexdigest()


def replace_file(path: Path, data: bytes, same_as: Path | None = None) -> None:
    """Give path new contents without writing into the old file, which may be a link shared
    with the cache or an earlier release: a new file (a link to `same_as`, which holds data,
    when given) renamed over it. Not mkstemp: its mode 0600 would pass into linked pages and
    hide them from the web server."""
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    tmp.unlink(missing_ok=True)
    if same_as is not None:
        _link(same_as, tmp, data)
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)


def _link(source: Path, target: Path, data: bytes | None = None) -> None:
    """target becomes a hard link to source (whose contents are `data`, read when needed), or a
    copy where the two are on different filesystems or the filesystem has no links."""
    try:
        os.link(source, target)
    except OSError:
        target.write_bytes(data if data is not None else source.read_bytes())


def _copy_bundle(source: Path, target: Path, expected: dict | None = None) -> dict | None:
    """Link a bundle directory's files into target, through a directory beside it renamed into
    place once complete; returns each file's [SHA-256, then its signature in source] by path.
    With `expected` (such a listing), the files must be exactly those: otherwise None, and
    nothing is left at target. A file that still has the signature `expected` gives it is not
    read (a push reuses the bundles' 11,711 files at 10,000 pages)."""
    staged = Path(tempfile.mkdtemp(prefix=".bundle-", dir=target.parent))
    try:
        found = {}
        for rel in walk.files(source):
            p = source / rel
            want = expected.get(rel) if expected is not None else None
            data = None
            if isinstance(want, list) and want[1:] == signature(os.stat(p)):
                found[rel] = want
            else:
                data = p.read_bytes()
                found[rel] = [_sha(data), *signature(os.stat(p))]
                if expected is not None and not (isinstance(want, list) and want[0] == found[rel][0]):
                    return None
            (staged / rel).parent.mkdir(parents=True, exist_ok=True)
            _link(p, staged / rel, data)
        if expected is not None and set(found) != set(expected):
            return None
        os.chmod(staged, 0o755)  # mkdtemp's 0700 would hide the bundle from the web server
        shutil.rmtree(target, ignore_errors=True)
        staged.rename(target)
        return found
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _inside(rel) -> bool:
    """A path that stays inside the folder it is relative to (a ready tree's page)."""
    return isinstance(rel, str) and rel != "" and not rel.startswith("/") and ".." not in rel.split("/")


def _unlink_up_to(path: Path, top: Path) -> None:
    """Remove a file, then each folder above it that this leaves empty, up to top."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    parent = path.parent
    while parent != top:
        try:
            parent.rmdir()
        except OSError:
            return  # not empty
        parent = parent.parent


def lock(directory: Path):
    """One build at a time uses a cache directory, from reading it to the last write (hold the
    returned file open; a process forked while it is held holds it too, until it exits)."""
    import fcntl

    Path(directory).mkdir(parents=True, exist_ok=True)
    f = open(Path(directory) / ".lock", "a+b")
    fcntl.flock(f, fcntl.LOCK_EX)
    return f


class Cache:
    """One project's build cache in `directory`: `place_pages` before MkDocs, `keep_pages` after
    it, `place_bundle`/`keep_bundle` around each Pagefind run, `commit` once the build is done."""

    def __init__(self, directory: Path, key: str):
        self.dir = Path(directory)
        self.key = key
        self.old = self._read_manifest()
        self.new = {"format": FORMAT, "key": key, "sources": [], "pages": {}, "bundles": {}, "staged": {}}
        self.reused_pages = 0
        self.reused_bundles = 0
        self.tables: dict[str, dict] = {}
        self._old_tables: dict | None = None
        self._known: dict[tuple, str] = {}  # signature → SHA-256, of files this build has read or placed
        self._staging: dict | None = None  # the staging tree's listing (keep_staging), for commit

    def _read_manifest(self) -> dict:
        try:
            data = json.loads((self.dir / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != self.key:
            return {}  # another version of the generator, theme or packages: nothing is reused
        if not all(isinstance(data.get(k), t) for k, t in
                   (("sources", list), ("pages", dict), ("bundles", dict))):
            return {}
        return data

    def content_sha(self, path: Path) -> str:
        """The SHA-256 of a file of the site being built: known without reading it when it is a
        file this build placed or read already (a page linked from the cache), else read."""
        sha = self._known.get(tuple(signature(os.stat(path))))
        if sha is None:
            sha = file_sha(path)
            self._know(path, sha)
        return sha

    def _know(self, path: Path, sha: str) -> None:
        self._known[tuple(signature(os.stat(path)))] = sha

    # ---- pages

    def page_key(self, src_uri: str, markdown_sha: str) -> str:
        """`markdown_sha`: the SHA-256 of the page's Markdown, which the write step knows."""
        return _sha(f"{self.key}\0{src_uri}\0{markdown_sha}".encode())

    def _blob(self, key: str) -> Path:
        return self.dir / "pages" / key[:2] / key

    def place_pages(self, pages: dict[str, tuple[str, str]], files: list[str], out_dir: Path,
                    defer: bool = False, ready: bool = True):
        """Link into out_dir the HTML of every page whose inputs are unchanged; `pages` maps each
        Markdown source (src_uri) to (dest_uri, its page_key), `files` lists every file in
        content/. Returns the src_uris placed. Whatever writes into out_dir afterwards must write
        new files, never into these (the preview's MkDocs: mkdocs_adapter.writes_by_replacing).
        `defer`: return
        (the src_uris, a function that places them) instead, for the build to place them while
        MkDocs renders the others (build.mkdocs_build). `ready`: from the ready tree
        (make_ready) when it holds them."""
        self.new["sources"] = sorted(files)
        self._wanted = dict(pages)
        todo: list[tuple[Path, str, str, bytes | None]] = []
        placed: set[str] = set()
        if self.old and not set(self.old["sources"]) - set(files):
            for src, (dest, key) in self._wanted.items():
                entry = self.old["pages"].get(key)
                if not (isinstance(entry, list) and len(entry) == 2):
                    continue
                sha, sig = entry
                blob = self._blob(key)
                try:
                    st = os.stat(blob)
                except OSError:
                    continue
                data = None
                if signature(st) != sig:  # not the file whose SHA-256 was recorded: check its bytes
                    try:
                        data = blob.read_bytes()
                    except OSError:
                        continue
                    if _sha(data) != sha:
                        continue  # damaged: MkDocs makes it again
                    st = os.stat(blob)
                todo.append((blob, dest, sha, data))
                self.new["pages"][key] = [sha, signature(st)]
                placed.add(src)
        self.reused_pages = sum(src.endswith(".md") for src in placed)  # not the static files
        if ready:
            todo = self._take_ready(out_dir, todo)

        def place() -> None:
            # Each page has a folder of its own: at 10,000 pages most of this is mkdir.
            for blob, dest, sha, data in todo:
                target = out_dir / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                _link(blob, target, data)
                self._know(target, sha)

        if defer:
            return placed, place
        place()
        return placed

    # ---- the ready tree

    def make_ready(self) -> None:
        """After commit, where nobody waits for it (the push hook's build --cache-in-background):
        link every page this build placed or kept into READY, a tree laid out as the site, which
        the next build renames into its new directory instead of making a folder and a link for
        each page (place_pages). At 10,000 pages that is 10,855 folders and links: 0.5 s on an
        idle disk, 2–7 s on the development machine's when it was busy (README), the slowest part
        of a one-record push. Listed in READY_LIST (each page's key and SHA-256), written last:
        a tree without its list is never used."""
        wanted = getattr(self, "_wanted", None)
        if wanted is None:
            return
        self._drop_ready()
        staged = Path(tempfile.mkdtemp(prefix=".ready-", dir=self._ensure_dir()))
        listing = {}
        try:
            for dest, key in sorted(wanted.values()):
                entry = self.new["pages"].get(key)
                if entry is None:
                    continue
                target = staged / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(self._blob(key), target)  # no copies: a filesystem without links gets no tree
                listing[dest] = [key, entry[0]]
            os.chmod(staged, 0o755)  # mkdtemp's 0700, which the release would keep
            staged.rename(self.dir / READY)
        except OSError:
            shutil.rmtree(staged, ignore_errors=True)
            return
        self._write(self.dir / READY_LIST, json.dumps({"key": self.key, "pages": listing}).encode("utf-8"))

    def _drop_ready(self) -> None:
        """Remove the ready tree and what is left of earlier ones (renamed aside, half made)."""
        (self.dir / READY_LIST).unlink(missing_ok=True)
        for path in [self.dir / READY, *self.dir.glob(".ready-*")]:
            shutil.rmtree(path, ignore_errors=True)

    def _take_ready(self, out_dir: Path, todo: list) -> list:
        """Of `todo` (the pages to place into out_dir, still empty), those the ready tree does
        not hold: when it holds most of them, it becomes out_dir, and its pages that are not to
        be placed (changed, gone) or are no longer the very files the cache checked are unlinked
        before any MkDocs worker starts, as are the folders they leave empty. A page MkDocs then
        writes is a new file, never one of these links."""
        try:
            listing = json.loads((self.dir / READY_LIST).read_text("utf-8"))
            ready = listing["pages"] if listing.get("key") == self.key else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            ready = None
        if not isinstance(ready, dict) or not all(_inside(dest) for dest in ready):
            return todo
        wanted = {dest: (blob, dest, sha, data) for blob, dest, sha, data in todo}
        matching = [dest for dest, entry in ready.items() if dest in wanted and entry == [
            wanted[dest][0].name, wanted[dest][2]]]
        if len(matching) * 2 < max(len(ready), len(wanted)):
            self._set_ready_aside()  # unlinking most of it would cost what placing costs
            return todo
        (self.dir / READY_LIST).unlink(missing_ok=True)
        try:
            os.rename(self.dir / READY, out_dir)
        except OSError:
            self._set_ready_aside()
            return todo
        keep = set()
        for dest in matching:
            key = wanted[dest][0].name
            try:
                sig = signature(os.stat(out_dir / dest))
            except OSError:
                continue
            if sig == self.new["pages"][key][1]:
                self._known[tuple(sig)] = wanted[dest][2]
                keep.add(dest)
        for dest in ready:
            if dest not in keep:
                _unlink_up_to(out_dir / dest, out_dir)
        return [item for dest, item in wanted.items() if dest not in keep]

    def _set_ready_aside(self) -> None:
        self._set_aside(READY, READY_LIST)

    def _set_aside(self, tree: str, listing: str) -> None:
        # Renamed now, removed by the commit (Cache.commit: `.<tree>-old-*`), off the build's path.
        (self.dir / listing).unlink(missing_ok=True)
        try:
            os.rename(self.dir / tree, self.dir / f".{tree}-old-{os.getpid()}-{time.monotonic_ns()}")
        except OSError:
            pass

    def keep_pages(self, out_dir: Path, placed: set[str]) -> None:
        """Record the pages MkDocs has just written (all but `placed`), before any later step
        changes them."""
        for src, (dest, key) in self._wanted.items():
            if src in placed:
                continue
            try:
                data = (out_dir / dest).read_bytes()
            except OSError:
                continue  # a file MkDocs leaves out (exclude_docs): nothing to keep
            self._write(self._blob(key), data, same_as=out_dir / dest)
            sha = _sha(data)
            self._know(out_dir / dest, sha)
            self.new["pages"][key] = [sha, signature(os.stat(self._blob(key)))]

    # ---- search bundles

    def bundle_key(self, shard: int, shards: int, pages: list[tuple[str, str]]) -> str:
        """`pages`: (path, SHA-256 of its built HTML) of every page in the shard."""
        h = hashlib.sha256(f"{self.key}\0{shard}/{shards}\0".encode())
        for rel, sha in pages:
            h.update(f"{rel}\0{sha}\0".encode())
        return h.hexdigest()

    def holds_bundles(self) -> bool:
        """Whether the last build left any search bundle to reuse."""
        return bool(self.old.get("bundles"))

    def place_bundle(self, key: str, bundle_dir: Path) -> bool:
        """Copy a Pagefind bundle made from the same pages into bundle_dir, if the cache holds it intact."""
        expected = (self.old.get("bundles") or {}).get(key)
        source = self.dir / "bundles" / key
        found = _copy_bundle(source, bundle_dir, expected) if isinstance(expected, dict) and source.is_dir() else None
        if found is None:
            return False
        self.new["bundles"][key] = found  # the signatures the files have now (a copied cache: new ones)
        self.reused_bundles += 1
        return True

    def keep_bundle(self, key: str, bundle_dir: Path) -> None:
        """Record a bundle Pagefind has just written, before the canonical form rewrites it."""
        bundles = self._ensure_dir() / "bundles"
        bundles.mkdir(exist_ok=True)
        kept = _copy_bundle(bundle_dir, bundles / key)
        # The signatures of the cache's own files, which later builds link from (the same
        # files, unless the cache is on another filesystem and they were copied).
        self.new["bundles"][key] = {rel: [sha, *signature(os.stat(bundles / key / rel))]
                                    for rel, (sha, *_) in kept.items()}

    # ---- staged pages: the copies Pagefind reads (search.stage_page), by their SHA-256

    def _staged_blob(self, sha: str) -> Path:
        return self.dir / "staged" / sha[:2] / sha

    def place_staged(self, sha: str, target: Path) -> bool:
        """Link the staged page whose SHA-256 is sha to target, if the cache holds it intact (a
        file that still has the signature it was kept with is not read). Staging a page whose
        words are known is some 1 ms of reading, cutting and writing, and a push re-indexes
        shards of over a thousand pages."""
        kept = self.old.get("staged")
        if not isinstance(kept, dict) or sha not in kept:
            return False
        blob = self._staged_blob(sha)
        try:
            sig = signature(os.stat(blob))
            # Another file than the one kept (a copied cache, a damaged one): read to be sure.
            if sig != kept[sha] and _sha(blob.read_bytes()) != sha:
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(blob, target)  # no copy: staging it costs about the same
        except OSError:
            return False
        self.new["staged"][sha] = signature(os.stat(blob))
        return True

    def keep_staged(self, sha: str, staged: Path) -> None:
        """Keep a page just staged (its bytes have SHA-256 sha), as a link to it."""
        if sha in self.new["staged"]:
            return
        blob = self._staged_blob(sha)
        try:
            blob.parent.mkdir(parents=True, exist_ok=True)
            blob.unlink(missing_ok=True)  # a file the manifest does not vouch for
            os.link(staged, blob)
            self.new["staged"][sha] = signature(os.stat(blob))
        except OSError:
            pass  # staged again next time

    def hold_staged(self, sha: str, sig: list) -> None:
        """Keep the staged page whose SHA-256 is sha, which this build found in the staging tree
        (take_staging) as the very file the last build kept (same signature): the two are one
        file, so the cache's copy is intact too."""
        if (self.old.get("staged") or {}).get(sha) == sig:
            self.new["staged"][sha] = sig

    # ---- the staging tree: the folder Pagefind read in the last build, kept for the next

    def take_staging(self, parent: Path, shards: int) -> tuple[Path, dict] | None:
        """The staging tree the last build kept (keep_staging), renamed to a new folder in
        parent, and its listing: each file's path in it (`<shard>/<page>`) → [SHA-256, then
        its signature]. None when there is none for this key and number of shards: a tree
        without its listing (a build killed before the commit) is never used."""
        try:
            listing = json.loads((self.dir / STAGING_LIST).read_text("utf-8"))
            files = (listing["files"] if listing.get("key") == self.key and listing.get("shards") == shards
                     else None)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            files = None
        (self.dir / STAGING_LIST).unlink(missing_ok=True)  # the tree leaves the cache either way
        if not isinstance(files, dict) or not all(
                _inside(path) and isinstance(entry, list) and len(entry) == 5 for path, entry in files.items()):
            self._set_staging_aside()
            return None
        target = parent / f".search-{os.getpid()}-{time.monotonic_ns()}"
        try:
            os.rename(self.dir / STAGING, target)
        except OSError:
            self._set_staging_aside()
            return None
        return target, files

    def keep_staging(self, staging: Path, files: dict, shards: int) -> None:
        """Keep the folder Pagefind read in this build (search.index), listed by `files` as
        take_staging returns it, for the next build: a one-record push then finds the other
        pages of the shard it indexes again in place, instead of linking each of them into a
        new folder (1,468 pages at 10,000 records: 0.6 s) and removing the folder after
        Pagefind (0.2 s). Every file in it must be listed. The listing is written by commit."""
        self._set_staging_aside()
        try:
            os.rename(staging, self._ensure_dir() / STAGING)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            return
        self._staging = {"key": self.key, "shards": shards, "files": files}

    def _set_staging_aside(self) -> None:
        self._set_aside(STAGING, STAGING_LIST)

    # ---- tables: what a later step found in one page, kept by the page's bytes

    def table_key(self, table: str, *parts) -> str:
        h = hashlib.sha256(f"{self.key}\0{table}\0".encode())
        for part in parts:
            h.update(part if isinstance(part, bytes) else str(part).encode())
            h.update(b"\0")
        return h.hexdigest()

    def read_tables(self) -> None:
        """Read the last build's tables now (recall reads them when first asked otherwise)."""
        if self._old_tables is None:
            self._old_tables = self._read_tables()

    def recall(self, table: str, key: str):
        """What `remember` kept under this key in the last build, or None."""
        self.read_tables()
        value = self._old_tables.get(table, {}).get(key)
        if value is not None:
            self.remember(table, key, value)
        return value

    def remember(self, table: str, key: str, value) -> None:
        self.tables.setdefault(table, {})[key] = value

    def _read_tables(self) -> dict:
        sha = self.old.get("tables")
        try:
            data = (self.dir / TABLES).read_bytes()
        except OSError:
            return {}
        if not sha or _sha(data) != sha:
            return {}  # damaged or from another build: everything is found again
        try:
            tables = pickle.loads(data)
        except Exception:  # noqa: BLE001
            return {}
        return tables if isinstance(tables, dict) else {}

    # ---- the manifest

    def _ensure_dir(self) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        return self.dir

    def _write(self, path: Path, data: bytes, same_as: Path | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data, same_as)

    def commit(self) -> None:
        """Make this build's entries the cache, then drop the entries no longer listed."""
        tables = pickle.dumps(self.tables, protocol=pickle.HIGHEST_PROTOCOL)
        self._write(self._ensure_dir() / TABLES, tables)
        self.new["tables"] = _sha(tables)
        self._write(self._ensure_dir() / MANIFEST,
                    json.dumps(self.new, sort_keys=True).encode("utf-8"))
        pages_dir, bundles_dir = self.dir / "pages", self.dir / "bundles"
        if pages_dir.is_dir():
            for blob in pages_dir.glob("*/*"):
                if blob.name not in self.new["pages"]:
                    blob.unlink(missing_ok=True)
        staged_dir = self.dir / "staged"
        if staged_dir.is_dir():
            for blob in staged_dir.glob("*/*"):
                if blob.name not in self.new["staged"]:
                    blob.unlink(missing_ok=True)
        if bundles_dir.is_dir():
            for bundle in bundles_dir.iterdir():
                if bundle.name not in self.new["bundles"]:
                    shutil.rmtree(bundle, ignore_errors=True)
        if self._staging is not None:
            self._write(self.dir / STAGING_LIST, json.dumps(self._staging).encode("utf-8"))
        for aside in [*self.dir.glob(".ready-old-*"), *self.dir.glob(".staging-old-*")]:
            shutil.rmtree(aside, ignore_errors=True)
