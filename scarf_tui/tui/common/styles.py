"""The one place our .tcss files are found (styles/ at the top of the checkout, shipped in the
wheel as the scarf_tui.styles package; see [tool.setuptools.package-dir] in pyproject.toml)."""

from __future__ import annotations

import importlib
from pathlib import Path

_CHECKOUT_STYLES = Path(__file__).resolve().parents[3] / "styles"


def style_path(name: str) -> str:
    """The path of a .tcss file, for a screen's CSS_PATH."""
    # The package's folder, not importlib.resources: that loads zipfile and friends at start-up,
    # and Textual needs a real file anyway.
    try:
        path = Path(importlib.import_module("scarf_tui.styles").__path__[0]) / name
    except (ModuleNotFoundError, IndexError):
        path = _CHECKOUT_STYLES / name
    return str(path if path.exists() else _CHECKOUT_STYLES / name)


def read_style(name: str) -> str:
    """The text of a .tcss file, for a widget's DEFAULT_CSS (widgets take no CSS_PATH)."""
    try:
        return Path(style_path(name)).read_text(encoding="utf-8")
    except OSError:
        return ""
