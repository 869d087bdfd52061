"""--offline: the service sends nothing; every write is refused with one sentence and the
server holds what it held."""

from __future__ import annotations

import copy

import pytest

from scarf_tui.api.offline import OFFLINE_READ_SENTENCE, OFFLINE_WRITE_SENTENCE, Offline, make_offline_service
from scarf_tui.config import Settings
from scarf_tui.demo.store import DemoStore
from scarf_tui.domain import GrantChange, OrganizationDraft, PackageDraft


def snapshot(store: DemoStore) -> tuple:
    return copy.deepcopy((store.packages, store.permissions, store.members, store.orgs, store.routes, store.domains))


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_every_write_is_refused_and_the_store_is_unchanged(
    version: str, live_server: str, demo_store: DemoStore
) -> None:
    url = live_server if version == "v1" else live_server.removesuffix("/api") + "/v2"
    service = make_offline_service(Settings(api_url=url, token="demo"), api_version=version, username="maintainer")
    uuid = next(u for u, p in demo_store.packages.items() if p["name"] == "widget-cli")
    before = snapshot(demo_store)
    writes = [
        service.create_package(PackageDraft("new-one", "A package", library_type="npm")),
        service.delete_package(uuid, owner="acme"),
        service.set_permissions(uuid, [GrantChange("grace", "member")], owner="acme"),
        service.add_member("acme", "linus", "member"),
        service.remove_member("acme", "grace"),
        service.update_organization("acme", OrganizationDraft("acme", "changed", "b@acme.example")),
    ]
    try:
        for write in writes:
            with pytest.raises(Offline) as caught:
                await write
            assert str(caught.value) == OFFLINE_WRITE_SENTENCE
        with pytest.raises(Offline) as read:
            await service.list_packages()
        assert str(read.value) == OFFLINE_READ_SENTENCE
    finally:
        await service.aclose()
    assert snapshot(demo_store) == before


def test_the_sentences() -> None:
    assert OFFLINE_WRITE_SENTENCE == "Offline: changes are refused (scarf-tui was started with --offline)."
    assert OFFLINE_READ_SENTENCE == (
        "Offline: this is not in the saved lists; start scarf-tui without --offline to fetch it."
    )
