"""`scarf-tui export events` against the hostile server of tests/hardening (HTML with status 200,
a line that never ends, a gzip bomb, silence, a trickle, a rejected token, the token echoed in
every CSV cell): each ends with its sentence and exit code, leaves no file that looks like an
export, and the token reaches neither the terminal nor the file. The limits come from the
[limits] table of config.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from scarf_tui.demo.server import running_server
from scarf_tui.exit_codes import EXIT_AUTH, EXIT_FAILURE, EXIT_OK
from scarf_tui.export_cli import export_main
from tests.hardening.hostile import Hostile, create_hostile_app

SECRET = "Zq81vX0r-5150-kPw7-tOk3-9fJd2Lm"
ARGV = ["events", "--pixels", "--start", "2026-01-01", "--end", "2026-03-01", "-o", "e.csv"]
PREFIX = "scarf-tui export: "
WINDOWS = ("2026-01-01..2026-01-31", "2026-02-01..2026-02-28")


def every_window(reason: str) -> str:
    lines = [f"{PREFIX}{window} failed: {reason}\n" for window in WINDOWS]
    return "".join(lines) + f"{PREFIX}nothing was kept.\n"


@pytest.fixture
def limited_env(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (cli_env / "no-config.toml").write_text(
        "[limits]\nstall_seconds = 1\nmax_line_kb = 64\nmax_body_mb = 1\n", encoding="utf-8"
    )
    monkeypatch.setenv("SCARF_API_TOKEN", SECRET)
    return cli_env


STALLED = "The download from 127.0.0.1 stalled: {what} in 1 seconds (limits.stall_seconds), so it was stopped."
TOO_LONG = "A line of the pixel events is longer than 64 KB (limits.max_line_kb), so the download was stopped."


@pytest.mark.parametrize(
    ("mode", "code", "err"),
    [
        (
            "html",
            EXIT_FAILURE,
            f"{PREFIX}error: The server sent text/html for the pixel events (2026-01-01 to 2026-02-01), "
            "not a CSV file (text/csv).\n",
        ),
        ("endless", EXIT_FAILURE, every_window(TOO_LONG)),
        ("bomb", EXIT_FAILURE, every_window(TOO_LONG)),
        ("silent", EXIT_FAILURE, every_window(STALLED.format(what="no data arrived"))),
        ("trickle", EXIT_FAILURE, every_window(STALLED.format(what="only 19 bytes arrived"))),
        (
            "echo-401",
            EXIT_AUTH,
            f"{PREFIX}error: The API token was rejected (401): check SCARF_API_TOKEN or the token in config.toml.\n",
        ),
    ],
)
def test_a_hostile_answer_ends_with_its_sentence_and_no_export_file(limited_env, capsys, mode, code, err):
    hostile = Hostile(mode=mode)

    with running_server(create_hostile_app(hostile)) as base_url:
        result = export_main([*ARGV, "--api-url", base_url])

    captured = capsys.readouterr()
    assert (result, captured.err) == (code, err)
    assert SECRET not in captured.err + captured.out
    assert sorted(p.name for p in limited_env.iterdir()) == ["no-config.toml"]


def test_the_token_echoed_in_csv_cells_reaches_neither_the_terminal_nor_the_file(limited_env, capsys):
    hostile = Hostile(mode="echo")

    with running_server(create_hostile_app(hostile)) as base_url:
        code = export_main([*ARGV, "--api-url", base_url])

    captured = capsys.readouterr()
    assert code == EXIT_OK
    assert captured.err.endswith(f"{PREFIX}exported 4 event rows (2 windows) to e.csv.\n")
    assert SECRET not in captured.err + captured.out
    data = (limited_env / "e.csv").read_bytes()
    assert SECRET.encode() not in data  # the service cuts a registered secret out of raw lines too
    row = b"***,p-1,1.0,2026-11-01T00:00:00Z,https://***.example/,***,***=***,o-1\r\n"
    assert data == b"type,package,version,time,referer,user_agent,variables,origin_id\r\n" + row * 4
