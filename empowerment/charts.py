"""Charts drawn on the server as SVG, so that a web page and its PDF show the same picture.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (referenced by aria-labelledby)
and visible text labels with the values, so it reads without colour and without JavaScript. All text is
escaped. No scripts, no event attributes and no ``style`` attributes: only SVG presentation attributes
(``fill=``, ``stroke=``...), which the strict Content-Security-Policy allows.

Readable on a phone: an SVG scales with its box, so text drawn at 12 units in a 640-unit picture shrinks to
6 CSS px on a 375-px screen. Each chart is therefore drawn twice, for a phone's width (NARROW units, shown
below 576 px) and for wider screens, and site.css shows one (PDFs show the wide one). Text is never drawn
smaller than MIN_TEXT units and no picture is wider than a PDF page's text, so text stays at 11 CSS px or
more everywhere. Labels are fitted to the room they have (by an estimate of their width) instead of
overflowing; the whole label is in the element's tooltip.

Amounts arrive as Decimal (or int); they become floats only to compute coordinates, never for the
labels, which the caller's ``fmt`` formats (e.g. ``empowerment.money.format_money``).
"""

import functools
import hashlib
import html
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

PALETTE = (
    "#1f5fa8",
    "#d9822b",
    "#2e8b57",
    "#b03a48",
    "#6f4e9c",
    "#138d90",
    "#8c6d1f",
    "#5a6b7b",
    "#c2549b",
    "#3c8d2f",
)
TEXT = "#212529"
MUTED = "#5c636a"
GRID = "#dee2e6"
NARROW = 340  # a 375-px phone's content box: 12 units stay at least 11 CSS px
WIDE = 640
MIN_TEXT = 12
PDF_TEXT_WIDTH = 670  # CSS px of an A4 page's text (empowerment/templates/pdf/base.html margins)


def escape(text) -> str:
    """The text escaped for HTML and SVG, as django.utils.html.escape does (the same characters), without
    its lazy-text wrapper: a page's charts escape thousands of labels."""
    return html.escape(str(text))


@functools.lru_cache(maxsize=4096)
def _ems(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def text_width(text: str, size: float) -> float:
    """An estimate of the drawn width of `text` at font size `size`: a CJK or full-width character is one
    em, anything else about 0.6 em (Noto Sans averages under that, so the estimate errs on the wide side).
    The widths in ems of the labels drawn are remembered (the same labels are measured on every page)."""
    return _ems(str(text)) * size


def fit(text: str, room: float, size: float = MIN_TEXT) -> str:
    """`text` shortened with an ellipsis so that it fits `room` units at `size`."""
    text = str(text)
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…" if text else ""


def compact(value) -> str:
    """An axis tick: 200,000 as 200k (English) or 20万 (Chinese); small numbers as they are."""
    number = _num(value)
    chinese = (get_language() or "").startswith("zh")
    steps = ((1e8, "亿"), (1e4, "万")) if chinese else ((1e9, "B"), (1e6, "M"), (1e4, "k"))
    for size, suffix in steps:
        if abs(number) >= size:
            shown = number / size if suffix != "k" else number / 1e3
            return f"{shown:,.1f}".rstrip("0").rstrip(".") + suffix
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def responsive(draw: Callable[[int], str], wide: int = WIDE) -> SafeString:
    """The chart drawn for a phone and for wider screens; CSS shows one (site.css `.chart-set`)."""
    return mark_safe(  # noqa: S308 - both drawings escape their text
        f'<div class="chart-set"><div class="chart-narrow">{draw(NARROW)}</div>'
        f'<div class="chart-wide">{draw(wide)}</div></div>'
    )


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _num(value) -> float:
    if value is None:
        return 0.0
    return float(Decimal(value))


def _plain(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _id(kind: str, *parts) -> str:
    """A stable id (same input, same id: a PDF stays byte-identical) for aria-labelledby."""
    digest = hashlib.sha1(repr((kind, parts)).encode(), usedforsecurity=False).hexdigest()[:10]
    return f"chart-{kind}-{digest}"


def _open(kind: str, width: int, height: float, title: str, desc: str, key) -> list[str]:
    chart_id = _id(kind, title, desc, key, width)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" width="100%" '
        f'class="chart chart-{kind}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'preserveAspectRatio="xMinYMin meet" font-family="Noto Sans CJK SC, Noto Sans, sans-serif">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]


def _text(x, y, text, *, size=MIN_TEXT, anchor="start", fill=TEXT, weight="normal", halo=False, rotate=None):
    extra = ' stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"' if halo else ""
    if rotate is not None:
        extra += f' transform="rotate({rotate} {x:.1f} {y:.1f})"'
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{max(size, MIN_TEXT)}" text-anchor="{anchor}" fill="{fill}" '
        f'font-weight="{weight}"{extra}>{escape(str(text))}</text>'
    )


