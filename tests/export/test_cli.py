"""`scarf-tui export …` in-process: exit codes and one-sentence messages for each problem."""

from __future__ import annotations

import asyncio
import csv
import io
import json

import httpx
import pytest

from scarf_tui.cli import main as scarf_main
from scarf_tui.demo import DEMO_TOKEN, NOEXPORT_TOKEN
from scarf_tui.exit_codes import (
    EXIT_AUTH,
    EXIT_BAD_INPUT,
    EXIT_FAILURE,
    EXIT_NO_EXPORT_ACCESS,
    EXIT_NOT_FOUND,
    EXIT_OK,
)
from scarf_tui.export_cli import export_main
from scarf_tui.exporting import AGGREGATE_COLUMNS

from .helpers import RANGE_END, RANGE_START, SMALL_NAME, SMALL_UUID, read_csv

START, END = RANGE_START.isoformat(), RANGE_END.isoformat()


def events_argv(*extra: str, start: str = START, end: str = END, output: str = "events.csv") -> list[str]:
    return ["events", "--start", start, "--end", end, "-o", output, *extra]


def assert_one_clean_message(stderr: str, *needles: str) -> None:
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr, stderr


# --- bad input (2), before any request ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-13-01", "2026-11-01", "The start date '2026-13-01' is not a date in YYYY-MM-DD form."),
        ("2026-09-01", "11/01/2026", "The end date '11/01/2026' is not a date in YYYY-MM-DD form."),
        ("2026-09-01", "2026-08-01", "The end date 2026-08-01 must be after the start date 2026-09-01."),
        ("2026-09-01", "2026-09-01", "must be after the start date"),
    ],
    ids=["bad-month", "bad-format", "end-before-start", "empty-range"],
)
def test_bad_dates_exit_2_with_the_problem_named(cli_env, capsys, start, end, message):
    code = export_main(events_argv("--demo", "--package", SMALL_NAME, start=start, end=end))

    assert code == EXIT_BAD_INPUT
    assert_one_clean_message(capsys.readouterr().err, message)
    assert not list(cli_env.glob("events.csv*"))


def test_a_missing_output_directory_is_bad_input(cli_env, capsys):
    code = export_main(events_argv("--demo", "--package", SMALL_NAME, output="no/such/dir/events.csv"))

    assert code == EXIT_BAD_INPUT
    assert_one_clean_message(capsys.readouterr().err, "does not exist")


def test_events_without_output_file_is_a_usage_error(cli_env, capsys):
    code = export_main(["events", "--demo", "--package", SMALL_NAME, "--start", START, "--end", END])

    assert code == EXIT_BAD_INPUT
    assert "-o" in capsys.readouterr().err


# --- not found (3), no access (4), no token (5) ---------------------------------------------------


def test_unknown_package_exits_3(cli_env, capsys):
    code = export_main(events_argv("--demo", "--package", "no-such-package"))

    assert code == EXIT_NOT_FOUND
    assert_one_clean_message(capsys.readouterr().err, "'no-such-package' was not found")
    assert not list(cli_env.glob("events.csv*"))


@pytest.mark.parametrize(
    ("api", "needles"),
    [(("--api", "v1"), ("'no-such-org'", "not found")), ((), ("'no-such-org'", "not found"))],
    ids=["v1", "v2"],
)
def test_unknown_organization_exits_3(cli_env, capsys, api, needles):
    code = export_main(["aggregates", "--demo", *api, "--org", "no-such-org", "--start", START, "--end", END])

    assert code == EXIT_NOT_FOUND
    assert_one_clean_message(capsys.readouterr().err, *needles)


@pytest.mark.parametrize(
    ("api", "package", "sentence"),
    [
        # visitor-notes has the type "other", which API v2 does not list.
        (("--api", "v1"), "visitor-notes", "Data export is not enabled for this account"),
        # On v2 the demo signs in as the token's own user (visitor), a member of openlab.
        ((), "open-notebook", "Exporting events needs a paid Scarf plan"),
    ],
    ids=["v1", "v2"],
)
def test_no_export_access_exits_4_for_events_on_the_demo(cli_env, capsys, api, package, sentence):
    code = export_main(events_argv("--demo", *api, "--demo-token", NOEXPORT_TOKEN, "--package", package))

    assert code == EXIT_NO_EXPORT_ACCESS
    assert_one_clean_message(capsys.readouterr().err, sentence)
    assert not list(cli_env.glob("events.csv*"))  # nothing to resume, nothing left behind


