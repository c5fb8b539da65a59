"""The bad-input corpus: every file in tests/bad_inputs/ through the real `validate` command.

A case is `<name>.expected` plus either `<name>.yaml` (placed as
site_data/dibao_stats/<name>.yaml), a directory `<name>/` laid over the
project root, or a setup function below for what must not be committed
(a 50 MB file, symlinks). Each line of the .expected file is
`path:line:col: text`: some message line must start with that position and
contain that text. A line starting with `!` is text no message may contain.
"""
from pathlib import Path
import shutil

import pytest
from conftest import run_cli

from test_validate import GOOD

CASES = Path(__file__).parent / "bad_inputs"
RECORDS = "site_data/dibao_stats"


def make_big_file(project: Path) -> None:
    # 50 MB of one long value: refused by size before it is read or parsed.
    with open(project / RECORDS / "big_file.yaml", "wb") as f:
        f.write(GOOD.encode())
        f.write(b"notes: '")
        chunk = "低保".encode() * (1024 * 1024 // 6)
        while f.tell() < 50 * 1024 * 1024:
            f.write(chunk)
        f.write(b"'\n")


def make_symlink_record(project: Path) -> None:
    outside = project.parent / "outside.yaml"
    outside.write_text(GOOD, encoding="utf-8")
    (project / RECORDS / "symlink_record.yaml").symlink_to(outside)


def make_symlink_attachment(project: Path) -> None:
    outside = project.parent / "passwd.csv"
    outside.write_text("root:x:0:0\n", encoding="utf-8")
    attachments = project / "site_data/attachments"
    attachments.mkdir(parents=True, exist_ok=True)
    (attachments / "passwd.csv").symlink_to(outside)
    (project / RECORDS / "symlink_attachment.yaml").write_text(
        GOOD + "attachments:\n  - title: 名单\n    file: attachments/passwd.csv\n", encoding="utf-8")


SETUP = {"big_file": make_big_file, "symlink_record": make_symlink_record,
         "symlink_attachment": make_symlink_attachment}


def install(name: str, project: Path) -> None:
    if name in SETUP:
        SETUP[name](project)
    elif (CASES / f"{name}.yaml").exists():
        shutil.copyfile(CASES / f"{name}.yaml", project / RECORDS / f"{name}.yaml")
    elif (CASES / name).is_dir():
        shutil.copytree(CASES / name, project, dirs_exist_ok=True)
    else:
        raise AssertionError(f"case {name} has no input")


def expectations(name: str) -> tuple[list[tuple[str, str]], list[str]]:
    wanted, forbidden = [], []
    for line in (CASES / f"{name}.expected").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        if line.startswith("!"):
            forbidden.append(line[1:])
            continue
        path, ln, col, text = line.split(":", 3)
        wanted.append((f"{path}:{ln}:{col}: ", text.strip()))
    return wanted, forbidden


NAMES = sorted(p.stem for p in CASES.glob("*.expected"))


def test_corpus_covers_the_issue():
    assert len(NAMES) >= 25
    for name in NAMES:
        assert name in SETUP or (CASES / f"{name}.yaml").exists() or (CASES / name).is_dir(), name


@pytest.mark.parametrize("name", NAMES)
def test_bad_input_is_explained(name, project):
    install(name, project)
    result = run_cli(project, "validate", timeout=60)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out and "Error:" not in out, out
    assert "校验未通过" in result.stderr
    lines = result.stderr.splitlines()
    wanted, forbidden = expectations(name)
    assert wanted, name
    for where, text in wanted:
        assert any(l.startswith(where) and text in l for l in lines), (where, text, result.stderr)
    for text in forbidden:
        assert text not in result.stderr, (text, result.stderr)
