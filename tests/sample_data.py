"""The bundled sample records and kind schemas, read straight from the sources,
so tests compare the built site against what editors wrote."""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from conftest import ROOT
from generator.urls import page_url, urls

APPROVED = "已通过"


def schema(kind: str, root: Path = ROOT) -> dict:
    return json.loads((root / "schemas" / f"{kind}.schema.json").read_text("utf-8"))


def column_of(kind: str, data: dict, root: Path = ROOT) -> str:
    column = schema(kind, root)["x-kind"]["column"]
    return data["column"] if column == "*" else column


# libyaml's loader where PyYAML has it: the pure-Python one takes seconds over the sample,
# and tests read the sample many times.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_parsed: dict[tuple[str, int, int], object] = {}


def load_yaml(path: Path):
    """A YAML file as plain data, parsed once while the file is unchanged (a test's own
    copy of the project is read anew after each change); a fresh copy for the caller to change."""
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _parsed:
        _parsed[key] = yaml.load(path.read_text("utf-8"), Loader=_LOADER)
    return copy.deepcopy(_parsed[key])


def records(root: Path = ROOT) -> list[tuple[str, dict]]:
    return [(path.parent.name, load_yaml(path)) for path in sorted((root / "site_data").glob("*/*.yaml"))]


def approved(root: Path = ROOT) -> list[tuple[str, dict]]:
    return [(k, d) for k, d in records(root) if d["review"]["status"] == APPROVED]


def updated(data: dict) -> dt.date:
    days = [dt.date.fromisoformat(data["published"])]
    if data.get("updated"):
        days.append(dt.date.fromisoformat(data["updated"]))
    return max(days)


def url(kind: str, data: dict, root: Path = ROOT) -> str:
    return page_url(urls.record(column_of(kind, data, root), kind, data["index_no"]))


def get(data: dict, path: str):
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


class Elements(HTMLParser):
    """Start tags with their attributes and the text inside each, in document order."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.items: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        item = {"tag": tag, "attrs": dict(attrs), "text": "", "depth": len(self._open)}
        self.items.append(item)
        if tag not in ("br", "img", "input", "link", "meta", "hr", "wbr", "source"):
            self._open.append(item)

    def handle_startendtag(self, tag, attrs):
        self.items.append({"tag": tag, "attrs": dict(attrs), "text": "", "depth": len(self._open)})

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i]["tag"] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for item in self._open:
            item["text"] += data

    def find(self, tag: str, **attrs) -> list[dict]:
        return [e for e in self.items if e["tag"] == tag
                and all(e["attrs"].get(k.rstrip("_")) == v for k, v in attrs.items())]


def article(html: str) -> str:
    m = re.search(r"<article[^>]*>(.*)</article>", html, re.S)
    assert m, "no <article> in page"
    return m.group(1)


# -- record pages of the built sample, shared by the kinds' tests ---------------------------

MASKED_NAME = re.compile(r"^[\u4e00-\u9fa5]{1,2}[*＊]{1,2}[\u4e00-\u9fa5]?$")


def approved_of(kind: str) -> list[dict]:
    found = [d for k, d in approved() if k == kind]
    assert found, f"no approved sample record of {kind}"
    return found


def page_text(built_site: Path, kind: str, data: dict) -> str:
    """The record page's article as plain text, entities decoded (values are escaped as &#NN;)."""
    import html as htmllib

    raw = article((built_site / url(kind, data) / "index.html").read_text("utf-8"))
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", raw))


def shows(text: str, value) -> bool:
    """The page text shows a value as an editor wrote it (numbers as the templates print them)."""
    if isinstance(value, (int, float)):
        shown = str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
        return re.search(rf"(?<![0-9.]){re.escape(shown)}(?![0-9])", text) is not None
    return str(value) in text


def check_record_pages(built_site: Path, kinds, expected_values) -> None:
    """Every approved record of these kinds has its page, with the 信息索引 box, the 示例数据 mark,
    its 索引号 and publisher, and each value `expected_values(kind, data)` says an editor wrote."""
    for kind in kinds:
        for d in approved_of(kind):
            raw = (built_site / url(kind, d) / "index.html").read_text("utf-8")
            assert 'aria-label="信息索引"' in raw and "示例数据" in raw, d["index_no"]
            text = page_text(built_site, kind, d)
            assert d["index_no"] in text and d["publisher"] in text
            missing = [v for v in expected_values(kind, d) if not shows(text, v)]
            assert not missing, (kind, d["index_no"], missing)