def test_no_export_access_exits_4_for_aggregates_from_a_configured_server(cli_env, capsys, monkeypatch, live_server):
    monkeypatch.setenv("SCARF_API_TOKEN", NOEXPORT_TOKEN)

    code = export_main(["aggregates", "--api-url", live_server, "--user", "visitor", "--start", START, "--end", END])

    assert code == EXIT_NO_EXPORT_ACCESS
    captured = capsys.readouterr()
    assert_one_clean_message(captured.err, "Data export is not enabled")
    assert captured.out == ""
    assert NOEXPORT_TOKEN not in captured.err


def test_no_token_exits_5(cli_env, capsys, live_server):
    code = export_main(events_argv("--api-url", live_server, "--package", SMALL_NAME))

    assert code == EXIT_AUTH
    assert_one_clean_message(capsys.readouterr().err, "No API token is set")


# --- events end to end ----------------------------------------------------------------------------


def test_events_export_from_a_configured_server(cli_env, capsys, monkeypatch, live_server):
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("SCARF_API_URL", live_server)

    code = export_main(events_argv("--package", SMALL_NAME))

    assert code == EXIT_OK
    err = capsys.readouterr().err
    header, rows = read_csv(cli_env / "events.csv")
    assert header[:2] == ["type", "package"] and rows
    assert {r[1] for r in rows} == {SMALL_NAME}
    assert f"exported {len(rows):,} event rows (3 windows) to events.csv" in err
    assert "\r" not in err  # no progress bar when stderr is not a terminal


def test_a_stream_cut_in_every_window_exits_1_keeps_nothing_and_says_so(
    cli_env, capsys, monkeypatch, live_server, demo_faults
):
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)
    argv = events_argv("--api-url", live_server, "--package", SMALL_UUID)
    demo_faults.cut_stream = True

    code = export_main(argv)

    err = capsys.readouterr().err
    assert code == EXIT_FAILURE
    assert_one_clean_message(err, f"{START}..", " failed: ", "cut", "scarf-tui export: nothing was kept.\n")
    assert "kept in" not in err and "the same command" not in err
    assert list(cli_env.glob("events.csv*")) == []

    demo_faults.cut_stream = False
    code = export_main(argv)

    assert code == EXIT_OK
    assert (cli_env / "events.csv").exists() and not (cli_env / "events.csv.part").exists()
    assert not (cli_env / "events.csv.part.json").exists()


def test_export_runs_through_the_scarf_tui_command(cli_env, capsys):
    code = scarf_main(
        [
            "export",
            "events",
            "--demo",
            "--package",
            "no-such-package",
            "--start",
            START,
            "--end",
            END,
            "-o",
            "events.csv",
        ]
    )

    assert code == EXIT_NOT_FOUND
    assert_one_clean_message(capsys.readouterr().err, "was not found")


def test_demo_flag_before_the_command_is_honoured(cli_env, capsys):
    code = scarf_main(
        [
            "--demo",
            "export",
            "events",
            "--package",
            "no-such-package",
            "--start",
            START,
            "--end",
            END,
            "-o",
            "events.csv",
        ]
    )

    assert code == EXIT_NOT_FOUND  # not "no token": --demo reached the export


# --- aggregates ------------------------------------------------------------------------------------


def _server_aggregates(base_url: str, org: str) -> list[dict]:
    response = httpx.get(
        f"{base_url}/v1/organizations/{org}/aggregates",
        params={"startDate": START, "endDate": END},
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
        timeout=30,
    )
    response.raise_for_status()
    return [json.loads(line) for line in response.text.splitlines() if line.strip()]


