"""The cache of public figures: cached computations keyed by the versions of what they are computed from
(empowerment.freshness topics), and the hook other apps call when figures change for another reason."""

from django.core.cache import cache

from empowerment import freshness

DASHBOARD_CACHE_SECONDS = 300
# The transparency figures' own topic, touched by `figures_changed` (a disclosure published, say).
FIGURES = "figures"


def figures_version() -> int:
    return freshness.version(FIGURES)


def figures_changed() -> None:
    """The hook other apps call when public figures change: drops every cached figure (and renders the
    public pages that show figures again) once the current transaction commits (at once outside one),
    never before, so that a reader cannot cache figures computed from the data about to change and keep
    them under the new version."""
    freshness.touch_on_commit([FIGURES])


# The topics whose changes (reported by the other apps through empowerment.freshness) alter the figures.
# The money topic is published at most once a second however often the ledger posts (freshness).
FIGURE_TOPICS = ("money", "projects", "trainings")


def figures_stamp() -> str:
    """The versions of everything public figures depend on, for cache keys and the dashboard snapshot
    (one cache round trip)."""
    return freshness.versions(FIGURES, *FIGURE_TOPICS)


def cached(name: str, compute, timeout: int = DASHBOARD_CACHE_SECONDS, *, stamp: str | None = None):
    """`compute()`, kept in the cache under `name` and `stamp`: the versions of what it shows, read before it
    is computed (by default `figures_stamp()`, everything public figures depend on)."""
    key = f"transparency:{name}:{figures_stamp() if stamp is None else stamp}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
