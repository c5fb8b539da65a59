"""Read what a Pagefind 1.5 bundle indexes: each word and the pages (by URL) that hold it.

Pagefind writes its index as gzip-compressed CBOR after a `pagefind_dcd` signature: the
metadata file lists the pages (fragment hash, word count), each index chunk its words, every
word with its pages as differences from the page before. Only what that needs is decoded
here; benchmarks/search_words.py and tests/test_search_plan.py compare two bundles with it.
"""
from __future__ import annotations

import gzip
import json
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def _item(data: bytes, i: int):
    head = data[i]
    i += 1
    major, info = head >> 5, head & 31
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value = int.from_bytes(data[i:i + size], "big")
        i += size
    else:
        raise ValueError(f"CBOR item of indefinite length at byte {i - 1}: not written by Pagefind 1.5")
    if major == 0:
        return value, i
    if major == 1:
        return -1 - value, i
    if major in (2, 3):
        raw = data[i:i + value]
        return (raw.decode("utf-8") if major == 3 else raw), i + value
    if major == 4:
        out = []
        for _ in range(value):
            item, i = _item(data, i)
            out.append(item)
        return out, i
    if major == 5:
        out = {}
        for _ in range(value):
            key, i = _item(data, i)
            out[key], i = _item(data, i)
        return out, i
    if major == 6:  # a tag: the item it tags
        return _item(data, i)
    if info == 27:
        return struct.unpack(">d", value.to_bytes(8, "big"))[0], i
    return {20: False, 21: True, 22: None}.get(value, value), i


def read(path: Path):
    data = gzip.decompress(Path(path).read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: no Pagefind signature")
    return _item(data, len(SIGNATURE))[0]


def words(bundle: Path) -> dict[str, frozenset[str]]:
    """word → the URLs of the pages whose content holds it (not their metadata)."""
    bundle = Path(bundle)
    meta = read(next(bundle.glob("*.pf_meta")))
    urls = []
    for fragment_hash, _count in meta[1]:
        fragment = gzip.decompress((bundle / "fragment" / f"{fragment_hash}.pf_fragment").read_bytes())
        urls.append(json.loads(fragment[len(SIGNATURE):])["url"])
    found: dict[str, set[str]] = {}
    for chunk in sorted((bundle / "index").glob("*.pf_index")):
        for word, postings, *_ in read(chunk)[0]:
            page, pages = 0, found.setdefault(word, set())
            for posting in postings:
                page += posting[0]
                pages.add(urls[page])
    return {word: frozenset(pages) for word, pages in found.items()}
