#!/usr/bin/env bash
# Publish-on-push for a bare repository (installed by deploy/install-git-hooks.sh).
#
#   gk-deploy.sh pre-receive            (git runs it; refs on stdin)
#   gk-deploy.sh post-receive           (git runs it; refs on stdin)
#   gk-deploy.sh rollback WEBROOT [COMMIT]
#
# The build happens in pre-receive: a push whose data is invalid, or whose site
# does not build, is refused and the editor reads why in `git push` output
# (stderr of this hook reaches the client as "remote: …" lines). The finished
# release is switched live in post-receive, after git has accepted the ref,
# so `current` only ever points at a commit that is on the branch.
#
# WEBROOT layout:
#   current -> releases/<commit>   the live site (a symlink, replaced by rename)
#   releases/<commit>/             one complete build per published commit
#   .deploy/build.lock             one build at a time (venv, checkout, MkDocs)
#   .deploy/switch.lock            one switch of `current` at a time
#   .deploy/history                commits published by push, oldest first
#   .deploy/log                    what happened, with times
#   .deploy/venv/<key>/            virtualenvs keyed on Python version + requirements.txt
#   .deploy/cache/                 the last build's pages and search shards, reused where
#                                  their inputs are unchanged (generator build --cache)
#   .deploy/work/                  the working tree pushed commits are checked out into and
#                                  built from, kept between pushes (see `checkout`)
#   .deploy/trash/                 pruned releases being deleted in the background
set -uo pipefail

ZERO=0000000000000000000000000000000000000000
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

say() { printf '%s\n' "$*" >&2; }

now() { date +%s.%N; }

log() { printf '%s %s\n' "$(now)" "$*" >>"$STATE/log"; }

load_config() {
    local conf="$HERE/gk-deploy.conf"
    if [ ! -r "$conf" ]; then
        say "发布钩子没有配置文件 $conf：请系统维护人员运行 deploy/install-git-hooks.sh。"
        exit 1
    fi
    # shellcheck source=/dev/null
    . "$conf"
    set_webroot "$GK_WEBROOT"
    : "${GK_KEEP:=5}" "${GK_BRANCH:=main}" "${GK_PYTHON:=python3}" "${GK_PIP_ARGS:=}"
}

set_webroot() {
    WEBROOT=$1
    STATE=$WEBROOT/.deploy
    RELEASES=$WEBROOT/releases
    mkdir -p "$STATE/venv" "$RELEASES"
}

# --- locks -------------------------------------------------------------------------------

# lock NAME FD: take an exclusive lock, telling the editor when another push holds it.
lock() {
    local file="$STATE/$1.lock" fd=$2
    eval "exec $fd>>\"\$file\""
    if ! flock -n "$fd"; then
        say "另一次推送正在发布，排队等待……"
        log "wait $1"
        flock "$fd"
    fi
}

# --- the live symlink --------------------------------------------------------------------

# switch_to COMMIT: point `current` at releases/COMMIT by renaming a new symlink over
# the old one (rename(2) is atomic: a visitor gets the old site or the new one).
switch_to() {
    local commit=$1 tmp="$WEBROOT/.current-$$"
    [ -f "$RELEASES/$commit/index.html" ] || return 1
    rm -f "$tmp"
    ln -s "releases/$commit" "$tmp" && mv -T "$tmp" "$WEBROOT/current"
}

current_commit() {
    local target
    target=$(readlink "$WEBROOT/current" 2>/dev/null) || return 1
    basename "$target"
}

