"""MkDocs hook (mkdocs.yml `hooks:`): the generator's raw HTML blocks skip Python-Markdown's HTML parser.

Profiled on a 2,000-record corpus in one process, html.parser took 34 of
MkDocs' 53 seconds: Python-Markdown's raw-HTML block preprocessor (md_in_html)
and MkDocs' own pass that collects anchor ids from raw HTML each parse the
tables and SVG charts the templates write as raw HTML, tag by tag. Markdown
passes such a block through unchanged anyway, so before conversion
(on_page_markdown) each one is set aside behind a placeholder paragraph, and
after it (on_page_content) put back, its ids added to the page's anchors so
MkDocs still checks links to them.

A block is set aside only when it is whole: a chunk between blank lines that
starts at the margin with a block-level tag and ends with the end tag closing
it, tags of that name balanced, with no `markdown` attribute (md_in_html's).
Anything else is left to Markdown. tests/test_raw_html.py converts every
page of the sample site with and without setting blocks aside and compares
the HTML, and the ids found with MkDocs' own.
"""
from __future__ import annotations

import html
import re
import secrets

BLOCK_TAGS = ("div", "figure", "details", "table")
_START = re.compile(r"<(" + "|".join(BLOCK_TAGS) + r")[\s>]")
_CHUNKS = re.compile(r"(\n[ \t]*\n)")
_IDS = re.compile(r"""<[a-zA-Z][^>]*?\sid=(?:"([^"]*)"|'([^']*)')""")
_A_NAMES = re.compile(r"""<a\s[^>]*?\bname=(?:"([^"]*)"|'([^']*)')""")
_MD_ATTR = re.compile(r"<[^>]*\smarkdown(?:\s*=|[\s>])")


def whole_block(chunk: str) -> bool:
    """True if Markdown would pass `chunk` through as one raw HTML block, unchanged."""
    m = _START.match(chunk)
    if not m:
        return False
    tag = m.group(1)
    if not chunk.rstrip().endswith(f"</{tag}>") or _MD_ATTR.search(chunk):
        return False
    # The first element must close exactly at the chunk's end: no sibling after it.
    depth = 0
    tokens = list(re.finditer(rf"<(/?){tag}[\s>]", chunk))
    for i, t in enumerate(tokens):
        depth += -1 if t.group(1) else 1
        if depth == 0:
            return i == len(tokens) - 1
    return False


def set_aside(markdown: str) -> tuple[str, dict[str, str]]:
    """The Markdown with whole raw HTML blocks replaced by placeholders, and the blocks by placeholder."""
    stash: dict[str, str] = {}
    if "<" not in markdown:
        return markdown, stash
    nonce = secrets.token_hex(4)
    parts = _CHUNKS.split(markdown)
    for i in range(0, len(parts), 2):  # odd items are the blank-line separators
        chunk = parts[i]
        lead = len(chunk) - len(chunk.lstrip("\n"))
        body = chunk[lead:]
        if whole_block(body):
            key = f"gkrawhtml{nonce}x{len(stash)}"
            stash[key] = body.rstrip("\n")
            parts[i] = chunk[:lead] + key + body[len(body.rstrip("\n")):]
    return "".join(parts), stash


def anchor_ids(block: str) -> set[str]:
    """The ids MkDocs' own raw-HTML pass would have found (id attributes, <a name>)."""
    found = set()
    for pattern in (_IDS, _A_NAMES):
        for m in pattern.finditer(block):
            found.add(html.unescape(m.group(1) if m.group(1) is not None else m.group(2)))
    return found


def put_back(content: str, stash: dict[str, str]) -> str:
    for key, block in stash.items():
        # Python-Markdown ends a raw block with a newline of its own.
        content = content.replace(f"<p>{key}</p>", block + "\n", 1)
    return content.rstrip("\n")  # and strips the end of its output


_stashes: dict[str, dict[str, str]] = {}  # by page source path, between the two events


def on_page_markdown(markdown, page, config, files):
    markdown, stash = set_aside(markdown)
    _stashes[page.file.src_uri] = stash
    return markdown


def on_page_content(content, page, config, files):
    stash = _stashes.pop(page.file.src_uri, {})
    if not stash:
        return content
    ids = set()
    for block in stash.values():
        ids |= anchor_ids(block)
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= ids
    return put_back(content, stash)
