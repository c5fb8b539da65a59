"""`make test` on a fresh machine (tools/provision.sh): the Python the pins need, venv, and the
programs the tests drive; installed with apt-get as root on Debian, otherwise one line that
names the command to run, before anything is installed. The script runs here against a fake
system (GK_PROVISION_SYSROOT, a PATH of fake commands), so no test touches the real one."""
from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SCRIPT = ROOT / "tools" / "provision.sh"
EVERYTHING = ("chromium", "nginx", "git", "flock", "java", "npm", "fonts")


def fake_system(tmp_path: Path, present=EVERYTHING, os_id="debian", uid=1000, apt="works") -> dict:
    """A system root and a PATH: `present` programs exist, `id -u` prints uid, and apt-get
    (unless apt is None) logs its arguments and installs what it is asked for."""
    root, bin_ = tmp_path / "sysroot", tmp_path / "bin"
    for d in (root / "usr/bin", root / "usr/sbin", root / "etc", bin_):
        d.mkdir(parents=True, exist_ok=True)
    (root / "etc/os-release").write_text(f'PRETTY_NAME="{os_id}"\nID={os_id}\n', "utf-8")

    def exe(path: Path, text: str = "#!/bin/sh\nexit 0\n"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        path.chmod(0o755)

    installs = {"chromium": lambda: exe(root / "usr/bin/chromium"),
                "nginx": lambda: exe(root / "usr/sbin/nginx"),
                "git": lambda: exe(bin_ / "git"),
                "flock": lambda: exe(bin_ / "flock"),
                "java": lambda: exe(bin_ / "java"),
                "npm": lambda: exe(bin_ / "npm"),
                "fonts": lambda: exe(root / "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")}
    for name in present:
        installs[name]()
    os.symlink(shutil.which("ls"), bin_ / "ls")
    exe(bin_ / "id", f"#!/bin/sh\necho {uid}\n")
    log = tmp_path / "apt.log"
    if apt:
        # Debian package → what it puts on the fake system.
        exe(bin_ / "apt-get", f"""#!/bin/sh
echo "$*" >> {log}
[ "{apt}" = works ] || exit 100
for p in "$@"; do
  case $p in
    chromium) {exe_cmd(root / "usr/bin/chromium")} ;;
    nginx) {exe_cmd(root / "usr/sbin/nginx")} ;;
    git) {exe_cmd(bin_ / "git")} ;;
    util-linux) {exe_cmd(bin_ / "flock")} ;;
    default-jre-headless) {exe_cmd(bin_ / "java")} ;;
    npm) {exe_cmd(bin_ / "npm")} ;;
    fonts-noto-cjk) /bin/mkdir -p {root}/usr/share/fonts/opentype/noto && : > {root}/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ;;
  esac
done
""")
    return {"env": {"PATH": str(bin_), "GK_PROVISION_SYSROOT": str(root), "LC_ALL": "C.UTF-8"},
            "log": log, "root": root}


def exe_cmd(path: Path) -> str:
    return f"/bin/mkdir -p {path.parent} && printf '#!/bin/sh\\n' > {path} && /bin/chmod 755 {path}"


def provision(system: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/sh", str(SCRIPT), *args], env=system["env"], capture_output=True,
                          text=True, timeout=60)


def apt_calls(system: dict) -> list[str]:
    log = system["log"]
    return log.read_text("utf-8").splitlines() if log.exists() else []


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_nothing_missing_says_nothing(tmp_path):
    system = fake_system(tmp_path)
    result = provision(system, "tools", "test")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert apt_calls(system) == []


def test_without_root_one_line_names_the_apt_command(tmp_path):
    system = fake_system(tmp_path, present=("git", "flock", "java", "npm"))
    line = one_line(provision(system, "tools", "test"))
    assert "apt-get update && apt-get install -y --no-install-recommends chromium nginx fonts-noto-cjk" in line
    assert "root" in line and "make test" in line
    assert apt_calls(system) == []


def test_as_root_on_debian_apt_installs_what_is_missing(tmp_path):
    system = fake_system(tmp_path, present=("git",), uid=0)
    result = provision(system, "tools", "test")
    assert result.returncode == 0, result.stderr
    assert apt_calls(system) == ["update -qq",
                                 "install -y -qq --no-install-recommends chromium nginx util-linux "
                                 "default-jre-headless npm fonts-noto-cjk"]
    assert provision(system, "tools", "test").stderr == ""  # all there now
    assert len(apt_calls(system)) == 2


def test_as_root_a_failed_apt_get_stops_with_the_command_to_retry(tmp_path):
    system = fake_system(tmp_path, present=("git", "flock", "java", "npm", "fonts"), uid=0, apt="fails")
    result = provision(system, "tools", "test")
    assert result.returncode == 1
    # What it was doing, apt-get's own errors (none from the fake), then what to run.
    assert result.stderr.splitlines()[0] == "安装测试需要的系统软件：chromium nginx"
    line = result.stderr.splitlines()[-1]
    assert "apt-get install -y --no-install-recommends chromium nginx" in line and "make test" in line


def test_ubuntu_chromium_is_a_snap_shim_so_it_is_not_installed(tmp_path):
    system = fake_system(tmp_path, present=("nginx", "git", "flock", "fonts"), os_id="ubuntu", uid=0)
    line = one_line(provision(system, "tools", "test"))
    assert "snap" in line and "Debian" in line and "make test-quick" in line
    assert apt_calls(system) == []


def test_without_apt_get_it_names_what_to_install(tmp_path):
    system = fake_system(tmp_path, present=("git", "flock", "fonts"), os_id="fedora", uid=0, apt=None)
    line = one_line(provision(system, "tools", "test"))
    assert "chromium nginx" in line and "没有 apt-get" in line and "make test-quick" in line


def fake_python(tmp_path: Path, version: str, ensurepip: bool) -> Path:
    path = tmp_path / "python3"
    major, minor, micro = map(int, version.split("."))
    old = (major, minor, micro) < (3, 11, 5)
    path.write_text(f"""#!/bin/sh
case "$2" in
  *print*) echo {version} ;;
  *version_info*) exit {1 if old else 0} ;;
  *ensurepip*) exit {0 if ensurepip else 1} ;;
esac
""", "utf-8")
    path.chmod(0o755)
    return path


def test_python_older_than_the_pins_allow_is_named_with_what_to_run(tmp_path):
    system = fake_system(tmp_path)
    line = one_line(provision(system, "python", str(fake_python(tmp_path, "3.11.2", True)),
                              str(tmp_path / "venv"), "test"))
    assert "3.11.5" in line and "3.11.2" in line and "make test PYTHON=" in line


def test_python_without_venv_names_the_debian_package(tmp_path):
    system = fake_system(tmp_path)
    line = one_line(provision(system, "python", str(fake_python(tmp_path, "3.11.7", False)),
                              str(tmp_path / "venv"), "site"))
    assert "apt-get install -y python3-venv" in line and "make site" in line
    assert provision(system, "python", sys.executable, str(tmp_path / "venv"), "site").returncode == 0


def test_make_test_stops_before_the_virtualenv_when_a_program_is_missing(tmp_path):
    """The order in the Makefile: Python, then the programs, and only then .venv and pip."""
    work = tmp_path / "clone"
    (work / "tools").mkdir(parents=True)
    shutil.copy2(ROOT / "Makefile", work)
    shutil.copy2(SCRIPT, work / "tools")
    for name in ("requirements.txt", "requirements-test.txt"):
        shutil.copy2(ROOT / name, work)
    system = fake_system(tmp_path, present=("git", "flock", "fonts"))
    # A make of its own, not a sub-make of `make test` (which would print its directory).
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env.update(GK_PROVISION_SYSROOT=system["env"]["GK_PROVISION_SYSROOT"],
               PATH=system["env"]["PATH"] + os.pathsep + os.environ["PATH"])
    result = subprocess.run(["make", "test", f"PYTHON={sys.executable}"], cwd=work, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    ours = [l for l in result.stderr.splitlines() if not l.startswith("make")]
    assert len(ours) == 1 and "apt-get install -y --no-install-recommends chromium nginx" in ours[0], result.stderr
    assert not (work / ".venv").exists() and result.stdout == ""
    # `make site` needs none of them: it gets as far as the Python check, which passes.
    dry = subprocess.run(["make", "-n", "site", f"PYTHON={sys.executable}"], cwd=work, env=env,
                         capture_output=True, text=True, timeout=60)
    assert "provision.sh tools" not in dry.stdout and "provision.sh python" in dry.stdout


def test_python_minimum_is_the_pins_own_everywhere_it_is_stated():
    """The highest Requires-Python among the pinned packages, as the script, the deploy hook
    installer and the README state it."""
    floor = (3, 0, 0)
    for line in (ROOT / "requirements.txt").read_text("utf-8").splitlines():
        if "==" not in line or line.startswith("#"):
            continue
        spec = importlib.metadata.metadata(line.split("==")[0]).get("Requires-Python") or ""
        for m in re.finditer(r">=\s*(\d+)\.(\d+)(?:\.(\d+))?", spec):
            floor = max(floor, (int(m[1]), int(m[2]), int(m[3] or 0)))
    text = ".".join(map(str, floor))
    assert text == "3.11.5"  # pymdown-extensions 13.1.2
    assert f'MIN_PYTHON="{text}"' in SCRIPT.read_text("utf-8")
    assert "sys.version_info >= (3, 11, 5)" in (ROOT / "deploy/install-git-hooks.sh").read_text("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    quick_start = readme[readme.index("## 快速开始"):readme.index("## 命令")]
    assert f"Python {text}" in quick_start and "python3-venv" in quick_start
    assert "3.10" not in readme


def test_ci_runs_exactly_what_the_readme_tells_a_newcomer():
    commands = [l.strip() for l in (ROOT / ".ci/run").read_text("utf-8").splitlines()
                if l.strip() and not l.lstrip().startswith("#")]
    assert commands[-1] == "exec make test"
    assert all(c.startswith(("set ", "cd ")) for c in commands[:-1]), commands
    assert "make test" in (ROOT / "README.md").read_text("utf-8")


def _module_level_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text("utf-8")).body:
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_test_module_needs_playwright_to_be_collected():
    """Playwright is imported where a browser test runs, so a machine without it (or a
    `make test-quick`) collects every module. conftest.py checks sys.modules after collection too."""
    files = sorted((ROOT / "tests").glob("*.py")) + [ROOT / "benchmarks/search_transfer.py"]
    offenders = [f.name for f in files
                 if _module_level_imports(f) & {"playwright", "axe_playwright_python"}]
    assert offenders == []
