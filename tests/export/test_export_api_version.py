"""`scarf-tui export` picks the API version as the TUI does (scarf_tui.api.factory.make_service_for):
--api, then $SCARF_API_VERSION, then api_version in config.toml, then the URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.server import running_server
from scarf_tui.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from scarf_tui.export_cli import export_main

from .helpers import RANGE_END, SMALL_NAME

START, END = (RANGE_END.replace(day=1)).isoformat(), RANGE_END.isoformat()
OWNER = "tinytools"


@pytest.fixture
def seen_paths(demo_app) -> Iterator[tuple[str, list[str]]]:
    """The demo on a socket at its v1-looking URL ("…/api"), and every path it was asked for."""
    paths: list[str] = []

    async def recording(scope, receive, send):  # noqa: ANN001, ANN202
        if scope["type"] == "http":
            paths.append(scope["path"])
        await demo_app(scope, receive, send)

    with running_server(recording) as url:
        yield url, paths


def argv(*extra: str) -> list[str]:
    return ["events", "--package", SMALL_NAME, "--owner", OWNER, "--start", START, "--end", END, "-o", "e.csv", *extra]


@pytest.mark.parametrize(
    ("env", "config", "flag", "expected"),
    [
        (None, None, None, "/api/v1/"),  # the URL ends in /api
        ("v2", None, None, "/v2/"),  # $SCARF_API_VERSION outranks the URL
        (None, "v2", None, "/v2/"),  # so does api_version in config.toml
        ("v1", "v2", None, "/api/v1/"),  # and the environment outranks the config
        ("v2", None, "v1", "/api/v1/"),  # --api outranks them all
    ],
)
def test_the_version_follows_the_tuis_precedence(cli_env, monkeypatch, capsys, seen_paths, env, config, flag, expected):
    url, paths = seen_paths
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("SCARF_API_URL", url)
    if env:
        monkeypatch.setenv("SCARF_API_VERSION", env)
    if config:
        (cli_env / "config.toml").write_text(f'api_version = "{config}"\n')
        monkeypatch.setenv("SCARF_TUI_CONFIG", str(cli_env / "config.toml"))
    code = export_main(argv(*(("--api", flag) if flag else ())))
    assert code == EXIT_OK, capsys.readouterr().err
    asked = [p for p in paths if p.startswith(("/api/", "/v2/"))]
    assert asked and all(p.startswith(expected) for p in asked), asked


def test_an_unknown_scarf_api_version_is_one_sentence(cli_env, monkeypatch, capsys, seen_paths):
    url, paths = seen_paths
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("SCARF_API_URL", url)
    monkeypatch.setenv("SCARF_API_VERSION", "v3")
    assert export_main(argv()) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == "scarf-tui export: error: SCARF_API_VERSION must be v1 or v2, not 'v3'.\n"
    assert paths == []
