"""The site build: MkDocs (or Zensical) into a fresh directory, search index, reproducible output,
sitemap, then the swap that puts it live; the live preview; the MkDocs hooks mkdocs.yml loads by path."""
