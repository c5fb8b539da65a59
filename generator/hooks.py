"""Pipeline events, in the manner of MkDocs' plugin events.

A step module registers functions for an event with `@hook("on_site")` and
is found automatically (every module of this package is imported once), so
adding a step touches no existing file:

  on_site(site, as_of)            -> list[Problem]   after validation, before anything is written;
                                                     an error-level problem stops the build
  on_pages(site, output, env)     -> None            add generated pages/files to `output`
  on_post_build(site, out_dir, root) -> None         work on the new site directory before it goes live
"""
from __future__ import annotations

import importlib
import pkgutil

EVENTS = ("on_site", "on_pages", "on_post_build")
_registry: dict[str, list] = {event: [] for event in EVENTS}
_loaded = False


def hook(event: str, order: int = 50, deferrable: bool = False):
    """Register a function for an event; lower `order` runs first.

    `deferrable` on_site checks judge the whole site rather than the record an
    editor just saved (compliance deadlines, the 索引号 manifest, symlinks): the
    preview's first pass leaves them out so a save is served in seconds at
    10,000 records, and its complete pass, a moment later, runs them all.
    A build always runs every check.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown event {event}")

    def register(func):
        func.gk_deferrable = deferrable
        if func not in [f for _, f in _registry[event]]:
            _registry[event].append((order, func))
            _registry[event].sort(key=lambda item: (item[0], item[1].__module__, item[1].__name__))
        return func
    return register


def load_all() -> None:
    """Import every module of the package and of its sub-packages so that its hooks and commands register.

    In the order of the modules' own names, whichever sub-package holds them, as when the
    package was one flat folder: commands then appear in `--help` in the same order, and of
    two registrations of one command name the same one wins.
    """
    global _loaded
    if _loaded:
        return
    _loaded = True
    package = importlib.import_module(__package__)
    names = [info.name for info in pkgutil.walk_packages(package.__path__, f"{__package__}.")
             if not info.ispkg and not info.name.rsplit(".", 1)[-1].startswith("_")]
    for name in sorted(names, key=lambda name: name.rsplit(".", 1)[-1]):
        importlib.import_module(name)


def handlers(event: str, quick: bool = False) -> list:
    """The functions for an event; `quick` leaves out the deferrable ones."""
    load_all()
    return [func for _, func in _registry[event] if not (quick and func.gk_deferrable)]
