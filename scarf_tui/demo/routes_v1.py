"""The Scarf API v1 routes of the embedded server (the Scarf API v1 reference, to the letter).

Choices the reference leaves open (clients may rely on them):
- Success: GET/PUT/POST-permissions/POST-users -> 200, creations -> 201 with the created object,
  DELETE -> 204 without a body.
- Errors are JSON: {"error": sentence} for 400/401/403/404/409/429/5xx; validation failures are
  422 {"errors": {field: [sentences]}}; an outgoing URL using variables the template path lacks
  is 422 {"code": "incoming-path-missing-variables", "message": sentence}; an over-long event
  range is 400 {"error": sentence, "code": "range-too-long"}.
- GET /v1/packages/{name} matching several packages without ?packageType= -> 409 {"error"}.
- PUT on a package/organization: keys absent from the body keep their value; null clears.
- Unknown users in permissions/members -> 422 on the userQuery/username field.
- Data export without export access -> 403 {"error": "Data export is not enabled for this account"}.
- Event exports refuse more than 31 days; aggregates do not limit the range (rows exist only
  within the last 400 days).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from scarf_tui.demo.common import (
    DOMAIN_KINDS,
    EMAIL,
    LIBRARY_TYPES,
    MEMBER_ROLES,
    ORG_NAME,
    PERMISSION_LEVELS,
    ROUTE_KINDS,
    ApiError,
    Fields,
    admin_org,
    endpoint,
    error,
    invalid,
    name_taken,
    no_content,
    ok,
    package_for,
    package_part,
    read_body,
    read_object,
    remove_by_id,
    store_of,
    visible_org,
)
from scarf_tui.demo.routes_v1_export import (
    org_aggregates,
    owner_package_events,
    package_events,
    pixel_events,
    user_aggregates,
)
from scarf_tui.demo.store import DemoStore, DemoUser, utc_now_iso
from scarf_tui.domain import (
    template_variables,
    validate_docker_urls,
    validate_domain_name,
    validate_route,
    validate_url,
)


def org_fields(body: dict, store: DemoStore, *, current: str | None) -> dict:
    f = Fields(body)
    name = f.required("name")
    description = f.required("description", blank_ok=True)
    billing = f.required("billingEmail")
    website = f.optional("website")
    if name is not None:
        if not ORG_NAME.fullmatch(name):
            f.add("name", "may contain only letters, digits, '-', '_' and '.' (at most 64)")
        elif name != current and name in store.orgs:
            f.add("name", "is already taken")
    if billing is not None and not EMAIL.fullmatch(billing.strip()):
        f.add("billingEmail", "is not a valid email address")
    f.check()
    assert billing is not None  # f.check() refused a body without it
    fields = {"name": name, "description": description, "billingEmail": billing.strip()}
    if "website" in body:
        fields["website"] = website
    return fields


@endpoint
async def get_org(request: Request, user: DemoUser) -> Response:
    return ok(request, visible_org(store_of(request), request.path_params["org"], user))


@endpoint
async def create_org(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    fields = org_fields(await read_object(request), store, current=None)
    now = utc_now_iso()
    org = {"name": fields["name"], "description": fields["description"], "website": fields.get("website"),
           "billingEmail": fields["billingEmail"], "createdAt": now, "updatedAt": now}
    store.orgs[org["name"]] = org
    store.members[org["name"]] = {user.username: "owner"}
    return ok(request, org, 201)


@endpoint
async def update_org(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    name = request.path_params["org"]
    admin_org(store, name, user)
    fields = org_fields(await read_object(request), store, current=name)
    if fields["name"] != name:
        store.rename_org(name, fields["name"])
    org = store.orgs[fields["name"]]
    org.update(fields)
    org["updatedAt"] = utc_now_iso()
    return ok(request, org)


@endpoint
async def list_org_packages(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    name = request.path_params["org"]
    visible_org(store, name, user)
    return ok(request, store.org_packages(name))


@endpoint
async def create_org_package(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    name = request.path_params["org"]
    admin_org(store, name, user)
    return ok(request, create_package_for(store, name, await read_object(request)), 201)


def member_dict(org: str, username: str, role: str) -> dict:
    return {"organizationName": org, "username": username, "role": role}


@endpoint
async def list_members(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    name = request.path_params["org"]
    visible_org(store, name, user)
    return ok(request, [member_dict(name, u, r) for u, r in store.members[name].items()])


@endpoint
async def upsert_member(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    name = request.path_params["org"]
    admin_org(store, name, user)
    f = Fields(await read_object(request))
    username = f.required("username")
    role = f.required("role")
    f.one_of("role", role, MEMBER_ROLES)
    target = store.find_user(username) if username else None
    if username and target is None:
        f.add("username", f"no Scarf user is named {username!r}")
    f.check()
    assert target is not None and role is not None  # f.check() refused anything else
    members = store.members[name]
    caller_role = members[user.username]
    current = members.get(target.username)
    if (role == "owner" or current == "owner") and caller_role != "owner":
        raise error(403, "Only owners can make or change owners.")
    if current == "owner" and role != "owner" and list(members.values()).count("owner") == 1:
        raise invalid({"role": ["the organization must keep at least one owner"]})
    members[target.username] = role
    return ok(request, member_dict(name, target.username, role))


@endpoint
async def remove_member(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    name = request.path_params["org"]
    username = request.path_params["username"]
    admin_org(store, name, user)
    members = store.members[name]
    if username not in members:
        raise error(404, f"{username!r} is not a member of {name!r}.")
    if members[username] == "owner":
        if members[user.username] != "owner":
            raise error(403, "Only owners can remove owners.")
        if list(members.values()).count("owner") == 1:
            raise error(409, f"{username!r} is the last owner of {name!r}; add another owner first.")
    del members[username]
    return no_content()


def package_fields(body: dict, *, library_type: str | None, creating: bool) -> tuple[dict, dict]:
    """Validate a PackageUpsertV1 body -> (PackageV1 fields, settings). Raises 422."""
    f = Fields(body)
    name = f.required("name")
    short = f.required("shortDescription", blank_ok=True)
    long_description = f.optional("longDescription")
    website = f.optional("website")
    requested_type = f.optional("libraryType")
    f.one_of("libraryType", requested_type, LIBRARY_TYPES)
    if not creating and "libraryType" in body and requested_type != library_type:
        f.add("libraryType", "can't be changed after package creation")
    kind = requested_type if creating else library_type
    backend, public, repo = f.optional("backendUrl"), f.optional("publicUrl"), f.optional("repositoryURL")
    if backend or public:
        if kind != "docker":
            f.add("backendUrl" if backend else "publicUrl", "is only allowed for docker packages")
        elif problem := validate_docker_urls(backend, public):
            f.add("publicUrl" if "publicUrl" in problem and backend else "backendUrl", problem)
    if repo:
        if kind != "python":
            f.add("repositoryURL", "is only allowed for python packages")
        elif problem := validate_url(repo, what="repositoryURL"):
            f.add("repositoryURL", problem)
    f.check()
    fields: dict = {"name": name, "shortDescription": short}
    for key, value in (("longDescription", long_description), ("website", website)):
        if creating or key in body:
            fields[key] = value
    if creating:
        fields["libraryType"] = requested_type
    settings = {k: v for k, v in (("backendUrl", backend), ("publicUrl", public), ("repositoryURL", repo)) if v}
    return fields, settings


def create_package_for(store: DemoStore, owner: str, body: dict) -> dict:
    fields, settings = package_fields(body, library_type=None, creating=True)
    if name_taken(store, owner, fields["name"], fields["libraryType"]):
        kind = fields["libraryType"] or "untyped"
        raise invalid({"name": [f"is already taken by another {kind} package of {owner}"]})
    uuid = store.new_id("package", owner, fields["name"])
    pkg = {"uuid": uuid, "owner": owner, "name": fields["name"], "shortDescription": fields["shortDescription"],
           "createdAt": utc_now_iso(), "longDescription": fields["longDescription"],
           "website": fields["website"], "libraryType": fields["libraryType"]}
    store.packages[uuid] = pkg
    store.permissions[uuid], store.routes[uuid], store.domains[uuid] = {}, [], []
    store.package_settings[uuid] = settings
    return pkg


@endpoint
async def list_packages(request: Request, user: DemoUser) -> Response:
    return ok(request, store_of(request).visible_packages(user.username))


@endpoint
async def create_package(request: Request, user: DemoUser) -> Response:
    return ok(request, create_package_for(store_of(request), user.username, await read_object(request)), 201)


@endpoint
async def get_package(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    ident = request.path_params["package_id"]
    kind = request.query_params.get("packageType")
    if kind is not None and kind not in LIBRARY_TYPES:
        raise error(400, f"packageType must be one of {', '.join(LIBRARY_TYPES)}.")
    if ident in store.packages and store.package_access(ident, user.username):
        pkg = store.packages[ident]
        if kind is None or pkg.get("libraryType") == kind:
            return ok(request, pkg)
    matches = [
        p for p in store.visible_packages(user.username)
        if p["name"] == ident and (kind is None or p.get("libraryType") == kind)
    ]
    if not matches:
        suffix = f" of type {kind}" if kind else ""
        raise error(404, f"No package {ident!r}{suffix} was found.")
    if len(matches) > 1:
        kinds = sorted({str(p.get("libraryType")) for p in matches})
        hint = f"add ?packageType= ({', '.join(kinds)})" if kind is None and len(kinds) > 1 else "use its uuid"
        owners = ", ".join(sorted(f"{p['owner']}/{p['name']} ({p.get('libraryType')})" for p in matches))
        raise error(409, f"Several packages are named {ident!r}: {owners}; {hint}.")
    return ok(request, matches[0])


@endpoint
async def update_package(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    uuid = request.path_params["package_id"]
    pkg = package_for(store, uuid, user, write=True)
    fields, settings = package_fields(await read_object(request), library_type=pkg.get("libraryType"), creating=False)
    if name_taken(store, pkg["owner"], fields["name"], pkg.get("libraryType"), except_uuid=uuid):
        raise invalid({"name": [f"is already taken by another package of {pkg['owner']}"]})
    pkg.update(fields)
    store.package_settings.setdefault(uuid, {}).update(settings)
    return ok(request, pkg)


@endpoint
async def delete_package(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    uuid = request.path_params["package_id"]
    package_for(store, uuid, user, write=True)
    store.remove_package(uuid)
    return no_content()


def permission_list(store: DemoStore, uuid: str) -> list[dict]:
    return [{"username": u, "permissionLevel": lvl} for u, lvl in store.permissions[uuid].items()]


@endpoint
async def list_permissions(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    uuid = request.path_params["package_id"]
    package_for(store, uuid, user)
    return ok(request, permission_list(store, uuid))


@endpoint
async def set_permissions(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    uuid = request.path_params["package_id"]
    pkg = package_for(store, uuid, user, write=True)
    body = await read_body(request)
    items = body if isinstance(body, list) else [body]
    errors = Fields({})
    changes: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, dict):
            raise error(400, "Send a PackagePermissionSetV1 object or an array of them.")
        f = Fields(item)
        query = f.required("userQuery")
        level = f.required("permissionLevel")
        f.one_of("permissionLevel", level, PERMISSION_LEVELS)
        target = store.find_user(query) if query else None
        if query and target is None:
            f.add("userQuery", f"no Scarf user has the username or email {query!r}")
        elif target is not None and target.username == pkg["owner"]:
            f.add("userQuery", f"{target.username!r} owns this package; their access can't be changed")
        for key, messages in f.errors.items():
            for message in messages:
                if message not in errors.errors.get(key, []):
                    errors.add(key, message)
        if not f.errors and target is not None and level is not None:
            changes.append((target.username, level))
    errors.check()  # all or nothing
    for username, level in changes:
        store.permissions[uuid][username] = level
    return ok(request, permission_list(store, uuid))


@endpoint
async def list_routes(request: Request, user: DemoUser) -> Response:
    store, uuid = package_part(request, user, ROUTE_KINDS, "Routes")
    return ok(request, store.routes[uuid])


@endpoint
async def create_route(request: Request, user: DemoUser) -> Response:
    store, uuid = package_part(request, user, ROUTE_KINDS, "Routes", write=True)
    f = Fields(await read_object(request))
    template = f.required("templatePath")
    outgoing = f.required("outgoingUrl")
    f.check()
    assert template is not None and outgoing is not None  # f.check() refused a body without them
    if problem := validate_route(template, outgoing):
        declared = set(template_variables(template))
        if not template.startswith("/") or template.count("{") != template.count("}"):
            raise invalid({"templatePath": [problem]})
        if any(v not in declared for v in template_variables(outgoing)):
            raise ApiError(422, {"code": "incoming-path-missing-variables", "message": problem})
        raise invalid({"outgoingUrl": [problem]})
    if any(r["templatePath"] == template for r in store.routes[uuid]):
        raise invalid({"templatePath": ["already has a route in this package"]})
    route = {"id": store.new_id("route", uuid), "outgoingUrl": outgoing.strip(), "templatePath": template}
    store.routes[uuid].append(route)
    return ok(request, route, 201)


@endpoint
async def delete_route(request: Request, user: DemoUser) -> Response:
    store, uuid = package_part(request, user, ROUTE_KINDS, "Routes", write=True)
    return remove_by_id(store.routes, uuid, request.path_params["route_id"], "Route")


@endpoint
async def list_domains(request: Request, user: DemoUser) -> Response:
    store, uuid = package_part(request, user, DOMAIN_KINDS, "Domains")
    return ok(request, store.domains[uuid])


@endpoint
async def create_domain(request: Request, user: DemoUser) -> Response:
    store, uuid = package_part(request, user, DOMAIN_KINDS, "Domains", write=True)
    f = Fields(await read_object(request))
    name = f.required("name")
    if name is not None:
        name = name.strip().lower()
        if problem := validate_domain_name(name):
            f.add("name", problem)
        elif name in store.all_domain_names():
            f.add("name", "is already used by a package")
    f.check()
    domain = {"id": store.new_id("domain", uuid, name), "name": name}
    store.domains[uuid].append(domain)
    return ok(request, domain, 201)


@endpoint
async def delete_domain(request: Request, user: DemoUser) -> Response:
    store, uuid = package_part(request, user, DOMAIN_KINDS, "Domains", write=True)
    return remove_by_id(store.domains, uuid, request.path_params["domain_id"], "Domain")


def v1_routes() -> list[Route]:
    v1 = "/api/v1"
    pkg = v1 + "/packages/{package_id}"
    return [
        Route(v1 + "/organizations", create_org, methods=["POST"]),
        Route(v1 + "/organizations/{org}", get_org, methods=["GET"]),
        Route(v1 + "/organizations/{org}", update_org, methods=["PUT"]),
        Route(v1 + "/organizations/{org}/packages", list_org_packages, methods=["GET"]),
        Route(v1 + "/organizations/{org}/packages", create_org_package, methods=["POST"]),
        Route(v1 + "/organizations/{org}/users", list_members, methods=["GET"]),
        Route(v1 + "/organizations/{org}/users", upsert_member, methods=["POST"]),
        Route(v1 + "/organizations/{org}/users/{username:path}", remove_member, methods=["DELETE"]),
        Route(v1 + "/organizations/{org}/aggregates", org_aggregates, methods=["GET"]),
        Route(v1 + "/users/{username}/aggregates", user_aggregates, methods=["GET"]),
        Route(v1 + "/packages", list_packages, methods=["GET"]),
        Route(v1 + "/packages", create_package, methods=["POST"]),
        Route(pkg + "/permissions", list_permissions, methods=["GET"]),
        Route(pkg + "/permissions", set_permissions, methods=["POST"]),
        Route(pkg + "/routes", list_routes, methods=["GET"]),
        Route(pkg + "/routes", create_route, methods=["POST"]),
        Route(pkg + "/routes/{route_id}", delete_route, methods=["DELETE"]),
        Route(pkg + "/domains", list_domains, methods=["GET"]),
        Route(pkg + "/domains", create_domain, methods=["POST"]),
        Route(pkg + "/domains/{domain_id}", delete_domain, methods=["DELETE"]),
        Route(pkg + "/events/{filename}.csv", package_events, methods=["GET"]),
        Route(v1 + "/packages/{owner}/{package_id}/events/{filename}.csv", owner_package_events, methods=["GET"]),
        Route(v1 + "/pixels/events/{filename}.csv", pixel_events, methods=["GET"]),
        Route(pkg, update_package, methods=["PUT"]),
        Route(pkg, delete_package, methods=["DELETE"]),
        # Last: a GET by name may contain "/" (scoped npm names like @acme/ui-kit).
        Route(v1 + "/packages/{package_id:path}", get_package, methods=["GET"]),
    ]
