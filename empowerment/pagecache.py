"""Whole-page cache of the public pages for anonymous visitors.

A page is stored once per address (path and query string), language and htmx-ness, with the versions of
the freshness topics (empowerment.freshness) it shows, read before it was rendered: the topics the view
names in `public_page(topics=...)` (by default every coarse topic: any content change, the money, the
projects, the trainings and the figures) and those it adds while rendering with `depends_on(...)` (e.g.
"fund:12", the money of the fund a campaign page shows). A page is fresh while each of those versions is
current and it is younger than PUBLIC_PAGE_CACHE_SECONDS (which bounds what no version can see, such as
"3 days left"). So a donation to one campaign renders that campaign's page again, not another campaign's
nor the project list (unless it lists the campaign's project), and storing a notification renders nothing.

Stale while revalidate: when a stored page is no longer fresh, one request (the holder of a short lock per
page) renders it again while every other visitor meanwhile gets the stored copy; with no stored copy at
all the others wait a moment for that one render instead of rendering the same page too. The answer says
which with an X-Page-Cache header: "hit" (fresh copy), "stale" (older copy served while another request
renders it) or "miss" (rendered by this request).

A fresh copy is served by `CachedPageMiddleware`, near the top of the middleware stack, without the rest of
it (sessions, the language, CSRF, authentication, the CSP and frame headers): the headers those add to a
stored page's answer are kept with the page when it is first answered through the whole stack, and the
language is found as LocaleMiddleware finds it. So is a stale copy while another request renders the page
(the middleware asks for the render's lock; the request that takes it goes on to the view, which renders
with it). Anything else (no copy, a page whose headers are not known yet) goes through the whole stack to the
view's own cache wrapper, as before.

Each web process also keeps the fresh copies it served last in its own memory, for PUBLIC_PAGE_LOCAL_SECONDS (a
fifth of a second) after their versions were last read from the cache: at hundreds of visits a second the same
few pages are then served without a cache round trip each (about a quarter of a cached answer's work). A
change made by the process itself drops them at once (`freshness.local_changes`); one made by another
process or machine shows at most that long later, as it would had the visitor come that much sooner. A thread
of each process (the keeper, `keep_local_copies`) reads the versions of the copies in use twice in that time,
in one round trip, and keeps those still current for another period, so that a page in use goes down the stack
only when it changed (on a giving day those requests were nine in ten of the pages' processes' Django work).
While another request renders a changed page, its stale copy is kept and served from memory too.
The WSGI application (`EarlyPageApplication`, empowerment/wsgi.py) answers a request the process has just
answered from such a copy again before Django's request handling, with the page and headers it learned from
that whole answer and the visitor's own CSRF token and cookie; anything else goes to Django.

Per-visitor values are not stored: the CSRF token and the view's `holes` (hidden inputs such as a form's
signed time stamp) are replaced by placeholders before the page is stored and filled in for each visitor.
Visitors with a session or messages (signed in, or just sent a form) always get a freshly rendered page.
"""

import contextvars
import functools
import hashlib
import logging
import operator
import os
import re
import secrets
import threading
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseBase
from django.http.cookie import parse_cookie
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CsrfViewMiddleware
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils import translation

from . import freshness

logger = logging.getLogger(__name__)

TOPIC = freshness.PAGES
# What a page shows when its view does not say: everything but the money of single funds.
DEFAULT_TOPICS = (freshness.PAGES, freshness.MONEY, "projects", "trainings", "figures", "dashboard")
_KEY_PREFIX = "page:"
_HEADERS_PREFIX = "pageheaders:"
# Headers of a stored page's answer made for each answer, not kept with the page.
_PER_ANSWER_HEADERS = {"content-length", "content-type", "date", "x-page-cache"}
_LOCK_PREFIX = "pagelock:"
_FORMAT = "v3"
_CSRF_FIELD = "csrfmiddlewaretoken"
# Cookies that do not change what an anonymous visitor sees (their token is filled in per visitor).
_NEUTRAL_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
# How long one request may hold a page's render lock (a render that takes longer lets another start).
LOCK_SECONDS = 15
# How long a visitor with no stored copy to be given waits for the render another request is making.
COLD_WAIT_SECONDS = 5.0
_POLL_SECONDS = 0.02
# A stored copy is kept this many times the freshness period, to be served stale while it is rendered.
STALE_FACTOR = 10


