"""The embedded pypicloud server's in-memory state and its access rules.

Tests read this store directly to check what the server holds after a client's write.

Rules (kept simple and consistent):
- Every request but registration needs HTTP Basic auth of an approved user (else 401).
- /admin/ needs an admin (else 403).
- A package is readable by admins and by users who hold read or write on it, themselves or
  through a group; writable by admins and holders of write. Unreadable packages are 404.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from scarf_tui.demo import PYPICLOUD_ADMIN, PYPICLOUD_ADMIN_PASSWORD
from scarf_tui.demo.data import HOSTILE_BOLD, HOSTILE_MARKUP, HOSTILE_RTL, HOSTILE_WIDE

# Public demo credentials (not secrets): the admin (scarf_tui.demo) and a plain user.
PYPICLOUD_USER = "viewer"
PYPICLOUD_USER_PASSWORD = "viewer"
PERMISSIONS = ("read", "write")
BASE_TIME = 1_700_000_000  # every last_modified is BASE_TIME + a fixed offset

HOSTILE_USER = HOSTILE_BOLD
HOSTILE_GROUP = HOSTILE_MARKUP
HOSTILE_PACKAGE = f"{HOSTILE_MARKUP}-{HOSTILE_WIDE}{HOSTILE_RTL}"


def password_hash(username: str, password: str) -> str:
    """What the ACL export shows instead of a password (never the password itself)."""
    return "$demo-sha256$" + hashlib.sha256(f"{username}\x00{password}".encode()).hexdigest()


@dataclass(slots=True)
class PUser:
    username: str
    password: str
    admin: bool = False
    pending: bool = False


@dataclass(slots=True)
class PFile:
    filename: str
    version: str
    last_modified: int
    content: bytes = b""


@dataclass
class PypicloudStore:
    users: dict[str, PUser] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)  # group -> members, in order added
    packages: dict[str, list[PFile]] = field(default_factory=dict)
    user_grants: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # package -> user -> perms
    group_grants: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # package -> group -> perms
    allow_register: bool = True
    rebuilds: int = 0
    clock: int = BASE_TIME + 10_000_000  # "now" for uploads; advances one second per upload

    # --- identity -------------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> PUser | None:
        user = self.users.get(username)
        if user is None or user.pending or user.password != password:
            return None
        return user

    def groups_of(self, username: str) -> list[str]:
        return [g for g, members in self.groups.items() if username in members]

    def pending(self) -> list[str]:
        return [u.username for u in self.users.values() if u.pending]

    # --- packages ------------------------------------------------------------------------------

    def permissions(self, package: str, user: PUser) -> set[str]:
        if user.admin:
            return set(PERMISSIONS)
        perms = set(self.user_grants.get(package, {}).get(user.username, set()))
        for group in self.groups_of(user.username):
            perms |= self.group_grants.get(package, {}).get(group, set())
        if "write" in perms:
            perms.add("read")
        return perms

    def can_read(self, package: str, user: PUser) -> bool:
        return package in self.packages and "read" in self.permissions(package, user)

    def can_write(self, package: str, user: PUser) -> bool:
        return package in self.packages and "write" in self.permissions(package, user)

    def add_file(
        self, package: str, version: str, filename: str, content: bytes = b"", when: int | None = None
    ) -> PFile:
        if when is None:
            self.clock += 1
            when = self.clock
        item = PFile(filename, version, when, content)
        files = self.packages.setdefault(package, [])
        files[:] = [f for f in files if f.filename != filename]
        files.append(item)
        self.user_grants.setdefault(package, {})
        self.group_grants.setdefault(package, {})
        return item

    def delete_file(self, package: str, filename: str) -> bool:
        files = self.packages.get(package, [])
        kept = [f for f in files if f.filename != filename]
        if len(kept) == len(files):
            return False
        if kept:
            self.packages[package] = kept
        else:  # the last file gone: the package is gone too, with its grants
            del self.packages[package]
            self.user_grants.pop(package, None)
            self.group_grants.pop(package, None)
        return True

    # --- users and groups ------------------------------------------------------------------------

    def delete_user(self, username: str) -> None:
        del self.users[username]
        for members in self.groups.values():
            if username in members:
                members.remove(username)
        for grants in self.user_grants.values():
            grants.pop(username, None)

    def delete_group(self, group: str) -> None:
        del self.groups[group]
        for grants in self.group_grants.values():
            grants.pop(group, None)

    def grants_for(self, table: dict[str, dict[str, set[str]]], name: str) -> list[dict]:
        return [
            {"package": package, "permissions": sorted(by_name[name])}
            for package, by_name in sorted(table.items())
            if by_name.get(name)
        ]

    def acl(self) -> dict:
        """The access-control list in the shape of pypicloud's export: password hashes only."""
        return {
            "allow_register": self.allow_register,
            "users": {u.username: password_hash(u.username, u.password) for u in self.users.values() if not u.pending},
            "admins": [u.username for u in self.users.values() if u.admin and not u.pending],
            "pending_users": {
                u.username: password_hash(u.username, u.password) for u in self.users.values() if u.pending
            },
            "groups": {g: list(members) for g, members in self.groups.items()},
            "packages": {
                package: {
                    "users": {n: sorted(p) for n, p in self.user_grants.get(package, {}).items() if p},
                    "groups": {n: sorted(p) for n, p in self.group_grants.get(package, {}).items() if p},
                }
                for package in sorted(self.packages)
            },
        }


