"""`scarf-tui export acl`: the file on disk (content, mode 0600, no leftovers), exit codes and
the one-line sentences, against the embedded pypicloud in-process (--demo) and over a socket."""

from __future__ import annotations

import argparse
import io
import json
import stat
from pathlib import Path

import pytest

from scarf_tui.acl_cli import add_acl_parser, run_acl
from scarf_tui.demo.pypicloud import build_pypicloud_store, create_pypicloud_app
from scarf_tui.demo.server import running_server

PASSWORD = "a-very-secret-phrase-42"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    kinds = parser.add_subparsers(dest="export_kind")
    add_acl_parser(kinds)
    return parser.parse_args(["acl", *argv])


def _run(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    err = io.StringIO()
    code = run_acl(_parse(argv), stderr=err, env=env)
    return code, err.getvalue()


@pytest.fixture
def server():
    store = build_pypicloud_store()
    store.users["maintainer"].password = PASSWORD
    with running_server(create_pypicloud_app(store)) as url:
        yield store, url.removesuffix("/api")


def _env(url: str, user: str, password: str, tmp_path: Path) -> dict[str, str]:
    return {
        "PYPICLOUD_URL": url,
        "PYPICLOUD_USERNAME": user,
        "PYPICLOUD_PASSWORD": password,
        "SCARF_TUI_CONFIG": str(tmp_path / "none.toml"),
    }


def test_demo_export_writes_private_json(tmp_path):
    out = tmp_path / "acl.json"
    code, err = _run(["--demo", "-o", str(out)], env={"SCARF_TUI_CONFIG": str(tmp_path / "none.toml")})
    assert code == 0
    assert err == (
        f"scarf-tui export acl: wrote 6 users, 4 groups and 8 packages to {str(out)!r} (readable only by you).\n"
    )
    assert json.loads(out.read_text()) == build_pypicloud_store().acl()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not (tmp_path / "acl.json.part").exists()


def test_export_from_a_server_replaces_the_file(server, tmp_path):
    store, url = server
    out = tmp_path / "acl.json"
    out.write_text("old")
    code, err = _run(["-o", str(out)], _env(url, "maintainer", PASSWORD, tmp_path))
    assert code == 0, err
    assert json.loads(out.read_text()) == store.acl()
    assert PASSWORD not in out.read_text() and PASSWORD not in err


def test_not_an_admin(server, tmp_path):
    _, url = server
    out = tmp_path / "acl.json"
    code, err = _run(["-o", str(out)], _env(url, "viewer", "viewer", tmp_path))
    assert code == 5
    assert err == "scarf-tui export acl: error: pypicloud: 'viewer' is not an admin, so this view is read-only (403).\n"
    assert not out.exists() and not (tmp_path / "acl.json.part").exists()


def test_rejected_password(server, tmp_path):
    _, url = server
    code, err = _run(["-o", str(tmp_path / "acl.json")], _env(url, "maintainer", PASSWORD + "x", tmp_path))
    assert code == 5
    assert err == (
        "scarf-tui export acl: error: pypicloud: the user name or password for 'maintainer' was rejected (401); "
        "sign in again.\n"
    )
    assert PASSWORD not in err


def test_settings_from_the_config_file(server, tmp_path):
    store, url = server
    config = tmp_path / "config.toml"
    config.write_text(f'[pypicloud]\nurl = "{url}"\nusername = "maintainer"\npassword = "{PASSWORD}"\n')
    out = tmp_path / "acl.json"
    code, err = _run(["--config", str(config), "-o", str(out)], env={})
    assert code == 0, err
    assert json.loads(out.read_text())["admins"] == ["maintainer", "grace"]


def test_missing_settings(tmp_path):
    env = {"SCARF_TUI_CONFIG": str(tmp_path / "none.toml")}
    code, err = _run(["-o", str(tmp_path / "acl.json")], env)
    assert code == 2
    assert err == (
        "scarf-tui export acl: error: No pypicloud URL: pass --pypicloud-url, set PYPICLOUD_URL, "
        "or add url under [pypicloud].\n"
    )
    code, err = _run(["--pypicloud-url", "https://pypi.example.com", "-o", str(tmp_path / "acl.json")], env)
    assert code == 2
    assert err == (
        "scarf-tui export acl: error: No pypicloud user name and password: set PYPICLOUD_USERNAME and "
        "PYPICLOUD_PASSWORD, or username and password under [pypicloud] in config.toml.\n"
    )


def test_bad_output_and_insecure_url(tmp_path):
    env = _env("http://pypi.example.com", "me", PASSWORD, tmp_path)
    code, err = _run(["-o", str(tmp_path / "missing" / "acl.json")], env)
    assert code == 2
    missing = str(tmp_path / "missing")
    assert err == f"scarf-tui export acl: error: The directory {missing!r} for the output does not exist.\n"
    code, err = _run(["-o", str(tmp_path / "acl.json")], env)
    assert code == 2
    assert err == (
        "scarf-tui export acl: error: pypicloud: refusing to send the password over plain http:// to "
        "pypi.example.com; use https:// (plain http is allowed only for localhost).\n"
    )


def test_through_the_scarf_tui_command(tmp_path, monkeypatch, capsys):
    from scarf_tui.cli import main

    monkeypatch.setenv("SCARF_TUI_CONFIG", str(tmp_path / "none.toml"))
    out = tmp_path / "acl.json"
    assert main(["export", "acl", "--demo", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["groups"]["readers"] == ["viewer", "ada"]
