"""The embedded pypicloud server over raw HTTP: every endpoint of the reference, both path
forms, auth answers, uploads, registration, and the error shapes."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import pytest

from scarf_tui.demo.faults import Faults
from scarf_tui.demo.pypicloud import PypicloudStore, build_pypicloud_store, create_pypicloud_app
from scarf_tui.demo.pypicloud.store import HOSTILE_PACKAGE

ADMIN = ("maintainer", "demo")
VIEWER = ("viewer", "viewer")


@pytest.fixture
def store() -> PypicloudStore:
    return build_pypicloud_store(hostile=True)


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
async def http(store, faults) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_pypicloud_app(store, faults))
    async with httpx.AsyncClient(transport=transport, base_url="http://pypi.test", auth=ADMIN) as client:
        yield client


async def test_both_path_forms(http):
    with_slash = await http.get("/admin/user/")
    without = await http.get("/admin/user")
    assert with_slash.status_code == without.status_code == 200
    assert with_slash.json() == without.json()
    assert (await http.get("/api/package/acme-sdk")).json() == (await http.get("/api/package/acme-sdk/")).json()


async def test_unauthenticated_and_bad_header(http):
    answer = await http.get("/api/package/", auth=None)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == 'Basic realm="pypicloud"'
    assert answer.json() == {"error": "Authentication required: send a valid user name and password."}
    garbage = await http.get("/api/package/", auth=None, headers={"Authorization": "Basic !!!"})
    assert garbage.status_code == 401
    pending = await http.get("/api/package/", auth=("newcomer", "newcomer-pass"))
    assert pending.status_code == 401


async def test_admin_paths_need_an_admin(http):
    answer = await http.get("/admin/group/", auth=VIEWER)
    assert answer.status_code == 403 and answer.json() == {"error": "You must be an admin to do that."}


async def test_unknown_path_and_method(http):
    missing = await http.get("/nope/")
    assert missing.status_code == 404 and missing.json() == {"resource": "path", "error": "not found"}
    wrong = await http.patch("/admin/group/")
    assert wrong.status_code == 405 and wrong.json() == {"error": "Method not allowed."}


async def test_simple_index_and_package_page(http, store):
    index = await http.get("/simple/")
    assert index.headers["content-type"].startswith("text/html")
    assert '<a href="acme-sdk/">acme-sdk</a>' in index.text
    assert "[@click=app.quit]x[/]" in index.text  # escaped for HTML only where HTML needs it
    page = await http.get("/simple/labkit/")
    assert "labkit-1.0.1.tar.gz</a>" in page.text
    viewer = await http.get("/simple/", auth=VIEWER)
    assert "lab-secrets" not in viewer.text and "acme-sdk" in viewer.text


async def test_pypi_json(http):
    answer = await http.get("/pypi/labkit/json")
    data = answer.json()
    assert data["info"] == {"name": "labkit", "version": "1.0.1"}
    filenames = [f["filename"] for f in data["releases"]["1.0.0"]]
    assert filenames == ["labkit-1.0.0.tar.gz", "labkit-1.0.0-py3-none-any.whl"]
    assert (await http.get("/pypi/labkit/json/")).json() == data


async def test_package_list_forms(http, store):
    short = (await http.get("/api/package/")).json()
    assert short == {"packages": sorted(store.packages)}
    verbose = (await http.get("/api/package/", params={"verbose": "true"})).json()
    row = next(p for p in verbose["packages"] if p["name"] == "acme-sdk")
    assert set(row) == {"name", "stable", "unstable", "last_modified"}
    versions = (await http.get("/api/package/acme-sdk/")).json()
    assert versions["write"] is True
    assert set(versions["packages"][0]) == {"name", "last_modified", "version", "url"}


async def test_upload_through_simple_and_api(http, store):
    files = {"content": ("flywheel-0.1.0.tar.gz", b"tarball bytes")}
    data = {":action": "file_upload", "name": "flywheel", "version": "0.1.0"}
    answer = await http.post("/simple/", data=data, files=files)
    assert answer.status_code == 201
    assert [(f.filename, f.version, f.content) for f in store.packages["flywheel"]] == [
        ("flywheel-0.1.0.tar.gz", "0.1.0", b"tarball bytes")
    ]
    again = await http.post("/simple/", data=data, files=files)
    assert again.status_code == 409 and again.json() == {"error": "flywheel-0.1.0.tar.gz already exists."}
    api = await http.post("/api/package/flywheel/flywheel-0.2.0.tar.gz", files={"content": ("x", b"v2")})
    assert api.status_code == 201
    assert [f.version for f in store.packages["flywheel"]] == ["0.1.0", "0.2.0"]
    download = await http.get("/files/flywheel/flywheel-0.2.0.tar.gz")
    assert download.content == b"v2"
    refused = await http.post("/simple/", data=data | {"name": "acme-sdk"}, files=files, auth=VIEWER)
    assert refused.status_code == 403


async def test_delete_last_file_removes_the_package(http, store):
    assert (await http.delete("/api/package/tinyfmt/tinyfmt-0.1.0.tar.gz")).status_code == 200
    assert (await http.delete("/api/package/tinyfmt/tinyfmt-0.1.0-py3-none-any.whl")).status_code == 200
    assert "tinyfmt" not in store.packages and "tinyfmt" not in store.user_grants


async def test_registration_and_password_change(http, store):
    answer = await http.put("/api/user/LordFoobar/", data={"password": "foobar"}, auth=None)
    assert answer.status_code == 200
    assert store.users["LordFoobar"].pending is True
    assert (await http.put("/api/user/LordFoobar/", data={"password": "x"}, auth=None)).status_code == 409
    assert (await http.post("/admin/register/", data={"allow": "false"})).status_code == 200
    closed = await http.put("/api/user/Other/", data={"password": "x"}, auth=None)
    assert closed.status_code == 403 and closed.json() == {"error": "Registration is disabled."}
    wrong = await http.post("/api/user/password", data={"old_password": "nope", "new_password": "n"}, auth=VIEWER)
    assert wrong.status_code == 403
    changed = await http.post("/api/user/password", data={"old_password": "viewer", "new_password": "n3w"}, auth=VIEWER)
    assert changed.status_code == 200 and store.users["viewer"].password == "n3w"


async def test_registration_token(http):
    data = (await http.get("/admin/token/LordFoobar/")).json()
    assert data["token"].startswith("LordFoobar:1522226377:")
    assert data["token_url"].startswith("http://pypi.test/login#/?token=LordFoobar")
    assert (await http.get("/admin/token/viewer/")).status_code == 409


async def test_json_bodies_are_accepted_too(http, store):
    answer = await http.post("/admin/user/alan/admin/", json={"admin": True})
    assert answer.status_code == 200 and store.users["alan"].admin is True
    bad = await http.post("/admin/user/alan/admin/", data={"admin": "maybe"})
    assert bad.status_code == 422 and bad.json() == {"errors": {"admin": ["must be true or false"]}}
    missing = await http.post("/admin/user/alan/admin/")
    assert missing.status_code == 422 and missing.json() == {"errors": {"admin": ["missing field"]}}


async def test_user_detail_permissions_and_group_detail(http):
    assert (await http.get("/admin/user/alan/")).json() == {"username": "alan", "admin": False, "groups": ["acme-devs"]}
    assert (await http.get("/admin/user/viewer/permissions/")).json() == [
        {"package": "acme-sdk", "permissions": ["read"]},
        {"package": "internal-tools", "permissions": ["read", "write"]},
    ]
    group = (await http.get("/admin/group/openlab/")).json()
    assert group["members"] == ["ada", "linus"]
    assert {"package": "lab-secrets", "permissions": ["read"]} in group["packages"]
    assert (await http.get("/admin/user/nobody/")).json() == {"resource": "user", "error": "not found"}


async def test_grants_and_hostile_segments(http, store):
    assert (await http.put("/admin/package/acme-py/user/ada/read")).status_code == 200
    assert store.user_grants["acme-py"]["ada"] == {"read"}
    bad = await http.put("/admin/package/acme-py/user/ada/admin/")
    assert bad.status_code == 422 and bad.json() == {"errors": {"permission": ["must be read or write"]}}
    answer = await http.get(f"/admin/package/{quote(HOSTILE_PACKAGE, safe='')}/")
    assert answer.status_code == 200
    assert answer.json()["group"] == [{"group": "[@click=app.quit]x[/]", "permissions": ["read"]}]


async def test_acl_download(http, store):
    answer = await http.get("/admin/acl.json.gz")
    assert answer.headers["content-type"] == "application/gzip"
    assert json.loads(gzip.decompress(answer.content)) == store.acl()


async def test_faults_apply_to_every_path(http, faults):
    faults.invalid_json = True
    answer = await http.get("/admin/group/")
    with pytest.raises(ValueError):
        json.loads(answer.content)
    assert int(answer.headers["content-length"]) == len(answer.content)
    faults.invalid_json = False
    faults.rate_limit_every = 1
    limited = await http.get("/simple/")
    assert limited.status_code == 429 and limited.headers["retry-after"] == "1"
