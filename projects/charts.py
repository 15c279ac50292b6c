"""Charts drawn on the server as SVG, so a page and its PDF show the same picture (the drawing rules and
helpers are empowerment.charts': text at 12 units or more, labels fitted to their room, a phone's drawing
and a wide one)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from empowerment import charts
from empowerment.numbers import format_number

MATRIX_WIDTH = charts.NARROW  # one drawing that reads on a phone; CSS caps its width on wide screens


def priority_matrix(needs) -> SafeString:
    """A severity × urgency grid (1–5 each); each need is a numbered bubble (its rank) whose size grows
    with the people-affected score; the top-ranked need is drawn in the strong colour."""
    left, top = 44, 12
    cell = (MATRIX_WIDTH - left - 12) / 5
    width, height = MATRIX_WIDTH, top + cell * 5 + 44
    needs = list(needs)
    title = _("Priority matrix")
    desc = "; ".join(
        f"{n.rank}. {n.title}: {_('Severity')} {n.score_by_key.get('severity') or '—'}, "
        f"{_('Urgency')} {n.score_by_key.get('urgency') or '—'}"
        for n in needs
    )
    parts = charts._open("matrix", width, height, title, desc or title, [n.pk for n in needs])
    parts[0] = parts[0].replace('class="chart chart-matrix"', 'class="chart chart-matrix priority-matrix"')
    for i in range(5):
        for j in range(5):
            heat = (i + (4 - j)) / 8  # lighter bottom-left, warmer top-right
            colour = f"rgb({int(255 - 40 * heat)},{int(250 - 90 * heat)},{int(240 - 140 * heat)})"
            parts.append(
                f'<rect x="{left + i * cell:.1f}" y="{top + j * cell:.1f}" width="{cell:.1f}" '
                f'height="{cell:.1f}" fill="{colour}" stroke="#fff"/>'
            )
    for k in range(1, 6):
        parts.append(charts._text(left + (k - 0.5) * cell, top + 5 * cell + 16, k, anchor="middle"))
        parts.append(charts._text(left - 8, top + (5.5 - k) * cell + 4, k, anchor="end"))
    parts.append(charts._text(left + 2.5 * cell, top + 5 * cell + 36, _("Urgency"), anchor="middle"))
    parts.append(charts._text(16, top + 2.5 * cell, _("Severity"), anchor="middle", rotate=-90))
    placed: dict[tuple[int, int], int] = {}
    for need in needs:
        sev = need.score_by_key.get("severity")
        urg = need.score_by_key.get("urgency")
        if not sev or not urg:
            continue
        reach = need.score_by_key.get("people_affected") or 1
        n = placed.get((sev, urg), 0)
        placed[(sev, urg)] = n + 1
        cx = left + (urg - 0.5) * cell + (n % 3 - 1) * 14 * (1 if n else 0)
        cy = top + (5.5 - sev) * cell + (n // 3) * 14
        r = 8 + reach * 2.2
        fill = "#0b5394" if need.rank == 1 else "#3d85c6"
        title_text = f"{need.rank}. {need.title} ({need.weighted_score})"
        parts.append(
            f'<g><title>{escape(title_text)}</title><circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" '
            f'fill="{fill}" fill-opacity="0.9" stroke="#fff"/>'
            f"{charts._text(cx, cy + 4, need.rank, anchor='middle', fill='#fff', weight='bold')}</g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def indicator_chart(progress) -> SafeString:
    """Horizontal bars: each indicator's progress from baseline to target, with its current value."""
    progress = list(progress)
    rows = []
    for item in progress:
        ind = item.indicator
        current = "—" if item.current is None else format_number(item.current)
        rows.append((f"{ind.name}: {current} / {format_number(ind.target)} {ind.unit}", item.percent))
    title = _("Indicator progress against target")
    desc = "; ".join(f"{label} ({percent}%)" for label, percent in rows) or title

    def draw(width: int) -> str:
        row, left = 48, 8
        bar_width = width - 2 * left
        height = max(row * len(rows), row) + 8
        parts = charts._open("indicators", width, height, title, desc, rows)
        for i, (label, percent) in enumerate(rows):
            y = 4 + i * row
            parts.append(charts._text(left, y + 13, charts.fit(label, bar_width)))
            parts.append(
                f'<rect x="{left}" y="{y + 19}" width="{bar_width}" height="18" rx="3" fill="#e6eef7"/>'
            )
            filled = bar_width * min(percent, 100) / 100
            colour = "#38761d" if percent >= 100 else "#0b5394"
            parts.append(
                f'<rect x="{left}" y="{y + 19}" width="{filled:.1f}" height="18" rx="3" fill="{colour}"/>'
            )
            parts.append(
                charts._text(
                    left + bar_width - 4, y + 33, f"{percent}%", anchor="end", weight="bold", halo=True
                )
            )
        parts.append("</svg>")
        return "".join(parts)

    return charts.responsive(draw, wide=560)
