"""Asking a worker for a job once, however many requests ask before it starts."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def dispatch_once(flag: str, task, *, hold: int, **options) -> bool:
    """Send `task` unless one was sent under `flag` in the last `hold` seconds and has not started yet (the
    task deletes `flag` when it starts: `cache.delete(flag)`). With the broker down nothing is sent and the
    flag is dropped, so the next request asks again; callers rely on beat or a later visit meanwhile.
    Whether this call sent it."""
    if not cache.add(flag, 1, hold):
        return False
    try:
        task.apply_async(**options)
    except Exception:  # the broker is down
        cache.delete(flag)
        logger.warning("%s not dispatched (broker unavailable)", task.name, exc_info=True)
        return False
    return True
