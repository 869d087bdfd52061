"""The Scarf API v2 adapter, part one: pages, users, organizations, members, packages,
permissions, routes and domains (part two, service_v2, adds pixels, collections, search, exports).

What differs from v1 stops here:
- packages are scoped by owner (``/v2/packages/{owner}/{package_id}``). Screens still pass a
  package id alone: the owner of every package this service has seen is remembered, and an
  unknown one is looked up in the lists of the known owners;
- there is no "all my packages": ``list_packages`` joins the lists of the user (the configured
  username), the configured organizations and the organizations ``users/{username}/organizations``
  names;
- lists are cursor-paginated (scarf_tui.api.pages), some answer a bare array;
- permission levels are member/admin/owner; v1's blocked/default mean "no grant", so a change to
  them removes the user's permission (DELETE by username);
- aggregates take ``rollup`` and ``breakdown`` and name the package ``artifact``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from scarf_tui.api import v2
from scarf_tui.api.errors import AuthError, NotFound, ValidationFailed
from scarf_tui.api.models import V2_CAPABILITIES, Capabilities, Membership, PackageOverview, Page, UserInfo
from scarf_tui.api.pages import ReadAhead, iter_raw_pages
from scarf_tui.api.service import M, ScarfService, _q, _seg, answer_as, newest_named
from scarf_tui.api.v1 import parse_one
from scarf_tui.domain import (
    Domain,
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

T = TypeVar("T")
NO_GRANT_LEVELS = ("blocked", "default")  # v1 levels that mean "no v2 grant"


def _dates(start: date, end: date) -> dict[str, str]:
    return {"start_date": start.isoformat(), "end_date": end.isoformat()}


class ScarfServiceV2Core(ScarfService):
    """Scarf API v2 as domain models: the package side."""

    api_version = "v2"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._owners: dict[str, str] = {}  # package id -> owner, kept across invalidations

    @property
    def capabilities(self) -> Capabilities:
        return V2_CAPABILITIES

    # --- lists: cursor pages, cached when complete ------------------------------------------------

    async def _iter_pages(
        self, path: str, model: type[M], convert: Callable[[M], T], *, what: str, items: str,
        params: Mapping[str, str] | None = None,
    ) -> AsyncIterator[Page[T]]:
        key = (path, tuple(sorted((params or {}).items())))
        if key in self._cache:
            found = self._cached(key)
            yield Page(items=found, so_far=len(found), done=True)
            return
        generation = self._generation
        collected: list[T] = []
        number = 0
        async for raw, done in iter_raw_pages(self._api, path, params, what=what, items=items):
            page = [convert(parse_one(model, item, what=items)) for item in raw]
            collected.extend(page)
            number += 1
            yield Page(items=page, so_far=len(collected), done=done, number=number)
        self._store(key, generation, collected)

    async def _all(
        self, path: str, model: type[M], convert: Callable[[M], T], *, what: str, items: str,
        params: Mapping[str, str] | None = None,
    ) -> list[T]:
        out: list[T] = []
        async for page in self._iter_pages(path, model, convert, what=what, items=items, params=params):
            out.extend(page.items)
        return out

    def _package(self, m: v2.PackageV2) -> Package:
        self._owners[m.id] = m.owner
        return v2.package_from_v2(m)

    # --- users and organizations ---------------------------------------------------------------

    async def get_user(self, username: str) -> UserInfo:
        what = f"user {_q(username)}"
        return await self._get(
            f"/v2/users/{_seg(username)}", lambda d: v2.user_from_v2(parse_one(v2.UserV2, d, what=what)), what=what
        )

    async def user_organizations(self, username: str) -> list[Membership]:
        return await self._all(
            f"/v2/users/{_seg(username)}/organizations", v2.OrganizationMembershipV2, v2.membership_from_v2,
            what=f"user {_q(username)}", items=f"organizations of user {_q(username)}",
        )

    async def _member_organizations(self) -> list[str]:
        if not self.username:
            return []
        try:
            return [m.organization for m in await self.user_organizations(self.username)]
        except (NotFound, AuthError):
            return []

    async def _organizations_among(self, owners: list[str]) -> list[str]:
        return [o for o in owners if await self.is_organization(o)]

    async def owner_kind(self, name: str) -> str:
        try:
            return "organization" if (await self.get_user(name)).kind == "organization" else "user"
        except NotFound:
            return await super().owner_kind(name)

    async def get_organization(self, name: str) -> Organization:
        what = f"organization {_q(name)}"
        return await self._get(
            f"/v2/organizations/{_seg(name)}",
            lambda d: v2.organization_from_v2(parse_one(v2.OrganizationV2, d, what=what)),
            what=what,
        )

    async def update_organization(self, name: str, draft: OrganizationDraft) -> Organization:
        what = f"organization {_q(name)}"
        body = v2.organization_to_v2(draft)
        answer = await self._write("PUT", f"/v2/organizations/{_seg(name)}", what=what, body=body)
        found = answer_as(v2.OrganizationV2, v2.organization_from_v2, answer)
        return found if found is not None else await self.get_organization(draft.name)

    def iter_member_pages(self, org: str) -> AsyncIterator[Page[Member]]:
        return self._iter_pages(
            f"/v2/organizations/{_seg(org)}/members", v2.OrganizationMemberV2, lambda m: v2.member_from_v2(m, org),
            what=f"organization {_q(org)}", items=f"members of organization {_q(org)}",
        )

    async def list_members(self, org: str) -> list[Member]:
        return [m async for page in self.iter_member_pages(org) for m in page.items]

    async def get_member(self, org: str, username: str) -> Member:
        what = f"member {_q(username)} of organization {_q(org)}"
        return await self._get(
            f"/v2/organizations/{_seg(org)}/members/{_seg(username)}",
            lambda d: v2.member_from_v2(parse_one(v2.OrganizationMemberV2, d, what=what), org),
            what=what,
        )

    async def add_member(self, org: str, username: str, role: MemberRole | str) -> None:
        body = {"username": username, "role": v2.member_role_to_v2(role)}
        if not username.strip():
            raise ValidationFailed("The username must not be empty.", field_errors={"username": ["Must not be empty."]})
        await self._write("POST", f"/v2/organizations/{_seg(org)}/members", what=f"organization {_q(org)}", body=body)

    async def change_member_role(self, org: str, username: str, role: MemberRole | str) -> None:
        await self._write(
            "PUT", f"/v2/organizations/{_seg(org)}/members/{_seg(username)}",
            what=f"member {_q(username)} of organization {_q(org)}", body={"role": v2.member_role_to_v2(role)},
        )

    async def upsert_member(self, org: str, username: str, role: MemberRole | str) -> None:
        if any(m.username == username for m in await self.list_members(org)):
            await self.change_member_role(org, username, role)
        else:
            await self.add_member(org, username, role)

    async def remove_member(self, org: str, username: str) -> None:
        await self._write(
            "DELETE", f"/v2/organizations/{_seg(org)}/members/{_seg(username)}",
            what=f"member {_q(username)} of organization {_q(org)}",
        )

    # --- packages ----------------------------------------------------------------------------

    async def _owners_to_list(self) -> list[str]:
        owners = [o for o in dict.fromkeys([self.username or "", *self.configured_orgs]) if o]
        owners += [o for o in await self._member_organizations() if o not in owners]
        if not owners:
            raise ValidationFailed(
                "API v2 lists packages per owner: set your Scarf username (username in config.toml, "
                "SCARF_USERNAME, or the welcome screen).",
                field_errors={"username": ["Needed with API v2."]},
            )
        return owners

    def _owner_pages(self, owner: str) -> AsyncIterator[Page[Package]]:
        return self._iter_pages(
            f"/v2/packages/{_seg(owner)}", v2.PackageV2, self._package,
            what=f"owner {_q(owner)}", items=f"packages of {_q(owner)}",
        )

    async def iter_package_pages(self, owner: str | None = None) -> AsyncIterator[Page[Package]]:
        """Every owner's pages in owner order. All owners are asked at once (the client bounds
        the requests in flight), the user's own list together with their organizations: over a
        real network the list costs about two round trips, not one per owner."""
        ahead: dict[str, ReadAhead[Page[Package]]] = {}
        try:
            if owner:
                owners = [owner]
            else:
                known = [o for o in dict.fromkeys([self.username or "", *self.configured_orgs]) if o]
                ahead = {name: ReadAhead(self._owner_pages(name)) for name in known}
                owners = await self._owners_to_list()
                ahead.update({name: ReadAhead(self._owner_pages(name)) for name in owners if name not in ahead})
            so_far = 0
            number = 0
            for index, name in enumerate(owners):
                last_owner = index == len(owners) - 1
                try:
                    async for page in ahead[name].items() if name in ahead else self._owner_pages(name):
                        so_far += len(page.items)
                        number += 1
                        yield Page(items=page.items, so_far=so_far, done=page.done and last_owner, number=number)
                except (NotFound, AuthError):
                    if owner or name == self.username:
                        raise
                    if last_owner:  # an organization this account can't list adds nothing
                        yield Page(items=[], so_far=so_far, done=True, number=number + 1)
        finally:
            for stream in ahead.values():
                stream.cancel()

    async def list_owner_packages(self, owner: str) -> list[Package]:
        return [p async for page in self._owner_pages(owner) for p in page.items]

    async def list_org_packages(self, org: str) -> list[Package]:
        return await self.list_owner_packages(org)

    async def list_packages(self) -> list[Package]:
        """Every owner's list (asked for at once: see iter_package_pages), each package once."""
        seen: dict[str, Package] = {}
        async for page in self.iter_package_pages():
            for package in page.items:
                seen.setdefault(package.uuid, package)
        return list(seen.values())

    async def packages_overview(self, owner: str) -> list[PackageOverview]:
        def convert(m: v2.OverviewPackageV2) -> PackageOverview:
            self._owners[m.package.id] = m.package.owner
            return v2.overview_from_v2(m)

        return await self._all(
            f"/v2/packages/{_seg(owner)}/overview", v2.OverviewPackageV2, convert,
            what=f"owner {_q(owner)}", items=f"overview of the packages of {_q(owner)}",
        )

    async def _owner_of(self, uuid: str, owner: str | None) -> str:
        if owner:
            return owner
        if uuid in self._owners:
            return self._owners[uuid]
        await self.list_packages()
        if uuid in self._owners:
            return self._owners[uuid]
        raise NotFound(f"Package {_q(uuid)} is not among the packages of the owners this account knows.")

    async def _package_by_id(self, owner: str, uuid: str) -> Package:
        what = f"package {_q(owner + '/' + uuid)}"
        return await self._get(
            f"/v2/packages/{_seg(owner)}/{_seg(uuid)}",
            lambda d: self._package(parse_one(v2.PackageV2, d, what=what)), what=what,
        )

    async def get_package(self, id_or_name: str, package_type: str | None = None, owner: str | None = None) -> Package:
        owner = owner or self._owners.get(id_or_name)
        if owner and package_type and package_type in v2.PACKAGE_TYPES:
            what = f"package {_q(owner + '/' + id_or_name)} of type {_q(package_type)}"
            try:
                return await self._get(
                    f"/v2/packages/{_seg(owner)}/{_seg(package_type)}/{_seg(id_or_name)}",
                    lambda d: self._package(parse_one(v2.PackageV2, d, what=what)), what=what,
                )
            except NotFound:
                pass
        if owner:
            try:
                return await self._package_by_id(owner, id_or_name)
            except NotFound:
                candidates = await self.list_owner_packages(owner)
        else:
            candidates = await self.list_packages()
        return _pick(candidates, id_or_name, package_type)

    async def create_package(
        self, draft: PackageDraft, *, route: RouteDraft | None = None, domain: str | None = None
    ) -> Package:
        if not self.username:
            await self._owners_to_list()  # raises the "set your username" sentence
        return await self.create_org_package(self.username or "", draft, route=route, domain=domain)

    async def create_org_package(
        self, org: str, draft: PackageDraft, *, route: RouteDraft | None = None, domain: str | None = None
    ) -> Package:
        body = v2.package_to_v2(draft, creating=True, route=route, domain=domain)
        answer = await self._write("POST", f"/v2/packages/{_seg(org)}", what=f"owner {_q(org)}", body=body)
        found = answer_as(v2.PackageV2, self._package, answer)
        return found if found is not None else newest_named(await self.list_owner_packages(org), draft.name)

    async def update_package(self, uuid: str, draft: PackageDraft, owner: str | None = None) -> Package:
        owner = await self._owner_of(uuid, owner)
        if not draft.library_type:
            current = await self._package_by_id(owner, uuid)
            draft = _with_type(draft, current.library_type)
        body = v2.package_to_v2(draft, creating=False)
        path = f"/v2/packages/{_seg(owner)}/{_seg(uuid)}"
        answer = await self._write("PUT", path, what=f"package {_q(uuid)}", body=body)
        found = answer_as(v2.PackageV2, self._package, answer)
        return found if found is not None else await self._package_by_id(owner, uuid)

    async def delete_package(self, uuid: str, owner: str | None = None) -> None:
        owner = await self._owner_of(uuid, owner)
        await self._write("DELETE", f"/v2/packages/{_seg(owner)}/{_seg(uuid)}", what=f"package {_q(uuid)}")

    # --- permissions, routes, domains ------------------------------------------------------------

    async def _part(self, uuid: str, owner: str | None, part: str) -> str:
        return f"/v2/packages/{_seg(await self._owner_of(uuid, owner))}/{_seg(uuid)}/{part}"

    async def list_permissions(self, uuid: str, owner: str | None = None) -> list[Grant]:
        return await self._all(
            await self._part(uuid, owner, "permissions"), v2.PackagePermissionV2, v2.grant_from_v2,
            what=f"package {_q(uuid)}", items=f"permissions of package {_q(uuid)}",
        )

    async def set_permissions(self, uuid: str, changes: Sequence[GrantChange], owner: str | None = None) -> None:
        """One request per change (v2 sets one user at a time). A change to v1's blocked or
        default removes the user's permission: v2 has no such levels."""
        bodies: list[tuple[str, str | None]] = []
        for change in changes:
            level = change.level.value if hasattr(change.level, "value") else str(change.level)
            if not change.user_query.strip():
                raise ValidationFailed(
                    "The username must not be empty.", field_errors={"username": ["Must not be empty."]}
                )
            if "@" in change.user_query:
                raise ValidationFailed(
                    "API v2 finds users by username only, not by email: enter the Scarf username.",
                    field_errors={"username": ["A username, not an email address."]},
                )
            bodies.append((change.user_query, None if level in NO_GRANT_LEVELS else v2.level_to_v2(level)))
        path = await self._part(uuid, owner, "permissions")
        for username, wire_level in bodies:
            if wire_level is None:
                await self._write("DELETE", f"{path}/{_seg(username)}", what=f"the permission of {_q(username)}")
            else:
                body = {"username": username, "permission_level": wire_level}
                await self._write("POST", path, what=f"package {_q(uuid)}", body=body, idempotent=True)

    async def remove_permission(self, uuid: str, username: str, owner: str | None = None) -> None:
        path = await self._part(uuid, owner, f"permissions/{_seg(username)}")
        await self._write("DELETE", path, what=f"the permission of {_q(username)} on package {_q(uuid)}")

    async def list_routes(self, uuid: str, owner: str | None = None) -> list[Route]:
        return await self._all(
            await self._part(uuid, owner, "routes"), v2.PackageRouteV2, v2.route_from_v2,
            what=f"package {_q(uuid)}", items=f"routes of package {_q(uuid)}",
        )

    async def create_route(self, uuid: str, draft: RouteDraft, owner: str | None = None) -> Route | None:
        path = await self._part(uuid, owner, "routes")
        answer = await self._write("POST", path, what=f"package {_q(uuid)}", body=v2.route_to_v2(draft))
        return answer_as(v2.PackageRouteV2, v2.route_from_v2, answer)

    async def get_route(self, uuid: str, route_id: str, owner: str | None = None) -> Route:
        what = f"route {_q(route_id)} of package {_q(uuid)}"
        return await self._get(
            await self._part(uuid, owner, f"routes/{_seg(route_id)}"),
            lambda d: v2.route_from_v2(parse_one(v2.PackageRouteV2, d, what=what)), what=what,
        )

    async def get_domain(self, uuid: str, domain_id: str, owner: str | None = None) -> Domain:
        what = f"domain {_q(domain_id)} of package {_q(uuid)}"
        return await self._get(
            await self._part(uuid, owner, f"domains/{_seg(domain_id)}"),
            lambda d: v2.domain_from_v2(parse_one(v2.DomainV2, d, what=what)), what=what,
        )

    async def delete_route(self, uuid: str, route_id: str, owner: str | None = None) -> None:
        path = await self._part(uuid, owner, f"routes/{_seg(route_id)}")
        await self._write("DELETE", path, what=f"route {_q(route_id)} of package {_q(uuid)}")

    async def list_domains(self, uuid: str, owner: str | None = None) -> list[Domain]:
        return await self._all(
            await self._part(uuid, owner, "domains"), v2.DomainV2, v2.domain_from_v2,
            what=f"package {_q(uuid)}", items=f"domains of package {_q(uuid)}",
        )

    async def create_domain(self, uuid: str, name: str, owner: str | None = None) -> Domain | None:
        path = await self._part(uuid, owner, "domains")
        answer = await self._write("POST", path, what=f"package {_q(uuid)}", body={"name": name})
        return answer_as(v2.DomainV2, v2.domain_from_v2, answer)

    async def delete_domain(self, uuid: str, domain_id: str, owner: str | None = None) -> None:
        path = await self._part(uuid, owner, f"domains/{_seg(domain_id)}")
        await self._write("DELETE", path, what=f"domain {_q(domain_id)} of package {_q(uuid)}")


