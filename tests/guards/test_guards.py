"""The guards that keep the house in order run with the tests (so CI runs them): ruff, mypy,
import-linter contracts, no import cycles, small modules, no overrides of Textual internals."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from .import_cycles import import_cycles

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
MAX_MODULE_LINES = 450
MAX_APP_LINES = 300


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run(str(BIN / "ruff"), "check", "--no-cache", "scarf_tui", "tests", "bench", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    result = run(sys.executable, "-m", "mypy", "--no-incremental")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_import_contracts_are_kept() -> None:
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_import_cycles() -> None:
    assert import_cycles("scarf_tui") == []


def test_cycle_finder_sees_a_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: a two-module loop made through a function-level import is found."""
    package = tmp_path / "loopy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from loopy import b\n")
    (package / "b.py").write_text("def later():\n    from loopy import a\n    return a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("loopy") == [["loopy.a", "loopy.b"]]


# The embedded independent v2 server (tests/independent_v2) is code we maintain too.
SMALL_MODULE_ROOTS = ("scarf_tui", "tests/independent_v2")


def test_modules_stay_small() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for root in SMALL_MODULE_ROOTS
        for path in sorted((ROOT / root).rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}
    app_lines = len((ROOT / "scarf_tui" / "tui" / "app.py").read_text(encoding="utf-8").splitlines())
    assert app_lines < MAX_APP_LINES


def _tui_modules() -> list[str]:
    import scarf_tui.tui

    return [m.name for m in pkgutil.walk_packages(scarf_tui.tui.__path__, "scarf_tui.tui.")]


def test_no_override_of_textual_private_methods() -> None:
    """A class of ours may not redefine a `_method` that a Textual base class defines."""
    overrides: list[str] = []
    for name in _tui_modules():
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != name:
                continue
            textual_bases = [b for b in cls.__mro__[1:] if b.__module__.startswith("textual")]
            for attribute, value in vars(cls).items():
                if inspect.isfunction(value) and attribute.startswith("_") and not attribute.startswith("__"):
                    if any(attribute in vars(base) for base in textual_bases):
                        overrides.append(f"{name}.{cls.__name__}.{attribute}")
    assert overrides == []


def test_the_wheel_lists_every_package() -> None:
    """pyproject.toml names the packages a wheel holds; a new folder left out of it works from
    the checkout and is missing from every install."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "scarf_tui").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert found - listed == set(), "folders with an __init__.py missing from [tool.setuptools] packages"
    assert listed - found <= {"scarf_tui.styles"}  # styles/ is mapped in by [tool.setuptools.package-dir]
