"""The Scarf API v2 routes of the embedded server (the Scarf API v2 OpenAPI spec), over the same
DemoStore as the v1 routes.

One store, two versions. The store keeps v1-shaped records; v2 reads and writes them thus:
- Packages: ``uuid`` is v2 ``id``, ``libraryType`` is ``type``, camelCase fields become
  snake_case. Types v2 lacks (pypi, other, none) are listed by v1 only: v2 lists skip them and
  v2 paths answer 404. A docker package's ``backend_registry``/``repository_name`` come from
  its v1 ``backendUrl``; a python package's ``repository_url`` from ``repositoryURL``.
- Permissions: the v2 ``owner`` level is the package owner (the personal owner, or an owner of
  the owning organization); v1 ``admin`` and ``member`` are the same in v2; v1 ``blocked`` and
  ``default`` are "no v2 grant" (not listed). Setting ``owner`` on a personal package moves the
  package to that user (the old owner keeps admin); DELETE by username removes the v1 grant.
- Routes: v1 ``templatePath``/``outgoingUrl`` are v2 ``incoming_path``/``outgoing_url``.
- Domains: v2 lists and edits them for a package of any type (the spec's domain endpoints name
  no type); v1 only for file and python packages, so another type's domains are v2's alone.
- Organizations and members are shared as they are; v2 has no organization create.
- Tracking pixels are the store's pixels (which v1 exports only); a pixel whose package is of a
  type v2 lacks shows no package on v2 (in lists, GET and search), and v2 can't attach one to such
  a package. Collections are v2 only.
- Aggregates: v1 rows renamed (``package`` -> ``artifact``, ``unique_total`` -> ``total_unique``,
  ``country`` -> ``by-country``...), summed by ``rollup``, plus the breakdowns only v2 has.

Paths: a segment under ``/v2/packages/{owner}/`` that is a package type selects the
by-type-and-name route; ``overview``, ``aggregates`` and ``events`` there are reserved words.
Lists are cursor pages of 10 by default (``per_page`` up to 100); routes, domains, permissions
and a package's tracking pixels answer a bare array, as the spec says, and all but domains (which
the spec gives no ``after``) are paged the same way, ``after`` the last item's id (``user_id``
for permissions), without links.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from scarf_tui.demo.common import EMAIL, ORG_NAME, endpoint, no_content, ok, read_object
from scarf_tui.demo.routes_v2_more import (
    collection_route,
    collections_route,
    pixel_route,
    pixels_events,
    pixels_route,
    search,
)
from scarf_tui.demo.routes_v2_packages import owner_packages, package_tree
from scarf_tui.demo.store import DemoUser, utc_now_iso
from scarf_tui.demo.v2_common import (
    coded,
    empty,
    member_v2,
    message,
    org_v2,
    paginate,
    the_store,
    user_v2,
)
from scarf_tui.domain import validate_url

ROLES = ("member", "admin", "owner")


# --- users -------------------------------------------------------------------------------------


@endpoint
async def get_user(request: Request, user: DemoUser) -> Response:
    found = user_v2(the_store(request), request.path_params["username"])
    if found is None:
        raise empty(404)
    return ok(request, found)


@endpoint
async def user_organizations(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    username = request.path_params["username"]
    if username != user.username:
        raise empty(404)  # a user's memberships are theirs to see
    wanted = request.query_params.get("organization_id")
    items = [
        {"organization_id": org_v2(org)["id"], "organization_name": name,
         "organization_description": org.get("description") or "", "organization_website": org.get("website") or "",
         "role": store.members[name][username]}
        for name, org in store.orgs.items() if username in store.members.get(name, {})
    ]
    items = [i for i in items if wanted is None or i["organization_id"] == wanted]
    return ok(request, paginate(request, items, key=lambda i: i["organization_name"]))


# --- organizations and members -------------------------------------------------------------------


def visible(request: Request, user: DemoUser) -> str:
    name = request.path_params["org"]
    store = the_store(request)
    if name not in store.orgs or store.org_role(name, user.username) is None:
        raise empty(404)
    return name


def managed(request: Request, user: DemoUser) -> str:
    name = visible(request, user)
    if the_store(request).org_role(name, user.username) not in ("admin", "owner"):
        raise empty(403)
    return name


@endpoint
async def get_org(request: Request, user: DemoUser) -> Response:
    return ok(request, org_v2(the_store(request).orgs[visible(request, user)]))


@endpoint
async def update_org(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    name = managed(request, user)
    body = await read_object(request)
    new_name = body.get("name")
    billing = body.get("billing_email")
    website = body.get("website")
    if not isinstance(new_name, str) or not ORG_NAME.fullmatch(new_name):
        raise coded(422, "invalid-organization-name", "The organization name is not allowed.")
    if new_name != name and (new_name in store.orgs or new_name in store.users):
        raise coded(422, "entity-already-exists", "That name is taken.")
    if not isinstance(billing, str) or not EMAIL.fullmatch(billing.strip()):
        raise coded(422, "invalid-billing-email", "The billing email is not valid.")
    if website and (not isinstance(website, str) or validate_url(website)):
        raise coded(422, "invalid-website-url", "The website is not a valid URL.")
    if new_name != name:
        store.rename_org(name, new_name)
    org = store.orgs[new_name]
    org.update({"name": new_name, "billingEmail": billing.strip(), "updatedAt": utc_now_iso()})
    if "description" in body:
        org["description"] = body.get("description") or ""
    if "website" in body:
        org["website"] = website or None
    return ok(request, org_v2(org))


@endpoint
async def list_members(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    name = visible(request, user)
    items = [member_v2(store, u, r) for u, r in store.members[name].items()]
    return ok(request, paginate(request, items, key=lambda m: m["username"]))


def _role(body: dict) -> str:
    role = body.get("role")
    if role not in ROLES:
        raise message(422, "role must be member, admin or owner.")
    return str(role)


@endpoint
async def add_member(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    name = managed(request, user)
    body = await read_object(request)
    username, role = body.get("username"), _role(body)
    target = store.find_user(username) if isinstance(username, str) else None
    if target is None or not isinstance(username, str) or target.username != username:
        raise empty(404)
    members = store.members[name]
    if target.username in members:
        raise message(422, f"{target.username} is already a member; change their role instead.")
    if role == "owner" and members[user.username] != "owner":
        raise empty(403)
    members[target.username] = role
    return ok(request, member_v2(store, target.username, role), 201)


@endpoint
async def get_member(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    name = visible(request, user)
    username = request.path_params["member"]
    if username not in store.members[name]:
        raise empty(404)
    return ok(request, member_v2(store, username, store.members[name][username]))


@endpoint
async def change_member(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    name = managed(request, user)
    username = request.path_params["member"]
    members = store.members[name]
    if username not in members:
        raise empty(404)
    role = _role(await read_object(request))
    if (role == "owner" or members[username] == "owner") and members[user.username] != "owner":
        raise empty(403)
    if members[username] == "owner" and role != "owner" and list(members.values()).count("owner") == 1:
        raise coded(422, "cannot-revoke-ownership", "The last owner can't stop being owner.")
    members[username] = role
    return ok(request, member_v2(store, username, role))


@endpoint
async def remove_member(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    name = managed(request, user)
    username = request.path_params["member"]
    members = store.members[name]
    if username not in members:
        raise empty(404)
    if members[username] == "owner":
        raise coded(422, "cannot-delete-owner", "An owner can't be removed; change their role first.")
    del members[username]
    return no_content()


def v2_routes() -> list[Route]:
    orgs = "/v2/organizations/{org}"
    return [
        Route("/v2/search", search, methods=["POST"]),
        Route("/v2/users/{username}", get_user, methods=["GET"]),
        Route("/v2/users/{username}/organizations", user_organizations, methods=["GET"]),
        Route(orgs, get_org, methods=["GET"]),
        Route(orgs, update_org, methods=["PUT"]),
        Route(orgs + "/members", list_members, methods=["GET"]),
        Route(orgs + "/members", add_member, methods=["POST"]),
        Route(orgs + "/members/{member:path}", get_member, methods=["GET"]),
        Route(orgs + "/members/{member:path}", change_member, methods=["PUT"]),
        Route(orgs + "/members/{member:path}", remove_member, methods=["DELETE"]),
        Route("/v2/tracking-pixels/{owner}", pixels_route, methods=["GET", "POST"]),
        Route("/v2/tracking-pixels/{owner}/events", pixels_events, methods=["GET"]),
        Route("/v2/tracking-pixels/{owner}/{pixel_id}", pixel_route, methods=["GET", "PUT", "DELETE"]),
        Route("/v2/collections/{owner}", collections_route, methods=["GET", "POST"]),
        Route("/v2/collections/{owner}/{collection_id}", collection_route, methods=["GET", "PUT", "DELETE"]),
        Route("/v2/packages/{owner}", owner_packages, methods=["GET", "POST"]),
        Route("/v2/packages/{owner}/{rest:path}", package_tree, methods=["GET", "POST", "PUT", "DELETE"]),
    ]


__all__ = ["v2_routes"]
