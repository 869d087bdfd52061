"""The access matrix's data: packages × users, each cell one user's level on one package.

Sparse on purpose: a package holds only the grants its permissions list names, so 2,000
packages × 500 users cost what the grants cost, not a million cells. Filters and marks are
indices and keys over the same lists; nothing here draws or does I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scarf_tui.domain import Grant, Package
from scarf_tui.tui.common.resource_table import text_matches
from scarf_tui.tui.common.text import safe_str

NONE = "none"  # no grant on the package: what a v2 "remove access" leaves
PENDING = "…"  # the package's permissions have not been read yet
FAILED = "!"  # reading them failed; `errors` holds the sentence

CellKey = tuple[str, str]  # (package uuid, username): survives re-reads and filters


def level_of(grant: Grant) -> str:
    return str(getattr(grant.level, "value", grant.level))


@dataclass(frozen=True, slots=True)
class Change:
    """One cell to set: `before` is what the matrix showed when the user confirmed."""

    package: int
    user: str
    before: str
    after: str


class AccessMatrix:
    """Rows are packages, columns users (the organization's members, then anyone a grant names)."""

    def __init__(self, packages: Sequence[Package], users: Iterable[str]) -> None:
        self.packages = list(packages)
        self.users: list[str] = []
        self._user_index: dict[str, int] = {}
        self.add_users(users)
        self.grants: list[dict[str, str] | None] = [None] * len(self.packages)
        self.errors: dict[int, str] = {}
        self._read: set[int] = set()  # packages answered (grants or an error): the progress count
        self.marks: set[CellKey] = set()
        self.package_filter = ""
        self.user_filter = ""
        self.rows: list[int] = list(range(len(self.packages)))
        self.cols: list[int] = list(range(len(self.users)))
        self._row_of: dict[int, int] | None = None
        self._names = [safe_str(p.name) for p in self.packages]

    # --- reading ----------------------------------------------------------------------------------
    def add_users(self, names: Iterable[str]) -> bool:
        """Append users not yet on the axis (a grant may name someone outside the organization)."""
        added = False
        for name in names:
            if name and name not in self._user_index:
                self._user_index[name] = len(self.users)
                self.users.append(name)
                added = True
        return added

    def set_grants(self, package: int, grants: Sequence[Grant]) -> bool:
        """The server's answer for one package. True when it brought new users (columns)."""
        self.grants[package] = {g.username: level_of(g) for g in grants}
        self.errors.pop(package, None)
        self._read.add(package)
        added = self.add_users(g.username for g in grants)
        if added:
            self._filter_users()
        return added

    def set_error(self, package: int, sentence: str) -> None:
        self.errors[package] = sentence
        self._read.add(package)

    def forget(self, packages: Iterable[int]) -> None:
        """These packages are being read again: show them pending."""
        for package in packages:
            self.grants[package] = None
            self.errors.pop(package, None)
            self._read.discard(package)

    @property
    def read_count(self) -> int:
        return len(self._read)

    def level(self, package: int, user: int) -> str:
        return self.level_by_name(package, self.users[user])

    def level_by_name(self, package: int, user: str) -> str:
        grants = self.grants[package]
        if grants is None:
            return FAILED if package in self.errors else PENDING
        return grants.get(user, NONE)

    def package_name(self, package: int) -> str:
        return self._names[package]

    # --- filters ----------------------------------------------------------------------------------
    def filter_packages(self, text: str) -> None:
        self.package_filter = text
        self.rows = [i for i, name in enumerate(self._names) if text_matches(text, name)]
        self._row_of = None

    def filter_users(self, text: str) -> None:
        self.user_filter = text
        self._filter_users()

    def _filter_users(self) -> None:
        self.cols = [i for i, name in enumerate(self.users) if text_matches(self.user_filter, safe_str(name))]

    def row_of(self, package: int) -> int | None:
        """Where a package shows (None: filtered out)."""
        if self._row_of is None:
            self._row_of = {package: row for row, package in enumerate(self.rows)}
        return self._row_of.get(package)

    # --- marks ------------------------------------------------------------------------------------
    def key(self, package: int, user: int) -> CellKey:
        return (self.packages[package].uuid, self.users[user])

    def is_marked(self, package: int, user: int) -> bool:
        return bool(self.marks) and self.key(package, user) in self.marks

    def toggle_mark(self, package: int, user: int) -> None:
        self.marks ^= {self.key(package, user)}

    def marked_cells(self) -> list[tuple[int, str]]:
        """(package index, username) of every mark, in row then column order."""
        index = {p.uuid: i for i, p in enumerate(self.packages)}
        found = [(index[uuid], user) for uuid, user in self.marks if uuid in index]
        return sorted(found, key=lambda cell: (cell[0], self._user_index.get(cell[1], 0)))

    def changes_to(self, cells: Sequence[tuple[int, str]], level: str) -> list[Change]:
        """The cells that `level` would change (read ones only), before → after."""
        changes = []
        for package, user in cells:
            before = self.level_by_name(package, user)
            if before not in (PENDING, FAILED) and before != level:
                changes.append(Change(package, user, before, level))
        return changes

    def settle_marks(self, changes: Sequence[Change], *, mark_failed: bool = True) -> list[Change]:
        """After a write and its re-read: the changes the server now holds lose their mark, the
        others keep it (`mark_failed`: or get one). Returns the ones not applied."""
        unapplied = []
        for change in changes:
            key = (self.packages[change.package].uuid, change.user)
            if self.level_by_name(change.package, change.user) == change.after:
                self.marks.discard(key)
            else:
                if mark_failed:
                    self.marks.add(key)
                unapplied.append(change)
        return unapplied
