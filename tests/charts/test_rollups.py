"""Weekly and monthly uniques in the charts pane: on API v2 the server counts them (rollup=weekly|
monthly), asked once per range and unit; on API v1 the pane adds the days up and says so.
Expected numbers come from raw HTTP to the same demo server, never from the pane."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import httpx
import pytest

from scarf_tui.analytics import Rollup, bucket_start
from scarf_tui.api import make_service
from scarf_tui.demo import DEMO_TOKEN, DEMO_USER
from scarf_tui.tui.charts.range_dialog import preset_range
from scarf_tui.tui.common.virtual_table import VirtualTable

from .conftest import settle
from .test_pane import body, pane_of, table_cells, text_of

BASES = {"v1": "http://demo.invalid/api", "v2": "http://demo.invalid/v2"}


class Counting:
    """The demo app, recording the query string of every aggregates request it answers."""

    def __init__(self, app) -> None:  # noqa: ANN001
        self.app = app
        self.rollups: Counter = Counter()

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] == "http" and scope["path"].endswith("/aggregates"):
            query = httpx.QueryParams(scope["query_string"].decode())
            self.rollups[query.get("rollup", "none")] += 1
        await self.app(scope, receive, send)


def host(counting: Counting, store, version: str, package: str | None = None):  # noqa: ANN001, ANN201
    from .host_app import ChartHostApp

    service = make_service(BASES[version], DEMO_TOKEN, transport=httpx.ASGITransport(app=counting), backoff=0.0,
                           api_version=version, username=DEMO_USER)
    return ChartHostApp(service, today=store.today, scope_name="acme", package_uuid=package, username=DEMO_USER,
                        owns_service=True)


async def served(demo_app, rollup: str, start: date, end: date) -> list[dict]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=demo_app), base_url="http://demo.invalid",
                                 headers={"Authorization": f"Bearer {DEMO_TOKEN}"}) as http:
        answer = await http.get("/v2/packages/acme/aggregates", params={
            "start_date": start.isoformat(), "end_date": end.isoformat(), "rollup": rollup, "breakdown": "by-total",
        })
    return [json.loads(line) for line in answer.text.splitlines()]


async def served_v1(demo_app, start: date, end: date) -> list[dict]:
    """v1's daily total rows in v2's names (v1 also lists the pypi and other packages)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=demo_app), base_url="http://demo.invalid",
                                 headers={"Authorization": f"Bearer {DEMO_TOKEN}"}) as http:
        answer = await http.get("/api/v1/organizations/acme/aggregates",
                                params={"startDate": start.isoformat(), "endDate": end.isoformat()})
    rows = [json.loads(line) for line in answer.text.splitlines()]
    return [{"date": r["date"], "artifact": r["package"], "total_unique": r["unique_total"]}
            for r in rows if r["breakdown"] == "total"]


def week_label(day: date) -> str:
    year, week, _ = bucket_start(day, Rollup.WEEK).isocalendar()
    return f"{year}-W{week:02d}"


def uniques_by_week(rows: list[dict], package: str | None = None) -> Counter:
    out: Counter = Counter()
    for row in rows:
        if package in (None, row["artifact"]):
            out[week_label(date.fromisoformat(row["date"]))] += row["total_unique"]
    return out


def table_uniques(app) -> tuple[str, dict[str, int]]:  # noqa: ANN001
    
    table = app.query_one("#charts-table", VirtualTable)
    label = table.columns[2].label
    return label, {c[0].removesuffix(" (partial)"): int(c[2].replace(",", "")) for c in table_cells(app)}


def widget_cli(store) -> str:  # noqa: ANN001
    (uuid,) = [u for u, p in store.packages.items() if (p["owner"], p["name"]) == ("acme", "widget-cli")]
    return uuid


