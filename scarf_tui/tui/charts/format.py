"""Numbers and labels the charts pane draws: growth, counts, percents, axis ticks. Pure."""

from __future__ import annotations

from rich.text import Text

from scarf_tui.analytics import Bucket, Comparison, Rollup


def format_growth(comparison: Comparison | None) -> str:
    if comparison is None:
        return ""
    days = (comparison.end - comparison.start).days
    if comparison.growth_pct is None:
        return f"none in prev {days}d"
    return f"{comparison.growth_pct:+.1f}% vs prev {days}d"


def numbers(*values: int) -> list[Text]:
    return [Text(f"{v:,}", justify="right") for v in values]


def pct(value: float) -> Text:
    return Text(f"{value:.1f}%", justify="right")


def tick_positions(count: int, most: int) -> list[int]:
    """Up to `most` evenly spread indexes of `count` points, first and last included."""
    if count <= most:
        return list(range(count))
    step = (count - 1) / (most - 1)
    return sorted({round(i * step) for i in range(most)})


def nice_ticks(top: int, most: int = 5) -> list[int]:
    """0 and round steps up to at least `top` (1, 2, 2.5 or 5 times a power of ten)."""
    if top <= 0:
        return [0, 1]
    raw = top / (most - 1)
    magnitude = 10 ** max(0, len(str(int(raw))) - 1)
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    ticks = [0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def compact(value: int) -> str:
    for size, suffix in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")):
        if value >= size:
            text = f"{value / size:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return str(value)


def tick_label(bucket: Bucket) -> str:
    if bucket.unit is Rollup.DAY:
        return bucket.start.strftime("%m-%d")
    if bucket.unit is Rollup.WEEK:
        return bucket.label[2:]  # "26-W47"
    return bucket.label
