"""Where editors' files live in a project: site_data/ and the folders and files in it."""
from __future__ import annotations

DATA_DIR = "site_data"
SITE_FILE = "site.yaml"
REGIONS_FILE = "regions.tsv"
ATTACHMENTS_DIR = "attachments"
# Mappings of office table headers to fields, kept by `import` for the next table (one per kind).
MAP_DIR = "_import"
# The State Council's holiday arrangement, one file a year (holidays.py reads them).
HOLIDAYS_DIR = "holidays"


def holidays_file(year: int) -> str:
    return f"{DATA_DIR}/{HOLIDAYS_DIR}/{year}.yaml"
