"""依申请公开: the page that says how to apply for government information, and the
application form as a printable table and as a DOCX file offices can hand out.

The 条例 (中华人民共和国政府信息公开条例, 国务院令第711号, 2019) fixes what an application
holds (art. 29) and the time limits (arts. 30, 31, 33); the form's layout follows the
政府信息公开申请表 that offices publish (申请人信息 for 公民 and 法人或者其他组织, then
所需信息情况), without the old 用途 row: the 2019 revision no longer asks for a purpose.

A static site takes no submissions: the page links the office's own online system when
site.yaml names one (guide.online_url) and otherwise lists the offline channels that
office.* gives (当面, 邮寄, 传真, 电子邮件).

The DOCX is written by hand (WordprocessingML in a zip with fixed timestamps), so two
builds of the same data produce the same bytes.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

from .render import href, link, page
from ..urls import urls

PAGE = urls.application()
DOCX = urls.application_form()
TITLE = "政府信息公开申请表"


@dataclass(frozen=True)
class Cell:
    text: str = ""
    cols: int = 1           # colspan
    rows: int = 1           # rowspan
    label: bool = False     # a printed label (th) rather than a blank to fill in (td)
    tall: bool = False      # a blank that needs several lines of handwriting


def L(text, cols=1, rows=1):  # noqa: E743 - short names keep the layout readable
    return Cell(text, cols, rows, label=True)


def B(cols=1, tall=False, text=""):
    return Cell(text, cols, tall=tall)


CARRIERS = "□ 纸质文本　□ 电子文件"
WAYS = "□ 邮寄　□ 电子邮件　□ 传真　□ 当面领取　□ 现场查阅、抄录"

# Six columns: group, sub-group, label, blank, label, blank. Rowspans and colspans below
# are the only layout: the HTML table and the DOCX are both drawn from these rows.
FORM: list[list[Cell]] = [
    [L("申请人信息", rows=9), L("公民", rows=4), L("姓名"), B(), L("工作单位"), B()],
    [L("证件名称"), B(), L("证件号码"), B()],
    [L("联系电话"), B(), L("电子邮箱"), B()],
    [L("联系地址"), B(), L("邮政编码"), B()],
    [L("法人或者其他组织", rows=4), L("名称"), B(), L("统一社会信用代码"), B()],
    [L("法定代表人或者负责人"), B(), L("联系人"), B()],
    [L("联系人电话"), B(), L("电子邮箱"), B()],
    [L("联系地址"), B(), L("邮政编码"), B()],
    [L("申请人签名或者盖章", cols=2), B(), L("申请日期"), B()],
    [L("所需信息情况", rows=4), L("所需信息的内容描述", cols=2), B(cols=3, tall=True)],
    [L("所需信息的名称、文号或者索引号（选填）", cols=2), B(cols=3)],
    [L("信息载体形式（可多选）", cols=2), B(cols=3, text=CARRIERS)],
    [L("获取信息的方式（可多选）", cols=2), B(cols=3, text=WAYS)],
]
NOTES = [
    "申请人是公民的填写“公民”一栏，是法人或者其他组织的填写“法人或者其他组织”一栏，并附身份证明（身份证件或者营业执照等）复印件。",
    "所需信息请尽量写明名称、文号、发布日期或者其他便于查询的特征（《中华人民共和国政府信息公开条例》第二十九条）；一份申请表宜只申请一项信息。",
    "邮寄申请请在信封左下角注明“政府信息公开申请”字样。",
]
COLUMNS = 6
# Column widths in twentieths of a point (A4 less 2 cm margins each side = 9638 twips).
WIDTHS = [900, 1100, 1900, 1969, 1800, 1969]


def grid(rows: list[list[Cell]] = FORM) -> list[list[tuple[Cell, int, bool]]]:
    """Each row as (cell, starting column, is a continuation of a rowspan above) for all six
    columns, with rowspans expanded: WordprocessingML merges vertically cell by cell."""
    pending: dict[int, tuple[Cell, int]] = {}   # column → (cell, rows still to cover)
    out = []
    for row in rows:
        line, col, cells = [], 0, iter(row)
        while col < COLUMNS:
            if col in pending:
                cell, left = pending[col]
                line.append((cell, col, True))
                if left > 1:
                    pending[col] = (cell, left - 1)
                else:
                    del pending[col]
                col += cell.cols
                continue
            cell = next(cells)
            line.append((cell, col, False))
            if cell.rows > 1:
                pending[col] = (cell, cell.rows - 1)
            col += cell.cols
        if col != COLUMNS or next(cells, None) is not None:
            raise ValueError(f"申请表第 {len(out) + 1} 行的列数不是 {COLUMNS}")
        out.append(line)
    return out


# ------------------------------------------------------------------ DOCX

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# 1980-01-01, the earliest time a zip entry can carry: fixed, so builds are byte-identical.
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _run(text: str, size: int = 21, bold: bool = False) -> str:
    props = (f'<w:rPr><w:rFonts w:ascii="SimSun" w:hAnsi="SimSun" w:eastAsia="宋体"/>'
             f'{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
    return f'<w:r>{props}<w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r>'


def _para(text: str = "", size: int = 21, bold: bool = False, align: str | None = None,
          after: int = 0) -> str:
    ppr = f'<w:pPr><w:spacing w:before="0" w:after="{after}"/>' + \
          (f'<w:jc w:val="{align}"/>' if align else "") + "</w:pPr>"
    return f"<w:p>{ppr}{_run(text, size, bold) if text else ''}</w:p>"


def _table(office: str) -> str:
    borders = "".join(f'<w:{side} w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [f'<w:tbl><w:tblPr><w:tblW w:w="{sum(WIDTHS)}" w:type="dxa"/><w:tblBorders>{borders}'
             f'</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
             + "".join(f'<w:gridCol w:w="{w}"/>' for w in WIDTHS) + "</w:tblGrid>"]
    for line in grid():
        tall = any(c.tall for c, _, cont in line if not cont)
        parts.append(f'<w:tr><w:trPr><w:trHeight w:val="{2400 if tall else 520}" w:hRule="atLeast"/></w:trPr>')
        for cell, col, cont in line:
            width = sum(WIDTHS[col:col + cell.cols])
            tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if cell.cols > 1:
                tcpr += f'<w:gridSpan w:val="{cell.cols}"/>'
            if cell.rows > 1:
                tcpr += '<w:vMerge/>' if cont else '<w:vMerge w:val="restart"/>'
            tcpr += '<w:vAlign w:val="center"/>'
            text = "" if cont else cell.text
            parts.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>"
                         f"{_para(text, 20, bold=cell.label, align='center' if cell.label else None)}</w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def document_xml(office: str) -> str:
    body = [
        _para(TITLE, size=36, bold=True, align="center", after=120),
        _para(f"受理机构：{office}", size=21, after=60),
        _para("编号：（由受理机构填写）　　　　　　收到申请日期：（由受理机构填写）", size=21, after=120),
        _table(office),
        _para("填表说明：", size=20, bold=True),
        *[_para(f"{i}. {n}", size=20) for i, n in enumerate(NOTES, 1)],
        # A4 portrait, 2 cm margins: the form fits one sheet.
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" '
        'w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>',
    ]
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<w:document {_NS}><w:body>{''.join(body)}</w:body></w:document>")


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>")
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    "</Relationships>")


def core_xml(office: str) -> str:
    # No creation or modification date: it would be the build time, and differ per build.
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{xml_escape(TITLE)}</dc:title><dc:creator>{xml_escape(office)}</dc:creator>"
            "</cp:coreProperties>")


def docx(office: str) -> bytes:
    """The application form as a DOCX: the same bytes for the same office name."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                           ("docProps/core.xml", core_xml(office)), ("word/document.xml", document_xml(office))]:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3          # the same "made on" byte wherever it is built
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"), compresslevel=9)
    return buf.getvalue()


