"""Helpers for the export tests (tests/export/): a small demo package, an independent look at what the server
sends (plain httpx, not our service), and CSV reading."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import httpx

from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.data import PACKAGE_BY_KEY

FIXED_TODAY = date(2026, 11, 20)  # as tests/conftest.py

# Few events a day, so multi-window exports stay quick.
SMALL_KEY = "tinytools/tinyhttp/hackage"
SMALL_NAME = "tinyhttp"
SMALL_UUID = PACKAGE_BY_KEY[SMALL_KEY].uuid

# 70 days -> windows of 31 + 31 + 8 days.
RANGE_START = FIXED_TODAY - timedelta(days=70)
RANGE_END = FIXED_TODAY


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as f:
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
            parsed = list(csv.reader(response.text.splitlines()))
            header = parsed[0]
            rows.extend(r for r in parsed[1:] if r)
            cursor = stop
    return header, rows
