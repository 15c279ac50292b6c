"""Charts drawn on the server as SVG, so that a web page and its PDF show the same picture.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (referenced by aria-labelledby)
and visible text labels with the values, so it reads without colour and without JavaScript. All text is
escaped. No scripts, no event attributes and no ``style`` attributes: only SVG presentation attributes
(``fill=``, ``stroke=``...), which the strict Content-Security-Policy allows.

Amounts arrive as Decimal (or int); they become floats only to compute coordinates, never for the
labels, which the caller's ``fmt`` formats (e.g. ``empowerment.money.format_money``).
"""

import hashlib
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


def _truncate(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(kind: str, width: int, height: int, title: str, desc: str, key) -> list[str]:
    chart_id = _id(kind, title, desc, key)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'class="chart chart-{kind}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'preserveAspectRatio="xMinYMin meet" font-family="Noto Sans CJK SC, Noto Sans, sans-serif">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]


def _text(x, y, text, *, size=12, anchor="start", fill=TEXT, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
        f'font-weight="{weight}">{escape(str(text))}</text>'
    )


def _empty(kind: str, title: str, desc: str, message: str) -> SafeString:
    parts = _open(kind, 600, 60, title, desc, "empty")
    parts.append(_text(10, 35, message, fill=MUTED))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def _describe(title: str, items: Sequence[tuple[str, object]], fmt: Callable) -> str:
    return f"{title}: " + "; ".join(f"{label} {fmt(value)}" for label, value in items)


