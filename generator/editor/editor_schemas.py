"""`export-schemas`: the kind schemas as VS Code's YAML extension reads them.

The extension (redhat.vscode-yaml) gives completion, hover text (the Chinese
title and description) and red underlines, but it does not know our merge of
common.schema.json into each kind, so every kind is written out merged and
self-contained into schemas/editor/, and .vscode/settings.json maps
site_data/<kind>/ to it. The files are committed (an editor who only opens the
folder in VS Code gets them without running anything); `--check` tells CI and
the pre-commit hook when someone changed a schema and forgot to re-export.
"""
from __future__ import annotations

import json
from pathlib import Path

from .fields import describe, walk
from ..model.kinds import deref, load_kinds

EXPORT_DIR = "schemas/editor"
SETTINGS = ".vscode/settings.json"
EXTENSIONS = ".vscode/extensions.json"
YAML_EXTENSION = "redhat.vscode-yaml"
NOTE = ("由 python -m generator export-schemas 生成，请不要手工修改：改 schemas/ 下的原始文件后重新运行该命令。"
        "公共字段（schemas/common.schema.json）已合并进来，供 VS Code 的 YAML 插件使用。")


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def inline_refs(node, root: dict):
    """Replace local $refs by their target, so that every field has a node of its own
    (城市低保 and 农村低保 share a definition but not a unit or a hover text)."""
    if isinstance(node, list):
        return [inline_refs(v, root) for v in node]
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        return inline_refs(deref(node, root), root)
    return {k: (v if k in ("examples", "enum", "const", "default") else inline_refs(v, root))
            for k, v in node.items()}


def _hover(f) -> str:
    """What VS Code shows on hover and in completion: the same words as the `new` template."""
    text = describe(f)
    ex = f.example
    if ex is not None and not isinstance(ex, (dict, list)):
        text += f"\n\n例如：`{ex}`"
    elif isinstance(ex, list) and ex and all(not isinstance(v, (dict, list)) for v in ex):
        text += "\n\n例如：\n\n" + "\n".join(f"- {v}" for v in ex)
    return text


def editor_schema(kind) -> dict:
    schema = inline_refs({k: v for k, v in kind.schema.items() if k != "definitions"}, kind.schema)
    for f in walk(kind):
        node = schema
        for part in f.path:
            node = node["properties"][part]
        node["markdownDescription"] = _hover(f)
    out = {"$schema": "http://json-schema.org/draft-07/schema#", "$id": f"{kind.id}.schema.json",
           "$comment": NOTE}
    out.update({k: v for k, v in schema.items() if k not in ("$schema", "$id", "$comment")})
    out.setdefault("title", kind.name)
    return out


def _patterns(folder: str) -> list[str]:
    return [f"{folder}/*.yaml", f"{folder}/**/*.yaml", f"{folder}/*.yml", f"{folder}/**/*.yml"]


def expected_files(root: Path) -> tuple[dict[str, str], list]:
    """Every file export-schemas owns, path (relative to root) → content."""
    kinds, problems = load_kinds(root)
    files: dict[str, str] = {}
    mapping: dict[str, list[str]] = {}
    for kind in kinds.values():
        rel = f"{EXPORT_DIR}/{kind.id}.schema.json"
        files[rel] = _dump(editor_schema(kind))
        mapping[f"./{rel}"] = _patterns(f"site_data/{kind.id}")
    site_schema = root / "schemas" / "site.schema.json"
    if site_schema.is_file():
        data = json.loads(site_schema.read_text("utf-8"))
        data = {"$comment": NOTE, **{k: v for k, v in data.items() if k != "$comment"}}
        files[f"{EXPORT_DIR}/site.schema.json"] = _dump(data)
        mapping[f"./{EXPORT_DIR}/site.schema.json"] = ["site_data/site.yaml"]

    settings = _read_json(root / SETTINGS)
    settings["yaml.schemas"] = mapping
    settings.setdefault("yaml.validate", True)
    settings.setdefault("yaml.completion", True)
    settings.setdefault("yaml.hover", True)
    # Our loader reads YAML 1.2 rules (no `no` → false, no octal 0951): make the editor agree.
    settings.setdefault("yaml.yamlVersion", "1.2")
    settings.setdefault("files.encoding", "utf8")
    settings.setdefault("[yaml]", {"editor.insertSpaces": True, "editor.tabSize": 2,
                                   "editor.autoIndent": "keep", "editor.quickSuggestions": {
                                       "other": True, "comments": False, "strings": True}})
    files[SETTINGS] = _dump(settings)

    extensions = _read_json(root / EXTENSIONS)
    recs = list(extensions.get("recommendations", []))
    if YAML_EXTENSION not in recs:
        recs.append(YAML_EXTENSION)
    extensions["recommendations"] = recs
    files[EXTENSIONS] = _dump(extensions)
    return files, problems


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def stale(root: Path, files: dict[str, str]) -> list[str]:
    out = []
    for rel, text in files.items():
        path = root / rel
        if not path.is_file() or path.read_text("utf-8") != text:
            out.append(rel)
    folder = root / EXPORT_DIR
    if folder.is_dir():
        for path in sorted(folder.glob("*.schema.json")):
            rel = path.relative_to(root).as_posix()
            if rel not in files:
                out.append(rel)
    return out


def export(root: Path, files: dict[str, str], outdated: list[str]) -> None:
    """Rewrite the outdated exported files and remove those no schema produces any more."""
    for rel in outdated:
        path = root / rel
        if rel in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(files[rel], encoding="utf-8")
        else:
            path.unlink()
