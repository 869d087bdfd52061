"""The embedded Scarf server (API v1 under /api/v1, API v2 under /v2, one store): deterministic
demo data, a Starlette app, faults. Start it with scarf_tui.demo.start.start_demo.

Tokens are public demo credentials, not secrets:
- DEMO_TOKEN ("demo") signs in as DEMO_USER ("maintainer"), who has data-export access.
- NOEXPORT_TOKEN ("noexport") signs in as "visitor": a valid account without data export (403).
Every other demo user has the token "<username>-token" (see scarf_tui.demo.data.USERS).
The embedded pypicloud's admin signs in as PYPICLOUD_ADMIN / PYPICLOUD_ADMIN_PASSWORD (here, so
the TUI can sign in without loading the servers).
"""

from __future__ import annotations

DEMO_TOKEN = "demo"
DEMO_USER = "maintainer"
NOEXPORT_TOKEN = "noexport"
NOEXPORT_USER = "visitor"
PYPICLOUD_ADMIN = "maintainer"
PYPICLOUD_ADMIN_PASSWORD = "demo"

__all__ = ["DEMO_TOKEN", "DEMO_USER", "NOEXPORT_TOKEN", "NOEXPORT_USER", "PYPICLOUD_ADMIN", "PYPICLOUD_ADMIN_PASSWORD"]
