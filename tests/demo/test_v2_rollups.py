"""The embedded v2 server's weekly and monthly rollups: totals add up, uniques are counted over
the period (between the busiest day and the sum of the days), never summed from the days."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta

import httpx
import pytest

from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.routes_v2_rollups import distinct_visitors

START, END = date(2026, 9, 1), date(2026, 11, 20)


async def rows_of(demo_app, rollup: str) -> list[dict]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=demo_app), base_url="http://demo.invalid",
                                 headers={"Authorization": f"Bearer {DEMO_TOKEN}"}) as http:
        answer = await http.get("/v2/packages/acme/aggregates", params={
            "start_date": START.isoformat(), "end_date": END.isoformat(), "rollup": rollup, "breakdown": "by-total",
        })
    assert answer.status_code == 200
    return [json.loads(line) for line in answer.text.splitlines()]


def period_of(day: date, rollup: str) -> date:
    return day - timedelta(days=day.weekday()) if rollup == "weekly" else day.replace(day=1)


@pytest.mark.parametrize("rollup", ["weekly", "monthly"])
async def test_period_uniques_are_counted_not_summed(demo_app, rollup):
    daily = await rows_of(demo_app, "daily")
    rolled = await rows_of(demo_app, rollup)
    days: dict[tuple[str, date], list[dict]] = defaultdict(list)
    for row in daily:
        days[(row["artifact"], period_of(date.fromisoformat(row["date"]), rollup))].append(row)
    assert {(r["artifact"], date.fromisoformat(r["date"])) for r in rolled} == set(days)
    below_sum = 0
    for row in rolled:
        assert row["rollup"] == rollup
        its_days = days[(row["artifact"], date.fromisoformat(row["date"]))]
        assert row["total"] == sum(d["total"] for d in its_days)
        busiest, summed = max(d["total_unique"] for d in its_days), sum(d["total_unique"] for d in its_days)
        assert busiest <= row["total_unique"] <= summed
        below_sum += row["total_unique"] < summed
    assert below_sum > len(rolled) // 2  # returning visitors count once in the period


async def test_daily_rows_keep_the_v1_uniques(demo_app):
    daily = await rows_of(demo_app, "daily")
    v1 = await _v1_totals(demo_app)
    assert daily and all(r["total_unique"] == v1[(r["artifact"], r["date"])] for r in daily)  # v1 also has pypi


async def _v1_totals(demo_app) -> dict[tuple[str, str], int]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=demo_app), base_url="http://demo.invalid",
                                 headers={"Authorization": f"Bearer {DEMO_TOKEN}"}) as http:
        answer = await http.get("/api/v1/organizations/acme/aggregates",
                                params={"startDate": START.isoformat(), "endDate": END.isoformat()})
    rows = [json.loads(line) for line in answer.text.splitlines()]
    return {(r["package"], r["date"]): r["unique_total"] for r in rows if r["breakdown"] == "total"}


def test_distinct_visitors_is_the_union_of_the_runs():
    assert distinct_visitors([]) == 0
    assert distinct_visitors([(0, 5, 10), (3, 5, 10)]) == 8  # overlap counted once
    assert distinct_visitors([(8, 4, 10), (0, 1, 10)]) == 4  # a run that wraps past the last id
    assert distinct_visitors([(0, 10, 10), (4, 3, 10)]) == 10  # never more than the population
    assert distinct_visitors([(0, 2, 10), (5, 2, 10)]) == 4  # disjoint days add up
