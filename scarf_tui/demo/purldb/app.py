"""The embedded PurlDB-compatible server: the endpoints of the PurlDB REST API reference over
deterministic records (scarf_tui.demo.purldb.data), as a Starlette app.

Choices the reference leaves open (clients may rely on them):
- Paths are accepted with and without the trailing slash; details answer at
  /api/packages/{uuid}/ and at the reference's /api/projects/{uuid}/ alike.
- Lists are page-number paginated (``page``, ``page_size`` up to 100, default 10) with
  absolute ``next``/``previous`` links built from the request's own URL.
- Filters are exact matches on the reference's fields; ``package_url`` matches the purl's
  parts that are given; ``release_date`` accepts a day (YYYY-MM-DD). Unknown filters are ignored.
- Errors: 401/404 {"detail"} (as PurlDB's REST framework answers); a bad filter value
  400 {"errors": {field: [..]}}; with ``quota_exhausted`` 402 {"error", "url"}.
- With ``api_key`` set, every request needs ``Authorization: Token <api_key>``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from scarf_tui.demo.faults import Faults
from scarf_tui.demo.purldb.data import Record, build_records
from scarf_tui.demo.pypicloud.faults import SourceFaultMiddleware
from scarf_tui.demo.pypicloud.routing import base_url

FILTERS = (
    "type", "namespace", "name", "version", "qualifiers", "subpath", "download_url", "filename",
    "sha1", "sha256", "md5", "size", "release_date", "package_url",
)
DEFAULT_PAGE_SIZE = 10
Endpoint = Callable[[Request], Awaitable[Response]]
MAX_PAGE_SIZE = 100


@dataclass
class PurldbStore:
    records: list[Record] = field(default_factory=list)
    api_key: str | None = None  # when set, requests need "Authorization: Token <api_key>"
    quota_exhausted: bool = False  # every request answers 402
    reindexed: list[str] = field(default_factory=list)

    def by_uuid(self, uuid: str) -> Record | None:
        for record in self.records:
            if record.fields["uuid"] == uuid:
                return record
        return None


def build_purldb_store(*, hostile: bool = False, api_key: str | None = None) -> PurldbStore:
    return PurldbStore(build_records(hostile=hostile), api_key=api_key)


class Fail(Exception):
    def __init__(self, status: int, payload: dict) -> None:
        super().__init__(status)
        self.status, self.payload = status, payload


def _store(request: Request) -> PurldbStore:
    return request.app.state.store


def _check(request: Request) -> PurldbStore:
    store = _store(request)
    if store.quota_exhausted:
        raise Fail(402, {"error": "The look-up quota of this API key is used up",
                         "url": "https://purldb.example/billing"})
    if store.api_key is not None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "token" or not value:
            raise Fail(401, {"detail": "Authentication credentials were not provided."})
        if value.strip() != store.api_key:
            raise Fail(401, {"detail": "Invalid token."})
    return store


def _absolute(request: Request, path: str) -> str:
    return f"{base_url(request)}{path}"


def _public(request: Request, record: Record) -> dict:
    uuid = record.fields["uuid"]
    base = _absolute(request, f"/api/packages/{uuid}/")
    return {"url": base, **record.fields, "resources": base + "resources/", "history": base + "history/"}


def _paginate(request: Request, items: list, render: Callable[[Any], dict]) -> JSONResponse:
    try:
        page = int(request.query_params.get("page", "1"))
        size = int(request.query_params.get("page_size", str(DEFAULT_PAGE_SIZE)))
    except ValueError:
        raise Fail(404, {"detail": "Invalid page."}) from None
    size = max(1, min(size, MAX_PAGE_SIZE))
    pages = max(1, -(-len(items) // size))
    if page < 1 or page > pages:
        raise Fail(404, {"detail": "Invalid page."})
    chunk = items[(page - 1) * size: page * size]
    next_url = str(request.url.include_query_params(page=page + 1)) if page < pages else None
    if page > 2:
        previous = str(request.url.include_query_params(page=page - 1))
    elif page == 2:
        previous = str(request.url.remove_query_params("page"))
    else:
        previous = None
    return JSONResponse({"count": len(items), "next": next_url, "previous": previous,
                         "results": [render(i) for i in chunk]})


def _purl_parts(text: str) -> dict[str, str]:
    rest = text.removeprefix("pkg:")
    rest = rest.split("#", 1)[0].split("?", 1)[0]
    kind, _, path = rest.partition("/")
    head, slash, last = path.rpartition("/")
    version = ""
    if "@" in last[1:]:
        at = last.index("@", 1)
        last, version = last[:at], last[at + 1:]
    segments = [unquote(s) for s in (head + slash + last).split("/") if s]
    parts = {"type": kind.lower()}
    if segments:
        parts["name"] = segments[-1]
        if len(segments) > 1:
            parts["namespace"] = "/".join(segments[:-1])
    if version:
        parts["version"] = unquote(version)
    return parts


def _matches(record: Record, filters: dict[str, str]) -> bool:
    row = record.fields
    for key, wanted in filters.items():
        if key == "package_url":
            if not all(str(row.get(k) or "") == v for k, v in _purl_parts(wanted).items()):
                return False
        elif key == "release_date":
            if not str(row.get("release_date") or "").startswith(wanted):
                return False
        elif key == "size":
            if row.get("size") != int(wanted):
                return False
        elif str(row.get(key) or "") != wanted:
            return False
    return True


async def list_packages(request: Request) -> Response:
    store = _check(request)
    filters = {k: v for k, v in request.query_params.items() if k in FILTERS and v != ""}
    if "size" in filters and not filters["size"].isdigit():
        raise Fail(400, {"errors": {"size": ["Enter a whole number."]}})
    found = [r for r in store.records if _matches(r, filters)]
    return _paginate(request, found, lambda r: _public(request, r))


def _record(request: Request) -> Record:
    store = _check(request)
    record = store.by_uuid(request.path_params["uuid"])
    if record is None:
        raise Fail(404, {"detail": "Not found."})
    return record


async def package_details(request: Request) -> Response:
    return JSONResponse(_public(request, _record(request)))


async def package_history(request: Request) -> Response:
    return JSONResponse({"history": _record(request).history})


async def package_resources(request: Request) -> Response:
    record = _record(request)
    purl = record.fields["purl"]
    base = _absolute(request, f"/api/packages/{record.fields['uuid']}/")
    items = list(range(record.resource_count))

    def render(i: int) -> dict:
        is_dir = i % 5 == 0
        name = f"dir{i}" if is_dir else f"module_{i}.py"
        return {
            "package": base, "purl": purl, "path": f"src/{name}", "type": "directory" if is_dir else "file",
            "name": name, "extension": "" if is_dir else ".py", "size": 0 if is_dir else 100 + i * 37,
            "md5": "", "sha1": "" if is_dir else f"{i:040x}", "sha256": "", "sha512": None, "git_sha1": None,
            "mime_type": "" if is_dir else "text/x-script.python", "file_type": "",
            "programming_language": "" if is_dir else "Python", "is_binary": False, "is_text": not is_dir,
            "is_archive": False, "is_media": False, "is_key_file": i == 1,
            "detected_license_expression": "", "detected_license_expression_spdx": "",
            "license_detections": [], "license_clues": [], "percentage_of_license_text": None,
            "copyrights": [], "holders": [], "authors": [], "package_data": [], "emails": [], "urls": [],
            "extra_data": {},
        }

    return _paginate(request, items, render)


async def enhanced_data(request: Request) -> Response:
    record = _record(request)
    data = {k: v for k, v in record.fields.items() if k != "uuid"}
    return JSONResponse(data)


async def reindex(request: Request) -> Response:
    record = _record(request)
    _store(request).reindexed.append(record.fields["uuid"])
    return JSONResponse({"status": f"{record.fields['purl']} has been queued for reindexing"})


async def api_root(request: Request) -> Response:
    _check(request)
    return JSONResponse({"packages": _absolute(request, "/api/packages/")})


def _guarded(handler: Endpoint) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except Fail as problem:
            return JSONResponse(problem.payload, status_code=problem.status)

    return endpoint


def _both(path: str, handler: Endpoint) -> list[Route]:
    """The path with and without its trailing slash (no redirect between them)."""
    endpoint = _guarded(handler)
    return [Route(path + "/", endpoint, methods=["GET"]), Route(path, endpoint, methods=["GET"])]


def create_purldb_app(store: PurldbStore | None = None, faults: Faults | None = None) -> Starlette:
    """The PurlDB-compatible app over ``store`` (default: the demo records, no API key)."""
    pkg = "/api/packages/{uuid}"
    routes = [
        *_both("/api", api_root),
        *_both("/api/packages", list_packages),
        *_both(pkg + "/history", package_history),
        *_both(pkg + "/resources", package_resources),
        *_both(pkg + "/get_enhanced_package_data", enhanced_data),
        *_both(pkg + "/reindex_package", reindex),
        *_both(pkg, package_details),
        *_both("/api/projects/{uuid}", package_details),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SourceFaultMiddleware)])
    app.router.redirect_slashes = False
    app.state.store = store if store is not None else build_purldb_store()
    app.state.faults = faults if faults is not None else Faults()
    return app
