"""MkDocs hook (mkdocs.yml `hooks:`): Material's stylesheet without the components this site never shows.

Material's main.css (137 KB at 9.8.2) styles everything Material can render:
its own search, content tabs, code highlighting, footnotes, tooltips, the blog,
tags, a version selector… It was half of what a citizen's first page view
moved. This site enables only the Markdown extensions in mkdocs.yml (tables,
attr_list, md_in_html, admonition, toc), searches with Pagefind and sets no
repo, version, consent or social links, so those rules style nothing here.

The hook drops every selector that names a class in UNUSED (a rule goes when
all its selectors do) and writes what is left under a name hashed from its
own content: nginx caches `*.<8 hex>.min.css` for a year as immutable
(deploy/nginx.conf), so a changed list must never reuse a name. The theme's
`styles` block (overrides/main.html) links it. Material's own main.css and
palette.css are removed from the built site: nothing links them.

tests/test_theme_css.py checks that no built page, and no page as Material's
script leaves it in Chromium, carries a class this list removes.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import tinycss2

# Class-name prefixes of Material components that need a plugin, a Markdown
# extension or a setting this site does not use.
UNUSED = (
    "md-search",        # Material's lunr search: plugins: [] (Pagefind instead)
    "md-source",        # repo_url: a request to a code host from every page
    "md-version",       # mike's version selector
    "md-consent",       # cookie consent: no analytics
    "md-social",        # extra.social links
    "md-tag",           # tags plugin
    "md-post", "md-author", "md-blog",  # blog plugin
    "md-annotation", "md-tooltip", "md-clipboard",  # content.code.* / content.tooltips
    "md-progress",      # navigation.instant.progress
    "md-feedback",      # analytics feedback widget
    "md-status",        # per-page status badges
    "md-select",        # language / version drop-downs
    "md-typeset__tabs",
    "tabbed", "highlight", "footnote", "emoji", "arithmatex", "critic", "task-list", "keys",
    "mermaid",          # pymdownx extensions, none enabled
)

def unused_class(name: str) -> bool:
    return any(name == p or name.startswith(p) and name[len(p)] in "-_" for p in UNUSED)


def _selectors(prelude) -> list[list]:
    """A selector list's tokens, split at its top-level commas."""
    out = [[]]
    for tok in prelude:
        if tok.type == "literal" and tok.value == ",":
            out.append([])
        else:
            out[-1].append(tok)
    return out


def _names_unused(selector) -> bool:
    # Only top-level classes decide: what sits inside :not(), :is() or :where() is a
    # function block of its own (an element that must not be there, or one alternative).
    return any(a.type == "literal" and a.value == "." and b.type == "ident" and unused_class(b.value)
               for a, b in zip(selector, selector[1:]))


def _trim(rules) -> list[str]:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [tinycss2.serialize(s) for s in _selectors(rule.prelude) if not _names_unused(s)]
            if kept:
                out.append(",".join(kept).strip() + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in ("media", "supports"):
            inner = _trim(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
            if inner:
                out.append("@" + rule.at_keyword + tinycss2.serialize(rule.prelude) + "{" + "".join(inner) + "}")
        elif rule.type != "comment":
            out.append(rule.serialize())
    return out


def trim(css: str) -> str:
    return "".join(_trim(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)))


def material_stylesheet(theme_dirs) -> Path:
    for d in theme_dirs:
        found = sorted(Path(d).glob("assets/stylesheets/main.*.min.css"))
        if found:
            return found[0]
    raise FileNotFoundError("Material 主题的样式表（assets/stylesheets/main.*.min.css）没有找到")


# Our build (mkdocs_adapter.theme_templates_kept) names here a folder of its cache, one per
# generator code and environment (compiled_templates.directory), where the trimmed sheet is
# kept by its source's SHA-256: parsing Material's sheet with tinycss2 was 0.24 s of every
# MkDocs worker at every build, a one-record push's too. Plain `mkdocs build` trims each time.
KEPT_ENV = "GK_THEME_CSS_KEPT"


def trimmed(source: Path) -> tuple[str, str]:
    """(path in the site, CSS): the name carries the trimmed content's own hash."""
    raw = source.read_bytes()
    kept = os.environ.get(KEPT_ENV)
    css = _kept(Path(kept), hashlib.sha256(raw).hexdigest()) if kept else None
    if css is None:
        css = trim(raw.decode("utf-8"))
        if kept:
            _keep(Path(kept), hashlib.sha256(raw).hexdigest(), css)
    return f"assets/stylesheets/main.{hashlib.sha256(css.encode('utf-8')).hexdigest()[:8]}.min.css", css


# MkDocs executes a hook file anew for every config it loads, so this holds one build's
# sheet from on_config (the templates need its name) to on_post_build (which writes it).
_sheet: tuple[str, str] = ("", "")


def _kept(folder: Path, source_sha: str) -> str | None:
    """The sheet kept for this source, if its bytes still have the SHA-256 its name gives."""
    for path in folder.glob(f"main-{source_sha}-*.css"):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if path.stem.endswith("-" + hashlib.sha256(data).hexdigest()):
            return data.decode("utf-8")
    return None


def _keep(folder: Path, source_sha: str, css: str) -> None:
    from generator.sitebuild.build_cache import replace_file  # our build: importable

    data = css.encode("utf-8")
    try:  # two workers may write it at once: each renames a whole file into place
        replace_file(folder / f"main-{source_sha}-{hashlib.sha256(data).hexdigest()}.css", data)
    except OSError:
        pass  # trimmed again next time


def on_config(config):
    global _sheet
    _sheet = trimmed(material_stylesheet(config.theme.dirs))
    config.extra["gk_theme_css"] = _sheet[0]
    return config


def on_post_build(config):
    site = Path(config.site_dir)
    name, css = _sheet
    styles = site / "assets" / "stylesheets"
    for old in [*styles.glob("main.*.min.css*"), *styles.glob("palette.*.min.css*")]:
        if old.name != Path(name).name:
            old.unlink()
    (site / name).write_text(css, "utf-8")
