"""Our real v2 service against a server written from the OpenAPI spec by someone else
(tests/independent_v2/server.py): lists whole, writes landed, streams and faults reported."""

from __future__ import annotations

from datetime import date

import pytest

from scarf_tui.api.errors import InvalidResponse, RateLimited, ScarfError, ValidationFailed
from scarf_tui.domain import GrantChange, RouteDraft

from .conftest import Served, make_v2_service
from .data import CROWDED, HOSTILE_NAMES, ORG, PACKAGE_COUNT, TOKEN, USERNAME

START, END = date(2026, 10, 1), date(2026, 10, 8)


def pid_of(served: Served, name: str) -> str:
    (pid,) = [p["id"] for p in served.store.packages.values() if p["owner"] == ORG and p["name"] == name]
    return pid


def requests_to(served: Served, path: str) -> list[str]:
    return [line for line in served.faults.log if line.split(" ", 1)[1].split("?", 1)[0] == path]


async def test_the_users_organizations_are_found(service):
    orgs = await service.user_organizations(USERNAME)
    assert [m.organization for m in orgs][:1] == [ORG] and len(orgs) == 11
    assert (await service.get_user(ORG)).kind == "organization"
    org = await service.get_organization(ORG)
    assert org.description == "[link=https://evil.example]click me[/link]"


@pytest.mark.parametrize("links", ["absolute", "relative"])
async def test_all_128_packages_are_listed_following_every_page(served, service, links):
    served.faults.links = links
    pages = [page async for page in service.iter_package_pages(ORG)]
    names = [p.name for page in pages for p in page.items]
    assert len(names) == len(set(names)) == PACKAGE_COUNT
    assert set(HOSTILE_NAMES) <= set(names)
    assert [p.done for p in pages] == [False] * (len(pages) - 1) + [True]
    assert pages[-1].status == str(PACKAGE_COUNT) and pages[0].status.endswith("so far…")
    # The server clamps per_page to 25: six pages, each asked for once.
    assert len(requests_to(served, f"/v2/packages/{ORG}")) == len(pages) == 6


async def test_members_and_overview_are_whole(service, served):
    assert len(await service.list_members(ORG)) == len(served.store.members[ORG]) == 35
    overview = await service.packages_overview(ORG)
    assert len(overview) == PACKAGE_COUNT and all(o.domains for o in overview)


async def test_a_package_by_id_and_by_type_and_hostile_name(service, served):
    for name in HOSTILE_NAMES:
        rec = served.store.packages[pid_of(served, name)]
        by_name = await service.get_package(name, package_type=rec["type"], owner=ORG)
        by_id = await service.get_package(rec["id"], owner=ORG)
        assert by_name.uuid == by_id.uuid == rec["id"] and by_id.name == name


async def test_an_overview_without_links_is_paged_with_after(service, served):
    # The spec's overview answer has `results` only (no `_links`) but takes `after`/`per_page`:
    # the client pages on `after` the last package's name until a page is short.
    served.faults.no_links.add(f"/v2/packages/{ORG}/overview")
    overview = await service.packages_overview(ORG)
    assert len(overview) == PACKAGE_COUNT
    assert len({o.package.uuid for o in overview}) == PACKAGE_COUNT


async def test_permissions_longer_than_one_server_page_are_listed_whole(service, served):
    # The spec gives the bare-array permissions list `after`/`per_page`; this server clamps
    # per_page to 25, so the client asks `after` the last user_id until a page is short.
    pid = pid_of(served, CROWDED)
    grants = await service.list_permissions(pid, owner=ORG)
    assert len(grants) == len({g.username for g in grants}) == len(served.store.permissions[pid]) == 34
    assert len(requests_to(served, f"/v2/packages/{ORG}/{pid}/permissions")) == 2  # 25, then the 9 left


async def test_permission_write_lands_and_removal_by_username(service, served):
    pid = pid_of(served, "fleet-npm-003")
    grants = await service.list_permissions(pid, owner=ORG)
    before = {g.username: str(getattr(g.level, "value", g.level)) for g in grants}
    assert before["linus"] == "member"
    await service.set_permissions(pid, [GrantChange("linus", "admin")], owner=ORG)
    assert served.store.permissions[pid]["linus"] == "admin"
    await service.remove_permission(pid, "[b]mallory[/b]", owner=ORG)
    assert "[b]mallory[/b]" not in served.store.permissions[pid]
    with pytest.raises(ScarfError) as refused:
        await service.remove_permission(pid, USERNAME, owner=ORG)
    assert "owner" in str(refused.value).lower()
    assert served.store.permissions[pid][USERNAME] == "owner"


async def test_route_write_lands_and_a_missing_variable_is_a_sentence(service, served):
    pid = pid_of(served, "fleet-file-001")
    draft = RouteDraft("/v/{version}/x.zip", "https://dl.example/{version}.zip")
    made = await service.create_route(pid, draft, owner=ORG)
    stored = served.store.routes[pid]
    assert [r["incoming_path"] for r in stored][-1] == "/v/{version}/x.zip"
    assert made is None or made.id == stored[-1]["id"]
    with pytest.raises(ValidationFailed) as bad:
        await service.create_route(pid, RouteDraft("/v/x.zip", "https://dl.example/{version}.zip"), owner=ORG)
    assert "variable" in str(bad.value).lower()
    await service.delete_route(pid, stored[0]["id"], owner=ORG)
    assert len(served.store.routes[pid]) == 2
    routes = await service.list_routes(pid, owner=ORG)
    assert {r.template_path for r in routes} == {r["incoming_path"] for r in served.store.routes[pid]}


