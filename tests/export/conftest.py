"""Fixtures for the export tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No user config, no token from the developer's environment; work inside tmp_path."""
    monkeypatch.setenv("SCARF_TUI_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("SCARF_API_TOKEN", raising=False)
    monkeypatch.delenv("SCARF_API_URL", raising=False)
    monkeypatch.delenv("SCARF_USERNAME", raising=False)
    monkeypatch.delenv("SCARF_API_VERSION", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path
