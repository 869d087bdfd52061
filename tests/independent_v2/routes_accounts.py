"""Routes of the independent v2 server for accounts: /users, /organizations (and members),
/collections and /search."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .data import Store, hash_name, uid
from .faults import Faults
from .paging import org_page, page
from .problems import body, err, owner_or_404


def search(store: Store, data: dict[str, Any]) -> Response:
    query = str(data.get("query", "")).lower()
    results: list[dict[str, Any]] = [
        {"type": "package", "package": {k: p[k] for k in ("id", "name", "owner", "type")}}
        for p in store.packages.values()
        if query and query in p["name"].lower()
    ]
    results += [
        {"type": "tracking-pixel", "tracking-pixel": {k: p[k] for k in ("id", "owner", "name", "package")}}
        for p in store.pixels.values()
        if query and query in p["name"].lower()
    ]
    return JSONResponse({"results": results[:50]})


def users(store: Store, faults: Faults, request: Request, s: list[str]) -> Response:
    """/users/{name} and /users/{name}/organizations; `s` is the path after /users."""
    m = request.method
    user = store.users.get(s[0])
    org = store.orgs.get(s[0])
    if len(s) == 1 and m == "GET":
        if user:
            return JSONResponse(user)
        if org:
            return JSONResponse(
                {**{k: org[k] for k in ("id", "name", "created_at", "updated_at")}, "type": "organization"}
            )
        raise err(404)
    if len(s) == 2 and s[1] == "organizations" and m == "GET" and user:
        rows = [
            {
                "organization_id": o["id"],
                "organization_name": o["name"],
                "organization_description": o["description"],
                "organization_website": o["website"],
                "role": mem["role"],
            }
            for o in store.orgs.values()
            for mem in store.members[o["name"]]
            if mem["username"] == s[0]
        ]
        # The spec names this list's cursor `organization_id`, not `after`.
        return org_page(faults, request, rows)
    raise err(404)


async def organizations(store: Store, faults: Faults, request: Request, s: list[str]) -> Response:
    """/organizations/{name}[/members[/{username}]]; `s` is the path after /organizations."""
    m = request.method
    org = store.orgs.get(s[0])
    if org is None:
        raise err(404)
    if len(s) == 1 and m == "GET":
        return JSONResponse(org)
    if len(s) == 1 and m == "PUT":
        data = await body(request)
        if not data.get("name") or "billing_email" not in data:
            raise err(422, "invalid-organization-name", "name and billing_email are required.")
        if not isinstance(data.get("website", ""), str):  # the spec's website is a string, not nullable
            raise err(422, "invalid-website-url", "The website must be a URL.")
        org.update({k: data[k] for k in ("description", "website", "billing_email") if k in data})
        return JSONResponse(org)
    members = store.members[s[0]]
    if len(s) == 2 and s[1] == "members":
        if m == "GET":
            return page(faults, request, members, "user_id")
        if m == "POST":
            data = await body(request)
            if data.get("username") not in store.users or data.get("role") not in ("admin", "member", "owner"):
                raise err(404)
            row = {"user_id": store.user_id(data["username"]), "username": data["username"], "role": data["role"]}
            members[:] = [x for x in members if x["username"] != row["username"]] + [row]
            return JSONResponse(row, status_code=201)
    if len(s) == 3 and s[1] == "members":
        (row,) = [x for x in members if x["username"] == s[2]] or [None]
        if row is None:
            raise err(404)
        if m == "GET":
            return JSONResponse(row)
        if m == "PUT":
            role = (await body(request)).get("role")
            if role not in ("admin", "member", "owner"):
                raise err(422, "cannot-revoke-ownership", "Unknown role.")
            if row["role"] == "owner" and role != "owner" and sum(x["role"] == "owner" for x in members) == 1:
                raise err(422, "cannot-revoke-ownership", "The last owner stays an owner.")
            row["role"] = role
            return JSONResponse(row)
        if m == "DELETE":
            if row["role"] == "owner":
                raise err(422, "cannot-delete-owner", "An owner cannot be removed.")
            members.remove(row)
            return Response(status_code=204)
    raise err(404)


async def collections(store: Store, faults: Faults, request: Request, s: list[str]) -> Response:
    """/collections/{owner}[/{id}]; `s` is the path after /collections."""
    m = request.method
    owner_or_404(store, s[0])
    if len(s) == 1 and m == "GET":
        return page(faults, request, [c for c in store.collections.values() if c["owner"] == s[0]], "id")
    if len(s) == 1 and m == "POST":
        data = await body(request)
        cid = uid("collection", s[0], data.get("pattern"))
        row = {"id": cid, "owner": s[0], "type": "docker", "created_at": "2025-05-05T00:00:00Z"}
        store.collections[cid] = collection_write(row, data)
        return JSONResponse(row, status_code=201)
    row = store.collections.get(s[1]) if len(s) == 2 else None
    if row is None or row["owner"] != s[0]:
        raise err(404)
    if m == "GET":
        return JSONResponse(row)
    if m == "PUT":
        return JSONResponse(collection_write(row, await body(request)))
    if m == "DELETE":
        del store.collections[row["id"]]
        return Response(status_code=204)
    raise err(404)


def collection_write(row: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    if not data.get("pattern"):
        raise err(422, "pattern-is-empty", "The pattern is empty.")
    if not data.get("backend_domain"):
        raise err(422, "backend-registry-is-empty", "The backend registry is empty.")
    row.update(pattern=data["pattern"], backend_domain=data["backend_domain"], updated_at="2025-05-05T00:00:00Z")
    row["public_domain"] = data.get("public_domain") or f"{hash_name(data['pattern'])}.docker.scarf.sh"
    return row
