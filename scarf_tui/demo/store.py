"""The demo server's in-memory state: v1-wire-shaped dicts plus the access rules.

Tests read these dicts directly to check what the server holds after a client's write.

Access rules (kept simple and consistent):
- An organization is visible to its members only; others get 404.
- Package access for a user is one of admin > member > default, or None (invisible, 404):
  the personal owner and org owners/admins are admin; org members are member; explicit grants
  add their level; an explicit "blocked" hides the package unless the user is an owner/org admin.
- Reading a package (and its permissions, routes, domains, events) needs any access; changing it
  needs admin (otherwise 403).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import count

from scarf_tui.demo import data, data_v2
from scarf_tui.demo.traffic import COMPANIES, TrafficProfile

LEVEL_RANK = {"default": 1, "member": 2, "admin": 3}
ROLE_RANK = {"member": 1, "admin": 2, "owner": 3}


@dataclass(slots=True)
class DemoUser:
    username: str
    email: str
    token: str | None
    export_access: bool = True


@dataclass(slots=True)
class Pixel:
    id: str
    owner: str
    name: str
    package: str | None  # uuid of the package whose events include this pixel's fetches
    docs_url: str


def utc_now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class DemoStore:
    today: date
    events_scale: int = 1
    hostile: bool = False
    orgs: dict[str, dict] = field(default_factory=dict)
    packages: dict[str, dict] = field(default_factory=dict)
    members: dict[str, dict[str, str]] = field(default_factory=dict)
    permissions: dict[str, dict[str, str]] = field(default_factory=dict)
    routes: dict[str, list[dict]] = field(default_factory=dict)
    domains: dict[str, list[dict]] = field(default_factory=dict)
    users: dict[str, DemoUser] = field(default_factory=dict)
    # Not part of PackageV1: docker backendUrl/publicUrl and python repositoryURL per package.
    package_settings: dict[str, dict[str, str]] = field(default_factory=dict)
    pixels: dict[str, Pixel] = field(default_factory=dict)
    # API v2 only: docker collections (wire-shaped like the v2 Collection) by id.
    collections: dict[str, dict] = field(default_factory=dict)
    profiles: dict[str, TrafficProfile] = field(default_factory=dict)
    _ids: count = field(default_factory=lambda: count(1), repr=False)
    # Bumped by every write request (common.endpoint); big ordered lists are memoized per value.
    generation: int = 0
    memo: dict = field(default_factory=dict, repr=False)

    # --- lookups -----------------------------------------------------------------------------

    def user_by_token(self, token: str) -> DemoUser | None:
        for user in self.users.values():
            if user.token is not None and user.token == token:
                return user
        return None

    def find_user(self, query: str) -> DemoUser | None:
        """A user by exact username, else by case-insensitive email."""
        if query in self.users:
            return self.users[query]
        folded = query.strip().casefold()
        for user in self.users.values():
            if user.email.casefold() == folded:
                return user
        return None

    def org_role(self, org: str, username: str) -> str | None:
        return self.members.get(org, {}).get(username)

    def package_access(self, uuid: str, username: str) -> str | None:
        pkg = self.packages.get(uuid)
        if pkg is None:
            return None
        owner = pkg["owner"]
        if owner == username:
            return "admin"
        role = self.org_role(owner, username)
        if role in ("owner", "admin"):
            return "admin"
        explicit = self.permissions.get(uuid, {}).get(username)
        if explicit == "blocked":
            return None
        levels = [lvl for lvl in (explicit, "member" if role == "member" else None) if lvl]
        return max(levels, key=LEVEL_RANK.__getitem__) if levels else None

    def visible_packages(self, username: str) -> list[dict]:
        return [p for uuid, p in self.packages.items() if self.package_access(uuid, username)]

    def org_packages(self, org: str) -> list[dict]:
        return [p for p in self.packages.values() if p["owner"] == org]

    def personal_packages(self, username: str) -> list[dict]:
        return [p for p in self.packages.values() if p["owner"] == username]

    def library_type(self, uuid: str) -> str | None:
        return self.packages[uuid].get("libraryType")

    def package_pixels(self, uuid: str) -> list[Pixel]:
        return [px for px in self.pixels.values() if px.package == uuid]

    def visible_pixels(self, username: str) -> list[Pixel]:
        return [
            px for px in self.pixels.values()
            if px.owner == username
            or self.org_role(px.owner, username)
            or (px.package and self.package_access(px.package, username))
        ]

    def new_id(self, kind: str, *parts: object) -> str:
        return data.stable_uuid(kind, *parts, "created", next(self._ids))

    # --- building ----------------------------------------------------------------------------

    def add_user(self, spec: data.UserSpec) -> None:
        self.users[spec.username] = DemoUser(spec.username, spec.email, spec.token, spec.export_access)

    def add_org(self, spec: data.OrgSpec) -> None:
        self.orgs[spec.name] = {
            "name": spec.name,
            "description": spec.description,
            "website": spec.website,
            "billingEmail": spec.billing_email,
            "createdAt": spec.created_at,
            "updatedAt": spec.updated_at,
        }
        self.members.setdefault(spec.name, {})

    def add_package(self, spec: data.PackageSpec, companies=COMPANIES) -> str:
        uuid = spec.uuid
        pkg = {
            "uuid": uuid,
            "owner": spec.owner,
            "name": spec.name,
            "shortDescription": spec.short_description,
            "createdAt": spec.created_at,
            "longDescription": spec.long_description,
            "website": spec.website,
            "libraryType": spec.library_type,
        }
        if spec.omit_optional:
            for key in ("longDescription", "website"):
                if pkg[key] is None:
                    del pkg[key]
        self.packages[uuid] = pkg
        self.permissions[uuid] = {}
        self.routes[uuid] = []
        self.domains[uuid] = []
        self.package_settings[uuid] = dict(spec.settings)
        self.profiles[uuid] = TrafficProfile.for_package(
            uuid, spec.name, spec.library_type, popularity=spec.popularity,
            launch_days_ago=spec.launch_days_ago, companies=companies,
        )
        return uuid

    def add_route(self, uuid: str, template_path: str, outgoing_url: str) -> dict:
        route = {
            "id": data.stable_uuid("route", uuid, template_path),
            "outgoingUrl": outgoing_url,
            "templatePath": template_path,
        }
        self.routes[uuid].append(route)
        return route

    def add_domain(self, uuid: str, name: str) -> dict:
        domain = {"id": data.stable_uuid("domain", uuid, name), "name": name}
        self.domains[uuid].append(domain)
        return domain

    def profile(self, uuid: str) -> TrafficProfile:
        """Traffic knobs; packages created through the API launch "today" and have no history."""
        if uuid not in self.profiles:
            pkg = self.packages[uuid]
            self.profiles[uuid] = TrafficProfile.for_package(
                uuid, pkg["name"], pkg.get("libraryType"), launch_days_ago=0
            )
        return self.profiles[uuid]

    # --- mutations used by the app (validation happens in the app) -----------------------------

    def remove_package(self, uuid: str) -> None:
        del self.packages[uuid]
        for table in (self.permissions, self.routes, self.domains, self.package_settings, self.profiles):
            table.pop(uuid, None)
        for px in self.pixels.values():
            if px.package == uuid:
                px.package = None

    def rename_org(self, old: str, new: str) -> None:
        self.orgs[new] = self.orgs.pop(old)
        self.members[new] = self.members.pop(old, {})
        for pkg in self.packages.values():
            if pkg["owner"] == old:
                pkg["owner"] = new
        for px in self.pixels.values():
            if px.owner == old:
                px.owner = new

    def all_domain_names(self) -> set[str]:
        return {d["name"].casefold() for ds in self.domains.values() for d in ds}


def build_demo_store(
    *, hostile: bool = False, today: date | None = None, events_scale: int = 1, fleet: bool = False
) -> DemoStore:
    """A fresh store with the deterministic demo dataset (see scarf_tui.demo.data). ``fleet``
    adds the organization with 120+ packages (scarf_tui.demo.data_v2)."""
    store = DemoStore(
        today=today or datetime.now(UTC).date(),
        events_scale=max(1, int(events_scale)),
        hostile=hostile,
    )
    for user in data.USERS:
        store.add_user(user)
    for org_spec in data.ORGS:
        store.add_org(org_spec)
    for org, members in data.MEMBERS.items():
        store.members[org].update(members)
    for spec in data.PACKAGES:
        store.add_package(spec)
    for key, grants in data.PERMISSIONS.items():
        store.permissions[data.PACKAGE_BY_KEY[key].uuid].update(grants)
    for key, routes in data.ROUTES.items():
        for template_path, outgoing_url in routes:
            store.add_route(data.PACKAGE_BY_KEY[key].uuid, template_path, outgoing_url)
    for key, names in data.DOMAINS.items():
        for name in names:
            store.add_domain(data.PACKAGE_BY_KEY[key].uuid, name)
    for px in data.PIXELS:
        package = data.PACKAGE_BY_KEY[px.package_key].uuid if px.package_key else None
        store.pixels[px.id] = Pixel(px.id, px.owner, px.name, package, px.docs_url)
    for collection in data_v2.COLLECTIONS:
        store.collections[collection.id] = {
            "id": collection.id, "owner": collection.owner, "pattern": collection.pattern,
            "public_domain": collection.public_domain, "backend_domain": collection.backend_domain,
            "type": "docker", "created_at": collection.created_at, "updated_at": collection.created_at,
        }
    if fleet:
        store.add_org(data_v2.FLEET_ORG)
        store.members[data_v2.FLEET_ORG.name].update(data_v2.FLEET_MEMBERS)
        for spec in data_v2.fleet_packages():
            store.add_package(spec)
    if hostile:
        _add_hostile(store)
    return store


def _add_hostile(store: DemoStore) -> None:
    """Text a client must render literally; the maintainer can see all of it."""
    store.add_user(data.HOSTILE_MEMBER)
    store.add_user(data.HOSTILE_PERMISSION_USER)
    store.add_org(data.HOSTILE_ORG)
    org = data.HOSTILE_ORG.name
    store.members[org].update({
        data.DEMO_USER: "admin",
        "grace": "owner",
        data.HOSTILE_MEMBER.username: "member",
    })
    uuid = store.add_package(data.HOSTILE_PACKAGE, companies=COMPANIES + (data.HOSTILE_COMPANY + (9,),))
    store.permissions[uuid][data.HOSTILE_PERMISSION_USER.username] = "member"
    store.permissions[uuid][data.HOSTILE_MEMBER.username] = "admin"
    store.add_route(uuid, *data.HOSTILE_ROUTE)
    store.add_domain(uuid, data.HOSTILE_DOMAIN)
    pixel_id = data.stable_uuid("pixel", org, "hostile")
    store.pixels[pixel_id] = Pixel(pixel_id, org, data.HOSTILE_RTL, uuid, "https://hostile.example/docs")
