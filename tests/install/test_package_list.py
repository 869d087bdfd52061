"""The wheel's package list in pyproject.toml names every package of the checkout (fast, offline).

setuptools is given an explicit list (styles/ ships as scarf_tui.styles), so a new package that
is not added there is missing from every install; test_install.py shows it on a real wheel.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_under_scarf_tui_is_in_the_wheels_package_list():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "scarf_tui").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert sorted(on_disk - listed) == [], "add these to [tool.setuptools] packages in pyproject.toml"
    assert setuptools["package-dir"]["scarf_tui.styles"] == "styles"
    assert sorted(listed - on_disk) == ["scarf_tui.styles"]
    assert "*.tcss" in setuptools["package-data"]["scarf_tui.styles"]
