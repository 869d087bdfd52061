"""The Scarf API v2 adapter, part two: tracking pixels, collections, search and the data exports
(aggregates with rollup and breakdown; events per package, per owner, per pixel). Part one
(service_v2_core) has the rest; see its docstring for what differs from v1.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any

from scarf_tui.api import v2
from scarf_tui.api.errors import ScarfError, ValidationFailed
from scarf_tui.api.models import Collection, CollectionDraft, Page, SearchHit, TrackingPixel, TrackingPixelDraft
from scarf_tui.api.service import _q, _seg, answer_as
from scarf_tui.api.service_v2_core import ScarfServiceV2Core, _dates, _newest
from scarf_tui.api.v1 import parse_one
from scarf_tui.domain import AggregateRow, Event

_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


class ScarfServiceV2(ScarfServiceV2Core):
    """Scarf API v2 as domain models."""

    # --- tracking pixels ---------------------------------------------------------------------------

    def iter_pixel_pages(self, owner: str) -> AsyncIterator[Page[TrackingPixel]]:
        return self._iter_pages(
            f"/v2/tracking-pixels/{_seg(owner)}", v2.TrackingPixelV2, v2.pixel_from_v2,
            what=f"owner {_q(owner)}", items=f"tracking pixels of {_q(owner)}",
        )

    async def list_pixels(self, owner: str) -> list[TrackingPixel]:
        return [p async for page in self.iter_pixel_pages(owner) for p in page.items]

    async def package_pixels(self, uuid: str, owner: str | None = None) -> list[TrackingPixel]:
        return await self._all(
            await self._part(uuid, owner, "tracking-pixels"), v2.TrackingPixelV2, v2.pixel_from_v2,
            what=f"package {_q(uuid)}", items=f"tracking pixels of package {_q(uuid)}",
        )

    async def get_pixel(self, owner: str, pixel_id: str) -> TrackingPixel:
        what = f"tracking pixel {_q(pixel_id)} of {_q(owner)}"
        return await self._get(
            f"/v2/tracking-pixels/{_seg(owner)}/{_seg(pixel_id)}",
            lambda d: v2.pixel_from_v2(parse_one(v2.TrackingPixelV2, d, what=what)), what=what,
        )

    async def create_pixel(self, owner: str, draft: TrackingPixelDraft) -> TrackingPixel:
        answer = await self._write(
            "POST", f"/v2/tracking-pixels/{_seg(owner)}", what=f"owner {_q(owner)}", body=v2.pixel_to_v2(draft)
        )
        found = answer_as(v2.TrackingPixelV2, v2.pixel_from_v2, answer)
        if found is not None:
            return found
        return _newest(await self.list_pixels(owner), lambda p: p.name == draft.name, "tracking pixel", draft.name)

    async def update_pixel(self, owner: str, pixel_id: str, draft: TrackingPixelDraft) -> TrackingPixel:
        answer = await self._write(
            "PUT", f"/v2/tracking-pixels/{_seg(owner)}/{_seg(pixel_id)}",
            what=f"tracking pixel {_q(pixel_id)}", body=v2.pixel_to_v2(draft),
        )
        found = answer_as(v2.TrackingPixelV2, v2.pixel_from_v2, answer)
        return found if found is not None else await self.get_pixel(owner, pixel_id)

    async def delete_pixel(self, owner: str, pixel_id: str) -> None:
        await self._write(
            "DELETE", f"/v2/tracking-pixels/{_seg(owner)}/{_seg(pixel_id)}", what=f"tracking pixel {_q(pixel_id)}"
        )

    # --- collections ---------------------------------------------------------------------------------

    def iter_collection_pages(self, owner: str) -> AsyncIterator[Page[Collection]]:
        return self._iter_pages(
            f"/v2/collections/{_seg(owner)}", v2.CollectionV2, v2.collection_from_v2,
            what=f"owner {_q(owner)}", items=f"collections of {_q(owner)}",
        )

    async def list_collections(self, owner: str) -> list[Collection]:
        return [c async for page in self.iter_collection_pages(owner) for c in page.items]

    async def get_collection(self, owner: str, collection_id: str) -> Collection:
        what = f"collection {_q(collection_id)} of {_q(owner)}"
        return await self._get(
            f"/v2/collections/{_seg(owner)}/{_seg(collection_id)}",
            lambda d: v2.collection_from_v2(parse_one(v2.CollectionV2, d, what=what)), what=what,
        )

    async def create_collection(self, owner: str, draft: CollectionDraft) -> Collection:
        body = v2.collection_to_v2(draft, creating=True)
        answer = await self._write("POST", f"/v2/collections/{_seg(owner)}", what=f"owner {_q(owner)}", body=body)
        found = answer_as(v2.CollectionV2, v2.collection_from_v2, answer)
        if found is not None:
            return found
        return _newest(await self.list_collections(owner), lambda c: c.pattern == draft.pattern, "collection",
                       draft.pattern)

    async def update_collection(self, owner: str, collection_id: str, draft: CollectionDraft) -> Collection:
        answer = await self._write(
            "PUT", f"/v2/collections/{_seg(owner)}/{_seg(collection_id)}",
            what=f"collection {_q(collection_id)}", body=v2.collection_to_v2(draft, creating=False),
        )
        found = answer_as(v2.CollectionV2, v2.collection_from_v2, answer)
        return found if found is not None else await self.get_collection(owner, collection_id)

    async def delete_collection(self, owner: str, collection_id: str) -> None:
        await self._write(
            "DELETE", f"/v2/collections/{_seg(owner)}/{_seg(collection_id)}", what=f"collection {_q(collection_id)}"
        )

    # --- search --------------------------------------------------------------------------------------

    async def search(self, query: str, context: str | None = None) -> list[SearchHit]:
        """Packages and tracking pixels matching ``query`` (not cached; a POST that changes nothing)."""
        body: dict[str, str] = {"query": query}
        if context:
            body["context"] = context
        data = await self._api.request_json("POST", "/v2/search", json=body, what="the search")
        return v2.parse_search(data)

    # --- data export ---------------------------------------------------------------------------------

    def owner_aggregates(
        self, owner: str, start: date, end: date, *, rollup: str = "daily", breakdowns: Sequence[str] | None = None
    ) -> AsyncIterator[AggregateRow]:
        """Aggregate rows of ``owner``'s packages for [start, end), the server summing by
        ``rollup`` (daily, weekly, monthly, yearly); ``breakdowns`` limits which (UI names such
        as "country" or v2 names such as "by-country"; all when None)."""
        if rollup not in v2.ROLLUPS:
            raise ValidationFailed(f"The rollup must be one of {', '.join(v2.ROLLUPS)}.")
        params: list[tuple[str, str]] = [*_dates(start, end).items(), ("rollup", rollup)]
        # The spec names no default breakdown: "all" is asked for by name, never left to the server.
        params += [("breakdown", b) for b in v2.breakdown_params(list(breakdowns or v2.BREAKDOWN_FROM_V2))]
        query: Any = params  # httpx sends a list of pairs as repeated parameters (form, explode)
        rows = self._ndjson_rows(
            f"/v2/packages/{_seg(owner)}/aggregates", query, start, end,
            owner=f"owner {_q(owner)}", label=f"aggregates of {_q(owner)}",
            reshape=v2.aggregate_v2_to_v1_shape, date_field="end_date",
        )
        return self._artifacts_as_ids(owner, rows)

    async def _artifacts_as_ids(self, owner: str, rows: AsyncIterator[AggregateRow]) -> AsyncIterator[AggregateRow]:
        """The spec types ``artifact`` as a bare string: a server naming the package there (its
        name, or owner/name) instead of its id still has its rows matched to that package's id,
        which is what the folds key on. The owner's list is read only when an artifact is not
        shaped like an id; a name two packages share stays as sent."""
        ids: dict[str, str] | None = None
        async for row in rows:
            if _UUID.fullmatch(row.package) is None:
                if ids is None:
                    try:
                        packages = await self.list_owner_packages(owner)
                    except ScarfError:
                        packages = []
                    names = Counter(p.name for p in packages)
                    ids = {}
                    for p in packages:
                        if names[p.name] == 1:
                            ids.setdefault(p.name, p.uuid)
                            ids.setdefault(f"{p.owner}/{p.name}", p.uuid)
                row.package = ids.get(row.package, row.package)
            yield row

    def org_aggregates(self, org: str, start: date, end: date) -> AsyncIterator[AggregateRow]:
        return self.owner_aggregates(org, start, end)

    def user_aggregates(self, username: str, start: date, end: date) -> AsyncIterator[AggregateRow]:
        return self.owner_aggregates(username, start, end)

    def package_events(self, package_id: str, start: date, end: date, owner: str | None = None) -> AsyncIterator[Event]:
        return self._events_over_windows(
            lambda s, e: self.stream_package_events_csv(package_id, s, e, owner=owner), start, end
        )

    def pixel_events(self, start: date, end: date, owner: str | None = None) -> AsyncIterator[Event]:
        return self._events_over_windows(lambda s, e: self.stream_pixel_events_csv(s, e, owner=owner), start, end)

    def owner_events(self, owner: str, start: date, end: date) -> AsyncIterator[Event]:
        return self._events_over_windows(lambda s, e: self.stream_owner_events_csv(owner, s, e), start, end)

    async def stream_package_events_csv(
        self, package_id: str, start: date, end: date, *, owner: str | None = None
    ) -> AsyncIterator[bytes]:
        """ONE window (at most 31 days) of a package's (or a tracking pixel's) events CSV, raw."""
        path = await self._part(package_id, owner, "events")
        async for line in self._csv_lines(
            path, _dates(start, end), start, end, owner=f"package {_q(package_id)}",
            label=f"events of package {_q(package_id)}", date_field="end_date",
        ):
            yield line

    def stream_pixel_events_csv(
        self, start: date, end: date, *, owner: str | None = None, pixel_id: str | None = None
    ) -> AsyncIterator[bytes]:
        """ONE window of the events of one tracking pixel (``pixel_id``, through the package
        events path that takes a pixel id) or of all of ``owner``'s pixels (default: you)."""
        who = owner or self.username or ""
        if not who:
            raise ValidationFailed("API v2 exports pixel events per owner: give the owner (or set your username).")
        if pixel_id:
            path = f"/v2/packages/{_seg(who)}/{_seg(pixel_id)}/events"
            subject, label = f"tracking pixel {_q(pixel_id)}", f"events of tracking pixel {_q(pixel_id)}"
        else:
            path = f"/v2/tracking-pixels/{_seg(who)}/events"
            subject, label = f"owner {_q(who)}", f"tracking-pixel events of {_q(who)}"
        return self._csv_lines(path, _dates(start, end), start, end, owner=subject, label=label, date_field="end_date")

    def stream_owner_events_csv(self, owner: str, start: date, end: date) -> AsyncIterator[bytes]:
        return self._csv_lines(
            f"/v2/packages/{_seg(owner)}/events", _dates(start, end), start, end,
            owner=f"owner {_q(owner)}", label=f"package events of {_q(owner)}", date_field="end_date",
        )


__all__ = ["ScarfServiceV2"]
