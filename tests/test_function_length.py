"""No function in generator/ over 60 lines unless it says why.

A long function hides its steps; where one really reads better whole, the line of
its `def` or the line above carries `# long: <reason>`, so the reader knows it was chosen.
"""
import ast
import re
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
LIMIT = 60
REASON = re.compile(r"#\s*long:\s*\S")


def long_functions(root: Path = GENERATOR) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text("utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text, str(path))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            length = node.end_lineno - node.lineno + 1
            if length <= LIMIT:
                continue
            near = lines[max(node.lineno - 2, 0):node.lineno]
            if not any(REASON.search(line) for line in near):
                out.append(f"{path.relative_to(root.parent)}:{node.lineno}: {node.name} has {length} lines")
    return out


def test_no_function_over_60_lines_without_a_reason():
    found = long_functions()
    assert not found, (f"over {LIMIT} lines with no `# long: <reason>` on the def line or the line above "
                       "(split it, or say why it reads better whole):\n" + "\n".join(found))


def test_the_rule_sees_a_long_function_and_its_reason(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(LIMIT))
    (tmp_path / "m.py").write_text(f"def long():\n{body}\n\n# long: one table, read top to bottom\n"
                                   f"def excused():\n{body}\n\ndef short():\n    pass\n", "utf-8")
    assert [f.split(": ")[1] for f in long_functions(tmp_path)] == ["long has 61 lines"]
