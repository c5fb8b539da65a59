"""The record cache (`check --cache`, `build --cache`; generator/model/record_cache.py): a
load with it gives exactly what a load without it gives — every record's data, where each
value sits, every problem with its file:line:column — whatever changed since the run that
filled it; a damaged or foreign cache is ignored."""
from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from conftest import copy_project, run_cli, run_cli_in_process

from generator.checks import area_codes, pii, plausibility
from generator.model import table_totals, wording
from generator.model.record_cache import FILE, RecordCache
from generator.model.kinds import load_kinds
from generator.model.validate import load_site, record_files
from generator.pipeline import load_and_check

RECORD = "site_data/dibao_stats/2026-Q3-640104.yaml"
BROKEN = "site_data/dibao_stats/zz-broken.yaml"
AS_OF = dt.date(2026, 12, 1)


def everything(root, stored=None):
    """What a load gives, in comparable form: the problems as printed, each record's data, and
    where its values sit (the top-level ones of every record, all of them in one in 50: finding
    the others re-reads the file, which the comparison must not take all the suite's time for)."""
    site, problems = load_site(root, stored=stored)
    records = {}
    for i, r in enumerate(site.records if site else []):
        places = {}

        def walk(value, path):
            places[path] = (r.doc.where(path), r.doc.where(path, key=True) if path else None)
            items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
            for k, v in items:
                if i % 50 == 0 or not path:
                    walk(v, path + (k,))

        walk(r.data, ())
        records[r.doc.rel] = (json.dumps(r.data, sort_keys=True, default=str), places)
    return site is not None, [(p.format(), p.severity) for p in problems], records


def loaded(root, cache_dir):
    stored = RecordCache(cache_dir, root)
    result = everything(root, stored)
    stored.save()  # as its callers do (pipeline.load_and_check, check)
    return result, stored.hits


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    base = tmp_path_factory.mktemp("records")
    root = copy_project(base / "project")
    cold = everything(root)
    first, hits = loaded(root, base / "cache")
    assert hits == 0 and first == cold
    return base


@pytest.fixture
def copy(filled, tmp_path):
    # Another directory, as the push hook's checkout of the next commit is.
    shutil.copytree(filled / "project", tmp_path / "project")
    shutil.copytree(filled / "cache", tmp_path / "cache")
    return tmp_path / "project", tmp_path / "cache"


def test_unchanged_files_are_not_loaded_again_and_give_the_same(copy):
    root, cache = copy
    result, hits = loaded(root, cache)
    assert result == everything(root)
    assert hits == len(result[2]) > 300
    for r in load_site(root, stored=RecordCache(cache, root))[0].records:
        assert r.doc.path.is_relative_to(root)  # this checkout's file, not the one it was cached from


def test_a_changed_and_a_broken_file(copy):
    root, cache = copy
    path = root / RECORD
    path.write_text(path.read_text("utf-8").replace("title: ", "title: 【更正】", 1), "utf-8")
    (root / BROKEN).write_text((root / RECORD).read_text("utf-8").replace("period: ", "period: 2026年三季度\nx: ", 1),
                               "utf-8")
    cold = everything(root)
    assert not cold[0] and any(text.startswith(BROKEN) for text, _ in cold[1])
    files = len(record_files(root, load_kinds(root)[0])[0])
    result, hits = loaded(root, cache)
    assert result == cold and hits == files - 2  # all but the corrected one and the new one
    # The broken file's problems come from the cache too, with their positions.
    again, hits = loaded(root, cache)
    assert again == cold and hits == files


def test_a_changed_schema_reloads_its_kind_only(copy):
    root, cache = copy
    schema = root / "schemas" / "dibao_stats.schema.json"
    data = json.loads(schema.read_text("utf-8"))
    data["description"] = data.get("description", "") + "。"
    schema.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    kind_files = len(list((root / "site_data" / "dibao_stats").glob("*.yaml")))
    result, hits = loaded(root, cache)
    assert result == everything(root)
    assert hits == len(result[2]) - kind_files and kind_files > 10


