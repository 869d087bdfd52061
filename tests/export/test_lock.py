"""One writer per output: an export holds a lock on FILE.part.lock from start to rename. A second
export to the same -o, from another process, is refused with a sentence and exit 6 and touches
nothing; the first finishes unharmed, byte for byte. Ctrl-C says "kept" only when something
was kept. The first export runs as a real process (`python -m scarf_tui export ...`) against a
scripted server on a loopback socket that holds its answer until the test lets it go on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from scarf_tui.exit_codes import EXIT_BUSY, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK
from scarf_tui.export_cli import export_main
from scarf_tui.exporting import locked_output

from .helpers import Answer, EventsScript, serving

TOKEN = "t0ken-for-the-scripted-server"
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
RANGE = ["--start", "2026-01-01", "--end", "2026-03-01"]
JAN_BODY = [b"type,time,id\r\n", b"pixel fetch,2026-01-05T00:00:00Z,a\r\n", b"pixel fetch,2026-01-06T00:00:00Z,b\r\n"]
FEB_BODY = b"type,time,id\r\npixel fetch,2026-02-05T00:00:00Z,c\r\n"
EXPECTED = b"".join(JAN_BODY) + FEB_BODY[len(b"type,time,id\r\n") :]
BUSY = (
    "scarf-tui export: error: Another export is writing 'e.csv' right now (it holds e.csv.part.lock); "
    "wait for it to finish or export to another file.\n"
)


def events_argv(base_url: str) -> list[str]:
    return ["events", "--api-url", base_url, "--pixels", *RANGE, "-o", "e.csv"]


def start_export(base_url: str, cwd: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCARF_")}
    env.update(SCARF_TUI_CONFIG=str(cwd / "no-config.toml"), SCARF_API_TOKEN=TOKEN)
    return subprocess.Popen(
        [sys.executable, "-m", "scarf_tui", "export", *events_argv(base_url)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def token_env(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SCARF_API_TOKEN", TOKEN)
    return cli_env


def test_a_second_export_to_the_same_file_is_refused_and_the_first_finishes_unharmed(token_env, capsys):
    hold = threading.Event()
    script = EventsScript({JAN: Answer(JAN_BODY, hold=hold), FEB: Answer([FEB_BODY])})

    with serving(script) as base_url:
        first = start_export(base_url, token_env)
        try:
            script.wait_for_requests(1)  # the first export holds the lock and is inside January

            code = export_main(events_argv(base_url))

            assert code == EXIT_BUSY
            assert capsys.readouterr().err == BUSY
            assert script.requests == [(JAN, FEB)]  # the second export asked the server nothing
            assert (token_env / "e.csv.part.lock").exists()
        finally:
            hold.set()
            _, first_err = first.communicate(timeout=120)

    assert first.returncode == EXIT_OK, first_err
    assert first_err.endswith("scarf-tui export: exported 3 event rows (2 windows) to e.csv.\n")
    assert (token_env / "e.csv").read_bytes() == EXPECTED
    assert sorted(p.name for p in token_env.iterdir()) == ["e.csv"]  # no .part, sidecar or lock left


def test_an_aggregates_export_to_a_locked_file_is_refused_before_any_request(token_env, capsys):
    (token_env / "a.ndjson").write_bytes(b"an earlier export\n")
    closed_port = "http://127.0.0.1:9/api"  # nothing listens: a request would fail differently

    with locked_output(token_env / "a.ndjson") as files:
        files.part.write_bytes(b"the holder's bytes")
        code = export_main(
            ["aggregates", "--api-url", closed_port, "--org", "acme", *RANGE, "-o", "a.ndjson"]
        )
        assert files.part.read_bytes() == b"the holder's bytes"

    assert code == EXIT_BUSY
    assert capsys.readouterr().err == BUSY.replace("e.csv", "a.ndjson")
    assert (token_env / "a.ndjson").read_bytes() == b"an earlier export\n"
    assert not (token_env / "a.ndjson.part.lock").exists()  # the holder removed it on the way out


def test_the_lock_is_free_again_after_the_holder_is_done(tmp_path) -> None:
    with locked_output(tmp_path / "x.csv") as files:
        assert files.lock.exists()
    with locked_output(tmp_path / "x.csv") as again:
        assert again.lock.exists()
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_after_a_finished_window_says_the_partial_export_is_kept(token_env):
    hold = threading.Event()
    script = EventsScript({JAN: Answer([b"".join(JAN_BODY)]), FEB: Answer([FEB_BODY[:14]], hold=hold)})

    with serving(script) as base_url:
        export = start_export(base_url, token_env)
        try:
            script.wait_for_requests(2)  # January is written and synced; February has begun
            export.send_signal(signal.SIGINT)
            _, err = export.communicate(timeout=120)
        finally:
            hold.set()

    assert export.returncode == EXIT_INTERRUPTED
    assert err.endswith(
        "scarf-tui export: interrupted; the partial export is kept in e.csv.part and the same command resumes it.\n"
    )
    assert (token_env / "e.csv.part").read_bytes() == b"".join(JAN_BODY)
    assert sorted(p.name for p in token_env.iterdir()) == ["e.csv.part", "e.csv.part.json"]


def test_ctrl_c_before_any_window_finished_says_nothing_was_kept(token_env):
    hold = threading.Event()
    script = EventsScript({JAN: Answer(JAN_BODY, hold=hold)})

    with serving(script) as base_url:
        export = start_export(base_url, token_env)
        try:
            script.wait_for_requests(1)
            export.send_signal(signal.SIGINT)
            _, err = export.communicate(timeout=120)
        finally:
            hold.set()

    assert export.returncode == EXIT_INTERRUPTED
    assert err == "scarf-tui export: interrupted; nothing was kept.\n"
    assert list(token_env.iterdir()) == []


# Runs the CLI in a process whose files may grow to 4 KiB: a write past that fails (EFBIG) instead
# of killing the process, the way a full disk fails a write. (Set inside the child, not with
# preexec_fn, which is unsafe while the test's server thread runs.)
LIMITED_CLI = (
    "import resource, runpy, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096)); sys.argv = ['scarf-tui', *sys.argv[1:]]; "
    "runpy.run_module('scarf_tui', run_name='__main__')"
)


def test_a_write_that_fails_mid_window_keeps_the_finished_windows_and_says_so(token_env):
    big_row = b"pixel fetch,2026-02-05T00:00:00Z," + b"x" * 10_000 + b"\r\n"
    script = EventsScript({JAN: Answer([b"".join(JAN_BODY)]), FEB: Answer([b"type,time,id\r\n", big_row])})

    with serving(script) as base_url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCARF_")}
        env.update(SCARF_TUI_CONFIG=str(token_env / "no-config.toml"), SCARF_API_TOKEN=TOKEN)
        export = subprocess.run(
            [sys.executable, "-c", LIMITED_CLI, "export", *events_argv(base_url)],
            cwd=token_env, env=env, capture_output=True, text=True, timeout=120,
        )

    assert export.returncode == EXIT_FAILURE, export.stderr
    assert export.stderr.endswith(
        "scarf-tui export: error: Could not write 'e.csv.part': File too large.\n"
        "scarf-tui export: the partial export is kept in e.csv.part and the same command resumes it.\n"
    )
    assert (token_env / "e.csv.part").read_bytes() == b"".join(JAN_BODY)  # January whole, nothing of February
    assert not (token_env / "e.csv").exists()
