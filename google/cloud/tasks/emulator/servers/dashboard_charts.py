"""The dashboard's charts, drawn on the server as inline SVG (no script, nothing fetched).

Every chart covers the last :data:`WINDOW` seconds of the emulator's clock in
:data:`BINS` bins of :data:`BIN` seconds, and reads:

- attempts, from the journal's :class:`~..delivery.journal.Activity` (per second,
  by what they ended with, and their latencies);
- queue depth, from :class:`Depths`, which the dashboard fills by sampling each
  queue's waiting, retrying and in-flight counts about once a second.

Rates are per second (a bin's count divided by :data:`BIN`); latencies are
the p50 and p95 of a bin's attempts, read from the journal's latency buckets.
Colours come from the page's stylesheet (classes ``k0`` ... ``k4``), so charts
follow dark mode.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Sequence

from ..delivery.journal import KINDS, Activity, Second, percentile
from .dashboard_html import e

#: seconds a chart covers
WINDOW = 900
#: seconds per bin
BIN = 10
BINS = WINDOW // BIN
#: depth samples kept (one a second at most)
SAMPLES = WINDOW

Depth = tuple[int, int, int]


class Depths:
    """Samples of each queue's ``(waiting, retrying, in flight)``, by second; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._samples: collections.deque[tuple[int, dict[str, Depth]]] = collections.deque(
            maxlen=SAMPLES
        )

    def add(self, second: int, depths: dict[str, Depth]) -> None:
        with self._lock:
            if self._samples and self._samples[-1][0] >= second:
                self._samples.pop()  # one sample a second: the latest wins
            self._samples.append((second, depths))

    def clear(self) -> None:
        with self._lock:
            self._samples.clear()

    def of(self, queue: str, first: int, last: int) -> list[tuple[int, Depth]]:
        """``queue``'s samples from second ``first`` to ``last``, oldest first."""
        with self._lock:
            return [(s, d.get(queue, (0, 0, 0))) for s, d in self._samples if first <= s <= last]


def _bins(now_s: int) -> int:
    """The first second of the window ending with ``now_s`` (bins end at ``now_s``)."""
    return now_s - WINDOW + 1


