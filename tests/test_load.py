"""The strict YAML loader: positions, YAML 1.1 surprises, hostile input."""
from pathlib import Path

from generator.model.load import Document, load_file, load_text


def load(text: str):
    doc = Document(path=Path("x.yaml"), rel="site_data/x.yaml")
    problems = load_text(text, doc)
    return doc, problems


def test_values_keep_what_editors_meant():
    doc, problems = load(
        "a: no\nb: yes\nc: on\nd: 0951\ne: 1:20\nf: 2025-10-15\ng: 12\nh: 1.5\ni: true\nj: '12'\n"
        "k: １２３\nl: 1,234\nm: ~\nn: 1e3\n")
    assert problems == []
    assert doc.data == {"a": "no", "b": "yes", "c": "on", "d": "0951", "e": "1:20", "f": "2025-10-15",
                        "g": 12, "h": 1.5, "i": True, "j": "12", "k": "１２３", "l": "1,234", "m": None,
                        "n": "1e3"}


def test_positions_of_values_and_keys():
    doc, _ = load("title: 标题\nregion:\n  code: '640324'\n  name: 同心县\nlist:\n  - a\n  - b\n")
    assert doc.marks[("region", "code")] == (3, 9)
    assert doc.key_marks[("region", "name")] == (4, 3)
    assert doc.marks[("list", 1)] == (7, 5)
    assert doc.where(("region", "missing")) == (2, 1) or doc.where(("region", "missing")) == doc.marks[("region",)]


def test_duplicate_keys_are_errors_with_both_lines():
    _, problems = load("title: 一\nperiod: 2025-Q1\ntitle: 二\n")
    assert len(problems) == 1
    p = problems[0]
    assert (p.line, p.col) == (3, 1)
    assert "重复" in p.message and "第 1 行" in p.message


def test_tabs_get_a_chinese_hint():
    _, problems = load("region:\n\tcode: 1\n")
    assert problems and problems[0].line == 2
    assert "Tab" in problems[0].message


def test_aliases_are_refused_billion_laughs():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    _, problems = load(bomb)
    assert len(problems) == 1 and "别名" in problems[0].message


def test_deep_nesting_is_bounded():
    _, problems = load("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problems and "嵌套" in problems[0].message


def test_unsafe_tags_are_refused():
    _, problems = load("a: !!python/object/apply:os.system ['echo hi']\n")
    assert problems and "标签" in problems[0].message


def test_gbk_file_is_named_not_garbled(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("title: 同心县低保\n".encode("gbk"))
    doc, problems = load_file(path, "site_data/dibao_stats/gbk.yaml")
    assert doc.data is None
    assert len(problems) == 1 and "GBK" in problems[0].message and "fix-encoding" in problems[0].message


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufefftitle: 标题\r\nperiod: 2025-Q1\r\n".encode("utf-8"))
    doc, problems = load_file(path, "bom.yaml")
    assert problems == [] and doc.data == {"title": "标题", "period": "2025-Q1"}
    assert doc.marks[("period",)] == (2, 9)


def test_large_file_is_refused_quickly(tmp_path):
    path = tmp_path / "big.yaml"
    with open(path, "wb") as f:
        f.write(b"a: " + b"x" * (50 * 1024 * 1024) + b"\n")
    doc, problems = load_file(path, "big.yaml")
    assert problems and "太大" in problems[0].message


def test_syntax_error_has_position_and_chinese():
    _, problems = load("title: 时间: 9:00\n")
    assert problems[0].line == 1 and "冒号" in problems[0].message
