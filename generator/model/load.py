"""Load editors' YAML strictly, keeping the line and column of every value.

PyYAML's own constructors follow YAML 1.1, which turns `no` into False,
`0951` into an octal number and `1:20` into 80. Editors paste from Excel and
mean none of that, so we compose the node graph and build plain JSON-like
values ourselves: only `true`/`false` are booleans, only plain decimal numbers
without leading zeros are numbers, and everything else stays text for the
schema to judge. Aliases are refused outright (no "billion laughs"), nesting
and file size are bounded, and duplicate keys are errors.
"""
from __future__ import annotations

import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.events import AliasEvent

from ..problems import Problem

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000
MAX_DIGITS = 18

# Field names and short values (units, statuses, publishers, region names) repeat in every
# record: one shared copy each (sys.intern) instead of one per file, ~9 KB less per record.
_SHARED_LEN = 40
_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(0|[1-9][0-9]*)\.[0-9]+$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:binary", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value",
}

# Characters double-quoted escapes ("\x01", "\ud800") can produce although YAML
# forbids them typed raw: invalid in XML (feeds, sitemap) and in UTF-8 (lone
# surrogates cannot even be written to a file), invisible on a page.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Document:
    """One YAML file: its data and where each value sits in the file.

    Positions (`marks`, `key_marks`) were two thirds of a loaded site's memory (220 of
    336 MB at 10,000 records) and are read mostly for a problem's message. So a file that
    loads without problems keeps only its top-level ones (every record's self-check finding
    points at `published`), packed, and its text, compressed, to find the others again the
    first time they are asked for; a file with problems has them all from its load."""

    path: Path
    rel: str
    data: object = None
    raw: dict = field(default_factory=dict)        # path -> text as typed, for plain numbers
    _marks: dict | None = field(default_factory=dict, repr=False)      # path -> (line, col) of the value
    _key_marks: dict | None = field(default_factory=dict, repr=False)  # path -> (line, col) of its key
    _source: bytes | None = field(default=None, repr=False)  # zlib'd text while only the top is known
    _top: tuple | None = field(default=None, repr=False)     # (root mark, {key: value's}, {key: key's})
    # Per-record checks' findings by check: (what else they depended on, the problems). The
    # preview reuses a Document while its file and schema are unchanged, the record cache
    # across runs (record_cache.py), so an unchanged record is not judged again.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def remembered(self, check: str, depends, judge) -> list:
        """`judge()`'s problems, or what it found for this Document when `depends` was the same."""
        hit = self.memo.get(check)
        if hit is None or hit[0] != depends:
            hit = self.memo[check] = (depends, judge())
        return list(hit[1])

    @property
    def marks(self) -> dict:
        if self._marks is None:
            self._place()
        return self._marks

    @property
    def key_marks(self) -> dict:
        if self._key_marks is None:
            self._place()
        return self._key_marks

    def place_later(self, text: str, top: tuple) -> None:
        """Keep `top` (see _Unplaced); the other positions are found again from `text`."""
        self._marks = self._key_marks = None
        self._source, self._top = zlib.compress(text.encode("utf-8"), 1), top

    def _place(self) -> None:
        # The text parsed without a problem before (load_text), so it does again.
        placed = Document(self.path, self.rel)
        _build(_compose(_CComposer, zlib.decompress(self._source).decode("utf-8")), (), placed, [])
        self._marks, self._key_marks, self._source, self._top = placed.marks, placed.key_marks, None, None

    def where(self, path: tuple, key: bool = False) -> tuple[int, int]:
        """The closest known position of a path (falls back to its parents)."""
        p = tuple(path)
        if self._top is not None and len(p) <= 1:
            return self._where_top(p, key)
        table = self.key_marks if key else self.marks
        while p:
            if p in table:
                return table[p]
            if key and p in self.marks:
                return self.marks[p]
            p = p[:-1]
        return self.marks.get((), (1, 1))

    def _where_top(self, p: tuple, key: bool) -> tuple[int, int]:
        # The walk of `where` for a path of one step, over the positions kept at load.
        root, values, keys = self._top
        found = None
        if p:
            found = keys.get(p[0]) if key else values.get(p[0])
            if found is None and key:
                found = values.get(p[0])
        return _unpack(found) if found is not None else (root or (1, 1))


