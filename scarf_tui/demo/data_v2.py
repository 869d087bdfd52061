"""Demo data that shows what the Scarf API v2 adds: one organization with well over a hundred
packages (so a client that stops at the first cursor page visibly misses rows), docker
collections, and creation times for tracking pixels.

``build_demo_store(fleet=True)`` (the default of ``start_demo`` and ``demo-server``) adds the
organization; the plain store of the older tests leaves it out so their pictures stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from scarf_tui.demo import DEMO_USER
from scarf_tui.demo.data import OrgSpec, PackageSpec, stable_uuid

FLEET_ORG = OrgSpec(
    "fleet",
    "Fleet ships one small service per team: many packages, little traffic each.",
    "ops@fleet.example",
    "2024-02-01T08:00:00Z",
    "2025-10-01T08:00:00Z",
    "https://fleet.example",
)
FLEET_MEMBERS = {DEMO_USER: "admin", "grace": "owner", "linus": "member"}
# Every v2 package type, plus the two only v1 lists (pypi, other): 126 packages, 120 of them v2.
_FLEET_TYPES = ("docker", "npm", "file", "python", "hackage", "docker")
FLEET_PACKAGE_COUNT = 120
FLEET_V1_ONLY = (("fleet-legacy-sdk", "pypi"), ("fleet-notes", "other"), ("fleet-cli-py", "pypi"),
                 ("fleet-handbook", "other"), ("fleet-tools", "pypi"), ("fleet-assets", "other"))


def fleet_packages() -> list[PackageSpec]:
    specs = []
    for i in range(1, FLEET_PACKAGE_COUNT + 1):
        kind = _FLEET_TYPES[i % len(_FLEET_TYPES)]
        specs.append(
            PackageSpec(
                "fleet", f"svc-{i:03d}", kind, f"Service {i:03d} of the fleet ({kind})",
                f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}T10:00:00Z",
                popularity=2.0 + (i % 7), launch_days_ago=30 + i,
            )
        )
    for name, kind in FLEET_V1_ONLY:
        specs.append(PackageSpec("fleet", name, kind, f"{name} (a {kind} package: API v1 lists it)",
                                 "2024-03-03T10:00:00Z", popularity=1.0, launch_days_ago=60))
    return specs


@dataclass(frozen=True, slots=True)
class CollectionSpec:
    owner: str
    pattern: str
    public_domain: str
    backend_domain: str
    created_at: str

    @property
    def id(self) -> str:
        return stable_uuid("collection", self.owner, self.pattern)


COLLECTIONS: tuple[CollectionSpec, ...] = (
    CollectionSpec("acme", "acme/*", "cr.acme.example", "ghcr.io", "2024-04-01T09:00:00Z"),
    CollectionSpec("acme", "acme-labs/tools-*", "labs.cr.acme.example", "docker.io", "2024-06-01T09:00:00Z"),
    CollectionSpec("openlab", "openlab/*", "cr.openlab.example", "quay.io", "2024-07-01T09:00:00Z"),
)

PIXEL_CREATED_AT = "2024-01-10T12:00:00Z"
