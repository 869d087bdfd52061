"""Cursor pagination: every page is followed at the largest page size, a bare array is paged
`after` its last item where the spec says so (a whole list elsewhere), and a `next` link is
followed only to the configured origin."""

from __future__ import annotations

import contextlib

import httpx
import pytest

from scarf_tui.api.errors import InvalidResponse
from scarf_tui.api.pages import MAX_PER_PAGE, iter_raw_pages, next_request
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.start import start_demo

from .conftest import TODAY, uuid_of

FOREIGN = (
    "The server's link to the next page points to 'elsewhere.example', not to demo.invalid; it was not "
    "followed, so the token stays with the configured server, and the list is incomplete."
)


async def test_the_server_pages_by_ten_unless_asked(app):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://demo.invalid",
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
    ) as client:
        first = (await client.get("/v2/packages/fleet")).json()
        assert len(first["results"]) == 10
        assert first["_links"]["next"].startswith("/v2/packages/fleet?after=")
        second = (await client.get(first["_links"]["next"])).json()
        assert len(second["results"]) == 10
        assert not {p["id"] for p in first["results"]} & {p["id"] for p in second["results"]}


async def test_every_page_is_fetched_and_counted_as_it_arrives(v2, store):
    pages = [page async for page in v2.iter_package_pages("fleet")]
    assert [len(p.items) for p in pages] == [MAX_PER_PAGE, 20]
    assert [p.status for p in pages] == ["100 so far…", "120"]
    assert [p.done for p in pages] == [False, True]
    listed = {pkg.uuid for page in pages for pkg in page.items}
    assert listed == {p["uuid"] for p in store.org_packages("fleet") if p["libraryType"] not in ("pypi", "other")}


async def test_a_small_page_size_still_reaches_the_end(v2, store):
    raw = [(len(items), done) async for items, done in iter_raw_pages(
        v2._api, "/v2/packages/fleet", what="owner 'fleet'", items="packages of 'fleet'", per_page=7
    )]
    assert sum(n for n, _ in raw) == 120 and len(raw) == 18 and raw[-1] == (1, True)


async def test_a_bare_array_the_spec_pages_is_followed_after_its_last_id(v2, store):
    uuid = uuid_of(store, "acme", "acme-downloads", "file")
    assert len(store.routes[uuid]) == 3
    raw = [page async for page in iter_raw_pages(
        v2._api, f"/v2/packages/acme/{uuid}/routes", what="package", items="routes", per_page=2
    )]
    # A bare array has no link: a full page (2) leads on, a shorter one is the last.
    assert [(len(items), done) for items, done in raw] == [(2, False), (1, True)]
    assert [r["id"] for items, _ in raw for r in items] == [r["id"] for r in store.routes[uuid]]


async def test_a_bare_array_of_domains_is_the_whole_list(v2, store):
    uuid = uuid_of(store, "acme", "acme-downloads", "file")
    raw = [page async for page in iter_raw_pages(
        v2._api, f"/v2/packages/acme/{uuid}/domains", what="package", items="domains", per_page=1
    )]
    assert len(raw) == 1 and raw[0][1] is True and len(raw[0][0]) == len(store.domains[uuid]) == 2


async def test_permissions_beyond_the_largest_page_are_listed_whole(v2, store):
    uuid = uuid_of(store, "acme", "acme-downloads", "file")
    store.permissions[uuid].update({f"reader-{i:03}": "member" for i in range(130)})
    grants = await v2.list_permissions(uuid)
    names = [g.username for g in grants]
    granted = {u for u, lvl in store.permissions[uuid].items() if lvl in ("member", "admin")}  # acme is an org
    assert len(names) == len(set(names)) == len(granted) > 130 and set(names) == granted


async def test_a_server_that_ignores_after_ends_the_bare_list_without_repeats():
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.url.params))
        return httpx.Response(200, json=[{"user_id": f"u{i}", "username": f"user{i}", "permission_level": "member"}
                                         for i in range(12)])

    service = _mock_service(answer)
    try:
        grants = await service.list_permissions("p1", owner="big")
    finally:
        await service.aclose()
    assert [g.username for g in grants] == [f"user{i}" for i in range(12)]
    assert seen == [{"per_page": "100"}, {"per_page": "100", "after": "u11"}]


async def test_a_short_bare_page_is_the_last_and_costs_one_request():
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.url.params))
        return httpx.Response(200, json=[{"user_id": f"u{i}", "username": f"user{i}", "permission_level": "member"}
                                         for i in range(9)])

    service = _mock_service(answer)
    try:
        assert len(await service.list_permissions("p1", owner="big")) == 9
    finally:
        await service.aclose()
    assert seen == [{"per_page": "100"}]


async def test_next_on_another_host_is_refused(v2, faults):
    faults.foreign_next = True
    with pytest.raises(InvalidResponse) as caught:
        await v2.list_org_packages("fleet")
    assert str(caught.value) == FOREIGN