def activity_bins(activity: Activity, queue: str, now_s: int) -> list[Second]:
    """The window's :data:`BINS` bins of ``queue``'s attempts, oldest first."""
    first = _bins(now_s)
    bins = [Second() for _ in range(BINS)]
    for second, one in activity.seconds(queue, first, now_s).items():
        into = bins[(second - first) // BIN]
        for k, n in enumerate(one.kinds):
            into.kinds[k] += n
        for bucket, n in one.latencies.items():
            into.latencies[bucket] = into.latencies.get(bucket, 0) + n
    return bins


def _nice(top: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above ``top`` (1 for 0)."""
    if top <= 0:
        return 1.0
    scale = 1.0
    while scale * 10 <= top:
        scale *= 10
    while scale > top:
        scale /= 10
    for step in (1, 2, 5, 10):
        if step * scale >= top:
            return step * scale
    return 10 * scale  # pragma: no cover


def _number(value: float) -> str:
    return f"{value:g}" if value >= 0.01 or value == 0 else f"{value:.1g}"


def _frame(
    test_id: str, label: str, width: int, height: int, body: str, total: float, fixed: bool = False
) -> str:
    """The ``<svg>`` around a chart; its attributes are all quoted (it sits in HTML)."""
    size = f'width="{width}" height="{height}"' if fixed else 'width="100%"'
    return (
        f'<svg data-testid="{test_id}" data-total="{total:g}" role="img" aria-label="{e(label)}"'
        f' viewBox="0 0 {width} {height}" {size}>'
        f"<title>{e(label)}</title>{body}</svg>"
    )


def sparkline(bins: Sequence[Second], queue: str) -> str:
    """A small chart of deliveries (2xx) and failures per second over the window."""
    width, height = 180, 30
    ok = [b.kinds[0] / BIN for b in bins]
    bad = [sum(b.kinds[1:]) / BIN for b in bins]
    top = _nice(max(ok + bad + [0.0]))
    step = width / max(1, len(bins) - 1)

    def line(values: list[float], kind: int) -> str:
        points = " ".join(
            f"{i * step:.1f},{height - 2 - v / top * (height - 4):.1f}"
            for i, v in enumerate(values)
        )
        return f'<polyline class="line k{kind}" stroke-width="1.5" points="{points}"/>'

    delivered, failed = sum(b.kinds[0] for b in bins), sum(sum(b.kinds[1:]) for b in bins)
    label = (
        f"{queue}: {delivered} delivered and {failed} failed in the last 15 minutes"
        f" (up to {_number(top)}/s)"
    )
    body = f'<line class="grid" x1="0" x2="{width}" y1="{height - 1}" y2="{height - 1}"/>'
    # failures under deliveries, and only when there were some: a healthy queue shows no red
    body += (line(bad, 2) if failed else "") + line(ok, 0)
    return _frame("sparkline", label, width, height, body, delivered + failed, fixed=True)


_W, _H, _LEFT, _BOTTOM = 600, 170, 44, 18


def _axes(top: float, unit: str) -> str:
    plot = _H - _BOTTOM
    grid = "".join(
        f'<line class="grid" x1="{_LEFT}" x2="{_W}" y1="{plot - f * (plot - 8):.1f}"'
        f' y2="{plot - f * (plot - 8):.1f}"/>'
        f'<text x="{_LEFT - 4}" y="{plot - f * (plot - 8) + 4:.1f}" text-anchor="end">'
        f"{_number(top * f)}</text>"
        for f in (0, 0.5, 1)
    )
    marks = "".join(
        f'<text x="{_LEFT + (_W - _LEFT) * (15 - m) / 15:.0f}" y="{_H - 4}"'
        f' text-anchor="{"end" if m == 0 else "middle"}">{"now" if m == 0 else f"-{m} min"}</text>'
        for m in (15, 10, 5, 0)
    )
    return grid + marks + f'<text x="{_LEFT + 4}" y="12">{e(unit)}</text>'


def _key(names: Sequence[str], kinds: Sequence[int]) -> str:
    spans = "".join(
        f'<span><i class="k{k}"></i>{e(n)}</span>' for n, k in zip(names, kinds, strict=True)
    )
    return f"<div class=key>{spans}</div>"


def outcome_chart(bins: Sequence[Second]) -> str:
    """Stacked bars of attempts per second by what they ended with (:data:`KINDS`)."""
    rates = [[n / BIN for n in b.kinds] for b in bins]
    top = _nice(max([sum(r) for r in rates] + [0.0]))
    plot = _H - _BOTTOM
    width = (_W - _LEFT) / len(bins)
    bars = []
    for i, rate in enumerate(rates):
        base = float(plot)
        for kind, value in enumerate(rate):
            if value:
                tall = value / top * (plot - 8)
                base -= tall
                bars.append(
                    f'<rect class="k{kind}" x="{_LEFT + i * width:.1f}" y="{base:.1f}"'
                    f' width="{max(width - 1, 1):.1f}" height="{tall:.1f}"/>'
                )
    totals = [sum(b.kinds[k] for b in bins) for k in range(len(KINDS))]
    label = "Attempts per second by outcome, last 15 minutes: " + ", ".join(
        f"{n} {kind}" for kind, n in zip(KINDS, totals, strict=True)
    )
    svg = _frame(
        "outcome-chart", label, _W, _H, _axes(top, "attempts/s") + "".join(bars), sum(totals)
    )
    return svg + _key([f"{k} ({n})" for k, n in zip(KINDS, totals, strict=True)], range(4))


def _lines(
    test_id: str,
    label: str,
    unit: str,
    series: Sequence[Sequence[float | None]],
    kinds: Sequence[int],
) -> str:
    top = _nice(max([v for s in series for v in s if v is not None] + [0.0]))
    plot = _H - _BOTTOM
    step = (_W - _LEFT) / max(1, BINS - 1)
    paths = []
    for values, kind in zip(series, kinds, strict=True):
        d: list[str] = []
        pen, dots = "M", []
        for i, v in enumerate(values):
            if v is None:
                pen = "M"
                continue
            x, y = _LEFT + i * step, plot - v / top * (plot - 8)
            d.append(f"{pen}{x:.1f},{y:.1f}")
            if pen == "M" and (i + 1 == len(values) or values[i + 1] is None):  # a point alone
                dots.append(f'<circle class="k{kind}" cx="{x:.1f}" cy="{y:.1f}" r="4"/>')
            pen = "L"
        if d:
            paths.append(f'<path class="line k{kind}" stroke-width="2" d="{" ".join(d)}"/>')
        paths += dots
    total = sum(v for s in series for v in s if v is not None)
    return _frame(test_id, label, _W, _H, _axes(top, unit) + "".join(paths), total)


def depth_chart(samples: Sequence[tuple[int, Depth]], now_s: int) -> str:
    """Lines of the queue's waiting, retrying and in-flight tasks over the window."""
    first = _bins(now_s)
    series: list[list[float | None]] = [[None] * BINS for _ in range(3)]
    for second, depth in samples:  # the latest sample of each bin
        i = (second - first) // BIN
        if 0 <= i < BINS:
            for k in range(3):
                series[k][i] = float(depth[k])
    latest = samples[-1][1] if samples else (0, 0, 0)
    label = (
        f"Tasks in the queue, last 15 minutes: now {latest[0]} waiting,"
        f" {latest[1]} retrying, {latest[2]} in flight"
    )
    chart = _lines("depth-chart", label, "tasks", series, (4, 1, 3))
    return chart + _key(["waiting", "retrying", "in flight"], (4, 1, 3))


def latency_chart(bins: Sequence[Second]) -> str:
    """Lines of the p50 and p95 delivery latency of each bin, in milliseconds."""
    p50 = [percentile(b.latencies, 0.5) for b in bins]
    p95 = [percentile(b.latencies, 0.95) for b in bins]
    ms50 = [v * 1000 if v is not None else None for v in p50]
    ms95 = [v * 1000 if v is not None else None for v in p95]
    last = next((i for i in range(len(bins) - 1, -1, -1) if ms50[i] is not None), None)
    now = (
        "no attempts"
        if last is None
        else f"latest p50 {ms50[last]:.3g} ms, p95 {ms95[last]:.3g} ms"
    )
    label = f"Delivery latency, last 15 minutes: {now}"
    return _lines("latency-chart", label, "ms", (ms50, ms95), (0, 2)) + _key(["p50", "p95"], (0, 2))
