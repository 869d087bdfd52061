"""Fixtures for the collection screens: the same v2/v1 services over the demo as the pixel tests."""

from __future__ import annotations

from tests.tui_pixels.conftest import request_log, store, v1, v2, versioned_service

__all__ = ["request_log", "store", "v1", "v2", "versioned_service"]
