"""`kinds` and `new`: a skeleton for every kind, driven by the schemas only."""
import contextlib
import io
import json
import re
import subprocess

import yaml
from conftest import ROOT, run_cli, run_cli_in_process
from sample_data import records

from generator.cli import main
from generator.model import load
from generator.model.kinds import load_kinds
from generator.model.kinds import subschema

REGION = "640324"  # 同心县: has sample records, so 索引号 and publisher can be suggested
PERIOD = "2025-Q3"  # no sample data for this period
# For kinds that accept only some forms of period (yearly, half-yearly): periods without sample data.
OTHER_PERIODS = ["2019", "2019-H2", "2019-07"]


def kind_ids():
    return sorted(p.name[: -len(".schema.json")] for p in (ROOT / "schemas").glob("*.schema.json")
                  if p.name not in ("common.schema.json", "site.schema.json"))


def new_args(kind_id, kinds):
    args = ["new", kind_id, "--region", REGION]
    if kinds[kind_id].period:
        pattern = kinds[kind_id].schema["properties"]["period"].get("pattern", "")
        args += ["--period", next(p for p in [PERIOD, *OTHER_PERIODS] if re.search(pattern, p))]
    return args


def fill(data, schema, refs, path=()):
    """Fill every empty placeholder with its field's first example, as an editor would."""
    node = subschema(schema, path)
    if data is None:
        if path and path[-1] in refs:
            return refs[path[-1]]
        return node["examples"][0]
    if isinstance(data, dict):
        return {k: fill(v, schema, refs, path + (k,)) for k, v in data.items()}
    if isinstance(data, list):
        if all(v is None for v in data):
            return node["examples"][0]
        return [fill(v, schema, refs, path + (i,)) for i, v in enumerate(data)]
    return data