class _Render:
    """What a page being rendered shows: the versions of its topics, read before the data they stand for,
    and the money's version when the render started. A topic named during the render (`depends_on`) is
    read after some of the data; if money was published meanwhile, that data may be older than the
    version read, so the page is stored as already stale (served to others while one request renders it
    again) rather than as fresh. (Money is always published before the funds' own topics.)

    `expected`: topics the page named while rendering last time (as far as this process knows), read with
    the others before the render; one it names again takes that version (read before any data, as sure as
    the others') instead of another round trip, one it does not name is left out."""

    def __init__(self, topics, *, read=None, expected=()):
        found = freshness.current((*topics, *expected, freshness.MONEY), read=read)
        self.money = found[freshness.MONEY]
        self.versions = {t: found[t] for t in topics}
        self.expected = {t: found[t] for t in expected}
        self.unsure = False

    def add(self, topics) -> None:
        for t in topics:
            if t not in self.versions and t in self.expected:
                self.versions[t] = self.expected[t]
        missing = [t for t in topics if t not in self.versions]
        if missing:
            found = freshness.current((*missing, freshness.MONEY))
            self.unsure |= found.pop(freshness.MONEY) != self.money
            self.versions.update(found)


_rendering: contextvars.ContextVar[_Render | None] = contextvars.ContextVar("pagecache_render", default=None)


def timeout() -> int:
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 120)


def local_seconds() -> float:
    return getattr(settings, "PUBLIC_PAGE_LOCAL_SECONDS", 0.2)


def storing() -> bool:
    """Whether a page is being rendered to be stored (so that naming its topics is worth a query)."""
    return _rendering.get() is not None


def depends_on(*topics: str) -> None:
    """Say, while rendering a cached page, that it also shows these topics (e.g. "fund:12"). Does
    nothing outside a page being stored."""
    render = _rendering.get()
    if render is not None and topics:
        render.add(topics)


def known_versions(topics) -> dict[str, int] | None:
    """The versions of these topics that the page being rendered read before its render, if it read them
    all (empowerment.fragments keys its parts by them); None otherwise."""
    render = _rendering.get()
    if render is None or any(t not in render.versions for t in topics):
        return None
    return {t: render.versions[t] for t in topics}


def _hidden_value(html: str, name: str) -> str | None:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return match.group(1) if match else None


def _placeholder(name: str) -> str:
    return f"\x00hole:{name}\x00"


_PLACEHOLDER = re.compile("\x00hole:([^\x00]+)\x00")


def _pieces(content: str, charset: str) -> tuple[tuple[bytes, ...], tuple[str, ...]]:
    """A page with placeholders as it is kept: its text between the holes, encoded, and the holes' names in
    order (one more piece than names), so that each answer joins them with its values instead of searching
    the whole page for each hole and encoding it again."""
    split = _PLACEHOLDER.split(content)
    return tuple(text.encode(charset) for text in split[0::2]), tuple(split[1::2])


def _cacheable_request(request) -> bool:
    return timeout() > 0 and anonymous_get(request)


def anonymous_get(request) -> bool:
    """A GET whose answer is the same for every visitor of its language: no cookie but the CSRF token's and
    the language's (no session, so no one signed in)."""
    return request.method == "GET" and set(request.COOKIES) <= _NEUTRAL_COOKIES


def _key(request, language: str | None = None) -> str:
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    htmx = "h" if request.headers.get("HX-Request") else "p"
    return f"{_KEY_PREFIX}{language or translation.get_language()}:{htmx}:{address}"


def _entry(value):
    """(topic versions, stored at, (pieces, hole names), content type) of a stored page (see `_pieces`), or
    None."""
    if isinstance(value, tuple) and len(value) == 5 and value[0] == _FORMAT:
        return value[1:]
    return None


# Per process, the topics each stored page added while rendering (its key → those topics), so that a lookup
# asks for their versions in the same round trip as the page. Only a hint: when a page's topics differ from
# it, the lookup makes the second round trip it makes without one.
_ADDED_TOPICS: dict[str, tuple[str, ...]] = {}
_ADDED_TOPICS_LIMIT = 5000


def _remember_added(key: str, versions, topics: tuple[str, ...]) -> None:
    if len(_ADDED_TOPICS) >= _ADDED_TOPICS_LIMIT:
        _ADDED_TOPICS.clear()
    _ADDED_TOPICS[key] = tuple(t for t in versions if t not in topics)


def _within_period(stored_at: float) -> bool:
    """Whether a page stored then is younger than the cache period (what no version can see)."""
    return time.time() - stored_at < timeout()


