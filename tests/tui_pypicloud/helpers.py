"""The real ScarfApp with the embedded Scarf, pypicloud and PurlDB servers in-process, so a test
can drive the pypicloud and PurlDB screens and then read what each server's store holds."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from scarf_tui.demo.faults import Faults
from scarf_tui.demo.purldb import PurldbStore, build_purldb_store, create_purldb_app
from scarf_tui.demo.pypicloud import (
    PYPICLOUD_ADMIN,
    PYPICLOUD_ADMIN_PASSWORD,
    PypicloudStore,
    build_pypicloud_store,
    create_pypicloud_app,
)
from scarf_tui.demo.store import build_demo_store
from scarf_tui.sources.purldb import make_purldb_service
from scarf_tui.sources.pypicloud import make_pypicloud_service
from scarf_tui.sources.settings import PURLDB_ORIGINS
from scarf_tui.tui.app import ScarfApp
from tests.tui.helpers import FIXED_TODAY, make_app, service_for

PYPICLOUD_URL = "http://pypicloud.invalid"
PURLDB_URL = "http://purldb.invalid"


@dataclass
class Sources:
    app: ScarfApp
    pypi: PypicloudStore
    purl: PurldbStore
    pypi_faults: Faults
    purl_faults: Faults  # requests_seen counts what reached the PurlDB server


def sources_app(
    *,
    username: str | None = PYPICLOUD_ADMIN,
    password: str | None = PYPICLOUD_ADMIN_PASSWORD,
    hostile: bool = False,
    enabled_for: tuple[str, ...] = PURLDB_ORIGINS,
    signed_in: bool = True,
    read_only: bool = False,
    **session: object,
) -> Sources:
    """The app over the three embedded servers. `signed_in=False` leaves pypicloud without a
    service (the sign-in dialog must ask); username/password pick the pypicloud account."""
    pypi, purl = build_pypicloud_store(hostile=hostile), build_purldb_store(hostile=hostile)
    pypi_faults, purl_faults = Faults(), Faults()
    pypi_transport = httpx.ASGITransport(app=create_pypicloud_app(pypi, pypi_faults))
    pypicloud = (
        make_pypicloud_service(PYPICLOUD_URL, username, password, transport=pypi_transport, backoff=0.0)
        if signed_in
        else None
    )
    purldb = make_purldb_service(
        PURLDB_URL, enabled_for=enabled_for, transport=httpx.ASGITransport(app=create_purldb_app(purl, purl_faults)),
        backoff=0.0,
    )
    scarf = service_for(build_demo_store(today=FIXED_TODAY, hostile=hostile))
    app = make_app(
        scarf,
        close_service_on_exit=True,
        pypicloud=pypicloud,
        purldb=purldb,
        pypicloud_url=PYPICLOUD_URL,
        read_only=read_only,
        **session,
    )
    return Sources(app, pypi, purl, pypi_faults, purl_faults)
