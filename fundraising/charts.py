"""Bar charts drawn on the server as SVG, so a page and its PDF show the same chart (no scripts)."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from empowerment.money import format_money


def bar_chart(rows: list[tuple[str, Decimal]], *, title: str, width: int = 560, bar: int = 22) -> str:
    """Horizontal bars, one per (label, amount); amounts are Decimal yuan."""
    rows = [(str(label), amount or Decimal(0)) for label, amount in rows]
    label_w, value_w, gap = 170, 110, 6
    height = max(1, len(rows)) * (bar + gap) + 10
    peak = max((amount for _, amount in rows), default=Decimal(0)) or Decimal(1)
    span = width - label_w - value_w
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fundraising-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i, (label, amount) in enumerate(rows):
        y = 5 + i * (bar + gap)
        w = max(1, int(span * max(amount, Decimal(0)) / peak))
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar * 0.7:.0f}" text-anchor="end" font-size="12" fill="#333">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="#0b5394" rx="2"></rect>'
            f'<text x="{label_w + w + 6}" y="{y + bar * 0.7:.0f}" font-size="12" fill="#333">{escape(format_money(amount))}</text>'
        )
    if not rows:
        parts.append('<text x="10" y="20" font-size="12" fill="#666">—</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
