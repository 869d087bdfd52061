"""The embedded pypicloud-compatible server (every endpoint of the pypicloud API reference).

Public demo credentials, not secrets: PYPICLOUD_ADMIN / PYPICLOUD_ADMIN_PASSWORD
("maintainer" / "demo", an admin) and PYPICLOUD_USER / PYPICLOUD_USER_PASSWORD
("viewer" / "viewer", not an admin).
"""

from __future__ import annotations

from scarf_tui.demo.pypicloud.app import create_pypicloud_app
from scarf_tui.demo.pypicloud.store import (
    PYPICLOUD_ADMIN,
    PYPICLOUD_ADMIN_PASSWORD,
    PYPICLOUD_USER,
    PYPICLOUD_USER_PASSWORD,
    PypicloudStore,
    build_pypicloud_store,
)

__all__ = [
    "PYPICLOUD_ADMIN",
    "PYPICLOUD_ADMIN_PASSWORD",
    "PYPICLOUD_USER",
    "PYPICLOUD_USER_PASSWORD",
    "PypicloudStore",
    "build_pypicloud_store",
    "create_pypicloud_app",
]
