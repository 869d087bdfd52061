"""An independent Scarf API v2 server, written from the API's OpenAPI document and its published
notes only (not from scarf_tui/demo), to try our client as a new user would.

Reading of the spec, where it leaves a choice:
- Bearer auth on every path; a missing or wrong token is 401 with an empty body.
- Cursor lists (`results` + `_links.next`): `after` is the last item's cursor (a package's name,
  as the spec's example "library/ubuntu" suggests; ids elsewhere); `per_page` defaults to 10 and
  is clamped to MAX_PER_PAGE, so even a client asking for more must follow `next`. `next` is an
  absolute URL on this origin (or root-relative with links="relative"). (paging.py)
- Lists the spec types as bare arrays (routes, domains, permissions, a package's pixels) are
  bare arrays, paginated by the same `after`/`per_page` (no links: the spec gives them none).
- Aggregates are NDJSON (`application/x-ndjson`), one row per artifact, period and breakdown
  value; `artifact` is the package name; weekly periods start on Monday, monthly on the 1st.
  `total_unique` of a rolled-up period is not the sum of the days' uniques. (analytics.py)
- Events are CSV with a Content-Disposition header, at most 31 days (else 400 range-too-long).

Faults (faults.py, mutable by tests): 429 with Retry-After on the Nth request to a path, a stream
cut after some bytes, an HTML page with status 200, an error message that echoes the token.

This module authenticates, applies the faults and dispatches; the routes live in routes_*.py.
"""

from __future__ import annotations

from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .data import TOKEN, Store, build_store
from .faults import Faults
from .problems import Problem, body, err
from .routes_accounts import collections, organizations, search, users
from .routes_packages import packages
from .routes_pixels import tracking_pixels

__all__ = ["Faults", "make_app"]


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
            return await dispatch(store, faults, request, segs)
        except Problem as p:
            if p.code is None:
                return Response(status_code=p.status)
            return JSONResponse({"code": p.code, "message": p.message}, status_code=p.status)

    return Starlette(routes=[Route("/v2/{rest:path}", entry, methods=["GET", "POST", "PUT", "DELETE"])])


async def dispatch(store: Store, faults: Faults, request: Request, s: list[str]) -> Response:
    """The route for the path segments after /v2 (a Problem for none)."""
    n = len(s)
    if s[:1] == ["search"] and n == 1 and request.method == "POST":
        return search(store, await body(request))
    if s[:1] == ["users"] and n in (2, 3):
        return users(store, faults, request, s[1:])
    if s[:1] == ["organizations"] and n >= 2:
        return await organizations(store, faults, request, s[1:])
    if s[:1] == ["collections"] and n >= 2:
        return await collections(store, faults, request, s[1:])
    if s[:1] == ["tracking-pixels"] and n >= 2:
        return await tracking_pixels(store, faults, request, s[1:])
    if s[:1] == ["packages"] and n >= 2:
        return await packages(store, faults, request, s[1], s[2:])
    raise err(404)


if __name__ == "__main__":  # python -m tests.independent_v2.server PORT: serve it for a manual try
    import sys

    import uvicorn

    uvicorn.run(make_app(), host="127.0.0.1", port=int(sys.argv[1]) if len(sys.argv) > 1 else 8799, log_level="warning")
