"""scarf_tui.analytics stays pure: importable without Textual or httpx."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_analytics_imports_neither_textual_nor_httpx():
    code = (
        "import sys, scarf_tui.analytics\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'httpx', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == ""
