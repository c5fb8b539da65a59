"""Exported editor schemas (VS Code) judge files exactly as `validate` does; pre-commit runs validate."""
import copy
import functools
import json
import os
import re
import shlex
import shutil
import subprocess

import yaml
from conftest import ROOT, run_cli, run_cli_in_process, write
from jsonschema import Draft7Validator

from generator.model import load
from generator.editor.fields import walk
from generator.model.kinds import load_kinds

EXPORT = "schemas/editor"


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def with_editor_files(project):
    for name in (".vscode", ".pre-commit-config.yaml"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, project / name)
        else:
            shutil.copy2(src, project / name)
    return project


@functools.lru_cache(maxsize=None)  # one per kind: checking and compiling a schema per file took a minute
def exported_validator(project, kind_id):
    schema = json.loads((project / EXPORT / f"{kind_id}.schema.json").read_text("utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def editor_rejects(project, path, kind_id):
    """What VS Code's YAML extension would underline: the exported schema on the file as typed."""
    doc, problems = load.load_file(path, path.name)
    if problems:
        return True
    return any(True for _ in exported_validator(project, kind_id).iter_errors(doc.data))


def generator_rejected(project):
    result = run_cli(project, "validate")
    files = set()
    for line in result.stderr.splitlines():
        m = re.match(r"^(site_data/[^:]+\.ya?ml):\d+:\d+: (.*)$", line)
        if m and not m.group(2).startswith("警告："):
            files.add(m.group(1))
    return result, files


def test_committed_editor_schemas_and_vscode_settings_are_up_to_date():
    result = run_cli(ROOT, "export-schemas", "--check")
    assert result.returncode == 0, result.stderr
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))
    kinds, _ = load_kinds(ROOT)
    for kind_id, kind in kinds.items():
        assert f"site_data/{kind_id}/*.yaml" in settings["yaml.schemas"][f"./{EXPORT}/{kind_id}.schema.json"]
        exported = json.loads((ROOT / EXPORT / f"{kind_id}.schema.json").read_text("utf-8"))
        # Hover text in Chinese for every field, nested ones included (no $ref for the editor to follow).
        for f in walk(kind):
            node = exported
            for part in f.path:
                node = node["properties"][part]
            assert node["markdownDescription"].startswith(f.title) and "填" in node["markdownDescription"]
        assert "$ref" not in json.dumps(exported)
    assert "redhat.vscode-yaml" in json.loads((ROOT / ".vscode" / "extensions.json").read_text("utf-8"))["recommendations"]


def test_a_changed_or_new_kind_makes_the_export_stale_until_re_exported(project):
    with_editor_files(project)
    assert run_cli_in_process(project, "export-schemas", "--check").returncode == 0
    own = json.loads((project / "schemas" / "subsidy_program.schema.json").read_text("utf-8"))
    own["x-kind"]["name"] = "测试类别"
    own["properties"]["hotline"] = {"title": "热线", "type": "string", "examples": ["12345"]}
    write(project / "schemas" / "test_kind.schema.json", json.dumps(own, ensure_ascii=False))
    result = run_cli_in_process(project, "export-schemas", "--check")
    assert result.returncode == 1
    assert f"{EXPORT}/test_kind.schema.json" in result.stderr and ".vscode/settings.json" in result.stderr
    assert run_cli_in_process(project, "export-schemas").returncode == 0
    assert run_cli_in_process(project, "export-schemas", "--check").returncode == 0
    exported = json.loads((project / EXPORT / "test_kind.schema.json").read_text("utf-8"))
    assert exported["properties"]["hotline"]["title"] == "热线"
    assert "index_no" in exported["required"] and exported["additionalProperties"] is False  # common merged in
    settings = json.loads((project / ".vscode" / "settings.json").read_text("utf-8"))
    assert f"site_data/test_kind/*.yaml" in settings["yaml.schemas"][f"./{EXPORT}/test_kind.schema.json"]


