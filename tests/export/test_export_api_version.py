"""`scarf-tui export` picks the API version as the TUI does (scarf_tui.api.factory.make_service_for):
--api, then $SCARF_API_VERSION, then api_version in config.toml, then the URL."""

from __future__ import annotations

import csv
import io
import json
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


# --- --demo: v2 unless asked for v1 ------------------------------------------------------------


@pytest.fixture
def demo_versions(monkeypatch) -> list[tuple[str, str]]:
    """(api_version, base_url) of every demo session `export --demo` starts."""
    import scarf_tui.demo.start as start

    real, started = start.start_demo, []

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        session = real(*args, **kwargs)
        started.append((session.api_version, session.base_url))
        return session

    monkeypatch.setattr(start, "start_demo", spy)
    return started


@pytest.mark.parametrize(
    ("env", "flag", "expected"),
    [(None, None, "v2"), ("v1", None, "v1"), (None, "v1", "v1"), ("v1", "v2", "v2")],
    ids=["default-v2", "env-v1", "flag-v1", "flag-outranks-env"],
)
def test_the_demo_speaks_v2_unless_asked_for_v1(cli_env, monkeypatch, capsys, demo_versions, env, flag, expected):
    if env:
        monkeypatch.setenv("SCARF_API_VERSION", env)
    code = export_main(argv("--demo", *(("--api", flag) if flag else ())))
    assert code == EXIT_OK, capsys.readouterr().err
    ((version, base_url),) = demo_versions
    assert version == expected
    assert base_url.endswith("/v2" if expected == "v2" else "/api")
    assert (cli_env / "e.csv").read_text(encoding="utf-8").count("\n") > 1


def test_the_demos_v2_package_events_are_the_v1_file(cli_env, capsys, demo_versions):
    """Both versions serve one store: a package's events file on v2 (the default) is the v1 file."""
    written = []
    for flags in ((), ("--api", "v1")):
        assert export_main(argv("--demo", *flags)) == EXIT_OK, capsys.readouterr().err
        written.append((cli_env / "e.csv").read_bytes())
        (cli_env / "e.csv").unlink()
    assert [v for v, _ in demo_versions] == ["v2", "v1"]
    assert written[0].count(b"\n") > 1 and written[0] == written[1]


@pytest.mark.parametrize(
    ("kind", "output"),
    [
        (["events", "--pixels", "--owner", "acme"], "out.csv"),
        (["events", "--pixels"], "out.csv"),  # the owner defaults to the demo user on v2
        (["aggregates", "--org", OWNER], "out.ndjson"),
        (["aggregates", "--org", OWNER], "out.csv"),
        (["aggregates", "--user", "maintainer"], "out.json"),
    ],
    ids=["events-pixels-owner", "events-pixels", "aggregates-ndjson", "aggregates-csv", "aggregates-json"],
)
def test_every_export_kind_writes_its_file_on_the_demos_v2(cli_env, capsys, demo_versions, kind, output):
    code = export_main([*kind, "--demo", "--start", START, "--end", END, "-o", output])
    assert code == EXIT_OK, capsys.readouterr().err
    assert [v for v, _ in demo_versions] == ["v2"]
    text = (cli_env / output).read_text(encoding="utf-8")
    if output.endswith(".ndjson"):
        rows = [json.loads(line) for line in text.splitlines()]
    elif output.endswith(".json"):
        rows = json.loads(text)
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(row.get("date") or row.get("time") for row in rows)
    if kind[0] == "aggregates":
        assert {row["breakdown"] for row in rows} >= {"total", "country"}
    else:
        assert all(row["pixel_id"] for row in rows)
