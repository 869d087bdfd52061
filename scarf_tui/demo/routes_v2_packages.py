"""The embedded server's Scarf API v2 package routes: owner-scoped packages, by id or by type and
name, their permissions, routes and domains. See routes_v2 for how they map onto the store.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response

from scarf_tui.demo.common import endpoint, no_content, ok, read_body, read_object
from scarf_tui.demo.routes_v2_more import overview, owner_aggregates, owner_events, package_events
from scarf_tui.demo.store import DemoStore, DemoUser, utc_now_iso
from scarf_tui.demo.v2_common import (
    RESERVED,
    V2_LEVELS,
    V2_TYPES,
    bare_page,
    can_manage_owner,
    coded,
    cursor_key,
    domain_v2,
    empty,
    level_v2,
    message,
    ordered_owner_list,
    owner_exists,
    owner_list,
    package_v2,
    paginate,
    path_segments,
    pixel_v2,
    route_v2,
    seg,
    the_store,
    v2_package,
)
from scarf_tui.domain import DOCKER_PATH_COMPONENT, TEMPLATE_VARIABLE, template_variables, validate_domain_name

PYTHON_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
HOST = re.compile(r"[A-Za-z0-9.-]+(?::[0-9]+)?")


@endpoint
async def owner_packages(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    owner = request.path_params["owner"]
    if request.method == "POST":
        return await create_package(request, store, owner, user)
    ordered, keys = ordered_owner_list(store, owner, user, request)
    page = paginate(request, ordered, cursor_key, keys=keys)
    page["results"] = [package_v2(store, p) for p in page["results"]]
    return ok(request, page)


# --- validation of the v2 bodies ------------------------------------------------------------------


def route_problem(incoming: object, outgoing: object) -> tuple[str, str] | None:
    """The spec's (code, message) for a bad incoming path / outgoing URL pair, or None."""
    if not isinstance(incoming, str) or not incoming.strip():
        return "incoming-path-must-not-be-empty", "incoming_path is empty."
    if "://" in incoming:
        return "incoming-path-must-be-relative", "incoming_path must be a path."
    if not incoming.startswith("/"):
        return "incoming-path-must-start-with-slash", "incoming_path must start with '/'."
    if incoming.count("{") != incoming.count("}") or TEMPLATE_VARIABLE.sub("", incoming).count("{"):
        return "incoming-path-invalid-url-template", "incoming_path is not a URL template."
    if not isinstance(outgoing, str) or not outgoing.strip():
        return "outgoing-url-must-not-be-empty", "outgoing_url is empty."
    if outgoing.count("{") != outgoing.count("}") or TEMPLATE_VARIABLE.sub("", outgoing).count("{"):
        return "outgoing-url-invalid-url-template", "outgoing_url is not a URL template."
    if not re.match(r"https?://[^/\s]+", outgoing.strip()):
        return "outgoing-url-must-be-absolute", "outgoing_url must be absolute."
    declared = set(template_variables(incoming))
    if any(v not in declared for v in template_variables(outgoing)):
        return "incoming-path-missing-variables", "outgoing_url uses variables incoming_path lacks."
    return None


def domain_problem(store: DemoStore, name: object, *, prefix: str = "domain") -> tuple[str, str] | None:
    if not isinstance(name, str) or not name.strip():
        return f"{prefix}-is-empty", "The domain is empty."
    if validate_domain_name(name.strip().lower()):
        return f"{prefix}-has-invalid-characters", "The domain is not a valid name."
    if name.strip().lower() in store.all_domain_names() or any(
        c["public_domain"].casefold() == name.strip().lower() for c in store.collections.values()
    ):
        return f"{prefix}-is-already-in-use", "The domain is in use."
    return None


def type_problems(store: DemoStore, body: dict, kind: str, *, creating: bool) -> tuple[str, str] | None:
    name = body.get("name")
    if kind == "docker":
        registry = body.get("backend_registry")
        if not isinstance(registry, str) or not registry.strip():
            return "backend-registry-is-empty", "backend_registry is empty."
        if not HOST.fullmatch(registry.strip()):
            return "backend-registry-has-invalid-characters", "backend_registry is not a host."
        assert isinstance(name, str)
        if len(name) > 255:
            return "docker-image-name-is-longer-than-255-characters", "The image name is too long."
        parts = name.split("/")
        if any(not p for p in parts):
            return "docker-image-name-has-empty-segments", "The image name has an empty segment."
        if not all(DOCKER_PATH_COMPONENT.fullmatch(p) for p in parts):
            return "docker-image-name-has-invalid-characters", "The image name has invalid characters."
        if creating and body.get("domain") is not None:
            return domain_problem(store, body.get("domain"), prefix="public-domain")
    elif kind == "python":
        if not isinstance(name, str) or not PYTHON_NAME.fullmatch(name):
            return "invalid-python-project-name", "Not a Python project name."
        url = body.get("repository_url")
        if url is None and creating:
            return None
        if not isinstance(url, str) or not re.fullmatch(r"[a-z]+://[^/\s]+(/\S*)?", url):
            return "repository-url-invalid", "repository_url is not a URL."
        if not url.startswith("https://"):
            return "repository-url-not-https", "repository_url must use https."
        if not url.endswith("/"):
            return "repository-url-missing-trailing-slash", "repository_url must end with '/'."
    elif kind == "file" and creating:
        if problem := route_problem(body.get("incoming_path"), body.get("outgoing_url")):
            return problem
        if body.get("domain") is not None:
            return domain_problem(store, body.get("domain"))
    return None


