"""The Starlette app serving the Scarf API v1 (seed 000) over a DemoStore.

Choices the seed leaves open (clients may rely on them):
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

import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from datetime import date

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from scarf_tui.demo.faults import FaultMiddleware, Faults, garble_json
from scarf_tui.demo.store import DemoStore, DemoUser, build_demo_store, utc_now_iso
from scarf_tui.demo.traffic import (
    aggregate_rows,
    data_days,
    header_record,
    ndjson_line,
    package_event_records,
    pixel_event_records,
    variables_of,
)
from scarf_tui.domain import (
    MAX_EVENT_WINDOW_DAYS,
    LibraryType,
    MemberRole,
    PermissionLevel,
    template_variables,
    validate_docker_urls,
    validate_domain_name,
    validate_route,
    validate_url,
)

EXPORT_DISABLED = "Data export is not enabled for this account"
LIBRARY_TYPES = [t.value for t in LibraryType]
PERMISSION_LEVELS = [lvl.value for lvl in PermissionLevel]
MEMBER_ROLES = [r.value for r in MemberRole]
ORG_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_LINES_PER_CHUNK = 1000


class ApiError(Exception):
    def __init__(self, status: int, payload: dict | None = None, headers: dict | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.payload = payload
        self.headers = headers

    def response(self) -> Response:
        if self.payload is None:
            return Response(status_code=self.status, headers=self.headers)
        return JSONResponse(self.payload, status_code=self.status, headers=self.headers)


def error(status: int, message: str, **extra: str) -> ApiError:
    return ApiError(status, {"error": message, **extra})


def invalid(errors: dict[str, list[str]]) -> ApiError:
    return ApiError(422, {"errors": errors})


# --- plumbing ----------------------------------------------------------------------------------


def store_of(request: Request) -> DemoStore:
    return request.app.state.store


def faults_of(request: Request) -> Faults:
    return request.app.state.faults


def authenticate(request: Request) -> DemoUser:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, {"error": "Authentication required: send Authorization: Bearer <token>."},
                       {"WWW-Authenticate": "Bearer"})
    user = store_of(request).user_by_token(token.strip())
    if user is None:
        raise ApiError(401, {"error": "The API token is not valid."}, {"WWW-Authenticate": "Bearer"})
    return user


Handler = Callable[[Request, DemoUser], Awaitable[Response]]


def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Authenticate, run the handler, turn ApiError into its JSON response."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request, authenticate(request))
        except ApiError as exc:
            return exc.response()

    run.__name__ = handler.__name__
    return run


def ok(request: Request, payload: object, status: int = 200) -> Response:
    body = json.dumps(payload, ensure_ascii=False).encode()
    if faults_of(request).invalid_json:
        body = garble_json(body)
    return Response(body, status_code=status, media_type="application/json")


def no_content() -> Response:
    return Response(status_code=204)


async def read_body(request: Request) -> object:
    raw = await request.body()
    if not raw.strip():
        raise error(400, "The request body is empty; send a JSON document.")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise error(400, f"The request body is not valid JSON ({exc}).") from None


async def read_object(request: Request) -> dict:
    body = await read_body(request)
    if not isinstance(body, dict):
        raise error(400, "The request body must be a JSON object.")
    return body


class Fields:
    """Collects per-field validation errors for one request body."""

    def __init__(self, body: dict) -> None:
        self.body = body
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def required(self, key: str, *, blank_ok: bool = False) -> str | None:
        value = self.body.get(key)
        if value is None:
            self.add(key, "is required")
        elif not isinstance(value, str):
            self.add(key, "must be a string")
        elif not blank_ok and not value.strip():
            self.add(key, "can't be blank")
        else:
            return value
        return None

    def optional(self, key: str) -> str | None:
        value = self.body.get(key)
        if value is not None and not isinstance(value, str):
            self.add(key, "must be a string")
            return None
        return value

    def one_of(self, key: str, value: str | None, allowed: list[str]) -> None:
        if value is not None and value not in allowed:
            self.add(key, "must be one of " + ", ".join(allowed))

    def check(self) -> None:
        if self.errors:
            raise invalid(self.errors)


# --- organizations ------------------------------------------------------------------------------


def visible_org(store: DemoStore, name: str, user: DemoUser) -> dict:
    org = store.orgs.get(name)
    if org is None or store.org_role(name, user.username) is None:
        raise error(404, f"Organization {name!r} was not found.")
    return org


def admin_org(store: DemoStore, name: str, user: DemoUser) -> dict:
    org = visible_org(store, name, user)
    if store.org_role(name, user.username) not in ("admin", "owner"):
        raise error(403, f"Only admins and owners of {name!r} can change it.")
    return org


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


# --- packages ----------------------------------------------------------------------------------


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


def name_taken(store: DemoStore, owner: str, name: str, kind: str | None, *, except_uuid: str = "") -> bool:
    return any(
        p["owner"] == owner and p["name"] == name and p.get("libraryType") == kind and p["uuid"] != except_uuid
        for p in store.packages.values()
    )


def create_package_for(store: DemoStore, owner: str, body: dict) -> dict:
    fields, settings = package_fields(body, library_type=None, creating=True)
    if name_taken(store, owner, fields["name"], fields["libraryType"]):
        raise invalid({"name": [f"is already taken by another {fields['libraryType'] or 'untyped'} package of {owner}"]})
    uuid = store.new_id("package", owner, fields["name"])
    pkg = {"uuid": uuid, "owner": owner, "name": fields["name"], "shortDescription": fields["shortDescription"],
           "createdAt": utc_now_iso(), "longDescription": fields["longDescription"],
           "website": fields["website"], "libraryType": fields["libraryType"]}
    store.packages[uuid] = pkg
    store.permissions[uuid], store.routes[uuid], store.domains[uuid] = {}, [], []
    store.package_settings[uuid] = settings
    return pkg


def package_for(store: DemoStore, uuid: str, user: DemoUser, *, write: bool = False) -> dict:
    access = store.package_access(uuid, user.username)
    if access is None:
        raise error(404, f"Package {uuid!r} was not found.")
    if write and access != "admin":
        raise error(403, "You need admin permission on this package to change it.")
    return store.packages[uuid]


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
        if not f.errors:
            changes.append((target.username, level))
    errors.check()  # all or nothing
    for username, level in changes:
        store.permissions[uuid][username] = level
    return ok(request, permission_list(store, uuid))


# --- routes and domains --------------------------------------------------------------------------


ROUTE_KINDS = ("file",)
DOMAIN_KINDS = ("file", "python")


def require_kind(store: DemoStore, uuid: str, allowed: tuple[str, ...], what: str) -> None:
    kind = store.library_type(uuid)
    if kind not in allowed:
        kinds = " and ".join(allowed)
        raise error(400, f"{what} are only available for {kinds} packages; this package is {kind or 'untyped'}.")


def package_part(
    request: Request, user: DemoUser, allowed: tuple[str, ...], what: str, *, write: bool = False
) -> tuple[DemoStore, str]:
    """(store, package uuid) for a routes/domains request, after the access and kind checks."""
    store = store_of(request)
    uuid = request.path_params["package_id"]
    package_for(store, uuid, user, write=write)
    require_kind(store, uuid, allowed, what)
    return store, uuid


def remove_by_id(items: dict[str, list[dict]], uuid: str, item_id: str, what: str) -> Response:
    """Delete the item ``item_id`` of a package's routes or domains (404 when absent)."""
    if not any(item["id"] == item_id for item in items[uuid]):
        raise error(404, f"{what} {item_id!r} was not found on this package.")
    items[uuid] = [item for item in items[uuid] if item["id"] != item_id]
    return no_content()


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


