"""Domain models for what the Scarf API v2 adds (tracking pixels, collections, search, user
lookups), the capabilities of the active API version, and pages of a list.

They sit next to the service that produces them; like scarf_tui.domain they do no I/O and know
nothing of either wire format.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from scarf_tui.domain import Domain, Package

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PackageRef:
    """Enough of a package to name it: id, owner, name and type."""

    id: str
    owner: str
    name: str
    package_type: str | None = None


@dataclass(frozen=True, slots=True)
class TrackingPixel:
    id: str
    owner: str
    name: str
    package: PackageRef | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TrackingPixelDraft:
    """What the user submits to create or rename a pixel; ``package_id`` links it to a package."""

    name: str
    package_id: str | None = None


@dataclass(frozen=True, slots=True)
class Collection:
    """A docker name pattern ("acme/*") served on a public domain from a backend registry."""

    id: str
    owner: str
    pattern: str
    public_domain: str
    backend_domain: str
    collection_type: str = "docker"
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CollectionDraft:
    pattern: str
    backend_domain: str
    public_domain: str | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: a package (``kind`` "package") or a tracking pixel ("tracking-pixel")."""

    kind: str
    id: str
    owner: str
    name: str
    package_type: str | None = None
    package: PackageRef | None = None  # the pixel's package, for a pixel hit


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A Scarf account: a person (``kind`` "user") or an organization ("organization")."""

    name: str
    kind: str
    id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Membership:
    """One organization a user belongs to, with their role there."""

    organization: str
    role: str
    organization_id: str | None = None
    description: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class PackageOverview:
    """A package with its domains (v2's overview answer)."""

    package: Package
    domains: tuple[Domain, ...] = ()


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list as it arrives. ``so_far`` counts every item up to this page; ``done``
    is True on the last page (only then is ``so_far`` the total)."""

    items: Sequence[T]
    so_far: int
    done: bool
    number: int = 1

    @property
    def status(self) -> str:
        """"N so far…" while pages are still coming, then "N"."""
        return str(self.so_far) if self.done else f"{self.so_far} so far…"


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What the active API version offers, so screens show only what works.

    ``missing`` maps an action name to the sentence a screen shows instead of the action."""

    version: str
    permission_levels: tuple[str, ...]
    can_remove_access: bool
    can_set_permission_by_email: bool
    pixels: bool
    pixel_crud: bool
    collections: bool
    search: bool
    overview: bool
    member_get: bool
    create_organization: bool
    owner_scoped_packages: bool
    aggregate_rollups: tuple[str, ...]
    breakdowns: tuple[str, ...]
    cursor_pages: bool
    # Package types whose domains the API lists and edits; None: every type (v2's domain
    # endpoints are for any package; only its routes say "only for File Packages").
    domain_types: tuple[str, ...] | None = None
    missing: dict[str, str] = field(default_factory=dict)

    def why_missing(self, action: str) -> str | None:
        """The sentence saying why ``action`` is not offered, or None when it is."""
        return self.missing.get(action)

    def has_domains(self, library_type: str | None) -> bool:
        """Whether a package of this type has domains to list and edit."""
        return self.domain_types is None or (library_type or "") in self.domain_types


# The seven breakdowns the UI has always known (AggregateRow.breakdown values) and the ones v2 adds.
CORE_BREAKDOWNS = ("total", "company", "cloud_provider", "country", "platform", "version", "client", "variable")
EXTRA_BREAKDOWNS = ("referer", "domain", "do_not_track", "educational", "governmental")

V1_MISSING = {
    "pixels": "Tracking pixels are managed through the Scarf API v2; this account uses v1.",
    "collections": "Collections exist only in the Scarf API v2; this account uses v1.",
    "search": "Search needs the Scarf API v2; this account uses v1 (use / to filter the list).",
    "remove_access": "API v1 has no 'remove access': set the level to 'blocked' or 'default' instead.",
    "member_get": "API v1 has no single-member lookup; the member list shows the role.",
    "single_get": "API v1 reads routes and domains as whole lists; the list shows this one.",
    "overview": "API v1 has no package overview; open a package to see its domains.",
    "rollups": "API v1 sends daily rows only; weekly and monthly unique counts need API v2.",
    "owner_events": "API v1 exports events per package or for all your pixels, not per owner.",
    "users": "API v1 has no user lookup; organizations come from your packages and config.toml.",
    "domains": "API v1 keeps domains for file and python packages only; API v2 has them for every package.",
}
V2_MISSING = {
    "create_organization": "API v2 cannot create organizations; create one on scarf.sh.",
    "permission_by_email": "API v2 finds users by username only, not by email: enter the Scarf username.",
    "blocked_level": "API v2 has no 'blocked' or 'default' level: remove the user's access instead.",
}

V1_CAPABILITIES = Capabilities(
    version="v1",
    permission_levels=("blocked", "default", "member", "admin"),
    can_remove_access=False,
    can_set_permission_by_email=True,
    pixels=False,
    pixel_crud=False,
    collections=False,
    search=False,
    overview=False,
    member_get=False,
    create_organization=True,
    owner_scoped_packages=False,
    aggregate_rollups=("daily",),
    breakdowns=CORE_BREAKDOWNS,
    cursor_pages=False,
    domain_types=("file", "python"),
    missing=V1_MISSING,
)

V2_CAPABILITIES = Capabilities(
    version="v2",
    permission_levels=("member", "admin", "owner"),
    can_remove_access=True,
    can_set_permission_by_email=False,
    pixels=True,
    pixel_crud=True,
    collections=True,
    search=True,
    overview=True,
    member_get=True,
    create_organization=False,
    owner_scoped_packages=True,
    aggregate_rollups=("daily", "weekly", "monthly", "yearly"),
    breakdowns=CORE_BREAKDOWNS + EXTRA_BREAKDOWNS,
    cursor_pages=True,
    domain_types=None,
    missing=V2_MISSING,
)


__all__ = [
    "CORE_BREAKDOWNS",
    "EXTRA_BREAKDOWNS",
    "Capabilities",
    "Collection",
    "CollectionDraft",
    "Membership",
    "PackageOverview",
    "PackageRef",
    "Page",
    "SearchHit",
    "TrackingPixel",
    "TrackingPixelDraft",
    "UserInfo",
    "V1_CAPABILITIES",
    "V2_CAPABILITIES",
]