def _pack(mark: tuple[int, int]) -> int:
    return mark[0] << 32 | mark[1]


def _unpack(packed: int) -> tuple[int, int]:
    return packed >> 32, packed & 0xFFFFFFFF


class _Abort(Exception):
    def __init__(self, line: int, col: int, message: str):
        self.line, self.col, self.message = line, col, message


class _Checks:
    """A composer with aliases refused and depth and size bounded."""

    _depth = 0
    _nodes = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            m = event.start_mark
            raise _Abort(m.line + 1, m.column + 1,
                         "不支持 YAML 别名（*名称）和锚点（&名称）。请把内容直接写出来，不要引用别处。")
        self._depth += 1
        self._nodes += 1
        if self._depth > MAX_DEPTH:
            m = self.peek_event().start_mark
            raise _Abort(m.line + 1, m.column + 1,
                         f"嵌套层数超过 {MAX_DEPTH} 层，文件结构有误。请检查缩进。")
        if self._nodes > MAX_NODES:
            m = self.peek_event().start_mark
            raise _Abort(m.line + 1, m.column + 1,
                         f"文件中的条目超过 {MAX_NODES} 个，太大了。请把数据拆成多个文件。")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _PyComposer(_Checks, yaml.SafeLoader):
    """Pure-Python parser: slow, but its error messages are the ones we translate."""


try:
    from yaml._yaml import CParser as _CParser

    # libyaml's parser produces the events ~10x faster; composing stays in Python
    # (yaml.composer.Composer comes first in the MRO) so the checks above still run.
    class _CComposer(_Checks, yaml.composer.Composer, _CParser, yaml.constructor.SafeConstructor,
                     yaml.resolver.Resolver):
        def __init__(self, stream):
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def dispose(self):
            pass
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CComposer = _PyComposer


_YAML_HINTS = [
    ("found character '\\t' that cannot start any token",
     "这里有制表符（Tab）。YAML 只能用空格缩进，请把 Tab 换成两个空格。"),
    ("mapping values are not allowed here",
     "这里不能出现冒号“:”。如果值里本身含有冒号，请用英文引号把整个值括起来，例如：title: \"时间：9:00\"。"),
    ("could not find expected ':'",
     "缺少冒号。每一行应写成“字段名: 值”，冒号是英文冒号，后面有一个空格。"),
    ("did not find expected key",
     "缩进不对齐，或少了“- ”。同一层的字段要用相同数量的空格缩进。"),
    ("did not find expected '-' indicator",
     "列表缩进不对齐。同一列表的每一项都要以相同缩进的“- ”开头。"),
    ("found unexpected end of stream",
     "文件意外结束，可能少了右引号或右括号。"),
    ("found unknown escape character",
     "双引号里的反斜杠“\\”后面跟了无效字符。请改用单引号，或把反斜杠写成两个“\\\\”。"),
    ("expected <block end>, but found",
     "缩进不对齐。请检查这一行与上一行的空格数。"),
    ("while scanning a quoted scalar",
     "引号没有闭合。请检查这一行的引号是否成对。"),
    ("found character '@' that cannot start any token",
     "值不能以“@”开头。请用引号把值括起来。"),
    ("found character '`' that cannot start any token",
     "值不能以“`”开头。请用引号把值括起来。"),
    ("while parsing a block collection",
     "列表写法不对。每一项应以“- ”开头，并且缩进一致。"),
]


