"""Parts of a page that change less often than the page: rendered once and kept per freshness version.

A public page is rendered again when any topic it shows moves (empowerment.pagecache); on a giving day that
is its money, about once a second. What the page shows besides the money (the home page's dashboard drawn
from its figures) did not change, so it is kept as HTML under the versions of the topics it does show, and
the page's next render takes it from there instead of reading and drawing it again. (A project page's parts
are kept in the database instead, where an emptied cache does not lose them: transparency.projectparts.)

A fragment must be the same for every visitor (no form, no CSRF token, nothing of the signed-in user): the
page around it fills those in. Its versions are read before what it shows (as a page's are), so a change
made while it is being rendered is never stored as current. It is kept as long as a stored page is fresh
at most (PUBLIC_PAGE_CACHE_SECONDS), which also bounds what no version can see.
"""

from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import freshness, pagecache

_PREFIX = "fragment:"


def key(name: str, parts: Iterable, versions: dict[str, int]) -> str:
    """The cache key of a fragment: its name, what it is of (e.g. a project's id), the language and the
    versions of its topics."""
    stamp = "-".join(f"{topic}{value}" for topic, value in sorted(versions.items()))
    return f"{_PREFIX}{name}:{':'.join(str(p) for p in parts)}:{get_language()}:{stamp}"


def _kept(name: str, parts, topics: Iterable[str], render: Callable[[], object]):
    """What `render()` makes for `parts` in the current language, kept while `topics` keep their versions.
    Inside a page being stored, the versions the page read before its render are used (no second round
    trip); elsewhere they are read now."""
    topics = tuple(topics)
    versions = pagecache.known_versions(topics) or freshness.current(topics)
    name_key = key(name, parts, versions)
    seconds = pagecache.timeout()
    kept = cache.get(name_key) if seconds > 0 else None
    if kept is None:
        kept = render()
        if seconds > 0:
            cache.set(name_key, kept, seconds)
    return kept


def fragment(name: str, *parts, topics: Iterable[str], render: Callable[[], str]) -> SafeString:
    """The HTML `render()` makes for `parts` in the current language, kept while `topics` keep their
    versions."""
    html = _kept(name, parts, topics, lambda: str(render()))
    return mark_safe(html)  # noqa: S308 - HTML rendered by our own templates, escaped there
