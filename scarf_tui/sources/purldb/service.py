"""PurldbService: the PurlDB REST API (as the PurlDB API reference describes it) as models and
one-sentence errors.

- ``lookup(ref)``: a package's versions by purl. Refused without a request (state
  NOT_ENABLED) when the name's origin is not enabled; "not in PurlDB" is state NOT_FOUND.
- ``search(filters)``: one page of ``/api/packages/``; ``more_packages(page)`` follows its
  ``next`` link (same server only).
- ``details(uuid)`` reads ``/api/packages/{uuid}/``; ``history``, ``resources`` and
  ``enhanced`` read the package's actions.

GET answers (look-ups included) are cached for the session; ``invalidate()`` forgets them.
The API key, when set, travels only as ``Authorization: Token …`` inside the httpx client.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from scarf_tui.api.errors import sanitize
from scarf_tui.api.http import TokenLike, reveal_token
from scarf_tui.config import Token
from scarf_tui.sources.errors import (
    BadCredentials,
    SourceError,
    SourceInvalidResponse,
    error_from_response,
    shape_error,
)
from scarf_tui.sources.http import (
    DEFAULT_MAX_BODY,
    DEFAULT_TIMEOUT,
    ErrorMapper,
    ErrorWording,
    SourceClient,
    decode_json,
    seg,
)
from scarf_tui.sources.purldb import wire
from scarf_tui.sources.purldb.models import HistoryEntry, LookupState, Page, PurlLookup, PurlPackage, Resource
from scarf_tui.sources.purldb.purl import PurlRef

SOURCE = "PurlDB"
T = TypeVar("T")
FILTERS = (
    "type", "namespace", "name", "version", "qualifiers", "subpath", "download_url", "filename",
    "sha1", "sha256", "md5", "size", "release_date", "package_url",
)
MAX_LOOKUP_PAGES = 20
_KEY_TEXT = re.compile(r"[\x21-\x7e]+")


class PurldbService:
    """Build it with ``make_purldb_service``."""

    def __init__(self, client: SourceClient, *, enabled_for: Collection[str] = ()) -> None:
        self._client = client
        self.enabled_for = frozenset(enabled_for)
        self._cache: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}
        self._lookups: dict[str, PurlLookup] = {}

    def __repr__(self) -> str:
        key = "'***'" if self._client.has_secret else "None"
        return f"PurldbService(base_url={self.base_url!r}, api_key={key}, enabled_for={sorted(self.enabled_for)!r})"

    @property
    def base_url(self) -> str:
        return self._client.base_url

    async def __aenter__(self) -> PurldbService:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def invalidate(self) -> None:
        self._cache.clear()
        self._lookups.clear()

    def enabled(self, origin: str) -> bool:
        return origin == "manual" or origin in self.enabled_for

    def enable(self, origin: str) -> None:
        """Allow look-ups of names from ``origin`` for this session (the caller saves the
        choice to config.toml's [purldb] enabled_for if the user wants it kept)."""
        self.enabled_for = self.enabled_for | {origin}
        self._lookups = {k: v for k, v in self._lookups.items() if v.state is not LookupState.NOT_ENABLED}

    # --- plumbing -----------------------------------------------------------------------------

    async def _get(
        self, path: str, parse: Callable[[Any], T], *, what: str, params: Mapping[str, str] | None = None
    ) -> T:
        key = (path, tuple(sorted((params or {}).items())))
        if key in self._cache:
            return self._cache[key]
        _, body = await self._client.request("GET", path, params=params, wording=ErrorWording(what))
        data = decode_json(SOURCE, "GET", path, body)
        try:
            result = parse(data)
        except wire.ShapeProblem as problem:
            raise shape_error(SOURCE, "GET", path, str(problem)) from None
        self._cache[key] = result
        return result

    async def _follow(self, url: str, parse: Callable[[Any], T], *, what: str) -> T:
        target = self._client.relative_path(url)
        if target is None:
            raise SourceInvalidResponse(
                f"{SOURCE}: the link to {what} points away from {self._client.host} "
                f"({sanitize(url, limit=100)}); it was not followed.",
                source=SOURCE,
            )
        path, params = target
        return await self._get(path, parse, what=what, params=params)

    # --- packages -----------------------------------------------------------------------------

    async def search(self, filters: Mapping[str, str], *, page: int | None = None) -> Page[PurlPackage]:
        """One page of ``/api/packages/`` filtered by the reference's fields (others refused)."""
        unknown = sorted(set(filters) - set(FILTERS))
        if unknown:
            raise ValueError(f"PurlDB cannot filter packages by {', '.join(unknown)}; known: {', '.join(FILTERS)}.")
        params = {k: v for k, v in filters.items() if v != ""}
        if page is not None and page > 1:
            params["page"] = str(page)
        return await self._get("/api/packages/", wire.package_page, what="the package list", params=params)

    async def more_packages(self, page: Page[PurlPackage]) -> Page[PurlPackage] | None:
        """The page after ``page``, or None at the end."""
        if page.next is None:
            return None
        return await self._follow(page.next, wire.package_page, what="the next page of packages")

    async def all_packages(self, filters: Mapping[str, str], *, max_pages: int = MAX_LOOKUP_PAGES) -> Page:
        """Every page of a search, up to ``max_pages``; ``next`` is set when more remain."""
        first = await self.search(filters)
        items = list(first.items)
        current: Page[PurlPackage] | None = first
        pages = 1
        while current is not None and current.next is not None and pages < max_pages:
            current = await self.more_packages(current)
            if current is not None:
                items.extend(current.items)
                pages += 1
        remaining = current.next if current is not None else None
        return Page(first.count, tuple(items), remaining, None)

    async def lookup(self, ref: PurlRef) -> PurlLookup:
        """The versions PurlDB knows of ``ref`` (newest first), or a normal NOT_FOUND /
        NOT_ENABLED result. Nothing is sent when the origin is not enabled."""
        if not self.enabled(ref.origin):
            return PurlLookup(ref, LookupState.NOT_ENABLED)
        key = str(ref.purl)
        if key in self._lookups:
            return self._lookups[key]
        purl = ref.purl
        filters = {"type": purl.type, "name": purl.name}
        if purl.namespace:
            filters["namespace"] = purl.namespace
        if purl.version:
            filters["version"] = purl.version
        found = await self.all_packages(filters)
        unique = {p.uuid: p for p in found.items}
        oldest = datetime.min.replace(tzinfo=UTC)
        ordered = sorted(unique.values(), key=lambda p: (p.release_date or oldest, p.version), reverse=True)
        state = LookupState.FOUND if ordered else LookupState.NOT_FOUND
        result = PurlLookup(ref, state, tuple(ordered), truncated=found.next is not None)
        self._lookups[key] = result
        return result

    async def details(self, uuid: str) -> PurlPackage:
        return await self._get(f"/api/packages/{seg(uuid)}/", wire.package, what=f"package {uuid!r}")

    async def details_at(self, url: str) -> PurlPackage:
        """Details from a link PurlDB gave (``url`` of a record, possibly an /api/projects/ one)."""
        return await self._follow(url, wire.package, what="the package details")

    async def history(self, uuid: str) -> list[HistoryEntry]:
        return list(await self._get(f"/api/packages/{seg(uuid)}/history/", wire.history, what=f"package {uuid!r}"))

    async def resources(self, uuid: str, *, page: int | None = None) -> Page[Resource]:
        params = {"page": str(page)} if page is not None and page > 1 else None
        return await self._get(
            f"/api/packages/{seg(uuid)}/resources/", wire.resource_page, what=f"package {uuid!r}", params=params
        )

    async def more_resources(self, page: Page[Resource]) -> Page[Resource] | None:
        if page.next is None:
            return None
        return await self._follow(page.next, wire.resource_page, what="the next page of resources")

    async def enhanced(self, uuid: str) -> PurlPackage:
        """The package with gaps filled from its package set (``get_enhanced_package_data``)."""
        return await self._get(
            f"/api/packages/{seg(uuid)}/get_enhanced_package_data/", wire.package, what=f"package {uuid!r}"
        )

    async def reindex(self, uuid: str) -> str:
        """Queue the package for a new scan; PurlDB's status sentence. Not cached."""
        path = f"/api/packages/{seg(uuid)}/reindex_package/"
        try:
            _, body = await self._client.request("GET", path, wording=ErrorWording(f"package {uuid!r}"))
        finally:
            self.invalidate()
        try:
            return wire.status(decode_json(SOURCE, "GET", path, body))
        except wire.ShapeProblem as problem:
            raise shape_error(SOURCE, "GET", path, str(problem)) from None


def _error_mapper(has_key: bool, secrets: list[str]) -> ErrorMapper:
    where = "PURLDB_API_KEY or api_key under [purldb] in config.toml"
    if has_key:
        unauthorized = f"the API key was rejected (401); check {where}"
    else:
        unauthorized = f"this PurlDB needs an API key (401); set {where}"

    def mapper(status: int, headers: Mapping[str, str], body: bytes, method: str, wording: ErrorWording) -> SourceError:
        return error_from_response(
            SOURCE, status, headers, body, method=method, what=wording.what, secrets=secrets, unauthorized=unauthorized
        )

    return mapper


def make_purldb_service(
    url: str,
    api_key: TokenLike = None,
    *,
    enabled_for: Collection[str] = (),
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_retries: int = 2,
    backoff: float = 0.5,
    concurrency: int = 4,
    max_body_bytes: int = DEFAULT_MAX_BODY,
) -> PurldbService:
    """A PurldbService for the instance at ``url`` (its root, e.g. https://public.purldb.io).

    ``api_key`` is a str or config.Token, or None. ``enabled_for`` lists the origins
    ("scarf", "docker", "pypicloud") whose names may be looked up. Raises SourceInsecureURL
    for plain http to a non-loopback host, BadCredentials for a key that cannot be a header."""
    secret = reveal_token(api_key)
    if secret is not None and not _KEY_TEXT.fullmatch(secret):
        raise BadCredentials(
            f"{SOURCE}: the API key contains characters no key has (a space, line break or non-ASCII letter); "
            "copy it again.",
            source=SOURCE,
        )
    if secret:
        Token(secret)  # registers the key with scarf_tui.redaction, like every secret in use
    headers = {"Authorization": f"Token {secret}"} if secret else {}
    secrets = [secret] if secret else []
    client = SourceClient(
        SOURCE,
        url,
        error_mapper=_error_mapper(bool(secret), secrets),
        headers=headers,
        secrets=secrets,
        secret_kind="API key",
        transport=transport,
        timeout=timeout,
        max_retries=max_retries,
        backoff=backoff,
        concurrency=concurrency,
        max_body_bytes=max_body_bytes,
    )
    return PurldbService(client, enabled_for=enabled_for)


__all__ = ["FILTERS", "PurldbService", "make_purldb_service"]
