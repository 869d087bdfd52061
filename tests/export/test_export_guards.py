"""Guards of `scarf-tui export` and of the events export: no token over plain http to a remote
host (from --api-url or SCARF_API_URL), only YYYY-MM-DD dates, and a window whose CSV cannot be
read is a named window failure, not a crash."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.api.errors import InvalidResponse
from scarf_tui.export_cli import export_main
from scarf_tui.exporting import EXIT_BAD_INPUT, EXIT_FAILURE, EventsScope, export_events

SECRET = "tok-never-in-clear-text"
REMOTE_HTTP = "http://scarf.example/api"  # resolvable or not: nothing may be sent there


def aggregates_argv(*extra: str, start: str = "2026-09-01", end: str = "2026-10-01") -> list[str]:
    return ["aggregates", "--org", "acme", "--start", start, "--end", end, *extra]


def test_plain_http_api_url_to_a_remote_host_is_refused(cli_env, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SCARF_API_TOKEN", SECRET)

    code = export_main(aggregates_argv("--api-url", REMOTE_HTTP))

    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "Refusing to send the API token over plain http:// to scarf.example" in err
    assert "Traceback" not in err and SECRET not in err


def test_plain_http_from_scarf_api_url_is_refused_too(cli_env, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SCARF_API_TOKEN", SECRET)
    monkeypatch.setenv("SCARF_API_URL", REMOTE_HTTP)

    code = export_main(["events", "--package", "x", "--start", "2026-09-01", "--end", "2026-10-01", "-o", "e.csv"])

    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "Refusing to send the API token over plain http://" in err
    assert SECRET not in err
    assert not list(cli_env.glob("e.csv*"))


@pytest.mark.parametrize("day", ["20260901", "2026-W36-1", "2026-9-1", "01.09.2026"])
def test_only_yyyy_mm_dd_dates_are_accepted(cli_env, capsys, day: str) -> None:
    code = export_main(aggregates_argv("--demo", start=day))

    assert code == EXIT_BAD_INPUT
    assert f"The start date {day!r} is not a date in YYYY-MM-DD form." in capsys.readouterr().err


async def test_a_window_whose_csv_cannot_be_read_is_a_named_failure(tmp_path) -> None:
    # Two windows; the second carries a field Python's csv refuses (over 128 KiB).
    good = b"type,time\r\npixel,2026-01-05T00:00:00Z\r\n"
    bad = b"type,time\r\npixel," + b"9" * 200_000 + b"\r\n"

    def handler(request: httpx.Request) -> httpx.Response:
        first = request.url.params["startDate"] == "2026-01-01"
        return httpx.Response(200, content=good if first else bad)

    service = make_service("https://scarf.example/api", "t", transport=httpx.MockTransport(handler))
    output = tmp_path / "pixels.csv"
    try:
        result = await export_events(service, EventsScope(None, "pixels"), date(2026, 1, 1), date(2026, 3, 1), output)
    finally:
        await service.aclose()

    assert not result.complete and result.exit_code == EXIT_FAILURE
    (failure,) = result.failures
    assert (failure.start, failure.end) == (date(2026, 2, 1), date(2026, 3, 1))
    assert isinstance(failure.error, InvalidResponse)
    assert "could not be read" in failure.describe()
    assert result.rows == 1 and result.part.exists() and not output.exists()
