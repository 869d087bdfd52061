"""`scarf-tui stats --rollup week|month` on API v2 prints the server's own count of each
bucket's uniques (rollup=weekly|monthly), not the sum of the days; v1 still adds days up and
its header says so (test_stats.py)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date

import httpx
import pytest

from scarf_tui.analytics import Rollup, bucket_start
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.server import running_server
from scarf_tui.demo.store import build_demo_store

from .test_stats import TODAY, environment, stats  # noqa: F401 - environment is an autouse fixture

START, END = date(2026, 9, 1), date(2026, 11, 1)


@pytest.fixture(scope="module")
def v2_url() -> Iterator[str]:
    with running_server(create_app(build_demo_store(today=TODAY))) as url:
        yield url.removesuffix("/api") + "/v2"


def server_uniques(v2_url: str, rollup: str, unit: Rollup, package: str | None = None) -> Counter:
    params = {"start_date": START.isoformat(), "end_date": END.isoformat(), "rollup": rollup, "breakdown": "by-total"}
    answer = httpx.get(f"{v2_url}/packages/acme/aggregates", params=params,
                       headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
    out: Counter = Counter()
    for row in map(json.loads, answer.text.splitlines()):
        if package in (None, row["artifact"]):
            start = bucket_start(date.fromisoformat(row["date"]), unit)
            out[start.strftime("%G-W%V") if unit is Rollup.WEEK else start.strftime("%Y-%m")] += row["total_unique"]
    return out


@pytest.mark.parametrize(("rollup", "unit"), [("week", Rollup.WEEK), ("month", Rollup.MONTH)])
def test_v2_package_buckets_carry_the_servers_uniques(v2_url, rollup, unit):
    code, out, err = stats("widget-cli", "--start", START.isoformat(), "--end", END.isoformat(), "--rollup", rollup,
                           "--format", "json", api_url=v2_url)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    printed = {row["period"]: row["uniques"] for row in doc["rows"]}
    server_rollup = {"week": "weekly", "month": "monthly"}[rollup]
    assert printed == dict(server_uniques(v2_url, server_rollup, unit, doc["package_uuid"]))
    summed = server_uniques(v2_url, "daily", unit, doc["package_uuid"])
    assert all(printed[p] < summed[p] for p in printed)  # counted over the bucket, not added up


def test_v2_organization_weeks_say_they_add_packages(v2_url):
    code, out, _ = stats("--org", "acme", "--start", START.isoformat(), "--end", END.isoformat(), "--rollup", "week",
                         "--format", "csv", api_url=v2_url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "period,downloads,sum of package uniques"
    printed = {p: int(u) for p, _, u in (line.split(",") for line in lines[1:])}
    assert printed == dict(server_uniques(v2_url, "weekly", Rollup.WEEK))


@pytest.mark.parametrize(("version", "header"), [("v1", "sum of daily uniques"), ("v2", "uniques")])
def test_api_flag_after_the_command_picks_the_demo_version(version, header):
    code, out, err = stats("widget-cli", "--demo", "--api", version, "--rollup", "week", "--format", "csv")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"period,downloads,{header}"
