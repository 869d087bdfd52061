"""The package list's "30 days" column: one logarithmic scale across rows and the 30-day total
from the server next to each sparkline; a row without a trend says why in a few words."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import httpx

from scarf_tui.api import make_service
from scarf_tui.demo import NOEXPORT_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.common import aggregate_chunks
from scarf_tui.demo.store import build_demo_store
from scarf_tui.tui.packages.table import PackageTable
from scarf_tui.tui.packages.trend import SPARK_CHARS, count_text, log_level, log_sparkline

from .helpers import FIXED_TODAY, make_app, service_for, settle


def thirty_day_sums(store) -> Counter:  # noqa: ANN001
    """Per package uuid: the total downloads the demo serves for the 30 days before today."""
    start, end = FIXED_TODAY - timedelta(days=30), FIXED_TODAY
    sums: Counter = Counter()
    for chunk in aggregate_chunks(store, list(store.packages.values()), start, end):
        for line in chunk:
            row = json.loads(line)
            if row["breakdown"] == "total":
                sums[row["package"]] += row["total"]
    return sums


async def test_trend_cells_share_one_scale_and_show_the_servers_30_day_total() -> None:
    store = build_demo_store(today=FIXED_TODAY)
    sums = thirty_day_sums(store)
    app = make_app(service_for(store), close_service_on_exit=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PackageTable)
        cells = {row.key: row.cells["trend"].plain for row in table.rows}
        owners = {row.key: row.item.owner for row in table.rows}
    readable = {key: text for key, text in cells.items() if not text.startswith("n/a")}
    assert len(readable) >= 20
    for key, text in readable.items():
        spark, _, number = text.partition(" ")
        assert len(spark) == 6 and set(spark) <= set(SPARK_CHARS)
        assert number.strip() == count_text(sums[key]) == f"{sums[key]:,}"
    biggest = max(readable, key=lambda k: sums[k])
    smallest = min(readable, key=lambda k: sums[k])
    assert sums[biggest] > 100 * sums[smallest] > 0
    assert "█" in cells[biggest]
    small_spark = cells[smallest].partition(" ")[0]
    # Not scaled to itself (a full-height wall), yet above the floor: the log scale.
    assert "█" not in small_spark and set(small_spark) != {"▁"}
    # The owners the status line names get a short reason in each of their cells.
    unreadable = {owners[key]: text for key, text in cells.items() if text.startswith("n/a")}
    assert unreadable == {"hidden-labs": "n/a: not found", "grace": "n/a: not found"}  # 404 for those owners


async def test_without_export_access_each_cell_says_so() -> None:
    store = build_demo_store(today=FIXED_TODAY)
    service = make_service(
        "http://demo.invalid/api", NOEXPORT_TOKEN, transport=httpx.ASGITransport(app=create_app(store)), backoff=0.0
    )
    app = make_app(service, close_service_on_exit=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PackageTable)
        cells = {row.cells["trend"].plain for row in table.rows}
        assert "n/a: no export" in cells
        assert cells <= {"n/a: no export", "n/a: not found"}
        assert "30-day trend needs data export access" in table.extra_status


def test_log_scale_keeps_small_values_visible_and_zero_on_the_floor() -> None:
    assert log_level(0, 1000) == 0
    assert log_level(1, 100_000) == 1
    assert log_level(100_000, 100_000) == 7
    assert log_sparkline([0, 10, 1000], 1000) == "▁▃█"
    assert count_text(999_999) == "999,999"
    assert count_text(1_250_000) == "1.2M"
