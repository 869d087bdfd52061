"""`scarf-tui export events --pixel ID` and `--pixels --owner NAME` against the real demo server
over API v2 (a loopback socket): the file holds exactly what the server sends, and each refusal
is one sentence with its exit code and nothing on disk."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import httpx
import pytest

from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.data import stable_uuid
from scarf_tui.domain import event_windows
from scarf_tui.exit_codes import EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_OK
from scarf_tui.export_cli import export_main
from scarf_tui.exporting.events_state import ExportState, window_key
from scarf_tui.exporting.pixels import V1_ONE_PIXEL, V1_OWNER_PIXELS

from .helpers import RANGE_END, RANGE_START, read_csv

START, END = RANGE_START.isoformat(), RANGE_END.isoformat()


def events_argv(*extra: str, output: str = "pixels.csv") -> list[str]:
    return ["events", "--start", START, "--end", END, "-o", output, *extra]


@pytest.fixture
def v2_url(live_server: str) -> str:
    return live_server.removesuffix("/api") + "/v2"


@pytest.fixture
def acme_pixels(demo_store) -> dict[str, str]:
    """name -> id of acme's tracking pixels, as the server holds them."""
    return {px.name: px.id for px in demo_store.pixels.values() if px.owner == "acme"}


def server_rows(v2_url: str, path: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows the server sends for [START, END) on `path`, window by window, with
    plain httpx (the oracle)."""
    header: list[str] = []
    rows: list[list[str]] = []
    cursor = RANGE_START
    with httpx.Client(headers={"Authorization": f"Bearer {DEMO_TOKEN}"}, timeout=30) as client:
        while cursor < RANGE_END:
            stop = min(cursor + timedelta(days=31), RANGE_END)
            answer = client.get(
                f"{v2_url}{path}", params={"start_date": cursor.isoformat(), "end_date": stop.isoformat()}
            )
            answer.raise_for_status()
            parsed = list(csv.reader(io.StringIO(answer.text, newline="")))
            header = parsed[0]
            rows.extend(r for r in parsed[1:] if r)
            cursor = stop
    return header, rows


def test_one_pixels_events(cli_env, capsys, monkeypatch, v2_url, acme_pixels):
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)
    pixel_id = acme_pixels["widget-docs"]

    code = export_main(events_argv("--api-url", v2_url, "--pixel", pixel_id, "--owner", "acme"))

    assert code == EXIT_OK
    header, rows = read_csv(cli_env / "pixels.csv")
    assert (header, rows) == server_rows(v2_url, f"/packages/acme/{pixel_id}/events")
    assert rows and {r[header.index("pixel_id")] for r in rows} == {pixel_id}
    assert f"exported {len(rows):,} event rows (3 windows) to pixels.csv" in capsys.readouterr().err


def test_every_pixel_of_an_owner(cli_env, capsys, monkeypatch, v2_url, acme_pixels):
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)

    code = export_main(events_argv("--api-url", v2_url, "--pixels", "--owner", "acme"))

    assert code == EXIT_OK
    header, rows = read_csv(cli_env / "pixels.csv")
    assert (header, rows) == server_rows(v2_url, "/tracking-pixels/acme/events")
    assert {r[header.index("pixel_id")] for r in rows} <= set(acme_pixels.values())
    assert f"exported {len(rows):,} event rows" in capsys.readouterr().err


def test_the_owner_defaults_to_the_configured_username(cli_env, capsys, monkeypatch, v2_url, demo_store):
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("SCARF_USERNAME", "maintainer")

    code = export_main(events_argv("--api-url", v2_url, "--pixels"))

    assert code == EXIT_OK, capsys.readouterr().err
    header, rows = read_csv(cli_env / "pixels.csv")
    assert (header, rows) == server_rows(v2_url, "/tracking-pixels/maintainer/events")
    mine = {px.id for px in demo_store.pixels.values() if px.owner == "maintainer"}
    assert rows and {r[header.index("pixel_id")] for r in rows} == mine


def test_pixels_on_v2_without_an_owner_or_username_is_bad_input(cli_env, capsys, monkeypatch, v2_url):
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)

    code = export_main(events_argv("--api-url", v2_url, "--pixels"))

    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        "scarf-tui export: error: API v2 exports pixel events per owner: give the owner (--owner NAME) or set "
        "your username.\n"
    )
    assert not list(cli_env.glob("pixels.csv*"))


def test_an_unknown_pixel_exits_3_before_any_file(cli_env, capsys, monkeypatch, v2_url):
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)

    code = export_main(events_argv("--api-url", v2_url, "--pixel", "no-such-pixel", "--owner", "acme"))

    assert code == EXIT_NOT_FOUND
    assert capsys.readouterr().err == (
        "scarf-tui export: error: Tracking pixel 'no-such-pixel' of 'acme' was not found (404).\n"
    )
    assert not list(cli_env.glob("pixels.csv*"))


@pytest.mark.parametrize(
    ("flags", "sentence"),
    [(("--pixel", "abc"), V1_ONE_PIXEL), (("--pixels", "--owner", "acme"), V1_OWNER_PIXELS)],
    ids=["one-pixel", "owner"],
)
def test_api_v1_refuses_with_a_sentence(cli_env, capsys, monkeypatch, live_server, flags, sentence):
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)

    code = export_main(events_argv("--api-url", live_server, *flags))

    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err == f"scarf-tui export: error: {sentence}\n"
    assert not list(cli_env.glob("pixels.csv*"))


def test_owner_scopes_a_package_on_v2(cli_env, capsys):
    """API v2 paths are owner-scoped: --owner names the package's owner; a wrong one is not found."""
    code = export_main(events_argv("--demo", "--package", "widget-cli", "--owner", "acme", output="w.csv"))

    assert code == EXIT_OK, capsys.readouterr().err
    header, rows = read_csv(cli_env / "w.csv")
    assert rows and {r[header.index("package")] for r in rows} <= {"widget-cli"}

    code = export_main(events_argv("--demo", "--package", "widget-cli", "--owner", "openlab", output="x.csv"))

    assert code == EXIT_NOT_FOUND
    assert not list(cli_env.glob("x.csv*"))


def test_pixel_and_pixels_together_is_a_usage_error(cli_env, capsys):
    code = export_main(events_argv("--demo", "--pixel", "abc", "--pixels"))

    assert code == EXIT_BAD_INPUT
    assert "error: argument --pixels: not allowed with argument --pixel\n" in capsys.readouterr().err


def test_the_demo_flag_serves_one_pixel_over_v2(cli_env, capsys):
    pixel_id = stable_uuid("pixel", "acme", "widget-docs")

    code = export_main(events_argv("--demo", "--pixel", pixel_id, "--owner", "acme"))

    assert code == EXIT_OK, capsys.readouterr().err
    header, rows = read_csv(cli_env / "pixels.csv")
    assert rows and {r[header.index("pixel_id")] for r in rows} == {pixel_id}


@pytest.mark.parametrize(("owner", "resumed"), [("acme", True), ("openlab", False)])
def test_a_partial_export_resumes_only_for_the_same_owner(cli_env, capsys, monkeypatch, v2_url, owner, resumed):
    """The resume record names the owner: a file an export of acme's pixels left behind is
    resumed by the same command, and started over by an export of openlab's pixels."""
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)
    header, _ = server_rows(v2_url, "/tracking-pixels/acme/events")
    first = event_windows(RANGE_START, RANGE_END)[0]
    kept = (",".join(header) + "\r\n" + ",".join(["acme-row"] * len(header)) + "\r\n").encode()
    (cli_env / "pixels.csv.part").write_bytes(kept)
    state = ExportState(scope="pixels:acme", start=RANGE_START, end=RANGE_END, header=header)
    state.windows[window_key(*first)] = {"offset": len(kept), "rows": 1}
    (cli_env / "pixels.csv.part.json").write_text(json.dumps(state.to_json()), encoding="utf-8")

    code = export_main(events_argv("--api-url", v2_url, "--pixels", "--owner", owner))

    assert code == EXIT_OK, capsys.readouterr().err
    text = (cli_env / "pixels.csv").read_text(encoding="utf-8")
    assert ("acme-row" in text) is resumed
    if not resumed:
        assert read_csv(cli_env / "pixels.csv") == server_rows(v2_url, "/tracking-pixels/openlab/events")


def test_api_flag_before_the_command_picks_the_demos_version(cli_env, capsys):
    from scarf_tui.cli import main as scarf_main

    code = scarf_main(["--api", "v1", "--demo", "export", *events_argv("--pixels", "--owner", "acme")])

    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err == f"scarf-tui export: error: {V1_OWNER_PIXELS}\n"
    assert not list(cli_env.glob("pixels.csv*"))
