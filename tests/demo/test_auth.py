"""Authentication and the data-export gate."""

from __future__ import annotations

import httpx
import pytest

from scarf_tui.demo import NOEXPORT_TOKEN
from scarf_tui.demo.app import EXPORT_DISABLED


async def test_missing_token_is_401(anonymous):
    response = await anonymous.get("/packages")
    assert response.status_code == 401
    assert "error" in response.json()
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer nope", "Basic ZGVtbzpkZW1v", "Bearer ", "demo"])
async def test_bad_credentials_are_401(anonymous, header):
    response = await anonymous.get("/organizations/acme", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"]


async def test_error_bodies_never_echo_the_token(anonymous):
    response = await anonymous.get("/packages", headers={"Authorization": "Bearer s3cret-value"})
    assert "s3cret-value" not in response.text


async def test_noexport_user_can_browse(visitor):
    response = await visitor.get("/packages")
    assert response.status_code == 200
    names = {p["name"] for p in response.json()}
    assert {"visitor-notes", "widget-cli"} <= names  # own package + a "default" grant


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/openlab/aggregates?startDate=2026-11-01&endDate=2026-11-02",
        "/users/visitor/aggregates?startDate=2026-11-01&endDate=2026-11-02",
        "/packages/{uuid}/events/e.csv?startDate=2026-11-01&endDate=2026-11-02",
        "/packages/visitor/{uuid}/events/e.csv?startDate=2026-11-01&endDate=2026-11-02",
        "/pixels/events/p.csv?startDate=2026-11-01&endDate=2026-11-02",
    ],
)
async def test_noexport_user_gets_403_on_every_export(visitor, uuid_of, path):
    uuid = uuid_of("visitor", "visitor-notes")
    response = await visitor.get(path.format(uuid=uuid))
    assert response.status_code == 403
    assert response.json() == {"error": EXPORT_DISABLED}


async def test_token_in_lowercase_scheme_is_accepted(anonymous):
    response = await anonymous.get("/packages", headers={"Authorization": f"bearer {NOEXPORT_TOKEN}"})
    assert response.status_code == 200


async def test_unknown_route_is_json_404(client: httpx.AsyncClient):
    response = await client.get("/nothing/here")
    assert response.status_code == 404
    assert response.json() == {"error": "Not found."}
