"""`--demo-scale N`: one big, deterministic organization for trying the TUI at size.

``add_scaled_org(store, N)`` adds the organization "atlas" with N packages (at most
MAX_SCALE), SCALE_MEMBERS members and explicit permissions on every package. Every package has
a type both API versions list (docker, npm, file, python, hackage), so v1 and v2 show the same N.
The demo maintainer is an admin of it, so every package is visible and editable.

Names, members and grants come from stable hashes of their index: the same N gives the same
organization on every run and machine.
"""

from __future__ import annotations

from typing import Any

from scarf_tui.demo import DEMO_USER
from scarf_tui.demo.data import OrgSpec, PackageSpec, UserSpec, h64

MAX_SCALE = 20_000
SCALE_MEMBERS = 500
SCALE_GRANTS_PER_PACKAGE = 3
SCALE_ORG = OrgSpec(
    "atlas",
    "Atlas: a large organization for trying scarf-tui at size (scarf-tui --demo --demo-scale N).",
    "ops@atlas.example",
    "2023-01-01T00:00:00Z",
    "2025-12-01T00:00:00Z",
    "https://atlas.example",
)
_TYPES = ("docker", "npm", "file", "python", "hackage")
_WORDS = (
    "api", "auth", "billing", "cache", "cli", "core", "data", "edge", "events", "flags", "gateway",
    "graph", "ingest", "jobs", "kit", "logs", "mail", "maps", "media", "metrics", "notify", "orders",
    "pay", "proxy", "queue", "search", "shop", "sync", "tasks", "ui", "users", "vault", "web", "worker",
)
_ROLES = ("member",) * 8 + ("admin",)
_LEVELS = ("member", "default", "admin", "blocked")


def scale_member(i: int) -> str:
    return f"atlas-dev-{i:03d}"


def scale_package_name(i: int) -> str:
    first = _WORDS[h64("atlas-name", i) % len(_WORDS)]
    second = _WORDS[h64("atlas-name-2", i) % len(_WORDS)]
    return f"{first}-{second}-{i:05d}"


def check_scale(n: int) -> int:
    """N as given, or ValueError with the sentence the command line prints."""
    if not 1 <= n <= MAX_SCALE:
        raise ValueError(f"--demo-scale must be between 1 and {MAX_SCALE:,}, not {n}.")
    return n


def add_scaled_org(store: Any, n: int) -> None:
    """Add "atlas" with ``n`` packages, SCALE_MEMBERS members and grants on every package to a
    DemoStore (typed loosely: store.py builds on this module, not the other way round)."""
    check_scale(n)
    store.add_org(SCALE_ORG)
    members = store.members[SCALE_ORG.name]
    members[DEMO_USER] = "admin"
    for i in range(1, SCALE_MEMBERS + 1):
        name = scale_member(i)
        store.add_user(UserSpec(name, f"{name}@atlas.example", None))
        members[name] = "owner" if i == 1 else _ROLES[h64("atlas-role", i) % len(_ROLES)]
    for i in range(1, n + 1):
        kind = _TYPES[i % len(_TYPES)]
        spec = PackageSpec(
            SCALE_ORG.name,
            scale_package_name(i),
            kind,
            f"Package {i:05d} of atlas ({kind})",
            f"{2023 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
            popularity=1.0 + h64("atlas-pop", i) % 50,
            launch_days_ago=20 + i % 300,
        )
        uuid = store.add_package(spec)
        grants = store.permissions[uuid]
        for g in range(SCALE_GRANTS_PER_PACKAGE):
            who = scale_member(1 + h64("atlas-grant", i, g) % SCALE_MEMBERS)
            grants[who] = _LEVELS[h64("atlas-level", i, g) % len(_LEVELS)]


__all__ = ["MAX_SCALE", "SCALE_MEMBERS", "SCALE_ORG", "add_scaled_org", "check_scale", "scale_package_name"]
