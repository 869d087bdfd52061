"""The matrix's reads: the service's concurrency limit, answers as they come, and the setting."""

from __future__ import annotations

import asyncio

import httpx

from scarf_tui.api import make_service, make_service_for
from scarf_tui.api.http import DEFAULT_CONCURRENCY
from scarf_tui.config import Settings
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.tui.access.load import in_pool, read_permissions


def test_the_default_is_eight_requests_at_once_and_config_sets_it() -> None:
    assert DEFAULT_CONCURRENCY == 8
    assert make_service_for(Settings(api_url="https://scarf.sh/api")).concurrency == 8
    assert make_service_for(Settings(api_url="https://scarf.sh/api", concurrency=3)).concurrency == 3


async def test_in_pool_never_runs_more_than_its_size_and_keeps_the_order() -> None:
    running, most, started = 0, 0, []

    def job(i: int):  # noqa: ANN202
        async def run() -> None:
            nonlocal running, most
            started.append(i)
            running += 1
            most = max(most, running)
            for _ in range(3):
                await asyncio.sleep(0)
            running -= 1

        return run

    await in_pool((job(i) for i in range(20)), 4)
    assert most == 4
    assert started == list(range(20))


async def test_permissions_are_read_at_the_services_limit_each_answer_as_it_comes(demo_app, demo_faults) -> None:
    # The in-process server answers without ever waiting; a little latency makes reads overlap.
    demo_faults.latency_s = 0.005
    service = make_service(
        "http://demo.invalid/v2", DEMO_TOKEN, transport=httpx.ASGITransport(app=demo_app),
        api_version="v2", username="maintainer", concurrency=3, backoff=0.0,
    )
    packages = await service.list_org_packages("acme")
    original, running, most = service.list_permissions, 0, 0

    async def counted(uuid: str, owner: str | None = None):  # noqa: ANN202
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            return await original(uuid, owner=owner)
        finally:
            running -= 1

    service.list_permissions = counted  # type: ignore[method-assign]
    answers: list[tuple[int, bool, str | None]] = []
    await read_permissions(
        service, packages, range(len(packages)), lambda i, g, e: answers.append((i, g is not None, e))
    )
    await service.aclose()
    assert most == 3
    assert sorted(i for i, _, _ in answers) == list(range(len(packages)))
    assert all(ok and error is None for _, ok, error in answers)


def test_rows_in_view_jump_the_queue_and_each_package_is_read_once() -> None:
    from scarf_tui.tui.access.load import ReadOrder

    order = ReadOrder(range(10))
    taken = [order.take(), order.take()]
    order.prefer([8, 9, 1])  # 1 was taken already
    while (index := order.take()) is not None:
        taken.append(index)
    assert taken == [0, 1, 8, 9, 2, 3, 4, 5, 6, 7]
