"""The public figures transparency stores, checked by `manage.py verify_ledger` (fundraising.verification
finds `stored_figure_problems` here): the dashboard snapshot, whose figures must equal a fresh computation
whenever its stamp says it reflects the current data."""

from collections.abc import Callable

from . import selectors, services
from .models import DashboardSnapshot


def _short(value, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stored_figure_problems(note: Callable[[str], None]) -> list[str]:
    snapshot = DashboardSnapshot.objects.filter(name=services.DASHBOARD).first()
    if snapshot is None:
        note("no dashboard snapshot is stored yet: nothing to compare")
        return []
    if snapshot.stamp != services.dashboard_stamp():
        # A stale stamp is normal for a moment after any change: visitors see it while a worker refreshes it.
        note("the dashboard snapshot is marked stale (being refreshed): its figures were not compared")
        return []
    stored = snapshot.figures_value
    fresh = selectors.snapshot_figures(reuse=False)
    label = f"dashboard snapshot of {snapshot.computed_at:%Y-%m-%d %H:%M}"
    return [
        f"{label}: {key} is {_short(stored.get(key))} but the books give {_short(fresh.get(key))} "
        "(the snapshot says it is current)"
        for key in sorted(set(stored) | set(fresh))
        if stored.get(key) != fresh.get(key)
    ]