def _lookup(
    key: str, topics: tuple[str, ...], *, headers: bool = False
) -> tuple[tuple | None, bool, list | None]:
    """(the stored page or None, whether it is fresh, its answer's headers if asked for and known): the page
    and the versions of the view's topics (and of the topics the page added while rendering, as far as this
    process knows them) in one cache round trip; a second one only for added topics it did not know."""
    asked = (*topics, *_ADDED_TOPICS.get(key, ()))
    topic_keys = [freshness.key(t) for t in asked]
    if headers:
        topic_keys.append(_HEADERS_PREFIX + key)
    found = cache.get_many([key, freshness.PENDING_FLAG, *topic_keys])
    if found.get(freshness.PENDING_FLAG) is not None and freshness.publish_due():
        found = cache.get_many([key, *topic_keys])
    entry = _entry(found.get(key))
    if entry is None:
        return None, False, None
    stored_versions = entry[0]
    extra = [t for t in stored_versions if t not in asked]
    if extra:
        found.update(cache.get_many([freshness.key(t) for t in extra]))
        _remember_added(key, stored_versions, topics)
    fresh = _confirmed(entry, found)
    return entry, fresh, found.get(_HEADERS_PREFIX + key) if headers else None


_ALPHABET = CSRF_ALLOWED_CHARS.encode("ascii")
# Random bytes below this are taken (modulo the number of characters), the others drawn again: uniform.
_BYTE_LIMIT = 256 - 256 % len(_ALPHABET)
_REJECTED = bytes(range(_BYTE_LIMIT, 256))
# Tables for bytes.translate: a byte → its index in the alphabet (modulo its length); an index (or a sum of two)
# → its character (modulo the alphabet's length); a character → its index (255 for any other byte).
_TO_INDEX = bytes(b % len(_ALPHABET) for b in range(256))
_TO_CHAR = bytes(_ALPHABET[b % len(_ALPHABET)] for b in range(256))
_FROM_CHAR = bytes(_ALPHABET.index(b) if b in _ALPHABET else 255 for b in range(256))


def _random_indices(length: int) -> bytes:
    """`length` indices into the CSRF alphabet drawn uniformly, with one call to the system's random source
    (django.utils.crypto.get_random_string makes one a character) and no Python loop over them."""
    drawn = b""
    while len(drawn) < length:
        drawn += secrets.token_bytes(length + 8).translate(None, _REJECTED)
    return drawn[:length].translate(_TO_INDEX)


def _random_chars(length: int) -> str:
    """`length` characters drawn uniformly from the CSRF alphabet (see `_random_indices`)."""
    return _random_indices(length).translate(_TO_CHAR).decode("ascii")


def _plain_secret(value: str) -> bool:
    """Whether `value` is a CSRF secret as Django keeps it in the cookie (not masked)."""
    return (
        len(value) == CSRF_SECRET_LENGTH
        and value.isascii()
        and 255 not in value.encode("ascii").translate(_FROM_CHAR)
    )


