"""Data export: NDJSON aggregates and events CSV."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date, timedelta

import httpx
import pytest

from scarf_tui.demo import DEMO_USER
from scarf_tui.demo.app import create_app
from scarf_tui.demo.store import build_demo_store
from scarf_tui.demo.traffic import EXTRA_EVENT_COLUMNS, WINDOW_DAYS
from scarf_tui.domain import EVENT_COLUMNS

TODAY = date(2026, 11, 20)  # tests/conftest.py FIXED_TODAY
BREAKDOWN_FIELDS = {
    "company": {"company_name", "company_domain"},
    "cloud_provider": {"cloud_provider_name", "cloud_provider_domain"},
    "country": {"country"},
    "platform": {"platform"},
    "version": {"version"},
    "client": {"client", "client_version"},
    "variable": {"variable", "value"},
    "total": {"unique_total"},
}


def parse_ndjson(text: str) -> list[dict]:
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


async def org_rows(client, org: str, start: str, end: str) -> list[dict]:
    response = await client.get(f"/organizations/{org}/aggregates", params={"startDate": start, "endDate": end})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-ndjson")
    return parse_ndjson(response.text)


async def test_aggregate_rows_have_required_fields_and_every_breakdown(client, demo_store):
    rows = await org_rows(client, "acme", "2026-11-10", "2026-11-12")
    assert rows
    for row in rows:
        assert {"breakdown", "date", "package", "total"} <= set(row)
        assert isinstance(row["total"], int) and row["total"] > 0
        extra = set(row) - {"breakdown", "date", "package", "total"}
        assert extra == BREAKDOWN_FIELDS[row["breakdown"]]
        assert demo_store.packages[row["package"]]["owner"] == "acme"
        assert row["date"] in ("2026-11-10", "2026-11-11")
    assert {r["breakdown"] for r in rows} == set(BREAKDOWN_FIELDS)


async def test_aggregates_are_consistent(client, demo_store):
    rows = await org_rows(client, "acme", "2026-11-01", "2026-11-08")
    sums: dict[tuple, int] = defaultdict(int)
    totals = {}
    for row in rows:
        key = (row["package"], row["date"])
        if row["breakdown"] == "total":
            totals[key] = row
            assert 0 < row["unique_total"] <= row["total"]
        else:
            sums[(*key, row["breakdown"], row.get("variable"))] += row["total"]
    for (uuid, day, breakdown, variable), subtotal in sums.items():
        total = totals[(uuid, day)]["total"]
        if breakdown in ("country", "platform", "client", "version"):
            assert subtotal == total, (breakdown, uuid, day)
        else:
            assert subtotal <= total
        kind = demo_store.packages[uuid]["libraryType"]
        if breakdown == "version":
            assert kind == "docker"
        if breakdown == "variable":
            assert kind == "file" and variable in ("platform", "version", "path")


async def test_variable_breakdown_can_exceed_total_across_variables(client, uuid_of):
    uuid = uuid_of("acme", "acme-downloads")
    rows = [r for r in await org_rows(client, "acme", "2026-11-10", "2026-11-11") if r["package"] == uuid]
    total = next(r["total"] for r in rows if r["breakdown"] == "total")
    variable_sum = sum(r["total"] for r in rows if r["breakdown"] == "variable")
    assert variable_sum > total  # one download carries platform and version
    assert {r["value"] for r in rows if r.get("variable") == "platform"} >= {"linux-x64"}


async def test_weekends_are_quieter(client, uuid_of):
    uuid = uuid_of("acme", "widget", "docker")
    rows = await org_rows(client, "acme", "2026-09-01", "2026-11-01")
    by_weekday = defaultdict(list)
    for r in rows:
        if r["package"] == uuid and r["breakdown"] == "total":
            by_weekday[date.fromisoformat(r["date"]).weekday() >= 5].append(r["total"])
    weekday, weekend = (sum(v) / len(v) for v in (by_weekday[False], by_weekday[True]))
    assert weekend < weekday * 0.9


async def test_aggregates_only_inside_the_data_window(client):
    start = TODAY - timedelta(days=WINDOW_DAYS + 3)
    rows = await org_rows(client, "acme", start.isoformat(), (start + timedelta(days=5)).isoformat())
    dates = {r["date"] for r in rows}
    assert dates == {(TODAY - timedelta(days=WINDOW_DAYS) + timedelta(days=i)).isoformat() for i in range(2)}
    assert await org_rows(client, "acme", "2030-01-01", "2030-02-01") == []
    assert await org_rows(client, "acme", TODAY.isoformat(), "2026-11-25") == []  # today is incomplete


async def test_young_package_has_no_rows_before_launch(client, uuid_of):
    uuid = uuid_of("acme", "roadrunner")  # launched 110 days before today
    early = await org_rows(client, "acme", "2026-06-01", "2026-06-03")
    late = await org_rows(client, "acme", "2026-11-01", "2026-11-02")
    assert not any(r["package"] == uuid for r in early)
    assert any(r["package"] == uuid for r in late)


async def test_long_aggregate_ranges_are_allowed(client):
    rows = await org_rows(client, "tinytools", "2026-01-01", "2026-04-01")
    assert len({r["date"] for r in rows}) == 90


async def test_user_aggregates_cover_personal_packages(client, demo_store):
    response = await client.get(
        f"/users/{DEMO_USER}/aggregates", params={"startDate": "2026-11-18", "endDate": "2026-11-19"}
    )
    assert response.status_code == 200
    rows = parse_ndjson(response.text)
    assert {demo_store.packages[r["package"]]["owner"] for r in rows} == {DEMO_USER}
    other = await client.get("/users/grace/aggregates", params={"startDate": "2026-11-18", "endDate": "2026-11-19"})
    assert other.status_code == 404


async def test_org_aggregates_for_non_member_is_404(client):
    response = await client.get(
        "/organizations/hidden-labs/aggregates", params={"startDate": "2026-11-18", "endDate": "2026-11-19"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({}, "startDate is required"),
        ({"startDate": "2026-11-01"}, "endDate is required"),
        ({"startDate": "2026-13-01", "endDate": "2026-11-02"}, "YYYY-MM-DD"),
        ({"startDate": "20261101", "endDate": "2026-11-02"}, "YYYY-MM-DD"),
        ({"startDate": "2026-11-02", "endDate": "2026-11-02"}, "must be after"),
    ],
)
async def test_date_errors_are_clear_400s(client, uuid_of, params, needle):
    for path in ("/organizations/acme/aggregates", f"/packages/{uuid_of('acme', 'widget-cli')}/events/e.csv"):
        response = await client.get(path, params=params)
        assert response.status_code == 400
        assert needle in response.json()["error"]


# --- events CSV ---


def parse_csv(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    rows = [dict(zip(header, row, strict=True)) for row in reader]
    return header, rows


async def test_package_events_csv(client, uuid_of):
    uuid = uuid_of("acme", "acme-downloads")
    response = await client.get(
        f"/packages/{uuid}/events/my-export.csv", params={"startDate": "2026-11-01", "endDate": "2026-11-03"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "my-export.csv" in response.headers["content-disposition"]
    header, rows = parse_csv(response.text)
    assert tuple(header[: len(EVENT_COLUMNS)]) == EVENT_COLUMNS
    assert tuple(header[len(EVENT_COLUMNS):]) == EXTRA_EVENT_COLUMNS
    assert len(rows) > 50
    assert {r["time"][:10] for r in rows} == {"2026-11-01", "2026-11-02"}
    downloads = [r for r in rows if r["type"] == "file-download"]
    assert downloads and all(r["package"] == "acme-downloads" for r in downloads)
    assert any(r["variables"].startswith(("platform=", "version=")) and "&" in r["variables"] for r in downloads)
    assert any(r["origin_company"] == "Initech, Inc." for r in rows)  # a quoted field survives


async def test_events_include_package_pixels(client, uuid_of):
    uuid = uuid_of("acme", "widget-cli")
    response = await client.get(
        f"/packages/{uuid}/events/e.csv", params={"startDate": "2026-11-01", "endDate": "2026-11-02"}
    )
    types = {r["type"] for r in parse_csv(response.text)[1]}
    assert types == {"package download", "pixel fetch"}


async def test_owner_events_path_matches_uuid_path(client, uuid_of):
    uuid = uuid_of("acme", "widget", "docker")
    params = {"startDate": "2026-10-01", "endDate": "2026-10-02"}
    by_uuid = await client.get(f"/packages/{uuid}/events/a.csv", params=params)
    by_owner = await client.get(f"/packages/acme/{uuid}/events/b.csv", params=params)
    assert by_owner.status_code == 200
    assert by_owner.text == by_uuid.text
    assert {r["type"] for r in parse_csv(by_owner.text)[1]} == {"image pull"}
    wrong_owner = await client.get(f"/packages/openlab/{uuid}/events/b.csv", params=params)
    assert wrong_owner.status_code == 404


async def test_31_days_allowed_32_refused(client, uuid_of):
    uuid = uuid_of("tinytools", "tinylog")  # small package: fast
    ok = await client.get(f"/packages/{uuid}/events/e.csv", params={"startDate": "2026-10-01", "endDate": "2026-11-01"})
    assert ok.status_code == 200
    too_long = await client.get(
        f"/packages/{uuid}/events/e.csv", params={"startDate": "2026-10-01", "endDate": "2026-11-02"}
    )
    assert too_long.status_code == 400
    assert too_long.json()["code"] == "range-too-long"
    assert "31 days" in too_long.json()["error"]
    pixels = await client.get("/pixels/events/p.csv", params={"startDate": "2026-10-01", "endDate": "2026-11-02"})
    assert pixels.status_code == 400


async def test_events_outside_window_are_header_only(client, uuid_of):
    uuid = uuid_of("acme", "widget-cli")
    response = await client.get(
        f"/packages/{uuid}/events/e.csv", params={"startDate": "2020-01-01", "endDate": "2020-01-31"}
    )
    header, rows = parse_csv(response.text)
    assert tuple(header[:16]) == EVENT_COLUMNS and rows == []


async def test_pixel_events(client, demo_store):
    response = await client.get("/pixels/events/p.csv", params={"startDate": "2026-11-01", "endDate": "2026-11-02"})
    assert response.status_code == 200
    _, rows = parse_csv(response.text)
    assert rows and {r["type"] for r in rows} == {"pixel fetch"}
    pixel_ids = {r["pixel_id"] for r in rows}
    hidden = [px.id for px in demo_store.pixels.values() if px.owner == "hidden-labs"]
    assert hidden and not pixel_ids & set(hidden)
    assert any(r["referer"].startswith("https://docs.acme.example") for r in rows)


async def test_events_scale_multiplies_volume(uuid_of):
    uuid = uuid_of("acme", "rocket-hs")
    params = {"startDate": "2026-11-01", "endDate": "2026-11-04"}
    counts = []
    for scale in (1, 3):
        app = create_app(build_demo_store(today=TODAY, events_scale=scale))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://d/api/v1",
                                     headers={"Authorization": "Bearer demo"}) as c:
            counts.append(len(parse_csv((await c.get(f"/packages/{uuid}/events/e.csv", params=params)).text)[1]))
    assert counts[0] > 0
    assert counts[1] >= 2.5 * counts[0]


async def test_events_may_repeat_an_id(client, uuid_of):
    """Exports are at-least-once (seed README): duplicates share an id; ids are otherwise unique."""
    uuid = uuid_of("acme", "widget", "docker")
    response = await client.get(
        f"/packages/{uuid}/events/e.csv", params={"startDate": "2026-10-01", "endDate": "2026-10-11"}
    )
    _, rows = parse_csv(response.text)
    ids = [r["id"] for r in rows]
    assert len(set(ids)) < len(ids)
    first = {}
    for r in rows:
        assert first.setdefault(r["id"], r) == r  # a repeated id is the very same event
