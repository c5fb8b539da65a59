"""Command line: `python -m generator validate|build|serve …`.

Editors see Chinese messages and exit codes (0 ok, 1 data problems, 2 usage,
3 internal error). No Python traceback ever reaches them: an unexpected error
is written to a log file that the maintainer can read.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .problems import DataError, Problem

ERROR_LOG = ".generator-error.log"

COMMANDS: dict = {}


def command(name: str, help: str):
    def register(func):
        COMMANDS[name] = (func, help)
        return func
    return register


def print_problems(problems: list[Problem], stream=None) -> None:
    stream = stream or sys.stderr
    for p in sorted(problems):
        print(p.format(), file=stream)


def summary(problems: list[Problem]) -> str:
    n_err = sum(1 for p in problems if p.is_error)
    n_warn = len(problems) - n_err
    return f"共 {n_err} 个错误，{n_warn} 个警告。"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"命令用法有误：{message}。运行 python -m generator --help 查看说明。", file=sys.stderr)
        sys.exit(2)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m generator", description="政务公开专栏生成器：校验数据、生成页面、构建站点。")
    p.add_argument("--root", default=".", help="项目目录（默认当前目录）")
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for name, (func, help_text) in COMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        for args, kwargs in getattr(func, "arguments", []):
            sp.add_argument(*args, **kwargs)
    return p


def arg(*args, **kwargs):
    def decorate(func):
        func.arguments = getattr(func, "arguments", []) + [(args, kwargs)]
        return func
    return decorate


def as_of_date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，请写成 2026-11-25 这样的格式") from None


@arg("--as-of", type=as_of_date, default=None, help="按哪一天检查时限（默认今天），格式 2026-11-25")
@command("validate", "校验 site_data/ 中的全部数据，列出所有问题")
def cmd_validate(ns) -> int:
    from .pipeline import load_and_check

    site, problems, _ = load_and_check(Path(ns.root), ns.as_of)
    print_problems(problems)
    if site is None:
        print(f"校验未通过。{summary(problems)}请按上面每行开头的“文件:行:列”找到位置并修改。", file=sys.stderr)
        return 1
    n = len(site.records)
    approved = len(site.published)
    print(f"校验通过：{n} 条记录，其中 {approved} 条已通过保密审查、可以发布。{summary(problems)}")
    return 0


@arg("--as-of", type=as_of_date, default=None, help="按哪一天检查时限（默认今天），格式 2026-11-25")
@arg("--progress", action="store_true", help="显示进度（在终端里运行时默认显示）")
@arg("--site-dir", default=None, help="站点输出目录（默认 site/）")
@arg("--engine", choices=["mkdocs", "zensical"], default="mkdocs",
     help="构建引擎：mkdocs（默认，MkDocs + Material）或 zensical（见 README“两种构建引擎”）")
@command("build", "校验数据并构建站点（失败时不改动已有站点）")
def cmd_build(ns) -> int:
    from .sitebuild.build import build
    from .sitebuild.progress import Progress, build_summary

    progress = Progress(enabled=ns.progress or None)
    result = build(Path(ns.root), Path(ns.site_dir) if ns.site_dir else None, as_of=ns.as_of,
                   progress=progress, engine=ns.engine)
    print_problems(result.problems)
    print(build_summary(result))
    return 0


@arg("--port", type=int, default=8000, help="端口（默认 8000）")
@arg("--host", default="127.0.0.1", help="地址（默认 127.0.0.1）")
@command("serve", "本地预览：修改 YAML 或模板后自动重新生成并刷新页面")
def cmd_serve(ns) -> int:
    from .sitebuild.serve import serve

    return serve(Path(ns.root), ns.host, ns.port)


def main(argv: list[str] | None = None) -> int:
    root = "."
    try:
        # The modules that register commands of their own, in the order `--help` lists them.
        from .checks import check  # noqa: F401
        from .editor import editor_schemas, fix_encoding, importer, scaffold  # noqa: F401
        from .checks import manifest  # noqa: F401
        p = parser()
        ns = p.parse_args(argv)
        root = ns.root
        if not ns.command:
            p.print_help()
            return 2
        func = COMMANDS[ns.command][0]
        return func(ns)
    except DataError as exc:
        print_problems(exc.problems)
        print(f"未完成：发现问题。{summary(exc.problems)}已发布的站点没有改动。", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。已发布的站点没有改动。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except Exception:  # noqa: BLE001 - the last line of defence for editors
        log = Path(root) / ERROR_LOG
        try:
            log.write_text(traceback.format_exc(), encoding="utf-8")
            where = f"详细信息已写入 {log}，请转给系统维护人员。"
        except OSError:
            where = "请联系系统维护人员。"
        print(f"程序内部错误，操作没有完成，已发布的站点没有改动。{where}", file=sys.stderr)
        return 3
