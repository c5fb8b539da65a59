"""Reproducible output: two builds of one commit give byte-identical files.

Everything the generator and MkDocs write is already deterministic (sorted
inputs, SOURCE_DATE_EPOCH for dates and gzip headers). Pagefind 1.5.2 is not
quite: its word index and fragments are stable, but each filter file (专栏,
类别) lists its values in Rust HashMap order, which is seeded randomly per
run, so the filter files, their content-hash names, the metadata file that
names them and pagefind-entry.json change from one build to the next (see
Pagefind issue #638: "other files will still change, such as the filter/
metadata indexes").

This step rewrites those files in a canonical form: filter values sorted,
filters sorted by name, gzip without a timestamp, and file names derived from
the new content. Pagefind's client looks files up only through these names
(entry → metadata → filter), and a filter's value order carries no meaning
(the UI sorts values itself), so search behaves exactly as before. A file
whose encoding this module does not reproduce exactly is left as it was, so
an unexpected Pagefind format can cost reproducibility but never break search.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from .build_cache import replace_file


_MAGIC = b"pagefind_dcd"


class _Unsupported(ValueError):
    pass


def cbor_decode(data: bytes):
    value, end = _decode(data, 0)
    if end != len(data):
        raise _Unsupported("trailing bytes")
    return value


def _decode(b: bytes, i: int):
    if i >= len(b):
        raise _Unsupported("truncated")
    head = b[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        n = int.from_bytes(b[i:i + size], "big")
        i += size
    else:
        raise _Unsupported(f"CBOR item {head:#x}")
    if major == 0:
        return n, i
    if major == 1:  # negative integers: in word indexes (tests/pagefind_index.py reads them)
        return -1 - n, i
    if major == 3:
        return b[i:i + n].decode("utf-8"), i + n
    if major == 4:
        items = []
        for _ in range(n):
            item, i = _decode(b, i)
            items.append(item)
        return items, i
    raise _Unsupported(f"CBOR major type {major}")


def cbor_encode(value) -> bytes:
    if isinstance(value, bool) or value is None:
        raise _Unsupported(type(value).__name__)
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    raise _Unsupported(type(value).__name__)


def _head(major: int, n: int) -> bytes:
    if n < 0:
        raise _Unsupported("negative")
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise _Unsupported("too large")


def read_pf(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_MAGIC):
        raise _Unsupported(f"{path.name}: not a Pagefind file")
    value = cbor_decode(raw[len(_MAGIC):])
    if cbor_encode(value) != raw[len(_MAGIC):]:
        raise _Unsupported(f"{path.name}: encoding not reproduced")
    return value


def pf_bytes(value) -> bytes:
    # mtime=0 like Pagefind's own files: the gzip header holds no build time.
    return gzip.compress(_MAGIC + cbor_encode(value), compresslevel=9, mtime=0)


def _name(prefix: str, data: bytes, length: int) -> str:
    return f"{prefix}_{hashlib.sha256(data).hexdigest()[:length]}"


def canonical_pagefind(bundle: Path) -> bool:
    """Rewrite the filter and metadata files of one Pagefind bundle canonically.

    Returns False (changing nothing) when the bundle's format is not the one understood here.
    """
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text("utf-8"))
        plan = []
        for lang, info in entry["languages"].items():
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = read_pf(meta_path)
            # [version, pages, index chunks, filters [[name, hash]], sorts, ...]
            filters = meta[3]
            new_filters = []
            for name, old_hash in filters:
                path = bundle / "filter" / f"{old_hash}.pf_filter"
                fname, values = read_pf(path)
                values = sorted(([v, sorted(pages)] for v, pages in values), key=lambda v: v[0])
                data = pf_bytes([fname, values])
                new_hash = _name(lang, data, len(old_hash) - len(lang) - 1)
                plan.append((path, bundle / "filter" / f"{new_hash}.pf_filter", data))
                new_filters.append([name, new_hash])
            meta[3] = sorted(new_filters, key=lambda f: f[0])
            data = pf_bytes(meta)
            new_hash = _name(lang, data, len(info["hash"]) - len(lang) - 1)
            plan.append((meta_path, bundle / f"pagefind.{new_hash}.pf_meta", data))
            info["hash"] = new_hash
    except (OSError, ValueError, KeyError, IndexError, TypeError, EOFError, gzip.BadGzipFile):
        return False
    for old, new, data in plan:
        old.unlink()
        new.write_bytes(data)
    # A bundle placed from the build cache links its files: replace, never rewrite in place.
    replace_file(entry_path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return True


def canonical_search_index(site, out_dir: Path, root: Path) -> None:
    # After the search step, before the new site is swapped in.
    from .search import bundles

    for bundle in bundles(out_dir):
        canonical_pagefind(bundle)
