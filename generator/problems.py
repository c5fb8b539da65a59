"""Problems found in editors' data, reported as `path:line:column: 中文说明`."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int = 1
    col: int = 1
    message: str = ""
    severity: str = field(default=ERROR, compare=False)

    def format(self) -> str:
        prefix = "" if self.severity == ERROR else "警告："
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class DataError(Exception):
    """Raised when a step cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = sorted(problems)

    def __reduce__(self):
        # Raised in a forked writer (pages/render.py), it reaches the build through a pickle.
        return (DataError, (self.problems,))


class AfterSwapError(Exception):
    """A step after the swap failed: the new site is already in place, so the usual
    "已发布的站点没有改动" would be false. Carries the message an editor reads."""


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def print_problems(problems: list[Problem], stream=None) -> None:
    """One `file:line:column: 说明` line each, in file order, to stderr unless told otherwise."""
    stream = stream or sys.stderr
    for p in sorted(problems):
        print(p.format(), file=stream)


def summary(problems: list[Problem]) -> str:
    """The closing count every command prints: 共 N 个错误，M 个警告。"""
    n_err = sum(1 for p in problems if p.is_error)
    n_warn = len(problems) - n_err
    return f"共 {n_err} 个错误，{n_warn} 个警告。"
