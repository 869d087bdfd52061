"""What the pypicloud screens show: packages, files, users, groups and per-package grants.

Plain frozen dataclasses, no I/O. Names are kept exactly as the server sent them (the UI
renders them as data, never as markup).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Permission(StrEnum):
    READ = "read"
    WRITE = "write"


class PrincipalKind(StrEnum):
    USER = "user"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class PackageSummary:
    """One row of ``GET /api/package/?verbose=true`` (or just a name, from the short form)."""

    name: str
    stable: str | None = None
    unstable: str | None = None
    last_modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class PackageFile:
    """One uploaded file of a package version. ``filename`` is what DELETE needs (taken from
    the answer's ``filename`` when present, else the last segment of its ``url``)."""

    package: str
    version: str
    filename: str
    url: str
    last_modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class PackageVersions:
    """``GET /api/package/<package>/``: every file, newest first, and whether this account
    may write to the package."""

    package: str
    files: tuple[PackageFile, ...]
    can_write: bool

    @property
    def versions(self) -> tuple[str, ...]:
        """Distinct versions in the order of ``files``."""
        return tuple(dict.fromkeys(f.version for f in self.files))


@dataclass(frozen=True, slots=True)
class User:
    username: str
    admin: bool


@dataclass(frozen=True, slots=True)
class UserDetail:
    username: str
    admin: bool
    groups: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PackageGrant:
    """Explicit permissions of one user or group on one package."""

    package: str
    permissions: frozenset[Permission]


@dataclass(frozen=True, slots=True)
class GroupDetail:
    name: str
    members: tuple[str, ...]
    packages: tuple[PackageGrant, ...] = ()


@dataclass(frozen=True, slots=True)
class AccessEntry:
    """One user's or group's grants on a package."""

    kind: PrincipalKind
    name: str
    permissions: frozenset[Permission]

    @property
    def read(self) -> bool:
        return Permission.READ in self.permissions

    @property
    def write(self) -> bool:
        return Permission.WRITE in self.permissions


@dataclass(frozen=True, slots=True)
class PackageAccess:
    """``GET /admin/package/<package>/``: who may read or write the package."""

    package: str
    users: tuple[AccessEntry, ...] = ()
    groups: tuple[AccessEntry, ...] = ()

    def entry(self, kind: PrincipalKind, name: str) -> AccessEntry | None:
        for item in self.users if kind is PrincipalKind.USER else self.groups:
            if item.name == name:
                return item
        return None

    def has(self, kind: PrincipalKind, name: str, permission: Permission) -> bool:
        found = self.entry(kind, name)
        return found is not None and permission in found.permissions


@dataclass(frozen=True, slots=True)
class GrantChange:
    """Grant (``grant=True``) or revoke one permission for one user or group on a package:
    exactly one request (PUT or DELETE /admin/package/<package>/<kind>/<name>/<permission>/)."""

    package: str
    kind: PrincipalKind
    name: str
    permission: Permission
    grant: bool

    def describe(self) -> str:
        verb = "grant" if self.grant else "revoke"
        return f"{verb} {self.permission.value} for {self.kind.value} {self.name!r} on {self.package!r}"


@dataclass(frozen=True, slots=True)
class MembershipChange:
    """Add (``add=True``) a user to a group, or remove them: one PUT or DELETE."""

    username: str
    group: str
    add: bool

    def describe(self) -> str:
        return f"{'add' if self.add else 'remove'} {self.username!r} {'to' if self.add else 'from'} {self.group!r}"


@dataclass(frozen=True, slots=True)
class FailedChange:
    change: GrantChange | MembershipChange
    message: str


@dataclass(frozen=True, slots=True)
class BulkResult:
    """The outcome of several one-request changes: what the server accepted and what failed
    (with its sentence). Only ``failed`` changes are still unapplied."""

    applied: tuple[GrantChange | MembershipChange, ...] = ()
    failed: tuple[FailedChange, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def unapplied(self) -> tuple[GrantChange | MembershipChange, ...]:
        return tuple(f.change for f in self.failed)

    def summary(self) -> str:
        """One sentence for the status line."""
        done = len(self.applied)
        if not self.failed:
            return f"pypicloud: {done} change{'s' if done != 1 else ''} applied."
        first = self.failed[0]
        reason = first.message.removeprefix("pypicloud: ")
        more = f" (and {len(self.failed) - 1} more)" if len(self.failed) > 1 else ""
        return (
            f"pypicloud: {done} of {done + len(self.failed)} changes applied; "
            f"could not {first.change.describe()}{more}: {reason}"
        )


@dataclass(frozen=True, slots=True)
class Acl:
    """The whole access-control list from ``/admin/acl.json.gz``, as the server sent it
    (it can hold password hashes: write it only to files readable by the user alone)."""

    data: dict = field(repr=False)

    def __repr__(self) -> str:
        return f"Acl(keys={sorted(self.data)!r})"


__all__ = [
    "AccessEntry",
    "Acl",
    "BulkResult",
    "FailedChange",
    "GrantChange",
    "GroupDetail",
    "MembershipChange",
    "PackageAccess",
    "PackageFile",
    "PackageGrant",
    "PackageSummary",
    "PackageVersions",
    "Permission",
    "PrincipalKind",
    "User",
    "UserDetail",
]
