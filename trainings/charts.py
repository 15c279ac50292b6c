"""Charts drawn on the server as SVG (no JavaScript), so that a page and a PDF show the same picture (the
drawing rules and helpers are empowerment.charts': text at 12 units or more, labels fitted to their room, a
phone's drawing and a wide one)."""

from django.utils.html import escape
from django.utils.safestring import SafeString

from empowerment import charts
from empowerment.numbers import format_percent, format_score

BEFORE = "#6c757d"
AFTER = "#0b5394"


def _fmt(value) -> str:
    # A score with its real precision (3.25 stays 3.25), as everywhere else (empowerment.numbers).
    return format_score(value)


def _legend(entries, x: float, y: float) -> list[str]:
    parts = []
    for label, colour in entries:
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(charts._text(x + 16, y + 11, label))
        x += 16 + charts.text_width(label, charts.MIN_TEXT) + 18
    return parts


def paired_bars(rows, *, scale_max: float, title: str, before_label: str, after_label: str) -> SafeString:
    """Horizontal bars, two per row (before in grey, after in blue), for `rows` of (label, before, after);
    each row's label sits above its bars so it stays readable on a phone."""
    rows = [(str(label), before, after) for label, before, after in rows]
    scale_max = float(scale_max or 1)
    desc = "; ".join(
        f"{label}: {before_label} {_fmt(before)}, {after_label} {_fmt(after)}"
        for label, before, after in rows
    )

    def draw(width: int) -> str:
        left, top, row_h = 8, 30, 56
        value_room = 48
        bar_w = width - left - value_room - 8
        height = top + row_h * len(rows) + 6
        parts = charts._open("paired", width, height, title, desc or title, rows)
        parts.extend(_legend(((before_label, BEFORE), (after_label, AFTER)), left, 8))
        for i, (label, before, after) in enumerate(rows):
            y = top + i * row_h
            parts.append(charts._text(left, y + 12, charts.fit(label, width - 2 * left)))
            for j, (value, colour) in enumerate(((before, BEFORE), (after, AFTER))):
                w = 0 if value is None else round(bar_w * float(value) / scale_max, 1)
                by = y + 18 + j * 17
                parts.append(f'<rect x="{left}" y="{by}" width="{w}" height="15" fill="{colour}"/>')
                parts.append(charts._text(left + w + 4, by + 12, _fmt(value)))
        parts.append("</svg>")
        return "".join(parts)

    return charts.responsive(draw)


def percent_columns(rows, *, title: str) -> SafeString:
    """Vertical bars of percentages (0–100) for `rows` of (label, value or None), with a labelled 0–100%
    axis; the columns share the width they are given."""
    rows = [(str(label), value) for label, value in rows]
    desc = "; ".join(f"{label}: {format_percent(value)}" for label, value in rows) or title

    def draw(width: int) -> str:
        chart_h, left, top = 160, 46, 22
        height = top + chart_h + 30
        col_w = min((width - left - 8) / max(len(rows), 1), 64)
        parts = charts._open("percent", width, height, title, desc, rows)
        for pct in (0, 50, 100):
            y = top + chart_h - chart_h * pct / 100
            parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y}" y2="{y}" stroke="{charts.GRID}"/>')
            parts.append(charts._text(left - 4, y + 4, f"{pct}%", anchor="end", fill=charts.MUTED))
        label_every = max(1, int(-(-(charts.text_width("00", charts.MIN_TEXT) + 6) // col_w)))
        for i, (label, value) in enumerate(rows):
            x = left + i * col_w + col_w * 0.15
            bar = col_w * 0.7
            h = 0 if value is None else chart_h * float(value) / 100
            parts.append(
                f'<rect x="{x:.1f}" y="{top + chart_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{AFTER}">'
                f"<title>{escape(label)}: {escape(format_percent(value))}</title></rect>"
            )
            if value is not None and col_w >= charts.text_width("100.0%", charts.MIN_TEXT) + 4:
                parts.append(
                    charts._text(x + bar / 2, top + chart_h - h - 4, format_percent(value), anchor="middle")
                )
            if i % label_every == 0:
                parts.append(charts._text(x + bar / 2, top + chart_h + 18, label, anchor="middle"))
        parts.append("</svg>")
        return "".join(parts)

    return charts.responsive(draw)
