#!/usr/bin/env bash
# deploy/install-git-hooks.sh BARE_REPO WEBROOT [KEEP]
#
# Installs the publish-on-push hooks into a bare repository (created when missing):
# a push to the publish branch (GK_BRANCH, default main) is validated and built
# in pre-receive — invalid data or a failed build refuses the push — and goes
# live in post-receive by switching WEBROOT/current. Pushes to other branches are
# validated only. KEEP (default 5) releases stay on disk for deploy/rollback.sh.
#
# Recorded in BARE_REPO/hooks/gk-deploy.conf (edit it later, or re-run this):
#   GK_PYTHON    the Python that creates the hook's virtualenv (default: python3 on PATH)
#   GK_PIP_ARGS  extra pip arguments for a server without internet, e.g.
#                "--no-index --find-links /srv/wheels" or "--index-url http://mirror/simple"
#   GK_BRANCH    the branch that is published (default main)
set -euo pipefail

usage() { echo "用法：$0 裸仓库目录 网站目录 [保留的版本数，默认 5]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
bare=$1 webroot=$2 keep=${3:-5}
case $keep in ''|*[!0-9]*) echo "保留的版本数“$keep”应为整数（至少 2）。" >&2; exit 2 ;; esac
[ "$keep" -ge 2 ] || keep=2
here=$(cd "$(dirname "$0")" && pwd)
python=${GK_PYTHON:-$(command -v python3 || true)}
# pymdown-extensions 13.1.2 (requirements.txt) declares Requires-Python >=3.11.5; Debian
# ships venv's pip bootstrap (ensurepip) in the separate python3-venv package.
[ -n "$python" ] && "$python" -c 'import sys, venv, ensurepip; assert sys.version_info >= (3, 11, 5)' 2>/dev/null || {
    echo "需要 Python 3.11.5 或更新版本（含 venv 模块，Debian 上是 python3-venv 软件包）：安装后重试，或用 GK_PYTHON=路径 指定。" >&2; exit 1; }
for tool in git flock sha256sum; do
    command -v "$tool" >/dev/null || { echo "缺少命令 $tool，请先安装。" >&2; exit 1; }
done

if [ ! -d "$bare" ]; then
    git init -q --bare "$bare"
    git -C "$bare" symbolic-ref HEAD "refs/heads/${GK_BRANCH:-main}"
fi
[ "$(git -C "$bare" rev-parse --is-bare-repository 2>/dev/null)" = true ] || {
    echo "“$bare”不是 git 裸仓库（git init --bare 创建的仓库）。" >&2; exit 1; }
bare=$(cd "$bare" && pwd)
mkdir -p "$webroot/releases" "$webroot/.deploy"
webroot=$(cd "$webroot" && pwd)

install -m 0755 "$here/gk-deploy.sh" "$here/hooks/pre-receive" "$here/hooks/post-receive" \
    "$here/rollback.sh" "$bare/hooks/"
{
    echo "# Written by deploy/install-git-hooks.sh on $(date -u +%FT%TZ)."
    printf 'GK_WEBROOT=%q\n' "$webroot"
    printf 'GK_KEEP=%q\n' "$keep"
    printf 'GK_BRANCH=%q\n' "${GK_BRANCH:-main}"
    printf 'GK_PYTHON=%q\n' "$python"
    printf 'GK_PIP_ARGS=%q\n' "${GK_PIP_ARGS:-}"
} >"$bare/hooks/gk-deploy.conf"
git -C "$bare" config receive.denyNonFastForwards true

echo "已安装发布钩子：$bare/hooks/（配置 gk-deploy.conf）"
echo "网站目录：$webroot/current（nginx 的 root 指向这里，见 deploy/nginx.conf）"
echo "推送到 ${GK_BRANCH:-main} 分支即校验、构建并发布；回退：$bare/hooks/rollback.sh $webroot"