def taken(store: DemoStore, owner: str, name: str, kind: str, except_uuid: str = "") -> bool:
    return any(
        p["owner"] == owner and p["name"] == name and p.get("libraryType") == kind and p["uuid"] != except_uuid
        for p in store.packages.values()
    )


def common_fields(body: dict) -> dict:
    out: dict = {}
    for wire, key in (("short_description", "shortDescription"), ("long_description", "longDescription"),
                      ("website", "website")):
        if wire in body:
            value = body[wire]
            out[key] = value if isinstance(value, str) and value != "" else (None if key != "shortDescription" else "")
    return out


def settings_of(body: dict, kind: str, name: str) -> dict[str, str]:
    if kind == "docker":
        return {"backendUrl": f"https://{body['backend_registry'].strip()}/{name}"}
    if kind == "python" and body.get("repository_url"):
        return {"repositoryURL": body["repository_url"]}
    return {}


async def create_package(request: Request, store: DemoStore, owner: str, user: DemoUser) -> Response:
    if not owner_exists(store, owner):
        raise empty(404)
    if not can_manage_owner(store, owner, user.username):
        raise empty(403)
    body = await read_object(request)
    name, kind = body.get("name"), body.get("type")
    if not isinstance(name, str) or not name.strip():
        raise coded(422, "package-name-is-empty", "The package name is empty.")
    if kind not in V2_TYPES:
        raise message(422, "type must be docker, file, python, npm or hackage.")
    if problem := type_problems(store, body, str(kind), creating=True):
        raise coded(422, *problem)
    if taken(store, owner, name, str(kind)):
        raise coded(422, "package-already-exists", "The package exists.")
    uuid = store.new_id("package", owner, name)
    now = utc_now_iso()
    pkg = {"uuid": uuid, "owner": owner, "name": name, "shortDescription": "", "createdAt": now,
           "longDescription": None, "website": None, "libraryType": kind, "updatedAt": now}
    pkg.update(common_fields(body))
    store.packages[uuid] = pkg
    store.permissions[uuid], store.routes[uuid], store.domains[uuid] = {}, [], []
    store.package_settings[uuid] = settings_of(body, str(kind), name)
    if kind == "file":
        store.add_route(uuid, body["incoming_path"], body["outgoing_url"].strip())
    if body.get("domain"):
        store.add_domain(uuid, str(body["domain"]).strip().lower())
    return ok(request, package_v2(store, pkg), 201)


# --- /v2/packages/{owner}/... ----------------------------------------------------------------------------


@endpoint
async def package_tree(request: Request, user: DemoUser) -> Response:
    """Everything under /v2/packages/{owner}/: reserved words, by type and name, by id."""
    store = the_store(request)
    owner = request.path_params["owner"]
    segs = path_segments(request, f"/v2/packages/{seg(owner)}/")
    method = request.method
    if len(segs) == 1 and segs[0] in RESERVED and method == "GET":
        handler = {"overview": overview, "aggregates": owner_aggregates, "events": owner_events}[segs[0]]
        return await handler(request, store, owner, user)
    if len(segs) >= 2 and segs[0] in V2_TYPES and method == "GET":
        name = "/".join(segs[1:])
        for pkg in owner_list(store, owner, user, request):
            if pkg["name"] == name and pkg.get("libraryType") == segs[0]:
                return ok(request, package_v2(store, pkg))
        raise empty(404)
    if not segs:
        raise empty(404)
    ident, part, rest = segs[0], (segs[1] if len(segs) > 1 else ""), "/".join(segs[2:])
    if part == "events" and not rest and method == "GET":
        return await package_events(request, store, owner, ident, user)
    pkg = v2_package(store, owner, ident, user, write=method != "GET")
    if not part:
        if method == "GET":
            return ok(request, package_v2(store, pkg))
        if method == "PUT":
            return await update_package(request, store, pkg)
        if method == "DELETE":
            store.remove_package(pkg["uuid"])
            return no_content()
    if part == "permissions":
        return await permissions(request, store, pkg, user, rest)
    if part == "routes":
        return await routes(request, store, pkg, rest)
    if part == "domains":
        return await domains(request, store, pkg, rest)
    if part == "tracking-pixels" and not rest and method == "GET":
        return ok(request, bare_page(request, [pixel_v2(store, px) for px in store.package_pixels(pkg["uuid"])], "id"))
    raise empty(404)


