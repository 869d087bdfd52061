"""ScarfService: the one interface screens call, implemented over Scarf API v1.

Screens receive domain models (scarf_tui.domain) and ScarfError subclasses, never httpx types
or wire models. GET answers are cached for the session; every write drops the cache (so the
re-read after a write always comes from the server). Requests share a concurrency limit.

Data export:
- ``org_aggregates`` / ``user_aggregates`` yield AggregateRow as NDJSON lines arrive.
- ``package_events`` / ``pixel_events`` split [start, end) into <= 31-day windows and yield
  Event per CSV row, window after window.
- ``stream_package_events_csv`` / ``stream_pixel_events_csv`` are the lower level for writing
  an export to disk: ONE window's raw CSV (header first) as bytes, one physical line at a time,
  terminators included. Loop over ``domain.event_windows(start, end)`` to cover longer ranges.
A stream whose last line has no terminator was cut: that raises InvalidResponse, never a
silently shorter result.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import aclosing
from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from scarf_tui.api import v1
from scarf_tui.api.csv_stream import check_csv_content_type
from scarf_tui.api.errors import InvalidResponse, ValidationFailed, sanitize
from scarf_tui.api.http import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT, MAX_RETRY_AFTER, ApiClient, TokenLike
from scarf_tui.domain import (
    MAX_EVENT_WINDOW_DAYS,
    AggregateRow,
    Domain,
    Event,
    Grant,
    GrantChange,
    Member,
    MemberRole,
    Organization,
    OrganizationDraft,
    Package,
    PackageDraft,
    Route,
    RouteDraft,
    event_windows,
)

T = TypeVar("T")
EVENTS_FILENAME = "events"  # the server ignores the file name in events paths


def _seg(value: str) -> str:
    """One URL path segment, with '/', '?', '#', '%' and everything unusual escaped ("." and
    ".." too, which URL normalization would otherwise resolve away)."""
    text = quote(str(value), safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


def _q(value: str) -> str:
    """A user-given name quoted for a message: readable, no control characters."""
    return "'" + sanitize(value, limit=80) + "'"


def _check_range(start: date, end: date, *, max_days: int | None = None) -> None:
    """[start, end): the end date is exclusive, so it must come after the start."""
    if end <= start:
        raise ValidationFailed(
            f"The end date {end.isoformat()} must be after the start date {start.isoformat()}.",
            field_errors={"endDate": ["Must be after the start date."]},
        )
    if max_days is not None and (end - start).days > max_days:
        raise ValidationFailed(
            f"One events download covers at most {max_days} days; "
            f"{start.isoformat()} to {end.isoformat()} is {(end - start).days} days.",
            field_errors={"endDate": [f"At most {max_days} days after the start date."]},
        )


def _date_params(start: date, end: date) -> dict[str, str]:
    return {"startDate": start.isoformat(), "endDate": end.isoformat()}


class ScarfService:
    """Scarf API v1 as domain models. Build it with ``scarf_tui.api.make_service``."""

    def __init__(self, api: ApiClient) -> None:
        self._api = api
        self._cache: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}
        # Bumped by every invalidation, so an answer that was in flight meanwhile is not cached.
        self._generation = 0

    def __repr__(self) -> str:
        return f"ScarfService(api={self._api!r})"

    @property
    def base_url(self) -> str:
        return self._api.base_url

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

    async def _get(
        self,
        path: str,
        convert: Callable[[Any], T],
        *,
        what: str,
        params: Mapping[str, str] | None = None,
    ) -> T:
        key = (path, tuple(sorted((params or {}).items())))
        if key in self._cache:
            hit = self._cache[key]
            return list(hit) if isinstance(hit, list) else hit  # type: ignore[return-value]
        generation = self._generation
        data = await self._api.request_json("GET", path, params=params, what=what)
        result = convert(data)
        if generation == self._generation:
            self._cache[key] = list(result) if isinstance(result, list) else result
        return result

    async def _get_list(
        self, path: str, model: type[v1.M], convert: Callable[[v1.M], T], *, what: str, items: str
    ) -> list[T]:
        """A cached GET of a JSON list of ``model``; ``what`` names the resource in request
        errors ("organization 'acme'"), ``items`` the list in shape errors ("members of ...")."""
        return await self._get(
            path, lambda data: [convert(m) for m in v1.parse_list(model, data, what=items)], what=what
        )

    async def _write(self, method: str, path: str, *, what: str, body: Any = None) -> Any:
        """Send a write; drop the cache whether or not it succeeded (a failed write may still
        have changed something, and the screen re-reads either way)."""
        try:
            response = await self._api.request(method, path, json=body, what=what)
        finally:
            self.invalidate()
        # The write went through (2xx). Its answer, if any, is a bonus: callers re-read when
        # it is empty or not the expected shape.
        try:
            return json.loads(response.content) if response.content.strip() else None
        except ValueError:
            return None

    # --- organizations -----------------------------------------------------------------------

    async def get_organization(self, name: str) -> Organization:
        what = f"organization {_q(name)}"
        return await self._get(
            f"/v1/organizations/{_seg(name)}",
            lambda d: v1.organization_from_v1(v1.parse_one(v1.OrganizationV1, d, what=what)),
            what=what,
        )

    async def create_organization(self, draft: OrganizationDraft) -> Organization:
        body = v1.organization_to_v1(draft).to_wire()
        answer = await self._write("POST", "/v1/organizations", what=f"organization {_q(draft.name)}", body=body)
        return await self._organization_after_write(answer, draft.name)

    async def update_organization(self, name: str, draft: OrganizationDraft) -> Organization:
        body = v1.organization_to_v1(draft).to_wire(clear=v1.ORGANIZATION_CLEARABLE)
        answer = await self._write(
            "PUT", f"/v1/organizations/{_seg(name)}", what=f"organization {_q(name)}", body=body
        )
        return await self._organization_after_write(answer, draft.name)

    async def _organization_after_write(self, answer: Any, name: str) -> Organization:
        if (organization := _answer(v1.OrganizationV1, v1.organization_from_v1, answer)) is not None:
            return organization
        return await self.get_organization(name)

    async def list_org_packages(self, org: str) -> list[Package]:
        return await self._get_list(
            f"/v1/organizations/{_seg(org)}/packages", v1.PackageV1, v1.package_from_v1,
            what=f"organization {_q(org)}", items=f"packages of organization {_q(org)}",
        )

    async def create_org_package(self, org: str, draft: PackageDraft) -> Package:
        body = v1.package_to_v1(draft).to_wire()
        answer = await self._write(
            "POST", f"/v1/organizations/{_seg(org)}/packages", what=f"organization {_q(org)}", body=body
        )
        if (package := _answer(v1.PackageV1, v1.package_from_v1, answer)) is not None:
            return package
        return _newest_named(await self.list_org_packages(org), draft.name)

    async def list_members(self, org: str) -> list[Member]:
        return await self._get_list(
            f"/v1/organizations/{_seg(org)}/users", v1.OrganizationMemberV1, v1.member_from_v1,
            what=f"organization {_q(org)}", items=f"members of organization {_q(org)}",
        )

    async def upsert_member(self, org: str, username: str, role: MemberRole) -> None:
        body = v1.member_to_v1(username, role).to_wire()
        await self._write("POST", f"/v1/organizations/{_seg(org)}/users", what=f"organization {_q(org)}", body=body)

    async def remove_member(self, org: str, username: str) -> None:
        await self._write(
            "DELETE",
            f"/v1/organizations/{_seg(org)}/users/{_seg(username)}",
            what=f"member {_q(username)} of organization {_q(org)}",
        )

    # --- packages ----------------------------------------------------------------------------

    async def list_packages(self) -> list[Package]:
        return await self._get_list(
            "/v1/packages", v1.PackageV1, v1.package_from_v1, what="your packages", items="your packages"
        )

    async def get_package(self, id_or_name: str, package_type: str | None = None) -> Package:
        what = f"package {_q(id_or_name)}" + (f" of type {_q(package_type)}" if package_type else "")
        return await self._get(
            f"/v1/packages/{_seg(id_or_name)}",
            lambda d: v1.package_from_v1(v1.parse_one(v1.PackageV1, d, what=what)),
            what=what,
            params={"packageType": package_type} if package_type else None,
        )

    async def create_package(self, draft: PackageDraft) -> Package:
        body = v1.package_to_v1(draft).to_wire()
        answer = await self._write("POST", "/v1/packages", what=f"package {_q(draft.name)}", body=body)
        if (package := _answer(v1.PackageV1, v1.package_from_v1, answer)) is not None:
            return package
        return _newest_named(await self.list_packages(), draft.name)

    async def update_package(self, uuid: str, draft: PackageDraft) -> Package:
        """PUT the draft. Empty website/longDescription clear them; libraryType can't change."""
        body = v1.package_to_v1(draft).to_wire(clear=v1.PACKAGE_CLEARABLE)
        answer = await self._write("PUT", f"/v1/packages/{_seg(uuid)}", what=f"package {_q(uuid)}", body=body)
        if (package := _answer(v1.PackageV1, v1.package_from_v1, answer)) is not None:
            return package
        return await self.get_package(uuid)

    async def delete_package(self, uuid: str) -> None:
        await self._write("DELETE", f"/v1/packages/{_seg(uuid)}", what=f"package {_q(uuid)}")

    # --- permissions, routes, domains --------------------------------------------------------

    async def list_permissions(self, uuid: str) -> list[Grant]:
        return await self._get_list(
            f"/v1/packages/{_seg(uuid)}/permissions", v1.PackagePermissionGetV1, v1.grant_from_v1,
            what=f"package {_q(uuid)}", items=f"permissions of package {_q(uuid)}",
        )

    async def set_permissions(self, uuid: str, changes: Sequence[GrantChange]) -> None:
        """Apply several changes in one request (the seed accepts an array)."""
        if not changes:
            return
        body = [v1.grant_change_to_v1(c).to_wire() for c in changes]
        await self._write("POST", f"/v1/packages/{_seg(uuid)}/permissions", what=f"package {_q(uuid)}", body=body)

    async def list_routes(self, uuid: str) -> list[Route]:
        return await self._get_list(
            f"/v1/packages/{_seg(uuid)}/routes", v1.PackageRouteV1, v1.route_from_v1,
            what=f"package {_q(uuid)}", items=f"routes of package {_q(uuid)}",
        )

    async def create_route(self, uuid: str, draft: RouteDraft) -> Route | None:
        """The created route when the server answers with it, else None (re-read the list)."""
        body = v1.route_to_v1(draft).to_wire()
        answer = await self._write("POST", f"/v1/packages/{_seg(uuid)}/routes", what=f"package {_q(uuid)}", body=body)
        return _answer(v1.PackageRouteV1, v1.route_from_v1, answer)

    async def delete_route(self, uuid: str, route_id: str) -> None:
        await self._write(
            "DELETE",
            f"/v1/packages/{_seg(uuid)}/routes/{_seg(route_id)}",
            what=f"route {_q(route_id)} of package {_q(uuid)}",
        )

    async def list_domains(self, uuid: str) -> list[Domain]:
        return await self._get_list(
            f"/v1/packages/{_seg(uuid)}/domains", v1.PackageDomainV1, v1.domain_from_v1,
            what=f"package {_q(uuid)}", items=f"domains of package {_q(uuid)}",
        )

    async def create_domain(self, uuid: str, name: str) -> Domain | None:
        """The created domain when the server answers with it, else None (re-read the list)."""
        body = v1.CreatePackageDomainV1(name=name).to_wire()
        answer = await self._write("POST", f"/v1/packages/{_seg(uuid)}/domains", what=f"package {_q(uuid)}", body=body)
        return _answer(v1.PackageDomainV1, v1.domain_from_v1, answer)

    async def delete_domain(self, uuid: str, domain_id: str) -> None:
        await self._write(
            "DELETE",
            f"/v1/packages/{_seg(uuid)}/domains/{_seg(domain_id)}",
            what=f"domain {_q(domain_id)} of package {_q(uuid)}",
        )

    # --- data export: aggregates ---------------------------------------------------------------

    def org_aggregates(self, org: str, start: date, end: date) -> AsyncIterator[AggregateRow]:
        """AggregateV1 rows of an organization's packages for [start, end), yielded as the
        NDJSON arrives."""
        return self._aggregates(
            f"/v1/organizations/{_seg(org)}/aggregates", start, end,
            owner=f"organization {_q(org)}", label=f"aggregates of organization {_q(org)}",
        )

    def user_aggregates(self, username: str, start: date, end: date) -> AsyncIterator[AggregateRow]:
        """AggregateV1 rows of a user's packages for [start, end), yielded as the NDJSON arrives."""
        return self._aggregates(
            f"/v1/users/{_seg(username)}/aggregates", start, end,
            owner=f"user {_q(username)}", label=f"aggregates of user {_q(username)}",
        )

    async def _aggregates(
        self, path: str, start: date, end: date, *, owner: str, label: str
    ) -> AsyncIterator[AggregateRow]:
        """owner names the resource in error sentences (404: "User 'x' was not found");
        label names the data in stream sentences ("a line of the aggregates of ...")."""
        _check_range(start, end)
        loads = json.loads
        from_json = v1.aggregate_row_from_json
        async with self._api.stream("GET", path, params=_date_params(start, end), what=owner, export=True) as response:
            rest = b""
            async for chunk in self._api.iter_bytes(response):
                if b"\n" not in chunk:
                    rest += chunk
                    continue
                lines = (rest + chunk).split(b"\n")
                rest = lines.pop()
                for line in lines:
                    if not line or line.isspace():
                        continue
                    try:
                        obj = loads(line)
                    except ValueError:
                        raise InvalidResponse(f"A line of the {label} is not valid JSON.") from None
                    yield from_json(obj)
            if rest and not rest.isspace():
                # NDJSON may omit the final newline, but then the line must be whole.
                try:
                    obj = loads(rest)
                except ValueError:
                    raise InvalidResponse(
                        f"The stream was cut in the middle of a line of the {label}; the data is incomplete."
                    ) from None
                yield from_json(obj)

    # --- data export: events -----------------------------------------------------------------

    def package_events(
        self, package_id: str, start: date, end: date, owner: str | None = None
    ) -> AsyncIterator[Event]:
        """Events of one package in [start, end), fetched in <= 31-day windows in order.

        With ``owner`` the later v1 path ``/v1/packages/{owner}/{id}/events/...`` is used
        (seed 001); without it the original ``/v1/packages/{id}/events/...`` (seed 000)."""
        return self._events_over_windows(
            lambda s, e: self.stream_package_events_csv(package_id, s, e, owner=owner), start, end
        )

    def pixel_events(self, start: date, end: date) -> AsyncIterator[Event]:
        """Documentation-pixel events in [start, end), fetched in <= 31-day windows in order."""
        return self._events_over_windows(self.stream_pixel_events_csv, start, end)

    def stream_package_events_csv(
        self, package_id: str, start: date, end: date, *, owner: str | None = None
    ) -> AsyncIterator[bytes]:
        """ONE window (at most 31 days, else ValidationFailed) of a package's events CSV, raw:
        each physical line as bytes with its terminator, header first. Raises InvalidResponse
        if the stream is cut (a last line without terminator)."""
        if owner:
            path = f"/v1/packages/{_seg(owner)}/{_seg(package_id)}/events/{EVENTS_FILENAME}.csv"
        else:
            path = f"/v1/packages/{_seg(package_id)}/events/{EVENTS_FILENAME}.csv"
        subject = f"package {_q(owner + '/' + package_id)}" if owner else f"package {_q(package_id)}"
        return self._csv_lines(path, start, end, owner=subject, label=f"events of package {_q(package_id)}")

    def stream_pixel_events_csv(self, start: date, end: date) -> AsyncIterator[bytes]:
        """ONE window (at most 31 days) of the pixel events CSV, raw lines as in
        ``stream_package_events_csv``."""
        return self._csv_lines(
            f"/v1/pixels/events/{EVENTS_FILENAME}.csv", start, end, owner="your pixels", label="pixel events"
        )

    async def _csv_lines(self, path: str, start: date, end: date, *, owner: str, label: str) -> AsyncIterator[bytes]:
        _check_range(start, end, max_days=MAX_EVENT_WINDOW_DAYS)
        async with self._api.stream("GET", path, params=_date_params(start, end), what=owner, export=True) as response:
            # An HTML page or JSON with status 200 is not events: refuse it before any line.
            check_csv_content_type(
                response.headers.get("content-type"),
                what=f"the {label} ({start.isoformat()} to {end.isoformat()})",
            )
            rest = b""
            async for chunk in self._api.iter_bytes(response):
                if b"\n" not in chunk:
                    rest += chunk
                    continue
                data = rest + chunk
                cut = data.rfind(b"\n") + 1
                rest = data[cut:]
                # Split on "\n" only: a lone "\r" may sit inside a quoted field.
                lines = data[:cut].split(b"\n")
                lines.pop()
                for line in lines:
                    yield line + b"\n"
            if rest:
                raise InvalidResponse(
                    f"The stream was cut in the middle of a row of the {label} "
                    f"({start.isoformat()} to {end.isoformat()}); the data is incomplete."
                )

    async def _events_over_windows(
        self,
        window_lines: Callable[[date, date], AsyncIterator[bytes]],
        start: date,
        end: date,
    ) -> AsyncIterator[Event]:
        if end <= start:
            _check_range(start, end)
        for window_start, window_end in event_windows(start, end):
            async with aclosing(_events_from_lines(window_lines(window_start, window_end))) as events:
                async for event in events:
                    yield event