# --- the deterministic dataset ----------------------------------------------------------------------

USERS = (
    (PYPICLOUD_ADMIN, PYPICLOUD_ADMIN_PASSWORD, True, False),
    ("grace", "grace-pass", True, False),
    (PYPICLOUD_USER, PYPICLOUD_USER_PASSWORD, False, False),
    ("alan", "alan-pass", False, False),
    ("ada", "ada-pass", False, False),
    ("linus", "linus-pass", False, False),
    ("newcomer", "newcomer-pass", False, True),
    ("Wat", "wat-pass", False, True),
)

GROUPS = {
    "acme-devs": [PYPICLOUD_ADMIN, "grace", "alan"],
    "openlab": ["ada", "linus"],
    "readers": [PYPICLOUD_USER, "ada"],
    "release-bots": [],
}

# package -> [(version, days after BASE_TIME)]; each version has an sdist and a wheel.
# The first six names are the demo's Scarf python/pypi packages; the rest are private.
PACKAGES: dict[str, list[tuple[str, int]]] = {
    "acme-sdk": [("1.0.0", 10), ("1.1.0", 40), ("1.2.0", 90), ("2.0.0rc1", 120)],
    "acme-py": [("0.3.0", 15), ("0.4.0", 75)],
    "labkit": [("0.9.0", 5), ("1.0.0", 60), ("1.0.1", 61)],
    "tinyfmt": [("0.1.0", 30)],
    "widget": [("3.1.0", 20), ("3.2.0", 100)],
    "grace-lib": [("0.5.0", 50)],
    "internal-tools": [("2024.1", 12), ("2024.6", 160)],
    "lab-secrets": [("0.0.1", 33)],
}

USER_GRANTS: dict[str, dict[str, set[str]]] = {
    "acme-sdk": {"grace": {"read", "write"}, PYPICLOUD_USER: {"read"}},
    "labkit": {"ada": {"read", "write"}},
    "internal-tools": {"alan": {"read"}, PYPICLOUD_USER: {"read", "write"}},
    "grace-lib": {"grace": {"read", "write"}},
}

GROUP_GRANTS: dict[str, dict[str, set[str]]] = {
    "acme-sdk": {"acme-devs": {"read", "write"}, "readers": {"read"}},
    "acme-py": {"acme-devs": {"read", "write"}},
    "labkit": {"openlab": {"read", "write"}, "readers": {"read"}},
    "widget": {"readers": {"read"}},
    "lab-secrets": {"openlab": {"read"}},
}


def _files_of(package: str, version: str) -> list[str]:
    stem = package.replace("-", "_")
    return [f"{package}-{version}.tar.gz", f"{stem}-{version}-py3-none-any.whl"]


def build_pypicloud_store(*, hostile: bool = False) -> PypicloudStore:
    """A fresh store with the deterministic demo dataset."""
    store = PypicloudStore()
    for username, password, admin, pending in USERS:
        store.users[username] = PUser(username, password, admin, pending)
    store.groups = {g: list(m) for g, m in GROUPS.items()}
    for package, versions in PACKAGES.items():
        for version, days in versions:
            for i, filename in enumerate(_files_of(package, version)):
                content = f"{filename}\n".encode()
                store.add_file(package, version, filename, content, when=BASE_TIME + days * 86_400 + i * 60)
    for package, grants in USER_GRANTS.items():
        store.user_grants[package].update({u: set(p) for u, p in grants.items()})
    for package, grants in GROUP_GRANTS.items():
        store.group_grants[package].update({g: set(p) for g, p in grants.items()})
    if hostile:
        store.users[HOSTILE_USER] = PUser(HOSTILE_USER, "hostile-pass")
        store.groups[HOSTILE_GROUP] = [HOSTILE_USER, PYPICLOUD_USER]
        store.add_file(HOSTILE_PACKAGE, "1.0", "hostile-1.0.tar.gz", b"x", when=BASE_TIME + 86_400)
        store.user_grants[HOSTILE_PACKAGE][HOSTILE_USER] = {"read", "write"}
        store.group_grants[HOSTILE_PACKAGE][HOSTILE_GROUP] = {"read"}
    return store