def _empty(kind: str, title: str, desc: str, message: str, width: int = WIDE) -> str:
    parts = _open(kind, width, 60, title, desc, "empty")
    parts.append(_text(10, 35, fit(message, width - 20), fill=MUTED))
    parts.append("</svg>")
    return "".join(parts)


def _describe(title: str, items: Sequence[tuple[str, object]], fmt: Callable) -> str:
    return f"{title}: " + "; ".join(f"{label} {fmt(value)}" for label, value in items)


def _legend(names: Sequence[str], width: int, y: float, left: float = 8) -> tuple[list[str], float]:
    """Legend entries laid out left to right, wrapping to a new line when the next would not fit. Returns the
    parts and the height used."""
    parts, x, line = [], float(left), 0
    room = width - left - 8
    for s, name in enumerate(names):
        label = fit(name, room - 17)
        w = 17 + text_width(label, MIN_TEXT) + 14
        if x > left and x + w > width - 8:
            x, line = float(left), line + 1
        ly = y + line * 20
        parts.append(f'<rect x="{x:.1f}" y="{ly:.1f}" width="12" height="12" fill="{colour(s)}"/>')
        parts.append(_text(x + 17, ly + 11, label))
        x += w
    return parts, (line + 1) * 20 if names else 0


def bar_chart(
    items: Sequence[tuple[str, object]],
    *,
    title: str,
    desc: str = "",
    fmt: Callable = _plain,
    empty: str = "No data yet.",
    width: int | None = None,
) -> SafeString:
    """Horizontal bars, one per (label, value), each labelled with its value. Long labels stay readable on
    a phone because they sit above their bar. Drawn for a phone and a wide screen unless `width` is given."""
    items = [(str(label), value) for label, value in items]
    desc = desc or _describe(title, items, fmt)

    def draw(w: int) -> str:
        if not items:
            return _empty("bar", title, desc, empty, w)
        top, row, bar_h, left, right = 8, 40, 16, 8, 8
        height = top + row * len(items) + 4
        biggest = max((_num(v) for _, v in items), default=0) or 1.0
        value_room = max(text_width(fmt(v), MIN_TEXT) for _, v in items) + 10
        usable = max(w - left - right - value_room, 40)
        parts = _open("bar", w, height, title, desc, items)
        for i, (label, value) in enumerate(items):
            y = top + i * row
            length = max(0.0, _num(value)) / biggest * usable
            parts.append(_text(left, y + 13, fit(label, w - left - right)))
            parts.append(
                f'<rect x="{left}" y="{y + 18}" width="{max(length, 1.0):.1f}" height="{bar_h}" '
                f'fill="{colour(i)}" rx="2"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
            )
            parts.append(_text(left + length + 6, y + 31, fmt(value), weight="bold"))
        parts.append("</svg>")
        return "".join(parts)

    return mark_safe(draw(width)) if width else responsive(draw)  # noqa: S308 - all text escaped


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[object]]],
    series: Sequence[str],
    *,
    title: str,
    desc: str = "",
    fmt: Callable = _plain,
    empty: str = "No data yet.",
    width: int | None = None,
) -> SafeString:
    """Horizontal stacked bars: one bar per row, one coloured segment per series, a legend, and the
    row total printed beside each bar."""
    rows = [(str(label), list(values)) for label, values in rows]
    totals = [sum((Decimal(v or 0) for v in values), Decimal(0)) for _, values in rows]
    desc = desc or (
        f"{title}: "
        + "; ".join(
            f"{label} " + ", ".join(f"{s} {fmt(v)}" for s, v in zip(series, values, strict=False) if _num(v))
            for label, values in rows
        )
    )

    def draw(w: int) -> str:
        if not rows:
            return _empty("stacked", title, desc, empty, w)
        left = 8
        legend, legend_h = _legend(series, w, 8, left)
        top, row, bar_h = 8 + legend_h + 6, 40, 16
        height = top + row * len(rows) + 4
        biggest = max((_num(t) for t in totals), default=0) or 1.0
        value_room = max(text_width(fmt(t), MIN_TEXT) for t in totals) + 10
        usable = max(w - left - 8 - value_room, 40)
        parts = _open("stacked", w, height, title, desc, (rows, list(series)))
        parts.extend(legend)
        for i, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
            y = top + i * row
            parts.append(_text(left, y + 13, fit(label, w - 16)))
            x = float(left)
            for s, value in enumerate(values):
                length = max(0.0, _num(value)) / biggest * usable
                if length <= 0:
                    continue
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 18}" width="{length:.1f}" height="{bar_h}" fill="{colour(s)}">'
                    f"<title>{escape(label)} · {escape(series[s])}: {escape(fmt(value))}</title></rect>"
                )
                x += length
            parts.append(_text(x + 6, y + 31, fmt(total), weight="bold"))
        parts.append("</svg>")
        return "".join(parts)

    return mark_safe(draw(width)) if width else responsive(draw)  # noqa: S308 - all text escaped


