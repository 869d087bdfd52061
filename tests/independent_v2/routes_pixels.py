"""Routes of the independent v2 server for /tracking-pixels/{owner}[/{id}|/events]."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .analytics import events
from .data import Store, uid
from .faults import Faults
from .paging import page
from .problems import body, err, owner_or_404


async def tracking_pixels(store: Store, faults: Faults, request: Request, s: list[str]) -> Response:
    """`s` is the path after /tracking-pixels: the owner, then a pixel id or "events"."""
    m = request.method
    n = len(s)
    owner_or_404(store, s[0])
    if n == 1 and m == "GET":
        return page(faults, request, [p for p in store.pixels.values() if p["owner"] == s[0]], "id")
    if n == 1 and m == "POST":
        return JSONResponse(pixel_write(store, s[0], None, await body(request)), status_code=201)
    if n == 2 and s[1] == "events" and m == "GET":
        names = [p["package"]["name"] for p in store.pixels.values() if p["owner"] == s[0]]
        return events(faults, request, request.url.path, s[0], names, "pixel")
    pix = store.pixels.get(s[1]) if n == 2 else None
    if pix is None or pix["owner"] != s[0]:
        raise err(404)
    if m == "GET":
        return JSONResponse(pix)
    if m == "PUT":
        return JSONResponse(pixel_write(store, s[0], pix, await body(request)))
    if m == "DELETE":
        del store.pixels[pix["id"]]
        return Response(status_code=204)
    raise err(404)


def pixel_write(store: Store, owner: str, pix: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, Any]:
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
