"""Shared fixtures: tests run the real generator on throw-away copies of the project."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["mkdocs.yml", "schemas", "templates", "site_data", "content", "overrides", "generator"]


def copy_project(dest: Path) -> Path:
    """A copy of the project's sources (not its build output) to change freely."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "zwgk", "index.md")
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore if name == "content" else
                            shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def run_cli(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run `python -m generator` as an editor would, from the project directory."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=root,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled sample site, built once per test session with the real CLI."""
    root = copy_project(tmp_path_factory.mktemp("sample") / "project")
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    """The sample plus hostile records (tests/test_hostile.py make_hostile), built once per
    session with the real CLI; test_hostile.py and test_engines.py both read it."""
    from test_hostile import make_hostile

    root = make_hostile(copy_project(tmp_path_factory.mktemp("hostile") / "project"))
    result = run_cli(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
