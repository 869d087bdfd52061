"""The service reads answers shaped exactly like the pypicloud API reference's samples, and the
variants an independent server may send (a file name field, float times, the short package list)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from scarf_tui.sources.pypicloud import Permission, PrincipalKind, make_pypicloud_service

ANSWERS = {
    "/api/package/": {"packages": ["flywheel", "pypicloud", "pyramid"]},
    "/api/package/flywheel/": {
        "packages": [
            {"name": "flywheel", "last_modified": 1389945600, "version": "0.1.0",
             "url": "https://pypi.s3.amazonaws.com/34c2/flywheel-0.1.0.tar.gz?Signature=%2FSJid&Expires=1390262542"},
            {"name": "flywheel", "last_modified": 1390207478.5, "version": "0.1.0-21-g4a739b0",
             "url": "https://pypi.s3.amazonaws.com/81f2/flywheel-0.1.0-21-g4a739b0.tar.gz?Signature=x",
             "filename": "flywheel-0.1.0-21-g4a739b0.tar.gz"},
        ],
        "write": True,
    },
    "/admin/user/LordFoobar/": {"username": "LordFoobar", "admin": True, "groups": ["cool_people", "group2"]},
    "/admin/user/LordFoobar/permissions/": [
        {"package": "flywheel", "permissions": ["read", "write"]},
        {"package": "pypicloud", "permissions": ["read"]},
    ],
    "/admin/group/cool_people/": {
        "members": ["LordFoobar", "stevearc"],
        "packages": [{"package": "flywheel", "permissions": ["read", "write"]}],
    },
    "/admin/package/flywheel/": {
        "user": [{"username": "LordFoobar", "permissions": ["read", "write"]},
                 {"username": "stevearc", "permissions": ["read"]}],
        "group": [{"group": "marginally_cool_people", "permissions": ["read"]},
                  {"group": "cool_people", "permissions": ["read", "write", "admin"]}],
    },
    "/admin/pending_users/": ["LordFoobar", "TotallyNotAHacker", "Wat"],
}


def _app() -> Starlette:
    async def answer(request):
        return JSONResponse(ANSWERS[request.url.path])

    return Starlette(routes=[Route(path, answer) for path in ANSWERS])


async def test_reference_shapes():
    svc = make_pypicloud_service("https://pypi.invalid", "LordFoobar", "foobar-9Qx-77",
                                 transport=httpx.ASGITransport(app=_app()))
    try:
        summaries = await svc.list_packages()  # a server that ignores verbose=true
        assert [s.name for s in summaries] == ["flywheel", "pypicloud", "pyramid"] and summaries[0].stable is None
        versions = await svc.package_versions("flywheel")
        assert [f.filename for f in versions.files] == ["flywheel-0.1.0-21-g4a739b0.tar.gz", "flywheel-0.1.0.tar.gz"]
        assert versions.files[1].last_modified == datetime(2014, 1, 17, 8, 0, tzinfo=UTC)
        user = await svc.get_user("LordFoobar")
        assert user.groups == ("cool_people", "group2")
        grants = await svc.user_permissions("LordFoobar")
        assert grants[1].permissions == frozenset({Permission.READ})
        group = await svc.get_group("cool_people")
        assert group.members == ("LordFoobar", "stevearc")
        access = await svc.package_access("flywheel")
        assert access.has(PrincipalKind.GROUP, "cool_people", Permission.WRITE)
        assert access.entry(PrincipalKind.GROUP, "cool_people").permissions == {Permission.READ, Permission.WRITE}
        assert await svc.pending_users() == ["LordFoobar", "TotallyNotAHacker", "Wat"]
    finally:
        await svc.aclose()
