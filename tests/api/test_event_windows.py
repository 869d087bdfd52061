"""Events are fetched in <= 31-day windows: edges, counts, order, and the one-window stream."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from scarf_tui.api.errors import ValidationFailed
from scarf_tui.domain import event_windows

START = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("days", "windows"),
    [(1, 1), (30, 1), (31, 1), (32, 2), (62, 2), (63, 3), (365, 12)],
)
def test_window_counts(days: int, windows: int) -> None:
    split = event_windows(START, START + timedelta(days=days))
    assert len(split) == windows
    # Contiguous, ordered, each at most 31 days, covering exactly [start, end).
    assert split[0][0] == START and split[-1][1] == START + timedelta(days=days)
    assert all(a[1] == b[0] for a, b in zip(split, split[1:], strict=False))
    assert all(0 < (e - s).days <= 31 for s, e in split)


def test_end_before_or_at_start_is_an_error() -> None:
    with pytest.raises(ValueError, match="must be after the start date"):
        event_windows(START, START)
    with pytest.raises(ValueError):
        event_windows(START, START - timedelta(days=1))


@pytest.mark.parametrize(("days", "requests"), [(31, 1), (32, 2), (365, 12)])
async def test_service_sends_one_request_per_window(service, demo_faults, find_uuid, days, requests) -> None:
    # Far in the past: no traffic there, so the answers are just headers and the test is fast.
    uuid = find_uuid("acme", "widget-cli")
    before = demo_faults.requests_seen
    first, last = START - timedelta(days=days + 1000), START - timedelta(days=1000)
    events = [e async for e in service.package_events(uuid, first, last)]
    assert events == []
    assert demo_faults.requests_seen - before == requests


async def test_events_arrive_in_window_order(service, demo_store, find_uuid) -> None:
    uuid = find_uuid("acme", "widget-cli")
    end = demo_store.today
    start = end - timedelta(days=40)  # two windows
    events = [e async for e in service.package_events(uuid, start, end)]
    days = [e.time[:10] for e in events]
    boundary = (start + timedelta(days=31)).isoformat()
    first_late = next(i for i, d in enumerate(days) if d >= boundary)
    assert all(d < boundary for d in days[:first_late]) and all(d >= boundary for d in days[first_late:])
    assert min(days) >= start.isoformat() and max(days) < end.isoformat()


async def test_reversed_range_is_a_validation_error(service, demo_faults) -> None:
    with pytest.raises(ValidationFailed, match="must be after the start date"):
        [e async for e in service.package_events("x", START, START - timedelta(days=3))]
    with pytest.raises(ValidationFailed):
        [e async for e in service.pixel_events(START, START)]
    assert demo_faults.requests_seen == 0


async def test_one_window_stream_refuses_more_than_31_days(service) -> None:
    with pytest.raises(ValidationFailed, match="at most 31 days"):
        [line async for line in service.stream_package_events_csv("x", START, START + timedelta(days=32))]


async def test_one_window_raw_lines(service, demo_store, find_uuid) -> None:
    uuid = find_uuid("acme", "acme-downloads")
    end = demo_store.today
    lines = [line async for line in service.stream_package_events_csv(uuid, end - timedelta(days=2), end)]
    assert all(isinstance(line, bytes) and line.endswith(b"\n") for line in lines)
    rows = list(csv.reader(io.StringIO(b"".join(lines).decode())))
    assert rows[0][:4] == ["type", "package", "version", "time"]
    parsed = [e async for e in service.package_events(uuid, end - timedelta(days=2), end)]
    assert len(rows) - 1 == len(parsed) > 0


async def test_pixel_raw_lines(service, demo_store) -> None:
    end = demo_store.today
    lines = [line async for line in service.stream_pixel_events_csv(end - timedelta(days=1), end)]
    assert lines[0].startswith(b"type,")
    assert len(lines) > 1
