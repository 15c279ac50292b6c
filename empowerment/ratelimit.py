"""Counting what one client does in a window (the shared cache): public forms that could be used to guess or
to flood (questions, follows, a donor's statement asked for by receipt number and amount) refuse a client
past its limit."""

from django.core.cache import cache


def exceeded(key: str, limit: int, window: int) -> bool:
    """Count one more action under `key` in a window of `window` seconds; True once the count is over `limit`
    (the window starts at the first action)."""
    cache_key = f"rate:{key}"
    if cache.add(cache_key, 1, window):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between the two calls
        cache.set(cache_key, 1, window)
        return False
    return count > limit


def client_address(request) -> str:
    """The client's address as the site sees it (the proxy in front sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "unknown")[:64]
