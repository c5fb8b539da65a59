"""Checks of the validated site before anything goes live: personal data, units, symlinks, area codes,
索引号 stability, the compliance self-check, and dead links in the built site."""