def bar_chart(
    items: Sequence[tuple[str, object]],
    *,
    title: str,
    desc: str = "",
    fmt: Callable = _plain,
    empty: str = "No data yet.",
    width: int = 640,
) -> SafeString:
    """Horizontal bars, one per (label, value), each labelled with its value. Long labels stay readable on
    a phone because they sit above their bar."""
    items = [(str(label), value) for label, value in items]
    desc = desc or _describe(title, items, fmt)
    if not items:
        return _empty("bar", title, desc, empty)
    top, row, bar_h, left, right = 8, 40, 16, 8, 8
    height = top + row * len(items) + 4
    biggest = max((_num(v) for _, v in items), default=0) or 1.0
    usable = width - left - right - 130
    parts = _open("bar", width, height, title, desc, items)
    for i, (label, value) in enumerate(items):
        y = top + i * row
        length = max(0.0, _num(value)) / biggest * usable
        parts.append(_text(left, y + 12, _truncate(label, 60)))
        parts.append(
            f'<rect x="{left}" y="{y + 18}" width="{max(length, 1.0):.1f}" height="{bar_h}" '
            f'fill="{colour(i)}" rx="2"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
        )
        parts.append(_text(left + length + 6, y + 31, fmt(value), weight="bold"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[object]]],
    series: Sequence[str],
    *,
    title: str,
    desc: str = "",
    fmt: Callable = _plain,
    empty: str = "No data yet.",
    width: int = 640,
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
    if not rows:
        return _empty("stacked", title, desc, empty)
    legend_rows = (len(series) + 2) // 3
    top, row, bar_h, left = 8 + legend_rows * 20 + 6, 40, 16, 8
    height = top + row * len(rows) + 4
    biggest = max((_num(t) for t in totals), default=0) or 1.0
    usable = width - left - 8 - 130
    parts = _open("stacked", width, height, title, desc, (rows, list(series)))
    for s, name in enumerate(series):
        lx = left + (s % 3) * (width // 3)
        ly = 8 + (s // 3) * 20
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour(s)}"/>')
        parts.append(_text(lx + 17, ly + 11, _truncate(name, 28), size=11))
    for i, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        y = top + i * row
        parts.append(_text(left, y + 12, _truncate(label, 60)))
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
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[object]]],
    *,
    title: str,
    desc: str = "",
    fmt: Callable = _plain,
    empty: str = "No data yet.",
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Lines over time (e.g. months): one polyline per series with a dot and value label per point,
    x-axis labels under the points and a legend."""
    labels = [str(label) for label in labels]
    desc = desc or (
        f"{title}: "
        + "; ".join(
            f"{name}: " + ", ".join(f"{lab} {fmt(v)}" for lab, v in zip(labels, values, strict=False))
            for name, values in series
        )
    )
    if not labels or not series:
        return _empty("line", title, desc, empty)
    left, right, top, bottom = 16, 24, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    biggest = max((_num(v) for _, values in series for v in values), default=0) or 1.0
    step = plot_w / max(len(labels) - 1, 1)
    parts = _open("line", width, height, title, desc, (labels, [(n, list(v)) for n, v in series]))
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{GRID}"/>'
    )
    every = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            parts.append(
                _text(left + i * step, height - bottom + 18, label, size=10, anchor="middle", fill=MUTED)
            )
    for s, (name, values) in enumerate(series):
        lx = left + s * 200
        parts.append(f'<rect x="{lx}" y="6" width="12" height="12" fill="{colour(s)}"/>')
        parts.append(_text(lx + 17, 17, _truncate(name, 26), size=11))
        points = [
            (left + i * step, top + plot_h - max(0.0, _num(v)) / biggest * plot_h)
            for i, v in enumerate(values)
        ]
        if len(points) > 1:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour(s)}" stroke-width="2"/>')
        for i, ((x, y), value) in enumerate(zip(points, values, strict=False)):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour(s)}">'
                f"<title>{escape(name)} · {escape(labels[i])}: {escape(fmt(value))}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def sankey(
    columns: Sequence[Sequence[tuple[str, str]]],
    links: Sequence[tuple[str, str, object]],
    *,
    title: str,
    desc: str = "",
    fmt: Callable = _plain,
    empty: str = "No money has moved in this period.",
    width: int = 900,
    height: int = 420,
) -> SafeString:
    """A Sankey-style flow diagram: columns of nodes (each a list of (key, label)); links (source key,
    target key, amount) drawn as bands whose thickness is proportional to the amount. A node is as tall as
    the larger of what flows into it and out of it; its label shows that amount."""
    links = [(s, t, v) for s, t, v in links if _num(v) > 0]
    labels = {key: str(label) for column in columns for key, label in column}
    desc = desc or (
        f"{title}: " + "; ".join(f"{labels.get(s, s)} → {labels.get(t, t)} {fmt(v)}" for s, t, v in links)
    )
    if not links:
        return _empty("sankey", title, desc, empty)
    inflow: dict[str, Decimal] = {}
    outflow: dict[str, Decimal] = {}
    for s, t, v in links:
        outflow[s] = outflow.get(s, Decimal(0)) + Decimal(v)
        inflow[t] = inflow.get(t, Decimal(0)) + Decimal(v)
    size = {key: max(inflow.get(key, Decimal(0)), outflow.get(key, Decimal(0))) for key in labels}
    columns = [[(k, lab) for k, lab in column if size.get(k)] for column in columns]
    columns = [column for column in columns if column]
    gap, top, node_w = 14, 8, 14
    label_w = 150
    busiest = max(sum(_num(size[k]) for k, _ in column) for column in columns)
    tallest = max(len(column) for column in columns)
    scale = (height - top * 2 - gap * (tallest - 1)) / (busiest or 1.0)
    col_x = [
        label_w if len(columns) == 1 else i * (width - node_w - label_w) / (len(columns) - 1)
        for i in range(len(columns))
    ]
    pos: dict[str, tuple[float, float, float]] = {}
    for c, column in enumerate(columns):
        y = float(top)
        for key, _label in column:
            h = max(_num(size[key]) * scale, 1.0)
            pos[key] = (col_x[c], y, h)
            y += h + gap
    parts = _open("sankey", width, height, title, desc, (list(map(list, columns)), links))
    out_offset = dict.fromkeys(pos, 0.0)
    in_offset = dict.fromkeys(pos, 0.0)
    order = {key: i for i, key in enumerate(pos)}
    for s, t, v in sorted(links, key=lambda link: (order.get(link[0], 0), order.get(link[1], 0))):
        if s not in pos or t not in pos:
            continue
        band = _num(v) * scale
        sx, sy, _ = pos[s]
        tx, ty, _ = pos[t]
        x0, x1 = sx + node_w, tx
        y0 = sy + out_offset[s] + band / 2
        y1 = ty + in_offset[t] + band / 2
        out_offset[s] += band
        in_offset[t] += band
        mid = (x0 + x1) / 2
        parts.append(
            f'<path d="M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},{y1:.1f}" '
            f'fill="none" stroke="{colour(order[s])}" stroke-opacity="0.35" stroke-width="{max(band, 1.0):.1f}">'
            f"<title>{escape(labels.get(s, s))} → {escape(labels.get(t, t))}: {escape(fmt(v))}</title></path>"
        )
    last = len(columns) - 1
    for c, column in enumerate(columns):
        for key, label in column:
            x, y, h = pos[key]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" fill="{colour(order[key])}">'
                f"<title>{escape(label)}: {escape(fmt(size[key]))}</title></rect>"
            )
            if c == last:
                tx, anchor = x - 4, "end"
            else:
                tx, anchor = x + node_w + 4, "start"
            ty = y + min(h / 2, 14) + 4
            parts.append(_text(tx, ty, _truncate(label, 22), size=11, anchor=anchor))
            parts.append(_text(tx, ty + 13, fmt(size[key]), size=10, anchor=anchor, fill=MUTED))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
