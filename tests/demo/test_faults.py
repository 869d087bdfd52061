"""Fault injection: 429 with Retry-After, 5xx, cut streams, invalid JSON, latency; Faults.parse."""

from __future__ import annotations

import json
from datetime import UTC

import pytest

from scarf_tui.demo.faults import Faults

AGG = "/organizations/acme/aggregates?startDate=2026-11-01&endDate=2026-11-03"


async def test_every_nth_request_is_429_with_retry_after(client, demo_faults):
    demo_faults.rate_limit_every = 3
    demo_faults.retry_after_s = 7
    statuses = [(await client.get("/organizations/acme")) for _ in range(6)]
    assert [r.status_code for r in statuses] == [200, 200, 429, 200, 200, 429]
    limited = statuses[2]
    assert limited.headers["retry-after"] == "7"
    assert "error" in limited.json()


async def test_error_rate_one_fails_every_request(client, demo_faults):
    demo_faults.error_rate = 1.0
    responses = [await client.get("/packages") for _ in range(8)]
    assert {r.status_code for r in responses} <= {500, 503}
    assert {r.status_code for r in responses} == {500, 503}  # both kinds appear
    assert all("error" in r.json() for r in responses)


def test_error_rate_is_deterministic():
    def pattern(faults: Faults) -> list[int | None]:
        return [faults.error_status(n) for n in range(1, 200)]

    a, b = Faults(error_rate=0.3, seed=5), Faults(error_rate=0.3, seed=5)
    assert pattern(a) == pattern(b)
    failures = sum(1 for s in pattern(a) if s)
    assert 30 < failures < 90
    assert pattern(Faults(error_rate=0.3, seed=6)) != pattern(a)


async def test_faults_apply_before_auth(anonymous, demo_faults):
    demo_faults.rate_limit_every = 1
    assert (await anonymous.get("/packages")).status_code == 429


async def test_cut_ndjson_stream_ends_mid_object(client, demo_faults):
    demo_faults.cut_stream = True
    demo_faults.cut_after_rows = 10
    response = await client.get(AGG)
    assert response.status_code == 200
    text = response.text
    assert not text.endswith("\n")
    lines = text.split("\n")
    assert len(lines) == 11
    for line in lines[:10]:
        json.loads(line)
    with pytest.raises(json.JSONDecodeError):
        json.loads(lines[10])


async def test_cut_csv_stream_leaves_a_short_record(client, demo_faults, uuid_of):
    demo_faults.cut_stream = True
    demo_faults.cut_after_rows = 5  # header + 4 rows, then a torn one
    uuid = uuid_of("acme", "widget-cli")
    response = await client.get(f"/packages/{uuid}/events/e.csv?startDate=2026-11-01&endDate=2026-11-02")
    text = response.text
    assert not text.endswith("\n")
    records = text.split("\r\n")
    assert len(records) == 6
    assert records[-1].count(",") < records[0].count(",")


async def test_short_stream_is_not_cut(client, demo_faults):
    demo_faults.cut_stream = True
    demo_faults.cut_after_rows = 10_000
    response = await client.get(AGG)
    assert response.text.endswith("\n")


async def test_invalid_json_bodies(client, demo_faults):
    demo_faults.invalid_json = True
    for path in ("/organizations/acme", "/packages", "/organizations/tinytools/users"):
        response = await client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        with pytest.raises(json.JSONDecodeError):
            json.loads(response.text)


async def test_invalid_json_in_ndjson_stream(client, demo_faults):
    demo_faults.invalid_json = True
    lines = (await client.get(AGG)).text.splitlines()
    json.loads(lines[0])
    with pytest.raises(json.JSONDecodeError):
        json.loads(lines[1])
    json.loads(lines[2])


async def test_errors_stay_json_under_invalid_json(client, demo_faults):
    demo_faults.invalid_json = True
    assert (await client.get("/organizations/hidden-labs")).json()["error"]


async def test_latency_is_applied(client, demo_faults):
    demo_faults.latency_s = 0.01
    before = demo_faults.requests_seen
    assert (await client.get("/packages")).status_code == 200
    assert demo_faults.requests_seen == before + 1


def test_parse_full_form():
    faults = Faults.parse("latency=0.2, error_rate=0.1,cut_stream=1,rate_limit_every=5,retry_after=3,"
                          "invalid_json=true,seed=9,cut_after=4,chunk_delay=0.05")
    assert faults == Faults(latency_s=0.2, error_rate=0.1, cut_stream=True, rate_limit_every=5, retry_after_s=3,
                            invalid_json=True, seed=9, cut_after_rows=4, chunk_delay_s=0.05)


@pytest.mark.parametrize("text", ["", "none", "off", None])
def test_parse_nothing(text):
    assert Faults.parse(text) == Faults()


def test_parse_bare_flag():
    assert Faults.parse("cut_stream").cut_stream is True


@pytest.mark.parametrize(("text", "needle"), [
    ("explode=1", "Unknown fault 'explode'"),
    ("latency=fast", "needs a float"),
    ("cut_stream=maybe", "needs a bool"),
    ("error_rate=2", "between 0 and 1"),
])
def test_parse_errors_are_sentences(text, needle):
    with pytest.raises(ValueError, match=needle):
        Faults.parse(text)


def test_describe():
    assert Faults().describe() == "none"
    assert "cut_stream=True" in Faults.parse("cut_stream=1").describe()


async def test_retry_after_can_be_an_http_date(client, demo_faults):
    from datetime import datetime
    from email.utils import parsedate_to_datetime

    demo_faults.rate_limit_every = 1
    demo_faults.retry_after_date = True
    demo_faults.retry_after_s = 120
    before = datetime.now(UTC).replace(microsecond=0)
    limited = await client.get("/organizations/acme")
    assert limited.status_code == 429
    when = parsedate_to_datetime(limited.headers["retry-after"])
    assert limited.headers["retry-after"].endswith(" GMT")
    assert 119 <= (when - before).total_seconds() <= 180
