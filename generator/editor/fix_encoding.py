"""`python -m generator fix-encoding FILE…`: convert GBK/GB18030 files to UTF-8.

Windows Notepad and Excel on Chinese systems save text as GBK; the loader
refuses such files rather than guess (a wrong guess puts mojibake on the
public site). This command does the conversion the loader's message names,
keeping a backup of the original bytes next to the file.
"""
from __future__ import annotations

import os
from pathlib import Path


BACKUP_SUFFIX = ".gbk.bak"


CONVERTED, ALREADY_UTF8, FAILED = "converted", "utf-8", "failed"


def convert(path: Path) -> tuple[str, str]:
    """Convert one file in place; (outcome, Chinese message)."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        return FAILED, f"{path}：这是一个目录，不是文件。"
    except OSError:
        return FAILED, f"{path}：无法读取，请检查文件名和读取权限。"
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        body.decode("utf-8")
        return ALREADY_UTF8, f"{path}：已经是 UTF-8 编码，无需转换。"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK and GB2312, so one decoder covers all three.
        text = body.decode("gb18030")
    except UnicodeDecodeError as exc:
        return FAILED, (f"{path}：既不是 UTF-8 也不是 GBK/GB18030 编码（第 {exc.start} 个字节无法识别），"
                       "可能是二进制文件，没有改动。")
    if "\x00" in text:
        return FAILED, f"{path}：含有空字符，不是文本文件，没有改动。"
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    if backup.exists():
        return FAILED, f"{path}：备份文件 {backup} 已经存在。为免覆盖旧备份，请先移走它再运行。"
    try:
        backup.write_bytes(raw)
        tmp = path.with_name(f".{path.name}.utf8-tmp")
        tmp.write_bytes(text.encode("utf-8"))
        os.replace(tmp, path)
    except OSError:
        return FAILED, f"{path}：无法写入，请检查目录的写入权限。原文件没有改动。"
    return CONVERTED, f"{path}：已从 GBK/GB18030 转换为 UTF-8，原文件备份为 {backup.name}。"
