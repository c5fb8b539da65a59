"""The parser, the list of commands in `--help` order, and the last line of defence.

No Python traceback ever reaches an editor: an unexpected error is written to a log file
that the maintainer can read.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from ..sitebuild.workers import fewer_collections
from ..problems import AfterSwapError, DataError, print_problems, summary
from . import build_commands, check_commands, editor_commands

ERROR_LOG = ".generator-error.log"

COMMANDS = (
    build_commands.cmd_validate,
    build_commands.cmd_build,
    build_commands.cmd_serve,
    check_commands.cmd_check,
    editor_commands.cmd_export_schemas,
    editor_commands.cmd_fix_encoding,
    editor_commands.cmd_kinds,
    editor_commands.cmd_new,
    editor_commands.cmd_import,
    check_commands.cmd_manifest,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"命令用法有误：{message}。运行 python -m generator --help 查看说明。", file=sys.stderr)
        sys.exit(2)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m generator", description="政务公开专栏生成器：校验数据、生成页面、构建站点。")
    p.add_argument("--root", default=".", help="项目目录（默认当前目录）")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for func in COMMANDS:
        sp = sub.add_parser(func.command_name, help=func.command_help, description=func.command_help)
        sp.set_defaults(run=func)
        for args, kwargs in getattr(func, "arguments", []):
            sp.add_argument(*args, **kwargs)
    return p


def main(argv: list[str] | None = None) -> int:
    root = "."
    try:
        p = parser()
        ns = p.parse_args(argv)
        root = ns.root
        if not ns.command:
            p.print_help()
            return 2
        with fewer_collections():  # `check`, `validate` and the preview load the site as a build does
            return ns.run(ns)
    except DataError as exc:
        print_problems(exc.problems)
        print(f"未完成：发现问题。{summary(exc.problems)}已发布的站点没有改动。", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。已发布的站点没有改动。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except AfterSwapError as exc:
        print(f"未全部完成：{exc}{_log_traceback(root)}", file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - the last line of defence for editors
        print(f"程序内部错误，操作没有完成，已发布的站点没有改动。{_log_traceback(root)}", file=sys.stderr)
        return 3


def _log_traceback(root) -> str:
    """The traceback goes to a file for the maintainer, never to the editor's screen."""
    log = Path(root) / ERROR_LOG
    try:
        log.write_text(traceback.format_exc(), encoding="utf-8")
        return f"详细信息已写入 {log}，请转给系统维护人员。"
    except OSError:
        return "请联系系统维护人员。"
