"""Charts drawn on the server as inline SVG: no script, nothing fetched at run time.

Each chart has a visible title, axes with titles and tick labels, a legend when it has several
series, an accessible name (``<title>``) and description (``<desc>``), and a ``<title>`` per bar
(the value on hover). Bars carry ``data-label``, ``data-series`` and ``data-value`` so a test or a
browser check can read what was drawn. Text is escaped; widths of CJK text are estimated (a CJK
character is one em, anything else about 0.6 em).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

# Okabe-Ito: told apart with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_COLOR = "#999999"
OTHER = "其他 / Other"
WIDTH = 760
FONT = 12
FONT_FAMILY = (
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', "
    "'WenQuanYi Micro Hei', sans-serif"
)
# Presentation attributes, so a chart saved on its own looks the same without the page's CSS.
STYLE = {
    "zwgk-chart-title": ' font-size="15" font-weight="bold" fill="#222"',
    "zwgk-axis-title": ' font-size="12" fill="#444"',
    "zwgk-tick": ' font-size="11" fill="#444"',
    "zwgk-label": ' font-size="12" fill="#222"',
    "zwgk-value": ' font-size="11" fill="#222"',
    "zwgk-chart-legend-label": ' font-size="12" fill="#222"',
    "zwgk-empty": ' font-size="16" fill="#666"',
    "zwgk-grid": ' stroke="#e2e2e2" stroke-width="1"',
    "zwgk-axis-line": ' stroke="#444" stroke-width="1"',
}
NO_DATA = "暂无数据 · No data"


def format_count(value: float) -> str:
    """An integer count with thousands separators: ``12,345``."""
    return f"{round(value):,}"


def format_yuan(value: float) -> str:
    """An amount in yuan, short as Chinese readers write it: ``3.5亿``, ``120万``, ``8,000``."""
    for unit, size in (("亿", 1e8), ("万", 1e4)):
        if abs(value) >= size:
            return f"{value / size:,.4g}{unit}"
    return f"{value:,.0f}"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


@dataclass(frozen=True)
class ChartSpec:
    """What to draw: one value per label and series (stacked when there are several series)."""

    chart_id: str
    title: str
    description: str
    x_title: str
    y_title: str
    labels: list[str]
    series: list[Series]
    value_format: Callable[[float], str] = format_count
    horizontal: bool = False
    colors: list[str] = field(default_factory=list)
    #: The top of the value axis when it has a natural one (100 for percentages); else the
    #: largest total, rounded up.
    y_max: float | None = None

    @property
    def totals(self) -> list[float]:
        return [sum(s.values[i] or 0 for s in self.series) for i in range(len(self.labels))]

    @property
    def empty(self) -> bool:
        return not self.labels or not any(self.totals)


def text_width(text: str, size: float = FONT) -> float:
    """Estimated width of ``text`` at font ``size``: CJK one em, anything else 0.6 em."""
    return sum(size if ord(char) > 0x2E80 else 0.6 * size for char in text)


def clip(text: str, width: float, size: float = FONT) -> str:
    """``text`` cut with an ellipsis to fit ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2 or 5 × 10^k."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def color(spec: ChartSpec, index: int) -> str:
    if spec.colors:
        return spec.colors[index % len(spec.colors)]
    if spec.series[index].name == OTHER:
        return OTHER_COLOR
    return PALETTE[index % len(PALETTE)]


def _text(x: float, y: float, text: str, cls: str, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}" text-anchor="{anchor}"{STYLE.get(cls, "")}'
        f"{extra}>"
        f"{escape(text)}</text>"
    )


def _line(x1: float, x2: float, y1: float, y2: float, cls: str) -> str:
    return (
        f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" class="{cls}"'
        f"{STYLE.get(cls, '')}/>"
    )


def _bar(x: float, y: float, w: float, h: float, fill: str, label: str, name: str, value) -> str:
    tip = f"{label} · {name}: {value}"
    return (
        f'<rect class="zwgk-bar" x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" '
        f'height="{max(h, 0):.1f}" fill="{fill}" data-label="{escape(label)}" '
        f'data-series="{escape(name)}" data-value="{escape(value)}"><title>{escape(tip)}</title>'
        "</rect>"
    )


