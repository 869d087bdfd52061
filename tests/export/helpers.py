"""Helpers for the export tests: a small demo package, an independent look at what the server
sends (plain httpx, not our service), CSV reading, and a small events server for the answer
shapes the demo server cannot produce (HTML, foreign CSV, a header that changes, bytes that
are not UTF-8, a window that waits until the test lets it finish)."""

from __future__ import annotations

import asyncio
import csv
import io
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.data import PACKAGE_BY_KEY
from scarf_tui.demo.server import running_server
from tests.conftest import FIXED_TODAY

# Few events a day, so multi-window exports stay quick.
SMALL_KEY = "tinytools/tinyhttp/hackage"
SMALL_NAME = "tinyhttp"
SMALL_UUID = PACKAGE_BY_KEY[SMALL_KEY].uuid

# 70 days -> windows of 31 + 31 + 8 days.
RANGE_START = FIXED_TODAY - timedelta(days=70)
RANGE_END = FIXED_TODAY

__all__ = ["FIXED_TODAY"]


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def server_rows(base_url: str, package_id: str, start: date, end: date) -> tuple[list[str], list[list[str]]]:
    """The header and every row the server sends for [start, end), fetched window by window with
    plain httpx (the oracle for what an export must contain)."""
    header: list[str] = []
    rows: list[list[str]] = []
    cursor = start
    with httpx.Client(headers={"Authorization": f"Bearer {DEMO_TOKEN}"}, timeout=30) as client:
        while cursor < end:
            stop = min(cursor + timedelta(days=31), end)
            response = client.get(
                f"{base_url}/v1/packages/{package_id}/events/check.csv",
                params={"startDate": cursor.isoformat(), "endDate": stop.isoformat()},
            )
            response.raise_for_status()
            parsed = list(csv.reader(io.StringIO(response.text, newline="")))
            header = parsed[0]
            rows.extend(r for r in parsed[1:] if r)
            cursor = stop
    return header, rows


# --- a scripted events server ----------------------------------------------------------------------

CSV_TYPE = "text/csv; charset=utf-8"


@dataclass
class Answer:
    """One window's answer: the body in chunks, its content type (None: no header at all) and
    status. With ``hold`` the body stops after its first chunk until the test sets the event."""

    chunks: list[bytes]
    content_type: str | None = CSV_TYPE
    status: int = 200
    hold: threading.Event | None = None


@dataclass
class EventsScript:
    """The answers of a scripted events server, by window start (``default`` for the rest), and
    the windows asked for, in order."""

    answers: dict[date, Answer] = field(default_factory=dict)
    default: Answer | None = None
    requests: list[tuple[date, date]] = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    def answer_for(self, start: date) -> Answer:
        answer = self.answers.get(start, self.default)
        if answer is None:
            return Answer([b"no answer scripted"], content_type="text/plain", status=500)
        return answer

    def record(self, start: date, end: date) -> None:
        with self._arrived:
            self.requests.append((start, end))
            self._arrived.notify_all()

    def wait_for_requests(self, count: int) -> None:
        """Block until the server has received ``count`` requests (a readiness wait, not a timing
        assertion; the bound only keeps a broken test from hanging the suite)."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.requests) >= count, timeout=120):
                raise AssertionError(f"the server saw {len(self.requests)} requests, not {count}")

    def release_all(self) -> None:
        for answer in [*self.answers.values(), self.default]:
            if answer is not None and answer.hold is not None:
                answer.hold.set()


def events_app(script: EventsScript) -> Starlette:
    """The two v1 events endpoints, answering from ``script``."""

    async def events(request: Request) -> Response:
        start = date.fromisoformat(request.query_params["startDate"])
        end = date.fromisoformat(request.query_params["endDate"])
        answer = script.answer_for(start)
        script.record(start, end)

        async def body() -> AsyncIterator[bytes]:
            for index, chunk in enumerate(answer.chunks):
                yield chunk
                if index == 0 and answer.hold is not None:
                    await asyncio.to_thread(answer.hold.wait, 120)

        return StreamingResponse(body(), status_code=answer.status, media_type=answer.content_type)

    return Starlette(
        routes=[
            Route("/api/v1/pixels/events/{filename}", events),
            Route("/api/v1/packages/{package_id}/events/{filename}", events),
        ]
    )


@contextmanager
def serving(script: EventsScript) -> Iterator[str]:
    """The scripted server on a loopback socket; yields its API URL ("http://127.0.0.1:N/api")."""
    try:
        with running_server(events_app(script)) as base_url:
            yield base_url
    finally:
        script.release_all()


def window_answers(windows: list[tuple[date, date]], bodies: list[bytes]) -> dict[date, Answer]:
    return {start: Answer([body]) for (start, _end), body in zip(windows, bodies, strict=True)}

