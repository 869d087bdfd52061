"""`scarf-tui serve --demo` in a real headless Chromium, driven over the DevTools protocol.

Skipped only when chromium is missing outside CI; in CI (CI=true) `.ci/run` installs it, so a
missing browser fails the test instead.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal

import pytest

from .browser import Chromium, ServedApp, find_chromium, group_alive, load_and_read, load_plain

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LOADED = re.compile(r"\b[0-9]+ of [0-9]+ packages\b")  # the list's status line, once it has loaded
TOKEN = "scarf-token-that-must-stay-hidden-4242"

if find_chromium() is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("chromium is not installed, and CI must run the browser test (.ci/run installs it).")
    pytest.skip(
        "chromium is not installed (apt-get install chromium fonts-symbola); CI installs it and runs this test",
        allow_module_level=True,
    )


@pytest.fixture
def app_env(tmp_path) -> dict[str, str]:
    env = dict(os.environ)
    env["SCARF_TUI_CONFIG"] = str(tmp_path / "config.toml")  # not the developer's own config
    env["SCARF_API_TOKEN"] = TOKEN  # must not reach the page, even though --demo ignores it
    return env


def test_the_demo_renders_in_chromium(tmp_path, app_env):
    shot = tmp_path / "browser.png"
    with ServedApp(["--demo"], env=app_env) as served, Chromium(tmp_path) as browser:
        server_group = served.process.pid
        try:
            page = asyncio.run(
                load_and_read(
                    browser,
                    served.url,
                    until=lambda text: "widget-cli" in text and LOADED.search(text) is not None,
                    footer=lambda text: "Quit" in text.splitlines()[-1],
                    png=shot,
                )
            )
        except RuntimeError as error:
            pytest.fail(served.explain(error))
        # One app process runs beside the server while the page is open.
        assert len(group_alive(server_group)) >= 2
        # Ctrl+C/SIGTERM to the server alone: it closes the session, the app quits, all exit cleanly.
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(60) == 0
        assert group_alive(server_group) == []
    # The key was printed once (the URL line read at start-up); the token never.
    later = "".join(served.output)
    assert served.key not in later and TOKEN not in later
    text = page["text"]
    assert "packages" in text.splitlines()[0]
    (row,) = [line.split() for line in text.splitlines() if line.split()[:1] == ["widget-cli"]]
    assert row[1:4] == ["npm", "acme", "2023-02-20"]
    # Neither the Scarf token nor the access key is in the page (the key lives in an HttpOnly cookie).
    assert TOKEN not in page["html"] and served.key not in page["html"]
    assert shot.read_bytes().startswith(PNG_SIGNATURE) and shot.stat().st_size > 10_000


def test_without_the_key_chromium_gets_403_and_no_app_starts(tmp_path, app_env):
    with ServedApp(["--demo"], env=app_env) as served, Chromium(tmp_path) as browser:
        page = asyncio.run(load_plain(browser, served.origin + "/"))
        assert page["text"].strip() == "403 Forbidden: open the URL with the access key that `scarf-tui serve` printed."
        # Only the server itself is in its process group: no app process was started.
        assert group_alive(served.process.pid) == [served.process.pid]