def _open(spec: ChartSpec, height: float, cls: str = "zwgk-chart") -> list[str]:
    cid = escape(spec.chart_id)
    return [
        f'<svg class="{cls}" id="{cid}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT}" aria-labelledby="{cid}-title {cid}-desc">',
        f'<title id="{cid}-title">{escape(spec.title)}</title>',
        f'<desc id="{cid}-desc">{escape(spec.description)}</desc>',
        _text(WIDTH / 2, 22, spec.title, "zwgk-chart-title", "middle"),
    ]


def _legend(spec: ChartSpec, y: float) -> tuple[list[str], float]:
    """Swatches and names of the series, wrapped to the chart's width; returns (parts, height)."""
    if len(spec.series) < 2:
        return [], 0.0
    parts, x, row = ['<g class="zwgk-chart-legend">'], 16.0, 0
    for index, series in enumerate(spec.series):
        width = 18 + text_width(series.name) + 16
        if x + width > WIDTH - 16 and x > 16:
            x, row = 16.0, row + 1
        top = y + row * 18
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="12" height="12" fill="{color(spec, index)}"/>'
        )
        parts.append(_text(x + 16, top + 10.5, series.name, "zwgk-chart-legend-label"))
        x += width
    parts.append("</g>")
    return parts, (row + 1) * 18 + 6


def column_chart(spec: ChartSpec) -> Markup:
    """Vertical bars, one per label (months, years), stacked by series; a note when empty."""
    if spec.empty:
        return empty_chart(spec)
    totals = spec.totals
    ticks = nice_ticks(spec.y_max or max(totals))
    tick_width = max(text_width(spec.value_format(t)) for t in ticks)
    legend, legend_height = _legend(spec, 34)
    left, right, top, bottom = tick_width + 34, 16, 40 + legend_height, 64
    plot_w, plot_h = WIDTH - left - right, 220
    height = top + plot_h + bottom
    scale = plot_h / ticks[-1]
    parts = _open(spec, height) + legend
    parts += _y_axis(spec, ticks, left, top, plot_w, plot_h, scale)
    band = plot_w / len(spec.labels)
    every = max(1, math.ceil((text_width(max(spec.labels, key=len)) + 6) / band))
    for i, label in enumerate(spec.labels):
        x, base = left + i * band + band * 0.1, top + plot_h
        for s_index, series in enumerate(spec.series):
            value = series.values[i] or 0
            h = value * scale
            base -= h
            if value:
                fill = color(spec, s_index)
                parts.append(_bar(x, base, band * 0.8, h, fill, label, series.name, value))
        if i % every == 0:
            parts.append(_text(x + band * 0.4, top + plot_h + 16, label, "zwgk-tick", "middle"))
    parts.append(_text(left + plot_w / 2, height - 12, spec.x_title, "zwgk-axis-title", "middle"))
    parts.append("</svg>")
    return Markup("\n".join(parts))  # noqa: S704 - every text above went through escape()


def _y_axis(spec, ticks, left, top, plot_w, plot_h, scale) -> list[str]:
    parts = ['<g class="zwgk-axis zwgk-axis-y">']
    for tick in ticks:
        y = top + plot_h - tick * scale
        parts.append(_line(left, left + plot_w, y, y, "zwgk-grid"))
        parts.append(_text(left - 6, y + 4, spec.value_format(tick), "zwgk-tick", "end"))
    x_axis = top + plot_h
    parts.append(_line(left, left + plot_w, x_axis, x_axis, "zwgk-axis-line"))
    mid = top + plot_h / 2
    rotate = f' transform="rotate(-90 14 {mid:.1f})"'
    parts.append(_text(14, mid, spec.y_title, "zwgk-axis-title", "middle", rotate))
    parts.append("</g>")
    return parts


