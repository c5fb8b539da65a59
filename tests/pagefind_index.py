"""Read what a Pagefind 1.5 bundle indexes: each word and the pages (by URL) that hold it.

The metadata file lists the pages (fragment hash, word count); each index chunk its words,
every word with its pages as differences from the page before. reproducible.read_pf decodes
both (and fails on a format it does not reproduce byte for byte). benchmarks/search_words.py and
tests/test_search_plan.py compare two bundles with it.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from generator.sitebuild.reproducible import _MAGIC, read_pf


def words(bundle: Path) -> dict[str, frozenset[str]]:
    """word → the URLs of the pages whose content holds it (not their metadata)."""
    bundle = Path(bundle)
    meta = read_pf(next(bundle.glob("*.pf_meta")))
    urls = []
    for fragment_hash, _count in meta[1]:
        fragment = gzip.decompress((bundle / "fragment" / f"{fragment_hash}.pf_fragment").read_bytes())
        urls.append(json.loads(fragment[len(_MAGIC):])["url"])
    found: dict[str, set[str]] = {}
    for chunk in sorted((bundle / "index").glob("*.pf_index")):
        for word, postings, *_ in read_pf(chunk)[0]:
            page, pages = 0, found.setdefault(word, set())
            for posting in postings:
                page += posting[0]
                pages.add(urls[page])
    return {word: frozenset(pages) for word, pages in found.items()}
