"""The faults a test can switch on in the independent v2 server, and the streamed response that
honours a cut.

Faults (mutable by tests): 429 with Retry-After on the Nth request to a path, a stream cut after
some bytes, an HTML page with status 200, an error message that echoes the token, relative or
missing `_links`. `log` and `seen` record every request.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field

from starlette.responses import Response, StreamingResponse


@dataclass
class Faults:
    rate_limit: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (nth request, how many 429s)
    retry_after: str = "0"
    cut_after: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (nth request, bytes sent)
    html: set[str] = field(default_factory=set)  # path -> 200 text/html
    echo_token: dict[str, int] = field(default_factory=dict)  # path -> status of an error quoting the token
    links: str = "absolute"  # or "relative"
    # Paths whose pages carry no `_links` (the spec's overview schema has none): a client must
    # page on with `after` itself.
    no_links: set[str] = field(default_factory=set)
    seen: Counter[str] = field(default_factory=Counter)
    log: list[str] = field(default_factory=list)  # "METHOD path?query" of every request


def stream(
    faults: Faults, path: str, chunks: Iterator[str], media: str, headers: dict[str, str] | None = None
) -> Response:
    """`chunks` streamed, cut after `cut_after[path]` bytes when this is the path's nth request."""
    nth, cut = faults.cut_after.get(path, (0, None))
    if nth != faults.seen[path]:
        cut = None

    async def gen() -> AsyncIterator[bytes]:
        sent = 0
        for text in chunks:
            data = text.encode()
            if cut is not None and sent + len(data) > cut:
                yield data[: cut - sent]
                raise ConnectionAbortedError("fault: stream cut")
            sent += len(data)
            yield data

    return StreamingResponse(gen(), media_type=media, headers=headers)
