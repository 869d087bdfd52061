"""Fixtures for the TUI tests (helpers live in helpers.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scarf_tui.tui.app import ScarfApp

from .helpers import make_app


@pytest.fixture
def app_factory(service) -> Callable[..., ScarfApp]:  # noqa: ANN001
    def factory(**kwargs) -> ScarfApp:  # noqa: ANN003
        return make_app(service, **kwargs)

    return factory
