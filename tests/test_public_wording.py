"""Citizens' pages carry no configuration key, field id or library name (issue 16): those are
for the editors' terminal output, JSON report, 编辑指南 and the data dictionaries."""
from __future__ import annotations

import json
import re
from pathlib import Path

from generator.urls import urls

ROOT = Path(__file__).resolve().parent.parent

# Where field ids are the point: the editors' guide and each dataset's data dictionary.
EXEMPT = re.compile(r"^(guide/|" + re.escape(urls.url(urls.datasets())) + r"[^/]+/)")
# Words a schema uses as ids that are also ordinary words on a Chinese page (formats, units).
ORDINARY = {"CSV", "JSON", "DOCX", "A4"}


def _keys(node, out: set, prefix: str = ""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    out.add(name)
                    _keys(sub, out)
            elif key == "x-kind" and isinstance(value, dict):
                _xkind(value, out, "x-kind")
            else:
                _keys(value, out)
    elif isinstance(node, list):
        for item in node:
            _keys(item, out)


def _xkind(node, out: set, path: str):
    for key, value in node.items():
        out.add(f"{path}.{key}")
        out.add(key)
        if isinstance(value, dict) and not key.isupper():
            _xkind(value, out, f"{path}.{key}")


def forbidden() -> set[str]:
    """Field ids and site.yaml keys from every schema, x-kind keys, and the names of the
    libraries in requirements.txt: grows as the schemas and requirements do."""
    return ids() | libraries()


def ids() -> set[str]:
    words: set[str] = set()
    for path in sorted((ROOT / "schemas").glob("*.schema.json")):
        _keys(json.loads(path.read_text("utf-8")), words)
    return {w for w in words if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", w)} - ORDINARY


def libraries() -> set[str]:
    """Lower-case: a library is named in any case (Jinja2, jinja2)."""
    names = set()
    for line in (ROOT / "requirements.txt").read_text("utf-8").splitlines():
        m = re.match(r"([A-Za-z0-9_.-]+)==", line.strip())
        if m:
            names.add(m.group(1).lower())
    return names


_HIDDEN = re.compile(r"<(script|style|svg)\b.*?</\1\s*>|<[^>]*\bhidden\b[^>]*>[^<]*", re.S | re.I)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z]")


def visible_words(html: str) -> set[str]:
    import html as htmllib
    body = html.split("<body", 1)[-1]
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", _HIDDEN.sub(" ", body)))
    return set(_TOKEN.findall(text))


def test_the_forbidden_list_comes_from_the_schemas():
    words = forbidden()
    for expected in ["exit", "outcomes", "x-kind.freshness", "x-kind.directory.deadline_working_days",
                     "x-kind.notice_working_days", "self_check", "chinesecalendar"]:
        assert expected in words, expected


def test_no_public_page_shows_a_config_key_field_id_or_library_name(built_site):
    words, lower = ids(), libraries()
    found = {}
    for page in sorted(built_site.rglob("*.html")):
        rel = page.relative_to(built_site).as_posix()
        if rel.startswith("pagefind") or EXEMPT.match(rel):
            continue
        hits = {w for w in visible_words(page.read_text("utf-8")) if w in words or w.lower() in lower}
        if hits:
            found[rel] = sorted(hits)
    assert not found, found


def test_the_self_check_page_in_particular(built_site):
    text = " ".join(visible_words((built_site / urls.built(urls.report())).read_text("utf-8")))
    for word in ["x-kind", "freshness", "deadline_working_days", "notice_working_days", "exit", "outcomes",
                 "chinesecalendar", "self_check", "site.yaml"]:
        assert word not in text, word
