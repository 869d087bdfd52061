"""Aggregates (NDJSON) and events (CSV) of the independent v2 server, made up from a hash of
package, day and breakdown so that every run answers the same.

Aggregates are `application/x-ndjson`, one row per artifact, period and breakdown value;
`artifact` is the package name; weekly periods start on Monday, monthly on the 1st.
`total_unique` of a rolled-up period is not the sum of the days' uniques. Events are CSV with a
Content-Disposition header, at most MAX_EVENT_DAYS days (else 400 range-too-long).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .data import hash_name, uid
from .faults import Faults, stream
from .problems import err

MAX_EVENT_DAYS = 31
BREAKDOWN_FIELDS: dict[str, list[tuple[str, list[str]]]] = {
    "by-country": [("country", ["US", "DE", "[b]XX[/b]"])],
    "by-cloudprovider": [
        ("cloud_provider_name", ["AWS", "GCP"]),
        ("cloud_provider_domain", ["aws.amazon.com", "cloud.google.com"]),
    ],
    "by-company": [
        ("company_name", ["Initech", "\x1b[1mBold Corp\x1b[0m"]),
        ("company_domain", ["initech.example", "bold.example"]),
    ],
    "by-variable": [("variable", ["platform", "version"]), ("value", ["linux", "1.2.3"])],
    "by-platform": [("platform", ["linux", "darwin"])],
    "by-version": [("version", ["1.0.0", "2.0.0"])],
    "by-client": [("client", ["docker", "curl"])],
    "by-domain": [("domain", ["dl.fleet.example"])],
    "by-referer": [("referer", ["https://docs.fleet.example/"])],
    "by-educational-organization": [("company_name", ["Some University"])],
    "by-govermental-organization": [("company_name", ["Some Agency"])],
    "by-total": [],
    "by-total-do-not-track": [],
}
EVENT_COLUMNS = [
    "type",
    "package",
    "version",
    "time",
    "referer",
    "user_agent",
    "variables",
    "origin_id",
    "origin_country",
    "origin_company",
    "origin_domain",
    "origin_connection_type",
    "id",
]


def dates(request: Request, limit: int | None) -> tuple[date, date]:
    try:
        start = date.fromisoformat(request.query_params["start_date"])
        end = date.fromisoformat(request.query_params["end_date"])
    except (KeyError, ValueError):
        raise err(400, "invalid-package-query", "start_date and end_date are required (YYYY-MM-DD).") from None
    if end <= start:
        raise err(400, "invalid-package-query", "end_date must be after start_date.")
    if limit is not None and (end - start).days > limit:
        raise err(400, "range-too-long", f"The range is longer than {limit} days.")
    return start, end


def aggregates(faults: Faults, request: Request, path: str, mine: list[dict[str, Any]]) -> Response:
    start, end = dates(request, 800)
    q = request.query_params
    query = q.get("query")
    pkgs = [p for p in mine if not query or query in (p["name"], p["id"])]
    if query and not pkgs:
        raise err(400, "invalid-package-query", "No package matches the query.")
    rollups = q.getlist("rollup") or ["daily"]
    breakdowns = q.getlist("breakdown") or ["by-total"]
    bad = [b for b in breakdowns if b not in BREAKDOWN_FIELDS] + [
        r for r in rollups if r not in ("daily", "weekly", "monthly", "yearly")
    ]
    if bad:
        raise err(400, "invalid-package-query", f"Unknown breakdown or rollup: {bad[0]}")

    def rows() -> Iterator[str]:
        for rollup in rollups:
            for p in pkgs:
                for period, days in periods(start, end, rollup):
                    for b in breakdowns:
                        fields = BREAKDOWN_FIELDS[b]
                        for i in range(max((len(v) for _, v in fields), default=1)):
                            total = sum(count(p["id"], d, b, i) for d in days)
                            if total == 0:
                                continue
                            row: dict[str, Any] = {
                                "date": period.isoformat(),
                                "artifact": p["name"],
                                "breakdown": b,
                                "rollup": rollup,
                                "total": total,
                                "total_unique": max(count(p["id"], d, b, i) for d in days),
                            }
                            row.update({k: v[i % len(v)] for k, v in fields})
                            yield json.dumps(row) + "\n"

    return stream(faults, path, rows(), "application/x-ndjson")


def events(faults: Faults, request: Request, path: str, owner: str, names: list[str], kind: str) -> Response:
    start, end = dates(request, MAX_EVENT_DAYS)

    def rows() -> Iterator[str]:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(EVENT_COLUMNS)
        for day in range((end - start).days):
            d = start + timedelta(days=day)
            for name in names:
                for k in range(count(name, d, "events", 0) % 3):
                    w.writerow(
                        [
                            "pixel-fetch" if kind == "pixel" else "package-download",
                            name,
                            f"1.{k}.0",
                            f"{d.isoformat()}T0{k}:00:00Z",
                            "https://docs.example/",
                            "curl/8.0",
                            "",
                            uid("origin", name, k),
                            "US",
                            "Initech, Inc.",
                            "initech.example",
                            "isp",
                            uid("event", name, d, k),
                        ]
                    )
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()

    name = f"{owner}-{kind}-events-{start}-{end}.csv"
    return stream(faults, path, rows(), "text/csv", {"Content-Disposition": f'attachment; filename="{name}"'})


def periods(start: date, end: date, rollup: str) -> Iterator[tuple[date, list[date]]]:
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    groups: dict[date, list[date]] = {}
    for d in days:
        if rollup == "weekly":
            key = d - timedelta(days=d.weekday())
        elif rollup == "monthly":
            key = d.replace(day=1)
        elif rollup == "yearly":
            key = d.replace(month=1, day=1)
        else:
            key = d
        groups.setdefault(key, []).append(d)
    yield from groups.items()


def count(key: str, d: date, breakdown: str, i: int) -> int:
    return hash_name(f"{key}|{d.isoformat()}|{breakdown}|{i}") % 40
