"""--demo's Scarf server in a child process: it serves the demo data, stops when the stack
closes, and a child that cannot start is one sentence."""

from __future__ import annotations

import contextlib
import socket
from urllib.parse import urlsplit

import pytest

from scarf_tui.api import make_service
from scarf_tui.demo import DEMO_TOKEN, DEMO_USER, start


def _answers(origin: str) -> bool:
    parts = urlsplit(origin)
    with contextlib.suppress(OSError), socket.create_connection((parts.hostname, parts.port), timeout=2):
        return True
    return False


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_the_child_serves_and_stops_with_the_stack(version: str) -> None:
    with contextlib.ExitStack() as stack:
        demo = start.spawn_demo_child(stack, packages=30)
        demo.ready()
        base_url = start.base_url_for(demo.origin, version)
        service = make_service(base_url, DEMO_TOKEN, api_version=version, username=DEMO_USER)
        names = {p.name for p in await service.list_packages()}
        assert "widget-cli" in names
        assert base_url.endswith("/v2" if version == "v2" else "/api")
        await service.aclose()
    assert not _answers(demo.origin)


def test_a_child_that_cannot_start_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(start, "_CHILD_CODE", "raise SystemExit(3)")
    with contextlib.ExitStack() as stack, pytest.raises(RuntimeError) as caught:
        start.spawn_demo_child(stack).ready()
    assert str(caught.value) == "The demo server did not start (exit status 3)."


@pytest.mark.parametrize("owner", [None, "acme"])
async def test_the_first_list_comes_from_the_demo_child(owner: str | None) -> None:
    """--demo: the server's child fetches the first list from its app (the real client, in
    process) before it listens, and the pages match what the service gets from the server."""
    import asyncio

    from scarf_tui.tui.demo_door import start_demo_in_background

    with contextlib.ExitStack() as stack:
        started = start_demo_in_background(stack, api_version="v2", owner=owner)
        assert started.first_pages is not None
        pages = [page async for page in started.first_pages.pages()]
        service = await asyncio.to_thread(started.service)
        expected = [page async for page in service.iter_package_pages(owner=owner)]
        await service.aclose()
        origin = service.base_url.removesuffix("/v2")
    assert [[p.uuid for p in page.items] for page in pages] == [[p.uuid for p in page.items] for page in expected]
    assert pages[-1].done and len(pages) == len(expected)
    assert not _answers(origin)  # stopped with the stack


def test_the_demo_sources_are_the_ones_its_server_mounts_and_load_no_server_code_here() -> None:
    """--demo's pypicloud and PurlDB are served by the demo's child (/pypicloud, /purldb): the
    TUI's process signs in to them and never imports Starlette or uvicorn."""
    import json
    import subprocess
    import sys

    code = """
import asyncio, contextlib, json, sys
from scarf_tui.sources.purldb import purl_for_pypicloud_package
from scarf_tui.tui.demo_door import start_demo_in_background

async def main():
    with contextlib.ExitStack() as stack:
        started = start_demo_in_background(stack)
        pypicloud, purldb = await asyncio.to_thread(started.sources)
        names = await pypicloud.package_names()
        found = await purldb.lookup(purl_for_pypicloud_package("labkit"))
        await pypicloud.aclose(); await purldb.aclose()
        if started.first_pages is not None:
            started.first_pages.stop()
    loaded = [m for m in ("starlette", "uvicorn") if m in sys.modules]
    print(json.dumps({"names": names, "versions": len(found.packages), "loaded": loaded}))

asyncio.run(main())
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    said = json.loads(result.stdout)
    assert "labkit" in said["names"] and said["versions"] > 0
    assert said["loaded"] == []
