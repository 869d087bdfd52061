"""The embedded PurlDB-compatible server: the package list with its filters and page-number
pagination, details (also at /api/projects/), history, resources, enhanced data and reindex,
over records named after the demo's Scarf packages."""

from __future__ import annotations

from scarf_tui.demo.purldb.app import PurldbStore, build_purldb_store, create_purldb_app

__all__ = ["PurldbStore", "build_purldb_store", "create_purldb_app"]
