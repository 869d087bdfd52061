"""Reading a response body within limits: decompression in bounded steps, a size cap, a line
cap, a stall limit, and JSON decoding that survives any nesting and cuts secrets out. Pure
async-iterator plumbing over byte chunks; the HTTP client (http.py) wires it to httpx and
supplies the sentences.

Each tool raises the ScarfError its caller hands it, so the sentence names the setting
(``limits.max_body_mb`` and friends) where the setting is known.
"""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from scarf_tui.api.errors import InvalidResponse, ScarfError, sanitize
from scarf_tui.redaction import may_hold_secret, redact_json, scrubber

# No single decompression step yields more than this, so a gzip bomb is stopped at a cap
# instead of after it has filled memory.
DECODE_STEP = 64 * 1024


class BodyDecoder:
    """Undo a Content-Encoding (identity, gzip, deflate) in steps of at most DECODE_STEP bytes."""

    def __init__(self, encoding: str | None) -> None:
        name = (encoding or "").strip().lower()
        self.name = name
        self._raw_deflate_tried = False
        self._produced = 0
        if name in ("", "identity"):
            self._zlib: zlib._Decompress | None = None
        elif name in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif name == "deflate":
            self._zlib = zlib.decompressobj()
        else:
            raise InvalidResponse(
                f"The server answered in the content encoding {sanitize(name, limit=40)!r}, "
                "which scarf-tui does not read (it asks for gzip or deflate)."
            )

    def decode(self, data: bytes) -> Iterator[bytes]:
        if self._zlib is None:
            if data:
                yield data
            return
        pending = data
        while pending and not self._zlib.eof:
            try:
                out = self._zlib.decompress(pending, DECODE_STEP)
            except zlib.error:
                if self.name == "deflate" and not self._raw_deflate_tried and not self._produced:
                    # Some servers send raw deflate without the zlib wrapper.
                    self._raw_deflate_tried = True
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise InvalidResponse(f"The server's answer could not be decompressed ({self.name}).") from None
            pending = self._zlib.unconsumed_tail
            if out:
                self._produced += len(out)
                yield out

    def flush(self) -> bytes:
        if self._zlib is None:
            return b""
        try:
            return self._zlib.flush(DECODE_STEP)
        except zlib.error:
            raise InvalidResponse(f"The server's answer could not be decompressed ({self.name}).") from None


async def read_capped(chunks: AsyncIterator[bytes], limit: int, too_large: Callable[[], ScarfError]) -> bytes:
    """All of ``chunks`` joined, or ``too_large()`` raised as soon as more than ``limit`` bytes
    arrived (nothing past the cap is kept)."""
    body = bytearray()
    async for chunk in chunks:
        if len(body) + len(chunk) > limit:
            body.clear()
            del chunk  # no server bytes linger in this frame's locals (a crash dump shows them)
            raise too_large()
        body += chunk
    return bytes(body)


async def read_truncated(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """The first ``limit`` bytes of ``chunks``; the rest is not read."""
    body = bytearray()
    async for chunk in chunks:
        body += chunk[: limit - len(body)]
        if len(body) >= limit:
            break
    return bytes(body)


async def split_lines(
    chunks: AsyncIterator[bytes], max_line: int, too_long: Callable[[], ScarfError]
) -> AsyncIterator[bytes]:
    """Lines of a byte stream, each with its b"\\n" (the last one without, if the stream does
    not end in one), in time linear in the stream's length. A line longer than ``max_line``
    bytes raises ``too_long()`` as soon as it is known, so no more than about ``max_line`` is
    ever held. Registered secrets are cut out of every line (a stream line is never cut inside
    a token: tokens hold no line breaks)."""
    pending = bytearray()
    chunk = line = b""
    async for chunk in chunks:
        scrub = scrubber()
        dirty = bool(scrub) and scrub.found_in(chunk)
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            if len(pending) + end - start > max_line:
                break
            if pending:
                pending += chunk[start : end + 1]
                line = bytes(pending)
                pending.clear()
                yield scrub(line) if scrub else line
            else:
                line = chunk[start : end + 1]
                yield scrub(line) if dirty else line
            start = end + 1
        else:
            if start < len(chunk):
                pending += chunk[start:]
            if len(pending) <= max_line:
                continue
        # Too long: empty every buffer first, so a crash dump of this frame shows no server bytes.
        pending.clear()
        chunk = line = b""
        raise too_long()
    if pending:
        yield scrubber()(bytes(pending))


async def paced(
    chunks: AsyncIterator[bytes],
    stall_seconds: float,
    stalled: Callable[[int], ScarfError],
    *,
    progress_bytes: int = 1024,
) -> AsyncIterator[bytes]:
    """``chunks`` as they come, but ``stalled(bytes_seen)`` is raised when fewer than
    ``progress_bytes`` arrive within ``stall_seconds`` of waiting: a server that sends nothing,
    or trickles a byte every few seconds, is stopped either way. Only time spent waiting for
    the server counts, not the time the consumer takes between chunks."""
    loop = asyncio.get_running_loop()
    iterator = chunks.__aiter__()
    waited = 0.0
    seen = 0
    while True:
        began = loop.time()
        try:
            async with asyncio.timeout(max(stall_seconds - waited, 0.0)):
                chunk = await anext(iterator)
        except StopAsyncIteration:
            return
        except TimeoutError:
            failure: ScarfError | None = stalled(seen)
        else:
            failure = None
        if failure is not None:
            raise failure  # outside the handler: no chained TimeoutError rides along
        waited += loop.time() - began
        seen += len(chunk)
        if seen >= progress_bytes:
            waited, seen = 0.0, 0
        yield chunk
        chunk = b""  # no server bytes linger in this frame's locals (a crash dump shows them)


def decode_json(content: bytes, subject: str) -> Any:
    """JSON from a server, with registered secrets cut out of its strings; InvalidResponse
    naming ``subject`` ("The server's answer to GET /v1/packages") when it is not JSON or is
    nested too deeply to read."""
    try:
        data = json.loads(content)
        return redact_json(data) if may_hold_secret(content) else data
    except RecursionError:
        failure = f"{subject} is nested too deeply to read."
    except (ValueError, UnicodeDecodeError):
        failure = f"{subject} was not valid JSON."
    raise InvalidResponse(failure)


def decode_json_line(line: bytes, label: str, *, cut: bool = False) -> Any:
    """One NDJSON line of the ``label`` data, with registered secrets cut out of its strings.
    ``cut``: the stream ended inside this line (it has no line end), so an unreadable line
    means the data is incomplete."""
    try:
        obj = json.loads(line)
        return redact_json(obj) if may_hold_secret(line) else obj
    except RecursionError:
        failure = f"A line of the {label} is nested too deeply to read."
    except ValueError:
        if cut:
            failure = f"The stream was cut in the middle of a line of the {label}; the data is incomplete."
        else:
            failure = f"A line of the {label} is not valid JSON."
    raise InvalidResponse(failure)
