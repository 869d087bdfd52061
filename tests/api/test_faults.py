"""Each failure family, produced by the demo server's Faults, becomes its sentence."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scarf_tui.api.errors import (
    ExportNotEnabled,
    InvalidResponse,
    RateLimited,
    ServerError,
)
from scarf_tui.demo import NOEXPORT_TOKEN


async def test_server_errors_are_retried_then_reported(service, demo_faults) -> None:
    demo_faults.error_rate = 1.0
    with pytest.raises(ServerError) as info:
        await service.list_packages()
    assert demo_faults.requests_seen == 4  # one try + max_retries (3)
    assert str(info.value) in (
        "Scarf had a server error (503); try again shortly: Service temporarily unavailable.",
        "Scarf had a server error (500); try again shortly: Internal server error.",
    )


async def test_rate_limit_every_request_gives_up_with_retry_after(service, demo_faults) -> None:
    demo_faults.rate_limit_every = 1
    demo_faults.retry_after_s = 0
    with pytest.raises(RateLimited) as info:
        await service.list_packages()
    assert demo_faults.requests_seen == 4
    assert info.value.retry_after == 0
    # Retry-After: 0 is no wait to count down: "in a moment", never "in 0 seconds".
    assert str(info.value) == "Scarf is rate limiting requests (429): try again in a moment."


async def test_rate_limited_get_is_retried_and_succeeds(service, demo_store, demo_faults) -> None:
    demo_faults.rate_limit_every = 2  # the second request is answered 429, the third succeeds
    demo_faults.retry_after_s = 0
    await service.get_organization("acme")
    packages = await service.list_packages()
    assert demo_faults.requests_seen == 3
    assert len(packages) == len(demo_store.visible_packages("maintainer"))


async def test_rate_limited_post_is_not_retried(service, demo_store, demo_faults) -> None:
    from scarf_tui.domain import MemberRole

    demo_faults.rate_limit_every = 1
    demo_faults.retry_after_s = 0
    with pytest.raises(RateLimited):
        await service.upsert_member("acme", "ada", MemberRole.MEMBER)
    assert demo_faults.requests_seen == 1
    assert "ada" not in demo_store.members["acme"]


async def test_invalid_json_answer(service, demo_faults) -> None:
    demo_faults.invalid_json = True
    with pytest.raises(InvalidResponse) as info:
        await service.get_organization("acme")
    assert str(info.value) == "The server's answer to GET /v1/organizations/acme was not valid JSON."


async def test_invalid_json_line_in_aggregates(service, demo_store, demo_faults) -> None:
    demo_faults.invalid_json = True
    end = demo_store.today
    with pytest.raises(InvalidResponse) as info:
        [r async for r in service.org_aggregates("acme", end - timedelta(days=2), end)]
    assert str(info.value) == "A line of the aggregates of organization 'acme' is not valid JSON."


async def test_cut_aggregates_stream(service, demo_store, demo_faults) -> None:
    demo_faults.cut_stream = True
    end = demo_store.today
    rows = []
    with pytest.raises(InvalidResponse) as info:
        async for row in service.org_aggregates("acme", end - timedelta(days=5), end):
            rows.append(row)
    assert str(info.value) == (
        "The stream was cut in the middle of a line of the aggregates of organization 'acme'; the data is incomplete."
    )
    assert len(rows) == demo_faults.cut_after_rows


async def test_cut_events_stream(service, demo_store, demo_faults, find_uuid) -> None:
    demo_faults.cut_stream = True
    uuid = find_uuid("acme", "widget-cli")
    end = demo_store.today
    with pytest.raises(InvalidResponse) as info:
        [e async for e in service.package_events(uuid, end - timedelta(days=5), end)]
    assert str(info.value).startswith(f"The stream was cut in the middle of a row of the events of package '{uuid}'")


async def test_export_not_enabled(service_as, demo_store, find_uuid) -> None:
    visitor = service_as(NOEXPORT_TOKEN)
    end = demo_store.today
    assert await visitor.list_packages()  # the token itself is fine
    with pytest.raises(ExportNotEnabled) as info:
        [r async for r in visitor.org_aggregates("openlab", end - timedelta(days=1), end)]
    assert str(info.value) == (
        "Data export is not enabled for this account (403); Scarf grants export access on request."
    )
    with pytest.raises(ExportNotEnabled):
        [e async for e in visitor.package_events(find_uuid("acme", "widget-cli"), end - timedelta(days=1), end)]
    with pytest.raises(ExportNotEnabled):
        [e async for e in visitor.pixel_events(end - timedelta(days=1), end)]


async def test_rate_limited_permission_set_is_retried_like_a_get(service, demo_store, demo_faults) -> None:
    """Setting a level twice sets it once, so a 429 on it is retried (a new grant's POST is not)."""
    from scarf_tui.domain import GrantChange, PermissionLevel

    uuid = next(u for u, p in demo_store.packages.items() if p["name"] == "widget-cli")
    demo_faults.rate_limit_every = 2  # the second request is answered 429, the third succeeds
    demo_faults.retry_after_s = 0
    await service.get_organization("acme")
    await service.set_permissions(uuid, [GrantChange(user_query="margaret", level=PermissionLevel.ADMIN)])
    assert demo_faults.requests_seen == 3
    assert demo_store.permissions[uuid]["margaret"] == "admin"