# --- data export ---------------------------------------------------------------------------------


def require_export(user: DemoUser) -> None:
    if not user.export_access:
        raise error(403, EXPORT_DISABLED)


def date_param(request: Request, key: str) -> date:
    text = request.query_params.get(key)
    if text is None or not text.strip():
        raise error(400, f"{key} is required, as YYYY-MM-DD.")
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise error(400, f"{key} {text!r} is not a date in YYYY-MM-DD form.") from None


def date_range(request: Request, *, max_days: int | None) -> tuple[date, date]:
    start, end = date_param(request, "startDate"), date_param(request, "endDate")
    if end <= start:
        raise error(400, f"endDate {end} must be after startDate {start} (endDate is exclusive).")
    days = (end - start).days
    if max_days is not None and days > max_days:
        raise error(400, f"The date range covers {days} days; event exports allow at most {max_days} days.",
                    code="range-too-long")
    return start, end


async def stream_lines(chunks: Iterable[list[str]], faults: Faults, *, ndjson: bool) -> AsyncIterator[bytes]:
    """Encode chunks of lines (CSV records or NDJSON lines), applying the stream faults."""
    sent = 0
    for lines in chunks:
        for start in range(0, len(lines), MAX_LINES_PER_CHUNK):
            part = lines[start:start + MAX_LINES_PER_CHUNK]
            if ndjson and faults.invalid_json and sent <= 1 < sent + len(part):
                part = list(part)
                part[1 - sent] = "<html>this line is not JSON</html>\n"
            if faults.cut_stream and sent + len(part) > faults.cut_after_rows:
                keep = max(0, faults.cut_after_rows - sent)
                torn = part[keep]
                yield ("".join(part[:keep]) + torn[: max(1, len(torn) // 3)]).encode()
                if faults.cut_abort:
                    raise ConnectionAbortedError("demo fault: stream cut")
                return
            sent += len(part)
            yield "".join(part).encode()
            await asyncio.sleep(faults.chunk_delay_s)  # also yields to other requests


def aggregate_chunks(store: DemoStore, packages: list[dict], start: date, end: date) -> Iterator[list[str]]:
    uuids = [p["uuid"] for p in packages]
    for day in data_days(store.today, start, end):
        for uuid in uuids:
            if uuid not in store.packages:  # deleted while streaming
                continue
            variables = variables_of(store.routes.get(uuid, ())) if store.library_type(uuid) == "file" else ()
            rows = aggregate_rows(store.profile(uuid), day, store.today, variables)
            if rows:
                yield [ndjson_line(row) for row in rows]


def ndjson_response(request: Request, packages: list[dict], start: date, end: date) -> Response:
    store = store_of(request)
    chunks = aggregate_chunks(store, packages, start, end)
    return StreamingResponse(stream_lines(chunks, faults_of(request), ndjson=True),
                             media_type="application/x-ndjson")


@endpoint
async def org_aggregates(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    require_export(user)
    name = request.path_params["org"]
    visible_org(store, name, user)
    start, end = date_range(request, max_days=None)
    return ndjson_response(request, store.org_packages(name), start, end)


@endpoint
async def user_aggregates(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    require_export(user)
    username = request.path_params["username"]
    if username != user.username:
        raise error(404, f"User {username!r} was not found (you can export only your own aggregates).")
    start, end = date_range(request, max_days=None)
    return ndjson_response(request, store.personal_packages(username), start, end)


def package_event_chunks(store: DemoStore, uuid: str, start: date, end: date) -> Iterator[list[str]]:
    yield [header_record()]
    pkg = store.packages[uuid]
    profile = store.profile(uuid)
    for day in data_days(store.today, start, end):
        routes = store.routes.get(uuid, ()) if pkg.get("libraryType") == "file" else ()
        records = package_event_records(profile, day, store.today, store.events_scale, routes)
        for px in store.package_pixels(uuid):
            records += pixel_event_records(px.id, pkg["name"], px.docs_url, day, store.today, store.events_scale)
        if records:
            yield records


def pixel_event_chunks(store: DemoStore, username: str, start: date, end: date) -> Iterator[list[str]]:
    yield [header_record()]
    pixels = store.visible_pixels(username)
    for day in data_days(store.today, start, end):
        for px in pixels:
            name = store.packages[px.package]["name"] if px.package in store.packages else ""
            records = pixel_event_records(px.id, name, px.docs_url, day, store.today, store.events_scale)
            if records:
                yield records


def csv_response(request: Request, chunks: Iterator[list[str]]) -> Response:
    filename = request.path_params.get("filename", "events")
    return StreamingResponse(
        stream_lines(chunks, faults_of(request), ndjson=False),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )


@endpoint
async def package_events(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    require_export(user)
    uuid = request.path_params["package_id"]
    package_for(store, uuid, user)
    start, end = date_range(request, max_days=MAX_EVENT_WINDOW_DAYS)
    return csv_response(request, package_event_chunks(store, uuid, start, end))


@endpoint
async def owner_package_events(request: Request, user: DemoUser) -> Response:
    """The later-published v1 path /v1/packages/{ownerName}/{packageId}/events/{fileName}.csv."""
    store = store_of(request)
    require_export(user)
    owner, ident = request.path_params["owner"], request.path_params["package_id"]
    candidates = [
        p["uuid"] for p in store.visible_packages(user.username)
        if p["owner"] == owner and ident in (p["uuid"], p["name"])
    ]
    if len(candidates) != 1:
        raise error(404 if not candidates else 409,
                    f"Package {owner}/{ident} was not found." if not candidates
                    else f"Several packages of {owner} are named {ident!r}; use the uuid.")
    start, end = date_range(request, max_days=MAX_EVENT_WINDOW_DAYS)
    return csv_response(request, package_event_chunks(store, candidates[0], start, end))


@endpoint
async def pixel_events(request: Request, user: DemoUser) -> Response:
    store = store_of(request)
    require_export(user)
    start, end = date_range(request, max_days=MAX_EVENT_WINDOW_DAYS)
    return csv_response(request, pixel_event_chunks(store, user.username, start, end))


# --- app -------------------------------------------------------------------------------------------


async def http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    message = {404: "Not found.", 405: "Method not allowed."}.get(status, getattr(exc, "detail", "Error"))
    headers = getattr(exc, "headers", None)
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def routes() -> list[Route]:
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


def create_app(store: DemoStore | None = None, faults: Faults | None = None) -> Starlette:
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(FaultMiddleware)],
        exception_handlers={HTTPException: http_error},
    )
    app.state.store = store if store is not None else build_demo_store()
    app.state.faults = faults if faults is not None else Faults()
    return app


__all__ = ["create_app", "ApiError", "EXPORT_DISABLED"]
