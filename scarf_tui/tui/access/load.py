"""Reading and writing the matrix's permissions with the service's own concurrency limit.

No Textual here: the screen runs these in its workers (cancelling a worker cancels every
request in flight) and hears of each answer through a callback, so cells fill in as they come.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from itertools import groupby

from scarf_tui.api.service import ScarfService
from scarf_tui.domain import Grant, GrantChange, Package, PermissionLevel
from scarf_tui.tui.access.model import NONE, Change
from scarf_tui.tui.common.errors import describe_error

FALLBACK_CONCURRENCY = 8  # a service that does not say its limit (none of ours)

Answer = Callable[[int, "list[Grant] | None", "str | None"], None]


def concurrency_of(service: ScarfService) -> int:
    return max(1, int(getattr(service, "concurrency", FALLBACK_CONCURRENCY) or FALLBACK_CONCURRENCY))


async def in_pool(jobs: Iterable[Callable[[], Awaitable[None]]], size: int) -> None:
    """Run `jobs` with at most `size` at once, in order. Memory is the pool, not the job count."""
    waiting = deque(jobs)

    async def worker() -> None:
        while waiting:
            await waiting.popleft()()

    await asyncio.gather(*(worker() for _ in range(max(1, min(size, len(waiting))))))


class ReadOrder:
    """The packages still to read, in order, except that rows the user looks at (a scroll, a
    filter) jump the queue: `prefer` them. Each package is read once."""

    def __init__(self, order: Iterable[int]) -> None:
        self._queue: deque[int] = deque(order)
        self._taken: set[int] = set()

    def prefer(self, indices: Sequence[int]) -> None:
        for index in reversed(indices):
            if index not in self._taken:
                self._queue.appendleft(index)

    def take(self) -> int | None:
        while self._queue:
            index = self._queue.popleft()
            if index not in self._taken:
                self._taken.add(index)
                return index
        return None


async def read_permissions(
    service: ScarfService, packages: Sequence[Package], order: ReadOrder | Iterable[int], answer: Answer
) -> None:
    """Read the permissions of packages[i] for each i of `order`, `concurrency` at a time;
    `answer(i, grants, None)` or `answer(i, None, sentence)` as each one arrives."""
    queue = order if isinstance(order, ReadOrder) else ReadOrder(order)

    async def worker() -> None:
        while (index := queue.take()) is not None:
            package = packages[index]
            try:
                grants = await service.list_permissions(package.uuid, owner=package.owner)
            except Exception as err:  # noqa: BLE001 - a failed read becomes that row's sentence
                answer(index, None, describe_error(err))
            else:
                answer(index, grants, None)

    await asyncio.gather(*(worker() for _ in range(concurrency_of(service))))


def as_level(text: str) -> PermissionLevel | str:
    """The domain's level for a v1 name, the plain name for one only v2 has ("owner")."""
    try:
        return PermissionLevel(text)
    except ValueError:
        return text


async def write_changes(
    service: ScarfService, packages: Sequence[Package], changes: Sequence[Change]
) -> dict[int, str]:
    """Send `changes` grouped by package (one set_permissions per package; a removal is one
    request per user), packages `concurrency` at a time. Returns package index -> the sentence
    of the group that failed; the caller re-reads every package either way."""
    failures: dict[int, str] = {}
    groups = [(index, list(group)) for index, group in groupby(sorted(changes, key=_order), key=lambda c: c.package)]

    def job(index: int, group: list[Change]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            package = packages[index]
            try:
                removals = [c.user for c in group if c.after == NONE]
                sets = [GrantChange(user_query=c.user, level=as_level(c.after)) for c in group if c.after != NONE]
                if sets:
                    await service.set_permissions(package.uuid, sets, owner=package.owner)
                for user in removals:
                    await service.remove_permission(package.uuid, user, owner=package.owner)
            except Exception as err:  # noqa: BLE001 - listed with its package, never raised
                failures[index] = describe_error(err)

        return run

    await in_pool((job(i, g) for i, g in groups), concurrency_of(service))
    return failures


def _order(change: Change) -> int:
    return change.package
