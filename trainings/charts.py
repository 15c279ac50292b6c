"""Charts drawn on the server as SVG (no JavaScript), so that a page and a PDF show the same picture."""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from empowerment.numbers import format_score

BEFORE = "#adb5bd"
AFTER = "#0b5394"


def _fmt(value) -> str:
    # A score with its real precision (3.25 stays 3.25), as everywhere else (empowerment.numbers).
    return format_score(value)


def paired_bars(rows, *, scale_max: float, title: str, before_label: str, after_label: str) -> SafeString:
    """Horizontal bars, two per row (before in grey, after in blue), for `rows` of (label, before, after)."""
    label_w, bar_w, row_h, top = 210, 360, 40, 38
    width, height = label_w + bar_w + 60, top + row_h * len(rows) + 10
    scale_max = scale_max or 1
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-label="{}" class="chart" font-family="sans-serif" font-size="12">',
            width,
            height,
            title,
        ),
        format_html("<title>{}</title>", title),
        format_html('<rect x="{}" y="8" width="12" height="12" fill="{}"/>', label_w, BEFORE),
        format_html('<text x="{}" y="18">{}</text>', label_w + 16, before_label),
        format_html('<rect x="{}" y="8" width="12" height="12" fill="{}"/>', label_w + 130, AFTER),
        format_html('<text x="{}" y="18">{}</text>', label_w + 146, after_label),
    ]
    for i, (label, before, after) in enumerate(rows):
        y = top + i * row_h
        parts.append(
            format_html('<text x="{}" y="{}" text-anchor="end">{}</text>', label_w - 8, y + 17, label)
        )
        for j, (value, colour) in enumerate(((before, BEFORE), (after, AFTER))):
            w = 0 if value is None else round(bar_w * float(value) / scale_max, 1)
            by = y + 2 + j * 16
            parts.append(
                format_html('<rect x="{}" y="{}" width="{}" height="14" fill="{}"/>', label_w, by, w, colour)
            )
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11">{}</text>', label_w + w + 4, by + 11, _fmt(value)
                )
            )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - constant markup
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part is escaped above


def percent_columns(rows, *, title: str) -> SafeString:
    """Vertical bars of percentages (0–100) for `rows` of (label, value or None)."""
    col_w, chart_h, left, top = 44, 160, 34, 14
    width, height = left + col_w * max(len(rows), 1) + 10, top + chart_h + 46
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
            'aria-label="{}" class="chart" font-family="sans-serif" font-size="11">',
            width,
            height,
            title,
        ),
        format_html("<title>{}</title>", title),
    ]
    for pct in (0, 50, 100):
        y = top + chart_h - chart_h * pct / 100
        parts.append(
            format_html('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#dee2e6"/>', left, width, y, y)
        )
        parts.append(format_html('<text x="{}" y="{}" text-anchor="end">{}%</text>', left - 4, y + 4, pct))
    for i, (label, value) in enumerate(rows):
        x = left + i * col_w + 6
        h = 0 if value is None else chart_h * float(value) / 100
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                x,
                top + chart_h - h,
                col_w - 12,
                h,
                AFTER,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                x + (col_w - 12) / 2,
                top + chart_h + 14,
                label,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="10">{}</text>',
                x + (col_w - 12) / 2,
                top + chart_h - h - 3,
                _fmt(value),
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - constant markup
    return mark_safe("".join(escape(p) if not isinstance(p, SafeString) else str(p) for p in parts))  # noqa: S308
