"""The cache of public figures: a version bumped when figures change, and cached computations keyed by it."""

from django.core.cache import cache
from django.db import transaction

from empowerment import freshness

DASHBOARD_CACHE_SECONDS = 300
_VERSION_KEY = "transparency:figures-version"


def figures_version() -> int:
    return cache.get_or_set(_VERSION_KEY, freshness.first_version, None)


def figures_changed() -> None:
    """The hook other apps call when public figures change: drops every cached figure once the current
    transaction commits (at once outside one), never before, so that a reader cannot cache figures
    computed from the data about to change and keep them under the new version."""

    def bump() -> None:
        try:
            cache.incr(_VERSION_KEY)
        except ValueError:
            cache.set(_VERSION_KEY, freshness.first_version(), None)
        freshness.touch(freshness.PAGES)

    transaction.on_commit(bump)


# The topics whose changes (reported by the other apps through empowerment.freshness) alter the figures.
FIGURE_TOPICS = ("money", "projects", "trainings")


def figures_stamp() -> str:
    """The versions of everything public figures depend on, for cache keys and the dashboard snapshot."""
    return f"v{figures_version()}:{freshness.versions(*FIGURE_TOPICS)}"


def cached(name: str, compute, timeout: int = DASHBOARD_CACHE_SECONDS):
    key = f"transparency:{name}:{figures_stamp()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
