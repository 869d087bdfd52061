"""The hot paths of the data exports, shared by both API versions: aggregate lines (already
decoded JSON) as AggregateRow and events-CSV rows as Event, without pydantic.

Exports have millions of rows: ``json.loads`` + direct dataclass construction is several times
faster than validating each row with a model. The v2 adapter renames a v2 Aggregate's keys to
these (v1) ones first (scarf_tui.api.v2_bodies.aggregate_v2_to_v1_shape).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from scarf_tui.api.errors import InvalidResponse, sanitize
from scarf_tui.domain import EVENT_COLUMNS, AggregateRow, Event

_DAY_CACHE: dict[str, date] = {}
_REQUIRED_AGGREGATE_FIELDS = ("breakdown", "date", "package", "total")


def _day(text: str) -> date:
    day = _DAY_CACHE.get(text)
    if day is None:
        # "YYYY-MM-DD", or a timestamp whose first ten characters are the day.
        day = date.fromisoformat(text[:10])
        if len(_DAY_CACHE) < 50_000:
            _DAY_CACHE[text] = day
    return day


def aggregate_row_from_json(obj: Any) -> AggregateRow:
    """An AggregateV1 object (already decoded) as an AggregateRow; InvalidResponse if the
    required fields are missing or unusable. Cheap: no pydantic, positional construction."""
    try:
        total = obj["total"]
        unique = obj.get("unique_total")
        row = AggregateRow(
            obj["breakdown"],
            _day(obj["date"]),
            obj["package"],
            total if type(total) is int else _int_field(total, "total"),
            unique if unique is None or type(unique) is int else _int_field(unique, "unique_total"),
            obj.get("company_name"),
            obj.get("company_domain"),
            obj.get("cloud_provider_name"),
            obj.get("cloud_provider_domain"),
            obj.get("country"),
            obj.get("platform"),
            obj.get("version"),
            obj.get("client"),
            obj.get("client_version"),
            obj.get("variable"),
            obj.get("value"),
        )
    except KeyError as exc:
        raise InvalidResponse(
            f"An aggregates line is missing the required field '{sanitize(exc.args[0], limit=40)}' (AggregateV1)."
        ) from None
    except (TypeError, AttributeError):
        raise InvalidResponse("An aggregates line is not an AggregateV1 object.") from None
    except ValueError:
        raise InvalidResponse(
            f"An aggregates line has an invalid 'date' {sanitize(obj.get('date'), limit=40)!r} (AggregateV1)."
        ) from None
    return row


def _int_field(value: Any, name: str) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise InvalidResponse(f"An aggregates line has a non-numeric '{name}' {sanitize(value, limit=40)!r} (AggregateV1).")


def parse_aggregate_line(line: bytes | str) -> AggregateRow:
    """One NDJSON line -> AggregateRow (InvalidResponse on bad JSON or missing fields)."""
    try:
        obj = json.loads(line)
    except ValueError:
        raise InvalidResponse("An aggregates line is not valid JSON.") from None
    return aggregate_row_from_json(obj)


_KNOWN_EVENT_COLUMNS = frozenset(EVENT_COLUMNS)
_REQUIRED_EVENT_COLUMNS = ("type", "time")


class EventCsvLayout:
    """Maps one events-CSV header to Event construction. Built once per window."""

    __slots__ = ("header", "_known", "_extra", "_type", "_time", "_width")

    def __init__(self, header: Sequence[str]) -> None:
        self.header = [h.strip().lstrip("\ufeff") for h in header]
        for required in _REQUIRED_EVENT_COLUMNS:
            if required not in self.header:
                raise InvalidResponse(
                    f"The events CSV has no '{required}' column (its header is "
                    f"{sanitize(','.join(self.header), limit=120)!r})."
                )
        index = {name: i for i, name in reversed(list(enumerate(self.header)))}
        self._type = index["type"]
        self._time = index["time"]
        self._known = [
            (name, index[name]) for name in EVENT_COLUMNS if name in index and name not in _REQUIRED_EVENT_COLUMNS
        ]
        self._extra = [
            (name, i) for i, name in enumerate(self.header) if name not in _KNOWN_EVENT_COLUMNS or index[name] != i
        ]
        self._width = len(self.header)

    def event(self, row: Sequence[str]) -> Event:
        width = len(row)
        if width < self._width:
            row = list(row) + [""] * (self._width - width)
        fields = {name: (row[i] or None) for name, i in self._known}
        extra = {name: row[i] for name, i in self._extra}
        if width > self._width:
            for i in range(self._width, width):
                extra[f"column_{i + 1}"] = row[i]
        return Event(type=row[self._type], time=row[self._time], extra=extra, **fields)


def events_from_rows(rows: Iterable[Sequence[str]]) -> list[Event]:
    """A whole CSV (header first) as Events; for small inputs and tests."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        return []
    layout = EventCsvLayout(header)
    return [layout.event(row) for row in iterator if row]