def bar_chart(spec: ChartSpec) -> Markup:
    """Horizontal bars, one per label (long CJK names fit on the left); the value at each end."""
    if spec.empty:
        return empty_chart(spec)
    series, values = spec.series[0], spec.totals
    label_w, top, row = 220.0, 44.0, 24.0
    value_w = max(text_width(spec.value_format(v)) for v in values) + 12
    plot_w = WIDTH - label_w - value_w - 24
    height = top + row * len(values) + 52
    ticks = nice_ticks(max(values), 4)
    scale = plot_w / ticks[-1]
    parts = _open(spec, height)
    for tick in ticks:
        x = label_w + tick * scale
        parts.append(_line(x, x, top, top + row * len(values), "zwgk-grid"))
        parts.append(
            _text(x, top + row * len(values) + 16, spec.value_format(tick), "zwgk-tick", "middle")
        )
    for i, (label, value) in enumerate(zip(spec.labels, values, strict=True)):
        y = top + i * row
        parts.append(
            _text(label_w - 8, y + row * 0.65, clip(label, label_w - 16), "zwgk-label", "end")
        )
        parts.append(
            _bar(label_w, y + 4, value * scale, row - 8, color(spec, 0), label, series.name, value)
        )
        parts.append(
            _text(
                label_w + value * scale + 6, y + row * 0.65, spec.value_format(value), "zwgk-value"
            )
        )
    parts.append(
        _text(label_w + plot_w / 2, height - 10, spec.x_title, "zwgk-axis-title", "middle")
    )
    parts.append("</svg>")
    return Markup("\n".join(parts))  # noqa: S704 - every text above went through escape()


def empty_chart(spec: ChartSpec) -> Markup:
    """The chart's frame with its title and a clear "no data" note instead of bars."""
    parts = _open(spec, 140, "zwgk-chart zwgk-chart-empty")
    parts.append(
        f'<rect x="16" y="36" width="{WIDTH - 32}" height="88" class="zwgk-empty-frame" '
        'fill="none" stroke="#bbb" stroke-dasharray="6 4"/>'
    )
    parts.append(_text(WIDTH / 2, 86, NO_DATA, "zwgk-empty", "middle"))
    parts.append("</svg>")
    return Markup("\n".join(parts))  # noqa: S704 - every text above went through escape()


@dataclass(frozen=True)
class Point:
    """One run of a sparkline: its label (run id, date), value and whether it went wrong."""

    label: str
    value: float
    alarm: bool = False


SPARK_WIDTH, SPARK_HEIGHT = 180, 36
SPARK_LINE = "#0072B2"
SPARK_ALARM = "#D55E00"


def sparkline(chart_id: str, title: str, points: list[Point]) -> Markup:
    """A small line of values (oldest first), one dot per point; dots of points that went wrong
    (``alarm``) in vermillion and larger. Each dot carries ``data-label``, ``data-value`` and
    ``data-alarm`` and a ``<title>``; the SVG has an accessible name."""
    cid = escape(chart_id)
    parts = [
        f'<svg class="zwgk-sparkline" id="{cid}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" width="{SPARK_WIDTH}" '
        f'height="{SPARK_HEIGHT}" aria-labelledby="{cid}-title">',
        f'<title id="{cid}-title">{escape(title)}</title>',
    ]
    if not points:
        parts.append(_text(SPARK_WIDTH / 2, 22, NO_DATA, "zwgk-tick", "middle"))
        parts.append("</svg>")
        return Markup("\n".join(parts))  # noqa: S704 - every text above went through escape()
    top = max(p.value for p in points) or 1
    pad, step = 5.0, (SPARK_WIDTH - 10.0) / max(len(points) - 1, 1)
    coords = [
        (pad + i * step if len(points) > 1 else SPARK_WIDTH / 2,
         SPARK_HEIGHT - pad - (SPARK_HEIGHT - 2 * pad) * p.value / top)
        for i, p in enumerate(points)
    ]  # fmt: skip
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    parts.append(
        f'<polyline points="{line}" fill="none" stroke="{SPARK_LINE}" stroke-width="1.5"/>'
    )
    for (x, y), point in zip(coords, points, strict=True):
        fill, radius = (SPARK_ALARM, 3.5) if point.alarm else (SPARK_LINE, 2.0)
        tip = f"{point.label}: {format_count(point.value)}"
        parts.append(
            f'<circle class="zwgk-spark-point" cx="{x:.1f}" cy="{y:.1f}" r="{radius}" '
            f'fill="{fill}" data-label="{escape(point.label)}" data-value="{point.value:g}" '
            f'data-alarm="{int(point.alarm)}"><title>{escape(tip)}</title></circle>'
        )
    parts.append("</svg>")
    return Markup("\n".join(parts))  # noqa: S704 - every text above went through escape()
