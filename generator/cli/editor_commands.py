"""export-schemas, fix-encoding, kinds, new, import: editors' tools before the build.

The steps are imported when their command runs (see build_commands).
"""
from __future__ import annotations

import sys
from pathlib import Path

from .args import arg, as_of, command


@arg("--check", action="store_true", help="只检查导出的文件是否是最新的，不写文件（有过期文件时退出码为 1）")
@command("export-schemas", "导出合并后的 JSON Schema 和 VS Code 设置，让编辑器提示字段、显示中文说明并标出错误")
def cmd_export_schemas(ns) -> int:
    from ..editor.editor_schemas import EXPORT_DIR, expected_files, export, stale

    root = Path(ns.root).resolve()
    files, problems = expected_files(root)
    for p in problems:
        print(p.format(), file=sys.stderr)
    if problems:
        print("schemas/ 中有无法读取的文件，没有导出。", file=sys.stderr)
        return 1
    outdated = stale(root, files)
    if ns.check:
        if outdated:
            for rel in outdated:
                print(f"{rel}:1:1: 导出的编辑器 schema 不是最新的。请运行 python -m generator export-schemas 并提交结果。",
                      file=sys.stderr)
            return 1
        print(f"编辑器 schema 是最新的（{len(files)} 个文件）。")
        return 0
    export(root, files, outdated)
    print(f"已导出 {len(files)} 个文件到 {EXPORT_DIR}/ 和 .vscode/（更新了 {len(outdated)} 个）。"
          "用 VS Code 打开本目录，按提示安装 YAML 插件（redhat.vscode-yaml）后即可使用字段提示和错误标记。")
    return 0


@arg("files", nargs="+", metavar="文件", help="要转换的 YAML/TSV/CSV 文件")
@command("fix-encoding", "把 GBK/GB18030 编码（Windows 中文默认编码）的文件转换为 UTF-8，并保留备份")
def cmd_fix_encoding(ns) -> int:
    from ..editor.fix_encoding import FAILED, convert

    failed = 0
    for name in ns.files:
        path = Path(name)
        if not path.is_absolute():
            path = Path(ns.root) / path
        outcome, message = convert(path)
        ok = outcome != FAILED
        print(message, file=sys.stdout if ok else sys.stderr)
        failed += not ok
    return 1 if failed else 0


@command("kinds", "列出全部记录类别（中文名称、所属专栏），用于 new 和 import")
def cmd_kinds(ns) -> int:
    from ..editor.scaffold import column_names
    from ..model.kinds import load_kinds

    root = Path(ns.root)
    kinds, problems = load_kinds(root)
    columns = column_names(root)
    print("可用的记录类别：")
    width = max((len(k) for k in kinds), default=10)
    for kind in kinds.values():
        if kind.column == "*":
            options = kind.column_choices
            where = "每条记录用 column 字段指定专栏（" + "、".join(
                f"{columns.get(c, c)} {c}" for c in options) + "）"
        else:
            where = f"专栏：{columns.get(kind.column, kind.column)}（{kind.column}）"
        extra = "，按统计期公布（需要 --period）" if kind.period else ""
        print(f"  {kind.id.ljust(width)}  {kind.name}，{where}{extra}")
    print("新建一条记录：python -m generator new 类别 --region 行政区划代码 --period 统计期")
    for p in problems:
        print(p.format(), file=sys.stderr)
    return 0


@arg("--out", default=None, help="写到哪个文件（默认 site_data/<类别>/<统计期>-<代码>.yaml；写 - 表示只显示不保存）")
@arg("--period", default=None, help="统计期：年度 2025、半年 2025-H1、季度 2025-Q3、月份 2025-07")
@arg("--region", required=True, help="行政区划代码，例如 640324（同心县）")
@arg("kind", help="记录类别，例如 dibao_stats（python -m generator kinds 可以列出全部）")
@command("new", "按类别生成一个带中文说明的 YAML 模板文件")
def cmd_new(ns) -> int:
    from ..editor.scaffold import UsageProblem, new_record

    root = Path(ns.root).resolve()
    try:
        text, written = new_record(root, ns.kind, ns.region, ns.period, ns.out)
    except UsageProblem as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if written is None:
        sys.stdout.write(text)
        return 0
    shown = written.relative_to(root) if written.is_relative_to(root) else written
    print(f"已生成 {shown} 。请打开文件，在每个冒号后面填写内容（说明在 # 开头的行里），"
          "然后运行 python -m generator validate 检查。")
    return 0


