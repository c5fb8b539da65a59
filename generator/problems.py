"""Problems found in editors' data, reported as `path:line:column: 中文说明`."""
from __future__ import annotations

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


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]
