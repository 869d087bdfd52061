"""Start-up of the other sources: config.toml's [pypicloud] and [purldb] tables, --pypicloud,
and the demo's embedded servers (no Pilot here)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest

from scarf_tui.cli import build_parser
from scarf_tui.config import ConfigError, load_settings, save_values
from scarf_tui.redaction import redact
from scarf_tui.sources.errors import SourceInsecureURL
from scarf_tui.tui.demo_door import start_demo_session
from scarf_tui.tui.pypicloud.connect import connect_sources
from scarf_tui.tui.session import Session

PASSWORD = "pp-Zq8r-secret-77"
API_KEY = "kk-Wv3n-purldb-91"


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_source_tables_are_read_and_their_secrets_redacted(tmp_path: Path) -> None:
    path = _config(tmp_path, f'''
[pypicloud]
url = "https://pypi.example.com"
username = "me"
password = "{PASSWORD}"

[purldb]
url = "https://purldb.example.com"
api_key = "{API_KEY}"
enabled_for = ["scarf"]
''')
    settings = load_settings(path, env={})
    assert PASSWORD not in repr(settings) and API_KEY not in repr(settings)
    assert redact(f"echo {PASSWORD} and {API_KEY}") == "echo *** and ***"
    session = Session(settings=settings)
    connect_sources(session, settings)
    assert session.pypicloud is not None and session.pypicloud.base_url == "https://pypi.example.com"
    assert session.pypicloud.username == "me" and PASSWORD not in repr(session.pypicloud)
    assert session.purldb is not None and session.purldb.base_url == "https://purldb.example.com"
    assert session.purldb.enabled_for == frozenset({"scarf"})


def test_pypicloud_url_flag_without_credentials_leaves_the_sign_in_to_the_dialog(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, ""), env={})
    session = Session(settings=settings)
    connect_sources(session, settings, pypicloud_url="https://other.example.com")
    assert session.pypicloud is None and session.pypicloud_url == "https://other.example.com"
    assert session.purldb is not None and session.purldb.base_url == "https://public.purldb.io"
    assert session.purldb.enabled_for == frozenset()  # look-ups are opt-in
    assert build_parser().parse_args(["--pypicloud", "https://x.example"]).pypicloud == "https://x.example"


def test_plain_http_pypicloud_is_refused_before_the_screen_starts(tmp_path: Path) -> None:
    settings = load_settings(_config(tmp_path, ""), env={})
    with pytest.raises(SourceInsecureURL) as info:
        connect_sources(Session(settings=settings), settings, pypicloud_url="http://pypi.example.com")
    assert str(info.value) == (
        "pypicloud: refusing to send the password over plain http:// to pypi.example.com; "
        "use https:// (plain http is allowed only for localhost)."
    )


def test_a_bad_purldb_table_is_one_sentence(tmp_path: Path) -> None:
    path = _config(tmp_path, '[purldb]\nenabled_for = ["everyone"]\n')
    settings = load_settings(path, env={})
    with pytest.raises(ConfigError) as info:
        connect_sources(Session(settings=settings), settings, where=str(path))
    assert str(info.value) == f"In {path}, [purldb] enabled_for has 'everyone'; known: scarf, docker, pypicloud."
    with pytest.raises(ConfigError) as table:
        load_settings(_config(tmp_path, 'pypicloud = "https://x"\n'), env={})
    assert str(table.value) == f"In {path}, 'pypicloud' must be a table ([pypicloud]), not str."


def test_the_sign_in_saves_the_pypicloud_table_private(tmp_path: Path) -> None:
    path = _config(tmp_path, '# mine\norgs = ["acme"]\n')
    save_values(path, {"pypicloud": {"url": "https://pypi.example.com", "username": "me", "password": PASSWORD}})
    assert os.stat(path).st_mode & 0o777 == 0o600
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# mine\norgs = ["acme"]\n') and "[pypicloud]" in text
    assert load_settings(path, env={}).sources["pypicloud"]["username"] == "me"


async def test_the_demo_serves_pypicloud_and_purldb() -> None:
    with contextlib.ExitStack() as stack:
        service, _, (pypicloud, purldb) = start_demo_session(stack)
        await service.aclose()
        try:
            assert pypicloud.username == "maintainer"
            assert "labkit" in await pypicloud.package_names()
            assert len(await pypicloud.list_users()) > 0  # the demo account is an admin
            assert purldb.enabled_for == frozenset({"scarf", "docker", "pypicloud"})
        finally:
            await pypicloud.aclose()
            await purldb.aclose()


async def test_the_scarf_demo_app_mounts_pypicloud_and_purldb() -> None:
    import httpx

    from scarf_tui.demo.app import create_app
    from scarf_tui.sources.purldb import make_purldb_service, purl_for_pypicloud_package
    from scarf_tui.sources.pypicloud import make_pypicloud_service

    transport = httpx.ASGITransport(app=create_app())
    pypicloud = make_pypicloud_service("http://demo.invalid/pypicloud", "maintainer", "demo", transport=transport)
    purldb = make_purldb_service("http://demo.invalid/purldb", enabled_for=["pypicloud"], transport=transport)
    try:
        assert "labkit" in await pypicloud.package_names()
        found = await purldb.lookup(purl_for_pypicloud_package("labkit"))
        assert [p.version for p in found.packages] == ["1.0.1", "1.0.0", "0.9.0"]
    finally:
        await pypicloud.aclose()
        await purldb.aclose()
