"""The Scarf API v1 adapter: ScarfService over the v1 paths and camelCase wire models.

v1 lists are whole (no pages); packages are addressed by uuid alone; permission levels are
blocked/default/member/admin and can only be set, not removed. What v1 lacks (pixels,
collections, search, overview, rollups) raises Unsupported with the capability's sentence.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any

from scarf_tui.api import v1
from scarf_tui.api.errors import ValidationFailed
from scarf_tui.api.models import Page
from scarf_tui.api.service import (
    EVENTS_FILENAME,
    ScarfService,
    _q,
    _seg,
    answer_as,
    newest_named,
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


def _date_params(start: date, end: date) -> dict[str, str]:
    return {"startDate": start.isoformat(), "endDate": end.isoformat()}


class ScarfServiceV1(ScarfService):
    """Scarf API v1 as domain models."""

    api_version = "v1"

    # --- organizations -----------------------------------------------------------------------

    async def get_organization(self, name: str) -> Organization:
        what = f"organization {_q(name)}"
        return await self._get(
            f"/v1/organizations/{_seg(name)}",
            lambda d: v1.organization_from_v1(v1.parse_one(v1.OrganizationV1, d, what=what)),
            what=what,
        )

    async def create_organization(self, draft: OrganizationDraft) -> Organization:
        body = v1.organization_to_v1(draft).to_wire()
        answer = await self._write("POST", "/v1/organizations", what=f"organization {_q(draft.name)}", body=body)
        return await self._organization_after_write(answer, draft.name)

    async def update_organization(self, name: str, draft: OrganizationDraft) -> Organization:
        body = v1.organization_to_v1(draft).to_wire(clear=v1.ORGANIZATION_CLEARABLE)
        answer = await self._write(
            "PUT", f"/v1/organizations/{_seg(name)}", what=f"organization {_q(name)}", body=body
        )
        return await self._organization_after_write(answer, draft.name)

    async def _organization_after_write(self, answer: Any, name: str) -> Organization:
        if (organization := answer_as(v1.OrganizationV1, v1.organization_from_v1, answer)) is not None:
            return organization
        return await self.get_organization(name)

    async def list_org_packages(self, org: str) -> list[Package]:
        return await self._get_list(
            f"/v1/organizations/{_seg(org)}/packages", v1.PackageV1, v1.package_from_v1,
            what=f"organization {_q(org)}", items=f"packages of organization {_q(org)}",
        )

    async def create_org_package(self, org: str, draft: PackageDraft, **_: Any) -> Package:
        body = v1.package_to_v1(draft).to_wire()
        answer = await self._write(
            "POST", f"/v1/organizations/{_seg(org)}/packages", what=f"organization {_q(org)}", body=body
        )
        if (package := answer_as(v1.PackageV1, v1.package_from_v1, answer)) is not None:
            return package
        return newest_named(await self.list_org_packages(org), draft.name)

    async def list_members(self, org: str) -> list[Member]:
        return await self._get_list(
            f"/v1/organizations/{_seg(org)}/users", v1.OrganizationMemberV1, v1.member_from_v1,
            what=f"organization {_q(org)}", items=f"members of organization {_q(org)}",
        )

    async def upsert_member(self, org: str, username: str, role: MemberRole | str) -> None:
        body = v1.member_to_v1(username, role).to_wire()
        await self._write("POST", f"/v1/organizations/{_seg(org)}/users", what=f"organization {_q(org)}", body=body)

    async def add_member(self, org: str, username: str, role: MemberRole | str) -> None:
        await self.upsert_member(org, username, role)

    async def change_member_role(self, org: str, username: str, role: MemberRole | str) -> None:
        await self.upsert_member(org, username, role)

    async def remove_member(self, org: str, username: str) -> None:
        await self._write(
            "DELETE",
            f"/v1/organizations/{_seg(org)}/users/{_seg(username)}",
            what=f"member {_q(username)} of organization {_q(org)}",
        )

    # --- packages ----------------------------------------------------------------------------

    async def list_packages(self) -> list[Package]:
        return await self._get_list(
            "/v1/packages", v1.PackageV1, v1.package_from_v1, what="your packages", items="your packages"
        )

    async def list_owner_packages(self, owner: str) -> list[Package]:
        """Packages of one owner (an organization's list, or the user's own packages)."""
        if await self.is_organization(owner):
            return await self.list_org_packages(owner)
        return [p for p in await self.list_packages() if p.owner == owner]

    def iter_package_pages(self, owner: str | None = None) -> AsyncIterator[Page[Package]]:
        return self._one_page(lambda: self.list_owner_packages(owner) if owner else self.list_packages())

    def iter_member_pages(self, org: str) -> AsyncIterator[Page[Member]]:
        return self._one_page(lambda: self.list_members(org))

    async def get_package(
        self, id_or_name: str, package_type: str | None = None, owner: str | None = None
    ) -> Package:
        what = f"package {_q(id_or_name)}" + (f" of type {_q(package_type)}" if package_type else "")
        package = await self._get(
            f"/v1/packages/{_seg(id_or_name)}",
            lambda d: v1.package_from_v1(v1.parse_one(v1.PackageV1, d, what=what)),
            what=what,
            params={"packageType": package_type} if package_type else None,
        )
        return package

    async def create_package(self, draft: PackageDraft, **_: Any) -> Package:
        body = v1.package_to_v1(draft).to_wire()
        answer = await self._write("POST", "/v1/packages", what=f"package {_q(draft.name)}", body=body)
        if (package := answer_as(v1.PackageV1, v1.package_from_v1, answer)) is not None:
            return package
        return newest_named(await self.list_packages(), draft.name)

    async def update_package(self, uuid: str, draft: PackageDraft, owner: str | None = None) -> Package:
        """PUT the draft. Empty website/longDescription clear them; libraryType can't change."""
        body = v1.package_to_v1(draft).to_wire(clear=v1.PACKAGE_CLEARABLE)
        answer = await self._write("PUT", f"/v1/packages/{_seg(uuid)}", what=f"package {_q(uuid)}", body=body)
        if (package := answer_as(v1.PackageV1, v1.package_from_v1, answer)) is not None:
            return package
        return await self.get_package(uuid)

    async def delete_package(self, uuid: str, owner: str | None = None) -> None:
        await self._write("DELETE", f"/v1/packages/{_seg(uuid)}", what=f"package {_q(uuid)}")

    # --- permissions, routes, domains --------------------------------------------------------

    async def list_permissions(self, uuid: str, owner: str | None = None) -> list[Grant]:
        return await self._get_list(
            f"/v1/packages/{_seg(uuid)}/permissions", v1.PackagePermissionGetV1, v1.grant_from_v1,
            what=f"package {_q(uuid)}", items=f"permissions of package {_q(uuid)}",
        )

    async def set_permissions(self, uuid: str, changes: Sequence[GrantChange], owner: str | None = None) -> None:
        """Apply several changes in one request (v1 accepts an array)."""
        if not changes:
            return
        body = [v1.grant_change_to_v1(c).to_wire() for c in changes]
        await self._write(
            "POST", f"/v1/packages/{_seg(uuid)}/permissions", what=f"package {_q(uuid)}", body=body, idempotent=True
        )

    async def list_routes(self, uuid: str, owner: str | None = None) -> list[Route]:
        return await self._get_list(
            f"/v1/packages/{_seg(uuid)}/routes", v1.PackageRouteV1, v1.route_from_v1,
            what=f"package {_q(uuid)}", items=f"routes of package {_q(uuid)}",
        )

    async def create_route(self, uuid: str, draft: RouteDraft, owner: str | None = None) -> Route | None:
        """The created route when the server answers with it, else None (re-read the list)."""
        body = v1.route_to_v1(draft).to_wire()
        answer = await self._write("POST", f"/v1/packages/{_seg(uuid)}/routes", what=f"package {_q(uuid)}", body=body)
        return answer_as(v1.PackageRouteV1, v1.route_from_v1, answer)

    async def delete_route(self, uuid: str, route_id: str, owner: str | None = None) -> None:
        await self._write(
            "DELETE",
            f"/v1/packages/{_seg(uuid)}/routes/{_seg(route_id)}",
            what=f"route {_q(route_id)} of package {_q(uuid)}",
        )

    async def list_domains(self, uuid: str, owner: str | None = None) -> list[Domain]:
        return await self._get_list(
            f"/v1/packages/{_seg(uuid)}/domains", v1.PackageDomainV1, v1.domain_from_v1,
            what=f"package {_q(uuid)}", items=f"domains of package {_q(uuid)}",
        )

    async def create_domain(self, uuid: str, name: str, owner: str | None = None) -> Domain | None:
        """The created domain when the server answers with it, else None (re-read the list)."""
        body = v1.CreatePackageDomainV1(name=name).to_wire()
        answer = await self._write("POST", f"/v1/packages/{_seg(uuid)}/domains", what=f"package {_q(uuid)}", body=body)
        return answer_as(v1.PackageDomainV1, v1.domain_from_v1, answer)

    async def delete_domain(self, uuid: str, domain_id: str, owner: str | None = None) -> None:
        await self._write(
            "DELETE",
            f"/v1/packages/{_seg(uuid)}/domains/{_seg(domain_id)}",
            what=f"domain {_q(domain_id)} of package {_q(uuid)}",
        )

    # --- data export: aggregates ---------------------------------------------------------------

    def org_aggregates(self, org: str, start: date, end: date) -> AsyncIterator[AggregateRow]:
        """AggregateV1 rows of an organization's packages for [start, end), yielded as the
        NDJSON arrives."""
        return self._ndjson_rows(
            f"/v1/organizations/{_seg(org)}/aggregates", _date_params(start, end), start, end,
            owner=f"organization {_q(org)}", label=f"aggregates of organization {_q(org)}",
        )

    def user_aggregates(self, username: str, start: date, end: date) -> AsyncIterator[AggregateRow]:
        """AggregateV1 rows of a user's packages for [start, end), yielded as the NDJSON arrives."""
        return self._ndjson_rows(
            f"/v1/users/{_seg(username)}/aggregates", _date_params(start, end), start, end,
            owner=f"user {_q(username)}", label=f"aggregates of user {_q(username)}",
        )

    async def owner_aggregates(
        self,
        owner: str,
        start: date,
        end: date,
        *,
        rollup: str = "daily",
        breakdowns: Sequence[str] | None = None,
    ) -> AsyncIterator[AggregateRow]:
        """Daily rows of every breakdown (v1 has no rollups and no breakdown filter; rows of
        other breakdowns than ``breakdowns`` are dropped here)."""
        if rollup != "daily":
            raise self.unsupported("rollups")
        kind = await self.owner_kind(owner)
        if kind == "organization":
            rows = self.org_aggregates(owner, start, end)
        else:
            rows = self.user_aggregates(owner, start, end)
        wanted = set(breakdowns or ())
        async for row in rows:
            if not wanted or row.breakdown in wanted:
                yield row

    # --- data export: events -----------------------------------------------------------------

    def package_events(
        self, package_id: str, start: date, end: date, owner: str | None = None
    ) -> AsyncIterator[Event]:
        """Events of one package in [start, end), fetched in <= 31-day windows in order.

        With ``owner`` the later v1 path ``/v1/packages/{owner}/{id}/events/...`` is used;
        without it the original ``/v1/packages/{id}/events/...``."""
        return self._events_over_windows(
            lambda s, e: self.stream_package_events_csv(package_id, s, e, owner=owner), start, end
        )

    def pixel_events(self, start: date, end: date, owner: str | None = None) -> AsyncIterator[Event]:
        """Documentation-pixel events in [start, end), fetched in <= 31-day windows in order."""
        return self._events_over_windows(lambda s, e: self.stream_pixel_events_csv(s, e), start, end)

    def stream_package_events_csv(
        self, package_id: str, start: date, end: date, *, owner: str | None = None
    ) -> AsyncIterator[bytes]:
        """ONE window (at most 31 days, else ValidationFailed) of a package's events CSV, raw:
        each physical line as bytes with its terminator, header first."""
        if owner:
            path = f"/v1/packages/{_seg(owner)}/{_seg(package_id)}/events/{EVENTS_FILENAME}.csv"
        else:
            path = f"/v1/packages/{_seg(package_id)}/events/{EVENTS_FILENAME}.csv"
        subject = f"package {_q(owner + '/' + package_id)}" if owner else f"package {_q(package_id)}"
        return self._csv_lines(
            path, _date_params(start, end), start, end, owner=subject, label=f"events of package {_q(package_id)}"
        )

    def stream_pixel_events_csv(
        self, start: date, end: date, *, owner: str | None = None, pixel_id: str | None = None
    ) -> AsyncIterator[bytes]:
        """ONE window (at most 31 days) of the pixel events CSV, raw lines as in
        ``stream_package_events_csv``. v1 exports all of your pixels at once."""
        if pixel_id:
            raise ValidationFailed("API v1 exports the events of all your pixels at once, not of one pixel.")
        return self._csv_lines(
            f"/v1/pixels/events/{EVENTS_FILENAME}.csv", _date_params(start, end), start, end,
            owner="your pixels", label="pixel events",
        )


__all__ = ["ScarfServiceV1"]
