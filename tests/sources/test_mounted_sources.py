"""Both embedded servers mounted under a prefix, as `demo-server` serves them (/pypicloud/ and
/purldb/ on one port): services reach every page and keep names literal below the prefix."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.routing import Mount

from scarf_tui.demo.purldb import build_purldb_store, create_purldb_app
from scarf_tui.demo.pypicloud import build_pypicloud_store, create_pypicloud_app
from scarf_tui.demo.pypicloud.store import HOSTILE_GROUP, HOSTILE_USER
from scarf_tui.sources.purldb import make_purldb_service, purl_for_pypicloud_package
from scarf_tui.sources.pypicloud import make_pypicloud_service


def _combined():
    pypi_store, purl_store = build_pypicloud_store(hostile=True), build_purldb_store()
    app = Starlette(routes=[
        Mount("/pypicloud", app=create_pypicloud_app(pypi_store)),
        Mount("/purldb", app=create_purldb_app(purl_store)),
    ])
    return app, pypi_store, purl_store


async def test_pypicloud_below_a_prefix():
    app, store, _ = _combined()
    svc = make_pypicloud_service("http://demo.invalid/pypicloud", "maintainer", "demo",
                                 transport=httpx.ASGITransport(app=app))
    try:
        assert await svc.package_names() == sorted(store.packages)
        await svc.remove_from_group(HOSTILE_USER, HOSTILE_GROUP)
        assert store.groups[HOSTILE_GROUP] == ["viewer"]
        versions = await svc.package_versions("labkit")
        assert versions.files[0].url.startswith("http://demo.invalid/pypicloud/files/labkit/")
    finally:
        await svc.aclose()


async def test_purldb_below_a_prefix_follows_its_own_links():
    app, _, store = _combined()
    svc = make_purldb_service("http://demo.invalid/purldb", enabled_for=["pypicloud"],
                              transport=httpx.ASGITransport(app=app))
    try:
        everything = await svc.all_packages({})
        assert len(everything.items) == len(store.records) and everything.next is None
        found = await svc.lookup(purl_for_pypicloud_package("labkit"))
        assert [p.version for p in found.packages] == ["1.0.1", "1.0.0", "0.9.0"]
        details = await svc.details_at(found.packages[0].details_url or "")
        assert details.uuid == found.packages[0].uuid
        assert details.details_url == f"http://demo.invalid/purldb/api/packages/{details.uuid}/"
    finally:
        await svc.aclose()
