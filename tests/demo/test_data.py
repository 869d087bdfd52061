"""The deterministic dataset: coverage of every kind, determinism, hostile extras."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import httpx

from scarf_tui.demo import DEMO_TOKEN, DEMO_USER, NOEXPORT_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.data import HOSTILE_ANSI, HOSTILE_BOLD, HOSTILE_MARKUP, HOSTILE_RTL, HOSTILE_WIDE
from scarf_tui.demo.store import build_demo_store
from scarf_tui.demo.traffic import aggregate_rows, package_event_records

TODAY = date(2026, 11, 20)


def snapshot(store) -> tuple:
    return (store.orgs, store.packages, store.members, store.permissions, store.routes, store.domains,
            {u: (x.email, x.token, x.export_access) for u, x in store.users.items()})


def test_two_builds_are_equal():
    a, b = build_demo_store(today=TODAY), build_demo_store(today=TODAY)
    assert snapshot(a) == snapshot(b)
    uuid = next(iter(a.packages))
    day = date(2026, 10, 5)
    assert aggregate_rows(a.profile(uuid), day, TODAY) == aggregate_rows(b.profile(uuid), day, TODAY)
    assert package_event_records(a.profile(uuid), day, TODAY, 1) == package_event_records(
        b.profile(uuid), day, TODAY, 1
    )


def test_uuids_do_not_depend_on_today():
    assert list(build_demo_store(today=TODAY).packages) == list(build_demo_store(today=date(2030, 1, 1)).packages)


def test_coverage_of_kinds_roles_and_levels(demo_store):
    assert {"acme", "openlab", "tinytools"} <= set(demo_store.orgs)
    assert len(demo_store.packages) >= 30
    assert {p["libraryType"] for p in demo_store.packages.values()} >= {
        "docker", "npm", "hackage", "pypi", "python", "other", "file"}
    assert demo_store.members["acme"][DEMO_USER] == "owner"
    assert demo_store.members["openlab"][DEMO_USER] == "admin"
    assert demo_store.members["tinytools"][DEMO_USER] == "member"
    assert {lvl for grants in demo_store.permissions.values() for lvl in grants.values()} == {
        "blocked", "default", "member", "admin"}
    assert demo_store.users["grace"].email == "grace@example.com"
    assert demo_store.users[DEMO_USER].token == DEMO_TOKEN and demo_store.users[DEMO_USER].export_access
    visitor = demo_store.user_by_token(NOEXPORT_TOKEN)
    assert visitor.username == "visitor" and not visitor.export_access
    for uuid, routes in demo_store.routes.items():
        assert not routes or demo_store.packages[uuid]["libraryType"] == "file"
    for uuid, domains in demo_store.domains.items():
        assert not domains or demo_store.packages[uuid]["libraryType"] in ("file", "python")
    assert any(d for u, d in demo_store.domains.items() if demo_store.packages[u]["libraryType"] == "python")


def test_timestamps_are_fixed(demo_store):
    assert demo_store.orgs["acme"]["createdAt"] == "2023-02-14T09:30:00Z"
    assert all(p["createdAt"].endswith("Z") for p in demo_store.packages.values())


async def test_hostile_extras_are_served_verbatim():
    store = build_demo_store(hostile=True, today=TODAY)
    app = create_app(store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://d/api/v1",
                                 headers={"Authorization": f"Bearer {DEMO_TOKEN}"}) as c:
        packages = (await c.get("/packages")).json()
        hostile = next(p for p in packages if p["name"] == HOSTILE_MARKUP)
        assert HOSTILE_ANSI in hostile["shortDescription"] and HOSTILE_RTL in hostile["shortDescription"]
        assert "\x00" in hostile["longDescription"]
        org = hostile["owner"]
        assert HOSTILE_WIDE in org
        assert (await c.get(f"/organizations/{quote(org, safe='')}")).json()["description"].startswith(HOSTILE_BOLD)
        members = (await c.get(f"/organizations/{quote(org, safe='')}/users")).json()
        assert HOSTILE_BOLD in {m["username"] for m in members}
        grants = (await c.get(f"/packages/{hostile['uuid']}/permissions")).json()
        assert any(HOSTILE_ANSI in g["username"] for g in grants)
        routes = (await c.get(f"/packages/{hostile['uuid']}/routes")).json()
        assert any(HOSTILE_MARKUP in r["templatePath"] for r in routes)
        domains = (await c.get(f"/packages/{hostile['uuid']}/domains")).json()
        assert any(HOSTILE_RTL in d["name"] for d in domains)
        # A member whose name contains "/" can still be removed (last path segment).
        response = await c.delete(f"/organizations/{quote(org, safe='')}/users/{quote(HOSTILE_BOLD, safe='')}")
        assert response.status_code == 204
        assert HOSTILE_BOLD not in store.members[org]
        by_name = await c.get("/packages/" + quote(HOSTILE_MARKUP, safe=""))
        assert by_name.status_code == 200 and by_name.json()["uuid"] == hostile["uuid"]


def test_plain_build_has_no_hostile_text(demo_store):
    names = {p["name"] for p in demo_store.packages.values()}
    assert HOSTILE_MARKUP not in names
