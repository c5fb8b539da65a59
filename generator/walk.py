"""The files under a directory as relative POSIX paths: one walk that several steps share.

`sorted(base.rglob("*"))` makes a Path object per entry and compares them part by part to
sort them; at 10,000 pages the content, site and link-check walks made some 300,000 Path
objects a build. os.scandir gives the same entries with their types from the directory
listing itself. The order is the one sorting the Path objects gives (by path parts), so the
steps that switched to it write what they wrote before.
"""
from __future__ import annotations

import os
from pathlib import Path


def files(base: Path | str) -> list[str]:
    """Every file under base (symbolic links to files included, linked directories not
    entered: as rglob("*") with is_file()), relative to base, in Path order."""
    return [rel for rel, _, is_file in entries(base) if is_file]


def entries(base: Path | str) -> list[tuple[str, bool, bool]]:
    """(path relative to base, is a symbolic link, is a file or a link to one) of every entry
    under base, directories too, in the order sorted(base.rglob("*")) gives them: by path
    parts. Linked directories are listed, not entered."""
    found: list[tuple[str, bool, bool]] = []
    _walk(os.fspath(base), "", found)
    return found


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _walk(directory: str, prefix: str, found: list) -> None:
    try:
        listing = os.scandir(directory)
    except OSError:  # gone, or not readable: skipped, as rglob and os.walk skip it
        return
    # Each folder's entries by name, each folder's own right after it: the order of their
    # parts, without sorting the whole list by split paths afterwards (a third of a walk).
    with listing:
        for entry in sorted(listing, key=_name):
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                found.append((rel, False, False))
                _walk(entry.path, rel + "/", found)
            else:
                found.append((rel, entry.is_symlink(), entry.is_file()))
