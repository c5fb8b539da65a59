"""How the search index is split and run (search.shard_plan, search._batches), at sizes no
test site reaches: shards of about SHARD_PAGES pages, no more than MAX_LEAF_SHARDS of record
pages, and never more than RUN_PAGES pages indexed at once."""
from __future__ import annotations

from collections import Counter

from generator.sitebuild import search


def _site(records: int, hubs: int) -> tuple[list[str], frozenset[str]]:
    leaves = [f"zwgk/relief/dibao_stats/r{i:06d}/index.html" for i in range(records)]
    others = [f"zwgk/relief/dibao_stats/list-{i}/index.html" for i in range(hubs)]
    return sorted(leaves + others), frozenset(leaves)


def test_a_province_site_is_split_in_shards_of_about_a_thousand_pages(monkeypatch):
    monkeypatch.delenv("GK_SEARCH_SHARD_PAGES", raising=False)
    rels, leaves = _site(10_000, 856)
    shards, plan = search.shard_plan(rels, leaves)
    sizes = Counter(plan.values())
    assert shards == 11 and sizes[0] == 856  # the listings first, then ten shards of records
    assert all(plan[rel] >= 1 for rel in leaves)
    assert all(850 <= sizes[k] <= 1150 for k in range(1, shards))


def test_past_sixteen_thousand_records_the_record_shards_grow_instead_of_multiplying(monkeypatch):
    monkeypatch.delenv("GK_SEARCH_SHARD_PAGES", raising=False)
    rels, leaves = _site(45_000, 4_300)
    shards, plan = search.shard_plan(rels, leaves)
    hub_shards = -(-4_300 // search.SHARD_PAGES)
    assert shards == hub_shards + search.MAX_LEAF_SHARDS
    assert max(Counter(plan[rel] for rel in leaves).values()) <= search.RUN_PAGES


def test_pagefind_runs_two_shards_at_once_only_while_they_fit_in_one_run():
    sizes = {0: 856, 1: 1000, 2: 1000, 3: 2900, 4: 100, 5: 2813}
    batches = search._batches([0, 1, 2, 3, 4, 5], sizes)
    assert batches == [[0, 1], [2], [3, 4], [5]]
    assert all(sum(sizes[k] for k in b) <= search.RUN_PAGES and len(b) <= 2 for b in batches)
    assert sorted(k for b in batches for k in b) == list(sizes)
