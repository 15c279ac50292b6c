"""Freshness of cached figures, without upward imports: the app that changes something calls
`touch(topic)` after commit; the app that caches figures derived from it puts `version(topic)` in its
cache keys, so the next read computes them again. Topics: "money" (the ledger), "projects" (project
statuses and approved progress updates), "trainings" (certificates), and "pages" (whole public pages,
touched with every other topic and by any change to the publishing apps' rows).

When the cache is down `version` answers 0 and `touch` does nothing: nothing is cached then anyway.
"""

import secrets

from django.core.cache import cache

_PREFIX = "freshness:"


def key(topic: str) -> str:
    """The cache key holding a topic's version (for reading it together with other keys)."""
    return f"{_PREFIX}{topic}"


def first_version() -> int:
    """A topic's first version is random, so that after the cache is emptied the versions do not count
    up through values already stamped on stored figures (which would pass them off as current)."""
    return secrets.randbelow(2**48) + 1


def version(topic: str) -> int:
    """The current version of a topic."""
    value = cache.get(key(topic))
    if value is None:
        cache.add(key(topic), first_version(), None)
        value = cache.get(key(topic), 0)
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
    name = key(topic)
    cache.add(name, first_version(), None)
    try:
        return int(cache.incr(name))
    except ValueError:  # evicted between add and incr, or the cache is down
        value = first_version()
        cache.set(name, value, None)
        return value