async def test_the_first_page_is_shown_before_a_foreign_next_is_refused(v2, faults):
    faults.foreign_next = True
    seen = []
    with pytest.raises(InvalidResponse):
        async for page in v2.iter_package_pages("fleet"):
            seen.append(page.status)
    assert seen == ["100 so far…"]


async def test_an_absolute_same_origin_next_is_followed(v2, faults):
    faults.absolute_next = True
    assert len(await v2.list_org_packages("fleet")) == 120


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("/v2/packages/x?after=a%20b&per_page=5", ("/v2/packages/x", {"after": "a b", "per_page": "5"})),
        ("https://api.scarf.sh/v2/packages/x?after=z", ("/v2/packages/x", {"after": "z"})),
        ("https://API.scarf.sh:443/v2/packages/x", ("/v2/packages/x", {})),
        ("?after=q", ("/v2/packages/x", {"after": "q"})),
    ],
)
def test_next_links_resolve_against_the_origin(link, expected):
    assert next_request(link, "https://api.scarf.sh/v2/packages/x", "https://api.scarf.sh") == expected


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        ("http://api.scarf.sh/v2/packages/x", "api.scarf.sh"),  # another scheme is another origin
        ("https://api.scarf.sh:8443/v2/packages/x", "api.scarf.sh:8443"),
        ("//evil.example/v2/packages/x", "evil.example"),
    ],
)
def test_next_links_to_other_origins_are_refused(link, shown):
    with pytest.raises(InvalidResponse) as caught:
        next_request(link, "https://api.scarf.sh/v2/packages/x", "https://api.scarf.sh")
    assert str(caught.value) == (
        f"The server's link to the next page points to '{shown}', not to api.scarf.sh; it was not followed, "
        "so the token stays with the configured server, and the list is incomplete."
    )


async def test_over_a_socket_the_fleet_lists_in_full_on_both_versions():
    with contextlib.ExitStack() as stack:
        for version, count in (("v2", 120), ("v1", 126)):
            session = start_demo(stack, today=TODAY, api_version=version)
            async with session.service as service:
                assert len(await service.list_org_packages("fleet")) == count


async def test_a_server_refusing_our_page_size_gets_its_own():
    """Another server's shape: per_page above its limit is a 400; its default pages still lead on."""
    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.params.get("per_page") == str(MAX_PER_PAGE):
            return httpx.Response(400, json={"message": "per_page must be at most 50"})
        after = int(request.url.params.get("after", "0"))
        items = [{"id": f"p{i}", "name": f"pkg-{i}", "owner": "big", "type": "npm"} for i in range(after, after + 50)]
        links = {"next": f"/v2/packages/big?after={after + 50}"} if after + 50 < 128 else {}
        return httpx.Response(200, json={"results": items[: 128 - after], "_links": links})

    from scarf_tui.api import make_service

    service = make_service("https://api.scarf.sh", "t", transport=httpx.MockTransport(answer), api_version="v2",
                           username="me", backoff=0.0)
    try:
        packages = await service.list_org_packages("big")
    finally:
        await service.aclose()
    assert len(packages) == 128 and len({p.uuid for p in packages}) == 128
    assert seen[0].endswith("per_page=100") and "per_page" not in seen[1]


def _mock_service(answer):
    from scarf_tui.api import make_service

    return make_service("https://api.scarf.sh", "t", transport=httpx.MockTransport(answer), api_version="v2",
                        username="me", backoff=0.0, max_retries=0)


@pytest.mark.parametrize(
    ("body", "sentence"),
    [
        ({"packages": []}, "The server's answer for packages of 'big' is neither a list nor a page of results."),
        ({"results": [{"id": "1", "owner": "big"}]},
         "The server's answer for packages of 'big' is missing the required field 'name' (PackageV2)."),
        ({"results": [{"id": "1", "name": "a", "owner": "big"}], "_links": {"next": "/v2/packages/big"}},
         "The server's pages of packages of 'big' lead back to a page already read; the list is incomplete."),
        ({"results": [], "_links": {"next": 7}},
         "The server's link to the next page is not a URL; the list is incomplete."),
    ],
)
async def test_bad_pages_end_with_a_sentence(body, sentence):
    service = _mock_service(lambda request: httpx.Response(200, json=body))
    try:
        with pytest.raises(InvalidResponse) as caught:
            await service.list_org_packages("big")
    finally:
        await service.aclose()
    assert str(caught.value) == sentence


async def test_a_bad_search_answer_is_a_sentence():
    service = _mock_service(lambda request: httpx.Response(200, json=[{"type": "package"}]))
    try:
        with pytest.raises(InvalidResponse) as caught:
            await service.search("x")
    finally:
        await service.aclose()
    assert str(caught.value) == "The server's answer to the search is not an object with 'results'."
