#!/bin/sh
# tools/provision.sh python PYTHON VENV GOAL — a Python the pinned requirements accept, with venv
# tools/provision.sh tools GOAL               — the programs the tests drive (make test, make bench)
# GOAL is the make target, named in the line that says what to run.
#
# Called by the Makefile before anything else is installed, so a machine that lacks
# something stops at once with one line naming the command to run, instead of failing
# minutes later in pip or in the middle of the test suite.
#
# What is supported: Debian (12 with a Python >= 3.11.5, 13 and later). As root, missing
# programs are installed with apt-get; otherwise the line says which apt-get command to run.
# On Ubuntu the chromium package is only a shim for the snap, which Playwright cannot
# drive: there `make test-quick` (no browser, nginx or full build) is what runs.
set -eu

# pymdown-extensions 13.1.2 (requirements.txt) declares Requires-Python >=3.11.5;
# mkdocs-material 9.8.2 needs >=3.11.
MIN_PYTHON="3.11.5"

say() { printf '%s\n' "$*" >&2; }

check_python() {
    python=$1 venv=$2 goal=$3
    if [ -x "$venv/bin/python" ]; then
        python="$venv/bin/python"  # the environment already made is the one that runs
    elif ! command -v "$python" >/dev/null 2>&1; then
        say "找不到 $python：请先安装 Python 3（Debian：apt-get install python3 python3-venv），或运行 make $goal PYTHON=Python的路径。"
        exit 1
    fi
    version=$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null) || version=""
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11, 5))' 2>/dev/null; then
        if [ "$python" = "$venv/bin/python" ]; then
            say "$venv 是用 Python ${version:-（无法运行）} 建的，固定的依赖要求 Python $MIN_PYTHON 或更新：请运行 rm -rf $venv && make $goal PYTHON=新的Python的路径。"
        else
            say "需要 Python $MIN_PYTHON 或更新（pymdown-extensions 13.1.2 的要求），$python 是 ${version:-（无法运行）}：请安装新的 Python 后运行 make $goal PYTHON=新的Python的路径（Debian 13 自带 3.13；Debian 12 自带的 3.11.2 太旧）。"
        fi
        exit 1
    fi
    if [ "$python" != "$venv/bin/python" ] && ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
        # Debian splits venv's pip bootstrap into its own package.
        say "$python 不能创建虚拟环境（缺少 ensurepip）：请以 root 身份运行 apt-get install -y python3-venv（或加 sudo），然后重试 make $goal。"
        exit 1
    fi
}

have() { command -v "$1" >/dev/null 2>&1; }

# The programs where the tests look for them (tests/conftest.py: CHROMIUM, NGINX).
# GK_PROVISION_SYSROOT: a fake system for this script's own tests (tests/test_provision.py).
SYSROOT=${GK_PROVISION_SYSROOT:-}

# What is missing, as Debian package names.
missing_packages() {
    need=""
    [ -x "$SYSROOT/usr/bin/chromium" ] || need="$need chromium"
    [ -x "$SYSROOT/usr/sbin/nginx" ] || need="$need nginx"
    have git || need="$need git"
    # tests/test_deploy.py: the deploy hooks queue builds with flock.
    have flock || need="$need util-linux"
    # tests/test_html_validity.py: the W3C Nu HTML checker is a Java program installed with npm
    # (tools/vnu/package.json, pinned in its lock file).
    have java || need="$need default-jre-headless"
    have npm || need="$need npm"
    # Pages are Chinese: without a CJK font Chromium draws boxes of another width,
    # and the layout checks at 360 px and 200 % zoom measure the wrong text.
    if [ -z "$SYSROOT" ] && have fc-list; then
        [ -n "$(fc-list :lang=zh family 2>/dev/null)" ] || need="$need fonts-noto-cjk"
    elif ! ls "$SYSROOT"/usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1; then
        need="$need fonts-noto-cjk"
    fi
    printf '%s' "${need# }"
}

os_id() {
    [ -r "$SYSROOT/etc/os-release" ] || { echo unknown; return; }
    # shellcheck disable=SC1090,SC1091
    (. "$SYSROOT/etc/os-release"; echo "${ID:-unknown} ${ID_LIKE:-}")
}

check_tools() {
    goal=$1
    need=$(missing_packages)
    [ -z "$need" ] && return 0
    case " $(os_id) " in
        *" ubuntu "*)
            case " $need " in *" chromium "*)
                say "缺少 $need：Ubuntu 的 chromium 软件包只是 snap 的外壳，浏览器测试不支持；请在 Debian 上运行 make $goal，或在本机运行 make test-quick（不需要浏览器、nginx 和完整构建的测试）。"
                exit 1 ;;
            esac ;;
    esac
    if ! have apt-get; then
        say "缺少 $need（Debian 软件包名）：本机没有 apt-get，请用系统的包管理器安装 Chromium（/usr/bin/chromium）、nginx、git、flock、Java、npm 和 Noto CJK 中文字体后重试，或运行 make test-quick。"
        exit 1
    fi
    if [ "$(id -u)" != 0 ]; then
        say "缺少 $need：请以 root 身份运行 apt-get update && apt-get install -y --no-install-recommends $need（或各加 sudo），然后重试 make $goal。"
        exit 1
    fi
    say "安装测试需要的系统软件：$need"
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends $need >/dev/null; }; then
        say "apt-get 没有装好 $need：请查看上面的错误，修好后运行 apt-get install -y --no-install-recommends $need，再重试 make $goal。"
        exit 1
    fi
    still=$(missing_packages)
    if [ -n "$still" ]; then
        say "安装后仍然缺少 $still：请检查 apt-get install $still 的输出。"
        exit 1
    fi
}

case ${1:-} in
    python) check_python "${2:-python3}" "${3:-.venv}" "${4:-site}" ;;
    tools) check_tools "${2:-test}" ;;
    *) say "用法：$0 python [PYTHON] [VENV] [make 目标] | tools [make 目标]"; exit 2 ;;
esac
