"""The access matrix on a hostile store (versioned_service and hostile_store: tests/conftest.py)."""

from __future__ import annotations

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.demo import DEMO_TOKEN


@pytest.fixture
async def hostile_service(hostile_store):  # noqa: ANN001, ANN201
    from scarf_tui.demo.app import create_app

    service = make_service(
        "http://demo.invalid/api", DEMO_TOKEN, transport=httpx.ASGITransport(app=create_app(hostile_store)), backoff=0.0
    )
    yield service
    await service.aclose()
