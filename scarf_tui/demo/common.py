"""What the embedded server's two API versions share: errors, authentication, request-body
checks, access lookups over the store, and the NDJSON/CSV streaming of the data exports (with
the stream faults).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from datetime import date

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from scarf_tui.demo.faults import Faults, garble_json
from scarf_tui.demo.store import DemoStore, DemoUser
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
    LibraryType,
    MemberRole,
    PermissionLevel,
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
        finally:
            if request.method not in ("GET", "HEAD"):
                store_of(request).generation += 1  # memoized big lists (v2_common) are stale now

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


def name_taken(store: DemoStore, owner: str, name: str, kind: str | None, *, except_uuid: str = "") -> bool:
    return any(
        p["owner"] == owner and p["name"] == name and p.get("libraryType") == kind and p["uuid"] != except_uuid
        for p in store.packages.values()
    )


def package_for(store: DemoStore, uuid: str, user: DemoUser, *, write: bool = False) -> dict:
    access = store.package_access(uuid, user.username)
    if access is None:
        raise error(404, f"Package {uuid!r} was not found.")
    if write and access != "admin":
        raise error(403, "You need admin permission on this package to change it.")
    return store.packages[uuid]


ROUTE_KINDS = ("file",)
DOMAIN_KINDS = ("file", "python")


def require_kind(store: DemoStore, uuid: str, allowed: tuple[str, ...], what: str) -> None:
    kind = store.library_type(uuid)
    if kind not in allowed:
        kinds = " and ".join(allowed)
        raise error(400, f"{what} are only available for {kinds} packages; this package is {kind or 'untyped'}.")


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


async def http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    message = {404: "Not found.", 405: "Method not allowed."}.get(status, getattr(exc, "detail", "Error"))
    headers = getattr(exc, "headers", None)
    return JSONResponse({"error": message}, status_code=status, headers=headers)


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