@arg("--replace", action="store_true",
     help="表格里的地区和统计期已经有记录时，用表格替换它（索引号和表格里没有的内容保持不变），并列出改动")
@arg("--map", dest="maps", action="append", default=[], metavar="列名=字段",
     help="表头对应不上时指明它是哪个字段，例如 --map 保障人数=urban.recipients 或 --map 备注栏=忽略（可以写多次；"
          "长期使用写进 site_data/_import/<类别>.yaml）")
@as_of
@arg("--set", dest="sets", action="append", default=[], metavar="字段=值",
     help="表格里没有的字段，对每一行都一样，例如 --set published=2025-10-15 或 --set 发布日期=2025-10-15（可以写多次）")
@arg("--period", default=None, help="统计期（表格里没有“统计期”一列时），例如 2025-Q3")
@arg("--region", default=None, help="行政区划代码（表格里没有地区列时，所有行都属于这个地区）")
@arg("--out", default=None, help="写到哪个目录（默认 site_data/<类别>/）")
@arg("--sheet", default=None, help="工作表名称（默认第一个工作表）")
@arg("--kind", required=True, help="记录类别，例如 dibao_stats（python -m generator kinds 可以列出全部）")
@arg("file", help="Excel 文件（.xlsx、.xls）、WPS/LibreOffice 文件（.ods）或 CSV 文件（UTF-8 或 GBK 编码）")
@command("import", "把 Excel、WPS 或 CSV 表格导入为 YAML 记录（先全部校验，有任何问题就一个文件也不写）")
def cmd_import(ns) -> int:
    from ..editor.importer import import_file, write_draft, write_records
    from ..editor.scaffold import UsageProblem, find_kind

    root = Path(ns.root).resolve()
    try:
        res = import_file(root, ns.file, ns.kind, ns.sheet, ns.out, ns.region, ns.period, ns.sets, ns.as_of,
                          ns.maps, ns.replace)
        kind, _ = find_kind(root, ns.kind)
    except UsageProblem as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for p in res.problems:
        print(p.format(), file=sys.stderr)
    for n in res.notes:
        print(n, file=sys.stderr)
    if res.problems:
        if res.unmatched:
            path, added = write_draft(root, kind, res)
            shown = path.relative_to(root) if path.is_relative_to(root) else path
            if added:
                print(f"已把 {added} 个对应不上的列名写入映射文件 {shown}（草稿）：在每个列名的冒号后面写上字段名"
                      "（英文名或中文名称，不需要的列写“忽略”），保存后重新导入；以后同样表头的表格会自动按它对应。",
                      file=sys.stderr)
        print(f"导入未完成：发现 {len(res.problems)} 个问题，没有写入任何记录文件。"
              "请按每行开头的“文件:工作表!单元格”找到位置，在表格里改正后重新导入。", file=sys.stderr)
        return 1
    write_records(res.rows)
    for row in res.rows:
        shown = row.target.relative_to(root) if row.target.is_relative_to(root) else row.target
        if row.replaces:
            what = "；".join(row.changes) if row.changes else "内容没有变化"
            print(f"已覆盖 {shown}（--replace）：{what}")
        else:
            print(f"已写入 {shown}")
    print(_imported(res.rows))
    return 0


def _imported(rows) -> str:
    """The last line of an import: what the editor does next. Only the records still waiting for
    their confidentiality review need a step before a push publishes them."""
    from ..model.model import APPROVED

    waiting = sum((row.data.get("review") or {}).get("status") != APPROVED for row in rows)
    after = (f"其中 {waiting} 条的保密审查还没有通过：通过后把 review.status 改为“{APPROVED}”才会发布。" if waiting
             else f"保密审查结果都是“{APPROVED}”，提交并推送后就会发布。")
    return f"导入完成：{len(rows)} 条记录。请运行 python -m generator validate 再检查一遍。{after}"
