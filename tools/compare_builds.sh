#!/usr/bin/env bash
# tools/compare_builds.sh [REV] — a refactor's proof: build the sample site and the extended
# sample (tests/extended_sample.py: hostile values, a draft, kinds added from files) from REV
# (default HEAD~1) and from the working tree, both with the same --as-of, and list every file
# that differs or exists on one side only. No output under the two headings: byte-identical.
# Uses .venv (make site first). About a minute on 2 cores. KEEP=1 keeps both builds to diff.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:-HEAD~1}
AS_OF=${AS_OF:-2026-12-02}
PY=$PWD/.venv/bin/python
WORK=$(mktemp -d)
trap 'git worktree remove --force "$WORK/rev-src" >/dev/null 2>&1 || true; [ -n "${KEEP:-}" ] && echo "kept: $WORK" || rm -rf "$WORK"' EXIT
git worktree add -q --detach "$WORK/rev-src" "$REV"
build() {  # build SRC OUT VARIANT
  "$PY" - "$1" "$2" "$3" <<'PY'
import sys
from pathlib import Path
src, dest, variant = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
sys.path.insert(0, str(src / "tests"))
import conftest
conftest.ROOT = src
dest = conftest.copy_project(dest)
if variant == "extended":
    import extended_sample
    extended_sample.ROOT = src
    extended_sample.extend(dest)
PY
  (cd "$2" && "$PY" -m generator build --as-of "$AS_OF" >/dev/null 2>"$2.err") \
    || { echo "构建失败：$1（$3）"; cat "$2.err"; exit 1; }
}
for v in sample extended; do
  build "$WORK/rev-src" "$WORK/rev-$v" "$v"
  build "$PWD" "$WORK/new-$v" "$v"
  echo "== $v: $REV → working tree"
  diff -rq "$WORK/rev-$v/site" "$WORK/new-$v/site" | sed "s#$WORK/##g" || true
done