def visitor_token(request) -> str:
    """The visitor's CSRF token for a stored page's form, as django.middleware.csrf.get_token makes it (the
    visitor's secret, a new one if the request brought none, masked with a new random mask; the response
    then sets the cookie) with one draw of random bytes instead of sixty-four: on a giving day this was a
    fifth of the work of answering a stored page. CsrfViewMiddleware checks it as it checks its own."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = _random_chars(CSRF_SECRET_LENGTH)
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: the cookie is sent, its expiry renewed
    return _masked(secret)


def _masked(secret: str) -> str:
    """A CSRF secret masked with a new random mask, as Django masks it for a form (each character's index
    plus the mask's, modulo the alphabet's length)."""
    mask = _random_indices(CSRF_SECRET_LENGTH)
    cipher = bytes(map(operator.add, secret.encode("ascii").translate(_FROM_CHAR), mask))
    return (mask + cipher).translate(_TO_CHAR).decode("ascii")


# The copies this process served last (see the module's docstring): key → (when their versions were read, as
# time.monotonic(); freshness.local_changes() before that; the stored page; its answer's headers; "hit" for a
# fresh copy, "stale" for one served while another request renders the page).
_LOCAL: dict[str, tuple[float, int, tuple, list, str]] = {}
_LOCAL_LIMIT = 64
_LOCAL_LOCK = threading.Lock()
# When each kept copy was last served (time.monotonic()): the keeper confirms only the copies in use.
_SERVED: dict[str, float] = {}
# A kept copy not served for this long is no longer confirmed by the keeper (it expires on its own).
KEEP_SERVED_SECONDS = 2.0


def _local_copy(key: str):
    """(stored page, headers, "hit" or "stale") of a copy this process may serve without asking the cache,
    or None."""
    found = _LOCAL.get(key)
    if found is None:
        return None
    read_at, changes, entry, headers, state = found
    now = time.monotonic()
    if (
        now - read_at >= local_seconds()
        or changes != freshness.local_changes()
        or (state == "hit" and not _within_period(entry[1]))
    ):
        return None
    _SERVED[key] = now
    _keeper.start()
    return entry, headers, state


def _keep_local(
    key: str, read_at: float, changes: int, entry: tuple, headers: list, state: str = "hit"
) -> None:
    if local_seconds() <= 0:
        return
    with _LOCAL_LOCK:  # the threads of a process share the copies
        if len(_LOCAL) >= _LOCAL_LIMIT and key not in _LOCAL:
            _SERVED.pop(oldest := next(iter(_LOCAL)), None)
            del _LOCAL[oldest]  # the oldest kept
        _LOCAL[key] = (read_at, changes, entry, headers, state)


def _drop_local(key: str) -> None:
    with _LOCAL_LOCK:
        _LOCAL.pop(key, None)
        _SERVED.pop(key, None)


def _confirmed(entry, found: dict) -> bool:
    """Whether a stored page is fresh by the versions just read (`found`: cache key → value)."""
    return _within_period(entry[1]) and all(found.get(freshness.key(t)) == v for t, v in entry[0].items())


def keep_local_copies() -> None:
    """Confirm the copies this process is serving, as a request down the stack would, so that they are still
    served from memory after PUBLIC_PAGE_LOCAL_SECONDS (the keeper calls this twice in that time): the
    versions of every copy served in the last KEEP_SERVED_SECONDS in one cache round trip (publishing gathered
    money topics that are due, as any reader does). A copy whose versions are all current is kept for another
    period. One that changed is looked up again: a fresh copy in the cache (another process rendered it) is
    kept in its place; a stale one while another request holds its render's lock is kept and served as
    "stale"; otherwise it is dropped, and the next request for the page goes down the stack to render it."""
    now = time.monotonic()
    with _LOCAL_LOCK:
        # Served just as it was dropped (list(): the threads serving copies add to it without the lock).
        for gone in [k for k in list(_SERVED) if k not in _LOCAL]:
            _SERVED.pop(gone, None)
        kept = [
            (k, v) for k, v in _LOCAL.items() if now - _SERVED.get(k, float("-inf")) < KEEP_SERVED_SECONDS
        ]
    if not kept:
        return
    read_at, changes = time.monotonic(), freshness.local_changes()  # before the versions are read
    names = [freshness.key(t) for t in dict.fromkeys(t for _k, v in kept for t in v[2][0])]
    found = cache.get_many([freshness.PENDING_FLAG, *names])
    if found.get(freshness.PENDING_FLAG) is not None and freshness.publish_due():
        read_at, changes = time.monotonic(), freshness.local_changes()
        found = cache.get_many(names)
    for key, (_read_at, _changes, entry, headers, state) in kept:
        if state == "hit" and _confirmed(entry, found):
            _keep_local(key, read_at, changes, entry, headers)
            continue
        lock = _LOCK_PREFIX + key
        page, more = cache.get_many([key, lock]), None
        stored = _entry(page.get(key))
        if stored is None:
            _drop_local(key)
            continue
        missing = [freshness.key(t) for t in stored[0] if freshness.key(t) not in found]
        if missing:
            more = {**found, **cache.get_many(missing)}
        if _confirmed(stored, more or found):
            _keep_local(key, read_at, changes, stored, headers)
        elif lock in page:
            _keep_local(key, read_at, changes, stored, headers, "stale")
        else:
            _drop_local(key)


class _Keeper:
    """The thread of a process that keeps its copies confirmed (`keep_local_copies`), started by the first
    copy served from memory (in the process that serves it: a forked worker starts its own)."""

    def __init__(self):
        self.pid = None
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.failing = False

    def start(self) -> None:
        if self.pid == os.getpid():
            return
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid = os.getpid()
            threading.Thread(target=self.run, name="pagecache-keeper", daemon=True).start()

    def stop(self) -> None:
        self.stopped.set()

    def run(self) -> None:
        while not self.stopped.wait(min(max(local_seconds() / 2, 0.02), 1.0)):
            if local_seconds() <= 0:
                continue
            try:
                keep_local_copies()
            except Exception:  # the cache unreachable: the copies expire and requests go down the stack
                if not self.failing:
                    logger.warning("the page copies kept in memory could not be confirmed", exc_info=True)
                self.failing = True
            else:
                self.failing = False


_keeper = _Keeper()


def forget_local() -> None:
    """Drop this process's copies (when the cache behind them was emptied), and what its early answer learned."""
    with _LOCAL_LOCK:
        _LOCAL.clear()
        _SERVED.clear()
    with _EARLY_LOCK:
        _EARLY.clear()