def test_files_whose_signature_is_unchanged_are_not_read_again(copy, monkeypatch):
    """Where the last load ran (the hook keeps its work tree), an unchanged file's entry is found
    by its signature, without reading the file; a file rewritten with the same size and given
    back its old modification time (as `cp -p` does) is read again."""
    root, cache = copy
    loaded(root, cache)  # this checkout's signatures
    path = root / RECORD
    before = path.stat()
    edit(path, "title: 兴庆区", "title: 金凤区")  # the same number of bytes
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino)
    read, read_bytes = [], Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.relative_to(root).as_posix())
                        or read_bytes(self) if self.is_relative_to(root / "site_data") else read_bytes(self))
    result, hits = loaded(root, cache)
    monkeypatch.undo()
    assert [rel for rel in read if rel.endswith(".yaml") and rel.count("/") > 1] == [RECORD]
    assert hits == len(result[2]) - 1
    assert result == everything(root) and json.loads(result[2][RECORD][0])["title"].startswith("金凤区")


@pytest.mark.parametrize("damage", ["payload", "header", "entry", "code"])
def test_a_damaged_or_foreign_cache_is_not_used(copy, damage):
    root, cache = copy
    path = cache / FILE
    data = path.read_bytes()
    header, payload = data.split(b"\n", 1)
    if damage == "payload":
        path.write_bytes(header + b"\n" + payload[:len(payload) // 2])
    elif damage == "header":
        path.write_bytes(b"gk-records 99" + header[12:] + b"\n" + payload)
    elif damage == "entry":
        # A consistent file whose entries are not what a load pickles: each is a miss.
        stored = RecordCache(cache, root)
        stored.new = {k: b"not a pickle" for k in pickle.loads(payload)["files"]}
        stored.save()
    else:
        (root / "generator" / "model" / "load.py").write_text(
            (root / "generator" / "model" / "load.py").read_text("utf-8") + "\n# a comment\n", "utf-8")
    result, hits = loaded(root, cache)
    assert hits == 0
    assert result == everything(root)


def test_check_with_the_cache_says_exactly_what_it_says_without(copy, tmp_path):
    root, cache = copy
    (root / BROKEN).write_text((root / RECORD).read_text("utf-8").replace("period: ", "period: 2026年三季度\nx: ", 1),
                               "utf-8")
    plain = run_cli(root, "check", "--json", str(tmp_path / "a.json"))
    assert plain.returncode == 1 and BROKEN in plain.stdout + plain.stderr
    for _ in range(2):  # filling the cache, then from it
        cached = run_cli_in_process(root, "check", "--json", str(tmp_path / "a.json"), "--cache", str(cache))
        assert (cached.returncode, cached.stdout, cached.stderr) == (plain.returncode, plain.stdout, plain.stderr)
    (root / BROKEN).unlink()
    plain = run_cli_in_process(root, "check", "--json", str(tmp_path / "a.json"))
    cached = run_cli_in_process(root, "check", "--json", str(tmp_path / "a.json"), "--cache", str(cache))
    assert plain.returncode == 0 and (cached.returncode, cached.stdout, cached.stderr) == (
        plain.returncode, plain.stdout, plain.stderr)


def checked(root, cache=None):
    stored = RecordCache(cache, root) if cache else None
    result = load_and_check(root, AS_OF, stored=stored)
    return [(p.format(), p.severity) for p in result.problems]


def test_per_record_checks_are_not_run_again_on_an_unchanged_record(copy, monkeypatch):
    """What the units, personal-data, area-code, wording and table checks found in a record is
    kept with it; a change to what a check also depends on (the wording list) judges again."""
    root, cache = copy
    edit(root / RECORD, "expenditure: 382.5", "expenditure: 2000000")  # 万元: implausible
    cold = checked(root)
    assert any("万元" in text for text, _ in cold)
    assert checked(root, cache) == cold  # filled
    with monkeypatch.context() as m:
        for module, name in ((plausibility, "record_problems"), (area_codes, "_judge"),
                             (table_totals, "check_record"), (wording, "record_problems")):
            m.setattr(module, name, _must_not_run)
        site_only = pii.check_document  # which also scans site.yaml, once a run
        m.setattr(pii, "check_document", lambda doc, schema: site_only(doc, schema)
                  if doc.rel == "site_data/site.yaml" else _must_not_run())
        assert checked(root, cache) == cold
    edit(root / RECORD, "summary: 公布", "summary: 扶贫办公布")  # a body abolished in 2021
    cold = checked(root)
    assert any("“扶贫办”" in text for text, _ in cold)
    assert checked(root, cache) == cold
    edit(root / "schemas" / "wording.yaml", "term: 扶贫办\n", "term: 扶贫办（已撤销）\n")
    cold = checked(root)
    assert not any("“扶贫办”" in text for text, _ in cold)
    assert checked(root, cache) == cold


def _must_not_run(*args, **kwargs):
    raise AssertionError("judged again")


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")
