"""`@command` and `@arg`: a command function says its name, help and arguments beside itself."""
from __future__ import annotations

import argparse
import datetime as dt


def command(name: str, help: str):
    def mark(func):
        func.command_name, func.command_help = name, help
        return func
    return mark


def arg(*args, **kwargs):
    def decorate(func):
        func.arguments = getattr(func, "arguments", []) + [(args, kwargs)]
        return func
    return decorate


def as_of_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，请写成 2026-11-25 这样的格式") from None


# The day deadlines are judged on: validate, build, check and import all take it.
as_of = arg("--as-of", type=as_of_date, default=None, help="按哪一天检查时限（默认今天），格式 2026-11-25")