# ------------------------------------------------------------------ page

def channels(site_config: dict) -> list[tuple[str, str]]:
    """The offline ways to hand in an application, from what site.yaml says about the office."""
    office, guide = site_config["office"], site_config.get("guide") or {}
    out = [("当面提交", f"{guide.get('application_address') or office['address']}，{office['hours']}。")]
    post = office["address"] + (f"（邮政编码 {office['postcode']}）" if office.get("postcode") else "")
    out.append(("邮寄", f"{post}，收件人：{office['name']}。请在信封左下角注明“政府信息公开申请”。"))
    if office.get("fax"):
        out.append(("传真", f"{office['fax']}，请在首页注明“政府信息公开申请”，发送后电话确认。"))
    if office.get("email"):
        out.append(("电子邮件", f"{office['email']}，邮件主题写“政府信息公开申请”，申请表和身份证明作为附件。"))
    return out


def application_page(site, output, env):
    config = site.config
    guide = config.get("guide") or {}
    output.add(PAGE, page(env.get_template("conventions/application.md.j2"),
        src=PAGE, config=config, office=config["office"], guide=guide, rows=grid(),
        notes=NOTES, channels=channels(config), online_url=guide.get("online_url"),
        docx=DOCX.rsplit("/", 1)[1], guide_src=urls.guide(), title=TITLE, link=link, href=href,
        sample_site=bool(config.get("sample_data"))))
    output.add(DOCX, docx(config["office"]["name"]))