async def test_domain_write_lands_and_the_last_one_stays(service, served):
    pid = pid_of(served, "fleet-docker-000")
    await service.create_domain(pid, "cdn.fleet.example", owner=ORG)
    assert [d["name"] for d in served.store.domains[pid]][-1] == "cdn.fleet.example"
    first, second = served.store.domains[pid]
    await service.delete_domain(pid, first["id"], owner=ORG)
    with pytest.raises(ValidationFailed) as last:
        await service.delete_domain(pid, second["id"], owner=ORG)
    assert "domain" in str(last.value).lower()
    assert [d["name"] for d in served.store.domains[pid]] == ["cdn.fleet.example"]


async def test_pixels_collections_and_search(service, served):
    assert len(await service.list_pixels(ORG)) == 12  # two pages of the server
    assert {c.pattern for c in await service.list_collections(ORG)} == {"fleet/*", "fleet-tools/*", "[b]literal[/b]/*"}
    hits = await service.search("click")
    expected = {("package", HOSTILE_NAMES[0]), ("tracking-pixel", "[@click=app.quit]pixel[/]")}
    assert {(h.kind, h.name) for h in hits} == expected


async def test_aggregates_ask_the_server_for_the_rollup(service, served):
    rows = [r async for r in service.owner_aggregates(ORG, START, END, rollup="weekly", breakdowns=["by-country"])]
    assert rows and {r.date for r in rows} == {date(2026, 9, 28), date(2026, 10, 5)}
    # The server names the package in `artifact` (the spec only says "string"): each row still
    # lands on that package's id, which the charts and the download column key on.
    assert {r.package for r in rows} == {p["id"] for p in served.store.owned(ORG)}
    line = requests_to(served, f"/v2/packages/{ORG}/aggregates")[-1]
    assert "rollup=weekly" in line and "breakdown=by-country" in line


async def test_a_429_is_waited_out_and_the_list_is_whole(served, service):
    served.faults.rate_limit[f"/v2/packages/{ORG}"] = (3, 2)  # the 3rd and 4th asks get 429
    packages = await service.list_owner_packages(ORG)
    assert len(packages) == PACKAGE_COUNT
    assert len(requests_to(served, f"/v2/packages/{ORG}")) == 8


async def test_a_429_that_does_not_end_is_reported_and_the_list_not_complete(served, service):
    served.faults.rate_limit[f"/v2/packages/{ORG}"] = (2, 1000)
    seen = []
    with pytest.raises(RateLimited):
        async for page in service.iter_package_pages(ORG):
            seen.append(page)
    assert len(seen) == 1 and not seen[0].done and seen[0].status == "25 so far…"


async def test_an_html_page_with_200_is_a_sentence(served, service):
    served.faults.html.add(f"/v2/organizations/{ORG}")
    with pytest.raises(InvalidResponse) as error:
        await service.get_organization(ORG)
    assert "<" not in str(error.value) and str(error.value).endswith(".")


async def test_a_cut_aggregates_stream_is_an_error(served, service):
    served.faults.cut_after[f"/v2/packages/{ORG}/aggregates"] = (1, 3000)
    with pytest.raises(ScarfError) as error:
        _ = [r async for r in service.owner_aggregates(ORG, START, END)]
    assert TOKEN not in str(error.value)


@pytest.mark.parametrize("status", [403, 422, 500])
async def test_an_echoed_token_never_reaches_the_sentence(served, status):
    served.faults.echo_token[f"/v2/organizations/{ORG}"] = status
    service = make_v2_service(served.url)
    try:
        with pytest.raises(ScarfError) as error:
            await service.get_organization(ORG)
    finally:
        await service.aclose()
    text = str(error.value)
    assert TOKEN not in text and TOKEN[:12] not in text and TOKEN[-12:] not in text, text
    assert text.endswith((".", ")")), text


async def test_a_rejected_token_is_one_sentence_without_it(served):
    from scarf_tui.api import make_service

    wrong = TOKEN[:-4] + "0000"
    service = make_service(served.url, wrong, api_version="v2", username=USERNAME, backoff=0.0)
    try:
        with pytest.raises(ScarfError) as error:
            await service.list_owner_packages(ORG)
    finally:
        await service.aclose()
    assert wrong not in str(error.value) and "401" in str(error.value) and "token" in str(error.value).lower()


async def test_an_organization_update_lands(service, served):
    from scarf_tui.domain import OrganizationDraft

    draft = OrganizationDraft(ORG, "new words", "billing@fleet.example", "https://fleet.example/new")
    await service.update_organization(ORG, draft)
    assert served.store.orgs[ORG]["description"] == "new words"
    assert served.store.orgs[ORG]["website"] == "https://fleet.example/new"


async def test_an_organization_update_without_a_website_is_accepted(service, served):
    from scarf_tui.domain import OrganizationDraft

    # The spec types website as a string (never null): no website is sent as "".
    org = await service.update_organization(ORG, OrganizationDraft(ORG, "no site", "billing@fleet.example", None))
    assert served.store.orgs[ORG]["description"] == "no site" and served.store.orgs[ORG]["website"] == ""
    assert org.website is None