# prune: keep the newest GK_KEEP releases (by build time) and always the live one.
prune() {
    local keep=$GK_KEEP live n=0 dir
    [ "$keep" -ge 2 ] 2>/dev/null || keep=2
    live=$(current_commit || true)
    while IFS= read -r dir; do
        [ -n "$dir" ] || continue
        n=$((n + 1))
        [ "$n" -le "$keep" ] && continue
        [ "$(basename "$dir")" = "$live" ] && continue
        discard "$dir" && log "pruned $(basename "$dir")"
    done < <(find "$RELEASES" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%T@ %p\n' | sort -rn | cut -d' ' -f2-)
}

# --- deleting off the critical path --------------------------------------------------------

# discard PATH…: move each into .deploy/trash/ (a rename) and delete them there in a detached
# process, so that neither the editor's `git push` nor the next push waits for a release (or a
# damaged work tree) of 10,000 pages to be unlinked. The process closes every descriptor git
# and the locks hold (git waits for the hook's stdout and stderr to close). Whatever a killed
# deletion leaves in trash/ the next discard deletes too.
discard() {
    local path n=0
    mkdir -p "$STATE/trash"
    for path in "$@"; do
        [ -e "$path" ] || continue
        n=$((n + 1))
        mv -T "$path" "$STATE/trash/$(date +%s%N)-$$-$n" 2>/dev/null || rm -rf "$path"
    done
    [ -n "$(ls -A "$STATE/trash" 2>/dev/null)" ] || return 0
    # What is in trash/ now; trash/ itself stays, so a later discard always has it to move into.
    setsid nice -n 10 sh -c 'rm -rf "$1"/*' sh "$STATE/trash" </dev/null >/dev/null 2>&1 8>&- 9>&- &
}

# --- virtualenv --------------------------------------------------------------------------

# venv_for REQUIREMENTS: print the path of a virtualenv with those requirements,
# creating it once per (Python version, requirements.txt) and reusing it after.
venv_for() {
    local req=$1 version key dir
    version=$("$GK_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])') || {
        say "找不到 Python（$GK_PYTHON）：请系统维护人员检查 $HERE/gk-deploy.conf 中的 GK_PYTHON。"
        return 1
    }
    key="py$version-$(sha256sum "$req" | cut -c1-16)"
    dir=$STATE/venv/$key
    if [ ! -e "$dir.ready" ]; then
        say "首次使用这一版依赖（requirements.txt），正在安装运行环境，需要几分钟……"
        log "venv create $key"
        rm -rf "$dir"
        # A half-made venv never has its .ready mark, so a killed install is redone.
        if ! "$GK_PYTHON" -m venv "$dir" >&2 ||
           ! "$dir/bin/python" -m pip install --quiet --disable-pip-version-check $GK_PIP_ARGS -r "$req" >&2; then
            say "安装运行环境失败（见上面的信息）。网站没有改动。请系统维护人员检查网络或 GK_PIP_ARGS（内网镜像/本地安装包目录）。"
            rm -rf "$dir"
            return 1
        fi
        touch "$dir.ready"
    fi
    touch "$dir.ready"  # newest first when old venvs are pruned
    ls -t "$STATE/venv" | grep '\.ready$' | tail -n +4 | while IFS= read -r old; do
        rm -rf "$STATE/venv/${old%.ready}" "$STATE/venv/$old"
    done
    printf '%s\n' "$dir"
}

# --- checkout ----------------------------------------------------------------------------

# checkout COMMIT: .deploy/work at COMMIT, with the full history (last-updated dates and
# SOURCE_DATE_EPOCH read it), printed. Objects are borrowed by alternates, including the
# pushed ones still in git's quarantine directory.
# The tree is kept from push to push: git rewrites only the files that differ from the last
# commit, and the generated Markdown (content/zwgk/, content/index.md) stays, so the build
# rewrites only the pages whose text changed and the build cache knows the others by their
# file signature. With a fresh checkout each push (10,000 record files, every page's Markdown
# written again) 3-7 s of a push went outside the build (README, 2026-12-06). Anything else that
# is not in the commit (a killed build's leftovers, a file someone put there) is removed, and
# what the generator writes depends only on the commit: tests/test_deploy.py compares a
# release with a cold build of a clean clone. If git fails on the kept tree, a new one is made.
checkout() {
    local commit=$1 dest=$STATE/work objects
    objects=$(cd "${GIT_DIR:-.}" && pwd)/objects
    (
        unset $(git rev-parse --local-env-vars) GIT_QUARANTINE_PATH
        into() {
            [ -d "$dest/.git" ] || git init -q "$dest" || return 1
            printf '%s\n' "$objects" ${QUARANTINE:+"$QUARANTINE"} >"$dest/.git/objects/info/alternates" &&
            rm -f "$dest/.git/index.lock" &&  # a killed hook's; the build lock is held
            git -C "$dest" -c advice.detachedHead=false checkout -q -f --detach "$commit" &&
            git -C "$dest" clean -q -ffdx -e /content/zwgk/ -e /content/index.md
        }
        into >/dev/null 2>&1 || { discard "$dest"; into >&2; }
    ) || return 1
    printf '%s\n' "$dest"
}

# run_generator DIR VENV ARGS…: the project's own CLI, as a person runs it.
run_generator() {
    local dir=$1 venv=$2
    shift 2
    (
        unset $(git rev-parse --local-env-vars) GIT_QUARANTINE_PATH
        cd "$dir" && "$venv/bin/python" -m generator "$@"
    )
}

# keep_error_log DIR: the generator's traceback log (exit code 3) outlives the checkout.
keep_error_log() {
    [ -s "$1/.generator-error.log" ] || return 1
    { printf '== %s\n' "$(date -u +%FT%TZ)"; cat "$1/.generator-error.log"; } >>"$STATE/error.log"
}

# check_commit COMMIT REF PUBLISH: validate (and build, when PUBLISH) one pushed commit.
check_commit() {
    local commit=$1 ref=$2 publish=$3 src venv status=0 short=${1:0:8}
    if ! src=$(checkout "$commit"); then
        say "无法取出提交 $short。网站没有改动。"
        return 1
    fi
    if [ ! -f "$src/requirements.txt" ]; then
        say "提交 $short 中没有 requirements.txt，不是本生成器的项目。推送已被拒绝，网站没有改动。"
        return 1
    fi
    venv=$(venv_for "$src/requirements.txt") || return 1

    # To publish, one process checks and builds: `build --report` prints what `check` would
    # and stops there on an error, so the data is loaded once (a generator without it: check, then build).
    local help build_help cache=() merged=0
    build_help=$(run_generator "$src" "$venv" build --help 2>/dev/null)
    if [ "$publish" = 1 ] && [ ! -f "$RELEASES/$commit/index.html" ] && grep -q -- '--report' <<<"$build_help"; then
        merged=1
    fi

    say "正在校验 $ref（$short）……"
    # `check` validates first and says so, then judges compliance: one load of the data.
    # With the cache, only the record files this push changed are parsed and validated
    # (generator/model/record_cache.py).
    if [ "$merged" = 1 ]; then
        :
    elif help=$(run_generator "$src" "$venv" check --help 2>/dev/null); then
        if grep -q -- '--cache' <<<"$help"; then
            cache=(--cache "$STATE/cache")
        fi
        run_generator "$src" "$venv" check "${cache[@]}" >&2 || status=$?
    else
        run_generator "$src" "$venv" validate >&2 || status=$?
    fi
    if [ "$status" -ne 0 ] && keep_error_log "$src"; then
        say "推送已被拒绝：生成器内部错误，网站没有改动。请系统维护人员查看 $STATE/error.log。"
        return 1
    elif [ "$status" -ne 0 ]; then
        say "推送已被拒绝：数据有问题（见上面每行开头的“文件:行:列”）。改正后重新提交并推送。网站没有改动。"
        log "refused $commit $ref"
        return 1
    fi
    [ "$publish" = 1 ] || return 0

    if [ -f "$RELEASES/$commit/index.html" ]; then
        touch "$RELEASES/$commit"
        say "提交 $short 已经构建过，直接使用。"
        return 0
    fi
    [ "$merged" = 1 ] || say "校验通过，正在构建网站……"
    log "build start $commit"
    # The generator builds beside the target and renames it into place only when
    # complete; a build that dies leaves no releases/<commit> and `current` as it was.
    # The cache only saves time: what it reuses is byte for byte what a cold build makes, and
    # a damaged or foreign cache is rebuilt (generator/sitebuild/build_cache.py).
    cache=()
    if grep -q -- '--cache' <<<"$build_help"; then
        cache=(--cache "$STATE/cache")
        # The cache's last writes go on after the build process exits (the next build waits for them).
        if grep -q -- '--cache-in-background' <<<"$build_help"; then
            cache+=(--cache-in-background)
        fi
    fi
    local report=()
    [ "$merged" = 1 ] && report=(--report)
    log "build options ${cache[*]} ${report[*]}"
    run_generator "$src" "$venv" build --site-dir "$RELEASES/$commit" "${cache[@]}" "${report[@]}" >&2 || status=$?
    log "build end $commit $status"
    if [ "$status" -ne 0 ] && keep_error_log "$src"; then
        say "推送已被拒绝：生成器内部错误，网站没有改动。请系统维护人员查看 $STATE/error.log。"
    elif [ "$merged" = 1 ] && [ "$status" -eq 1 ]; then
        say "推送已被拒绝：数据有问题（见上面每行开头的“文件:行:列”）。改正后重新提交并推送。网站没有改动。"
        log "refused $commit $ref"
    elif [ "$status" -ne 0 ] || [ ! -f "$RELEASES/$commit/index.html" ]; then
        say "推送已被拒绝：网站构建没有完成（见上面的信息）。网站没有改动。"
    else
        status=""
    fi
    if [ -n "$status" ]; then
        rm -rf "$RELEASES/$commit"
        return 1
    fi
    if [ -n "$(git -C "$src" status --porcelain -- site_data/published.tsv 2>/dev/null)" ]; then
        say "提示：site_data/published.tsv（已发布索引号清单）没有随数据一起提交。请在本机运行 make site，再提交这个文件。"
    fi
    return 0
}

pre_receive() {
    load_config
    QUARANTINE=${GIT_QUARANTINE_PATH:-${GIT_OBJECT_DIRECTORY:-}}
    local old new ref publish=() others=() started
    started=$(now)
    while read -r old new ref; do
        if [ "$ref" = "refs/heads/$GK_BRANCH" ]; then
            if [ "$new" = "$ZERO" ]; then
                say "不能删除发布分支 $GK_BRANCH：网站由它生成。"
                exit 1
            fi
            publish=("$old" "$new")
        elif [ "$new" != "$ZERO" ] && [[ $ref == refs/heads/* ]]; then
            others+=("$new" "${ref#refs/heads/}")
        fi
    done
    [ ${#publish[@]} -gt 0 ] || [ ${#others[@]} -gt 0 ] || exit 0

    lock build 8
    # Leftovers of builds that were killed: the generator's temp dirs and lock files (and the
    # checkouts of hooks before .deploy/work). Nothing else builds while this lock is held.
    find "$RELEASES" -mindepth 1 -maxdepth 1 -name '.*' -exec rm -rf {} +
    discard "$STATE/tmp"

    local i
    for ((i = 0; i < ${#others[@]}; i += 2)); do
        check_commit "${others[i]}" "${others[i+1]}" 0 || exit 1
    done
    if [ ${#publish[@]} -gt 0 ]; then
        local tip
        tip=$(git rev-parse -q --verify "refs/heads/$GK_BRANCH" || echo "$ZERO")
        if [ "$tip" != "${publish[0]}" ]; then
            say "推送已被拒绝：$GK_BRANCH 分支刚被另一次推送更新。请先 git pull，再推送。网站没有改动。"
            exit 1
        fi
        check_commit "${publish[1]}" "$GK_BRANCH" 1 || exit 1
        say "网站已构建（用时 $(elapsed "$started") 秒），推送完成后立即上线。"
    fi
}

elapsed() {
    awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'
}

post_receive() {
    load_config
    local old new ref published=0 tip
    while read -r old new ref; do
        [ "$ref" = "refs/heads/$GK_BRANCH" ] && [ "$new" != "$ZERO" ] && published=1
    done
    [ "$published" = 1 ] || exit 0
    lock switch 9
    # The branch tip, not this push's value: with pushes racing, the site follows the branch.
    tip=$(git rev-parse "refs/heads/$GK_BRANCH")
    if ! switch_to "$tip"; then
        say "错误：没有找到提交 ${tip:0:8} 的构建结果，网站没有切换。请系统维护人员查看 $STATE/log。"
        log "missing $tip"
        exit 1
    fi
    printf '%s %s\n' "$(date -u +%FT%TZ)" "$tip" >>"$STATE/history"
    log "live $tip"
    prune
    say "网站已上线：提交 ${tip:0:8}。"
}

# rollback WEBROOT [COMMIT]: switch back to COMMIT (a prefix will do), by default
# to the release published before the live one.
rollback() {
    [ $# -ge 1 ] || { say "用法：rollback.sh 网站目录 [提交]"; exit 2; }
    if [ ! -d "$1/releases" ]; then
        say "“$1”不是发布目录（里面没有 releases/）。"
        exit 2
    fi
    set_webroot "$1"
    lock switch 9
    local live target="" c matches
    live=$(current_commit || true)
    if [ $# -ge 2 ]; then
        matches=$(find "$RELEASES" -mindepth 1 -maxdepth 1 -type d -name "$2*" ! -name '.*' -printf '%f\n')
        if [ "$(printf '%s\n' "$matches" | grep -c .)" -ne 1 ]; then
            say "没有唯一的构建结果以“$2”开头。可用的：" && ls "$RELEASES" >&2
            exit 1
        fi
        target=$matches
    else
        # Walk back through the publish history from the live commit's last entry.
        local seen=0
        while IFS= read -r c; do
            if [ "$seen" = 0 ]; then
                [ "$c" = "$live" ] && seen=1
                continue
            fi
            [ "$c" != "$live" ] && [ -f "$RELEASES/$c/index.html" ] && { target=$c; break; }
        done < <(awk '{ print $2 }' "$STATE/history" 2>/dev/null | tac)
        if [ -z "$target" ]; then
            say "没有更早的构建结果可以回退。"
            exit 1
        fi
    fi
    switch_to "$target" || { say "构建结果 $target 不完整，没有切换。"; exit 1; }
    log "rollback $live -> $target"
    say "已回退：网站现在是提交 ${target:0:8}（之前是 ${live:0:8}）。"
    say "注意：仓库没有改变，下一次推送会发布分支上的最新提交。"
}

case "${1:-}" in
    pre-receive) pre_receive ;;
    post-receive) post_receive ;;
    rollback) shift; rollback "$@" ;;
    *) say "用法：gk-deploy.sh pre-receive|post-receive|rollback 网站目录 [提交]"; exit 2 ;;
esac