def _pick(candidates: Iterable[Package], id_or_name: str, package_type: str | None) -> Package:
    by_id = [p for p in candidates if p.uuid == id_or_name]
    if by_id:
        return by_id[0]
    named = [
        p for p in candidates if p.name == id_or_name and (package_type is None or p.library_type == package_type)
    ]
    if not named:
        suffix = f" of type {_q(package_type)}" if package_type else ""
        raise NotFound(f"Package {_q(id_or_name)}{suffix} was not found (404).", status=404)
    if len(named) > 1:
        kinds = sorted({str(p.library_type) for p in named})
        several_kinds = package_type is None and len(kinds) > 1
        hint = f"give the package type ({', '.join(kinds)})" if several_kinds else "use its id"
        owners = ", ".join(sorted(f"{p.owner}/{p.name} ({p.library_type})" for p in named))
        raise ValidationFailed(f"Several packages are named {_q(id_or_name)}: {owners}; {hint}.")
    return named[0]


def _with_type(draft: PackageDraft, library_type: str | None) -> PackageDraft:
    from dataclasses import replace

    return replace(draft, library_type=library_type)


def _newest(items: list[T], matches: Callable[[T], bool], kind: str, name: str) -> T:
    found = [item for item in items if matches(item)]
    if not found:
        from scarf_tui.api.errors import InvalidResponse

        raise InvalidResponse(f"The server accepted {kind} {_q(name)} but does not list it.")
    return found[-1]


__all__ = ["NO_GRANT_LEVELS", "ScarfServiceV2Core"]