def nice_ticks(biggest: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least `biggest` (1, 2, 2.5 or 5 times a power of ten apart)."""
    if biggest <= 0:
        return [0.0, 1.0]
    raw = biggest / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < biggest - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[object]]],
    *,
    title: str,
    desc: str = "",
    fmt: Callable = _plain,
    tick: Callable = compact,
    y_label: str = "",
    empty: str = "No data yet.",
    width: int | None = None,
    height: int = 260,
) -> SafeString:
    """Lines over time (e.g. months): one polyline per series with a dot per point (its value in the
    tooltip), a labelled y-axis with round ticks and grid lines, x-axis labels spaced so they never touch,
    and a legend."""
    labels = [str(label) for label in labels]
    desc = desc or (
        f"{title}: "
        + "; ".join(
            f"{name}: " + ", ".join(f"{lab} {fmt(v)}" for lab, v in zip(labels, values, strict=False))
            for name, values in series
        )
    )

    def draw(w: int) -> str:
        if not labels or not series:
            return _empty("line", title, desc, empty, w)
        legend, legend_h = _legend([name for name, _v in series], w, 6)
        biggest = max((_num(v) for _, values in series for v in values), default=0)
        ticks = nice_ticks(biggest)
        tick_labels = [tick(Decimal(str(t))) for t in ticks]
        axis_title = 18 if y_label else 0
        left = axis_title + max(text_width(t, MIN_TEXT) for t in tick_labels) + 10
        right, top, bottom = 16, 6 + legend_h + 10, 34
        plot_w, plot_h = w - left - right, height - top - bottom
        ceiling = ticks[-1] or 1.0
        step = plot_w / max(len(labels) - 1, 1)
        parts = _open("line", w, height, title, desc, (labels, [(n, list(v)) for n, v in series], y_label))
        parts.extend(legend)
        for value, text in zip(ticks, tick_labels, strict=True):
            y = top + plot_h - value / ceiling * plot_h
            parts.append(
                f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            )
            parts.append(_text(left - 6, y + 4, text, anchor="end", fill=MUTED))
        parts.append(
            f'<line x1="{left:.1f}" y1="{top}" x2="{left:.1f}" y2="{top + plot_h}" stroke="{MUTED}"/>'
            f'<line x1="{left:.1f}" y1="{top + plot_h}" x2="{left + plot_w:.1f}" y2="{top + plot_h}" '
            f'stroke="{MUTED}"/>'
        )
        if y_label:
            parts.append(
                _text(14, top + plot_h / 2, fit(y_label, plot_h), anchor="middle", fill=MUTED, rotate=-90)
            )
        label_room = max(text_width(label, MIN_TEXT) for label in labels) + 8
        every = max(1, math.ceil(label_room / step)) if len(labels) > 1 else 1
        for i, label in enumerate(labels):
            if i % every == 0:
                parts.append(_text(left + i * step, height - bottom + 20, label, anchor="middle", fill=MUTED))
        for s, (name, values) in enumerate(series):
            points = [
                (left + i * step, top + plot_h - max(0.0, _num(v)) / ceiling * plot_h)
                for i, v in enumerate(values)
            ]
            if len(points) > 1:
                coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                parts.append(
                    f'<polyline points="{coords}" fill="none" stroke="{colour(s)}" stroke-width="2"/>'
                )
            for i, ((x, y), value) in enumerate(zip(points, values, strict=False)):
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour(s)}">'
                    f"<title>{escape(name)} · {escape(labels[i])}: {escape(fmt(value))}</title></circle>"
                )
        parts.append("</svg>")
        return "".join(parts)

    return mark_safe(draw(width)) if width else responsive(draw)  # noqa: S308 - all text escaped


@dataclass(frozen=True)
class Box:
    """A rectangle in the picture's units (x, y is the top left corner)."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: "Box") -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


@dataclass
class SankeyLayout:
    width: int
    height: float
    scale: float
    nodes: dict[str, tuple[float, float, float]]  # key: (x, y, height)
    labels: dict[str, tuple[str, str, Box]]  # key: (name as drawn, amount as drawn, box of both lines)
    column: dict[str, int]


SANKEY_NODE = 14
SANKEY_GAP = 10
SANKEY_LINE = 15  # one line of label text at MIN_TEXT, with its leading


def sankey_layout(columns, size: dict, fmt: Callable, *, width: int, height: int) -> SankeyLayout:
    """Where each node and its label go. Every label sits to the right of its node, in its column's own
    strip (as wide as the space to the next column), so labels of different columns never meet; within a
    column each node takes at least its label's two lines, so labels of one column never meet either. The
    picture grows taller when many small nodes need the room."""
    top = 8
    count = len(columns)
    spacing = (width + 8) / count  # each column: node, then its label strip up to the next column
    room = spacing - SANKEY_NODE - 12
    label_h = 2 * SANKEY_LINE
    busiest = max(sum(_num(size[k]) for k, _ in column) for column in columns) or 1.0
    tallest = max(len(column) for column in columns)
    scale = max((height - top * 2 - SANKEY_GAP * (tallest - 1)) / busiest, 0.0)
    nodes, labels, column_of = {}, {}, {}
    bottom = 0.0
    for c, column in enumerate(columns):
        x = c * spacing
        y = float(top)
        for key, label in column:
            h = max(_num(size[key]) * scale, 1.0)
            nodes[key] = (x, y, h)
            column_of[key] = c
            name, amount = fit(label, room), fit(fmt(size[key]), room)
            box_w = max(text_width(name, MIN_TEXT), text_width(amount, MIN_TEXT))
            labels[key] = (name, amount, Box(x + SANKEY_NODE + 4, y, box_w, label_h))
            y += max(h, label_h) + SANKEY_GAP
        bottom = max(bottom, y - SANKEY_GAP)
    return SankeyLayout(width, max(float(height), bottom + top), scale, nodes, labels, column_of)


def sankey(
    columns: Sequence[Sequence[tuple[str, str]]],
    links: Sequence[tuple[str, str, object]],
    *,
    title: str,
    desc: str = "",
    fmt: Callable = _plain,
    empty: str = "No money has moved in this period.",
    width: int = 720,
    height: int = 420,
) -> SafeString:
    """A Sankey-style flow diagram: columns of nodes (each a list of (key, label)); links (source key,
    target key, amount) drawn as bands whose thickness is proportional to the amount. A node is as tall as
    the larger of what flows into it and out of it; its label shows that amount (see sankey_layout). Drawn
    once, at a width a PDF page and a desktop screen hold; on a phone the page shows it at this size in a
    box that scrolls sideways (transparency's fund-flow template puts the table first)."""
    links = [(s, t, v) for s, t, v in links if _num(v) > 0]
    names = {key: str(label) for column in columns for key, label in column}
    desc = desc or (
        f"{title}: " + "; ".join(f"{names.get(s, s)} → {names.get(t, t)} {fmt(v)}" for s, t, v in links)
    )
    if not links:
        return mark_safe(_empty("sankey", title, desc, empty, width))  # noqa: S308 - escaped
    inflow: dict[str, Decimal] = {}
    outflow: dict[str, Decimal] = {}
    for s, t, v in links:
        outflow[s] = outflow.get(s, Decimal(0)) + Decimal(v)
        inflow[t] = inflow.get(t, Decimal(0)) + Decimal(v)
    size = {key: max(inflow.get(key, Decimal(0)), outflow.get(key, Decimal(0))) for key in names}
    columns = [[(k, lab) for k, lab in column if size.get(k)] for column in columns]
    columns = [column for column in columns if column]
    layout = sankey_layout(columns, size, fmt, width=width, height=height)
    pos = layout.nodes
    parts = _open("sankey", width, layout.height, title, desc, (list(map(list, columns)), links))
    out_offset = dict.fromkeys(pos, 0.0)
    in_offset = dict.fromkeys(pos, 0.0)
    order = {key: i for i, key in enumerate(pos)}
    for s, t, v in sorted(links, key=lambda link: (order.get(link[0], 0), order.get(link[1], 0))):
        if s not in pos or t not in pos:
            continue
        band = _num(v) * layout.scale
        sx, sy, _ = pos[s]
        tx, ty, _ = pos[t]
        x0, x1 = sx + SANKEY_NODE, tx
        y0 = sy + out_offset[s] + band / 2
        y1 = ty + in_offset[t] + band / 2
        out_offset[s] += band
        in_offset[t] += band
        mid = (x0 + x1) / 2
        parts.append(
            f'<path d="M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}" '
            f'fill="none" stroke="{colour(order[s])}" stroke-opacity="0.35" stroke-width="{max(band, 1.0):.1f}">'
            f"<title>{escape(names.get(s, s))} → {escape(names.get(t, t))}: {escape(fmt(v))}</title></path>"
        )
    for key, (x, y, h) in pos.items():
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{SANKEY_NODE}" height="{h:.1f}" fill="{colour(order[key])}">'
            f"<title>{escape(names[key])}: {escape(fmt(size[key]))}</title></rect>"
        )
        name, amount, box = layout.labels[key]
        parts.append(_text(box.x, box.y + 12, name, halo=True))
        parts.append(_text(box.x, box.y + 12 + SANKEY_LINE, amount, fill=MUTED, halo=True))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
