"""The package's import graph: no circles, and only `__main__` imports the command line.

Read with `ast` from the sources, not by importing them: every import counts, at module level
and inside functions alike (an import moved into a function to dodge a circle still makes one).
An import of a package counts as an import of its `__init__`; `from package import name` counts
as an import of the submodule when `name` is one.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
CLI = "generator.cli"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str, level: int, current: str, is_package: bool) -> str:
    """`from ..x import y` in `current` → the absolute module name of `..x`."""
    if not level:
        return name
    base = current.split(".")
    base = base[:len(base) - level + (1 if is_package else 0)]
    return ".".join(base + ([name] if name else []))


def imports_of(module: str, path: Path, modules: dict) -> set[str]:
    """The modules of the package that `module` imports anywhere in its source."""
    out: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node.module or "", node.level, module, is_package)
            targets = [f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target
                       for alias in node.names]
        else:
            continue
        out |= {t for t in targets if t in modules and t != module}
    return out


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle for each group of modules that import each other (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_path_through(graph, group) for group in groups]


def _path_through(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """A shortest circle from the group's first module back to it, for the message."""
    start = group[0]
    members = set(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                return paths[v] + [start]
            if w not in paths:
                paths[w] = paths[v] + [w]
                queue.append(w)
    return group


def test_the_walk_sees_imports_inside_functions_and_relative_ones():
    graph = import_graph()
    assert graph["generator.__main__"] and all(t.startswith(CLI) for t in graph["generator.__main__"])
    assert "generator.model.validate" in graph["generator.checks.check_rules"] | graph["generator.cli.check_commands"]
    assert len(graph) > 40 and sum(map(len, graph.values())) > 80
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_import_circles():
    found = circles(import_graph())
    assert not found, "import circles in generator/:\n" + "\n".join(" → ".join(c) for c in found)


def test_only_main_imports_the_command_line():
    graph = import_graph()
    offenders = sorted(m for m, targets in graph.items()
                       if not (m == CLI or m.startswith(CLI + ".") or m == "generator.__main__")
                       and any(t == CLI or t.startswith(CLI + ".") for t in targets))
    assert not offenders, f"these modules import {CLI} (only generator.__main__ may): {offenders}"
