"""Pages of the independent v2 server's lists.

Cursor lists (`results` + `_links.next`): `after` is the last item's cursor; `per_page` defaults
to DEFAULT_PER_PAGE and is clamped to MAX_PER_PAGE, so even a client asking for more must follow
`next`. `next` is an absolute URL on this origin (or root-relative with links="relative"). Bare
arrays are paged by the same `after`/`per_page`, with no links. A user's organizations page on
`organization_id` instead (the spec names that list's cursor so).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .faults import Faults
from .problems import err

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 25


def page(
    faults: Faults,
    request: Request,
    items: list[dict[str, Any]],
    cursor: str | Callable[[dict[str, Any]], str],
    bare: bool = False,
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


def org_page(faults: Faults, request: Request, rows: list[dict[str, Any]]) -> Response:
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
