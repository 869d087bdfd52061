"""The data-export routes of the embedded server's Scarf API v1: NDJSON aggregates per
organization and user, events CSV per package and for pixels (at most 31 days per request).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from scarf_tui.demo.common import (
    csv_response,
    date_range,
    endpoint,
    error,
    ndjson_response,
    package_event_chunks,
    package_for,
    pixel_event_chunks,
    require_export,
    store_of,
    visible_org,
)
from scarf_tui.demo.store import DemoUser
from scarf_tui.domain import MAX_EVENT_WINDOW_DAYS


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
