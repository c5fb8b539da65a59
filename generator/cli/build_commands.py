"""validate, build, serve: the site from editors' data.

The steps are imported when their command runs, inside `main`'s last line of defence, so
even a broken installation answers an editor in Chinese rather than with a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..problems import print_problems, summary
from .args import arg, as_of, command
from .reports import print_check, validated


@as_of
@command("validate", "校验 site_data/ 中的全部数据，列出所有问题")
def cmd_validate(ns) -> int:
    from ..pipeline import load_and_check

    site, problems, _ = load_and_check(Path(ns.root), ns.as_of)
    print_problems(problems)
    if site is None:
        print(f"校验未通过。{summary(problems)}请按上面每行开头的“文件:行:列”找到位置并修改。", file=sys.stderr)
        return 1
    print(validated(site, problems))
    return 0


# Builds this process has made, never freed: `python -m generator` leaves with os._exit
# (generator/__main__.py), and freeing a build's site and caches object by object took
# 0.2-0.3 s of a one-record push at 10,000 records, after the new site was in place.
KEPT: list = []


@as_of
@arg("--progress", action="store_true", help="显示进度（在终端里运行时默认显示）")
@arg("--site-dir", default=None, help="站点输出目录（默认 site/）")
@arg("--engine", choices=["mkdocs", "zensical"], default="mkdocs",
     help="构建引擎：mkdocs（默认，MkDocs + Material）或 zensical（见 README“两种构建引擎”）")
@arg("--cache", default=None, metavar="目录",
     help="构建缓存目录：上次构建以来没有变化的页面和搜索索引分片直接复用，结果与完整构建逐字节相同"
          "（推送发布时由发布钩子使用；默认不用缓存）")
@arg("--cache-in-background", action="store_true",
     help="与 --cache 一起用：网站换好后在后台写入构建缓存，不等写完就退出；"
          "下一次用同一缓存目录的构建会等它写完（推送发布时由发布钩子使用）")
@arg("--report", action="store_true",
     help="先像 check 一样输出校验结果和自查报告（不写 JSON），没有错误再构建：一次读入数据"
          "（推送发布时由发布钩子使用）")
@command("build", "校验数据并构建站点（失败时不改动已有站点）")
def cmd_build(ns) -> int:
    from ..sitebuild.build import build
    from ..sitebuild.progress import Progress, build_summary

    def report(site, problems, found, self_check):
        # What `check` would print, before anything is written; an error stops here.
        if not print_check(site, problems, found, self_check):
            raise _Stopped(problems + found)
        print("校验和自查通过，正在构建网站……", flush=True)

    progress = Progress(enabled=ns.progress or None)
    try:
        result = build(Path(ns.root), Path(ns.site_dir) if ns.site_dir else None, as_of=ns.as_of,
                       progress=progress, engine=ns.engine, cache_dir=Path(ns.cache) if ns.cache else None,
                       on_checked=report if ns.report else None,
                       cache_in_background=bool(ns.cache and ns.cache_in_background))
    except _Stopped as stop:
        print(f"\n{summary(stop.problems)}有错误级别的问题，没有构建。已发布的站点没有改动。", file=sys.stderr)
        return 1
    KEPT.append(result)
    if not ns.report:  # else printed above
        print_problems(result.problems)
    print(build_summary(result))
    return 0


class _Stopped(Exception):
    def __init__(self, problems):
        super().__init__()
        self.problems = problems


@arg("--port", type=int, default=8000, help="端口（默认 8000）")
@arg("--host", default="127.0.0.1", help="地址（默认 127.0.0.1）")
@command("serve", "本地预览：修改 YAML 或模板后自动重新生成并刷新页面")
def cmd_serve(ns) -> int:
    from ..sitebuild.serve import serve

    return serve(Path(ns.root), ns.host, ns.port)
