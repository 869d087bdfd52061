"""The time series drawn with plotext: total downloads and uniques per bucket."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from scarf_tui.analytics import Bucket
from scarf_tui.tui.charts.format import compact, nice_ticks, tick_label, tick_positions


def draw_series(plot: PlotextPlot, buckets: list[Bucket], uniques_label: str) -> None:
    plt = plot.plt
    plt.clear_figure()
    xs = list(range(1, len(buckets) + 1))
    plt.plot(xs, [b.total for b in buckets], label="total", marker="braille")
    # A different glyph per series, so the legend reads without colour (NO_COLOR, 16 colours).
    plt.plot(xs, [b.uniques for b in buckets], label=uniques_label, marker="dot")
    ticks = tick_positions(len(buckets), 6)
    plt.xticks([xs[i] for i in ticks], [tick_label(buckets[i]) for i in ticks])
    top = max((max(b.total, b.uniques) for b in buckets), default=0)
    y_ticks = nice_ticks(top)
    plt.yticks([float(v) for v in y_ticks], [compact(v) for v in y_ticks])
    plt.ylim(0, y_ticks[-1])
    plot.refresh()
