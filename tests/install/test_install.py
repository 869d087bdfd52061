"""Installs: the wheel's contents, and `pipx install .` / `uv tool install .` into fresh, private
tool directories, each giving a working `scarf-tui --version` and a `scarf-tui --demo` that
draws the package list (in a pseudo-terminal).

They need the package registry (to build the wheel and to resolve the dependencies), so they
run in CI (CI=true, where `.ci/run` installs the test extras with pipx and uv) or when
SCARF_TUI_INSTALL_TESTS=1; elsewhere they skip with that reason. Nothing is written into the
checkout: the project is copied to a temporary folder first.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scarf_tui import __version__

from .pty_run import run_until

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI") == "true"
LOADED = re.compile(r"\b[0-9]+ of [0-9]+ packages\b")  # the package list's status line
BUILD_LIMIT = 900  # seconds for one build or install (it downloads the dependencies)

pytestmark = pytest.mark.skipif(
    not (IN_CI or os.environ.get("SCARF_TUI_INSTALL_TESTS") == "1"),
    reason="install tests need the package registry: they run in CI, or with SCARF_TUI_INSTALL_TESTS=1",
)


def _tool(name: str) -> str:
    """pipx/uv from this venv (the test extras), else from PATH; a missing one fails in CI."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        message = f"{name} is not installed (pip install -e '.[test]' brings it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def _run(argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(
        argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=BUILD_LIMIT
    )
    assert result.returncode == 0, (
        f"{argv[:3]} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """The checkout's tracked and new (not ignored) files, copied: builds write build/ and
    *.egg-info next to the sources, which must not happen in the checkout."""
    dest = tmp_path_factory.mktemp("source") / "scarf-tui"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True
    )
    if listed.returncode != 0:  # not a git checkout (an unpacked archive): all but the usual clutter
        clutter = shutil.ignore_patterns(".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".git")
        shutil.copytree(ROOT, dest, ignore=clutter)
        return dest
    for name in filter(None, listed.stdout.decode().split("\0")):
        origin = ROOT / name
        if origin.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
    return dest


@pytest.fixture(scope="module")
def wheel(source: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)])
    (built,) = out.glob("scarf_tui-*.whl")
    return built


def _clean_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH", "SCARF_"))}
    env["HOME"] = str(tmp / "home")  # no user config, no pipx/uv state of the developer's
    env["SCARF_TUI_CONFIG"] = str(tmp / "config.toml")
    env["PATH"] = os.pathsep.join([str(tmp / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])
    (tmp / "home").mkdir(exist_ok=True)
    return env


def _check_command(scarf_tui: Path, env: dict[str, str]) -> None:
    assert scarf_tui.exists(), f"{scarf_tui} was not installed"
    assert _run([str(scarf_tui), "--version"], env=env).strip() == f"scarf-tui {__version__}"
    # The app itself starts, talks to the embedded demo server and draws the package list.
    screen = run_until([str(scarf_tui), "--demo"], env, lambda text: "widget-cli" in text and LOADED.search(text))
    assert "widget-cli" in screen


def test_the_wheel_ships_the_styles_and_every_package_and_no_tests(wheel: Path, source: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    styles = {f"scarf_tui/styles/{p.name}" for p in (source / "styles").glob("*.tcss")}
    assert styles and styles <= names, f"styles missing from the wheel: {sorted(styles - names)}"
    packages = {
        f"{init.parent.relative_to(source).as_posix()}/__init__.py"
        for init in (source / "scarf_tui").rglob("__init__.py")
    }
    assert packages <= names, f"packages missing from the wheel: {sorted(packages - names)}"
    leaked = sorted(n for n in names if n.split("/")[0] in ("tests", "bench", "scripts", "screenshots", "styles"))
    assert leaked == []
    assert not any("/tests/" in n or n.startswith("tests") for n in names)


def test_pipx_install_gives_a_working_scarf_tui(source: Path, tmp_path: Path):
    pipx = _tool("pipx")
    env = _clean_env(tmp_path)
    env.update(PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"), PIPX_MAN_DIR=str(tmp_path / "man"))
    _run([pipx, "install", "--python", sys.executable, str(source)], env=env, cwd=tmp_path)
    _check_command(tmp_path / "bin" / "scarf-tui", env)


def test_uv_tool_install_gives_a_working_scarf_tui(source: Path, tmp_path: Path):
    uv = _tool("uv")
    env = _clean_env(tmp_path)
    env.update(
        UV_TOOL_DIR=str(tmp_path / "uv-tools"),
        UV_TOOL_BIN_DIR=str(tmp_path / "bin"),
        UV_CACHE_DIR=str(tmp_path / "uv-cache"),
        UV_PYTHON_DOWNLOADS="never",  # use this interpreter, never fetch one
        UV_NO_CONFIG="1",
    )
    _run([uv, "tool", "install", "--python", sys.executable, str(source)], env=env, cwd=tmp_path)
    _check_command(tmp_path / "bin" / "scarf-tui", env)
