"""Streaming one date range of aggregate rows into an AggregateFold for the charts pane, and the
sentence shown when that fails."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import TYPE_CHECKING

from scarf_tui.analytics import AggregateFold, Folder
from scarf_tui.api.errors import ExportNotEnabled, InvalidResponse, ScarfError
from scarf_tui.domain import AggregateRow
from scarf_tui.tui.common.text import safe_str

if TYPE_CHECKING:
    from scarf_tui.api.service import ScarfService

PROGRESS_EVERY = 500  # rows between progress updates (and a yield to the event loop)


async def _close(rows: AsyncIterator[AggregateRow]) -> None:
    aclose = getattr(rows, "aclose", None)
    if aclose is not None:
        with contextlib.suppress(Exception):  # closing a broken stream must not mask its error
            await aclose()


async def fold_range(
    service: ScarfService,
    scope_kind: str,
    scope_name: str,
    package: str | None,
    start: date,
    end: date,
    progress: Callable[[int], None] | None = None,
) -> AggregateFold:
    """The rows of [start, end) of an org ("org") or user, filtered to `package` when given,
    folded; `progress(rows so far)` every PROGRESS_EVERY rows and once at the end."""
    folder = Folder(package=package)
    if scope_kind == "org":
        rows = service.org_aggregates(scope_name, start, end)
    else:
        rows = service.user_aggregates(scope_name, start, end)
    received = 0
    try:
        async for row in rows:
            folder.add_row(row)
            received += 1
            if received % PROGRESS_EVERY == 0:
                if progress is not None:
                    progress(received)
                # A fully buffered body never suspends the loop: let the UI breathe.
                await asyncio.sleep(0)
    finally:
        if progress is not None:
            progress(received)
        await _close(rows)
    return folder.result(start, end)


def failure_sentence(err: Exception, rows_received: int) -> str:
    """What the pane says when loading the range failed."""
    if isinstance(err, ExportNotEnabled):
        return (
            "Data export is not enabled for this account, so there are no charts to draw. "
            "Scarf grants export access on request."
        )
    if isinstance(err, InvalidResponse):
        return (
            f"The download stream broke off. {err} "
            f"The {rows_received:,} rows received before the break were discarded, "
            "so no partial chart is shown. Press r to try again."
        )
    if isinstance(err, ScarfError):
        return f"Could not load the downloads. {err} Press r to try again."
    return f"Could not draw the downloads ({type(err).__name__}: {safe_str(err)})."
