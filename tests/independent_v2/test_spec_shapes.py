"""Both v2 servers we test against, the independent one and our embedded demo, answer in the
shapes of the spec's schemas (required keys, types, enums). The spec's Domain schema lists
`links` as required while its property is `_links`: both servers send `_links`, and that one
key is not held against them."""

from __future__ import annotations

import json

import httpx
import pytest

from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.store import build_demo_store

from .data import TOKEN
from .server import make_app
from .spec_check import SPEC_PATH, answer_schema, load_spec, problems

# The spec sits beside the checkout (../shared/reference), not in it: a clone alone (CI) has no
# copy to check against, and these tests say so rather than pass on nothing.
pytestmark = pytest.mark.skipif(not SPEC_PATH.exists(), reason=f"no API v2 spec at {SPEC_PATH} (outside the checkout)")
SPEC = load_spec() if SPEC_PATH.exists() else {}
SERVERS = {
    "independent": (lambda: make_app(), TOKEN, "fleet", "ada"),
    "demo": (lambda: create_app(build_demo_store(fleet=True)), DEMO_TOKEN, "acme", "maintainer"),
}


async def answers(name: str) -> list[tuple[str, object]]:
    """(spec path template, decoded answer) for every GET the client makes, and the search."""
    factory, token, owner, user = SERVERS[name]
    headers = {"Authorization": f"Bearer {token}"}
    transport = httpx.ASGITransport(app=factory())
    async with httpx.AsyncClient(transport=transport, base_url="http://x", headers=headers) as c:

        async def get(url: str) -> object:
            answer = await c.get(url)
            assert answer.status_code == 200, (url, answer.status_code)
            return answer.json()

        packages = (await get(f"/v2/packages/{owner}"))["results"]  # type: ignore[index]
        pkg = next(p for p in packages if p["type"] == "file")
        base = f"/v2/packages/{owner}/{pkg['id']}"
        pixels = (await get(f"/v2/tracking-pixels/{owner}"))["results"]  # type: ignore[index]
        found = [
            ("/v2/users/{username}", await get(f"/v2/users/{user}")),
            ("/v2/users/{username}/organizations", await get(f"/v2/users/{user}/organizations")),
            ("/v2/organizations/{organization_name}", await get(f"/v2/organizations/{owner}")),
            ("/v2/organizations/{organization_name}/members", await get(f"/v2/organizations/{owner}/members")),
            ("/v2/packages/{owner}", {"results": packages}),
            ("/v2/packages/{owner}/overview", await get(f"/v2/packages/{owner}/overview")),
            ("/v2/packages/{owner}/{package_id}", await get(base)),
            ("/v2/packages/{owner}/{package_type}/{package_name}", await get(f"/v2/packages/{owner}/file/{pkg['name']}")),  # noqa: E501
            ("/v2/packages/{owner}/{package_id}/permissions", await get(f"{base}/permissions")),
            ("/v2/packages/{owner}/{package_id}/routes", await get(f"{base}/routes")),
            ("/v2/packages/{owner}/{package_id}/domains", await get(f"{base}/domains")),
            ("/v2/packages/{owner}/{package_id}/tracking-pixels", await get(f"{base}/tracking-pixels")),
            ("/v2/tracking-pixels/{owner}", {"results": pixels, "_links": {}}),
            ("/v2/tracking-pixels/{owner}/{tracking_pixel_id}", await get(f"/v2/tracking-pixels/{owner}/{pixels[0]['id']}")),  # noqa: E501
            ("/v2/collections/{owner}", await get(f"/v2/collections/{owner}")),
        ]
        aggregates = await c.get(
            f"/v2/packages/{owner}/aggregates", params={"start_date": "2026-10-01", "end_date": "2026-10-03"}
        )
        assert aggregates.headers["content-type"].startswith("application/x-ndjson")
        lines = aggregates.text.splitlines()[:300]
        found += [("/v2/packages/{owner}/aggregates", json.loads(line)) for line in lines]
        search = await c.post("/v2/search", json={"query": "a"})
        found.append(("/v2/search", search.json()))
    return found


def shape_problems(template: str, answer: object) -> list[str]:
    method = "post" if template == "/v2/search" else "get"
    found = problems(SPEC, answer_schema(SPEC, template, method), answer)
    return sorted({p for p in found if not p.endswith("missing required 'links'")})


async def test_the_independent_server_answers_in_the_specs_shapes():
    for template, answer in await answers("independent"):
        assert shape_problems(template, answer) == [], template


async def test_the_demo_server_answers_in_the_specs_shapes():
    wrong = {t: p for t, a in await answers("demo") if (p := shape_problems(t, a))}
    assert wrong == {}