def _body(entry, holes: dict, token) -> bytes:
    """A stored page's text with each visitor's values in its holes (`token` makes the CSRF token)."""
    _versions, _stored_at, (pieces, names), _content_type = entry
    values = {}
    for name in names:
        if name not in values:
            # A hole the view no longer declares (a page kept by earlier code) is left empty: a form
            # missing its stamp is refused with a message, never answered with another visitor's value.
            make = token if name == _CSRF_FIELD else holes.get(name, str)
            values[name] = make().encode()
    body = [pieces[0]]
    for name, piece in zip(names, pieces[1:], strict=True):
        body += (values[name], piece)
    return b"".join(body)


def _serve(request, entry, holes: dict, state: str) -> HttpResponse:
    body = _body(entry, holes, functools.partial(visitor_token, request))
    response = HttpResponse(body, content_type=entry[3])
    response["X-Page-Cache"] = state
    return response


def _wait_for_render(key: str, lock: str, topics: tuple[str, ...]):
    """The copy another request is rendering, once it is stored (None if that render ends without one,
    or takes longer than COLD_WAIT_SECONDS)."""
    deadline = time.monotonic() + COLD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
        found = cache.get_many([key, lock])
        entry = _entry(found.get(key))
        if entry is not None:
            return entry
        if lock not in found:
            return None
    return None


def _locked(key: str, lock: str, topics: tuple[str, ...]) -> tuple[bool, _Render]:
    """Take the render's lock and read the versions of what the page shows (and of what it added last
    time), before any of it is read, in one cache round trip: (whether the lock was taken, the render)."""
    expected = _ADDED_TOPICS.get(key, ())
    both = getattr(cache, "add_and_get_many", None)
    if both is None:
        return cache.add(lock, 1, LOCK_SECONDS), _Render(topics, expected=expected)
    taken = []

    def read(names):
        added, found = both(lock, 1, LOCK_SECONDS, names)
        taken.append(added)
        return found

    render = _Render(topics, read=read, expected=expected)
    return taken[0], render


def _store(key: str, stored: tuple, lock: str | None) -> None:
    """Keep a rendered page (and let go of its render's lock) in one cache round trip."""
    both = getattr(cache, "set_and_delete", None)
    if lock is not None and both is not None:
        both(key, stored, timeout() * STALE_FACTOR, lock)
        return
    cache.set(key, stored, timeout() * STALE_FACTOR)
    if lock is not None:
        cache.delete(lock)


def _render(
    request, view, args, kwargs, key: str, topics: tuple[str, ...], holes: dict, render=None, lock=None
):
    """Render the page and keep it; `render`: its versions, read with `lock` taken (which is let go when the
    page is kept; the caller lets go of it otherwise)."""
    render = render or _Render(topics)  # before anything the page shows is read
    token = _rendering.set(render)
    try:
        response = view(request, *args, **kwargs)
    finally:
        _rendering.reset(token)
    if response.status_code == 200 and not response.streaming and not response.cookies:
        content = response.content.decode(response.charset)
        for name in [_CSRF_FIELD, *holes]:
            value = _hidden_value(content, name)
            if value:
                content = content.replace(value, _placeholder(name))
        stored_at = 0.0 if render.unsure else time.time()
        pieces = _pieces(content, response.charset)
        stored = (_FORMAT, render.versions, stored_at, pieces, response["Content-Type"])
        _store(key, stored, lock)
        _remember_added(key, render.versions, topics)
        response["X-Page-Cache"] = "miss"  # kept, its lock let go with it
    return response


def public_page(view=None, *, holes: dict | None = None, topics: tuple[str, ...] = DEFAULT_TOPICS):
    """Cache a public GET view's 200 answers for anonymous visitors. `holes` maps the names of hidden
    inputs whose value must be fresh for each visitor to a function making that value; `topics` are the
    freshness topics the page shows (the view may add more while rendering, see `depends_on`)."""
    holes = dict(holes or {})
    topics = tuple(topics)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(request)
            request.page_cache_key = key  # for CachedPageMiddleware, to keep the answer's headers
            looked_up = getattr(request, "page_cache_lookup", None)
            if looked_up is not None and looked_up[0] == key:  # CachedPageMiddleware has just asked
                entry, fresh = looked_up[1:]
            else:
                entry, fresh, _headers = _lookup(key, topics)
            if fresh:
                return _serve(request, entry, holes, "hit")
            lock = _LOCK_PREFIX + key
            handed = getattr(request, "page_cache_render", None)
            if handed is not None and handed[0] == key:  # CachedPageMiddleware took the lock for this render
                request.page_cache_render = None
                taken, render = True, handed[1]
            else:
                taken, render = _locked(key, lock, topics)
            if not taken:  # another request is rendering this page
                if entry is not None:
                    return _serve(request, entry, holes, "stale")
                entry = _wait_for_render(key, lock, topics)
                if entry is not None:
                    return _serve(request, entry, holes, "hit")
                return _render(request, view, args, kwargs, key, topics, holes)
            response = None
            try:
                response = _render(request, view, args, kwargs, key, topics, holes, render, lock)
                return response
            finally:
                if response is None or response.get("X-Page-Cache") != "miss":  # not kept: an error, a 404
                    cache.delete(lock)

        wrapper.page_cache = (topics, holes)  # what CachedPageMiddleware needs to serve it
        return wrapper

    return decorate(view) if view is not None else decorate


