"""The embedded pypicloud-compatible server: every endpoint of the pypicloud API reference over
a PypicloudStore, as a Starlette app.

Choices the reference leaves open (clients may rely on them):
- Paths are accepted with and without the trailing slash. Names are one percent-encoded path
  segment each and are matched after decoding, so "/" inside a name works as %2F.
- Parameters are read from a form-encoded body, a JSON object body, or the query string.
- Successful writes answer 200 with an empty body; the file upload answers 201.
- Errors are JSON in the Scalingo conventions' shapes: {"error": sentence} for 400/401/403/404/
  409, and 422 {"errors": {field: [sentences]}} for a missing or bad parameter. 401 carries
  ``WWW-Authenticate: Basic realm="pypicloud"``.
- Package names are kept exactly as uploaded (no normalization).
"""

from __future__ import annotations

import base64
import gzip
import html
import json
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from scarf_tui.demo.faults import Faults
from scarf_tui.demo.pypicloud.faults import SourceFaultMiddleware
from scarf_tui.demo.pypicloud.routing import (
    ALL_METHODS,
    Ctx,
    Fail,
    base_url,
    dispatch,
    fail,
    form_file,
    not_found,
    route,
)
from scarf_tui.demo.pypicloud.store import PERMISSIONS, PUser, PypicloudStore, build_pypicloud_store


def ok() -> Response:
    return Response(status_code=200)


def readable(ctx: Ctx, package: str) -> None:
    if not ctx.store.can_read(package, ctx.me):
        raise not_found("package")


def file_url(ctx: Ctx, package: str, filename: str) -> str:
    base = base_url(ctx.request)
    return f"{base}/files/{quote(package, safe='')}/{quote(filename, safe='')}?Signature=demo&Expires=1390262542"


# --- /simple/ and /pypi/ -------------------------------------------------------------------------


