"""`scarf-tui login` as a user runs it (a subprocess, the token on stdin): URLs that can never
work are refused before anything is saved, a hostile server gets a sentence and exit status 2,
and the config file stays the user's: comments, other keys and symlinks kept, mode 0600,
nothing from the environment written into it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from scarf_tui.demo import DEMO_TOKEN
from tests.hardening.conftest import SECRET
from tests.hardening.hostile import Hostile

ROOT = Path(__file__).resolve().parents[2]
USER_FILE = """\
# written by hand
api_url = "https://scarf.sh/api"  # production
orgs = ["acme"]

[keymap]
"app.quit" = "q"
"""


def login(tmp_path: Path, *args: str, token: str = SECRET, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SCARF_")}
    environment["SCARF_TUI_CONFIG"] = str(tmp_path / "config.toml")
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "scarf_tui", "login", *args],
        input=f"{token}\n", capture_output=True, text=True, env=environment, timeout=120, cwd=ROOT,
    )


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://[::1/api", "is not a valid URL: its IPv6 address has no closing ']'."),
        ("https://scarf.sh:abc/api", "is not a valid URL: its port 'abc' is not a number."),
        ("https://scarf.sh:99999/api", "is not a valid URL: its port 99999 is not between 1 and 65535."),
        ("https://sc arf.sh/api", "is not a valid URL: it contains a space or control character."),
        ("https://xn--zz.example/api", "is not a valid URL: its host is not a valid international domain name."),
    ],
)
def test_login_no_verify_refuses_a_url_that_can_never_work(tmp_path: Path, url: str, problem: str) -> None:
    result = login(tmp_path, "--no-verify", "--api-url", url)
    assert (result.returncode, result.stderr) == (2, f"scarf-tui: The API URL {url!r} {problem}\n")
    assert not (tmp_path / "config.toml").exists()


def test_login_refuses_plain_http_to_localhost_with_a_trailing_dot(tmp_path: Path) -> None:
    result = login(tmp_path, "--no-verify", "--api-url", "http://localhost./api")
    assert (result.returncode, result.stderr) == (
        2,
        "scarf-tui: Refusing to send the API token over plain http:// to localhost.; "
        "use https:// (plain http is allowed only for localhost).\n",
    )
    assert not (tmp_path / "config.toml").exists()


def test_login_keeps_the_users_file_and_writes_no_environment_override(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(USER_FILE)
    os.chmod(config, 0o644)
    result = login(
        tmp_path, "--no-verify", "--user", "ada",
        SCARF_API_URL="https://env.example/api", SCARF_USERNAME="from-env", SCARF_API_TOKEN="env-token-abcdefgh",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"Saved the token to {config} (readable only by you).\n"
    assert config.read_text() == USER_FILE.replace(
        'orgs = ["acme"]\n', f'orgs = ["acme"]\nusername = "ada"\ntoken = "{SECRET}"\n'
    )
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_login_writes_through_a_symlinked_config(tmp_path: Path) -> None:
    (tmp_path / "dotfiles").mkdir()
    real = tmp_path / "dotfiles" / "scarf.toml"
    real.write_text(USER_FILE)
    (tmp_path / "config.toml").symlink_to(real)
    result = login(tmp_path, "--no-verify")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "config.toml").is_symlink()
    assert real.read_text() == USER_FILE.replace('orgs = ["acme"]\n', f'orgs = ["acme"]\ntoken = "{SECRET}"\n')
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_login_creates_private_directories_whatever_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "config.toml"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SCARF_")}
    environment["SCARF_TUI_CONFIG"] = str(target)
    result = subprocess.run(
        ["sh", "-c", f"umask 000 && exec {sys.executable} -m scarf_tui login --no-verify"],
        input=f"{SECRET}\n", capture_output=True, text=True, env=environment, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    modes = [stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "deep", tmp_path / "deep" / "er", target)]
    assert modes == [0o700, 0o700, 0o600]
    assert target.read_text() == f'token = "{SECRET}"\n'


def test_login_verifies_against_the_server_and_saves_only_what_was_entered(tmp_path: Path, live_server: str) -> None:
    result = login(tmp_path, "--api-url", live_server, token=DEMO_TOKEN, SCARF_USERNAME="from-env")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "config.toml").read_text() == f'api_url = "{live_server}"\ntoken = "{DEMO_TOKEN}"\n'


@pytest.mark.parametrize(
    ("mode", "sentence"),
    [
        ("bomb", "The server's answer to GET /v1/packages is larger than 64 MB (limits.max_body_mb), "
         "so it was not read further."),
        ("nested", "The server's answer to GET /v1/packages is nested too deeply to read."),
        ("html", "The server's answer to GET /v1/packages was not valid JSON."),
        ("echo-500", "Scarf had a server error (500); try again shortly: ***."),
    ],
)
def test_login_against_a_hostile_server_is_one_sentence_and_saves_nothing(
    tmp_path: Path, hostile: Hostile, hostile_url: str, mode: str, sentence: str
) -> None:
    hostile.mode = mode
    result = login(tmp_path, "--api-url", hostile_url)
    # Exit status 1: the server failed (the exit-code table of scarf_tui/exit_codes.py).
    assert (result.returncode, result.stderr, result.stdout) == (1, f"scarf-tui: {sentence}\n", "")
    assert not (tmp_path / "config.toml").exists()


def test_login_with_a_deeply_nested_config_is_one_sentence(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    result = login(tmp_path, "--no-verify")
    assert (result.returncode, result.stderr) == (
        2,
        f"scarf-tui: The config file {config} is nested too deeply to read.\n",
    )


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://[::1/api", "is not a valid URL: its IPv6 address has no closing ']'."),
        ("http://127.0.0.1:port/api", "is not a valid URL: its port 'port' is not a number."),
    ],
)
@pytest.mark.parametrize("where", ["env", "flag", "config"])
def test_the_tui_refuses_an_unusable_url_before_it_starts(tmp_path: Path, url: str, problem: str, where: str) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SCARF_")}
    config = tmp_path / "config.toml"
    environment.update(SCARF_TUI_CONFIG=str(config), SCARF_API_TOKEN=SECRET)
    args = []
    if where == "env":
        environment["SCARF_API_URL"] = url
    elif where == "flag":
        args = ["--api-url", url]
    else:
        config.write_text(f'api_url = "{url}"\n')
    result = subprocess.run(
        [sys.executable, "-m", "scarf_tui", *args], capture_output=True, text=True, env=environment, timeout=120,
        cwd=ROOT, stdin=subprocess.DEVNULL,
    )
    assert (result.returncode, result.stderr, result.stdout) == (2, f"scarf-tui: The API URL {url!r} {problem}\n", "")
