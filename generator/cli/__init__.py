"""Command line: `python -m generator validate|build|serve …`.

Argument parsing, the commands and what they print live here; each command calls its step
(in model/, checks/, pages/, sitebuild/ or editor/), and no step imports this package. Editors
see Chinese messages and exit codes (0 ok, 1 data problems, 2 usage, 3 internal error).
"""
from .main import main

__all__ = ["main"]
