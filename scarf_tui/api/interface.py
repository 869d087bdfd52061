"""The methods every ScarfService offers, declared once so screens can rely on one type.

Each adapter (service_v1, service_v2) overrides what its API version has. What a version lacks
keeps the declaration here, which raises Unsupported with the sentence of
``capabilities.why_missing``: a screen shows why the action is missing, never a 404.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date

from scarf_tui.api.errors import ScarfError
from scarf_tui.api.models import (
    Capabilities,
    Collection,
    CollectionDraft,
    Membership,
    PackageOverview,
    Page,
    SearchHit,
    TrackingPixel,
    TrackingPixelDraft,
    UserInfo,
)
from scarf_tui.domain import (
    AggregateRow,
    Domain,
    Event,
    Grant,
    GrantChange,
    Member,
    MemberRole,
    Organization,
    OrganizationDraft,
    Package,
    PackageDraft,
    Route,
    RouteDraft,
)


class Unsupported(ScarfError):
    """The active API version has no endpoint for this action; the message says why."""


class ServiceInterface:
    """Declarations only. See scarf_tui.api.service.ScarfService."""

    api_version = "v1"

    @property
    def capabilities(self) -> Capabilities:
        raise NotImplementedError

    def unsupported(self, action: str) -> Unsupported:
        reason = self.capabilities.why_missing(action) or f"API {self.api_version} cannot do this ({action})."
        return Unsupported(reason)

    # --- organizations and members -------------------------------------------------------------

    async def get_organization(self, name: str) -> Organization:
        raise self.unsupported("get_organization")

    async def create_organization(self, draft: OrganizationDraft) -> Organization:
        raise self.unsupported("create_organization")

    async def update_organization(self, name: str, draft: OrganizationDraft) -> Organization:
        raise self.unsupported("update_organization")

    async def list_members(self, org: str) -> list[Member]:
        raise self.unsupported("list_members")

    def iter_member_pages(self, org: str) -> AsyncIterator[Page[Member]]:
        raise self.unsupported("list_members")

    async def get_member(self, org: str, username: str) -> Member:
        raise self.unsupported("member_get")

    async def upsert_member(self, org: str, username: str, role: MemberRole | str) -> None:
        """Add the user with ``role``, or change the role of a member."""
        raise self.unsupported("upsert_member")

    async def add_member(self, org: str, username: str, role: MemberRole | str) -> None:
        raise self.unsupported("add_member")

    async def change_member_role(self, org: str, username: str, role: MemberRole | str) -> None:
        raise self.unsupported("change_member_role")

    async def remove_member(self, org: str, username: str) -> None:
        raise self.unsupported("remove_member")

    async def get_user(self, username: str) -> UserInfo:
        raise self.unsupported("users")

    async def user_organizations(self, username: str) -> list[Membership]:
        raise self.unsupported("users")

    # --- packages ------------------------------------------------------------------------------

    async def list_packages(self) -> list[Package]:
        raise self.unsupported("list_packages")

    async def list_org_packages(self, org: str) -> list[Package]:
        raise self.unsupported("list_org_packages")

    async def list_owner_packages(self, owner: str) -> list[Package]:
        raise self.unsupported("list_owner_packages")

    def iter_package_pages(self, owner: str | None = None) -> AsyncIterator[Page[Package]]:
        """Pages of ``owner``'s packages (all packages this account sees when None) as they
        arrive; ``Page.status`` is "N so far…" until the last page."""
        raise self.unsupported("list_packages")

    async def packages_overview(self, owner: str) -> list[PackageOverview]:
        raise self.unsupported("overview")

    async def get_package(self, id_or_name: str, package_type: str | None = None, owner: str | None = None) -> Package:
        raise self.unsupported("get_package")

    async def create_package(
        self, draft: PackageDraft, *, route: RouteDraft | None = None, domain: str | None = None
    ) -> Package:
        raise self.unsupported("create_package")

    async def create_org_package(
        self, org: str, draft: PackageDraft, *, route: RouteDraft | None = None, domain: str | None = None
    ) -> Package:
        raise self.unsupported("create_package")

    async def update_package(self, uuid: str, draft: PackageDraft, owner: str | None = None) -> Package:
        raise self.unsupported("update_package")

    async def delete_package(self, uuid: str, owner: str | None = None) -> None:
        raise self.unsupported("delete_package")

    # --- permissions, routes, domains ------------------------------------------------------------

    async def list_permissions(self, uuid: str, owner: str | None = None) -> list[Grant]:
        raise self.unsupported("permissions")

    async def set_permissions(self, uuid: str, changes: Sequence[GrantChange], owner: str | None = None) -> None:
        raise self.unsupported("permissions")

    async def remove_permission(self, uuid: str, username: str, owner: str | None = None) -> None:
        raise self.unsupported("remove_access")

    async def list_routes(self, uuid: str, owner: str | None = None) -> list[Route]:
        raise self.unsupported("routes")

    async def create_route(self, uuid: str, draft: RouteDraft, owner: str | None = None) -> Route | None:
        raise self.unsupported("routes")

    async def delete_route(self, uuid: str, route_id: str, owner: str | None = None) -> None:
        raise self.unsupported("routes")

    async def get_route(self, uuid: str, route_id: str, owner: str | None = None) -> Route:
        raise self.unsupported("single_get")

    async def get_domain(self, uuid: str, domain_id: str, owner: str | None = None) -> Domain:
        raise self.unsupported("single_get")

    async def list_domains(self, uuid: str, owner: str | None = None) -> list[Domain]:
        raise self.unsupported("domains")

    async def create_domain(self, uuid: str, name: str, owner: str | None = None) -> Domain | None:
        raise self.unsupported("domains")

    async def delete_domain(self, uuid: str, domain_id: str, owner: str | None = None) -> None:
        raise self.unsupported("domains")

    # --- tracking pixels, collections, search ------------------------------------------------------

    async def list_pixels(self, owner: str) -> list[TrackingPixel]:
        raise self.unsupported("pixels")

    def iter_pixel_pages(self, owner: str) -> AsyncIterator[Page[TrackingPixel]]:
        raise self.unsupported("pixels")

    async def package_pixels(self, uuid: str, owner: str | None = None) -> list[TrackingPixel]:
        raise self.unsupported("pixels")

    async def get_pixel(self, owner: str, pixel_id: str) -> TrackingPixel:
        raise self.unsupported("pixels")

    async def create_pixel(self, owner: str, draft: TrackingPixelDraft) -> TrackingPixel:
        raise self.unsupported("pixels")

    async def update_pixel(self, owner: str, pixel_id: str, draft: TrackingPixelDraft) -> TrackingPixel:
        raise self.unsupported("pixels")

    async def delete_pixel(self, owner: str, pixel_id: str) -> None:
        raise self.unsupported("pixels")

    async def list_collections(self, owner: str) -> list[Collection]:
        raise self.unsupported("collections")

    def iter_collection_pages(self, owner: str) -> AsyncIterator[Page[Collection]]:
        raise self.unsupported("collections")

    async def get_collection(self, owner: str, collection_id: str) -> Collection:
        raise self.unsupported("collections")

    async def create_collection(self, owner: str, draft: CollectionDraft) -> Collection:
        raise self.unsupported("collections")

    async def update_collection(self, owner: str, collection_id: str, draft: CollectionDraft) -> Collection:
        raise self.unsupported("collections")

    async def delete_collection(self, owner: str, collection_id: str) -> None:
        raise self.unsupported("collections")

    async def search(self, query: str, context: str | None = None) -> list[SearchHit]:
        raise self.unsupported("search")

    # --- data export ---------------------------------------------------------------------------------

    def org_aggregates(self, org: str, start: date, end: date) -> AsyncIterator[AggregateRow]:
        raise self.unsupported("aggregates")

    def user_aggregates(self, username: str, start: date, end: date) -> AsyncIterator[AggregateRow]:
        raise self.unsupported("aggregates")

    def owner_aggregates(
        self, owner: str, start: date, end: date, *, rollup: str = "daily", breakdowns: Sequence[str] | None = None
    ) -> AsyncIterator[AggregateRow]:
        raise self.unsupported("aggregates")

    def package_events(self, package_id: str, start: date, end: date, owner: str | None = None) -> AsyncIterator[Event]:
        raise self.unsupported("events")

    def pixel_events(self, start: date, end: date, owner: str | None = None) -> AsyncIterator[Event]:
        raise self.unsupported("events")

    def owner_events(self, owner: str, start: date, end: date) -> AsyncIterator[Event]:
        raise self.unsupported("owner_events")

    def stream_package_events_csv(
        self, package_id: str, start: date, end: date, *, owner: str | None = None
    ) -> AsyncIterator[bytes]:
        raise self.unsupported("events")

    def stream_pixel_events_csv(
        self, start: date, end: date, *, owner: str | None = None, pixel_id: str | None = None
    ) -> AsyncIterator[bytes]:
        raise self.unsupported("events")

    def stream_owner_events_csv(self, owner: str, start: date, end: date) -> AsyncIterator[bytes]:
        raise self.unsupported("owner_events")


__all__ = ["ServiceInterface", "Unsupported"]
