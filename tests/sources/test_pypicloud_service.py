"""PypicloudService against the embedded pypicloud server: every endpoint, writes re-read from
what the server holds, bulk grants with partial failure, hostile names, the paths on the wire."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scarf_tui.demo.pypicloud import PYPICLOUD_USER, PYPICLOUD_USER_PASSWORD
from scarf_tui.demo.pypicloud.store import HOSTILE_GROUP, HOSTILE_PACKAGE, HOSTILE_USER, password_hash
from scarf_tui.sources.errors import SourceForbidden, SourceNotFound, SourceValidationFailed
from scarf_tui.sources.pypicloud import (
    GrantChange,
    MembershipChange,
    PackageGrant,
    Permission,
    PrincipalKind,
    User,
)

R, W = Permission.READ, Permission.WRITE
USER, GROUP = PrincipalKind.USER, PrincipalKind.GROUP


# --- packages ------------------------------------------------------------------------------------


async def test_list_packages_verbose(pypi, pypi_store):
    packages = await pypi.list_packages()
    assert [p.name for p in packages] == sorted(pypi_store.packages)
    sdk = next(p for p in packages if p.name == "acme-sdk")
    assert (sdk.stable, sdk.unstable) == ("1.2.0", "2.0.0rc1")
    newest = max(f.last_modified for f in pypi_store.packages["acme-sdk"])
    assert sdk.last_modified == datetime.fromtimestamp(newest, tz=UTC)


async def test_package_names_short_form(pypi, pypi_store):
    assert await pypi.package_names() == sorted(pypi_store.packages)


async def test_package_versions_and_write_flag(pypi, pypi_as):
    versions = await pypi.package_versions("acme-sdk")
    assert versions.versions == ("2.0.0rc1", "1.2.0", "1.1.0", "1.0.0")
    assert "acme-sdk-1.0.0.tar.gz" in [f.filename for f in versions.files]
    assert versions.can_write is True
    viewer = pypi_as(PYPICLOUD_USER, PYPICLOUD_USER_PASSWORD)
    assert (await viewer.package_versions("acme-sdk")).can_write is False
    assert (await viewer.package_versions("internal-tools")).can_write is True


async def test_viewer_sees_only_readable_packages(pypi_as):
    viewer = pypi_as(PYPICLOUD_USER, PYPICLOUD_USER_PASSWORD)
    names = await viewer.package_names()
    assert names == sorted(["acme-sdk", "internal-tools", "labkit", "widget", HOSTILE_PACKAGE])


async def test_delete_file_then_reread(pypi, pypi_store):
    await pypi.package_versions("acme-sdk")  # cached before the write
    await pypi.delete_file("acme-sdk", "acme-sdk-1.0.0.tar.gz")
    assert "acme-sdk-1.0.0.tar.gz" not in [f.filename for f in pypi_store.packages["acme-sdk"]]
    after = await pypi.package_versions("acme-sdk")
    assert "acme-sdk-1.0.0.tar.gz" not in [f.filename for f in after.files]
    assert "acme_sdk-1.0.0-py3-none-any.whl" in [f.filename for f in after.files]


async def test_delete_file_without_write_is_refused(pypi_as, pypi_store):
    viewer = pypi_as(PYPICLOUD_USER, PYPICLOUD_USER_PASSWORD)
    with pytest.raises(SourceForbidden) as caught:
        await viewer.delete_file("acme-sdk", "acme-sdk-1.0.0.tar.gz")
    assert str(caught.value) == (
        "pypicloud: 'viewer' may not change file 'acme-sdk-1.0.0.tar.gz' (403): "
        "You may not delete files of this package."
    )
    assert "acme-sdk-1.0.0.tar.gz" in [f.filename for f in pypi_store.packages["acme-sdk"]]


async def test_delete_unknown_file(pypi):
    with pytest.raises(SourceNotFound) as caught:
        await pypi.delete_file("acme-sdk", "nope-9.tar.gz")
    assert str(caught.value) == "pypicloud: file 'nope-9.tar.gz' was not found (404)."


async def test_unknown_package(pypi):
    with pytest.raises(SourceNotFound) as caught:
        await pypi.package_versions("no-such-package")
    assert str(caught.value) == "pypicloud: package 'no-such-package' was not found (404)."


# --- users -----------------------------------------------------------------------------------------


async def test_users_and_details(pypi):
    users = await pypi.list_users()
    assert User("maintainer", True) in users and User("viewer", False) in users
    assert "newcomer" not in [u.username for u in users]
    detail = await pypi.get_user("alan")
    assert detail.groups == ("acme-devs",) and detail.admin is False
    grants = await pypi.user_permissions("grace")
    assert grants == [
        PackageGrant("acme-sdk", frozenset({R, W})),
        PackageGrant("grace-lib", frozenset({R, W})),
    ]


async def test_approve_pending_user(pypi, pypi_store):
    assert await pypi.pending_users() == ["newcomer", "Wat"]
    await pypi.approve_user("Wat")
    assert pypi_store.users["Wat"].pending is False
    assert await pypi.pending_users() == ["newcomer"]
    assert "Wat" in [u.username for u in await pypi.list_users()]


async def test_make_and_unmake_admin(pypi, pypi_store):
    await pypi.set_admin("alan", True)
    assert pypi_store.users["alan"].admin is True
    assert (await pypi.get_user("alan")).admin is True
    await pypi.set_admin("alan", False)
    assert pypi_store.users["alan"].admin is False


async def test_cannot_unmake_yourself(pypi):
    with pytest.raises(SourceValidationFailed) as caught:
        await pypi.set_admin("maintainer", False)
    assert str(caught.value) == (
        "pypicloud: the server refused POST for user 'maintainer' (400): You cannot remove your own admin rights."
    )


async def test_create_and_delete_user(pypi, pypi_store):
    await pypi.create_user("newbie", "s3cret-Qz81")
    assert pypi_store.users["newbie"].password == "s3cret-Qz81"
    assert "newbie" in [u.username for u in await pypi.list_users()]
    await pypi.delete_user("newbie")
    assert "newbie" not in pypi_store.users
    assert "newbie" not in [u.username for u in await pypi.list_users()]


async def test_create_user_without_password_names_the_field(pypi):
    with pytest.raises(SourceValidationFailed) as caught:
        await pypi.create_user("newbie", "")
    assert str(caught.value) == (
        "pypicloud: the server refused PUT for user 'newbie' (422): password: must not be empty."
    )
    assert caught.value.field_errors == {"password": ["must not be empty"]}


async def test_group_membership_add_and_remove(pypi, pypi_store):
    await pypi.get_user("linus")
    await pypi.add_to_group("linus", "readers")
    assert "linus" in pypi_store.groups["readers"]
    assert "readers" in (await pypi.get_user("linus")).groups
    await pypi.remove_from_group("linus", "openlab")
    assert "linus" not in pypi_store.groups["openlab"]
    assert (await pypi.get_user("linus")).groups == ("readers",)


async def test_bulk_memberships_keep_only_failures(pypi, pypi_store):
    changes = [
        MembershipChange("ada", "acme-devs", add=True),
        MembershipChange("ada", "no-such-group", add=True),
        MembershipChange("alan", "acme-devs", add=False),
    ]
    result = await pypi.apply_memberships(changes)
    assert result.applied == (changes[0], changes[2])
    assert result.unapplied == (changes[1],)
    assert pypi_store.groups["acme-devs"] == ["maintainer", "grace", "ada"]
    assert result.summary() == (
        "pypicloud: 2 of 3 changes applied; could not add 'ada' to 'no-such-group': "
        "user 'ada' or group 'no-such-group' was not found (404)."
    )


async def test_registration_switch_and_rebuild(pypi, pypi_store):
    await pypi.set_registration(False)
    assert pypi_store.allow_register is False
    await pypi.set_registration(True)
    assert pypi_store.allow_register is True
    await pypi.rebuild()
    assert pypi_store.rebuilds == 1


# --- groups ----------------------------------------------------------------------------------------


async def test_groups_create_members_delete(pypi, pypi_store):
    assert await pypi.list_groups() == ["acme-devs", "openlab", "readers", "release-bots", HOSTILE_GROUP]
    await pypi.create_group("qa team")
    assert pypi_store.groups["qa team"] == []
    assert "qa team" in await pypi.list_groups()
    await pypi.add_to_group("viewer", "qa team")
    detail = await pypi.get_group("qa team")
    assert detail.members == ("viewer",) and detail.packages == ()
    await pypi.delete_group("qa team")
    assert "qa team" not in pypi_store.groups
    assert "qa team" not in await pypi.list_groups()


async def test_group_detail_lists_packages(pypi):
    detail = await pypi.get_group("readers")
    assert detail.members == ("viewer", "ada")
    assert PackageGrant("labkit", frozenset({R})) in detail.packages


async def test_duplicate_group_is_one_sentence(pypi):
    with pytest.raises(SourceValidationFailed) as caught:
        await pypi.create_group("readers")
    assert str(caught.value) == "pypicloud: the server refused PUT for group 'readers' (409): Group already exists."


# --- package access ----------------------------------------------------------------------------------


async def test_package_access(pypi):
    access = await pypi.package_access("acme-sdk")
    assert access.has(USER, "grace", W) and access.has(USER, "viewer", R)
    assert not access.has(USER, "viewer", W)
    assert access.has(GROUP, "acme-devs", W) and access.has(GROUP, "readers", R)


async def test_bulk_grants_report_partial_failure(pypi, pypi_store):
    before = await pypi.package_access("labkit")
    assert not before.has(USER, "alan", R)
    changes = [
        GrantChange("labkit", USER, "alan", R, grant=True),
        GrantChange("labkit", USER, "ghost", W, grant=True),
        GrantChange("labkit", GROUP, "readers", R, grant=False),
        GrantChange("labkit", GROUP, "release-bots", W, grant=True),
    ]
    result = await pypi.apply_grant_changes(changes)
    assert result.applied == (changes[0], changes[2], changes[3])
    assert result.unapplied == (changes[1],)
    assert [f.message for f in result.failed] == [
        "pypicloud: user 'ghost' or package 'labkit' was not found (404)."
    ]
    assert pypi_store.user_grants["labkit"]["alan"] == {"read"}
    assert "readers" not in pypi_store.group_grants["labkit"]
    assert pypi_store.group_grants["labkit"]["release-bots"] == {"write"}
    after = await pypi.package_access("labkit")  # the re-read comes from the server
    assert after.has(USER, "alan", R) and not after.has(GROUP, "readers", R)
    assert after.has(GROUP, "release-bots", W)


async def test_one_request_per_grant_in_the_documented_form(pypi, pypi_transport):
    changes = [
        GrantChange("acme-sdk", USER, "alan", R, grant=True),
        GrantChange("acme-sdk", GROUP, "readers", R, grant=False),
    ]
    pypi_transport.sent.clear()
    await pypi.apply_grant_changes(changes)
    assert pypi_transport.sent == [
        ("PUT", "/admin/package/acme-sdk/user/alan/read/"),
        ("DELETE", "/admin/package/acme-sdk/group/readers/read/"),
    ]


async def test_paths_on_the_wire(pypi, pypi_transport):
    pypi_transport.sent.clear()
    await pypi.list_packages()
    await pypi.package_versions("acme-sdk")
    await pypi.list_users()
    await pypi.get_user("alan")
    await pypi.user_permissions("alan")
    await pypi.pending_users()
    await pypi.list_groups()
    await pypi.get_group("readers")
    await pypi.package_access("acme-sdk")
    await pypi.approve_user("newcomer")
    await pypi.set_admin("alan", True)
    await pypi.add_to_group("alan", "readers")
    await pypi.remove_from_group("alan", "readers")
    await pypi.create_group("g1")
    await pypi.delete_group("g1")
    await pypi.delete_file("widget", "widget-3.1.0.tar.gz")
    await pypi.download_acl()
    await pypi.set_registration(True)
    await pypi.rebuild()
    assert pypi_transport.sent == [
        ("GET", "/api/package/?verbose=true"),
        ("GET", "/api/package/acme-sdk/"),
        ("GET", "/admin/user/"),
        ("GET", "/admin/user/alan/"),
        ("GET", "/admin/user/alan/permissions/"),
        ("GET", "/admin/pending_users/"),
        ("GET", "/admin/group/"),
        ("GET", "/admin/group/readers/"),
        ("GET", "/admin/package/acme-sdk/"),
        ("POST", "/admin/user/newcomer/approve/"),
        ("POST", "/admin/user/alan/admin/"),
        ("PUT", "/admin/user/alan/group/readers/"),
        ("DELETE", "/admin/user/alan/group/readers/"),
        ("PUT", "/admin/group/g1/"),
        ("DELETE", "/admin/group/g1/"),
        ("DELETE", "/api/package/widget/widget-3.1.0.tar.gz"),
        ("GET", "/admin/acl.json.gz"),
        ("POST", "/admin/register/"),
        ("GET", "/admin/rebuild/"),
    ]


async def test_gets_are_cached_until_a_write(pypi, pypi_transport):
    await pypi.list_groups()
    await pypi.list_groups()
    assert pypi_transport.sent.count(("GET", "/admin/group/")) == 1
    await pypi.create_group("g2")
    await pypi.list_groups()
    assert pypi_transport.sent.count(("GET", "/admin/group/")) == 2


# --- hostile names -----------------------------------------------------------------------------------


async def test_hostile_names_stay_literal(pypi, pypi_store, pypi_transport):
    detail = await pypi.get_user(HOSTILE_USER)
    assert detail.username == "[bold red]boom[/]"
    assert detail.groups == ("[@click=app.quit]x[/]",)
    group = await pypi.get_group(HOSTILE_GROUP)
    assert group.members == (HOSTILE_USER, "viewer")
    access = await pypi.package_access(HOSTILE_PACKAGE)
    assert access.has(USER, HOSTILE_USER, W)
    await pypi.apply_grant_changes([GrantChange(HOSTILE_PACKAGE, GROUP, HOSTILE_GROUP, W, grant=True)])
    assert pypi_store.group_grants[HOSTILE_PACKAGE][HOSTILE_GROUP] == {"read", "write"}
    # "/" inside a name travels as %2F: one path segment, not two.
    assert ("PUT", "/admin/package/%5B%40click%3Dapp.quit%5Dx%5B%2F%5D-%E6%BC%A2%E5%AD%97%D7%A9%D7%9C%D7%95%D7%9D"
            "/group/%5B%40click%3Dapp.quit%5Dx%5B%2F%5D/write/") in pypi_transport.sent
    await pypi.remove_from_group(HOSTILE_USER, HOSTILE_GROUP)
    assert pypi_store.groups[HOSTILE_GROUP] == ["viewer"]


# --- ACL ---------------------------------------------------------------------------------------------------


async def test_acl_matches_the_server_and_holds_no_password(pypi, pypi_store):
    acl = await pypi.download_acl()
    assert acl.data == pypi_store.acl()
    assert acl.data["users"]["viewer"] == password_hash("viewer", "viewer")
    text = str(acl.data)
    for user in pypi_store.users.values():
        assert user.password not in acl.data["users"].values()
        if len(user.password) >= 8:
            assert user.password not in text
    assert "users" in repr(acl) and "$demo-sha256$" not in repr(acl)
