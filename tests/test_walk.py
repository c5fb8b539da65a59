"""generator/walk.py lists what the pathlib walk it replaced listed, in the same order."""
from __future__ import annotations

import os
from pathlib import Path

from generator import walk


def _old(base: Path) -> list[str]:
    return [p.relative_to(base).as_posix() for p in sorted(base.rglob("*")) if p.is_file()]


def test_files_are_those_of_a_sorted_rglob_in_its_order(tmp_path):
    base = tmp_path / "site"
    for rel in ("a/b/index.html", "a-b/index.html", "a.b", "a/index.html", "A/x", "b/.hidden",
                "中文/页面.html", "z/深/层/index.html", "a/b c/d"):
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(rel, "utf-8")
    (base / "empty").mkdir()
    os.symlink(base / "a.b", base / "link-to-file")
    os.symlink(base / "a", base / "link-to-dir")
    os.symlink(base / "missing", base / "broken")
    found = walk.files(base)
    assert found == _old(base)
    assert "link-to-file" in found and not any(f.startswith("link-to-dir/") for f in found)
    # Path order, not string order: a/… before a-b/… although "-" sorts before "/".
    assert found.index("a/index.html") < found.index("a-b/index.html")
    assert walk.files(tmp_path / "nothing-here") == []


def test_the_sample_site_walks_as_before(built_site):
    assert walk.files(built_site) == _old(built_site)
