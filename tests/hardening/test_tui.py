"""The real TUI against the hostile server: every misbehaviour ends in one sentence on screen,
never a hang, a crash or the token."""

from __future__ import annotations

import asyncio
import re
from datetime import date

import pytest

from scarf_tui.api import make_service
from scarf_tui.config import Limits, Token
from scarf_tui.tui.charts.pane import ChartPane
from tests.charts.host_app import ChartHostApp
from tests.tui.helpers import make_app, settle

from .conftest import SECRET
from .hostile import Hostile
from .test_hostile_server import pieces

TODAY = date(2026, 11, 20)
LIMITS = Limits(stall_seconds=1, max_body_mb=1)

LIST_SENTENCES = {
    "echo": None,
    "html": "The server's answer to GET /v1/packages was not valid JSON.",
    "bomb": "The server's answer to GET /v1/packages is larger than 1 MB (limits.max_body_mb), "
    "so it was not read further.",
    "trickle": "127.0.0.1 did not answer GET within 5 seconds; try again later.",
}
CHART_SENTENCES: dict[str, str | re.Pattern[str]] = {
    "echo-date": "The download stream broke off. An aggregates line has an invalid 'date' '***' (AggregateV1). "
    "The 0 rows received before the break were discarded, so no partial chart is shown. Press r to try again.",
    # How many bytes trickled in before the stall limit depends on the machine's pace.
    "trickle": re.compile(
        r"Could not load the downloads\. The download from 127\.0\.0\.1 stalled: only \d+ bytes arrived in 1 seconds "
        r"\(limits\.stall_seconds\), so it was stopped\. Press r to try again\."
    ),
    "bomb": "The download stream broke off. A line of the aggregates of organization 'acme' is longer than 1024 KB "
    "(limits.max_line_kb), so the download was stopped. The 0 rows received before the break were discarded, so "
    "no partial chart is shown. Press r to try again.",
}


def assert_no_token(*texts: str) -> None:
    for text in texts:
        assert not any(piece in text for piece in pieces()), text[:200]


@pytest.mark.parametrize("mode", sorted(LIST_SENTENCES))
async def test_package_list(hostile: Hostile, hostile_url: str, mode: str) -> None:
    hostile.mode = mode
    # A short request timeout for the trickle (a list is one request, bounded by it); a long one
    # otherwise, so a slow machine still reaches the body cap first.
    timeout = 5 if mode == "trickle" else 60
    service = make_service(hostile_url, Token(SECRET), timeout=timeout, max_retries=0, backoff=0.0, limits=LIMITS)
    app = make_app(service, today=TODAY, close_service_on_exit=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert notes == ([LIST_SENTENCES[mode]] if LIST_SENTENCES[mode] else [])
        assert_no_token(app.export_screenshot(), *notes)
        assert app.is_running


@pytest.mark.parametrize("mode", sorted(CHART_SENTENCES))
async def test_charts_pane(hostile: Hostile, hostile_url: str, mode: str) -> None:
    hostile.mode = mode
    service = make_service(hostile_url, Token(SECRET), timeout=5, max_retries=0, backoff=0.0, limits=LIMITS)
    app = ChartHostApp(service, today=TODAY, scope_name="acme", owns_service=True)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):  # the stall limit ends a trickle within seconds, never "Loading" forever
            await settle(pilot)
            if app.query_one(ChartPane).state != "loading":
                break
            await asyncio.sleep(0.1)
        pane = app.query_one(ChartPane)
        expected = CHART_SENTENCES[mode]
        assert pane.state == "error"
        assert expected.fullmatch(pane.message) if isinstance(expected, re.Pattern) else pane.message == expected
        assert_no_token(app.export_screenshot(), pane.message)