async def test_v2_package_weekly_uniques_are_the_servers_count(demo_app, demo_store):
    rng = preset_range("30d", demo_store.today)
    package = widget_cli(demo_store)
    weekly = uniques_by_week(await served(demo_app, "weekly", rng.start, rng.end), package)
    summed = uniques_by_week(await served(demo_app, "daily", rng.start, rng.end), package)
    app = host(Counting(demo_app), demo_store, "v2", package)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l", "u")  # the table, by week
        await settle(pilot)
        label, shown = table_uniques(app)
        assert "uniques" in text_of(app, "#charts-subheader")
    assert label == "uniques"  # one package, counted over each week: no "sum of" caveat
    assert shown == dict(weekly) and len(shown) >= 5
    # Counted, not added: every week of several days has fewer uniques than its days' sum.
    assert all(shown[week] < summed[week] for week in shown if summed[week] > max(1, weekly[week]))
    assert sum(shown.values()) < sum(summed.values())


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_organization_weekly_uniques_per_version(demo_app, demo_store, version):
    rng = preset_range("30d", demo_store.today)
    counting = Counting(demo_app)
    app = host(counting, demo_store, version)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l", "u")
        await settle(pilot)
        label, shown = table_uniques(app)
    daily_sums = uniques_by_week(await served(demo_app, "daily", rng.start, rng.end))
    if version == "v1":  # days added up, and the label says so; the server was never asked to roll up
        assert label == "sum of daily uniques"
        assert shown == dict(uniques_by_week(await served_v1(demo_app, rng.start, rng.end)))
        assert set(counting.rollups) == {"none"}
    else:  # each package's week counted by the server, added over the packages
        assert label == "sum of package uniques"
        assert shown == dict(uniques_by_week(await served(demo_app, "weekly", rng.start, rng.end)))
        assert sum(shown.values()) < sum(daily_sums.values())
        assert counting.rollups["weekly"] == 1


async def test_v2_rollups_are_asked_once_per_range_and_unit_until_r(demo_app, demo_store):
    counting = Counting(demo_app)
    app = host(counting, demo_store, "v2")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        pane.rollup = Rollup.WEEK  # the loading line shows before the worker has run
        assert body(app) == "charts-message"
        assert text_of(app, "#charts-message").startswith("Loading weekly uniques for ")
        await settle(pilot)
        assert body(app) == "charts-plot"
        for _ in range(3):  # week -> month -> day -> week
            await pilot.press("u")
            await settle(pilot)
        assert (counting.rollups["weekly"], counting.rollups["monthly"]) == (1, 1)
        await pilot.press("r")  # reload forgets them
        await settle(pilot)
        assert (counting.rollups["weekly"], counting.rollups["monthly"]) == (2, 1)
        assert body(app) == "charts-plot"


async def test_v2_rollup_failure_is_one_sentence_and_r_retries(demo_app, demo_faults, demo_store):
    app = host(Counting(demo_app), demo_store, "v2")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        demo_faults.error_rate = 1.0  # every request now fails with 500 or 503
        await pilot.press("u")
        await settle(pilot)
        message = text_of(app, "#charts-message")
        assert body(app) == "charts-message"
        assert message.startswith("Could not load the weekly uniques from the server. ")
        assert message.endswith(" Press r to try again.") and "\n" not in message
        await pilot.press("v", "home", "down", "enter")  # the other views still draw
        await settle(pilot)
        assert body(app) == "charts-bars"
        demo_faults.error_rate = 0.0
        await pilot.press("v", "home", "enter", "r")
        await settle(pilot)
        assert body(app) == "charts-plot" and pane_of(app).fold.counts_uniques(Rollup.WEEK)


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_going_back_to_a_range_asks_nothing_until_r(demo_app, demo_store, version):
    from .test_pane import range_keys

    counting = Counting(demo_app)
    app = host(counting, demo_store, version)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = dict(counting.rollups)  # the range and the previous period
        thirty = pane_of(app).fold.total
        await pilot.press(*range_keys("7d"))
        await settle(pilot)
        seven = dict(counting.rollups)
        assert seven != first and pane_of(app).fold.total < thirty
        await pilot.press(*range_keys("30d"), *range_keys("7d"), *range_keys("30d"))
        await settle(pilot)
        assert dict(counting.rollups) == seven
        assert pane_of(app).fold.total == thirty and body(app) == "charts-plot"
        assert pane_of(app).comparison is not None
        await pilot.press("r")
        await settle(pilot)
        assert sum(counting.rollups.values()) == sum(seven.values()) + 2
