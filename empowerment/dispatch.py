"""Asking a worker for a job once, however many requests ask before it starts."""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def dispatch_once(flag: str, task, *, hold: int, **options) -> bool:
    """Send `task` unless one was sent under `flag` in the last `hold` seconds and has not started yet (the
    task deletes `flag` when it starts: `cache.delete(flag)`). With the broker down nothing is sent and the
    flag is dropped, so the next request asks again; callers rely on beat or a later visit meanwhile.
    Whether this call sent it."""
    if not cache.add(flag, 1, hold):
        return False
    return _send(flag, task, options)


def dispatch_once_sent_at(flag: str, task, *, hold: int, **options) -> float | None:
    """`dispatch_once`, answering when the task now waiting under `flag` was sent (time.time() of the
    process that sent it, kept as the flag's value): now if this call sent it, the other sender's time if
    one was waiting already, read in the same cache round trip as the flag's add where the cache can
    (empowerment.cache.ResilientRedisCache.add_and_get_many). None when nothing waits (the broker is down,
    or the task started meanwhile) or its time is not known."""
    now = time.time()
    both = getattr(cache, "add_and_get_many", None)
    if both is not None:
        added, found = both(flag, now, hold, [flag])
        value = found.get(flag)
    else:
        added = cache.add(flag, now, hold)
        value = None if added else cache.get(flag)
    if added:
        return now if _send(flag, task, options) else None
    return value if isinstance(value, float) else None


def _send(flag: str, task, options: dict) -> bool:
    try:
        task.apply_async(**options)
    except Exception:  # the broker is down
        cache.delete(flag)
        logger.warning("%s not dispatched (broker unavailable)", task.name, exc_info=True)
        return False
    return True
