"""The MkDocs internals the build and the preview rely on (generator/sitebuild/mkdocs_adapter.py)
are still there, with the same parameters, in the MkDocs version requirements.txt pins."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.problems import DataError
from generator.sitebuild import mkdocs_adapter

ROOT = Path(__file__).resolve().parent.parent


def test_the_adapter_expects_the_pinned_mkdocs_and_that_one_is_installed():
    pin = re.search(r"(?m)^mkdocs==(\S+)$", (ROOT / "requirements.txt").read_text("utf-8")).group(1)
    assert mkdocs_adapter.MKDOCS_VERSION == pin, "update MKDOCS_VERSION and INTERNALS in mkdocs_adapter.py"
    assert mkdocs_adapter.installed_version() == pin
    mkdocs_adapter.check_version()


def test_mkdocs_internals_are_as_the_adapter_expects():
    assert mkdocs_adapter.changed_internals() == []


def test_another_mkdocs_stops_with_a_message_that_says_what_to_do(monkeypatch):
    monkeypatch.setattr(mkdocs_adapter, "installed_version", lambda: "1.5.3")
    with pytest.raises(DataError) as caught:
        mkdocs_adapter.check_version()
    message = caught.value.problems[0].message
    assert "MkDocs 1.5.3" in message and f"MkDocs {mkdocs_adapter.MKDOCS_VERSION}" in message
    assert "make site" in message


def test_a_changed_signature_is_reported(monkeypatch):
    from mkdocs.commands import build

    monkeypatch.setattr(build, "_build_page", lambda page, config: None)
    assert [c.split(":")[0] for c in mkdocs_adapter.changed_internals()] == ["mkdocs.commands.build._build_page"]


def test_no_other_module_touches_them():
    names = [d.rsplit(".", 1)[-1] for d in mkdocs_adapter.INTERNALS if not d.endswith("__init__")]
    names = [n for n in names if n not in ("build", "serve")] + ["LiveReloadServer", "commands.serve"]
    names += [n for n in mkdocs_adapter.SERVER_ATTRIBUTES if n.startswith("_")]
    adapter = ROOT / "generator/sitebuild/mkdocs_adapter.py"
    found = [f"{path.relative_to(ROOT)}: {name}" for path in sorted((ROOT / "generator").rglob("*.py"))
             if path != adapter for name in names if re.search(rf"\b{re.escape(name)}\b", path.read_text("utf-8"))]
    assert not found
