"""The demo app over a real loopback socket (uvicorn in a background thread)."""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.server import FAULTS_ENV, faults_from_env, is_loopback, running_server
from scarf_tui.demo.store import build_demo_store

AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}


def test_running_server_serves_and_stops():
    app = create_app(build_demo_store(today=date(2026, 11, 20)))
    with running_server(app) as base_url:
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/api")
        assert not base_url.endswith(":0/api")
        response = httpx.get(f"{base_url}/v1/organizations/acme", headers=AUTH)
        assert response.status_code == 200 and response.json()["name"] == "acme"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}/v1/organizations/acme", headers=AUTH, timeout=2)


async def test_ndjson_streams_in_several_chunks(live_server):
    async with httpx.AsyncClient(base_url=live_server, headers=AUTH) as c:
        params = {"startDate": "2026-10-01", "endDate": "2026-10-15"}
        async with c.stream("GET", "/v1/organizations/acme/aggregates", params=params) as response:
            assert response.status_code == 200
            assert response.headers.get("transfer-encoding") == "chunked"
            chunks = [chunk async for chunk in response.aiter_raw()]
    assert len(chunks) > 1
    lines = b"".join(chunks).decode().splitlines()
    assert len(lines) > 1000
    assert all(json.loads(line)["breakdown"] for line in lines)


async def test_events_both_paths_over_socket(live_server, demo_store):
    uuid = next(p["uuid"] for p in demo_store.packages.values() if p["name"] == "acme-downloads")
    params = {"startDate": "2026-11-01", "endDate": "2026-11-02"}
    async with httpx.AsyncClient(base_url=live_server, headers=AUTH) as c:
        a = await c.get(f"/v1/packages/{uuid}/events/a.csv", params=params)
        b = await c.get(f"/v1/packages/acme/{uuid}/events/b.csv", params=params)
    assert a.status_code == b.status_code == 200
    assert a.text == b.text and a.text.startswith("type,package,version,time,")


async def test_cut_stream_over_socket(live_server, demo_faults):
    demo_faults.cut_stream = True
    demo_faults.cut_after_rows = 3
    async with httpx.AsyncClient(base_url=live_server, headers=AUTH) as c:
        response = await c.get(
            "/v1/organizations/acme/aggregates", params={"startDate": "2026-11-01", "endDate": "2026-11-05"}
        )
    assert response.status_code == 200
    assert not response.text.endswith("\n")
    assert len(response.text.split("\n")) == 4


async def test_cut_abort_drops_the_connection(live_server, demo_faults):
    demo_faults.cut_stream = True
    demo_faults.cut_abort = True
    demo_faults.cut_after_rows = 3
    async with httpx.AsyncClient(base_url=live_server, headers=AUTH) as c:
        with pytest.raises(httpx.RemoteProtocolError):
            await c.get(
                "/v1/organizations/acme/aggregates", params={"startDate": "2026-11-01", "endDate": "2026-11-05"}
            )
        assert (await c.get("/v1/organizations/acme")).status_code == 200  # the server lives on


async def test_rate_limit_over_socket(live_server, demo_faults):
    demo_faults.rate_limit_every = 1
    demo_faults.retry_after_s = 2
    async with httpx.AsyncClient(base_url=live_server, headers=AUTH) as c:
        response = await c.get("/v1/packages")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"


@pytest.mark.parametrize(("host", "expected"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False), ("192.168.1.5", False),
])
def test_is_loopback(host, expected):
    assert is_loopback(host) is expected


def test_faults_from_env():
    assert faults_from_env({}) == Faults()
    assert faults_from_env({FAULTS_ENV: "rate_limit_every=4,latency=0.5"}) == Faults(rate_limit_every=4, latency_s=0.5)
