"""Scarf API v2 wire models (snake_case, as the Scarf API v2 OpenAPI spec names them) and
converters to the domain models; request bodies are built in v2_bodies (re-exported here).

Answers are read leniently: unknown fields are ignored, fields the spec marks required but the
UI can do without (timestamps, links) are optional, and enumerations the server may extend
(package types, roles, levels) are kept as text. A missing field the UI needs becomes
InvalidResponse naming it (through ``v1.parse_one``, shared by both versions).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import ConfigDict, Field

from scarf_tui.api.errors import InvalidResponse
from scarf_tui.api.models import (
    Collection,
    Membership,
    PackageOverview,
    PackageRef,
    SearchHit,
    TrackingPixel,
    UserInfo,
)
from scarf_tui.api.v1 import WireModel, parse_one
from scarf_tui.api.v2_bodies import (  # noqa: F401  (re-exported: the adapter reads both halves as v2.*)
    BREAKDOWN_FROM_V2,
    BREAKDOWN_TO_V2,
    MEMBER_ROLES,
    PACKAGE_TYPES,
    PERMISSION_LEVELS,
    ROLLUPS,
    aggregate_v2_to_v1_shape,
    breakdown_params,
    collection_to_v2,
    level_to_v2,
    member_role_to_v2,
    organization_to_v2,
    package_to_v2,
    package_type_of,
    pixel_to_v2,
    route_to_v2,
)
from scarf_tui.domain import (
    Domain,
    Grant,
    Member,
    MemberRole,
    Organization,
    Package,
    PermissionLevel,
    Route,
)


class V2Model(WireModel):
    """v2 answers: snake_case names, so no aliases; unknown fields ignored."""

    model_config = ConfigDict(
        populate_by_name=True, extra="ignore", frozen=True, coerce_numbers_to_str=True, defer_build=True
    )


class UserV2(V2Model):
    name: str
    type: str = "user"
    id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class OrganizationV2(V2Model):
    name: str
    id: str | None = None
    description: str | None = None
    billing_email: str | None = None
    website: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class UpdateOrganizationV2(V2Model):
    name: str
    billing_email: str
    description: str | None = None
    website: str | None = None


class OrganizationMemberV2(V2Model):
    username: str
    role: str
    user_id: str | None = None


class OrganizationMembershipV2(V2Model):
    organization_name: str
    role: str
    organization_id: str | None = None
    organization_description: str | None = None
    organization_website: str | None = None


class PackageIdentifierV2(V2Model):
    id: str
    name: str
    owner: str
    type: str | None = None


class PackageV2(V2Model):
    id: str
    name: str
    owner: str
    type: str | None = None
    short_description: str | None = None
    long_description: str | None = None
    website: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    backend_registry: str | None = None  # docker
    repository_name: str | None = None  # docker
    repository_url: str | None = None  # python


class DomainV2(V2Model):
    id: str
    name: str
    owner: str | None = None
    package_id: str | None = None
    created_at: datetime | None = None


class OverviewPackageV2(V2Model):
    package: PackageV2
    domains: list[DomainV2] = Field(default_factory=list)


class PackageRouteV2(V2Model):
    id: str
    incoming_path: str
    outgoing_url: str
    owner: str | None = None
    package_id: str | None = None
    created_at: datetime | None = None


class PackagePermissionV2(V2Model):
    username: str
    permission_level: str
    user_id: str | None = None


class TrackingPixelV2(V2Model):
    id: str
    owner: str
    name: str | None = None
    package: PackageIdentifierV2 | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class CollectionV2(V2Model):
    id: str
    owner: str
    pattern: str
    public_domain: str = ""
    backend_domain: str = ""
    type: str = "docker"
    created_at: datetime | None = None
    updated_at: datetime | None = None


class SearchPixelV2(V2Model):
    id: str
    owner: str
    name: str = ""
    package: PackageIdentifierV2 | None = None


class SearchResultV2(V2Model):
    type: str
    package: PackageIdentifierV2 | None = None
    tracking_pixel: SearchPixelV2 | None = Field(default=None, alias="tracking-pixel")


# --- converters: answers -> domain -----------------------------------------------------------------


def _text(value: Any) -> str:
    return value.value if isinstance(value, Enum) else str(value)


def _enum_or_text(enum: type[Enum], value: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        return value


def user_from_v2(m: UserV2) -> UserInfo:
    return UserInfo(name=m.name, kind=m.type, id=m.id, created_at=m.created_at, updated_at=m.updated_at)


def organization_from_v2(m: OrganizationV2) -> Organization:
    return Organization(
        name=m.name,
        description=m.description or "",
        billing_email=m.billing_email or "",
        created_at=m.created_at,
        updated_at=m.updated_at,
        website=m.website or None,  # "" is how v2 says "no website" (a string, never null)
    )


def member_from_v2(m: OrganizationMemberV2, org: str) -> Member:
    return Member(organization=org, username=m.username, role=_enum_or_text(MemberRole, m.role))


def membership_from_v2(m: OrganizationMembershipV2) -> Membership:
    return Membership(
        organization=m.organization_name,
        role=m.role,
        organization_id=m.organization_id,
        description=m.organization_description,
        website=m.organization_website or None,
    )


def package_from_v2(m: PackageV2) -> Package:
    return Package(
        uuid=m.id,
        owner=m.owner,
        name=m.name,
        short_description=m.short_description or "",
        created_at=m.created_at,
        long_description=m.long_description,
        website=m.website,
        library_type=m.type,
    )


def ref_from_v2(m: PackageIdentifierV2) -> PackageRef:
    return PackageRef(id=m.id, owner=m.owner, name=m.name, package_type=m.type)


def domain_from_v2(m: DomainV2) -> Domain:
    return Domain(id=m.id, name=m.name)


def overview_from_v2(m: OverviewPackageV2) -> PackageOverview:
    return PackageOverview(package=package_from_v2(m.package), domains=tuple(domain_from_v2(d) for d in m.domains))


def route_from_v2(m: PackageRouteV2) -> Route:
    return Route(id=m.id, template_path=m.incoming_path, outgoing_url=m.outgoing_url)


def grant_from_v2(m: PackagePermissionV2) -> Grant:
    return Grant(username=m.username, level=_enum_or_text(PermissionLevel, m.permission_level))


def pixel_from_v2(m: TrackingPixelV2) -> TrackingPixel:
    return TrackingPixel(
        id=m.id,
        owner=m.owner,
        name=m.name or "",
        package=ref_from_v2(m.package) if m.package else None,
        created_at=m.created_at,
        updated_at=m.updated_at,
    )


def collection_from_v2(m: CollectionV2) -> Collection:
    return Collection(
        id=m.id,
        owner=m.owner,
        pattern=m.pattern,
        public_domain=m.public_domain,
        backend_domain=m.backend_domain,
        collection_type=m.type,
        created_at=m.created_at,
        updated_at=m.updated_at,
    )


def search_hit_from_v2(m: SearchResultV2) -> SearchHit | None:
    """A search result as a SearchHit; None for a kind this client does not know."""
    if m.type == "package" and m.package is not None:
        p = m.package
        return SearchHit(kind="package", id=p.id, owner=p.owner, name=p.name, package_type=p.type)
    if m.type == "tracking-pixel" and m.tracking_pixel is not None:
        px = m.tracking_pixel
        return SearchHit(
            kind="tracking-pixel", id=px.id, owner=px.owner, name=px.name,
            package=ref_from_v2(px.package) if px.package else None,
        )
    return None


def parse_search(data: Any) -> list[SearchHit]:
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise InvalidResponse("The server's answer to the search is not an object with 'results'.")
    hits = [search_hit_from_v2(parse_one(SearchResultV2, item, what="the search")) for item in data["results"]]
    return [h for h in hits if h is not None]