def variants(kind, base):
    """(name, data, rejected?) for one valid record: schema-level breakages of every field, generically."""
    out = []
    for key in list(base):
        data = copy.deepcopy(base)
        del data[key]
        out.append((f"drop-{key}", data, key in kind.schema["required"]))
    data = copy.deepcopy(base)
    data["unknown_field"] = "x"
    out.append(("unknown", data, True))
    for f in walk(kind):
        value = base
        for part in f.path:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            continue
        node, bad = f.node, []
        types = f.types
        if f.is_object:
            bad.append("文字")
        elif f.is_array:
            bad.append("不是列表")
            if node.get("minItems"):
                bad.append([])
            if f.item_node.get("enum"):
                bad.append(["不存在的选项"])
        elif "integer" in types or "number" in types:
            bad += ["1,234", "１２３"]
            if "integer" in types:
                bad.append(1.5)
            if "minimum" in node:
                bad.append(node["minimum"] - 1)
            if "maximum" in node:
                bad.append(node["maximum"] + 1)
        elif "boolean" in types:
            bad.append("是")
        else:
            if "enum" in node:
                bad.append("不存在的选项")
            if node.get("format") == "date":
                bad += ["2025-02-30", "2025/10/15"]
            elif "pattern" in node:
                bad.append("x-格式不对")
            if node.get("minLength"):
                bad.append("")
            if node.get("maxLength"):
                bad.append("字" * (node["maxLength"] + 1))
        for i, b in enumerate(bad):
            data = copy.deepcopy(base)
            target = data
            for part in f.path[:-1]:
                target = target[part]
            target[f.path[-1]] = b
            out.append((f"{f.key}-{i}", data, True))
    return out


def test_exported_schemas_accept_and_reject_exactly_what_validate_does(project):
    with_editor_files(project)
    kinds, _ = load_kinds(project)
    expected = {}
    serial = 0
    tried = set()
    for kind_id, kind in kinds.items():
        nodes = {f.key: f.node for f in walk(kind)}
        folder = project / "site_data" / kind_id
        bases = [yaml.load(p.read_text("utf-8"), Loader=_LOADER) for p in sorted(folder.glob("*.yaml"))]
        bases = [b for b in bases if b["review"]["status"] == "已通过"]
        assert bases, kind_id
        for name, data, rejected in variants(kind, bases[0]):
            # The fields every kind shares (index_no, title, review …) have the same schema node
            # in each kind: their breakages are tried in the first kind, not again in all 27
            # (2,660 files → about 1,600). "unknown" stays per kind: each export closes itself.
            field = name.split("-")[1] if name.startswith("drop-") else name.rsplit("-", 1)[0]
            same = (name, name.startswith("drop-") and field in kind.schema["required"],
                    json.dumps(nodes.get(field), sort_keys=True, ensure_ascii=False))
            if name != "unknown" and same in tried:
                continue
            tried.add(same)
            serial += 1
            if "index_no" in data and name.split("-")[0] != "index_no":
                org = data["index_no"].split("/")[0]
                data["index_no"] = f"{org}/2099-{serial:05d}"  # stay unique: only the schema is being tested
            path = folder / f"zz-{serial:04d}.yaml"
            # libyaml's dumper: the same YAML, written ten times faster (2,600 variant files)
            path.write_text(yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8")
            expected[path.relative_to(project).as_posix()] = rejected
    result, generator_says = generator_rejected(project)
    assert result.returncode == 1
    editor_says = set()
    checked = 0
    for kind_id in kinds:
        for path in sorted((project / "site_data" / kind_id).glob("*.yaml")):
            rel = path.relative_to(project).as_posix()
            checked += 1
            if editor_rejects(project, path, kind_id):
                editor_says.add(rel)
    assert checked > len(expected) > 50
    assert editor_says == generator_says
    assert generator_says == {rel for rel, rejected in expected.items() if rejected}


def test_known_difference_unquoted_digits_in_a_text_field(project):
    """The generator keeps `code: 640324` as the text typed; the editor underlines it and asks for quotes.
    Stricter in the editor, never looser."""
    with_editor_files(project)
    path = sorted((project / "site_data" / "dibao_stats").glob("*.yaml"))[0]
    text = path.read_text("utf-8")
    code = re.search(r"code: '(\d+)'", text).group(1)
    path.write_text(text.replace(f"code: '{code}'", f"code: {code}"), encoding="utf-8")
    assert editor_rejects(project, path, "dibao_stats")
    assert run_cli_in_process(project, "validate").returncode == 0


def test_every_schema_example_is_valid_for_its_field():
    """Examples are shown in templates, error messages and VS Code: a wrong one teaches a mistake."""
    kinds, _ = load_kinds(ROOT)
    for kind in kinds.values():
        for f in walk(kind):
            sub = Draft7Validator({**f.node, "definitions": kind.schema.get("definitions", {})},
                                  format_checker=Draft7Validator.FORMAT_CHECKER)
            for example in f.node.get("examples", []):
                errors = [e.message for e in sub.iter_errors(example)]
                assert not errors, (kind.id, f.key, example, errors)


def staged_hooks(project):
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text("utf-8"))
    staged = subprocess.run(["git", "diff", "--cached", "--name-only"], cwd=project, capture_output=True,
                            text=True, check=True).stdout.split()
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            if any(re.search(hook["files"], f) for f in staged):
                yield hook, staged


