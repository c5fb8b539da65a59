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


def test_an_unreadable_directory_is_left_out_as_rglob_leaves_it_out(tmp_path, monkeypatch):
    # Tests run as root, who reads every directory: the listing is refused by a stand-in.
    for rel in ("open/a.md", "closed/b.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", "utf-8")
    scandir = os.scandir

    def refusing(path):
        if os.path.basename(path) == "closed":
            raise PermissionError(13, "Permission denied", path)
        return scandir(path)
    monkeypatch.setattr(os, "scandir", refusing)
    assert walk.files(tmp_path) == ["open/a.md"]
    from generator.checks import symlink_guard
    (tmp_path / "content").mkdir()
    os.symlink("/etc/passwd", tmp_path / "content" / "x.txt")
    (tmp_path / "content" / "closed").mkdir()
    assert symlink_guard.outside_links(tmp_path) == [("content/x.txt", "/etc/passwd")]


def test_the_sample_site_walks_as_before(built_site):
    assert walk.files(built_site) == _old(built_site)


def test_entries_list_directories_and_links_as_rglob_does(tmp_path):
    base = tmp_path / "data"
    for rel in ("k/a.yaml", "k-2/b.yml", "attachments/x.pdf", "site.yaml"):
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(rel, "utf-8")
    os.symlink(base / "k", base / "linked-dir")
    os.symlink(base / "site.yaml", base / "k" / "linked.yaml")
    os.symlink(base / "missing", base / "broken.yaml")
    expected = [(p.relative_to(base).as_posix(), p.is_symlink(), p.is_file()) for p in sorted(base.rglob("*"))]
    assert walk.entries(base) == expected
    assert ("linked-dir", True, False) in expected and ("broken.yaml", True, False) in expected