async def _events_from_lines(lines: AsyncIterator[bytes]) -> AsyncIterator[Event]:
    """CSV lines (header first) -> Event."""
    layout: v1.EventCsvLayout | None = None
    async with aclosing(v1.csv_records(lines)) as records:  # an early stop closes the HTTP stream now
        async for fields, _raw in records:
            if layout is None:
                layout = v1.EventCsvLayout(fields)
                continue
            yield layout.event(fields)


def _answer(model: type[v1.M], convert: Callable[[v1.M], T], data: Any) -> T | None:
    """A write's answer as a domain model when it has ``model``'s shape, else None (the
    caller re-reads)."""
    if not isinstance(data, dict):
        return None
    try:
        parsed = model.model_validate(data)
    except ValidationError:
        return None
    return convert(parsed)


def _newest_named(packages: list[Package], name: str) -> Package:
    matches = [p for p in packages if p.name == name]
    if not matches:
        raise InvalidResponse(f"The server accepted package {_q(name)} but does not list it.")
    return max(matches, key=lambda p: (p.created_at is not None, p.created_at or 0))  # type: ignore[arg-type]


def make_service(
    base_url: str,
    token: TokenLike,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_retries: int = 3,
    backoff: float = 0.5,
    max_retry_after: float = MAX_RETRY_AFTER,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> ScarfService:
    """A ScarfService for ``base_url`` ("https://scarf.sh/api", or the demo's "<origin>/api").

    ``token`` is a str or config.Token (or None). ``transport`` is for the in-process demo
    (httpx.ASGITransport) and tests. Raises InsecureURL for plain http to a non-loopback host."""
    api = ApiClient(
        base_url,
        token,
        transport=transport,
        timeout=timeout,
        max_retries=max_retries,
        backoff=backoff,
        max_retry_after=max_retry_after,
        concurrency=concurrency,
    )
    return ScarfService(api)
