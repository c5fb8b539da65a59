"""Personal-data guard: what it catches, what it lets through, where it looks."""
from conftest import run_cli, run_cli_in_process, write
from openpyxl import Workbook

from generator.checks import pii
from generator.model.load import Document, load_text
from test_validate import GOOD

ID18 = "640102199003071233"  # check digit computed per GB 11643
ID18_X = "64010219800101007X"


def kinds(text):
    return [what for _, _, what in pii.find(text)]


def test_check_digit_and_luhn():
    assert pii.id18_valid(ID18) and pii.id18_valid(ID18_X)
    assert not pii.id18_valid(ID18[:-1] + "4")
    assert pii.luhn_valid("4111111111111111") and not pii.luhn_valid("4111111111111112")


def test_unmasked_numbers_are_found():
    assert kinds(f"身份证号{ID18}。") == ["未遮挡的 18 位身份证号"]
    assert kinds(f"身份证号{ID18_X.lower()}") == ["未遮挡的 18 位身份证号"]
    assert kinds("旧身份证 640102900307123") == ["未遮挡的 15 位（旧）身份证号"]
    assert kinds("电话13812345678，") == ["未遮挡的手机号码"]
    assert kinds("电话 +86 138-1234-5678") == ["未遮挡的手机号码"]
    assert kinds("卡号 4111 1111 1111 1111") == ["未遮挡的银行卡号"]
    assert kinds("卡号6222021234567890128") == ["未遮挡的银行卡号"]
    assert kinds("家里电话 0953-5021234") == ["电话号码（只有标明为“办公电话”的字段才能写电话）"]


def test_masked_forms_and_lookalikes_pass():
    quiet = [
        "640102********1233", "138****5678", "6222 **** **** 0128", "640102*********123",
        ID18[:-1] + "4",                              # wrong check digit
        "640102199013071233",                        # month 13: not a birth date
        "11640324MB0000001X/2026-00900",             # 索引号
        "116403240000000012/2026-00001",             # 索引号 with an all-digit credit code
        "同政发〔2025〕12号", "宁民发〔2026〕123号",     # 文号
        "2026-10-12", "20261012", "2026年10月12日",   # dates
        "资金支出 12345678.90 万元", "1,234,567,890 元", "4111111111111112",  # amounts, non-Luhn
        "640324100001",                              # 12-digit village code
        "12345678901",                               # 11 digits not starting 1[3-9]
    ]
    for text in quiet:
        assert pii.find(text) == [], text


def test_office_phone_only_where_the_schema_allows():
    assert pii.find("0953-8021234", office_phone_ok=True) == []
    assert pii.find("13812345678", office_phone_ok=True)  # a mobile is personal even there
    schema = {"properties": {"hotline": {"type": "string", "x-pii": "office-phone"},
                             "old": {"type": "string", "x-office-phone": True},
                             "notes": {"type": "string"}}}
    doc = Document(path=None, rel="site_data/x/a.yaml")
    assert load_text("hotline: 0953-8021234\nold: 0951-5021234\nnotes: 值班 0953-8021234\n", doc) == []
    doc.path = None
    problems = pii.check_document(doc, schema)
    assert [(p.line, p.col) for p in problems] == [(3, 11)]


def test_pii_in_an_xlsx_attachment_stops_validate_and_build(project):
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "联系电话", "身份证号", "金额"])
    sheet.append(["王某", "138****5678", "640102********1233", 780])
    sheet.append(["李某", 13912345678, ID18, 1234567])  # a phone typed as a number in Excel
    (project / "site_data/attachments").mkdir(parents=True)
    book.save(project / "site_data/attachments/list.xlsx")
    write(project / "site_data/dibao_stats/t.yaml",
          GOOD + "attachments:\n  - title: 名单\n    file: attachments/list.xlsx\n")
    for command in ("validate", "build"):
        result = run_cli(project, command)
        assert result.returncode == 1, result.stdout
        lines = result.stderr.splitlines()
        assert any(l.startswith("site_data/attachments/list.xlsx:3:2: 工作表“名单”单元格 B3：未遮挡的手机号码")
                   for l in lines), result.stderr
        assert any(l.startswith("site_data/attachments/list.xlsx:3:3: 工作表“名单”单元格 C3：未遮挡的 18 位身份证号")
                   for l in lines), result.stderr
        assert not any(l.startswith("site_data/attachments/list.xlsx:2:") for l in lines)  # masked row passes
        assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_draft_records_are_not_scanned_but_approved_ones_are(project):
    draft = GOOD.replace("status: 已通过", "status: 待审核") + f"notes: 联系人 13812345678\n"
    write(project / "site_data/dibao_stats/t.yaml", draft)
    assert run_cli_in_process(project, "validate").returncode == 0
    write(project / "site_data/dibao_stats/t.yaml", draft.replace("待审核", "已通过"))
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1 and "site_data/dibao_stats/t.yaml:24:12: 未遮挡的手机号码" in result.stderr


def test_site_settings_are_scanned_with_their_schema(project):
    path = project / "site_data/site.yaml"
    text = path.read_text("utf-8")
    assert "x-office-phone" in (project / "schemas/site.schema.json").read_text("utf-8")
    assert "  hours: 工作日" in text
    path.write_text(text.replace("  hours: 工作日", "  hours: 请拨打 13812345678 或工作日"), "utf-8")
    result = run_cli_in_process(project, "validate")
    assert result.returncode == 1
    assert any(l.startswith("site_data/site.yaml:") and "未遮挡的手机号码" in l for l in result.stderr.splitlines())
    assert "0951-0000000" not in result.stderr  # office phone fields are allowed
