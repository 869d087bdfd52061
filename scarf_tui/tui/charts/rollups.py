"""Weekly and monthly uniques counted by the server (API v2 ``rollup``), for the charts pane.

Unique visitors of a week are not the sum of its days' uniques, and only the server can count
them. With API v1 (daily rows only) the pane keeps adding days up and says so in its labels.
Each (range, unit) is asked for once per pane, and a range's folds are kept too, so going back
to a range or a unit asks nothing again; `r` forgets them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from scarf_tui.analytics import SERVER_ROLLUPS, AggregateFold, Comparison, Rollup, period_uniques_async
from scarf_tui.api.errors import ExportNotEnabled, ScarfError
from scarf_tui.tui.common.text import safe_str

if TYPE_CHECKING:
    from scarf_tui.api.service import ScarfService

Key = tuple[date, date, Rollup]  # range start, range end (exclusive), unit


def server_counts(service: ScarfService, unit: Rollup) -> bool:
    """True when the service's API version counts uniques per ``unit`` (v2 weekly, monthly)."""
    return unit is not Rollup.DAY and SERVER_ROLLUPS[unit] in service.capabilities.aggregate_rollups


async def fetch_period_uniques(
    service: ScarfService, owner: str, package: str | None, start: date, end: date, unit: Rollup
) -> dict[date, int]:
    """Bucket start -> uniques of ``owner``'s packages (only ``package``'s when given) over
    [start, end), as the server rolled them up: one ``breakdown=by-total`` request."""
    rows = service.owner_aggregates(owner, start, end, rollup=SERVER_ROLLUPS[unit], breakdowns=["total"])
    try:
        return await period_uniques_async(rows, unit, package)
    finally:
        aclose = getattr(rows, "aclose", None)
        if aclose is not None:
            await aclose()


def rollup_failure(err: Exception, unit: Rollup) -> str:
    """The pane's sentence when the server's rollup could not be read."""
    if isinstance(err, ExportNotEnabled):
        return f"Data export is not enabled for this account, so there are no {unit.value}ly uniques to show."
    if isinstance(err, ScarfError):
        return f"Could not load the {unit.value}ly uniques from the server. {err} Press r to try again."
    return f"Could not load the {unit.value}ly uniques ({type(err).__name__}: {safe_str(err)}). Press r to try again."


@dataclass
class RollupCache:
    """What the server answered per (range, unit): its counts, or the sentence of its failure;
    and per range, the pane's fold, the previous period's fold and their comparison."""

    counted: dict[Key, dict[date, int]] = field(default_factory=dict)
    failed: dict[Key, str] = field(default_factory=dict)
    pending: Key | None = None
    folds: dict[tuple[date, date], tuple[AggregateFold, AggregateFold, Comparison]] = field(default_factory=dict)

    def clear(self) -> None:
        self.counted.clear()
        self.failed.clear()
        self.folds.clear()
        self.pending = None

    def message(self, key: Key, range_text: str) -> str:
        """What the pane's body says until the counts for ``key`` are in."""
        return self.failed.get(key) or f"Loading {key[2].value}ly uniques for {range_text} …"

    def should_load(self, key: Key) -> bool:
        """True (once) when ``key`` must be asked for: not known, failed or already on its way."""
        if key in self.counted or key in self.failed or self.pending == key:
            return False
        self.pending = key
        return True

    async def load(self, service: ScarfService, owner: str, package: str | None, key: Key) -> None:
        """Ask the server for ``key``; a failure is kept as its sentence (`r` clears it)."""
        start, end, unit = key
        try:
            self.counted[key] = await fetch_period_uniques(service, owner, package, start, end, unit)
        except Exception as err:  # noqa: BLE001 - the pane's body says why; other views still work
            self.failed[key] = rollup_failure(err, unit)
        finally:
            if self.pending == key:
                self.pending = None


__all__ = ["Key", "RollupCache", "fetch_period_uniques", "rollup_failure", "server_counts"]