_RESOLVED_PATH_LIMIT = 300


@functools.lru_cache(maxsize=4096)
def _page_of_path(resolver, path: str):
    """The view a path resolves to, as (its function, its keyword arguments), or None. Read it through
    `resolved_view`."""
    try:
        match = resolver.resolve(path)
    except Resolver404:
        return None
    return match.func, match.kwargs


def resolved_view(path: str):
    """(view function, keyword arguments) of the view `path` resolves to, or None, for the middleware that
    answer before the stack (a stored page, a stored file). An early answer would otherwise match its address
    against every URL pattern each time (about a third of a cached hit's work); a resolver's patterns do not
    change, so each address is resolved once per resolver (Django builds a new one when the URL configuration
    changes). Long addresses are resolved each time, so the remembered ones stay small. The arguments are
    shared: read them, do not change them."""
    resolver = get_resolver(get_urlconf())
    if len(path) > _RESOLVED_PATH_LIMIT:
        return _page_of_path.__wrapped__(resolver, path)
    return _page_of_path(resolver, path)


class CachedPageMiddleware:
    """Answer a GET for a public page with its fresh stored copy before the rest of the middleware stack,
    which for such an answer would only add the same headers again (kept with the page) and the visitor's
    CSRF token and cookie (added here as CsrfViewMiddleware adds them). Place it after SecurityMiddleware
    (whose headers every answer gets) and before the session, language and CSRF middleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        page = self._public_page(request)
        if page is None:
            return self.get_response(request)
        topics, holes = page
        request.get_host()  # a host not allowed is refused (400) as CommonMiddleware would refuse it
        language = translation.get_language_from_request(request)
        key = _key(request, language)
        local = _local_copy(key)
        if local is not None:
            entry, headers, state = local
            request.META[_EARLY_MARK] = (key, language, holes)
            with translation.override(language):
                return self._serve(request, entry, holes, headers, state)
        read_at, changes = time.monotonic(), freshness.local_changes()  # before the versions are read
        entry, fresh, headers = _lookup(key, topics, headers=True)
        if fresh and headers:
            _keep_local(key, read_at, changes, entry, headers)
            if local_seconds() > 0:
                request.META[_EARLY_MARK] = (key, language, holes)
            with translation.override(language):
                return self._serve(request, entry, holes, headers)
        lock = None
        if entry is not None and headers:
            # A copy no longer fresh: the request that takes the render's lock goes on to the view, which
            # renders the page with it; while it holds it, the others get the stored copy here.
            lock = _LOCK_PREFIX + key
            taken, render = _locked(key, lock, topics)
            if not taken:
                # Kept in memory too, served as "stale" while the render lasts (the keeper confirms it).
                _keep_local(key, read_at, changes, entry, headers, "stale")
                if local_seconds() > 0:
                    request.META[_EARLY_MARK] = (key, language, holes)
                with translation.override(language):
                    return self._serve(request, entry, holes, headers, "stale")
            request.page_cache_render = (key, render)
        request.page_cache_lookup = (key, entry, fresh)
        try:
            response = self.get_response(request)
        finally:
            if lock is not None and getattr(request, "page_cache_render", None) is not None:
                cache.delete(lock)  # the view did not render with it (an answer made before the view)
        if headers is None and getattr(request, "page_cache_key", None) == key:
            self._keep_headers(key, response)
        return response

    @staticmethod
    def _public_page(request):
        """(topics, holes) of the public page the request asks for, if it may be served from the cache."""
        if not _cacheable_request(request):
            return None
        found = resolved_view(request.path_info)
        return getattr(found[0], "page_cache", None) if found is not None else None

    def _serve(self, request, entry, holes, headers, state: str = "hit") -> HttpResponse:
        self.csrf.process_request(request)
        response = _serve(request, entry, holes, state)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(response.content))
        return self.csrf.process_response(request, response)

    @staticmethod
    def _keep_headers(key: str, response) -> None:
        if response.status_code == 200 and response.get("X-Page-Cache") in ("hit", "miss", "stale"):
            kept = [(k, v) for k, v in response.items() if k.lower() not in _PER_ANSWER_HEADERS]
            cache.set(_HEADERS_PREFIX + key, kept, timeout() * STALE_FACTOR)


# The early answer ---------------------------------------------------------------------------------------

# Set by CachedPageMiddleware in the WSGI environ of a request it answered with a copy kept by this process:
# (the page's key, its language, its holes).
_EARLY_MARK = "empowerment.pagecache.early"
# What Django's answer to an anonymous GET depends on besides its cookies: the address, the host and scheme
# (ALLOWED_HOSTS, SECURE_SSL_REDIRECT behind a proxy), the visitor's languages and whether htmx asks.
_EARLY_INPUTS = (
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_HX_REQUEST",
)
# Headers made for each answer: not learned, made anew.
_EARLY_PER_ANSWER = {"content-length", "set-cookie", "x-page-cache", "date"}
_EARLY_LIMIT = 256
_EARLY_LOCK = threading.Lock()
# (the request's inputs, the language cookie) → (the page's key, its language, its holes, the answer's
# headers but those made for each answer, whether it sets the CSRF cookie), learned from Django's own answers.
_EARLY: dict[tuple, tuple[str, str, dict, list, bool]] = {}


def _cookies(environ) -> dict | None:
    """The request's cookies if all of them leave an anonymous visitor's page as it is; None otherwise."""
    raw = environ.get("HTTP_COOKIE")
    if not raw:
        return {}
    cookies = parse_cookie(raw)
    return cookies if set(cookies) <= _NEUTRAL_COOKIES else None


def _csrf_secret(cookies: dict) -> str | None | bool:
    """The visitor's CSRF secret from their cookie, None with no cookie, False when the cookie is not a
    plain secret (Django reads or replaces such a cookie itself)."""
    secret = cookies.get(settings.CSRF_COOKIE_NAME)
    if secret is None:
        return None
    return secret if _plain_secret(secret) else False


# The CSRF cookie's Set-Cookie value of the current second, split where the secret goes: (second, before, after).
_COOKIE_FORM: tuple[int, str, str] = (0, "", "")
_SECRET_PLACE = "x" * CSRF_SECRET_LENGTH


def _csrf_cookie(secret: str) -> str:
    """The Set-Cookie value CsrfViewMiddleware sends with a page that carries a token (its expiry renewed):
    made by Django's own set_cookie once a second (its expiry is to the second) and filled in."""
    global _COOKIE_FORM
    second = int(time.time())
    form = _COOKIE_FORM
    if form[0] != second:
        jar = HttpResponseBase()
        jar.set_cookie(
            settings.CSRF_COOKIE_NAME,
            _SECRET_PLACE,
            max_age=settings.CSRF_COOKIE_AGE,
            domain=settings.CSRF_COOKIE_DOMAIN,
            path=settings.CSRF_COOKIE_PATH,
            secure=settings.CSRF_COOKIE_SECURE,
            httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
        before, _place, after = (
            jar.cookies[settings.CSRF_COOKIE_NAME].output(header="").partition(_SECRET_PLACE)
        )
        form = _COOKIE_FORM = (second, before, after)
    return form[1] + secret + form[2]


def _early_inputs(environ, cookies: dict) -> tuple:
    return (*map(environ.get, _EARLY_INPUTS), cookies.get(settings.LANGUAGE_COOKIE_NAME))


class EarlyPageApplication:
    """Answer, before Django's request handling, a GET for a public page that this process answered with its
    own copy (CachedPageMiddleware; a fresh one, or the stale one it keeps while another request renders the
    page) less than PUBLIC_PAGE_LOCAL_SECONDS ago for the same address, host, scheme, languages and htmx-ness:
    the same page, headers and cookie the whole handler would give (learned from its last answer to such a
    request), with the visitor's own CSRF token. Anything else, or a visitor
    with a cookie Django would read otherwise (a session, a masked CSRF cookie), goes to Django as before.
    On a giving day the handler's request and response objects, signals and middleware were about half of
    what a page from the cache cost."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        answer = self.early(environ)
        if answer is not None:
            headers, body = answer
            start_response("200 OK", headers)
            return [body]
        return self.late(environ, start_response)

    def early(self, environ) -> tuple[list, bytes] | None:
        """The 200 answer's headers and body if this request can be answered before Django; None if not.
        Reads only this process's memory (no cache, no database): an event loop may call it."""
        if environ.get("REQUEST_METHOD") != "GET" or local_seconds() <= 0:
            return None
        cookies = _cookies(environ)
        if cookies is None:
            return None
        learned = _EARLY.get(_early_inputs(environ, cookies))
        return None if learned is None else self._answer(learned, cookies)

    def late(self, environ, start_response):
        """Django's answer (learning from it what the early answer may give such a request next time)."""
        cookies = (
            _cookies(environ) if environ.get("REQUEST_METHOD") == "GET" and local_seconds() > 0 else None
        )
        if cookies is None:
            return self.application(environ, start_response)
        return self._learn(environ, start_response, _early_inputs(environ, cookies))

    @staticmethod
    def _answer(learned, cookies):
        key, language, holes, headers, sets_cookie = learned
        local = _local_copy(key)
        secret = _csrf_secret(cookies)
        if local is None or secret is False:
            return None
        secret = secret or _random_chars(CSRF_SECRET_LENGTH)
        token = functools.partial(_masked, secret)
        with translation.override(language):  # as CachedPageMiddleware fills the holes
            body = _body(local[0], holes, token)
        headers = [*headers, ("Content-Length", str(len(body))), ("X-Page-Cache", local[2])]
        if sets_cookie:  # the page has a form: its token's secret is sent (or renewed), as Django sends it
            headers.append(("Set-Cookie", _csrf_cookie(secret)))
        return headers, body

    def _learn(self, environ, start_response, inputs):
        def starting(status, headers, exc_info=None):
            mark = environ.get(_EARLY_MARK)
            served = ("X-Page-Cache", "hit") in headers or ("X-Page-Cache", "stale") in headers
            if mark is not None and status.startswith("200 ") and served:
                cookies = [v for k, v in headers if k.lower() == "set-cookie"]
                # Learned only if the one cookie it sets is the CSRF token's (whose value is the visitor's).
                csrf_only = len(cookies) <= 1 and all(
                    v.lstrip().startswith(settings.CSRF_COOKIE_NAME + "=") for v in cookies
                )
                if csrf_only:
                    kept = [(k, v) for k, v in headers if k.lower() not in _EARLY_PER_ANSWER]
                    with _EARLY_LOCK:
                        if len(_EARLY) >= _EARLY_LIMIT and inputs not in _EARLY:
                            del _EARLY[next(iter(_EARLY))]  # the oldest learned
                        _EARLY[inputs] = (*mark, kept, bool(cookies))
            return start_response(status, headers, exc_info)

        return self.application(environ, starting)


# Invalidation -------------------------------------------------------------------------------------------


def content_changed(using: str = DEFAULT_DB_ALIAS, topics=(TOPIC,)) -> None:
    """The public pages showing these topics (by default: any content) must be rendered again once the
    current transaction commits."""
    freshness.touch_on_commit(topics, using=using)


def _changed(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    content_changed(using)


def watch_public_content(labels, *, except_models=(), topics_of=None) -> None:
    """Render the pages again after any save or delete of the given models ("app_label.model") or of
    every model of the given apps ("app_label"), history tables and `except_models` left out. A model
    named in `topics_of` ({"app_label.model": function(instance) -> topics}) touches only the topics
    that function names for the row (money topics coalesced, see `freshness.money_changed`); others touch the
    "pages" topic. Called once, from the ready() of the app that publishes the pages."""
    skip = {name.lower() for name in except_models}
    special = {name.lower(): func for name, func in (topics_of or {}).items()}
    models = []
    for label in labels:
        if "." in label:
            models.append(apps.get_model(label))
        else:
            models.extend(apps.get_app_config(label).get_models())
    for model in models:
        name = f"{model._meta.app_label}.{model._meta.model_name}"
        if model._meta.model_name.startswith("historical") or name in skip:
            continue
        uid = f"pagecache:{name}"
        handler = _changed if name not in special else _topic_handler(special[name])
        post_save.connect(handler, sender=model, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(handler, sender=model, dispatch_uid=uid + ":delete", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_changed, sender=field.remote_field.through, dispatch_uid=uid + field.name)


def _topic_handler(topics_of):
    def handler(sender, instance=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
        topics = list(topics_of(instance)) if instance is not None else []
        money = [t for t in topics if freshness.is_money(t)]
        if money:
            freshness.touch_on_commit(money, using=using, coalesced=True)
        other = [t for t in topics if t not in money]
        if other:
            freshness.touch_on_commit(other, using=using)

    return handler
