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
from conftest import run_cli, run_cli_in_process

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


def _xlsx_attachment(project: Path, name: str) -> Path:
    attachments = project / "site_data/attachments"
    attachments.mkdir(parents=True, exist_ok=True)
    (project / RECORDS / f"{name}.yaml").write_text(
        GOOD + f"attachments:\n  - title: 名单\n    file: attachments/{name}.xlsx\n", encoding="utf-8")
    return attachments / f"{name}.xlsx"


def make_xlsx_bomb(project: Path) -> None:
    # ~250 KB that unpacks to 250 MB: refused from the zip directory, never unpacked.
    import zipfile
    with zipfile.ZipFile(_xlsx_attachment(project, "xlsx_bomb"), "w", zipfile.ZIP_DEFLATED,
                         compresslevel=1) as z:
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            chunk = b"0" * (1 << 20)
            for _ in range(250):
                f.write(chunk)


def make_xlsx_damaged(project: Path) -> None:
    # A zip whose workbook XML is broken: openpyxl raised ParseError (a crash) before.
    import zipfile
    with zipfile.ZipFile(_xlsx_attachment(project, "xlsx_damaged"), "w") as z:
        z.writestr("[Content_Types].xml", "<not xml")
        z.writestr("xl/workbook.xml", "<<<")


def make_many_items(project: Path) -> None:
    # 1.2 MB, under the size limit, but 300,000 list items: refused at the node limit.
    (project / RECORDS / "many_items.yaml").write_text(GOOD + "notes:\n" + "  - a\n" * 300_000, "utf-8")


SETUP = {"many_items": make_many_items, "big_file": make_big_file, "symlink_record": make_symlink_record,
         "symlink_attachment": make_symlink_attachment, "xlsx_bomb": make_xlsx_bomb,
         "xlsx_damaged": make_xlsx_damaged}


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
    # In this process (the all-at-once run below is the real process for every case).
    result = run_cli_in_process(project, "validate")
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


# The personal-data guard runs once the data is otherwise valid (an on_site check), so
# its cases are left out of the all-at-once run below.
AFTER_VALIDATION = {name for name in NAMES if name.startswith(("pii_", "xlsx_"))}


def test_every_case_is_reported_in_one_run(project):
    """All the corpus at once: one validate run names every problem of every file."""
    names = [n for n in NAMES if n not in AFTER_VALIDATION]
    for name in names:
        install(name, project)
    result = run_cli(project, "validate", timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    missing = [(name, where, text) for name in names for where, text in expectations(name)[0]
               if not any(l.startswith(where) and text in l for l in lines)]
    assert missing == [], result.stderr[-3000:]


def _with_expenditure(urban: str) -> str:
    return GOOD.replace("  recipients: 100\n", "  recipients: 30000\n") \
        .replace("  expenditure: 10.5\n", f"  expenditure: {urban}\n")


def test_amount_in_yuan_where_wan_yuan_is_expected_is_a_warning(project):
    # 30,000 people: 1,050,000 万元 is 350,000 元 each (possible for a body count this size),
    # but more than any county spends on one line; 120,000 万元 for 100 people is 1.2 亿元 each.
    (project / RECORDS / "county.yaml").write_text(_with_expenditure("1050000"), "utf-8")
    (project / RECORDS / "per_person.yaml").write_text(
        GOOD.replace("2026-00900", "2026-00901").replace("  expenditure: 10.5\n", "  expenditure: 120000\n"),
        "utf-8")
    (project / RECORDS / "fine.yaml").write_text(
        _with_expenditure("4932").replace("2026-00900", "2026-00902"), "utf-8")
    result = run_cli(project, "validate")
    assert result.returncode == 0, result.stderr  # a warning: the editor decides
    lines = result.stderr.splitlines()
    county = [l for l in lines if l.startswith(f"{RECORDS}/county.yaml:21:16: 警告：")]
    assert county and "超过一个县（区）级地区可能的支出" in county[0] and "应写成 105（万元）" in county[0], lines
    person = [l for l in lines if l.startswith(f"{RECORDS}/per_person.yaml:21:16: 警告：")]
    assert person and "每人约 12,000,000 元" in person[0] and "是不是把“元”当成了“万元”" in person[0], lines
    assert not any("fine.yaml" in l for l in lines)


def test_links_out_of_the_project_in_any_source_folder_are_refused(project):
    # MkDocs would copy the target of content/leak.txt into the site.
    secret = project.parent / "secret.txt"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    (project / "content/leak.txt").symlink_to(secret)
    (project / "templates/kinds/leak.md.j2").symlink_to(secret)
    (project / "content/inside.md").symlink_to(project / "content/guide/editors.md")  # stays inside: fine
    result = run_cli(project, "build")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "content/leak.txt:1:1: 这是指向项目之外" in result.stderr
    assert "templates/kinds/leak.md.j2:1:1: 这是指向项目之外" in result.stderr
    assert "inside.md" not in result.stderr
    assert not (project / "site").exists()