def new_in_process(project, args) -> subprocess.CompletedProcess:
    """`new` through the same entry point as run_cli, without a process start per kind
    (25 kinds: most of this file's time); one kind still runs as a real process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(project), *args])
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def created_file(result, project):
    line = result.stdout.strip().splitlines()[-1]
    rel = line.split("已生成 ", 1)[1].split(" 。", 1)[0]
    return project / rel


def test_kinds_lists_every_kind_with_its_chinese_name_and_column(project):
    result = run_cli(project, "kinds")
    assert result.returncode == 0, result.stderr
    site = yaml.safe_load((project / "site_data" / "site.yaml").read_text("utf-8"))
    names = {c["id"]: c["name"] for c in site["columns"]}
    for kind_id in kind_ids():
        meta = json.loads((ROOT / "schemas" / f"{kind_id}.schema.json").read_text("utf-8"))["x-kind"]
        line = next(l for l in result.stdout.splitlines() if l.strip().startswith(kind_id + " "))
        assert meta["name"] in line
        if meta["column"] != "*":
            assert names[meta["column"]] in line


def test_new_skeleton_for_every_kind_validates_once_filled(project):
    kinds, _ = load_kinds(project)
    assert set(kinds) == set(kind_ids())
    # A field whose pattern is the 索引号's refers to another record (a 解读's policy):
    # the editor writes the 索引号 of a policy that exists.
    index_pattern = kinds[next(iter(kinds))].schema["properties"]["index_no"]["pattern"]
    policy = next(yaml.safe_load(p.read_text("utf-8")) for p in sorted((project / "site_data" / "policy").glob("*.yaml"))
                  if yaml.safe_load(p.read_text("utf-8"))["review"]["status"] == "已通过")
    files = {}
    for i, (kind_id, kind) in enumerate(kinds.items()):
        args = new_args(kind_id, kinds)
        result = run_cli(project, *args) if i == 0 else new_in_process(project, args)
        assert result.returncode == 0, result.stderr
        path = created_file(result, project)
        assert path.parent == project / "site_data" / kind_id
        files[kind_id] = path
        text = path.read_text("utf-8")
        # Every field of the schema is in the file with its Chinese title in a comment.
        for key, prop in kind.schema["properties"].items():
            assert f"{key}:" in text, (kind_id, key)
            assert f"# {prop.get('title', key)}：" in text, (kind_id, key)
        assert "必填" in text and "例如：" in text

    # As generated, the placeholders are empty: validation fails and names every new file.
    result = run_cli(project, "validate")
    assert result.returncode == 1
    for path in files.values():
        assert path.relative_to(project).as_posix() in result.stderr

    for kind_id, path in files.items():
        doc = load.Document(path=path, rel=path.name)
        assert load.load_text(path.read_text("utf-8"), doc) == []
        schema = kinds[kind_id].schema
        refs = {k: policy["index_no"] for k, v in schema["properties"].items()
                if k != "index_no" and v.get("pattern") == index_pattern}
        data = fill(doc.data, schema, refs)
        # Pre-filled values came from regions.tsv and the existing records, not from examples.
        assert data["region"] == {"code": REGION, "name": "同心县"}
        assert data["index_no"] != schema["properties"]["index_no"]["examples"][0]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 0, result.stdout + result.stderr


def test_new_suggests_the_next_index_number_and_carries_over_the_publisher(project):
    result = run_cli_in_process(project, "new", "dibao_stats", "--region", REGION, "--period", "2026-Q4", "--out", "-")
    assert result.returncode == 0, result.stderr
    existing = [d for _, d in records(project)]
    latest = max((d for d in existing if d["region"]["code"] == REGION and "urban" in d),
                 key=lambda d: d["published"])
    org = latest["index_no"].split("/")[0]
    top = max(int(d["index_no"].rsplit("-", 1)[1]) for d in existing
              if d["index_no"].startswith(f"{org}/2026-"))
    assert f"index_no: {org}/2026-{top + 1:05d}" in result.stdout
    assert f"publisher: {latest['publisher']}" in result.stdout
    assert "title: 同心县2026年第4季度城乡低保和特困人员统计" in result.stdout
    assert "period: 2026-Q4" in result.stdout
    assert not (project / "site_data" / "dibao_stats" / f"2026-Q4-{REGION}.yaml").exists()  # --out - writes nothing


def test_new_refuses_to_overwrite_and_explains_bad_arguments(project):
    target = project / "site_data" / "dibao_stats" / f"2026-Q3-{REGION}.yaml"
    before = target.read_bytes()
    result = run_cli_in_process(project, "new", "dibao_stats", "--region", REGION, "--period", "2026-Q3")
    assert result.returncode == 1
    assert "已经存在，没有覆盖" in result.stderr
    assert target.read_bytes() == before

    out = project / "mine.yaml"
    out.write_text("keep", encoding="utf-8")
    result = run_cli_in_process(project, "new", "policy", "--region", REGION, "--out", "mine.yaml")
    assert result.returncode == 1 and out.read_text("utf-8") == "keep"

    cases = [
        (["new", "dibao_stats", "--region", "999999", "--period", "2025-Q3"], "不在 site_data/regions.tsv 中"),
        (["new", "dibao_stats", "--region", REGION], "--period"),
        (["new", "dibao_stats", "--region", REGION, "--period", "2025-Q5"], "统计期“2025-Q5”格式不对"),
        (["new", "no_such_kind", "--region", REGION], "没有“no_such_kind”这个记录类别"),
    ]
    for args, message in cases:
        result = run_cli_in_process(project, *args)
        assert result.returncode == 1, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (project / "site_data" / "dibao_stats").glob("2025-Q3-*")) == []


def test_a_new_kind_with_lists_of_items_needs_no_code_change(project):
    """Another engineer's kind (a 公示 list with items, nested objects, booleans): template and validation work."""
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "临时救助公示",
        "x-kind": {"name": "临时救助公示", "column": "relief", "period": True},
        "properties": {
            "period": {"title": "统计期", "type": "string", "pattern": "^[0-9]{4}(-Q[1-4]|-H[12]|-(0[1-9]|1[0-2]))?$",
                       "examples": ["2025-07"]},
            "days": {"title": "公示天数（天）", "type": "integer", "minimum": 5, "examples": [7]},
            "final": {"title": "是否终审", "type": "boolean", "examples": [False]},
            "office": {"title": "受理窗口", "type": "object", "required": ["name"], "additionalProperties": False,
                       "properties": {"name": {"title": "窗口名称", "type": "string", "minLength": 2,
                                               "examples": ["县民政局社会救助窗口"]},
                                      "phone": {"title": "电话", "type": "string", "examples": ["0953-8021234"]}}},
            "items": {"title": "救助对象", "type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["name", "amount"], "additionalProperties": False,
                "properties": {"name": {"title": "姓名", "type": "string", "minLength": 2, "examples": ["王某某"]},
                               "amount": {"title": "救助金额（元）", "type": "number", "minimum": 0,
                                          "examples": [1500]}}}},
        },
        "required": ["period", "days", "final", "office", "items"],
    }
    (project / "schemas" / "linshi_gongshi.schema.json").write_text(json.dumps(schema, ensure_ascii=False),
                                                                    encoding="utf-8")
    result = run_cli_in_process(project, "kinds")
    assert "linshi_gongshi" in result.stdout and "临时救助公示" in result.stdout
    result = run_cli_in_process(project, "new", "linshi_gongshi", "--region", REGION, "--period", "2025-07")
    assert result.returncode == 0, result.stderr
    path = created_file(result, project)
    text = path.read_text("utf-8")
    for title in ("公示天数（天）", "是否终审", "受理窗口", "窗口名称", "救助对象", "姓名", "救助金额（元）"):
        assert title in text, title
    assert "单位：天" in text and "title: 同心县2025年7月临时救助公示" in text
    kinds, _ = load_kinds(project)
    doc = load.Document(path=path, rel=path.name)
    assert load.load_text(text, doc) == []
    assert doc.data["items"] == [{"name": None, "amount": None}]
    data = fill(doc.data, kinds["linshi_gongshi"].schema, {})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 0, result.stderr
