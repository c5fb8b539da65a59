"""索引号: the publisher's code, the year and a sequence number.

The schema's pattern catches a wrong 索引号; this module says *which part* is
wrong, because an editor who sees only "格式不对" retypes the whole number.
"""
from __future__ import annotations

import re

PATTERN = r"^([0-9A-Z]{9}|[0-9A-Z]{18})/[0-9]{4}-[0-9]{5}$"
EXAMPLE = "11640000MB0000002X/2026-00001"
_RE = re.compile(PATTERN)


def valid(value) -> bool:
    return isinstance(value, str) and bool(_RE.match(value))


def explain(value) -> str:
    """What is wrong with an 索引号, in Chinese, with an example to copy."""
    if not isinstance(value, str):
        return f"索引号要写成文字，例如：{EXAMPLE}。"
    text = value.strip()
    tip = (f"正确格式：9 位组织机构代码或 18 位统一社会信用代码 + “/” + 四位年份 + “-” + 五位流水号，"
           f"例如：{EXAMPLE}。")
    if "／" in text or "－" in text or "—" in text:
        return f"索引号里用了全角符号，请改用半角的“/”和“-”。{tip}"
    if "/" not in text:
        return f"索引号缺少“/”。{tip}"
    code, _, rest = text.partition("/")
    if len(code) not in (9, 18):
        return f"“/”前的机构代码“{code}”有 {len(code)} 位，应为 9 位组织机构代码或 18 位统一社会信用代码。{tip}"
    if not re.fullmatch(r"[0-9A-Z]+", code):
        return f"机构代码“{code}”只能由数字和大写字母组成。{tip}"
    year, dash, seq = rest.partition("-")
    if not dash:
        return f"年份和流水号之间缺少“-”。{tip}"
    if not re.fullmatch(r"[0-9]{4}", year):
        return f"“{year}”不是四位数字的年份。{tip}"
    if not re.fullmatch(r"[0-9]{5}", seq):
        return f"流水号“{seq}”应为 5 位数字，不足 5 位在前面补 0，例如 00012。{tip}"
    return tip
