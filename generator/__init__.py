"""政务公开专栏 generator: load → validate → check → render → build → publish."""
