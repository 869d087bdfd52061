"""`--log FILE`: one line per request (source, method, path, status, ms, bytes), file 0600, and
never a token, a header, a query value or a body."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import stat
from pathlib import Path

import httpx
import pytest

from scarf_tui.api.request_log import LOGGER_NAME, loggable_path, start_request_log
from scarf_tui.cli import main
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.purldb import build_purldb_store, create_purldb_app
from scarf_tui.demo.pypicloud import (
    PYPICLOUD_ADMIN,
    PYPICLOUD_ADMIN_PASSWORD,
    build_pypicloud_store,
    create_pypicloud_app,
)
from scarf_tui.exit_codes import EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_OK
from scarf_tui.redaction import register_secret
from scarf_tui.sources.purldb import make_purldb_service
from scarf_tui.sources.pypicloud import make_pypicloud_service
from tests.conftest import FIXED_TODAY

LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (\S+) (\S+) (\S+) (\d{3}) (\d+) ms (\d+) bytes$")
# Registered as a secret (the way every token in use is) and then put where a server could echo it.
SECRET = "s3cr3t-Tok3n-7f9a2c41"
START, END = "2026-10-01", "2026-10-08"
AGGREGATES = "/api/v1/organizations/acme/aggregates?startDate=***&endDate=***"


@pytest.fixture(autouse=True)
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SCARF_TUI_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("SCARF_USERNAME", "maintainer")
    monkeypatch.delenv("SCARF_API_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    assert logging.getLogger(LOGGER_NAME).handlers == []  # main() took its handler away again


def entries(log: Path) -> list[tuple[str, str, str, int, int]]:
    """(source, method, path, status, bytes) of each line; every line must have the form."""
    found = []
    for line in log.read_text(encoding="utf-8").splitlines():
        match = LINE.match(line)
        assert match, line
        source, method, path, status, _ms, size = match.groups()
        found.append((source, method, path, int(status), int(size)))
    return found


def assert_nothing_secret_or_from_a_body(text: str, *body_pieces: str) -> None:
    for forbidden in (DEMO_TOKEN, SECRET, "Bearer", "Authorization", "authorization", "Basic ", *body_pieces):
        assert forbidden not in text


# --- scarf-tui --log FILE COMMAND -------------------------------------------------------------------


def test_export_against_the_demo_logs_each_request_in_a_0600_file(env):
    log = env / "requests.log"

    code = main(["--log", str(log), "export", "aggregates", "--demo", "--org", "acme", "--start", START,
                 "--end", END, "-o", "acme.ndjson"])

    assert code == EXIT_OK
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    logged = entries(log)
    # `export --demo` speaks v2, as `scarf-tui --demo` does; every query value is redacted.
    ((source, method, path, status),) = [entry[:4] for entry in logged]
    assert (source, method, status) == ("scarf", "GET", 200)
    assert path.startswith("/v2/packages/acme/aggregates?start_date=***&end_date=***&")
    assert logged[0][4] > 0
    exported = (env / "acme.ndjson").read_text(encoding="utf-8")
    text = log.read_text(encoding="utf-8")
    # ("breakdown" is no body word here: v2 names it in the query, whose values are redacted.)
    assert_nothing_secret_or_from_a_body(text, START, END, "unique_total", exported.splitlines()[0])


def test_stats_over_a_socket_logs_status_and_body_size_and_redacts_the_path(env, live_server):
    register_secret(SECRET)
    log = env / "stats.log"
    argv = ["stats", "--api-url", live_server, "--today", FIXED_TODAY.isoformat(), "--last", "7d"]

    assert main(["--log", str(log), *argv, "widget-cli", "--by", "country"]) == EXIT_OK
    err = io.StringIO()
    assert main(["--log", str(log), *argv, SECRET], stderr=err) == EXIT_NOT_FOUND

    # The 404's body, fetched the same way, to compare its size (the log has only the size).
    with httpx.Client(headers={"Authorization": f"Bearer {DEMO_TOKEN}", "Accept-Encoding": "gzip, deflate"}) as c:
        missing = c.get(f"{live_server}/v1/packages/{SECRET}")
    assert missing.status_code == 404 and SECRET in missing.text  # the server echoes the name
    logged = entries(log)
    assert [entry[:4] for entry in logged] == [
        ("scarf", "GET", "/api/v1/packages/widget-cli", 200),
        ("scarf", "GET", AGGREGATES, 200),
        ("scarf", "GET", "/api/v1/packages/***", 404),
    ]
    assert logged[2][4] == missing.num_bytes_downloaded
    text = log.read_text(encoding="utf-8")
    assert_nothing_secret_or_from_a_body(text, missing.text, "was found", '"uuid"', "widget-cli\"")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_an_existing_log_is_appended_to_and_made_private(env):
    log = env / "old.log"
    log.write_text("earlier line\n", encoding="utf-8")
    log.chmod(0o644)

    code = main(["--log", str(log), "export", "aggregates", "--demo", "--org", "acme", "--start", START,
                 "--end", END, "-o", "acme.ndjson"])

    assert code == EXIT_OK
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "earlier line" and len(lines) == 2 and LINE.match(lines[1])


def test_without_log_no_file_and_no_handler(env):
    code = main(["export", "aggregates", "--demo", "--org", "acme", "--start", START, "--end", END, "-o", "a.ndjson"])

    assert code == EXIT_OK
    assert sorted(p.name for p in env.iterdir()) == ["a.ndjson"]
    assert not logging.getLogger(LOGGER_NAME).isEnabledFor(logging.DEBUG)


@pytest.mark.parametrize("kind", ["symlink", "directory", "missing-directory"])
def test_a_log_path_that_cannot_be_used_is_one_sentence_and_exit_2_before_any_request(env, kind):
    target = env / "target.log"
    target.write_text("kept\n", encoding="utf-8")
    if kind == "symlink":
        path = env / "link.log"
        path.symlink_to(target)
        sentence = f"scarf-tui: --log {path} is a symbolic link; name the file itself.\n"
    elif kind == "directory":
        path = env / "logs"
        path.mkdir()
        sentence = f"scarf-tui: --log {path}: cannot open it for writing (Is a directory).\n"
    else:
        path = env / "nowhere" / "x.log"
        sentence = f"scarf-tui: --log {path}: cannot open it for writing (No such file or directory).\n"
    err = io.StringIO()

    code = main(["--log", str(path), "export", "aggregates", "--demo", "--org", "acme", "--start", START,
                 "--end", END, "-o", "acme.ndjson"], stderr=err)

    assert (code, err.getvalue()) == (EXIT_BAD_INPUT, sentence)
    assert target.read_text(encoding="utf-8") == "kept\n"
    assert not (env / "acme.ndjson").exists()


# --- the other sources' client --------------------------------------------------------------------


def test_pypicloud_and_purldb_requests_are_logged_without_their_credentials(env):
    api_key = "purldb-key-5d1e77aa"
    log = env / "sources.log"
    stop = start_request_log(log)
    try:
        asyncio.run(_read_both(api_key))
    finally:
        stop()

    logged = entries(log)
    assert [(source, method, status) for source, method, _path, status, _size in logged] == [
        ("pypicloud", "GET", 200),
        ("PurlDB", "GET", 200),
    ]
    assert logged[1][2].endswith("?type=***&name=***")
    text = log.read_text(encoding="utf-8")
    assert_nothing_secret_or_from_a_body(text, api_key, PYPICLOUD_ADMIN_PASSWORD, "Token ", "widget-cli", "scaffolds")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


async def _read_both(api_key: str) -> None:
    pypi = make_pypicloud_service(
        "http://pypicloud.invalid", PYPICLOUD_ADMIN, PYPICLOUD_ADMIN_PASSWORD,
        transport=httpx.ASGITransport(app=create_pypicloud_app(build_pypicloud_store(), Faults())),
    )
    purldb = make_purldb_service(
        "http://purldb.invalid", api_key,
        transport=httpx.ASGITransport(app=create_purldb_app(build_purldb_store(), Faults())),
    )
    try:
        assert await pypi.list_packages()
        assert (await purldb.search({"type": "npm", "name": "widget-cli"})).items
    finally:
        await pypi.aclose()
        await purldb.aclose()


# --- the path as written --------------------------------------------------------------------------


def test_query_values_are_withheld_and_their_names_kept():
    assert loggable_path(b"/v2/search?q=hunter2&page=2&flag") == "/v2/search?q=***&page=***&flag=***"
    assert loggable_path(b"/v1/packages") == "/v1/packages"


def test_the_path_stays_as_sent_so_a_newline_cannot_start_a_line():
    assert loggable_path(b"/api/v1/packages/a%0A2026-01-01T00:00:00.000Z%20scarf%20GET") == (
        "/api/v1/packages/a%0A2026-01-01T00:00:00.000Z%20scarf%20GET"
    )


def test_a_registered_secret_is_cut_out_also_percent_encoded_and_cut_short():
    register_secret("tok en/with+odd=chars-99")
    register_secret(SECRET)  # each test registers its own: the registry is scoped per test
    assert loggable_path(b"/x/tok%20en%2Fwith%2Bodd%3Dchars-99/y") == "/x/***/y"
    assert loggable_path(SECRET.encode()[:12] + b"/rest") == "***/rest"
    assert loggable_path(b"/x", secrets=["pa55word"]) == "/x"
    assert loggable_path(b"/users/pa55word", secrets=["pa55word"]) == "/users/***"