async def update_package(request: Request, store: DemoStore, pkg: dict) -> Response:
    body = await read_object(request)
    name, kind = body.get("name"), body.get("type")
    if not isinstance(name, str) or not name.strip():
        raise coded(422, "package-name-is-empty", "The package name is empty.")
    if kind != pkg.get("libraryType"):
        raise message(422, "type can't be changed after package creation.")
    if problem := type_problems(store, body, str(kind), creating=False):
        raise coded(422, *problem)
    if taken(store, pkg["owner"], name, str(kind), except_uuid=pkg["uuid"]):
        raise coded(422, "package-already-exists", "The package exists.")
    pkg.update({"name": name, "updatedAt": utc_now_iso(), **common_fields(body)})
    store.package_settings.setdefault(pkg["uuid"], {}).update(settings_of(body, str(kind), name))
    return ok(request, package_v2(store, pkg))


async def permissions(request: Request, store: DemoStore, pkg: dict, user: DemoUser, username: str) -> Response:
    uuid, owner = pkg["uuid"], pkg["owner"]
    grants = store.permissions[uuid]
    if request.method == "GET" and not username:
        items = [{"user_id": u, "username": u, "permission_level": "owner"} for u in [owner] if owner in store.users]
        items += [{"user_id": u, "username": u, "permission_level": lvl}
                  for u, lvl in grants.items() if lvl in ("member", "admin")]
        return ok(request, bare_page(request, items, "user_id"))
    if request.method == "POST" and not username:
        body = await read_body(request)
        if not isinstance(body, dict):
            raise message(422, "Send one SetPackagePermission object.")
        target, level = body.get("username"), body.get("permission_level")
        if level not in V2_LEVELS:
            raise message(422, "permission_level must be member, admin or owner.")
        if not isinstance(target, str) or target not in store.users:
            raise message(422, f"No Scarf user is named {target!r}.")
        if target == owner:
            raise message(422, f"{target} owns this package.")
        if level == "owner":
            if owner not in store.users or level_v2(store, pkg, user.username) != "owner":
                raise message(422, "Only the owner of a personal package can hand it over.")
            grants.pop(target, None)
            grants[owner] = "admin"
            pkg["owner"] = target
        else:
            grants[target] = level
        return no_content()
    if request.method == "DELETE" and username:
        if username == owner:
            raise coded(422, "cannot-delete-owner", "The owner's access can't be removed.")
        if grants.get(username) not in ("member", "admin", "default", "blocked"):
            raise empty(404)
        del grants[username]
        return no_content()
    raise empty(404)


async def routes(request: Request, store: DemoStore, pkg: dict, route_id: str) -> Response:
    uuid = pkg["uuid"]
    is_file = pkg.get("libraryType") == "file"
    if request.method == "GET":
        items = [route_v2(pkg, r) for r in store.routes.get(uuid, [])]
        if not route_id:
            return ok(request, bare_page(request, items, "id"))
        for item in items:
            if item["id"] == route_id:
                return ok(request, item)
        raise empty(404)
    if not is_file:
        raise coded(422, "not-a-file-package", "Routes exist only for file packages.")
    if request.method == "POST" and not route_id:
        body = await read_object(request)
        if problem := route_problem(body.get("incoming_path"), body.get("outgoing_url")):
            raise coded(422, *problem)
        if any(r["templatePath"] == body["incoming_path"] for r in store.routes[uuid]):
            raise message(422, "incoming_path already has a route in this package.")
        route = {"id": store.new_id("route", uuid), "outgoingUrl": body["outgoing_url"].strip(),
                 "templatePath": body["incoming_path"]}
        store.routes[uuid].append(route)
        return ok(request, route_v2(pkg, route), 201)
    if request.method == "DELETE" and route_id:
        if not any(r["id"] == route_id for r in store.routes[uuid]):
            raise empty(404)
        store.routes[uuid] = [r for r in store.routes[uuid] if r["id"] != route_id]
        return no_content()
    raise empty(404)


async def domains(request: Request, store: DemoStore, pkg: dict, domain_id: str) -> Response:
    uuid = pkg["uuid"]
    items = store.domains.get(uuid, [])
    if request.method == "GET":
        shaped = [domain_v2(pkg, d) for d in items]
        if not domain_id:
            return ok(request, shaped)
        for item in shaped:
            if item["id"] == domain_id:
                return ok(request, item)
        raise empty(404)
    if request.method == "POST" and not domain_id:
        name = (await read_object(request)).get("name")
        if problem := domain_problem(store, name):
            raise coded(422, *problem)
        assert isinstance(name, str)
        return ok(request, domain_v2(pkg, store.add_domain(uuid, name.strip().lower())), 201)
    if request.method == "DELETE" and domain_id:
        if not any(d["id"] == domain_id for d in items):
            raise empty(404)
        if len(items) == 1:
            raise coded(422, "package-must-have-one-domain", "A package must keep one domain.")
        store.domains[uuid] = [d for d in items if d["id"] != domain_id]
        return no_content()
    raise empty(404)


__all__ = ["owner_packages", "package_tree", "route_problem", "domain_problem"]
