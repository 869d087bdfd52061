"""PurldbService against the embedded PurlDB: look-ups (found, not found, not enabled),
filters, pagination to the end, details, history, resources, enhanced data, the API key,
error sentences and faults."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from scarf_tui.demo.data import HOSTILE_ANSI, HOSTILE_MARKUP
from scarf_tui.demo.purldb.data import EXAMPLE_UUID
from scarf_tui.sources.errors import (
    BadCredentials,
    PaymentRequired,
    SourceInvalidResponse,
    SourceNotFound,
    SourceValidationFailed,
)
from scarf_tui.sources.purldb import (
    LookupState,
    Purl,
    make_purldb_service,
    purl_for_pypicloud_package,
    purl_for_scarf_package,
    purl_typed_by_user,
)

API_KEY = "purl-key-0123456789"


async def test_lookup_found_newest_first(purldb):
    ref = purl_for_scarf_package("pypi", "acme", "acme-sdk")
    assert ref is not None
    result = await purldb.lookup(ref)
    assert result.state is LookupState.FOUND
    assert [p.version for p in result.packages] == ["2.0.0rc1", "1.2.0", "1.1.0", "1.0.0"]
    assert result.sentence() == "PurlDB knows 4 versions of pkg:pypi/acme-sdk."
    latest = result.latest
    assert latest is not None and latest.declared_license and latest.homepage_url == "https://pypi.org/project/acme-sdk/"
    assert latest.download_url == "https://files.pythonhosted.org/packages/source/a/acme-sdk/acme-sdk-2.0.0rc1.tar.gz"
    assert latest.repository_url == "git+https://github.com/acme/acme-sdk.git"


async def test_lookup_scoped_npm_and_docker(purldb, purl_transport):
    ui = await purldb.lookup(purl_for_scarf_package("npm", "acme", "@acme/ui-kit"))
    assert ui.found
    assert {p.purl for p in ui.packages} == {"pkg:npm/%40acme/ui-kit@1.0.0", "pkg:npm/%40acme/ui-kit@1.1.0"}
    assert ("GET", "/api/packages/?type=npm&name=ui-kit&namespace=%40acme") in purl_transport.sent
    docker = await purldb.lookup(purl_for_scarf_package("docker", "acme", "widget", image_url="https://ghcr.io/acme/widget"))
    assert docker.found and docker.packages[0].purl == "pkg:docker/acme/widget@3.2.0"


async def test_not_in_purldb_is_a_normal_result(purldb):
    result = await purldb.lookup(purl_for_pypicloud_package("internal-tools"))
    assert result.state is LookupState.NOT_FOUND and result.packages == ()
    assert result.sentence() == "pkg:pypi/internal-tools is not in PurlDB."
    nightshade = await purldb.lookup(purl_for_scarf_package("npm", "hidden-labs", "nightshade"))
    assert nightshade.state is LookupState.NOT_FOUND


async def test_not_enabled_sends_nothing(purldb_as, purl_faults):
    svc = purldb_as(enabled_for=["scarf"])
    result = await svc.lookup(purl_for_pypicloud_package("acme-sdk"))
    assert result.state is LookupState.NOT_ENABLED
    assert result.sentence() == (
        "PurlDB look-ups are off for pypicloud packages: looking pkg:pypi/acme-sdk up would send its name "
        "to a third party. Enable PurlDB for pypicloud packages to look it up."
    )
    assert purl_faults.requests_seen == 0
    svc.enable("pypicloud")
    assert (await svc.lookup(purl_for_pypicloud_package("acme-sdk"))).found
    # A purl the user typed is always looked up.
    manual = await purldb_as(enabled_for=[]).lookup(purl_typed_by_user("pkg:npm/tiny-json"))
    assert manual.found


async def test_lookups_are_cached(purldb, purl_faults):
    ref = purl_for_scarf_package("npm", "tinytools", "tiny-json")
    first = await purldb.lookup(ref)
    seen = purl_faults.requests_seen
    assert await purldb.lookup(ref) == first
    assert purl_faults.requests_seen == seen
    purldb.invalidate()
    await purldb.lookup(ref)
    assert purl_faults.requests_seen == seen + 1


async def test_pagination_reaches_the_end(purldb, purl_store):
    page = await purldb.search({})
    assert page.count == len(purl_store.records) and len(page.items) == 10 and page.previous is None
    seen = list(page.items)
    while (nxt := await purldb.more_packages(page)) is not None:
        page = nxt
        seen.extend(page.items)
    assert page.next is None
    assert len(seen) == len(purl_store.records)
    assert len({p.uuid for p in seen}) == len(seen)
    everything = await purldb.all_packages({})
    assert [p.uuid for p in everything.items] == [p.uuid for p in seen] and everything.next is None


async def test_filters(purldb, purl_store):
    npm = await purldb.all_packages({"type": "npm"})
    assert npm.count == sum(1 for r in purl_store.records if r.fields["type"] == "npm")
    assert {p.type for p in npm.items} == {"npm"}
    exact = await purldb.search({"package_url": "pkg:pypi/labkit@1.0.1"})
    assert [p.purl for p in exact.items] == ["pkg:pypi/labkit@1.0.1"]
    by_sha = await purldb.search({"sha1": "9cb255ad91d178f39b2bffc9635c46caeffbd344"})
    assert [p.uuid for p in by_sha.items] == [EXAMPLE_UUID]
    with pytest.raises(ValueError) as caught:
        await purldb.search({"colour": "red"})
    assert str(caught.value).startswith("PurlDB cannot filter packages by colour; known: type, namespace, name")


async def test_bad_filter_value_names_the_field(purldb):
    with pytest.raises(SourceValidationFailed) as caught:
        await purldb.search({"size": "big"})
    assert str(caught.value) == "PurlDB: the server refused GET for the package list (400): size: Enter a whole number."


async def test_details_history_resources_enhanced(purldb, purl_store):
    found = await purldb.lookup(purl_typed_by_user("pkg:pypi/acme-sdk@1.2.0"))
    uuid = found.packages[0].uuid
    details = await purldb.details(uuid)
    assert details.purl == "pkg:pypi/acme-sdk@1.2.0" and details.version == "1.2.0"
    assert details.history_url == f"http://purldb.invalid/api/packages/{uuid}/history/"
    history = await purldb.history(uuid)
    assert history[0].message.startswith("New Package created from ResourceURI: https://files.pythonhosted.org/")
    assert history[0].timestamp is not None
    page = await purldb.resources(uuid)
    resources = list(page.items)
    while (nxt := await purldb.more_resources(page)) is not None:
        page = nxt
        resources.extend(page.items)
    assert page.count == 57 and len(resources) == 57
    assert resources[1].path == "src/module_1.py" and resources[1].programming_language == "Python"
    enhanced = await purldb.enhanced(uuid)
    assert enhanced.uuid == uuid and enhanced.declared_license == details.declared_license
    assert await purldb.reindex(uuid) == "pkg:pypi/acme-sdk@1.2.0 has been queued for reindexing"
    assert purl_store.reindexed == [uuid]


async def test_the_reference_example_and_its_projects_path(purldb):
    details = await purldb.details(EXAMPLE_UUID)
    assert details.declared_license == "Elastic-2.0 AND SSPL-1.0"
    assert details.dependencies[0].purl == "pkg:maven/net.sf.jopt-simple/jopt-simple@5.0.2"
    via_projects = await purldb.details_at(f"http://purldb.invalid/api/projects/{EXAMPLE_UUID}/")
    assert via_projects == details


async def test_unknown_uuid(purldb):
    with pytest.raises(SourceNotFound) as caught:
        await purldb.details("00000000-0000-0000-0000-000000000000")
    assert str(caught.value) == "PurlDB: package '00000000-0000-0000-0000-000000000000' was not found (404)."


async def test_links_to_another_server_are_not_followed():
    # A fault shape the embedded server never produces: a next link to another host.
    body = {"count": 2, "next": "https://evil.example/api/packages/?page=2", "previous": None, "results": []}
    app = Starlette(routes=[Route("/api/packages/", lambda r: JSONResponse(body))])
    svc = make_purldb_service("http://purldb.invalid", API_KEY, transport=httpx.ASGITransport(app=app))
    page = await svc.search({})
    with pytest.raises(SourceInvalidResponse) as caught:
        await svc.more_packages(page)
    assert str(caught.value) == (
        "PurlDB: the link to the next page of packages points away from purldb.invalid "
        "(https://evil.example/api/packages/?page=2); it was not followed."
    )
    assert API_KEY not in str(caught.value)
    await svc.aclose()


async def test_api_key(purldb_as, purl_store, purl_transport):
    purl_store.api_key = API_KEY
    good = purldb_as(API_KEY)
    assert (await good.search({"type": "npm"})).count > 0
    assert API_KEY not in repr(good) and "api_key='***'" in repr(good)
    with pytest.raises(BadCredentials) as caught:
        await purldb_as(None).search({})
    assert str(caught.value) == (
        "PurlDB: this PurlDB needs an API key (401); set PURLDB_API_KEY or api_key under [purldb] in config.toml."
    )
    with pytest.raises(BadCredentials) as caught:
        await purldb_as("wrong-key-123456").search({})
    assert str(caught.value) == (
        "PurlDB: the API key was rejected (401); check PURLDB_API_KEY or api_key under [purldb] in config.toml."
    )
    assert "wrong-key-123456" not in repr(caught.value)


def test_a_key_that_cannot_be_a_header():
    with pytest.raises(BadCredentials) as caught:
        make_purldb_service("https://public.purldb.io", "abc\ndef-secret")
    assert str(caught.value) == (
        "PurlDB: the API key contains characters no key has (a space, line break or non-ASCII letter); copy it again."
    )
    assert "def-secret" not in repr(caught.value)


async def test_payment_required(purldb, purl_store):
    purl_store.quota_exhausted = True
    with pytest.raises(PaymentRequired) as caught:
        await purldb.search({})
    assert str(caught.value) == (
        "PurlDB: the server requires payment for the package list (402): The look-up quota of this API key is used up."
    )


async def test_faults(purldb_as, purl_faults):
    purl_faults.invalid_json = True
    svc = purldb_as()
    with pytest.raises(SourceInvalidResponse) as caught:
        await svc.search({})
    assert str(caught.value) == "PurlDB: the answer to GET /api/packages/ was not valid JSON."
    purl_faults.invalid_json = False
    purl_faults.rate_limit_every = 1
    purl_faults.retry_after_s = 120
    with pytest.raises(Exception) as limited:
        await svc.details(EXAMPLE_UUID)
    assert str(limited.value) == "PurlDB: the server is rate limiting requests (429); try again in 120 seconds."


async def test_hostile_record_stays_literal(purldb):
    typed = str(Purl("npm", HOSTILE_MARKUP))  # printed with "@", "/" and brackets percent-encoded
    assert typed == "pkg:npm/%5B%40click%3Dapp.quit%5Dx%5B%2F%5D"
    result = await purldb.lookup(purl_typed_by_user(typed))
    assert result.found
    record = result.packages[0]
    assert record.name == HOSTILE_MARKUP
    assert record.declared_license == "[bold red]boom[/]"
    history = await purldb.history(record.uuid)
    assert history[-1].message == f"{HOSTILE_ANSI} {HOSTILE_MARKUP}"
    assert history[-1].timestamp is None and history[-1].raw_timestamp == "not-a-time"


async def test_a_same_host_link_is_followed_over_our_own_scheme():
    pages = {
        "1": {"count": 2, "next": "http://purldb.invalid/api/packages/?page=2", "previous": None, "results": []},
        "2": {"count": 2, "next": "http://purldb.invalid:8080/api/packages/?page=3", "previous": None, "results": []},
    }
    seen: list[str] = []

    async def packages(request):
        seen.append(str(request.url))
        return JSONResponse(pages[request.query_params.get("page", "1")])

    app = Starlette(routes=[Route("/api/packages/", packages)])
    svc = make_purldb_service("https://purldb.invalid", transport=httpx.ASGITransport(app=app))
    second = await svc.more_packages(await svc.search({}))
    assert second is not None and seen == [
        "https://purldb.invalid/api/packages/",
        "https://purldb.invalid/api/packages/?page=2",
    ]
    with pytest.raises(SourceInvalidResponse) as caught:
        await svc.more_packages(second)  # another port is another server
    assert str(caught.value) == (
        "PurlDB: the link to the next page of packages points away from purldb.invalid "
        "(http://purldb.invalid:8080/api/packages/?page=3); it was not followed."
    )
    await svc.aclose()
