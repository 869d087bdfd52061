"""ScarfService: the one interface screens call, the same on Scarf API v1 and v2.

Screens receive domain models (scarf_tui.domain, scarf_tui.api.models) and ScarfError
subclasses, never httpx types or wire models. The wire details (camelCase or snake_case, paths,
cursor pages) stop in the two adapters, ``service_v1.ScarfServiceV1`` and
``service_v2.ScarfServiceV2``; this base holds what both share: the session cache, writes that
drop it, the NDJSON and CSV stream readers, event windows, and the decisions that used to live
in screens ("is this name an organization?", "which organizations do I know?").

An action the active version lacks raises ``Unsupported`` with the sentence of
``capabilities.why_missing`` (never a 404); screens check ``capabilities`` to hide it first.

Data export:
- ``org_aggregates`` / ``user_aggregates`` / ``owner_aggregates`` yield AggregateRow as NDJSON
  lines arrive.
- ``package_events`` / ``pixel_events`` split [start, end) into <= 31-day windows and yield
  Event per CSV row, window after window.
- ``stream_package_events_csv`` / ``stream_pixel_events_csv`` are the lower level for writing an
  export to disk: ONE window's raw CSV (header first) as bytes, one physical line at a time,
  terminators included. A stream whose last line has no terminator was cut: that raises
  InvalidResponse, never a silently shorter result.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import aclosing
from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from scarf_tui.api import v1
from scarf_tui.api.csv_stream import check_csv_content_type
from scarf_tui.api.errors import InvalidResponse, NotFound, ValidationFailed, sanitize
from scarf_tui.api.http import (
    ApiClient,
    decode_json,
    decode_json_line,
)
from scarf_tui.api.interface import ServiceInterface, Unsupported
from scarf_tui.api.models import V1_CAPABILITIES, Capabilities, Page
from scarf_tui.domain import MAX_EVENT_WINDOW_DAYS, AggregateRow, Event, Package, event_windows

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
EVENTS_FILENAME = "events"  # the server ignores the file name in v1 events paths


def _seg(value: str) -> str:
    """One URL path segment, with '/', '?', '#', '%' and everything unusual escaped ("." and
    ".." too, which URL normalization would otherwise resolve away)."""
    text = quote(str(value), safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


def _q(value: str) -> str:
    """A user-given name quoted for a message: readable, no control characters."""
    return "'" + sanitize(value, limit=80) + "'"


def _check_range(start: date, end: date, *, max_days: int | None = None, field: str = "endDate") -> None:
    """[start, end): the end date is exclusive, so it must come after the start."""
    if end <= start:
        raise ValidationFailed(
            f"The end date {end.isoformat()} must be after the start date {start.isoformat()}.",
            field_errors={field: ["Must be after the start date."]},
        )
    if max_days is not None and (end - start).days > max_days:
        raise ValidationFailed(
            f"One events download covers at most {max_days} days; "
            f"{start.isoformat()} to {end.isoformat()} is {(end - start).days} days.",
            field_errors={field: [f"At most {max_days} days after the start date."]},
        )


class ScarfService(ServiceInterface):
    """The Scarf API as domain models. Build one with ``scarf_tui.api.make_service`` (or
    ``make_service_for(settings)``, scarf_tui.api.factory); the class is ScarfServiceV1 or V2."""

    api_version = "v1"

    def __init__(self, api: ApiClient, *, username: str | None = None, orgs: Sequence[str] = ()) -> None:
        self._api = api
        self.username = username or None
        self.configured_orgs = [o for o in dict.fromkeys(orgs) if o]
        self._cache: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}
        # Bumped by every invalidation, so an answer that was in flight meanwhile is not cached.
        self._generation = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api={self._api!r})"

    @property
    def base_url(self) -> str:
        return self._api.base_url

    @property
    def concurrency(self) -> int:
        """How many requests this service sends at once (config.toml's `concurrency`)."""
        return self._api.concurrency

    @property
    def capabilities(self) -> Capabilities:
        return V1_CAPABILITIES

    async def __aenter__(self) -> ScarfService:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- cache plumbing ----------------------------------------------------------------------

    def invalidate(self) -> None:
        """Forget every cached GET answer."""
        self._cache.clear()
        self._generation += 1

    async def aclose(self) -> None:
        await self._api.aclose()

    def _cached(self, key: tuple[str, tuple[tuple[str, str], ...]]) -> Any:
        hit = self._cache.get(key)
        return list(hit) if isinstance(hit, list) else hit

    def _store(self, key: tuple[str, tuple[tuple[str, str], ...]], generation: int, value: Any) -> None:
        if generation == self._generation:
            self._cache[key] = list(value) if isinstance(value, list) else value

    async def _get(
        self, path: str, convert: Callable[[Any], T], *, what: str, params: Mapping[str, str] | None = None
    ) -> T:
        key = (path, tuple(sorted((params or {}).items())))
        if key in self._cache:
            return self._cached(key)
        generation = self._generation
        data = await self._api.request_json("GET", path, params=params, what=what)
        result = convert(data)
        self._store(key, generation, result)
        return result

    async def _get_list(
        self, path: str, model: type[M], convert: Callable[[M], T], *, what: str, items: str
    ) -> list[T]:
        """A cached GET of a JSON list of ``model``; ``what`` names the resource in request
        errors ("organization 'acme'"), ``items`` the list in shape errors ("members of ...")."""
        return await self._get(
            path, lambda data: [convert(m) for m in v1.parse_list(model, data, what=items)], what=what
        )

    async def _write(
        self, method: str, path: str, *, what: str, body: Any = None, idempotent: bool | None = None
    ) -> Any:
        """Send a write; drop the cache whether or not it succeeded (a failed write may still
        have changed something, and the screen re-reads either way). `idempotent`: safe to
        repeat (a permission level set twice is set once), so a 429 or 503 is retried."""
        try:
            response = await self._api.request(method, path, json=body, what=what, idempotent=idempotent)
        finally:
            self.invalidate()
        # The write went through (2xx). Its answer, if any, is a bonus: callers re-read when
        # it is empty or not the expected shape.
        try:
            return decode_json(response.content, "The answer") if response.content.strip() else None
        except InvalidResponse:
            return None

    async def _one_page(self, items: Callable[[], Any]) -> AsyncIterator[Page[Any]]:
        """A whole list as one finished page (v1 lists are not paginated)."""
        found = await items()
        yield Page(items=found, so_far=len(found), done=True)

    # --- decisions that used to live in screens ------------------------------------------------

    async def known_organizations(self, extra: Iterable[str] = ()) -> list[str]:
        """Organizations worth offering: ``extra`` and the configured ones first, then, sorted,
        the organizations the server says the user belongs to (v2) and the owners of the
        packages this account sees (other than the account itself; on v1 these may include a
        person who shared a package, which get_organization then answers with NotFound)."""
        names: list[str] = [n for n in dict.fromkeys([*extra, *self.configured_orgs]) if n]
        found: set[str] = set(await self._member_organizations())
        owners = {p.owner for p in await self.list_packages() if p.owner and p.owner != self.username}
        found |= set(await self._organizations_among(sorted(owners - found - set(names))))
        return names + sorted(found - set(names))

    async def _organizations_among(self, owners: list[str]) -> list[str]:
        """The owners that are organizations. v1 can't tell an organization this account does
        not belong to from a person (both are 404), so it keeps them all; v2 asks users/{name}."""
        return owners

    async def _member_organizations(self) -> list[str]:
        return []

    async def owner_kind(self, name: str) -> str:
        """"user" or "organization" for an owner name (v1 asks for the organization; a name
        that is not an organization this account sees is a user)."""
        if name and name == self.username:
            return "user"
        try:
            await self.get_organization(name)
        except NotFound:
            return "user"
        return "organization"

    async def is_organization(self, name: str) -> bool:
        return await self.owner_kind(name) == "organization"

    # --- data export: aggregates (NDJSON) ---------------------------------------------------------

    async def _ndjson_rows(
        self,
        path: str,
        params: Mapping[str, Any],
        start: date,
        end: date,
        *,
        owner: str,
        label: str,
        reshape: Callable[[Any], Any] | None = None,
        date_field: str = "endDate",
    ) -> AsyncIterator[AggregateRow]:
        """owner names the resource in error sentences (404: "User 'x' was not found");
        label names the data in stream sentences ("a line of the aggregates of ...")."""
        _check_range(start, end, field=date_field)
        from_json = v1.aggregate_row_from_json
        async with self._api.stream("GET", path, params=params, what=owner, export=True) as response:
            # Lines capped at limits.max_line_kb, split in linear time, secrets cut out (http.py).
            async for line in self._api.iter_lines(response, label=label):
                if line.isspace():
                    continue
                # NDJSON may omit the final newline, but then the line must be whole.
                whole = line.endswith(b"\n")
                obj = decode_json_line(line, label, cut=not whole)
                yield from_json(reshape(obj) if reshape else obj)

    # --- data export: events (CSV) -----------------------------------------------------------------

    async def _csv_lines(
        self,
        path: str,
        params: Mapping[str, str],
        start: date,
        end: date,
        *,
        owner: str,
        label: str,
        date_field: str = "endDate",
    ) -> AsyncIterator[bytes]:
        """ONE window (at most 31 days, checked first) of an events CSV, line by line."""
        _check_range(start, end, max_days=MAX_EVENT_WINDOW_DAYS, field=date_field)
        async with self._api.stream("GET", path, params=params, what=owner, export=True) as response:
            # An HTML page or JSON with status 200 is not events: refuse it before any line.
            check_csv_content_type(
                response.headers.get("content-type"),
                what=f"the {label} ({start.isoformat()} to {end.isoformat()})",
            )
            # Split on "\n" only (a lone "\r" may sit inside a quoted field); lines capped at
            # limits.max_line_kb, split in linear time (http.py).
            async for line in self._api.iter_lines(response, label=label):
                if line.endswith(b"\n"):
                    yield line
                    continue
                raise InvalidResponse(
                    f"The stream was cut in the middle of a row of the {label} "
                    f"({start.isoformat()} to {end.isoformat()}); the data is incomplete."
                )

    async def _events_over_windows(
        self, window_lines: Callable[[date, date], AsyncIterator[bytes]], start: date, end: date
    ) -> AsyncIterator[Event]:
        if end <= start:
            _check_range(start, end)
        for window_start, window_end in event_windows(start, end):
            async with aclosing(_events_from_lines(window_lines(window_start, window_end))) as events:
                async for event in events:
                    yield event


async def _events_from_lines(lines: AsyncIterator[bytes]) -> AsyncGenerator[Event, None]:
    """CSV lines (header first) -> Event."""
    layout: v1.EventCsvLayout | None = None
    records = v1.csv_records(lines)
    try:  # an early stop closes the HTTP stream now
        async for fields, _raw in records:
            if layout is None:
                layout = v1.EventCsvLayout(fields)
                continue
            yield layout.event(fields)
    finally:
        await records.aclose()


def answer_as(model: type[M], convert: Callable[[M], T], data: Any) -> T | None:
    """A write's answer as a domain model when it has ``model``'s shape, else None (the
    caller re-reads)."""
    if not isinstance(data, dict):
        return None
    try:
        parsed = model.model_validate(data)
    except ValidationError:
        return None
    return convert(parsed)


def newest_named(packages: list[Package], name: str) -> Package:
    matches = [p for p in packages if p.name == name]
    if not matches:
        raise InvalidResponse(f"The server accepted package {_q(name)} but does not list it.")
    dated = [p for p in matches if p.created_at is not None]
    return max(dated, key=lambda p: p.created_at) if dated else matches[-1]  # type: ignore[arg-type,return-value]


# Shared with the adapters.
__all__ = [
    "EVENTS_FILENAME",
    "ScarfService",
    "Unsupported",
    "answer_as",
    "newest_named",
]
