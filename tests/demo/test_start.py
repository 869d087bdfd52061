"""start_demo(): the one start-up of the embedded server, over a real loopback socket."""

from __future__ import annotations

import contextlib
from datetime import date

import httpx
import pytest

from scarf_tui.demo import DEMO_USER
from scarf_tui.demo.start import DemoSession, start_demo

TODAY = date(2026, 6, 1)


async def test_start_demo_v1_serves_the_dataset_on_loopback():
    with contextlib.ExitStack() as stack:
        session = start_demo(stack, today=TODAY, api_version="v1")
        assert isinstance(session, DemoSession)
        assert session.base_url.startswith("http://127.0.0.1:")
        assert session.base_url == session.origin + "/api"
        assert session.username == DEMO_USER
        assert "demo" not in repr(session).replace("DEMO_TOKEN", "")
        async with session.service as service:
            packages = await service.list_packages()
        assert len(packages) >= 30
    # the server stopped with the stack
    with pytest.raises(httpx.ConnectError):
        httpx.get(session.origin + "/api/v1/packages", timeout=2)


def test_start_demo_refuses_an_unknown_version():
    with contextlib.ExitStack() as stack, pytest.raises(ValueError, match="'v3'"):
        start_demo(stack, api_version="v3")


async def test_start_demo_v2_serves_both_versions_from_one_port():
    with contextlib.ExitStack() as stack:
        session = start_demo(stack, today=TODAY)
        assert session.api_version == "v2" and session.base_url == session.origin + "/v2"
        async with session.service as service:
            assert service.capabilities.version == "v2"
            fleet = await service.list_org_packages("fleet")
        assert len(fleet) == 120
        answer = httpx.get(session.origin + "/api/v1/organizations/fleet/packages",
                           headers={"Authorization": "Bearer demo"}, timeout=5)
        assert answer.status_code == 200 and len(answer.json()) == 126


def test_demo_server_serves_both_versions_until_stopped(capsys):
    import re
    import threading
    import time

    from scarf_tui.demo.faults import Faults
    from scarf_tui.demo.server import serve

    stop = threading.Event()
    thread = threading.Thread(target=serve, kwargs={"port": 0, "faults": Faults(), "stop": stop}, daemon=True)
    thread.start()
    found = None
    for _ in range(500):  # wait for the banner (no timing is asserted)
        found = re.search(r"API v2 at (http://127\.0\.0\.1:\d+)/v2, API v1 at \1/api", capsys.readouterr().err)
        if found or not thread.is_alive():
            break
        time.sleep(0.02)
    assert found is not None
    origin = found.group(1)
    headers = {"Authorization": "Bearer demo"}
    assert httpx.get(origin + "/v2/users/maintainer", headers=headers, timeout=5).json()["type"] == "user"
    assert httpx.get(origin + "/api/v1/organizations/fleet", headers=headers, timeout=5).status_code == 200
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
