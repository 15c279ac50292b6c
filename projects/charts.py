"""Charts drawn on the server as SVG, so a page and its PDF show the same picture."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def _text(x, y, text, *, size=11, anchor="start", fill="#333", weight="normal", rotate=None) -> str:
    transform = f' transform="rotate({rotate} {x} {y})"' if rotate is not None else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
        f'font-weight="{weight}"{transform}>{escape(str(text))}</text>'
    )


def priority_matrix(needs) -> str:
    """A severity × urgency grid (1–5 each); each need is a numbered bubble (its rank) whose size grows
    with the people-affected score; the top-ranked need is drawn in the strong colour."""
    left, top, cell = 48, 16, 60
    width, height = left + cell * 5 + 20, top + cell * 5 + 48
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'class="priority-matrix" role="img" aria-label="{escape(_("Priority matrix"))}">'
    ]
    for i in range(5):
        for j in range(5):
            heat = (i + (4 - j)) / 8  # lighter bottom-left, warmer top-right
            colour = f"rgb({int(255 - 40 * heat)},{int(250 - 90 * heat)},{int(240 - 140 * heat)})"
            parts.append(
                f'<rect x="{left + i * cell}" y="{top + j * cell}" width="{cell}" height="{cell}" '
                f'fill="{colour}" stroke="#fff"/>'
            )
    for k in range(1, 6):
        parts.append(_text(left + (k - 0.5) * cell, top + 5 * cell + 16, k, anchor="middle", size=10))
        parts.append(_text(left - 8, top + (5.5 - k) * cell + 4, k, anchor="end", size=10))
    parts.append(_text(left + 2.5 * cell, top + 5 * cell + 36, _("Urgency"), anchor="middle"))
    parts.append(_text(14, top + 2.5 * cell, _("Severity"), anchor="middle", rotate=-90))
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
        r = 8 + reach * 2.5
        fill = "#0b5394" if need.rank == 1 else "#6fa8dc"
        title = f"{need.rank}. {need.title} ({need.weighted_score})"
        parts.append(
            f'<g><title>{escape(title)}</title><circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}" '
            f'fill-opacity="0.85" stroke="#fff"/>{_text(cx, cy + 4, need.rank, anchor="middle", fill="#fff", weight="bold")}</g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def indicator_chart(progress) -> str:
    """Horizontal bars: each indicator's progress from baseline to target, with its current value."""
    row, left, width = 46, 8, 560
    bar_width = width - 2 * left
    height = max(row * len(progress), row) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(_("Indicator progress against target"))}">'
    ]
    for i, item in enumerate(progress):
        y = 4 + i * row
        ind = item.indicator
        current = "—" if item.current is None else f"{item.current.normalize():f}"
        label = f"{ind.name}: {current} / {ind.target.normalize():f} {ind.unit}"
        parts.append(_text(left, y + 13, label, size=12))
        parts.append(f'<rect x="{left}" y="{y + 19}" width="{bar_width}" height="14" rx="3" fill="#e6eef7"/>')
        filled = bar_width * item.percent / 100
        colour = "#38761d" if item.percent >= 100 else "#0b5394"
        parts.append(
            f'<rect x="{left}" y="{y + 19}" width="{filled:.1f}" height="14" rx="3" fill="{colour}"/>'
        )
        parts.append(
            _text(left + bar_width - 4, y + 30, f"{item.percent}%", size=10, anchor="end", fill="#222")
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
