"""The embedded server's Scarf API v2 routes beyond packages: tracking pixels, collections,
search, the packages overview, aggregates (rollup and breakdown) and the event exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from scarf_tui.demo.common import (
    ApiError,
    csv_response,
    endpoint,
    faults_of,
    no_content,
    ok,
    package_event_chunks,
    read_object,
    stream_lines,
)
from scarf_tui.demo.routes_v2_rollups import Run, day_run, distinct_visitors
from scarf_tui.demo.store import DemoStore, DemoUser, Pixel, utc_now_iso
from scarf_tui.demo.traffic import (
    aggregate_rows,
    data_days,
    header_record,
    ndjson_line,
    pixel_event_records,
    variables_of,
)
from scarf_tui.demo.v2_common import (
    EVENTS_MAX_DAYS,
    V2_TYPES,
    can_manage_owner,
    can_see_owner,
    coded,
    cursor_key,
    domain_v2,
    empty,
    level_v2,
    message,
    owner_exists,
    owner_list,
    package_ref,
    package_v2,
    paginate,
    pixel_package_ref,
    pixel_v2,
    require_pro,
    the_store,
    v2_package,
    v2_range,
)

BREAKDOWNS = {  # v1 row breakdown -> v2 name
    "total": "by-total", "company": "by-company", "cloud_provider": "by-cloudprovider", "country": "by-country",
    "platform": "by-platform", "version": "by-version", "client": "by-client", "variable": "by-variable",
}
EXTRA_BREAKDOWNS = ("by-referer", "by-domain", "by-total-do-not-track", "by-educational-organization",
                    "by-govermental-organization")
ROLLUPS = ("daily", "weekly", "monthly", "yearly")
REFERERS = (("github.com", 0.5), ("pypi.org", 0.2), ("(direct)", 0.3))
PATTERN = re.compile(r"[a-z0-9._/*-]+")


# --- tracking pixels ------------------------------------------------------------------------------------


def _pixel_of(store: DemoStore, owner: str, pixel_id: str, user: DemoUser, *, write: bool = False) -> Pixel:
    px = store.pixels.get(pixel_id)
    if px is None or px.owner != owner or not can_see_owner(store, owner, user.username):
        raise empty(404)
    if write and not can_manage_owner(store, owner, user.username):
        raise empty(403)
    return px


def _pixel_fields(store: DemoStore, owner: str, body: dict, *, current: str | None, updating: bool) -> tuple:
    name, package_id = body.get("name"), body.get("package_id")
    if not isinstance(name, str) or not name.strip():
        raise coded(422, "name-is-empty", "The name is empty.")
    if any(p.owner == owner and p.name == name and p.id != current for p in store.pixels.values()):
        raise coded(422, "name-already-exists", "The name exists.")
    if package_id is not None:
        pkg = store.packages.get(str(package_id))
        if pkg is None or pkg["owner"] != owner or pkg.get("libraryType") not in V2_TYPES:
            if updating:
                raise coded(422, "invalid-package-owner", "The package belongs to another owner.")
            raise message(422, "package_id is not a package of this owner.")
    return name, package_id


@endpoint
async def pixels_route(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    owner = request.path_params["owner"]
    if not owner_exists(store, owner) or not can_see_owner(store, owner, user.username):
        raise empty(404)
    if request.method == "GET":
        items = [pixel_v2(store, p) for p in store.pixels.values() if p.owner == owner]
        return ok(request, paginate(request, items, key=lambda p: p["id"]))
    if not can_manage_owner(store, owner, user.username):
        raise empty(403)
    name, package_id = _pixel_fields(store, owner, await read_object(request), current=None, updating=False)
    px = Pixel(store.new_id("pixel", owner, name), owner, name, package_id, f"https://{owner}.example/docs")
    store.pixels[px.id] = px
    return ok(request, pixel_v2(store, px), 201)


@endpoint
async def pixel_route(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    owner, pixel_id = request.path_params["owner"], request.path_params["pixel_id"]
    px = _pixel_of(store, owner, pixel_id, user, write=request.method != "GET")
    if request.method == "GET":
        return ok(request, pixel_v2(store, px))
    if request.method == "DELETE":
        del store.pixels[px.id]
        return no_content()
    px.name, px.package = _pixel_fields(store, owner, await read_object(request), current=px.id, updating=True)
    return ok(request, pixel_v2(store, px))


# --- collections -------------------------------------------------------------------------------------------


def _collection_fields(store: DemoStore, owner: str, body: dict, *, current: str | None) -> dict:
    pattern, backend, public = body.get("pattern"), body.get("backend_domain"), body.get("public_domain")
    if current is None and body.get("type", "docker") != "docker":
        raise coded(422, "type-is-invalid", "Collections are docker only.")
    if not isinstance(pattern, str) or not pattern.strip():
        raise coded(422, "pattern-is-empty", "The pattern is empty.")
    if not PATTERN.fullmatch(pattern):
        raise coded(422, "pattern-has-invalid-characters", "The pattern has invalid characters.")
    if "*" not in pattern or pattern.startswith("/") or "//" in pattern:
        raise coded(422, "pattern-is-invalid", "The pattern must be a docker name pattern with '*'.")
    if any(c["owner"] == owner and c["pattern"] == pattern and c["id"] != current for c in store.collections.values()):
        raise coded(422, "pattern-is-duplicated", "The pattern exists.")
    if not isinstance(backend, str) or not backend.strip():
        raise coded(422, "backend-registry-is-empty", "backend_domain is empty.")
    if not re.fullmatch(r"[A-Za-z0-9.-]+(:[0-9]+)?", backend.strip()):
        raise coded(422, "backend-registry-has-invalid-characters", "backend_domain is not a host.")
    if public is not None:
        if not isinstance(public, str) or not public.strip():
            raise coded(422, "public-domain-is-empty", "public_domain is empty.")
        if not re.fullmatch(r"[A-Za-z0-9.-]+", public.strip()):
            raise coded(422, "public-domain-has-invalid-characters", "public_domain has invalid characters.")
        lowered = public.strip().lower()
        if lowered in store.all_domain_names() or any(
            c["public_domain"] == lowered and c["id"] != current for c in store.collections.values()
        ):
            raise coded(422, "public-domain-is-already-in-use", "public_domain is in use.")
    return {"pattern": pattern, "backend_domain": backend.strip(),
            "public_domain": public.strip().lower() if isinstance(public, str) else f"{owner}.docker.scarf.sh"}


def _owner_for_collections(request: Request, user: DemoUser, *, write: bool) -> tuple[DemoStore, str]:
    store = the_store(request)
    owner = request.path_params["owner"]
    if not owner_exists(store, owner):
        raise empty(404)
    if not can_see_owner(store, owner, user.username):
        raise empty(403)
    if write and not can_manage_owner(store, owner, user.username):
        raise empty(403)
    return store, owner


@endpoint
async def collections_route(request: Request, user: DemoUser) -> Response:
    store, owner = _owner_for_collections(request, user, write=request.method != "GET")
    if request.method == "GET":
        items = [c for c in store.collections.values() if c["owner"] == owner]
        return ok(request, paginate(request, items, key=lambda c: c["id"]))
    fields = _collection_fields(store, owner, await read_object(request), current=None)
    now = utc_now_iso()
    ident = store.new_id("collection", owner, fields["pattern"])
    collection = {"id": ident, "owner": owner, "type": "docker", "created_at": now, "updated_at": now, **fields}
    store.collections[ident] = collection
    return ok(request, collection, 201)


@endpoint
async def collection_route(request: Request, user: DemoUser) -> Response:
    store, owner = _owner_for_collections(request, user, write=request.method != "GET")
    collection = store.collections.get(request.path_params["collection_id"])
    if collection is None or collection["owner"] != owner:
        raise empty(404)
    if request.method == "GET":
        return ok(request, collection)
    if request.method == "DELETE":
        del store.collections[collection["id"]]
        return no_content()
    collection.update(_collection_fields(store, owner, await read_object(request), current=collection["id"]))
    collection["updated_at"] = utc_now_iso()
    return ok(request, collection)


# --- search and overview ---------------------------------------------------------------------------------


@endpoint
async def search(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    body = await read_object(request)
    query, context = body.get("query"), body.get("context")
    if not isinstance(query, str):
        raise message(422, "query is required.")
    folded = query.casefold()
    results: list[dict] = []
    for pkg in store.packages.values():
        if pkg.get("libraryType") not in V2_TYPES or (context and pkg["owner"] != context):
            continue
        if folded in pkg["name"].casefold() and level_v2(store, pkg, user.username):
            results.append({"type": "package", "package": package_ref(pkg)})
    for px in store.pixels.values():
        if (context and px.owner != context) or not can_see_owner(store, px.owner, user.username):
            continue
        if folded in px.name.casefold():
            item: dict[str, object] = {"id": px.id, "owner": px.owner, "name": px.name}
            if (ref := pixel_package_ref(store, px)) is not None:
                item["package"] = ref
            results.append({"type": "tracking-pixel", "tracking-pixel": item})
    return ok(request, {"results": results[:50]})


async def overview(request: Request, store: DemoStore, owner: str, user: DemoUser) -> Response:
    page = paginate(request, owner_list(store, owner, user, request), cursor_key)
    page["results"] = [
        {"package": package_v2(store, p), "domains": [domain_v2(p, d) for d in store.domains.get(p["uuid"], [])]}
        for p in page["results"]
    ]
    return ok(request, page)


# --- aggregates --------------------------------------------------------------------------------------------


def period_start(day: date, rollup: str) -> date:
    if rollup == "weekly":
        return day - timedelta(days=day.weekday())
    if rollup == "monthly":
        return day.replace(day=1)
    if rollup == "yearly":
        return day.replace(month=1, day=1)
    return day


def v2_rows(store: DemoStore, pkg: dict, day: date) -> list[dict]:
    """A package-day's rows in v2 shape (without rollup): the v1 rows renamed, then the extras."""
    uuid = pkg["uuid"]
    variables = variables_of(store.routes.get(uuid, ())) if pkg.get("libraryType") == "file" else ()
    out = []
    total = 0
    for row in aggregate_rows(store.profile(uuid), day, store.today, variables):
        v2 = {k: v for k, v in row.items() if k not in ("package", "unique_total", "client_version")}
        v2["breakdown"], v2["artifact"] = BREAKDOWNS.get(row["breakdown"], row["breakdown"]), uuid
        if "unique_total" in row:
            v2["total_unique"] = row["unique_total"]
        if row["breakdown"] == "total":
            total = row["total"]
        out.append(v2)
    if total:
        iso = day.isoformat()
        for name, share in REFERERS:
            out.append({"breakdown": "by-referer", "date": iso, "artifact": uuid, "referer": name,
                        "total": max(1, round(total * share))})
        first = store.domains.get(uuid, [])[:1] or [{"name": f"{pkg['owner']}.gateway.scarf.sh"}]
        base = {"date": iso, "artifact": uuid}
        out.append({**base, "breakdown": "by-domain", "domain": first[0]["name"], "total": total})
        out.append({**base, "breakdown": "by-total-do-not-track", "total": max(1, total // 20)})
        out.append({**base, "breakdown": "by-educational-organization", "company_name": "University of Example",
                    "company_domain": "example.edu", "total": max(1, total // 25)})
        out.append({**base, "breakdown": "by-govermental-organization", "company_name": "Example Agency",
                    "company_domain": "agency.example.gov", "total": max(1, total // 50)})
    return out


def _row_key(row: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in row.items() if k not in ("total", "total_unique", "date")))


def aggregate_chunks(store: DemoStore, packages: list[dict], start: date, end: date, rollup: str,
                     wanted: set[str]) -> Iterator[list[str]]:
    sums: dict[tuple, dict] = {}
    runs: dict[str, list[Run]] = {}  # artifact -> its visitors on each day of the period
    current: date | None = None

    def flush() -> list[str]:
        for row in sums.values():  # a period's uniques are counted over it (routes_v2_rollups)
            if rollup != "daily" and row["breakdown"] == "by-total" and "total_unique" in row:
                row["total_unique"] = distinct_visitors(runs.get(row["artifact"], []))
        lines = [ndjson_line(row) for row in sums.values()]
        sums.clear()
        runs.clear()
        return lines

    for day in data_days(store.today, start, end):
        period = period_start(day, rollup)
        if current is not None and period != current and sums:
            yield flush()
        current = period
        for pkg in packages:
            if pkg["uuid"] not in store.packages:
                continue
            for row in v2_rows(store, pkg, day):
                if wanted and row["breakdown"] not in wanted:
                    continue
                if row["breakdown"] == "by-total" and "total_unique" in row:
                    visitors = day_run(store, row["artifact"], day, row["total_unique"])
                    runs.setdefault(row["artifact"], []).append(visitors)
                key = _row_key(row)
                if key not in sums:
                    sums[key] = {**row, "date": period.isoformat(), "rollup": rollup}
                    continue
                into = sums[key]
                into["total"] += row["total"]
    if sums:
        yield flush()


async def owner_aggregates(request: Request, store: DemoStore, owner: str, user: DemoUser) -> Response:
    require_pro(user)
    if not owner_exists(store, owner) or not can_see_owner(store, owner, user.username):
        raise coded(404, "not-found", "Owner not found.")
    start, end = v2_range(request, max_days=None)
    rollups = request.query_params.getlist("rollup") or ["daily"]
    if any(r not in ROLLUPS for r in rollups):
        raise message(400, "rollup must be daily, weekly, monthly or yearly.")
    wanted = set(request.query_params.getlist("breakdown"))
    if wanted - set(BREAKDOWNS.values()) - set(EXTRA_BREAKDOWNS):
        raise message(400, "Unknown breakdown.")
    query = request.query_params.get("query")
    packages = [p for p in owner_list(store, owner, user, request) if not query or query in p["name"]]

    def chunks() -> Iterator[list[str]]:
        for rollup in rollups:
            yield from aggregate_chunks(store, packages, start, end, rollup, wanted)

    return StreamingResponse(stream_lines(chunks(), faults_of(request), ndjson=True), media_type="application/x-ndjson")


# --- events ----------------------------------------------------------------------------------------------


def pixel_chunks(store: DemoStore, pixels: list[Pixel], start: date, end: date) -> Iterator[list[str]]:
    yield [header_record()]
    for day in data_days(store.today, start, end):
        for px in pixels:
            name = store.packages[px.package]["name"] if px.package in store.packages else ""
            records = pixel_event_records(px.id, name, px.docs_url, day, store.today, store.events_scale)
            if records:
                yield records


def owner_package_chunks(store: DemoStore, packages: list[dict], start: date, end: date) -> Iterator[list[str]]:
    yield [header_record()]
    for pkg in packages:
        for chunk in package_event_chunks(store, pkg["uuid"], start, end):
            yield chunk[1:] if chunk and chunk[0] == header_record() else chunk


def _export_owner(store: DemoStore, owner: str, user: DemoUser) -> None:
    require_pro(user)
    if not owner_exists(store, owner) or not can_see_owner(store, owner, user.username):
        raise coded(404, "not-found", "Owner not found.")


async def package_events(request: Request, store: DemoStore, owner: str, ident: str, user: DemoUser) -> Response:
    """/v2/packages/{owner}/{id}/events: the id is a package's or a tracking pixel's."""
    require_pro(user)
    px = store.pixels.get(ident)
    if px is not None and px.owner == owner and can_see_owner(store, owner, user.username):
        start, end = v2_range(request, max_days=EVENTS_MAX_DAYS)
        return csv_response(request, pixel_chunks(store, [px], start, end))
    try:
        pkg = v2_package(store, owner, ident, user)
    except ApiError:  # a hidden package or a refused lookup is this export's "not found"
        raise coded(404, "not-found", "Package not found.") from None
    start, end = v2_range(request, max_days=EVENTS_MAX_DAYS)
    return csv_response(request, package_event_chunks(store, pkg["uuid"], start, end))


async def owner_events(request: Request, store: DemoStore, owner: str, user: DemoUser) -> Response:
    _export_owner(store, owner, user)
    start, end = v2_range(request, max_days=EVENTS_MAX_DAYS)
    return csv_response(request, owner_package_chunks(store, owner_list(store, owner, user, request), start, end))


@endpoint
async def pixels_events(request: Request, user: DemoUser) -> Response:
    store = the_store(request)
    owner = request.path_params["owner"]
    _export_owner(store, owner, user)
    start, end = v2_range(request, max_days=EVENTS_MAX_DAYS)
    pixels = [p for p in store.pixels.values() if p.owner == owner]
    return csv_response(request, pixel_chunks(store, pixels, start, end))
