"""Escaping for values that land in generated Markdown (and the HTML inside it).

Every ASCII character that Markdown or HTML could read as syntax becomes a
numeric character reference. References survive Python-Markdown untouched,
are inert in raw HTML blocks, table cells, headings and link text alike, and
the browser shows the original character. So one escape serves every place a
template can put a value, and a template cannot forget it: the Jinja
environment applies it to every `{{ … }}` that is not already Markup.
"""
from __future__ import annotations

import re

from markupsafe import Markup

_SPECIAL = "\\`*_{}[]()!|<>&\"'~^$%:"
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_LEADING_ORDINAL = re.compile(r"^(\s*\d+)\.")
# Only syntax at the start of a line: a value never contains a raw newline
# once escaped, so only its first characters can begin a list, heading or rule.
_LEADING = re.compile(r"^(\s*)([-+#=])")
_LEADS = "-+#="
_SAFE_SCHEMES = re.compile(r"^(https?:|mailto:|#|/|\.\.?/|[a-zA-Z0-9_\-][^:]*$)")


def text(value) -> Markup:
    """Escape one value for Markdown/HTML output."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, bool):
        return Markup("是" if value else "否")
    if isinstance(value, (int, float)):
        return Markup(number(value))
    s = str(value).translate(_TABLE)
    # Every value of every page passes here (3.7 million a build of 10,000 records): the
    # patterns run only where they can match, on a value that begins with a space, a digit
    # or one of -+#=.
    if s and (s[0] in _LEADS or s[0].isspace() or s[0].isdigit()):
        s = _LEADING_ORDINAL.sub(r"\1&#46;", s)
        s = _LEADING.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", s)
        # Four blanks or a tab where a value begins a line make an indented code block, in which
        # the references above would show as typed: the blanks become references too.
        body = s.lstrip(" \t")
        if len(body) < len(s):
            s = s[:len(s) - len(body)].replace(" ", "&#32;").replace("\t", "&#9;") + body
    if "\n" in s or "\r" in s:
        s = s.replace("\r\n", "\n").replace("\n", "<br>")
    return Markup(s)


# Front matter a theme reads (title, description, keywords…) reaches its templates as plain
# strings, and each engine prints them its own way: MkDocs + Material raw
# (`<title>{{ page.meta.title }}`), an engine that autoescapes escaped. Escaping here would be
# right for the first and shown as `&lt;` by the second; escaping in an MkDocs hook leaves the
# site unsafe wherever the hook does not run. So these values carry no character HTML gives a
# meaning to: each becomes its full-width form, the way Chinese text sets punctuation anyway,
# and the <title>, the description and the header show the same text in every engine, once.
# Our own keys (gk_*) keep their exact text (集约化 platforms read ArticleTitle): only our
# overrides read them, and they print each through `|e`, which escapes once in either engine.
_THEME_TABLE = str.maketrans({"<": "\uff1c", ">": "\uff1e", "&": "\uff06", '"': "\uff02", "'": "\uff07"})
OWN_PREFIX = "gk_"


def theme_text(value):
    """A front-matter value for keys a theme reads: HTML-inert without escaping."""
    if isinstance(value, str):
        return str(value).translate(_THEME_TABLE)
    if isinstance(value, list):
        return [theme_text(v) for v in value]
    if isinstance(value, dict):
        return {k: theme_text(v) for k, v in value.items()}
    return value


def front_matter_values(meta: dict) -> dict:
    return {k: v if k.startswith(OWN_PREFIX) else theme_text(v) for k, v in meta.items()}


def number(value) -> str:
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def attr(value) -> Markup:
    """For HTML attribute values (meta content, aria-label)."""
    return text(value)


def markdown(value) -> Markup:
    """Sanitise a field the schema declares as Markdown (contentMediaType text/markdown).

    Editors may use headings, lists, emphasis and links; they may not inject
    HTML, attribute lists, scripts in links, or images from other servers
    (which would make citizens' browsers contact outside hosts).
    """
    if value is None:
        return Markup("")
    s = str(value).replace("\r\n", "\n")
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = s.replace("{", "&#123;").replace("}", "&#125;")

    def _link(m: re.Match) -> str:
        bang, label, target = m.group(1), m.group(2), m.group(3).strip()
        url = target.split()[0] if target else ""
        if bang or not _SAFE_SCHEMES.match(url):
            return f"{label}"
        return f"[{label}]({url})"

    s = re.sub(r"(!?)\[([^\]]*)\]\(([^)]*)\)", _link, s)
    s = re.sub(r"(?m)^(\s*\[[^\]]+\]:\s*)(\S+)",
               lambda m: m.group(0) if _SAFE_SCHEMES.match(m.group(2)) else f"{m.group(1)}#", s)
    return Markup(s)
