"""Tracking-pixel events exports: one pixel's events, or all of one owner's pixels.

The Scarf API v2 exports a single pixel's events through the package events path (it takes a
pixel id) and an owner's pixels through ``tracking-pixels/{owner}/events``; the service's
``stream_pixel_events_csv(start, end, owner=, pixel_id=)`` speaks both. API v1 has neither: it
exports all of your pixels at once, so ``pixel_events_scope`` refuses a pixel id or an owner
there, with a sentence, before any file is touched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Protocol, cast

from scarf_tui.api.errors import ValidationFailed
from scarf_tui.exporting.events import EventsCsvSource, EventsScope

V1_ONE_PIXEL = "API v1 exports the events of all your pixels at once, not of one pixel; one pixel needs API v2."
V1_OWNER_PIXELS = "API v1 exports the events of all your pixels at once, not per owner; --owner needs API v2."


class PixelEventsSource(Protocol):
    """What a pixel export needs from a service (ScarfService provides it)."""

    def stream_pixel_events_csv(
        self, start: date, end: date, *, owner: str | None = None, pixel_id: str | None = None
    ) -> AsyncIterator[bytes]: ...


@dataclass(frozen=True, slots=True)
class PixelEventsScope(EventsScope):
    """Events of one tracking pixel (``pixel_id``) or of every pixel of ``owner``."""

    owner: str = ""
    pixel_id: str | None = None

    @property
    def key(self) -> str:
        """The resume record's key: an export for another pixel or owner never resumes this one."""
        if self.pixel_id:
            return f"pixel:{self.owner}/{self.pixel_id}"
        return f"pixels:{self.owner}" if self.owner else "pixels"

    def lines(self, source: EventsCsvSource, start: date, end: date) -> AsyncIterator[bytes]:
        pixels = cast(PixelEventsSource, source)
        return pixels.stream_pixel_events_csv(start, end, owner=self.owner or None, pixel_id=self.pixel_id)


class PixelLookup(Protocol):
    api_version: str

    @property
    def username(self) -> str | None: ...

    async def get_pixel(self, owner: str, pixel_id: str) -> object: ...


async def pixel_events_scope(service: PixelLookup, *, pixel_id: str | None, owner: str | None) -> PixelEventsScope:
    """The scope of a pixel export, checked before anything is written.

    With ``pixel_id``: that pixel of ``owner`` (default: the service's user), read once so an
    unknown id is a NotFound sentence rather than a failed window per month. Without: every
    pixel of ``owner``. On API v1 only "all your pixels" (no pixel id, no owner) exists."""
    pixel_id = (pixel_id or "").strip() or None
    owner = (owner or "").strip() or None
    if service.api_version == "v1":
        if pixel_id:
            raise ValidationFailed(V1_ONE_PIXEL)
        if owner:
            raise ValidationFailed(V1_OWNER_PIXELS)
        return PixelEventsScope(None, "pixels")
    who = owner or service.username or ""
    if not who:
        raise ValidationFailed(
            "API v2 exports pixel events per owner: give the owner (--owner NAME) or set your username."
        )
    if pixel_id:
        pixel = await service.get_pixel(who, pixel_id)
        name = getattr(pixel, "name", "") or pixel_id
        return PixelEventsScope(None, f"tracking pixel {name}", owner=who, pixel_id=pixel_id)
    return PixelEventsScope(None, f"pixels of {who}", owner=who)


__all__ = ["V1_ONE_PIXEL", "V1_OWNER_PIXELS", "PixelEventsScope", "PixelEventsSource", "pixel_events_scope"]
