"""pypicloud's JSON answers (as the pypicloud API reference shows them) -> models.

Each parser takes the decoded JSON and returns models, or raises ShapeProblem with a short
description of what was wrong; the service turns that into one sentence naming the request.
Unknown keys are ignored; names are kept exactly as sent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from scarf_tui.sources.pypicloud.models import (
    AccessEntry,
    GroupDetail,
    PackageAccess,
    PackageFile,
    PackageGrant,
    PackageSummary,
    PackageVersions,
    Permission,
    PrincipalKind,
    User,
    UserDetail,
)


class ShapeProblem(ValueError):
    """The JSON is not the documented shape; str() says where."""


def _obj(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ShapeProblem(f"{where} is not an object")
    return value


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise ShapeProblem(f"{where} is not a list")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ShapeProblem(f"{where} is not a string")
    return value


def _opt_str(value: Any, where: str) -> str | None:
    return None if value is None else _str(value, where)


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ShapeProblem(f"{where} is not true or false")
    return value


def _timestamp(value: Any, where: str) -> datetime | None:
    """pypicloud's ``last_modified``: seconds since the epoch (int or float)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ShapeProblem(f"{where} is not a number of seconds")
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ShapeProblem(f"{where} is out of range") from None


def _permissions(value: Any, where: str) -> frozenset[Permission]:
    found = set()
    for item in _list(value, where):
        text = _str(item, f"an item of {where}")
        try:
            found.add(Permission(text))
        except ValueError:
            # A permission this client does not know (a future "admin"?) is not ours to show.
            continue
    return frozenset(found)


def package_names(data: Any) -> list[str]:
    packages = _list(_obj(data, "the answer").get("packages"), "'packages'")
    return [_str(p, "a package name") for p in packages]


def package_summaries(data: Any) -> list[PackageSummary]:
    packages = _list(_obj(data, "the answer").get("packages"), "'packages'")
    result = []
    for item in packages:
        if isinstance(item, str):  # the short form, from a server that ignored verbose=true
            result.append(PackageSummary(item))
            continue
        row = _obj(item, "a package")
        result.append(
            PackageSummary(
                name=_str(row.get("name"), "a package's 'name'"),
                stable=_opt_str(row.get("stable"), "'stable'"),
                unstable=_opt_str(row.get("unstable"), "'unstable'"),
                last_modified=_timestamp(row.get("last_modified"), "'last_modified'"),
            )
        )
    return result


def filename_from_url(url: str) -> str:
    """The file name a pypicloud download URL ends with (query and fragment dropped)."""
    path = urlsplit(url).path
    return unquote(path.rstrip("/").rsplit("/", 1)[-1])


def package_versions(package: str, data: Any) -> PackageVersions:
    body = _obj(data, "the answer")
    files = []
    for item in _list(body.get("packages"), "'packages'"):
        row = _obj(item, "a file")
        url = _str(row.get("url", ""), "a file's 'url'")
        filename = row.get("filename")
        name = _str(filename, "a file's 'filename'") if filename is not None else filename_from_url(url)
        if not name:
            raise ShapeProblem("a file has neither 'filename' nor a 'url' ending in a file name")
        files.append(
            PackageFile(
                package=_str(row.get("name", package), "a file's 'name'"),
                version=_str(row.get("version"), "a file's 'version'"),
                filename=name,
                url=url,
                last_modified=_timestamp(row.get("last_modified"), "a file's 'last_modified'"),
            )
        )
    files.sort(key=lambda f: f.last_modified or datetime.min.replace(tzinfo=UTC), reverse=True)
    write = body.get("write", False)
    return PackageVersions(package, tuple(files), _bool(write, "'write'"))


def users(data: Any) -> list[User]:
    result = []
    for item in _list(data, "the answer"):
        row = _obj(item, "a user")
        result.append(User(_str(row.get("username"), "a user's 'username'"), _bool(row.get("admin", False), "'admin'")))
    return result


def user_detail(data: Any) -> UserDetail:
    row = _obj(data, "the answer")
    groups = tuple(_str(g, "a group name") for g in _list(row.get("groups", []), "'groups'"))
    return UserDetail(
        _str(row.get("username"), "'username'"),
        _bool(row.get("admin", False), "'admin'"),
        groups,
    )


def names(data: Any, what: str) -> list[str]:
    """A bare JSON list of names (pending users, groups)."""
    return [_str(n, f"a {what}") for n in _list(data, "the answer")]


def package_grants(data: Any) -> list[PackageGrant]:
    result = []
    for item in _list(data, "the package list"):
        row = _obj(item, "a package grant")
        result.append(
            PackageGrant(
                _str(row.get("package"), "a grant's 'package'"),
                _permissions(row.get("permissions", []), "'permissions'"),
            )
        )
    return result


def group_detail(name: str, data: Any) -> GroupDetail:
    row = _obj(data, "the answer")
    members = tuple(_str(m, "a member name") for m in _list(row.get("members", []), "'members'"))
    return GroupDetail(name, members, tuple(package_grants(row.get("packages", []))))


def package_access(package: str, data: Any) -> PackageAccess:
    row = _obj(data, "the answer")
    user_rows = []
    for item in _list(row.get("user", []), "'user'"):
        entry = _obj(item, "a user grant")
        user_rows.append(
            AccessEntry(
                PrincipalKind.USER,
                _str(entry.get("username"), "a user grant's 'username'"),
                _permissions(entry.get("permissions", []), "'permissions'"),
            )
        )
    group_rows = []
    for item in _list(row.get("group", []), "'group'"):
        entry = _obj(item, "a group grant")
        group_rows.append(
            AccessEntry(
                PrincipalKind.GROUP,
                _str(entry.get("group"), "a group grant's 'group'"),
                _permissions(entry.get("permissions", []), "'permissions'"),
            )
        )
    return PackageAccess(package, tuple(user_rows), tuple(group_rows))


__all__ = [
    "ShapeProblem",
    "filename_from_url",
    "group_detail",
    "names",
    "package_access",
    "package_grants",
    "package_names",
    "package_summaries",
    "package_versions",
    "user_detail",
    "users",
]
