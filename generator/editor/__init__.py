"""Editors' tools before the build: new records from templates, spreadsheet import, editor schemas, encodings."""
