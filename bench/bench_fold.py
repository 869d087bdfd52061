"""Fold 1M aggregate NDJSON lines: our parse+fold against a bare json.loads floor and a naive
pydantic-validating fold, all over the same bytes in the same run.

    .venv/bin/python bench/bench_fold.py [--lines 1000000] [--runs 3]

Prints best-of-N seconds and the ratios ours/floor and naive/floor. Target: ours <= 2.0.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydantic import BaseModel  # noqa: E402
from pydantic_core import from_json  # noqa: E402

from scarf_tui.analytics import fold_ndjson  # noqa: E402

TARGET = 2.0

# Roughly the mix a real org export has: many country/company/client rows per total row.
MIX = [
    ("total", 6),
    ("country", 22),
    ("company", 18),
    ("cloud_provider", 8),
    ("platform", 12),
    ("version", 12),
    ("client", 12),
    ("variable", 10),
]
COMPANIES = [(f"Company {i}", f"company{i}.example") for i in range(400)]
CLOUDS = [("Amazon Web Services", "aws.amazon.com"), ("Google Cloud", "cloud.google.com"),
          ("Microsoft Azure", "azure.microsoft.com"), ("Hetzner", "hetzner.com"), ("OVH", "ovh.com")]
COUNTRIES = ["US", "DE", "GB", "FR", "IN", "CN", "BR", "JP", "CA", "NL", "SE", "PL", "AU", "KR", "ES"]
PLATFORMS = ["linux/amd64", "linux/arm64", "darwin/arm64", "windows/amd64", "darwin/amd64"]
CLIENTS = [("docker", "24.0.7"), ("docker", "25.0.1"), ("pip", "24.0"), ("npm", "10.2.4"),
           ("curl", "8.4.0"), ("containerd", "1.7.2")]
VARIABLES = {"platform": ["linux-x64", "linux-arm64", "macos-arm64", "windows-x64"],
             "version": [f"1.{m}.{p}" for m in range(6) for p in range(4)]}


def generate(lines: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    kinds = [k for k, w in MIX for _ in range(w)]
    packages = [f"{rng.getrandbits(128):032x}" for _ in range(40)]
    first = date(2025, 11, 20)
    dumps = json.dumps
    out = []
    for _ in range(lines):
        kind = rng.choice(kinds)
        row: dict[str, object] = {
            "breakdown": kind,
            "date": (first + timedelta(days=rng.randrange(365))).isoformat(),
            "package": rng.choice(packages),
            "total": rng.randrange(1, 5000),
        }
        if kind == "total":
            row["unique_total"] = rng.randrange(1, int(row["total"]) + 1)
        elif kind == "company":
            row["company_name"], row["company_domain"] = rng.choice(COMPANIES)
        elif kind == "cloud_provider":
            row["cloud_provider_name"], row["cloud_provider_domain"] = rng.choice(CLOUDS)
        elif kind == "country":
            row["country"] = rng.choice(COUNTRIES)
        elif kind == "platform":
            row["platform"] = rng.choice(PLATFORMS)
        elif kind == "version":
            row["version"] = f"{rng.randrange(4)}.{rng.randrange(20)}.{rng.randrange(10)}"
        elif kind == "client":
            row["client"], row["client_version"] = rng.choice(CLIENTS)
        else:
            name = rng.choice(list(VARIABLES))
            row["variable"], row["value"] = name, rng.choice(VARIABLES[name])
        out.append(dumps(row, separators=(",", ":")))
    return ("\n".join(out) + "\n").encode()


def floor(data: bytes) -> int:
    loads = json.loads
    n = 0
    for line in data.splitlines():
        loads(line)
        n += 1
    return n


def fast_parse(data: bytes) -> int:
    """The parser our fold uses, bare: how much of our time is parsing."""
    n = 0
    for line in data.splitlines():
        from_json(line)
        n += 1
    return n


def ours(data: bytes) -> int:
    return fold_ndjson(data).rows


class AggregateV1(BaseModel):
    breakdown: str
    date: date
    package: str
    total: int
    unique_total: int | None = None
    company_name: str | None = None
    company_domain: str | None = None
    cloud_provider_name: str | None = None
    cloud_provider_domain: str | None = None
    country: str | None = None
    platform: str | None = None
    version: str | None = None
    client: str | None = None
    client_version: str | None = None
    variable: str | None = None
    value: str | None = None


def naive(data: bytes) -> int:
    """What one writes first: validate each line into a model, then fold the same accumulators."""
    daily: dict[tuple[str, date], list[int]] = {}
    breakdowns: dict[str, dict[str, int]] = {}
    variables: dict[tuple[str, str], int] = {}
    n = 0
    for line in data.splitlines():
        row = AggregateV1.model_validate_json(line)
        n += 1
        if row.breakdown == "total":
            acc = daily.setdefault((row.package, row.date), [0, 0])
            acc[0] += row.total
            acc[1] += row.unique_total or 0
        elif row.breakdown == "variable":
            key = (row.variable or "?", row.value or "")
            variables[key] = variables.get(key, 0) + row.total
        else:
            label = {
                "company": row.company_name or row.company_domain,
                "cloud_provider": row.cloud_provider_name or row.cloud_provider_domain,
                "country": row.country,
                "platform": row.platform,
                "version": row.version,
                "client": f"{row.client} {row.client_version}" if row.client_version else row.client,
            }.get(row.breakdown) or "unknown"
            acc2 = breakdowns.setdefault(row.breakdown, {})
            acc2[label] = acc2.get(label, 0) + row.total
    return n


def best_of(fn: Callable[[bytes], int], data: bytes, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        fn(data)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    data = generate(args.lines)
    assert floor(data) == ours(data) == args.lines, "every line must be folded"
    print(f"{args.lines:,} lines, {len(data) / 1e6:.1f} MB, best of {args.runs} runs")
    # Interleave so a noisy neighbour hurts every contender alike.
    t_floor = t_parse = t_ours = t_naive = float("inf")
    for _ in range(args.runs):
        t_floor = min(t_floor, best_of(floor, data, 1))
        t_parse = min(t_parse, best_of(fast_parse, data, 1))
        t_ours = min(t_ours, best_of(ours, data, 1))
        t_naive = min(t_naive, best_of(naive, data, 1))
    print(f"floor  json.loads per line        {t_floor:7.3f} s")
    print(f"parse  pydantic_core.from_json    {t_parse:7.3f} s   parse/floor = {t_parse / t_floor:.2f}")
    print(f"ours   fold_ndjson (parse+fold)    {t_ours:7.3f} s   ours/floor  = {t_ours / t_floor:.2f}")
    print(f"naive  pydantic per line + fold   {t_naive:7.3f} s   naive/floor = {t_naive / t_floor:.2f}")
    ok = t_ours / t_floor <= TARGET
    print(f"target ours/floor <= {TARGET}: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
