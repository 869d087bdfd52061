"""Guards of `scarf-tui export` and of the events export: no token over plain http to a remote
host (from --api-url or SCARF_API_URL), only YYYY-MM-DD dates and none the calendar cannot
reach, no range over the window limit unless asked for, and a window whose CSV cannot be read
is a named window failure, not a crash."""

from __future__ import annotations

from datetime import date

import pytest

from scarf_tui.api import make_service
from scarf_tui.api.errors import InvalidResponse
from scarf_tui.domain import event_windows
from scarf_tui.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from scarf_tui.export_cli import export_main
from scarf_tui.exporting import EventsScope, RangeTooLong, check_window_budget, export_events

from .helpers import RANGE_END, RANGE_START, SMALL_NAME, Answer, EventsScript, serving

PIXELS = EventsScope(None, "pixels")

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
    script = EventsScript({date(2026, 1, 1): Answer([good]), date(2026, 2, 1): Answer([bad])})
    output = tmp_path / "pixels.csv"

    with serving(script) as base_url:
        service = make_service(base_url, "t")
        try:
            result = await export_events(service, PIXELS, date(2026, 1, 1), date(2026, 3, 1), output)
        finally:
            await service.aclose()

    assert not result.complete and result.stopped_by is None
    (failure,) = result.failures
    assert (failure.start, failure.end) == (date(2026, 2, 1), date(2026, 3, 1))
    assert isinstance(failure.error, InvalidResponse)
    assert failure.describe() == (
        "2026-02-01..2026-02-28 failed: The events CSV could not be read (field larger than field limit (131072))."
    )
    assert result.rows == 1 and result.kept and not output.exists()
    assert result.part.read_bytes() == good  # the good window, as sent


# --- dates the calendar cannot reach, ranges longer than the window limit ----------------------------


TOO_FAR = "is too far in the future; use a date before 9999-01-01."


@pytest.mark.parametrize(
    ("start", "end", "sentence"),
    [
        ("9999-12-01", "9999-12-31", f"The start date 9999-12-01 {TOO_FAR}"),
        ("2026-01-01", "9999-12-31", f"The end date 9999-12-31 {TOO_FAR}"),
        ("9999-12-31", "10000-01-01", "The end date '10000-01-01' is not a date in YYYY-MM-DD form."),
    ],
    ids=["start-in-9999", "end-in-9999", "year-10000"],
)
@pytest.mark.parametrize("kind", ["events", "aggregates"])
def test_dates_near_9999_are_bad_input_with_a_sentence(cli_env, capsys, start, end, sentence, kind) -> None:
    argv = (
        ["events", "--demo", "--pixels", "-o", "e.csv"]
        if kind == "events"
        else ["aggregates", "--demo", "--org", "acme", "-o", "e.csv"]
    )

    code = export_main([*argv, "--start", start, "--end", end])

    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err == f"scarf-tui export: error: {sentence}\n"
    assert list(cli_env.iterdir()) == []


def test_windows_of_a_range_ending_at_the_last_day_python_holds_do_not_overflow() -> None:
    assert event_windows(date(9999, 11, 1), date(9999, 12, 31)) == [
        (date(9999, 11, 1), date(9999, 12, 2)),
        (date(9999, 12, 2), date(9999, 12, 31)),
    ]


LONG_RANGE = ["events", "--demo", "--pixels", "-o", "e.csv", "--start", "2000-01-01", "--end", "2026-11-01"]


def test_a_range_over_max_windows_is_refused_before_any_request(cli_env, capsys) -> None:
    code = export_main(LONG_RANGE)

    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        "scarf-tui export: error: 2000-01-01 to 2026-11-01 needs 317 windows of at most 31 days, more than the "
        "limit of 100 (max_windows in the [limits] table of config.toml). Pass --allow-long-range to export it "
        "anyway, or split the range.\n"
    )
    assert list(cli_env.iterdir()) == []


def test_max_windows_comes_from_the_config_and_allow_long_range_lifts_it(cli_env, capsys) -> None:
    (cli_env / "no-config.toml").write_text("[limits]\nmax_windows = 2\n", encoding="utf-8")
    three_windows = ["--start", RANGE_START.isoformat(), "--end", RANGE_END.isoformat()]

    code = export_main(["events", "--demo", "--package", SMALL_NAME, "-o", "e.csv", *three_windows])

    assert code == EXIT_BAD_INPUT
    assert "needs 3 windows of at most 31 days, more than the limit of 2" in capsys.readouterr().err
    assert not (cli_env / "e.csv").exists()

    code = export_main(
        ["events", "--demo", "--package", SMALL_NAME, "-o", "e.csv", "--allow-long-range", *three_windows]
    )

    assert code == EXIT_OK
    assert "exported " in capsys.readouterr().err and (cli_env / "e.csv").exists()


def test_the_window_budget_is_checked_by_the_headless_export_too(tmp_path) -> None:
    with pytest.raises(RangeTooLong) as caught:
        check_window_budget(date(2000, 1, 1), date(2026, 11, 1), 100)
    assert caught.value.windows == 317
    assert check_window_budget(date(2000, 1, 1), date(2026, 11, 1), None) == 317
