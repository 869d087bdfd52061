"""Cursor pagination of the Scarf API v2, and the v2 flavour of the HTTP client.

List endpoints answer ``{"results": [...], "_links": {"next": URL}}``; some answer a bare array.
``iter_raw_pages`` asks for the largest page size, follows ``next`` links and yields each page's
raw items as it arrives. A bare array carries no link: where the spec gives its operation
``after``/``per_page`` (a package's permissions, routes and tracking pixels; BARE_CURSORS names
each item's cursor field) the next page is asked for ``after`` the last item's cursor. A server
may clamp ``per_page`` (25 where we ask for 100), so only a page shorter than MIN_SERVER_PAGE
(no server pages by fewer) or one that brings nothing new ends the list: most permission lists
are a few grants and cost one request, a long one on a clamping server is followed to its end.
A server that ignores ``after`` answers the same array again, which ends the list. Other bare
arrays (a package's domains) are the whole list. A ``next`` link is followed only to the
origin of the configured base URL (so the token never goes elsewhere); a root-relative link is
resolved against that origin. Anything else ends the listing with an InvalidResponse sentence.
The overview (``/v2/packages/{owner}/overview``) answers ``results`` with no links at all in
the spec, yet takes ``after`` too: without ``_links`` it is paged like a bare array.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Mapping
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx

from scarf_tui.api.errors import InvalidResponse, ValidationFailed, sanitize
from scarf_tui.api.http import ApiClient
from scarf_tui.api.v2_errors import error_from_v2_body

T = TypeVar("T")

MAX_PER_PAGE = 100  # the largest per_page the client asks for
MAX_PAGES = 10_000  # a server whose cursors never end is stopped here
DEFAULT_PORTS = {"http": 80, "https": 443}
# Bare-array lists the spec pages with `after`, by the path's last segment: the item field that
# is the cursor (the spec's `after` is a UserId for permissions, a RouteId or pixel id otherwise).
BARE_CURSORS = {"permissions": "user_id", "routes": "id", "tracking-pixels": "id"}
MIN_SERVER_PAGE = 10  # a bare page shorter than this (or than per_page) is the last
BARE_PAGED_PATH = re.compile(r"/v2/packages/[^/]+/[^/]+/(permissions|routes|tracking-pixels)/?")
OVERVIEW_PATH = re.compile(r"/v2/packages/[^/]+/overview/?")


class V2ApiClient(ApiClient):
    """ApiClient whose error answers with a v2 ``code`` become that code's sentence. A 404 keeps
    the general wording, which names what was asked for ("Organization 'x' was not found")."""

    async def _read_error_body(self, response: httpx.Response) -> bytes:
        body = await super()._read_error_body(response)
        status = response.status_code
        if status not in (401, 404, 429) and status < 500:
            error = error_from_v2_body(status, body, redact=self._secret)
            if error is not None:
                raise error
        return body


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def origin_of(url: str) -> str:
    """"scheme://host[:port]" of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def next_request(link: str, current_url: str, base_url: str) -> tuple[str, dict[str, str]]:
    """(path relative to ``base_url``, query params) for a ``next`` link, or InvalidResponse
    when the link leads to another origin."""
    if not isinstance(link, str) or not link.strip():
        raise InvalidResponse("The server's link to the next page is not a URL; the list is incomplete.")
    target = urljoin(current_url, link.strip())
    if _origin(target) != _origin(base_url):
        shown = sanitize(urlsplit(target).netloc or target, limit=80)
        raise InvalidResponse(
            f"The server's link to the next page points to {shown!r}, not to {urlsplit(base_url).netloc}; "
            "it was not followed, so the token stays with the configured server, and the list is incomplete."
        )
    parts = urlsplit(target)
    base_path = urlsplit(base_url).path.rstrip("/")
    path = parts.path
    if base_path and path.startswith(base_path + "/"):
        path = path[len(base_path):]
    return path or "/", dict(parse_qsl(parts.query, keep_blank_values=True))


def _bare_cursor(path: str) -> str | None:
    found = BARE_PAGED_PATH.fullmatch(path)
    return BARE_CURSORS[found.group(1)] if found else None