def test_aggregates_to_stdout_as_ndjson(cli_env, capsys, monkeypatch, live_server):
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)

    code = export_main(["aggregates", "--api-url", live_server, "--org", "tinytools", "--start", START, "--end", END])

    assert code == EXIT_OK
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    expected = _server_aggregates(live_server, "tinytools")
    assert len(lines) == len(expected) > 0
    assert {(r["breakdown"], r["date"], r["package"], r["total"]) for r in lines} == {
        (r["breakdown"], r["date"], r["package"], r["total"]) for r in expected
    }
    assert captured.err == ""  # stdout carries the data; no chatter


@pytest.mark.parametrize("name", ["aggregates.csv", "aggregates.json", "aggregates.ndjson"])
def test_aggregates_to_a_file_in_the_format_its_name_asks_for(cli_env, capsys, monkeypatch, live_server, name):
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)

    code = export_main(
        ["aggregates", "--api-url", live_server, "--org", "tinytools", "--start", START, "--end", END, "-o", name]
    )

    assert code == EXIT_OK
    expected = len(_server_aggregates(live_server, "tinytools"))
    text = (cli_env / name).read_text(encoding="utf-8")
    if name.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert rows[0] == list(AGGREGATE_COLUMNS) and len(rows) - 1 == expected
    elif name.endswith(".json"):
        assert len(json.loads(text)) == expected
    else:
        assert len(text.splitlines()) == expected
    assert not (cli_env / f"{name}.part").exists()
    assert f"exported {expected:,} aggregate rows" in capsys.readouterr().err


def test_aggregates_cut_stream_exits_1_and_leaves_no_file(cli_env, capsys, monkeypatch, live_server, demo_faults):
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)
    demo_faults.cut_stream = True

    code = export_main(
        ["aggregates", "--api-url", live_server, "--org", "acme", "--start", START, "--end", END, "-o", "a.ndjson"]
    )

    assert code == EXIT_FAILURE
    assert_one_clean_message(capsys.readouterr().err, "cut")
    assert not list(cli_env.glob("a.ndjson*"))


def test_a_name_shared_by_several_packages_is_bad_input_until_a_type_picks_one(cli_env, capsys):
    # On v1 only: the demo's second "widget" is a pypi package, a type API v2 does not list.
    code = export_main(
        events_argv("--demo", "--api", "v1", "--package", "widget", start="2026-11-01", end="2026-11-03")
    )

    assert code == EXIT_BAD_INPUT
    assert_one_clean_message(capsys.readouterr().err, "Several packages are named 'widget'", "--package-type")

    code = export_main(
        events_argv(
            "--demo",
            "--api",
            "v1",
            "--package",
            "widget",
            "--package-type",
            "pypi",
            start="2026-11-01",
            end="2026-11-03",
        )
    )

    assert code == EXIT_OK
    header, rows = read_csv(cli_env / "events.csv")
    assert rows and {r[header.index("type")] for r in rows} == {"package download"}  # pypi, not docker pulls


def test_rerunning_the_command_after_a_partial_export_says_it_resumes(
    cli_env, capsys, monkeypatch, live_server, demo_faults
):
    from scarf_tui.api import make_service
    from scarf_tui.exporting import EventsScope, ExportProgress, export_events

    def fail_after_first_window(p: ExportProgress) -> None:
        if p.windows_done >= 1:
            demo_faults.error_rate = 1.0

    async def partial_export() -> None:
        service = make_service(live_server, DEMO_TOKEN, backoff=0.0)
        try:
            result = await export_events(
                service,
                EventsScope(SMALL_UUID),
                RANGE_START,
                RANGE_END,
                cli_env / "events.csv",
                on_progress=fail_after_first_window,
            )
        finally:
            await service.aclose()
        assert result.windows_done == 1 and not result.complete

    asyncio.run(partial_export())
    demo_faults.error_rate = 0.0
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)

    code = export_main(events_argv("--api-url", live_server, "--package", SMALL_UUID))

    assert code == EXIT_OK
    err = capsys.readouterr().err
    assert_one_clean_message(err, "resuming events.csv.part: 1 of 3 windows were already fetched.")
    assert (cli_env / "events.csv").exists() and not (cli_env / "events.csv.part").exists()
