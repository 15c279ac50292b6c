"""A stored page's cheap answer: each web process serves the fresh copies it served last from its own memory
for PUBLIC_PAGE_LOCAL_SECONDS (no cache round trip), drops them at once when it changes something itself,
sees another process's change once that window has passed; and the visitor's CSRF token is made with one
draw of random bytes, in Django's format, and accepted by its CSRF check."""

import re
import time

import pytest
from django.core.cache import cache
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client

from empowerment import freshness, pagecache

pytestmark = pytest.mark.django_db

PATH = "/projects/health-checks/"


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', html).group(1)


def _other_process_changes(topic: str) -> None:
    """A version moved as another process moves it: in the cache, unknown to this process."""
    cache.incr(freshness.key(topic))


def test_a_fresh_copy_is_served_from_the_process_without_asking_the_cache(programme, settings, page_lookups):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 60
    assert Client().get(PATH)["X-Page-Cache"] == "miss"
    assert Client().get(PATH)["X-Page-Cache"] == "hit"  # asks the cache, keeps the copy
    page_lookups.clear()
    visitors = [Client(enforce_csrf_checks=True) for _ in range(3)]
    answers = [v.get(PATH) for v in visitors]
    assert page_lookups == []
    assert all(a.status_code == 200 and a["X-Page-Cache"] == "hit" for a in answers)
    assert "Health checks for older residents" in answers[0].content.decode()
    # Each visitor still gets a token of their own, and their own cookie.
    tokens = {_token(a.content.decode()) for a in answers}
    assert len(tokens) == 3 and all(v.cookies["csrftoken"].value for v in visitors)


def test_a_change_made_by_the_process_drops_its_copies_at_once(programme, settings):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 60
    Client().get(PATH)
    assert Client().get(PATH)["X-Page-Cache"] == "hit"
    assert Client().get(PATH)["X-Page-Cache"] == "hit"  # from the process's copy
    freshness.touch(freshness.PAGES)  # as a change to a published row touches it once committed
    assert Client().get(PATH)["X-Page-Cache"] == "miss"


def test_another_process_change_shows_once_the_window_has_passed(programme, settings, page_lookups):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 0.3
    Client().get(PATH)
    assert Client().get(PATH)["X-Page-Cache"] == "hit"
    _other_process_changes(freshness.PAGES)
    within = Client().get(PATH)
    assert within["X-Page-Cache"] == "hit"  # the copy this process read less than the window ago
    time.sleep(0.35)
    page_lookups.clear()
    after = Client().get(PATH)
    assert len(page_lookups) == 1  # the versions read again: the page is stale, rendered again
    assert after["X-Page-Cache"] == "miss"


def test_no_copy_outlives_the_page_cache_period_or_is_kept_when_switched_off(programme, settings):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 60
    Client().get(PATH)
    assert Client().get(PATH)["X-Page-Cache"] == "hit"
    ((read_at, changes, entry, headers, state),) = pagecache._LOCAL.values()
    older = (entry[0], entry[1] - settings.PUBLIC_PAGE_CACHE_SECONDS, *entry[2:])
    pagecache._LOCAL[next(iter(pagecache._LOCAL))] = (read_at, changes, older, headers, state)
    assert pagecache._local_copy(next(iter(pagecache._LOCAL))) is None
    pagecache.forget_local()
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 0
    Client().get(PATH)
    assert pagecache._LOCAL == {}


def test_the_copies_kept_are_bounded(programme, settings):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 60
    for n in range(pagecache._LOCAL_LIMIT + 5):
        Client().get(f"/organizations/?page=1&n={n}")
        Client().get(f"/organizations/?page=1&n={n}")
    assert len(pagecache._LOCAL) == pagecache._LOCAL_LIMIT


def test_the_visitors_token_is_djangos_format_masked_anew_from_their_own_secret(rf):
    request = rf.get("/")
    token = pagecache.visitor_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert len(secret) == 32 and len(token) == 64 and set(token + secret) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret
    second = pagecache.visitor_token(request)  # the same visitor: the same secret, another mask
    assert second != token and _unmask_cipher_token(second) == secret
    assert pagecache.visitor_token(rf.get("/")) != token


def test_random_characters_cover_the_whole_alphabet():
    drawn = "".join(pagecache._random_chars(32) for _ in range(200))
    assert len(drawn) == 6400 and set(drawn) == set(CSRF_ALLOWED_CHARS)
    # Roughly uniform: no character is drawn more than twice as often as another one would be on average.
    counts = [drawn.count(c) for c in CSRF_ALLOWED_CHARS]
    assert max(counts) < 2 * len(drawn) / len(CSRF_ALLOWED_CHARS)


def test_a_stored_pages_form_posts_with_the_token_of_a_visitor_who_already_had_a_cookie(programme):
    Client().get("/")
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/")  # the cookie set
    secret_cookie = visitor.cookies["csrftoken"].value
    page = visitor.get("/")
    assert page["X-Page-Cache"] == "hit"
    token = _token(page.content.decode())
    assert _unmask_cipher_token(token) == secret_cookie
    answer = visitor.post(
        "/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "zh-hans", "next": "/"}
    )
    assert answer.status_code == 302
    refused = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"csrfmiddlewaretoken": token})
    assert refused.status_code == 403
