"""The `scarf-tui` command: arguments, one-line errors with exit status 2, the demo server."""

from __future__ import annotations

import asyncio
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scarf_tui import __version__
from scarf_tui.api import make_service
from scarf_tui.cli import build_parser, main
from scarf_tui.demo import DEMO_TOKEN


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCARF_")}
    env["SCARF_TUI_CONFIG"] = str(tmp_path / "config.toml")
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scarf_tui", *args], capture_output=True, text=True, env=env, timeout=timeout,
        cwd=Path(__file__).resolve().parents[1],
    )


def test_version_and_help(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    version = run_cli("--version", env=env)
    assert version.returncode == 0 and version.stdout.strip() == f"scarf-tui {__version__}"
    help_ = run_cli("--help", env=env)
    assert help_.returncode == 0
    assert "demo-server" in help_.stdout and "--read-only" in help_.stdout and "SCARF_API_TOKEN" in help_.stdout


def test_parser_reads_the_tui_options() -> None:
    args = build_parser().parse_args(["--demo", "--org", "acme", "--user", "maintainer", "--read-only"])
    assert (args.demo, args.org, args.user, args.read_only, args.command) == (True, "acme", "maintainer", True, None)
    server = build_parser().parse_args(["demo-server", "--port", "0", "--faults", "latency=0.1"])
    assert (server.command, server.host, server.port, server.faults) == ("demo-server", "127.0.0.1", 0, "latency=0.1")


def test_bad_config_is_one_line_and_status_2(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("token = [", encoding="utf-8")
    result = run_cli(env=clean_env(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scarf-tui: The config file ")
    assert "Traceback" not in result.stderr


def test_insecure_api_url_is_refused_before_the_tui(tmp_path: Path) -> None:
    result = run_cli(env=clean_env(tmp_path, SCARF_API_URL="http://scarf.example/api", SCARF_API_TOKEN="sekrit"))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "scarf-tui: Refusing to send the API token over plain http:// to scarf.example; "
        "use https:// (plain http is allowed only for localhost)."
    )
    assert "sekrit" not in result.stderr + result.stdout


def test_errors_in_process_go_to_stderr_with_status_2(tmp_path: Path) -> None:
    err = io.StringIO()
    config = tmp_path / "config.toml"
    config.write_text("read_only = 3\n", encoding="utf-8")
    assert main(["--config", str(config)], stderr=err) == 2
    assert err.getvalue() == f"scarf-tui: In {config}, 'read_only' must be true or false, not int.\n"


def test_bad_faults_spec(tmp_path: Path) -> None:
    err = io.StringIO()
    assert main(["demo-server", "--faults", "explode=1"], stderr=err) == 2
    assert err.getvalue().startswith("scarf-tui: --faults: Unknown fault 'explode'")


def test_export_command_is_offered(tmp_path: Path) -> None:
    result = run_cli("export", "--help", env=clean_env(tmp_path))
    assert result.returncode == 0 and "aggregates" in result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_server_command_serves_the_api(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "scarf_tui", "demo-server", "--port", str(port)],
        env=clean_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        deadline = time.monotonic() + 30
        while True:  # wait until it listens (not a timing assertion: just readiness)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"demo-server did not start: {process.stderr.read() if process.stderr else ''}")
                time.sleep(0.05)

        async def talk() -> list[str]:
            service = make_service(f"http://127.0.0.1:{port}/api", DEMO_TOKEN, backoff=0.0)
            try:
                return [m.username for m in await service.list_members("acme")]
            finally:
                await service.aclose()

        assert "maintainer" in asyncio.run(talk())
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_login_verifies_and_saves_the_token_0600(tmp_path: Path, live_server: str) -> None:
    import stat

    from scarf_tui.config import load_settings

    env = clean_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "scarf_tui", "login", "--api-url", live_server, "--user", "maintainer"],
        input=f"{DEMO_TOKEN}\n", capture_output=True, text=True, env=env, timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 0, result.stderr
    config = tmp_path / "config.toml"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    settings = load_settings(config, env={})
    assert settings.token.reveal() == DEMO_TOKEN
    assert (settings.api_url, settings.username) == (live_server, "maintainer")
    assert DEMO_TOKEN not in result.stderr.replace("Saved the token", "")


def test_login_with_a_rejected_token_saves_nothing(tmp_path: Path, live_server: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scarf_tui", "login", "--api-url", live_server],
        input="wrong-token\n", capture_output=True, text=True, env=clean_env(tmp_path), timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 5  # the exit-code table every command shares: 5 = token rejected
    assert result.stderr.strip() == (
        "scarf-tui: The API token was rejected (401): check SCARF_API_TOKEN or the token in config.toml."
    )
    assert not (tmp_path / "config.toml").exists()


# --- one exit-code table for every command -----------------------------------------------------------


def test_the_readme_documents_exactly_the_exit_code_table() -> None:
    from scarf_tui.exit_codes import EXIT_CODE_TABLE

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "code" not in line]
    documented = [int(line.split("|")[1]) for line in rows]
    assert documented == [code for code, _meaning in EXIT_CODE_TABLE]


def test_export_help_shows_the_exit_code_table(tmp_path: Path) -> None:
    result = run_cli("export", "events", "--help", env=clean_env(tmp_path))
    assert result.returncode == 0
    assert "exit codes:" in result.stdout
    assert "  6    another export is writing the same output file" in result.stdout
    assert "--follow-symlink" in result.stdout and "--allow-long-range" in result.stdout


def test_login_to_a_server_that_does_not_answer_exits_1(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = subprocess.run(
        [sys.executable, "-m", "scarf_tui", "login", "--api-url", f"http://127.0.0.1:{port}/api"],
        input="t0ken-that-is-never-checked\n", capture_output=True, text=True, env=clean_env(tmp_path), timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("scarf-tui: ") and "Traceback" not in result.stderr
    assert not (tmp_path / "config.toml").exists()


def test_login_on_v2_asks_for_the_username_it_cannot_find(tmp_path: Path, live_server: str) -> None:
    """API v2 has no "who am I": the username is the second line (or --user); without it,
    nothing is saved and the sentence says what to pass."""
    from scarf_tui.config import load_settings

    v2_url = live_server.removesuffix("/api") + "/v2"
    command = [sys.executable, "-m", "scarf_tui", "login", "--api-url", v2_url]
    cwd = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        command, input=f"{DEMO_TOKEN}\n", capture_output=True, text=True, env=clean_env(tmp_path), timeout=60, cwd=cwd
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "scarf-tui: API v2 needs your Scarf username: pass --user NAME. Nothing was saved."
    assert not (tmp_path / "config.toml").exists()
    result = subprocess.run(
        command, input=f"{DEMO_TOKEN}\nmaintainer\n", capture_output=True, text=True, env=clean_env(tmp_path),
        timeout=60, cwd=cwd,
    )
    assert result.returncode == 0, result.stderr
    settings = load_settings(tmp_path / "config.toml", env={})
    assert (settings.api_url, settings.username) == (v2_url, "maintainer")