def _unseen(
    data: list[Any], field: str | None, seen: set[str], identity: str | None = None
) -> tuple[list[Any], str | None]:
    """The items of a page not read before, and the cursor to ask ``after`` next (None: the list
    ends here: it takes no cursor, an item has none, or nothing new came). ``field`` is a dotted
    path to each item's cursor; ``identity`` one to what tells items apart (default: the cursor)."""
    cursors = [_dig(item, field) for item in data]
    keys = [_dig(item, identity) for item in data] if identity else cursors
    if not all(isinstance(c, str) and c for c in cursors) or not all(isinstance(k, str) and k for k in keys):
        return ([i for i, k in zip(data, keys, strict=True) if k not in seen] if seen else data), None
    fresh = [item for item, k in zip(data, keys, strict=True) if k not in seen]
    if not fresh:
        return [], None
    seen.update(str(k) for k in keys)
    return fresh, str(cursors[-1])


def _dig(item: Any, path: str | None) -> Any:
    for part in path.split(".") if path else ():
        item = item.get(part) if isinstance(item, dict) else None
    return item if path else None


async def iter_raw_pages(
    api: ApiClient,
    path: str,
    params: Mapping[str, str] | None = None,
    *,
    what: str,
    items: str,
    per_page: int = MAX_PER_PAGE,
) -> AsyncIterator[tuple[list[Any], bool]]:
    """(raw items of one page, whether it is the last) for every page of a v2 list."""
    base_url = api.base_url
    query: dict[str, str] = {**(params or {}), "per_page": str(per_page)}
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = {(path, tuple(sorted(query.items())))}
    pages = 0
    bare_seen: set[str] = set()
    while True:
        try:
            data = await api.request_json("GET", path, params=query, what=what)
        except ValidationFailed:
            if pages or "per_page" not in query:
                raise
            # A server that refuses our page size gets its own default (the links still lead on).
            query = {k: v for k, v in query.items() if k != "per_page"}
            data = await api.request_json("GET", path, params=query, what=what)
            per_page = 0
        pages += 1
        # A page to continue `after` its last item's cursor: (items, cursor field, identity field).
        paged: tuple[list[Any], str | None, str | None] | None = None
        link: Any = None
        if isinstance(data, list):
            paged = (data, _bare_cursor(path), None)
        else:
            if not isinstance(data, dict) or not isinstance(data.get("results"), list):
                raise InvalidResponse(f"The server's answer for {items} is neither a list nor a page of results.")
            links = data.get("_links")
            link = links.get("next") if isinstance(links, dict) else None
            if link == "":
                link = None
            if link is None and OVERVIEW_PATH.fullmatch(path) and "_links" not in data:
                # The spec's overview answer has no links but takes `after` (a package name; names
                # repeat across types, so items are told apart by package id).
                paged = (data["results"], "package.name", "package.id")
        if paged is not None:
            listed, cursor, identity = paged
            fresh, after = _unseen(listed, cursor, bare_seen, identity)
            if len(listed) < min(per_page or MIN_SERVER_PAGE, MIN_SERVER_PAGE):
                after = None
            yield fresh, after is None
            if after is None:
                return
            if pages >= MAX_PAGES:
                raise InvalidResponse(f"The server's pages of {items} do not end; the list is incomplete.")
            query = {**query, "after": after}
            continue
        if link is None:
            yield data["results"], True
            return
        yield data["results"], False
        current = urljoin(base_url.rstrip("/") + "/", path.lstrip("/"))
        path, query = next_request(link, current, base_url)
        if per_page:
            query.setdefault("per_page", str(per_page))  # some servers fall back to a small page
        key = (path, tuple(sorted(query.items())))
        if key in seen or pages >= MAX_PAGES:
            raise InvalidResponse(
                f"The server's pages of {items} lead back to a page already read; the list is incomplete."
            )
        seen.add(key)

__all__ = ["MAX_PER_PAGE", "V2ApiClient", "iter_raw_pages", "next_request", "origin_of"]


class ReadAhead(Generic[T]):
    """An async iterator already running in a task: what it yields waits here until read, so
    several lists can be asked for at once and still be read one after another."""

    def __init__(self, stream: AsyncIterator[T]) -> None:
        self._queue: asyncio.Queue[tuple[bool, Any]] = asyncio.Queue()
        self._task = asyncio.ensure_future(self._pump(stream))

    async def _pump(self, stream: AsyncIterator[T]) -> None:
        try:
            async for item in stream:
                self._queue.put_nowait((True, item))
        except Exception as exc:  # noqa: BLE001 - raised to the reader, in its turn
            self._queue.put_nowait((False, exc))
        else:
            self._queue.put_nowait((False, None))

    async def items(self) -> AsyncIterator[T]:
        while True:
            more, value = await self._queue.get()
            if more:
                yield value
            elif value is None:
                return
            else:
                raise value

    def cancel(self) -> None:
        self._task.cancel()
