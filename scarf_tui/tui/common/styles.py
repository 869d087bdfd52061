"""Where packaged resources live."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

# In a checkout (not installed), styles/ sits next to the scarf_tui package; the wheel ships it
# as the scarf_tui.styles package (see [tool.setuptools.package-dir] in pyproject.toml).
_CHECKOUT_STYLES = Path(__file__).resolve().parents[3] / "styles"


def style_path(name: str) -> str:
    """The path of a .tcss file shipped in the scarf_tui.styles package (top-level styles/)."""
    try:
        return str(importlib.resources.files("scarf_tui.styles") / name)
    except ModuleNotFoundError:
        return str(_CHECKOUT_STYLES / name)
