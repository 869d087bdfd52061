"""An independent Scarf API v2 server, written from the API's OpenAPI document and its published
notes only (not from scarf_tui/demo), to try our client as a new user would.

Reading of the spec, where it leaves a choice:
- Bearer auth on every path; a missing or wrong token is 401 with an empty body.
- Cursor lists (`results` + `_links.next`): `after` is the last item's cursor (a package's name,
  as the spec's example "library/ubuntu" suggests; ids elsewhere); `per_page` defaults to 10 and
  is clamped to MAX_PER_PAGE, so even a client asking for more must follow `next`. `next` is an
  absolute URL on this origin (or root-relative with links="relative").
- Lists the spec types as bare arrays (routes, domains, permissions, a package's pixels) are
  bare arrays, paginated by the same `after`/`per_page` (no links: the spec gives them none).
- Aggregates are NDJSON (`application/x-ndjson`), one row per artifact, period and breakdown
  value; `artifact` is the package name; weekly periods start on Monday, monthly on the 1st.
  `total_unique` of a rolled-up period is not the sum of the days' uniques.
- Events are CSV with a Content-Disposition header, at most 31 days (else 400 range-too-long).

Faults (Faults, mutable by tests): 429 with Retry-After on the Nth request to a path, a stream
cut after some bytes, an HTML page with status 200, an error message that echoes the token.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .data import TOKEN, TYPES, Store, build_store, domain_record, hash_name, package_record, route_record, uid

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 25
MAX_EVENT_DAYS = 31
BREAKDOWN_FIELDS: dict[str, list[tuple[str, list[str]]]] = {
    "by-country": [("country", ["US", "DE", "[b]XX[/b]"])],
    "by-cloudprovider": [
        ("cloud_provider_name", ["AWS", "GCP"]),
        ("cloud_provider_domain", ["aws.amazon.com", "cloud.google.com"]),
    ],
    "by-company": [
        ("company_name", ["Initech", "\x1b[1mBold Corp\x1b[0m"]),
        ("company_domain", ["initech.example", "bold.example"]),
    ],
    "by-variable": [("variable", ["platform", "version"]), ("value", ["linux", "1.2.3"])],
    "by-platform": [("platform", ["linux", "darwin"])],
    "by-version": [("version", ["1.0.0", "2.0.0"])],
    "by-client": [("client", ["docker", "curl"])],
    "by-domain": [("domain", ["dl.fleet.example"])],
    "by-referer": [("referer", ["https://docs.fleet.example/"])],
    "by-educational-organization": [("company_name", ["Some University"])],
    "by-govermental-organization": [("company_name", ["Some Agency"])],
    "by-total": [],
    "by-total-do-not-track": [],
}
EVENT_COLUMNS = [
    "type",
    "package",
    "version",
    "time",
    "referer",
    "user_agent",
    "variables",
    "origin_id",
    "origin_country",
    "origin_company",
    "origin_domain",
    "origin_connection_type",
    "id",
]


@dataclass
class Faults:
    rate_limit: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (nth request, how many 429s)
    retry_after: str = "0"
    cut_after: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (nth request, bytes sent)
    html: set[str] = field(default_factory=set)  # path -> 200 text/html
    echo_token: dict[str, int] = field(default_factory=dict)  # path -> status of an error quoting the token
    links: str = "absolute"  # or "relative"
    # Paths whose pages carry no `_links` (the spec's overview schema has none): a client must
    # page on with `after` itself.
    no_links: set[str] = field(default_factory=set)
    seen: Counter[str] = field(default_factory=Counter)
    log: list[str] = field(default_factory=list)  # "METHOD path?query" of every request


class Problem(Exception):
    def __init__(self, status: int, code: str | None = None, message: str = "") -> None:
        self.status, self.code, self.message = status, code, message


def err(status: int, code: str | None = None, message: str = "") -> Problem:
    return Problem(status, code, message or (code or ""))


def make_app(store: Store | None = None, faults: Faults | None = None) -> Starlette:
    store = store if store is not None else build_store()
    faults = faults if faults is not None else Faults()

    async def entry(request: Request) -> Response:
        raw = request.scope.get("raw_path") or request.url.path.encode()
        path = raw.decode("ascii", "replace").split("?", 1)[0]
        faults.log.append(f"{request.method} {path}?{request.url.query}")
        faults.seen[path] += 1
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return Response(status_code=401)
        if path in faults.rate_limit:
            nth, count = faults.rate_limit[path]
            if nth <= faults.seen[path] < nth + count:
                return Response(status_code=429, headers={"Retry-After": faults.retry_after})
        if path in faults.html:
            return Response("<!doctype html><html><body>Maintenance</body></html>", media_type="text/html")
        if path in faults.echo_token:
            msg = f"Token {TOKEN} (Authorization: Bearer {TOKEN}) is not allowed here"
            return JSONResponse({"code": "token-rejected", "message": msg}, status_code=faults.echo_token[path])
        segs = [unquote(s) for s in path.split("/")[2:]]  # after "/v2"
        try:
            return await dispatch(request, segs)
        except Problem as p:
            if p.code is None:
                return Response(status_code=p.status)
            return JSONResponse({"code": p.code, "message": p.message}, status_code=p.status)

    async def body(request: Request) -> dict[str, Any]:
        try:
            data = await request.json()
        except ValueError:
            raise err(422, "invalid-body", "The body is not JSON.") from None
        if not isinstance(data, dict):
            raise err(422, "invalid-body", "The body is not an object.")
        return data

    def page(
        request: Request, items: list[dict[str, Any]], cursor: str | Callable[[dict[str, Any]], str], bare: bool = False
    ) -> Response:
        key = cursor if callable(cursor) else (lambda it: str(it[cursor]))
        q = request.query_params
        try:
            per = min(max(int(q.get("per_page", DEFAULT_PER_PAGE)), 1), MAX_PER_PAGE)
        except ValueError:
            raise err(400) from None
        after = q.get("after")
        start = 0
        if after is not None:
            keys = [key(it) for it in items]
            if after not in keys:
                raise err(400, "invalid-cursor", "Unknown cursor.")
            start = keys.index(after) + 1
        chunk = items[start : start + per]
        if bare:
            return JSONResponse(chunk)
        if request.url.path in faults.no_links:
            return JSONResponse({"results": chunk})
        links: dict[str, str] = {"self": str(request.url)}
        if start + per < len(items):
            params = [(k, v) for k, v in q.multi_items() if k not in ("after", "per_page")]
            params += [("after", key(chunk[-1])), ("per_page", str(per))]
            rel = quote(request.url.path) + "?" + urlencode(params, quote_via=quote)
            base = f"{request.url.scheme}://{request.url.netloc}"
            links["next"] = rel if faults.links == "relative" else base + rel
        return JSONResponse({"results": chunk, "_links": links})

    def owner_or_404(owner: str) -> None:
        if not store.owner_exists(owner):
            raise err(404)

    def package(owner: str, pid: str) -> dict[str, Any]:
        pkg = store.packages.get(pid)
        if pkg is None or pkg["owner"] != owner:
            raise err(404)
        return pkg

    def dates(request: Request, limit: int | None) -> tuple[date, date]:
        try:
            start = date.fromisoformat(request.query_params["start_date"])
            end = date.fromisoformat(request.query_params["end_date"])
        except (KeyError, ValueError):
            raise err(400, "invalid-package-query", "start_date and end_date are required (YYYY-MM-DD).") from None
        if end <= start:
            raise err(400, "invalid-package-query", "end_date must be after start_date.")
        if limit is not None and (end - start).days > limit:
            raise err(400, "range-too-long", f"The range is longer than {limit} days.")
        return start, end

    def stream(path: str, chunks: Iterator[str], media: str, headers: dict[str, str] | None = None) -> Response:
        nth, cut = faults.cut_after.get(path, (0, None))
        if nth != faults.seen[path]:
            cut = None

        async def gen() -> AsyncIterator[bytes]:
            sent = 0
            for text in chunks:
                data = text.encode()
                if cut is not None and sent + len(data) > cut:
                    yield data[: cut - sent]
                    raise ConnectionAbortedError("fault: stream cut")
                sent += len(data)
                yield data

        return StreamingResponse(gen(), media_type=media, headers=headers)

    async def dispatch(request: Request, s: list[str]) -> Response:
        m = request.method
        path = request.url.path
        n = len(s)
        if s[:1] == ["search"] and n == 1 and m == "POST":
            return search(await body(request))
        if s[:1] == ["users"] and n in (2, 3):
            user = store.users.get(s[1])
            org = store.orgs.get(s[1])
            if n == 2 and m == "GET":
                if user:
                    return JSONResponse(user)
                if org:
                    return JSONResponse(
                        {**{k: org[k] for k in ("id", "name", "created_at", "updated_at")}, "type": "organization"}
                    )
                raise err(404)
            if n == 3 and s[2] == "organizations" and m == "GET" and user:
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
                    if mem["username"] == s[1]
                ]
                # The spec names this list's cursor `organization_id`, not `after`.
                return org_page(request, rows)
            raise err(404)
        if s[:1] == ["organizations"] and n >= 2:
            return await organizations(request, s[1:])
        if s[:1] == ["collections"] and n >= 2:
            return await collections(request, s[1:])
        if s[:1] == ["tracking-pixels"] and n >= 2:
            owner_or_404(s[1])
            if n == 2 and m == "GET":
                return page(request, [p for p in store.pixels.values() if p["owner"] == s[1]], "id")
            if n == 2 and m == "POST":
                return JSONResponse(pixel_write(s[1], None, await body(request)), status_code=201)
            if n == 3 and s[2] == "events" and m == "GET":
                return events(
                    request,
                    path,
                    s[1],
                    [p["package"]["name"] for p in store.pixels.values() if p["owner"] == s[1]],
                    "pixel",
                )
            pix = store.pixels.get(s[2]) if n == 3 else None
            if pix is None or pix["owner"] != s[1]:
                raise err(404)
            if m == "GET":
                return JSONResponse(pix)
            if m == "PUT":
                return JSONResponse(pixel_write(s[1], pix, await body(request)))
            if m == "DELETE":
                del store.pixels[pix["id"]]
                return Response(status_code=204)
        if s[:1] == ["packages"] and n >= 2:
            return await packages(request, s[1], s[2:])
        raise err(404)

    def org_page(request: Request, rows: list[dict[str, Any]]) -> Response:
        q = request.query_params
        per = min(max(int(q.get("per_page", DEFAULT_PER_PAGE)), 1), MAX_PER_PAGE)
        ids = [r["organization_id"] for r in rows]
        start = ids.index(q["organization_id"]) + 1 if q.get("organization_id") in ids else 0
        chunk = rows[start : start + per]
        links = {"self": str(request.url)}
        if start + per < len(rows):
            rel = request.url.path + "?" + urlencode({"organization_id": chunk[-1]["organization_id"], "per_page": per})
            links["next"] = rel if faults.links == "relative" else f"{request.url.scheme}://{request.url.netloc}{rel}"
        return JSONResponse({"results": chunk, "_links": links})

    def search(data: dict[str, Any]) -> Response:
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

    async def organizations(request: Request, s: list[str]) -> Response:
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
                return page(request, members, "user_id")
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

    async def collections(request: Request, s: list[str]) -> Response:
        m = request.method
        owner_or_404(s[0])
        if len(s) == 1 and m == "GET":
            return page(request, [c for c in store.collections.values() if c["owner"] == s[0]], "id")
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

    def pixel_write(owner: str, pix: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, Any]:
        name = data.get("name")
        if not name:
            raise err(422, "name-is-empty", "The name is empty.")
        if any(p["name"] == name and p["owner"] == owner and p is not pix for p in store.pixels.values()):
            raise err(422, "name-already-exists", "A pixel has this name.")
        pkg = None
        if data.get("package_id"):
            target = store.packages.get(data["package_id"])
            if target is None or target["owner"] != owner:
                raise err(422, "invalid-package-owner", "The package belongs to another owner.")
            pkg = {k: target[k] for k in ("id", "name", "owner", "type")}
        if pix is None:
            pid = uid("pixel", owner, name)
            pix = store.pixels[pid] = {"id": pid, "owner": owner, "created_at": "2025-05-05T00:00:00Z"}
        pix.update(name=name, updated_at="2025-05-05T00:00:00Z")
        if pkg is not None:
            pix["package"] = pkg
        else:
            pix.pop("package", None)
        return pix

    async def packages(request: Request, owner: str, s: list[str]) -> Response:
        m = request.method
        path = request.url.path
        owner_or_404(owner)
        mine = store.owned(owner)
        if not s and m == "GET":
            rows = [
                p
                for p in mine
                if p["type"] in request.query_params.getlist("type") or not request.query_params.getlist("type")
            ]
            return page(request, rows, "name")
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
            return page(request, rows, lambda r: r["package"]["name"])
        if s == ["aggregates"] and m == "GET":
            return aggregates(request, path, mine)
        if s == ["events"] and m == "GET":
            query = request.query_params.get("query")
            names = [p["name"] for p in mine if not query or query in (p["name"], p["id"])]
            return events(request, path, owner, names, "package")
        if len(s) >= 2 and s[0] in TYPES and m == "GET":
            name = "/".join(s[1:])
            found = [p for p in mine if p["type"] == s[0] and p["name"] == name]
            if not found:
                raise err(404)
            return JSONResponse(found[0])
        if len(s) == 2 and s[1] == "events" and m == "GET":
            pix = store.pixels.get(s[0])
            if pix is not None and pix["owner"] == owner:
                return events(request, path, owner, [pix.get("package", {}).get("name", pix["name"])], "pixel")
            return events(request, path, owner, [package(owner, s[0])["name"]], "package")
        pkg = package(owner, s[0])
        pid = pkg["id"]
        if len(s) == 1:
            if m == "GET":
                return JSONResponse(pkg)
            if m == "PUT":
                data = await body(request)
                if not data.get("name"):
                    raise err(422, "package-name-is-empty", "The name is empty.")
                pkg.update(
                    {k: data[k] for k in ("name", "short_description", "long_description", "website") if k in data}
                )
                return JSONResponse(pkg)
            if m == "DELETE":
                del store.packages[pid]
                return Response(status_code=204)
        sub = s[1]
        if sub == "tracking-pixels" and m == "GET" and len(s) == 2:
            return page(
                request, [p for p in store.pixels.values() if p.get("package", {}).get("id") == pid], "id", bare=True
            )
        if sub == "permissions":
            perms = store.permissions[pid]
            if len(s) == 2 and m == "GET":
                rows = [{"user_id": store.user_id(u), "username": u, "permission_level": lv} for u, lv in perms.items()]
                return page(request, rows, "user_id", bare=True)
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
                return page(request, routes, "id", bare=True)
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
                return page(request, doms, "id", bare=True)
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

    def aggregates(request: Request, path: str, mine: list[dict[str, Any]]) -> Response:
        start, end = dates(request, 800)
        q = request.query_params
        query = q.get("query")
        pkgs = [p for p in mine if not query or query in (p["name"], p["id"])]
        if query and not pkgs:
            raise err(400, "invalid-package-query", "No package matches the query.")
        rollups = q.getlist("rollup") or ["daily"]
        breakdowns = q.getlist("breakdown") or ["by-total"]
        bad = [b for b in breakdowns if b not in BREAKDOWN_FIELDS] + [
            r for r in rollups if r not in ("daily", "weekly", "monthly", "yearly")
        ]
        if bad:
            raise err(400, "invalid-package-query", f"Unknown breakdown or rollup: {bad[0]}")

        def rows() -> Iterator[str]:
            for rollup in rollups:
                for p in pkgs:
                    for period, days in periods(start, end, rollup):
                        for b in breakdowns:
                            fields = BREAKDOWN_FIELDS[b]
                            for i in range(max((len(v) for _, v in fields), default=1)):
                                total = sum(count(p["id"], d, b, i) for d in days)
                                if total == 0:
                                    continue
                                row: dict[str, Any] = {
                                    "date": period.isoformat(),
                                    "artifact": p["name"],
                                    "breakdown": b,
                                    "rollup": rollup,
                                    "total": total,
                                    "total_unique": max(count(p["id"], d, b, i) for d in days),
                                }
                                row.update({k: v[i % len(v)] for k, v in fields})
                                yield json.dumps(row) + "\n"

        return stream(path, rows(), "application/x-ndjson")

    def events(request: Request, path: str, owner: str, names: list[str], kind: str) -> Response:
        start, end = dates(request, MAX_EVENT_DAYS)

        def rows() -> Iterator[str]:
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(EVENT_COLUMNS)
            for day in range((end - start).days):
                d = start + timedelta(days=day)
                for name in names:
                    for k in range(count(name, d, "events", 0) % 3):
                        w.writerow(
                            [
                                "pixel-fetch" if kind == "pixel" else "package-download",
                                name,
                                f"1.{k}.0",
                                f"{d.isoformat()}T0{k}:00:00Z",
                                "https://docs.example/",
                                "curl/8.0",
                                "",
                                uid("origin", name, k),
                                "US",
                                "Initech, Inc.",
                                "initech.example",
                                "isp",
                                uid("event", name, d, k),
                            ]
                        )
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()

        name = f"{owner}-{kind}-events-{start}-{end}.csv"
        return stream(path, rows(), "text/csv", {"Content-Disposition": f'attachment; filename="{name}"'})

    return Starlette(routes=[Route("/v2/{rest:path}", entry, methods=["GET", "POST", "PUT", "DELETE"])])


def variables(template: str) -> set[str]:
    out: set[str] = set()
    for part in template.split("{")[1:]:
        name = part.split("}", 1)[0].lstrip("+#./;?&")
        out.update(v.split(":")[0].rstrip("*") for v in name.split(","))
    return out


def periods(start: date, end: date, rollup: str) -> Iterator[tuple[date, list[date]]]:
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    groups: dict[date, list[date]] = {}
    for d in days:
        if rollup == "weekly":
            key = d - timedelta(days=d.weekday())
        elif rollup == "monthly":
            key = d.replace(day=1)
        elif rollup == "yearly":
            key = d.replace(month=1, day=1)
        else:
            key = d
        groups.setdefault(key, []).append(d)
    yield from groups.items()


def count(key: str, d: date, breakdown: str, i: int) -> int:
    return hash_name(f"{key}|{d.isoformat()}|{breakdown}|{i}") % 40


if __name__ == "__main__":  # python -m tests.independent_v2.server PORT: serve it for a manual try
    import sys

    import uvicorn

    uvicorn.run(make_app(), host="127.0.0.1", port=int(sys.argv[1]) if len(sys.argv) > 1 else 8799, log_level="warning")
