"""The embedded Scarf v1-compatible server: deterministic demo data, a Starlette app, faults.

Tokens are public demo credentials, not secrets:
- DEMO_TOKEN ("demo") signs in as DEMO_USER ("maintainer"), who has data-export access.
- NOEXPORT_TOKEN ("noexport") signs in as "visitor": a valid account without data export (403).
Every other demo user has the token "<username>-token" (see scarf_tui.demo.data.USERS).
"""

from __future__ import annotations

DEMO_TOKEN = "demo"
DEMO_USER = "maintainer"
NOEXPORT_TOKEN = "noexport"
NOEXPORT_USER = "visitor"

__all__ = ["DEMO_TOKEN", "DEMO_USER", "NOEXPORT_TOKEN", "NOEXPORT_USER"]
