"""Reading an events CSV as it streams: physical lines in, whole records out.

No HTTP here and no wire models: the service feeds it the lines of one response, and the
exporter uses it to find each record's bytes so it can append them exactly as the server sent
them. A quoted field may span lines; a record is capped in size so a quote that never closes
cannot grow memory without bound.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncGenerator, AsyncIterator

from scarf_tui.api.errors import InvalidResponse, sanitize

# A record (one row, however many lines its quoted fields span) larger than this is refused.
DEFAULT_MAX_RECORD_BYTES = 1024 * 1024

# Media types an events CSV may arrive with (parameters such as charset are ignored).
CSV_MEDIA_TYPES = frozenset({"text/csv", "application/csv"})


class NotCsv(InvalidResponse):
    """The server answered an events request with something that is not a CSV file."""


def is_csv_content_type(content_type: str | None) -> bool:
    """True when a Content-Type header names CSV ("text/csv; charset=utf-8" does)."""
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() in CSV_MEDIA_TYPES


# Media types named in the message when a non-CSV answer arrives; any other is "an unexpected
# content type", so no other server text (which could echo anything) reaches the sentence.
_NAMED_MEDIA_TYPES = frozenset(
    {
        "text/html",
        "text/plain",
        "text/xml",
        "application/json",
        "application/xml",
        "application/x-ndjson",
        "application/octet-stream",
        "application/problem+json",
    }
)


def check_csv_content_type(content_type: str | None, *, what: str) -> None:
    """InvalidResponse unless ``content_type`` is a CSV media type; ``what`` names the answer
    ("the events of package 'x'"). Catches an HTML page or JSON sent with status 200."""
    if is_csv_content_type(content_type):
        return
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if not media:
        shown = "no content type"
    elif media in _NAMED_MEDIA_TYPES:
        shown = media
    else:
        shown = "an unexpected content type"
    raise NotCsv(f"The server sent {shown} for {what}, not a CSV file (text/csv).")


async def aclose_quietly(iterator: object) -> None:
    """Close an async iterator that has ``aclose`` (an async generator, a stream); else nothing."""
    close = getattr(iterator, "aclose", None)
    if close is not None:
        await close()


def header_fields(fields: list[str]) -> list[str]:
    """A CSV header's column names without surrounding blanks or a leading byte-order mark."""
    return [name.strip().lstrip("\ufeff").strip() for name in fields]


async def csv_records(
    lines: AsyncIterator[bytes], *, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
) -> AsyncGenerator[tuple[list[str], bytes], None]:
    """Raw CSV lines (each with its terminator, header first) -> (fields, the record's bytes as
    sent) for every non-blank record.

    A record ends at a line end where the count of '"' so far is even. Fields are decoded as
    UTF-8 with replacement characters (bytes that are not UTF-8 never stop the reading); the
    bytes are passed on untouched. InvalidResponse when a record cannot be read, exceeds
    ``max_record_bytes``, or the stream ends inside a quoted field. Closes ``lines`` when done
    or abandoned."""
    parts: list[bytes] = []
    size = 0
    quotes = 0
    try:
        async for line in lines:
            parts.append(line)
            size += len(line)
            quotes += line.count(b'"')
            if size > max_record_bytes:
                raise InvalidResponse(
                    f"An events CSV record is longer than {max_record_bytes // 1024:,} KB; "
                    "the answer is not usable."
                )
            if quotes % 2:
                continue
            raw = parts[0] if len(parts) == 1 else b"".join(parts)
            parts = []
            size = 0
            quotes = 0
            try:
                fields = next(csv.reader([raw.decode("utf-8", errors="replace")]), [])
            except csv.Error as exc:
                raise InvalidResponse(f"The events CSV could not be read ({sanitize(exc, limit=80)}).") from None
            if fields:
                yield fields, raw
    finally:
        await aclose_quietly(lines)
    if parts:
        raise InvalidResponse("The events stream ended inside a quoted field; the data is incomplete.")


__all__ = [
    "CSV_MEDIA_TYPES",
    "DEFAULT_MAX_RECORD_BYTES",
    "NotCsv",
    "aclose_quietly",
    "check_csv_content_type",
    "csv_records",
    "header_fields",
    "is_csv_content_type",
]
