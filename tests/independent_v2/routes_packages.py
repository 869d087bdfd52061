"""Routes of the independent v2 server for /packages/{owner}/...: the owner's packages, their
overview, aggregates and events, and a package's permissions, routes, domains and pixels."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .analytics import aggregates, events
from .data import TYPES, Store, domain_record, hash_name, package_record, route_record
from .faults import Faults
from .paging import page
from .problems import body, err, owner_or_404, package_or_404


async def packages(store: Store, faults: Faults, request: Request, owner: str, s: list[str]) -> Response:
    """`s` is the path after /packages/{owner}."""
    m = request.method
    path = request.url.path
    owner_or_404(store, owner)
    mine = store.owned(owner)
    if not s and m == "GET":
        rows = [
            p
            for p in mine
            if p["type"] in request.query_params.getlist("type") or not request.query_params.getlist("type")
        ]
        return page(faults, request, rows, "name")
    if not s and m == "POST":
        data = await body(request)
        if data.get("type") not in TYPES or not data.get("name"):
            raise err(422, "package-name-is-empty", "type and name are required.")
        if any(p["name"] == data["name"] and p["type"] == data["type"] for p in mine):
            raise err(422, "package-already-exists", "That package exists.")
        rec = package_record(owner, data["name"], data["type"], data.get("short_description", ""))
        store.packages[rec["id"]] = rec
        store.permissions[rec["id"]] = {}
        store.domains[rec["id"]] = [domain_record(rec, data.get("domain") or f"{hash_name(rec['id'])}.example")]
        store.routes[rec["id"]] = []
        return JSONResponse(rec, status_code=201)
    if s == ["overview"] and m == "GET":
        rows = [{"package": p, "domains": store.domains[p["id"]]} for p in mine]
        return page(faults, request, rows, lambda r: r["package"]["name"])
    if s == ["aggregates"] and m == "GET":
        return aggregates(faults, request, path, mine)
    if s == ["events"] and m == "GET":
        query = request.query_params.get("query")
        names = [p["name"] for p in mine if not query or query in (p["name"], p["id"])]
        return events(faults, request, path, owner, names, "package")
    if len(s) >= 2 and s[0] in TYPES and m == "GET":
        name = "/".join(s[1:])
        found = [p for p in mine if p["type"] == s[0] and p["name"] == name]
        if not found:
            raise err(404)
        return JSONResponse(found[0])
    if len(s) == 2 and s[1] == "events" and m == "GET":
        pix = store.pixels.get(s[0])
        if pix is not None and pix["owner"] == owner:
            return events(faults, request, path, owner, [pix.get("package", {}).get("name", pix["name"])], "pixel")
        return events(faults, request, path, owner, [package_or_404(store, owner, s[0])["name"]], "package")
    pkg = package_or_404(store, owner, s[0])
    pid = pkg["id"]
    if len(s) == 1:
        if m == "GET":
            return JSONResponse(pkg)
        if m == "PUT":
            data = await body(request)
            if not data.get("name"):
                raise err(422, "package-name-is-empty", "The name is empty.")
            pkg.update({k: data[k] for k in ("name", "short_description", "long_description", "website") if k in data})
            return JSONResponse(pkg)
        if m == "DELETE":
            del store.packages[pid]
            return Response(status_code=204)
    sub = s[1]
    if sub == "tracking-pixels" and m == "GET" and len(s) == 2:
        pixels = [p for p in store.pixels.values() if p.get("package", {}).get("id") == pid]
        return page(faults, request, pixels, "id", bare=True)
    if sub == "permissions":
        perms = store.permissions[pid]
        if len(s) == 2 and m == "GET":
            rows = [{"user_id": store.user_id(u), "username": u, "permission_level": lv} for u, lv in perms.items()]
            return page(faults, request, rows, "user_id", bare=True)
        if len(s) == 2 and m == "POST":
            data = await body(request)
            if data.get("username") not in store.users or data.get("permission_level") not in (
                "member",
                "admin",
                "owner",
            ):
                raise err(422, "invalid-permission", "Unknown user or level.")
            perms[data["username"]] = data["permission_level"]
            return Response(status_code=204)
        if len(s) == 3 and m == "DELETE":
            if s[2] not in perms:
                raise err(404)
            if perms[s[2]] == "owner":
                raise err(422, "cannot-delete-owner", "The owner's access cannot be removed.")
            del perms[s[2]]
            return Response(status_code=204)
    if sub == "routes":
        routes = store.routes[pid]
        if len(s) == 2 and m == "GET":
            return page(faults, request, routes, "id", bare=True)
        if len(s) == 2 and m == "POST":
            return JSONResponse(route_create(pkg, routes, await body(request)), status_code=201)
        found = [r for r in routes if len(s) == 3 and r["id"] == s[2]]
        if not found:
            raise err(404)
        if m == "GET":
            return JSONResponse(found[0])
        if m == "DELETE":
            routes.remove(found[0])
            return Response(status_code=204)
    if sub == "domains":
        doms = store.domains[pid]
        if len(s) == 2 and m == "GET":
            return page(faults, request, doms, "id", bare=True)
        if len(s) == 2 and m == "POST":
            name = str((await body(request)).get("name", "")).strip()
            if not name:
                raise err(422, "domain-is-empty", "The domain is empty.")
            if any(d["name"] == name for ds in store.domains.values() for d in ds):
                raise err(422, "domain-is-already-in-use", "That domain is in use.")
            if " " in name or "/" in name:
                raise err(422, "domain-has-invalid-characters", "The domain has invalid characters.")
            doms.append(domain_record(pkg, name))
            return JSONResponse(doms[-1], status_code=201)
        found = [d for d in doms if len(s) == 3 and d["id"] == s[2]]
        if not found:
            raise err(404)
        if m == "GET":
            return JSONResponse(found[0])
        if m == "DELETE":
            if len(doms) == 1:
                raise err(422, "package-must-have-one-domain", "A package must keep one domain.")
            doms.remove(found[0])
            return Response(status_code=204)
    raise err(404)


def route_create(pkg: dict[str, Any], routes: list[dict[str, Any]], data: dict[str, Any]) -> dict[str, Any]:
    if pkg["type"] != "file":
        raise err(422, "not-a-file-package", "Only file packages have routes.")
    inc, out = str(data.get("incoming_path", "")), str(data.get("outgoing_url", ""))
    if not inc:
        raise err(422, "incoming-path-must-not-be-empty", "The incoming path is empty.")
    if not inc.startswith("/"):
        raise err(422, "incoming-path-must-start-with-slash", "The incoming path must start with /.")
    if not out:
        raise err(422, "outgoing-url-must-not-be-empty", "The outgoing URL is empty.")
    if not out.startswith(("http://", "https://")):
        raise err(422, "outgoing-url-must-be-absolute", "The outgoing URL must be absolute.")
    if not variables(out) <= variables(inc):
        raise err(422, "incoming-path-missing-variables", "Every outgoing variable must be in the incoming path.")
    row = route_record(pkg, inc, out, f"{inc}->{out}")
    routes.append(row)
    return row


def variables(template: str) -> set[str]:
    out: set[str] = set()
    for part in template.split("{")[1:]:
        name = part.split("}", 1)[0].lstrip("+#./;?&")
        out.update(v.split(":")[0].rstrip("*") for v in name.split(","))
    return out
