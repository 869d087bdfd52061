"""The package list's "Domains" column: each package's domains from API v2's packages overview,
one request per owner, read after the list has painted (like the 30-day trend), so it never
delays the list. API v1 has no overview: the column stays blank and the status line says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text

from scarf_tui.tui.common.text import safe, safe_str
from scarf_tui.tui.packages.trend import unavailable_reason

if TYPE_CHECKING:
    from scarf_tui.api.service import ScarfService

DOMAINS_WIDTH = 22
NO_OVERVIEW = "domains need API v2"  # the status line's few words for capabilities.why_missing("overview")


def domains_cell(names: Iterable[str]) -> Text:
    """The names, comma-separated, as data (never markup), cut to the column with "…"."""
    cell = safe(", ".join(safe_str(n) for n in names))
    if cell.cell_len > DOMAINS_WIDTH:
        cell.truncate(DOMAINS_WIDTH, overflow="ellipsis")
    return cell


async def owner_domains(service: ScarfService, owners: Iterable[str]) -> tuple[dict[str, list[str]], str]:
    """(package id -> its domain names, the status-line notice: "" when every owner answered)."""
    if not service.capabilities.overview:
        return {}, NO_OVERVIEW
    names = sorted(set(owners))

    async def one(owner: str) -> tuple[str, dict[str, list[str]] | Exception]:
        try:
            return owner, {o.package.uuid: [d.name for d in o.domains] for o in await service.packages_overview(owner)}
        except asyncio.CancelledError:
            raise
        except Exception as err:  # noqa: BLE001 - the owner's cells stay blank; the status line says why
            return owner, err

    found: dict[str, list[str]] = {}
    failed: list[str] = []
    for owner, result in await asyncio.gather(*(one(o) for o in names)):
        if isinstance(result, Exception):
            failed.append(f"{safe_str(owner)} ({unavailable_reason(result)})")
        else:
            found.update(result)
    return found, f"domains n/a for {', '.join(failed)}" if failed else ""


__all__ = ["DOMAINS_WIDTH", "NO_OVERVIEW", "domains_cell", "owner_domains"]
