"""Pages: the validated site → Markdown pages and data files under content/ (record pages, columns,
catalogue, guide, directories, datasets, feeds, page metadata)."""