@route("GET", "/simple")
async def simple_index(ctx: Ctx) -> Response:
    names = [p for p in sorted(ctx.store.packages) if ctx.store.can_read(p, ctx.me)]
    links = "".join(f'<a href="{html.escape(quote(n, safe=""))}/">{html.escape(n)}</a><br>\n' for n in names)
    return HTMLResponse(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n")


@route("GET", "/simple/{package}")
async def simple_package(ctx: Ctx, package: str) -> Response:
    readable(ctx, package)
    links = "".join(
        f'<a href="{html.escape(file_url(ctx, package, f.filename))}">{html.escape(f.filename)}</a><br>\n'
        for f in ctx.store.packages[package]
    )
    return HTMLResponse(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n")


@route("GET", "/pypi/{package}/json")
async def pypi_json(ctx: Ctx, package: str) -> Response:
    readable(ctx, package)
    releases: dict[str, list[dict]] = {}
    for f in sorted(ctx.store.packages[package], key=lambda f: f.last_modified):
        releases.setdefault(f.version, []).append(
            {"filename": f.filename, "url": file_url(ctx, package, f.filename), "upload_time": f.last_modified}
        )
    latest = max(ctx.store.packages[package], key=lambda f: f.last_modified).version
    return JSONResponse({"info": {"name": package, "version": latest}, "releases": releases})


async def _upload(ctx: Ctx, package: str, version: str, filename: str, content: bytes) -> Response:
    if package in ctx.store.packages and not ctx.store.can_write(package, ctx.me):
        raise fail(403, "You may not upload to this package.")
    if package not in ctx.store.packages and not ctx.me.admin:
        raise fail(403, "Only admins may create packages.")
    if not filename or "/" in filename:
        raise Fail(422, {"errors": {"content": ["needs a file name"]}})
    if any(f.filename == filename for f in ctx.store.packages.get(package, [])):
        raise fail(409, f"{filename} already exists.")
    ctx.store.add_file(package, version, filename, content)
    return Response(status_code=201)


@route("POST", "/simple")
async def simple_upload(ctx: Ctx) -> Response:
    if ctx.param(":action") != "file_upload":
        raise Fail(422, {"errors": {":action": ["must be file_upload"]}})
    filename, content = form_file(ctx)
    return await _upload(ctx, ctx.param("name"), ctx.param("version"), filename, content)


@route("POST", "/pypi")
async def pypi_upload(ctx: Ctx) -> Response:
    return await simple_upload(ctx)


@route("POST", "/api/package/{package}/{filename}")
async def api_upload(ctx: Ctx, package: str, filename: str) -> Response:
    _, content = form_file(ctx)
    stem = filename.removeprefix(package + "-").removeprefix(package.replace("-", "_") + "-")
    version = stem.split("-")[0].removesuffix(".tar.gz").removesuffix(".zip") or "0"
    return await _upload(ctx, package, version, filename, content)


# --- /api/ ---------------------------------------------------------------------------------------


@route("GET", "/api/package")
async def api_packages(ctx: Ctx) -> Response:
    names = [p for p in sorted(ctx.store.packages) if ctx.store.can_read(p, ctx.me)]
    if ctx.params.get("verbose", "false").lower() not in ("true", "1"):
        return JSONResponse({"packages": names})
    rows = []
    for name in names:
        files = sorted(ctx.store.packages[name], key=lambda f: f.last_modified)
        stable = [f for f in files if not any(c.isalpha() for c in f.version)]
        rows.append({
            "name": name,
            "stable": stable[-1].version if stable else None,
            "unstable": files[-1].version,
            "last_modified": files[-1].last_modified,
        })
    return JSONResponse({"packages": rows})


@route("GET", "/api/package/{package}")
async def api_package(ctx: Ctx, package: str) -> Response:
    readable(ctx, package)
    rows = [
        {"name": package, "last_modified": f.last_modified, "version": f.version,
         "url": file_url(ctx, package, f.filename)}
        for f in ctx.store.packages[package]
    ]
    return JSONResponse({"packages": rows, "write": ctx.store.can_write(package, ctx.me)})


@route("DELETE", "/api/package/{package}/{filename}")
async def api_delete_file(ctx: Ctx, package: str, filename: str) -> Response:
    readable(ctx, package)
    if not ctx.store.can_write(package, ctx.me):
        raise fail(403, "You may not delete files of this package.")
    if not ctx.store.delete_file(package, filename):
        raise not_found("file")
    return ok()


@route("PUT", "/api/user/{username}", auth=False)
async def api_register(ctx: Ctx, username: str) -> Response:
    if not ctx.store.allow_register:
        raise fail(403, "Registration is disabled.")
    password = ctx.param("password")
    if username in ctx.store.users:
        raise fail(409, "User already exists.")
    first_admin = not any(u.admin for u in ctx.store.users.values())
    ctx.store.users[username] = PUser(username, password, admin=first_admin, pending=not first_admin)
    return ok()


@route("POST", "/api/user/password")
async def api_password(ctx: Ctx) -> Response:
    if ctx.param("old_password") != ctx.me.password:
        raise fail(403, "The old password is wrong.")
    new = ctx.param("new_password")
    if not new:
        raise Fail(422, {"errors": {"new_password": ["must not be empty"]}})
    ctx.me.password = new
    return ok()


# --- /admin/ -------------------------------------------------------------------------------------


@route("GET", "/admin/rebuild")
async def admin_rebuild(ctx: Ctx) -> Response:
    ctx.store.rebuilds += 1
    return ok()


@route("GET", "/admin/acl.json.gz")
async def admin_acl(ctx: Ctx) -> Response:
    body = gzip.compress(json.dumps(ctx.store.acl()).encode(), mtime=0)
    return Response(body, media_type="application/gzip",
                    headers={"Content-Disposition": 'attachment; filename="acl.json.gz"'})


@route("POST", "/admin/register")
async def admin_register(ctx: Ctx) -> Response:
    ctx.store.allow_register = ctx.flag("allow")
    return ok()


@route("GET", "/admin/pending_users")
async def admin_pending(ctx: Ctx) -> Response:
    return JSONResponse(ctx.store.pending())


@route("GET", "/admin/token/{username}")
async def admin_token(ctx: Ctx, username: str) -> Response:
    if username in ctx.store.users:
        raise fail(409, "That user is already registered.")
    token = f"{username}:1522226377:" + base64.b16encode(username.encode()).decode().lower().ljust(64, "0")[:64]
    base = base_url(ctx.request)
    return JSONResponse({"token": token, "token_url": f"{base}/login#/?token={quote(token)}"})


@route("GET", "/admin/user")
async def admin_users(ctx: Ctx) -> Response:
    return JSONResponse([{"username": u.username, "admin": u.admin} for u in ctx.store.users.values()
                         if not u.pending])


def _user(ctx: Ctx, username: str) -> PUser:
    user = ctx.store.users.get(username)
    if user is None or user.pending:
        raise not_found("user")
    return user


def _group(ctx: Ctx, group: str) -> list[str]:
    if group not in ctx.store.groups:
        raise not_found("group")
    return ctx.store.groups[group]


@route("GET", "/admin/user/{username}")
async def admin_user(ctx: Ctx, username: str) -> Response:
    user = _user(ctx, username)
    return JSONResponse({"username": user.username, "admin": user.admin, "groups": ctx.store.groups_of(username)})


@route("GET", "/admin/user/{username}/permissions")
async def admin_user_permissions(ctx: Ctx, username: str) -> Response:
    _user(ctx, username)
    return JSONResponse(ctx.store.grants_for(ctx.store.user_grants, username))


@route("DELETE", "/admin/user/{username}")
async def admin_delete_user(ctx: Ctx, username: str) -> Response:
    if username not in ctx.store.users:
        raise not_found("user")
    if username == ctx.me.username:
        raise fail(400, "You cannot delete yourself.")
    ctx.store.delete_user(username)
    return ok()


@route("PUT", "/admin/user/{username}")
async def admin_create_user(ctx: Ctx, username: str) -> Response:
    password = ctx.param("password")
    if not password:
        raise Fail(422, {"errors": {"password": ["must not be empty"]}})
    if username in ctx.store.users:
        raise fail(409, "User already exists.")
    ctx.store.users[username] = PUser(username, password)
    return ok()


@route("POST", "/admin/user/{username}/approve")
async def admin_approve(ctx: Ctx, username: str) -> Response:
    user = ctx.store.users.get(username)
    if user is None or not user.pending:
        raise not_found("pending user")
    user.pending = False
    return ok()


@route("POST", "/admin/user/{username}/admin")
async def admin_set_admin(ctx: Ctx, username: str) -> Response:
    user = _user(ctx, username)
    admin = ctx.flag("admin")
    if not admin and username == ctx.me.username:
        raise fail(400, "You cannot remove your own admin rights.")
    user.admin = admin
    return ok()


@route("PUT", "/admin/user/{username}/group/{group}")
async def admin_join(ctx: Ctx, username: str, group: str) -> Response:
    _user(ctx, username)
    members = _group(ctx, group)
    if username not in members:
        members.append(username)
    return ok()


@route("DELETE", "/admin/user/{username}/group/{group}")
async def admin_leave(ctx: Ctx, username: str, group: str) -> Response:
    _user(ctx, username)
    members = _group(ctx, group)
    if username in members:
        members.remove(username)
    return ok()


@route("GET", "/admin/group")
async def admin_groups(ctx: Ctx) -> Response:
    return JSONResponse(list(ctx.store.groups))


@route("GET", "/admin/group/{group}")
async def admin_group(ctx: Ctx, group: str) -> Response:
    members = _group(ctx, group)
    return JSONResponse({"members": list(members), "packages": ctx.store.grants_for(ctx.store.group_grants, group)})


@route("PUT", "/admin/group/{group}")
async def admin_create_group(ctx: Ctx, group: str) -> Response:
    if group in ctx.store.groups:
        raise fail(409, "Group already exists.")
    ctx.store.groups[group] = []
    return ok()


@route("DELETE", "/admin/group/{group}")
async def admin_delete_group(ctx: Ctx, group: str) -> Response:
    _group(ctx, group)
    ctx.store.delete_group(group)
    return ok()


@route("GET", "/admin/package/{package}")
async def admin_package(ctx: Ctx, package: str) -> Response:
    if package not in ctx.store.packages:
        raise not_found("package")
    users = [{"username": n, "permissions": sorted(p)} for n, p in ctx.store.user_grants[package].items() if p]
    groups = [{"group": n, "permissions": sorted(p)} for n, p in ctx.store.group_grants[package].items() if p]
    return JSONResponse({"user": users, "group": groups})


async def _grant(ctx: Ctx, package: str, kind: str, name: str, permission: str, grant: bool) -> Response:
    if package not in ctx.store.packages:
        raise not_found("package")
    if kind not in ("user", "group"):
        raise not_found("principal kind")
    if permission not in PERMISSIONS:
        raise Fail(422, {"errors": {"permission": ["must be read or write"]}})
    if kind == "user":
        _user(ctx, name)
        table = ctx.store.user_grants[package]
    else:
        _group(ctx, name)
        table = ctx.store.group_grants[package]
    perms = table.setdefault(name, set())
    if grant:
        perms.add(permission)
    else:
        perms.discard(permission)
        if not perms:
            del table[name]
    return ok()


@route("PUT", "/admin/package/{package}/{kind}/{name}/{permission}")
async def admin_grant(ctx: Ctx, package: str, kind: str, name: str, permission: str) -> Response:
    return await _grant(ctx, package, kind, name, permission, True)


@route("DELETE", "/admin/package/{package}/{kind}/{name}/{permission}")
async def admin_revoke(ctx: Ctx, package: str, kind: str, name: str, permission: str) -> Response:
    return await _grant(ctx, package, kind, name, permission, False)


@route("GET", "/files/{package}/{filename}", auth=False)
async def download(ctx: Ctx, package: str, filename: str) -> Response:
    for f in ctx.store.packages.get(package, []):
        if f.filename == filename:
            return Response(f.content, media_type="application/octet-stream")
    raise not_found("file")


def create_pypicloud_app(store: PypicloudStore | None = None, faults: Faults | None = None) -> Starlette:
    """The pypicloud-compatible app over ``store`` (default: a fresh demo store)."""
    app = Starlette(
        routes=[Route("/{rest:path}", dispatch, methods=ALL_METHODS)],
        middleware=[Middleware(SourceFaultMiddleware)],
    )
    app.state.store = store if store is not None else build_pypicloud_store()
    app.state.faults = faults if faults is not None else Faults()
    return app
