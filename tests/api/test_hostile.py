"""Hostile text is data: it goes to the server and comes back byte for byte, and error
sentences built from it carry no escape sequences."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scarf_tui.api.errors import NotFound
from scarf_tui.demo import data
from scarf_tui.domain import GrantChange, OrganizationDraft, PackageDraft, PermissionLevel

MARKUP = "[@click=app.quit]x[/]"
BOLD = "[bold red]boom[/]"
ANSI = "\x1b[31mred\x1b[0m"
CONTROL = "bell\x07back\x08nul\x00cr\rtab\tdel\x7f"
WIDE = "漢字"
RTL = "שלום"
ALL = f"{MARKUP} {BOLD} {ANSI} {CONTROL} {WIDE} {RTL}"


async def test_package_with_hostile_text_round_trips(service, demo_store) -> None:
    draft = PackageDraft(name=MARKUP, short_description=ALL, long_description=f"{CONTROL}\n{BOLD}\n{RTL}")
    created = await service.create_package(draft)
    assert demo_store.packages[created.uuid]["name"] == MARKUP
    assert demo_store.packages[created.uuid]["shortDescription"] == ALL
    read = await service.get_package(created.uuid)
    assert read.name == MARKUP
    assert read.short_description == ALL
    assert read.long_description == f"{CONTROL}\n{BOLD}\n{RTL}"
    # And by name, whose "/" and "[" must be escaped in the path.
    assert (await service.get_package(MARKUP)).uuid == created.uuid


async def test_organization_with_hostile_description_round_trips(service, demo_store) -> None:
    draft = OrganizationDraft(name="hostile-co", description=ALL, billing_email="x@hostile.example",
                              website=f"https://hostile.example/{MARKUP}")
    await service.create_organization(draft)
    read = await service.get_organization("hostile-co")
    assert read.description == ALL == demo_store.orgs["hostile-co"]["description"]
    assert read.website == f"https://hostile.example/{MARKUP}"


async def test_hostile_dataset_reads_back_unchanged(hostile_service, hostile_store) -> None:
    org_name = data.HOSTILE_ORG.name
    org = await hostile_service.get_organization(org_name)
    assert org.name == org_name and org.description == hostile_store.orgs[org_name]["description"]

    members = await hostile_service.list_members(org_name)
    assert {m.username for m in members} == set(hostile_store.members[org_name])

    (package,) = await hostile_service.list_org_packages(org_name)
    wire = hostile_store.packages[package.uuid]
    assert (package.name, package.short_description, package.long_description, package.website) == (
        wire["name"], wire["shortDescription"], wire["longDescription"], wire["website"],
    )

    grants = {g.username: g.level for g in await hostile_service.list_permissions(package.uuid)}
    assert grants[data.HOSTILE_PERMISSION_USER.username] is PermissionLevel.MEMBER
    assert [(r.template_path, r.outgoing_url) for r in await hostile_service.list_routes(package.uuid)] == [
        (r["templatePath"], r["outgoingUrl"]) for r in hostile_store.routes[package.uuid]
    ]
    assert [d.name for d in await hostile_service.list_domains(package.uuid)] == [
        d["name"] for d in hostile_store.domains[package.uuid]
    ]


async def test_hostile_member_can_be_removed_by_name(hostile_service, hostile_store) -> None:
    org_name = data.HOSTILE_ORG.name
    await hostile_service.remove_member(org_name, BOLD)  # "[bold red]boom[/]" contains "/"
    assert BOLD not in hostile_store.members[org_name]


async def test_hostile_permission_user_by_email(hostile_service, hostile_store) -> None:
    org_name = data.HOSTILE_ORG.name
    (package,) = await hostile_service.list_org_packages(org_name)
    await hostile_service.set_permissions(package.uuid, [GrantChange("rtl@hostile.example", PermissionLevel.ADMIN)])
    assert hostile_store.permissions[package.uuid][data.HOSTILE_PERMISSION_USER.username] == "admin"


async def test_hostile_company_survives_the_aggregates_stream(hostile_service, hostile_store) -> None:
    org_name = data.HOSTILE_ORG.name
    end = hostile_store.today
    rows = [r async for r in hostile_service.org_aggregates(org_name, end - timedelta(days=30), end)]
    companies = {r.company_name for r in rows if r.breakdown == "company"}
    assert data.HOSTILE_COMPANY[0] in companies


async def test_error_sentences_about_hostile_names_are_clean(service) -> None:
    with pytest.raises(NotFound) as info:
        await service.get_package(f"{ANSI}{CONTROL}{MARKUP}")
    message = str(info.value)
    assert "\x1b" not in message and "\x07" not in message and "\x00" not in message
    assert MARKUP in message  # kept literally; the UI escapes markup
    assert message.startswith("Package 'red")


async def test_hostile_company_survives_the_events_csv(hostile_service, hostile_store) -> None:
    org_name = data.HOSTILE_ORG.name
    (package,) = await hostile_service.list_org_packages(org_name)
    end = hostile_store.today
    events = [e async for e in hostile_service.package_events(package.uuid, end - timedelta(days=20), end)]
    assert {e.package for e in events} == {MARKUP}
    assert data.HOSTILE_COMPANY[0] in {e.origin_company for e in events}  # quotes, "\n", ANSI intact


async def test_quoted_fields_with_newlines_and_lone_carriage_returns() -> None:
    # A shape the demo does not emit: a lone "\r" and a "\r\n" inside quoted fields, split
    # across network chunks.
    import httpx

    from scarf_tui.api import make_service

    body = (
        b'type,time,user_agent,extra\r\n'
        b'pixel,2026-01-01T00:00:00Z,"a\rb",x\r\n'
        b'pixel,2026-01-02T00:00:00Z,"line1\r\nline2 ""q""",y\r\n'
    )

    class Chunks(httpx.AsyncByteStream):
        async def __aiter__(self):
            for i in range(0, len(body), 7):
                yield body[i : i + 7]

    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Chunks(), headers={"content-type": "text/csv"})

    from datetime import date

    svc = make_service("https://scarf.example/api", "t", transport=httpx.MockTransport(handler))
    events = [e async for e in svc.pixel_events(date(2026, 1, 1), date(2026, 1, 3))]
    lines = [line async for line in svc.stream_pixel_events_csv(date(2026, 1, 1), date(2026, 1, 3))]
    await svc.aclose()
    assert [e.user_agent for e in events] == ["a\rb", 'line1\r\nline2 "q"']
    assert [e.extra for e in events] == [{"extra": "x"}, {"extra": "y"}]
    assert b"".join(lines) == body
