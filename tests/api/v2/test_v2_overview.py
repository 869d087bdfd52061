"""GET /v2/packages/{owner}/overview through the service: every cursor page of an owner's
packages with their domains, the package owners remembered; v1 says why it has none."""

from __future__ import annotations

import pytest

from scarf_tui.api import Unsupported
from scarf_tui.api.errors import NotFound


async def test_overview_follows_every_page_and_matches_the_package_list(v2, store, faults):
    before = faults.requests_seen
    overview = await v2.packages_overview("fleet")  # 120 v2 packages; the client asks 100 a page
    assert faults.requests_seen - before == 2
    listed = await v2.list_owner_packages("fleet")
    assert [o.package.uuid for o in overview] == [p.uuid for p in listed] and len(overview) == 120
    for item in overview:
        assert [d.name for d in item.domains] == [d["name"] for d in store.domains.get(item.package.uuid, [])]
    assert await v2.packages_overview("fleet") == overview  # a complete list is kept: no second read
    seen = faults.requests_seen
    await v2.packages_overview("fleet")
    assert faults.requests_seen == seen


async def test_overview_of_an_unknown_owner_is_not_found(v2):
    with pytest.raises(NotFound):
        await v2.packages_overview("nobody-here")


async def test_v1_has_no_overview_and_says_where_domains_are(make):
    with pytest.raises(Unsupported) as caught:
        await make("v1").packages_overview("acme")
    assert str(caught.value) == "API v1 has no package overview; open a package to see its domains."