def _translate_yaml_error(exc: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    text = f"{exc.context or ''} {exc.problem or ''}"
    for needle, hint in _YAML_HINTS:
        if needle in text:
            return line, col, f"YAML 格式错误：{hint}"
    return line, col, "YAML 格式错误：这一行的写法无法识别。请检查缩进、冒号和引号。"


def decode(raw: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Decode a data file; a GBK/GB18030 file is named as such, never guessed into mojibake."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            raw.decode("gb18030")
            msg = ("文件是 GBK/GB18030 编码（Windows 记事本或 Excel 的默认中文编码），本系统只接受 UTF-8。"
                   f"请运行 python -m generator fix-encoding {rel} 转换，"
                   "或在记事本中“另存为”并把编码选为 UTF-8。")
        except UnicodeDecodeError:
            msg = "文件不是 UTF-8 编码的文本，可能是二进制文件或损坏的文件。请用 UTF-8 编码重新保存。"
        return None, [Problem(rel, line, col, msg)]
    if "\x00" in text:
        return None, [Problem(rel, 1, 1, "文件中含有空字符（\\0），不是文本文件。请用 UTF-8 编码重新保存。")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def load_text(text: str, doc: Document) -> list[Problem]:
    """Fill doc.data/marks from YAML text; return the problems found."""
    problems: list[Problem] = []
    try:
        node = _compose(_CComposer, text)
    except _Abort as abort:
        # Our own limits (aliases, depth, size): the message is ours already; parsing again
        # in pure Python would take ~20 s on a 5 MB file that hits the node limit.
        return [Problem(doc.rel, abort.line, abort.col, abort.message)]
    except yaml.YAMLError:
        node = None  # parse again below for the error message we know how to translate
    else:
        if node is None:
            doc.data = None
            return problems
        doc.data = _build_placed_later(node, text, doc, problems)
        return problems
    try:
        node = _compose(_PyComposer, text)
    except _Abort as abort:
        return [Problem(doc.rel, abort.line, abort.col, abort.message)]
    except yaml.MarkedYAMLError as exc:
        if "but found another document" in str(exc):
            m = exc.problem_mark
            return [Problem(doc.rel, m.line + 1, m.column + 1,
                            "一个文件只能有一条记录。请删除“---”分隔线，把另一条记录放到单独的文件中。")]
        line, col, msg = _translate_yaml_error(exc)
        return [Problem(doc.rel, line, col, msg)]
    except yaml.YAMLError:
        return [Problem(doc.rel, 1, 1, "YAML 格式错误：文件无法解析。请检查缩进、冒号和引号。")]
    if node is None:
        doc.data = None
        return problems
    doc.data = _build(node, (), doc, problems)
    return problems


class _NeedsPositions(Exception):
    pass


class _Unplaced:
    """Stands in for a Document while its data is built keeping only the top-level positions
    (Document.place_later); a problem, whose message may need any position, stops the pass
    (_build reads the position first, or appends the problem to a _StopAtFirst)."""

    class _Top(dict):
        """Positions written by _build: the root's and the top level's are kept, packed."""

        def __init__(self, unplaced: "_Unplaced", kept: dict):
            super().__init__()
            self.unplaced, self.kept = unplaced, kept

        def __setitem__(self, path, mark):
            if len(path) == 1:
                self.kept[path[0]] = _pack(mark)
            elif not path:
                self.unplaced.root = mark

        def __getitem__(self, path):
            raise _NeedsPositions

        def get(self, path, default=None):
            raise _NeedsPositions

    def __init__(self, doc: Document):
        self.rel, self.raw, self.root = doc.rel, doc.raw, None
        self.values, self.keys = {}, {}
        self.marks, self.key_marks = self._Top(self, self.values), self._Top(self, self.keys)


class _StopAtFirst(list):
    def append(self, item):
        raise _NeedsPositions


def _build_placed_later(node, text: str, doc: Document, problems: list[Problem]):
    """The data, built first with the top-level positions only (Document.place_later); if the file has a
    problem, built again with them, exactly as _build alone would."""
    unplaced = _Unplaced(doc)
    try:
        data = _build(node, (), unplaced, _StopAtFirst())
    except _NeedsPositions:
        doc.raw.clear()
        return _build(node, (), doc, problems)
    doc.place_later(text, (unplaced.root, unplaced.values, unplaced.keys))
    return data


def _compose(cls, text: str):
    loader = cls(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _too_big(rel: str, size: int) -> list[Problem]:
    return [Problem(rel, 1, 1, f"文件太大（{size // 1024 // 1024} MB），上限是 {MAX_BYTES // 1024 // 1024} MB。"
                               "请把数据拆成多个文件，或把大表格作为附件上传。")]


def load_file(path: Path, rel: str) -> tuple[Document, list[Problem]]:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:  # before reading it
            return Document(path=path, rel=rel), _too_big(rel, size)
        raw = path.read_bytes()
    except OSError:
        return Document(path=path, rel=rel), [Problem(rel, 1, 1, "无法读取这个文件。请检查文件是否存在、是否有读取权限。")]
    return load_bytes(path, rel, raw)


def load_bytes(path: Path, rel: str, raw: bytes) -> tuple[Document, list[Problem]]:
    """load_file on the bytes already read from path."""
    doc = Document(path=path, rel=rel)
    if len(raw) > MAX_BYTES:
        return doc, _too_big(rel, len(raw))
    text, problems = decode(raw, rel)
    if text is None:
        return doc, problems
    return doc, load_text(text, doc)


def _scalar(node: yaml.ScalarNode):
    value = node.value
    if node.tag == "tag:yaml.org,2002:str" or node.style in ("'", '"', "|", ">"):
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def _build(node, path: tuple, doc: Document, problems: list[Problem]):
    doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag.startswith("!") or (node.tag.startswith("tag:") and node.tag not in _STANDARD_TAGS):
        line, col = doc.marks[path]
        problems.append(Problem(doc.rel, line, col,
                                f"不支持 YAML 标签“{node.tag}”。请删除以“!”开头的标记，直接写值。"))
        return None
    if isinstance(node, yaml.ScalarNode):
        bad = _INVISIBLE.search(node.value)
        if bad:
            line, col = doc.marks[path]
            problems.append(Problem(doc.rel, line, col,
                                    f"这里含有不可见的控制字符（U+{ord(bad.group()):04X}），网页和数据文件无法正确显示。"
                                    "请删除引号里的“\\x”“\\u”转义，直接写文字。"))
            return None
        # A value has at least as many characters as digits: most never need counting.
        digits = sum(ch.isdigit() for ch in node.value) if len(node.value) > MAX_DIGITS else 0
        if digits > MAX_DIGITS and (_INT.match(node.value) or _FLOAT.match(node.value)) \
                and node.style not in ("'", '"', "|", ">") and node.tag != "tag:yaml.org,2002:str":
            # Python refuses int() of >4300 digits and a long float becomes inf,
            # which no JSON file can hold; no real count or amount needs this many.
            line, col = doc.marks[path]
            problems.append(Problem(doc.rel, line, col,
                                    f"数字太长（{digits} 位），超出了能准确保存的范围。请检查是否多写了数字，"
                                    "金额请用表头要求的单位（例如万元）。"))
            return None
        value = _scalar(node)
        if isinstance(value, str) and len(value) <= _SHARED_LEN:
            value = sys.intern(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            doc.raw[path] = node.value
        return value
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), doc, problems) for i, child in enumerate(node.value)]
    result: dict = {}
    for key_node, value_node in node.value:
        kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(doc.rel, kline, kcol, "字段名必须是文字，不能是列表或嵌套结构。"))
            continue
        key = sys.intern(key_node.value)
        if _INVISIBLE.search(key):
            problems.append(Problem(doc.rel, kline, kcol, "字段名里含有不可见的控制字符。请重新输入字段名。"))
            continue
        if key in result:
            first = doc.key_marks.get(path + (key,), (kline, kcol))
            problems.append(Problem(
                doc.rel, kline, kcol,
                f"字段“{key}”重复出现（第一次在第 {first[0]} 行）。同一层只能写一次，请删除或合并其中一个。"))
            continue
        doc.key_marks[path + (key,)] = (kline, kcol)
        result[key] = _build(value_node, path + (key,), doc, problems)
    return result
