"""The service over a real loopback socket (uvicorn): real streaming, real transport failures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scarf_tui.api import make_service
from scarf_tui.api.errors import AuthError, ExportNotEnabled, InvalidResponse, NotFound, ValidationFailed
from scarf_tui.demo import NOEXPORT_TOKEN
from scarf_tui.domain import GrantChange, PackageDraft, PermissionLevel, RouteDraft


async def test_crud_over_the_socket(live_service, demo_store, find_uuid) -> None:
    packages = await live_service.list_packages()
    assert {p.uuid for p in packages} == {p["uuid"] for p in demo_store.visible_packages("maintainer")}
    created = await live_service.create_org_package(
        "acme", PackageDraft(name="sock", short_description="s", library_type="file")
    )
    route = await live_service.create_route(created.uuid, RouteDraft("/f/{version}.zip", "https://dl.example/{version}.zip"))
    assert route is not None and demo_store.routes[created.uuid][0]["id"] == route.id
    await live_service.set_permissions(created.uuid, [GrantChange("ada", PermissionLevel.MEMBER)])
    assert demo_store.permissions[created.uuid]["ada"] == "member"
    await live_service.delete_package(created.uuid)
    assert created.uuid not in demo_store.packages
    with pytest.raises(NotFound):
        await live_service.get_package(created.uuid)


async def test_streamed_aggregates_equal_the_in_process_answer(live_service, service, demo_store) -> None:
    end = demo_store.today
    start = end - timedelta(days=60)
    over_socket = [r async for r in live_service.org_aggregates("acme", start, end)]
    in_process = [r async for r in service.org_aggregates("acme", start, end)]
    assert len(over_socket) > 1000  # several chunks of the stream
    assert over_socket == in_process


async def test_streamed_events_over_windows(live_service, service, demo_store, find_uuid) -> None:
    uuid = find_uuid("acme", "acme-downloads")
    end = demo_store.today
    start = end - timedelta(days=35)  # two windows
    over_socket = [e async for e in live_service.package_events(uuid, start, end, owner="acme")]
    in_process = [e async for e in service.package_events(uuid, start, end)]
    assert over_socket and over_socket == in_process


async def test_rows_are_delivered_before_a_stream_is_cut(live_service, demo_store, demo_faults) -> None:
    # The server drops the connection after cut_after_rows lines: the rows before it reach the
    # caller first (parsed as they arrive), then the cut is reported, never swallowed.
    demo_faults.cut_stream = True
    demo_faults.cut_abort = True
    demo_faults.cut_after_rows = 1500  # past the first chunk (1000 lines), so some data was flushed
    end = demo_store.today
    rows = []
    with pytest.raises(InvalidResponse) as info:
        async for row in live_service.org_aggregates("acme", end - timedelta(days=60), end):
            rows.append(row)
    assert len(rows) == 1500
    assert str(info.value).startswith("The stream from 127.0.0.1 was cut before it finished")


async def test_clean_cut_mid_line_over_the_socket(live_service, demo_store, demo_faults, find_uuid) -> None:
    demo_faults.cut_stream = True
    uuid = find_uuid("acme", "widget-cli")
    end = demo_store.today
    events = []
    with pytest.raises(InvalidResponse, match="cut in the middle of a row"):
        async for event in live_service.package_events(uuid, end - timedelta(days=3), end):
            events.append(event)
    assert len(events) == demo_faults.cut_after_rows - 1  # the header is one of the lines


async def test_cut_raw_csv_lines_over_the_socket(live_service, demo_store, demo_faults) -> None:
    demo_faults.cut_stream = True
    end = demo_store.today
    lines = []
    with pytest.raises(InvalidResponse):
        async for line in live_service.stream_pixel_events_csv(end - timedelta(days=3), end):
            lines.append(line)
    assert len(lines) == demo_faults.cut_after_rows
    assert all(line.endswith(b"\n") for line in lines)


async def test_errors_over_the_socket(live_server, demo_store) -> None:
    end = demo_store.today
    wrong = make_service(live_server, "wrong-token", backoff=0.0)
    visitor = make_service(live_server, NOEXPORT_TOKEN, backoff=0.0)
    try:
        with pytest.raises(AuthError, match="The API token was rejected"):
            await wrong.list_packages()
        with pytest.raises(ExportNotEnabled):
            [r async for r in visitor.user_aggregates("visitor", end - timedelta(days=1), end)]
    finally:
        await wrong.aclose()
        await visitor.aclose()


async def test_server_side_range_limit_over_the_socket(live_service, demo_store) -> None:
    # The client never asks for more than 31 days; the server's own 400 still reads well.
    end = demo_store.today
    with pytest.raises(ValidationFailed) as info:
        async with live_service._api.stream(
            "GET", "/v1/pixels/events/x.csv",
            params={"startDate": (end - timedelta(days=40)).isoformat(), "endDate": end.isoformat()},
            what="pixel events", export=True,
        ):
            pass
    assert "at most 31 days" in str(info.value)
