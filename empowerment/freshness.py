"""Freshness of cached figures, without upward imports: the app that changes something calls
`touch(topic)` after commit; the app that caches figures derived from it puts `version(topic)` in its
cache keys, so the next read computes them again. Topics: "money" (the ledger), "projects" (project
statuses and approved progress updates), "trainings" (certificates), and "pages" (whole public pages,
touched with every other topic and by any change to the publishing apps' rows).

When the cache is down `version` answers 0 and `touch` does nothing: nothing is cached then anyway.
"""

from django.core.cache import cache

_PREFIX = "freshness:"


def _key(topic: str) -> str:
    return f"{_PREFIX}{topic}"


def version(topic: str) -> int:
    """The current version of a topic (1 until it is first touched)."""
    value = cache.get(_key(topic))
    if value is None:
        cache.add(_key(topic), 1, None)
        value = cache.get(_key(topic), 1)
    return int(value)


def versions(*topics: str) -> str:
    """The versions of several topics as one string for a cache key, e.g. "money2-projects1"."""
    return "-".join(f"{topic}{version(topic)}" for topic in topics)


# Whole public pages (empowerment.pagecache) show every topic: touching any topic touches this one too.
PAGES = "pages"


def touch(topic: str) -> int:
    """Bump a topic's version (call it in transaction.on_commit). Returns the new version."""
    if topic != PAGES:
        touch(PAGES)
    key = _key(topic)
    cache.add(key, 1, None)
    try:
        return int(cache.incr(key))
    except ValueError:  # evicted between add and incr, or the cache is down
        cache.set(key, 2, None)
        return 2