def run_hooks(project):
    """What pre-commit does for local `language: system` hooks: entry + args (+ files), in the repo root."""
    results = {}
    for hook, staged in staged_hooks(project):
        cmd = shlex.split(hook["entry"]) + hook.get("args", [])
        if hook.get("pass_filenames", True):
            cmd += [f for f in staged if re.search(hook["files"], f)]
        results[hook["id"]] = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=120)
    return results


def test_pre_commit_hooks_validate_staged_yaml(project):
    with_editor_files(project)
    os.symlink(ROOT / ".venv", project / ".venv")
    git = lambda *a: subprocess.run(["git", *a], cwd=project, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "--allow-empty", "-m", "init")

    write(project / "README.md", "说明")
    git("add", "README.md")
    assert run_hooks(project) == {}  # nothing of ours staged: no hook runs

    bad = sorted((project / "site_data" / "dibao_stats").glob("*.yaml"))[0]
    bad.write_text(bad.read_text("utf-8").replace("recipients: ", "recipients: 1,"), encoding="utf-8")
    git("add", bad.relative_to(project).as_posix())
    results = run_hooks(project)
    assert set(results) == {"validate-site-data"}
    assert results["validate-site-data"].returncode == 1
    assert bad.relative_to(project).as_posix() in results["validate-site-data"].stderr

    bad.write_text(bad.read_text("utf-8").replace("recipients: 1,", "recipients: "), encoding="utf-8")
    git("add", bad.relative_to(project).as_posix())
    results = run_hooks(project)
    assert results["validate-site-data"].returncode == 0, results["validate-site-data"].stderr

    schema = project / "schemas" / "policy.schema.json"
    schema.write_text(schema.read_text("utf-8").replace('"title": "政策文件"', '"title": "政策文件（新）"'),
                      encoding="utf-8")
    git("add", "schemas/policy.schema.json")
    results = run_hooks(project)
    assert results["validate-site-data"].returncode == 0
    assert results["editor-schemas-up-to-date"].returncode == 1
    assert f"{EXPORT}/policy.schema.json" in results["editor-schemas-up-to-date"].stderr


def test_exported_site_schema_judges_site_yaml_like_validate(project):
    with_editor_files(project)
    schema = json.loads((project / EXPORT / "site.schema.json").read_text("utf-8"))
    check = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    path = project / "site_data" / "site.yaml"
    doc, _ = load.load_file(path, "site.yaml")
    assert not list(check.iter_errors(doc.data))
    text = path.read_text("utf-8")
    path.write_text(text.replace('postcode: "750002"', 'postcode: "7500"'), encoding="utf-8")
    doc, _ = load.load_file(path, "site.yaml")
    assert list(check.iter_errors(doc.data))
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1 and "site_data/site.yaml:" in result.stderr
