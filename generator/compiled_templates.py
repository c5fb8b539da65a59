"""Compiled templates kept in the build cache, so that a push does not compile them again.

Jinja compiles every template a build loads to Python code: the generator's 42 and the
theme's 30 (Material, with our overrides), each MkDocs worker its own. Most of a build's
pages come from the cache, so at 10,000 pages compiling was 0.3 s of a one-record push's
generate step and 0.2 s of each MkDocs worker (benchmarks/push_profile.py, cProfile).

Jinja's FileSystemBytecodeCache keeps a template's code by its name and a checksum of its
source, written to a temporary file renamed into place (two workers may write one at once).
What else compiled code depends on — Jinja's version, the options the generator's and MkDocs'
code give the environment, mkdocs.yml (the theme's language brings the i18n extension) — is
in the directory's name: `directory` gives each combination its own and removes the others.
The theme's folder also keeps Material's stylesheet as sitebuild/theme_css.py trims it.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import jinja2

from . import fingerprint

FORMAT = 1
DIR = "templates"


def directory(cache_dir: Path, root: Path) -> Path:
    """The folder in cache_dir for this generator, environment and mkdocs.yml, made if need be;
    the folders of other combinations are removed."""
    h = hashlib.sha256(f"gk-templates {FORMAT}\0".encode())
    fingerprint.add_tree(h, root, "generator")
    fingerprint.add_tree(h, root, "mkdocs.yml")
    fingerprint.add_environment(h)
    top = Path(cache_dir) / DIR
    here = top / h.hexdigest()[:32]
    if top.is_dir():
        for old in top.iterdir():
            if old != here:
                shutil.rmtree(old, ignore_errors=True)
    for env in ("generator", "theme"):
        (here / env).mkdir(parents=True, exist_ok=True)
    return here


def attach(env: jinja2.Environment, folder: Path | None) -> jinja2.Environment:
    """env, keeping the code it compiles in folder (None: not kept)."""
    if folder is not None:
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder), "%s.cache")
    return env
