"""Reads served from the last-known lists (scarf_tui.cache), with their age.

    saved = SavedLists(ListCache(...))
    hit = saved.packages(org=None)        # SavedPackages(packages, age "3 h ago") or None
    saved.remember_packages(None, fresh)  # after a successful fetch

Light on purpose (no HTTP, no wire models): start-up paints these before anything else loads.
The service --offline browses with lives in scarf_tui.api.offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scarf_tui.cache import ListCache, record_from_json, record_to_json
from scarf_tui.domain import Organization, Package


@dataclass(frozen=True)
class SavedPackages:
    packages: list[Package]
    age: str  # "3 h ago"
    saved_at: float


@dataclass(frozen=True)
class SavedOrganization:
    """One row of the organizations table as last seen."""

    name: str
    source: str  # "config" or "packages"
    count: int
    org: Organization | None
    problem: str | None


@dataclass(frozen=True)
class SavedOrganizations:
    rows: list[SavedOrganization]
    age: str
    saved_at: float


def _packages_key(org: str | None) -> str:
    return "packages" if org is None else f"org-packages/{org}"


class SavedLists:
    """The lists screens paint before (or, offline, instead of) asking the server."""

    def __init__(self, cache: ListCache, *, offline: bool = False) -> None:
        self.cache = cache
        self.offline = offline

    @property
    def notice(self) -> str | None:
        """Why the saved file was ignored or could not be written; None when all is well."""
        return self.cache.notice

    def packages(self, org: str | None = None, *, now: float | None = None) -> SavedPackages | None:
        saved = self.cache.get(_packages_key(org))
        if saved is None:
            return None
        found = [p for p in (record_from_json(Package, item) for item in saved.items) if isinstance(p, Package)]
        return SavedPackages(found, saved.age_text(now), saved.saved_at)

    def remember_packages(self, org: str | None, packages: Sequence[Package]) -> None:
        self.cache.put(_packages_key(org), [record_to_json(p) for p in packages])

    def organizations(self, *, now: float | None = None) -> SavedOrganizations | None:
        saved = self.cache.get("organizations")
        if saved is None:
            return None
        rows: list[SavedOrganization] = []
        for item in saved.items:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                continue
            org = record_from_json(Organization, item.get("org")) if item.get("org") is not None else None
            count = item.get("count")
            rows.append(
                SavedOrganization(
                    name=item["name"],
                    source=str(item.get("source") or "packages"),
                    count=count if isinstance(count, int) else 0,
                    org=org if isinstance(org, Organization) else None,
                    problem=item["problem"] if isinstance(item.get("problem"), str) else None,
                )
            )
        return SavedOrganizations(rows, saved.age_text(now), saved.saved_at)

    def remember_organizations(self, rows: Sequence[SavedOrganization]) -> None:
        self.cache.put(
            "organizations",
            [
                {
                    "name": r.name,
                    "source": r.source,
                    "count": r.count,
                    "org": record_to_json(r.org) if r.org is not None else None,
                    "problem": r.problem,
                }
                for r in rows
            ],
        )


OFFLINE_NOTHING_SAVED = "Offline: this list was never saved; start scarf-tui without --offline to fetch it."


def stale_marker(age: str, *, offline: bool, refreshing: bool = True) -> str:
    """The status-line words for a saved list: "cached 3 h ago · refreshing…" or "· offline"."""
    if offline:
        return f"cached {age} · offline"
    return f"cached {age} · refreshing…" if refreshing else f"cached {age}"


__all__ = [
    "OFFLINE_NOTHING_SAVED",
    "SavedLists",
    "SavedOrganization",
    "SavedOrganizations",
    "SavedPackages",
    "stale_marker",
]
