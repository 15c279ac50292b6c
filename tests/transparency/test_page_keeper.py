"""The keeper of the page copies a web process serves from its own memory (pagecache.keep_local_copies, run by a
thread of each process twice per PUBLIC_PAGE_LOCAL_SECONDS): a copy in use whose versions are all current is
kept for another window instead of sending a request down the stack to ask the cache; one that changed is
replaced by the fresh copy another process stored, kept as "stale" while another request renders it (and
served so from memory and before Django, as the stack would serve it), or dropped so that the next request
renders it."""

import time

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils import translation

from empowerment import freshness, pagecache
from tests.transparency.test_page_early_answer import Site, _header

pytestmark = pytest.mark.django_db

PATH = "/projects/health-checks/"


def _key() -> str:
    with translation.override("en"):
        return pagecache._key(RequestFactory().get(PATH))


def _kept(settings, seconds=60) -> None:
    """The page rendered, then served from the cache and kept by this process, then served from memory."""
    settings.PUBLIC_PAGE_LOCAL_SECONDS = seconds
    assert Client().get(PATH)["X-Page-Cache"] == "miss"
    assert Client().get(PATH)["X-Page-Cache"] == "hit"  # asks the cache, keeps the copy
    assert Client().get(PATH)["X-Page-Cache"] == "hit"  # from memory: in use
    assert _key() in pagecache._SERVED


def _other_process_changes(topic: str) -> None:
    cache.incr(freshness.key(topic))


def _rendered_by_another_process(get=lambda: Client().get(PATH)["X-Page-Cache"]) -> None:
    """The page rendered and stored as another process would, leaving this process's copies as they were
    (`get`: a request for it, its X-Page-Cache)."""
    kept = dict(pagecache._LOCAL)
    pagecache._LOCAL.clear()
    assert get() == "miss"
    pagecache._LOCAL.clear()
    pagecache._LOCAL.update(kept)


def test_a_copy_in_use_whose_versions_are_current_stays_in_memory_past_its_window(
    programme, settings, page_lookups
):
    _kept(settings, seconds=0.3)
    time.sleep(0.35)
    assert pagecache._local_copy(_key()) is None  # its window has passed
    page_lookups.clear()
    pagecache.keep_local_copies()
    assert page_lookups == []  # the versions alone were read: all current
    answer = Client().get(PATH)
    assert answer["X-Page-Cache"] == "hit" and page_lookups == []
    assert "Health checks for older residents" in answer.content.decode()


def test_a_copy_not_served_lately_is_left_to_expire(programme, settings, page_lookups):
    _kept(settings, seconds=0.3)
    pagecache._SERVED.clear()  # as if last served more than KEEP_SERVED_SECONDS ago
    time.sleep(0.35)
    pagecache.keep_local_copies()
    page_lookups.clear()
    assert Client().get(PATH)["X-Page-Cache"] == "hit"
    assert len(page_lookups) == 1  # asked the cache again


def test_a_changed_page_is_dropped_and_the_next_request_renders_it(programme, settings):
    _kept(settings)
    _other_process_changes(freshness.PAGES)
    assert Client().get(PATH)["X-Page-Cache"] == "hit"  # within its window, as before the keeper ran
    pagecache.keep_local_copies()
    assert _key() not in pagecache._LOCAL
    assert Client().get(PATH)["X-Page-Cache"] == "miss"


def test_a_page_another_process_rendered_takes_the_copys_place(programme, settings, page_lookups):
    _kept(settings)
    old = pagecache._LOCAL[_key()][2]
    _other_process_changes(freshness.PAGES)
    _rendered_by_another_process()
    pagecache.keep_local_copies()
    read_at, _changes, entry, _headers, state = pagecache._LOCAL[_key()]
    assert state == "hit" and entry != old
    assert entry[0][freshness.PAGES] == old[0][freshness.PAGES] + 1  # stored under the new version
    page_lookups.clear()
    assert Client().get(PATH)["X-Page-Cache"] == "hit" and page_lookups == []


def test_while_another_request_renders_the_page_its_stale_copy_is_answered_before_django(
    settings, programme, connection_kept
):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 60
    site = Site()
    site.get()
    assert _header(site.get()[1], "X-Page-Cache") == "hit"  # by Django from the kept copy: learned
    reached = site.reached_django
    assert _header(site.get()[1], "X-Page-Cache") == "hit" and site.reached_django == reached  # early: in use
    _other_process_changes(freshness.PAGES)
    lock = pagecache._LOCK_PREFIX + _key()
    assert cache.add(lock, 1, 30)  # another request is rendering it
    pagecache.keep_local_copies()
    assert pagecache._LOCAL[_key()][4] == "stale"
    status, headers, body = site.get()
    assert status == "200 OK" and _header(headers, "X-Page-Cache") == "stale"
    assert site.reached_django == reached  # answered before Django
    assert b"\x00" not in body and b"Health checks for older residents" in body
    # That render is over: the keeper takes the fresh copy in place of the stale one.
    cache.delete(lock)
    _rendered_by_another_process(lambda: _header(site.get()[1], "X-Page-Cache"))
    reached = site.reached_django
    pagecache.keep_local_copies()
    assert _header(site.get()[1], "X-Page-Cache") == "hit" and site.reached_django == reached
    # A render that ended without a copy (an error) leaves the page to the next request: dropped.
    _other_process_changes(freshness.PAGES)
    pagecache.keep_local_copies()
    assert _key() not in pagecache._LOCAL
    assert _header(site.get()[1], "X-Page-Cache") == "miss" and site.reached_django == reached + 1


def test_a_stale_copy_served_while_another_request_renders_is_kept_in_memory(
    programme, settings, page_lookups
):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 60
    assert Client().get(PATH)["X-Page-Cache"] == "miss"
    _other_process_changes(freshness.PAGES)
    assert cache.add(pagecache._LOCK_PREFIX + _key(), 1, 30)
    page_lookups.clear()
    assert Client().get(PATH)["X-Page-Cache"] == "stale"  # asked the cache: another request renders it
    assert len(page_lookups) == 1
    assert Client().get(PATH)["X-Page-Cache"] == "stale"  # from memory
    assert len(page_lookups) == 1


def test_the_keepers_thread_keeps_a_copy_in_use_in_memory(programme, settings, page_lookups):
    _kept(settings, seconds=0.4)
    keeper = pagecache._Keeper()
    keeper.start()
    try:
        page_lookups.clear()
        for _ in range(6):  # 1.2 s, three windows: served from memory throughout
            time.sleep(0.2)
            assert Client().get(PATH)["X-Page-Cache"] == "hit"
        assert page_lookups == []
    finally:
        keeper.stop()
    assert keeper.pid is not None


def test_what_the_keeper_remembers_is_bounded_by_the_copies_kept(programme, settings):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 60
    for n in range(pagecache._LOCAL_LIMIT + 5):
        for _ in range(3):  # rendered, kept, served from memory
            Client().get(f"/organizations/?page=1&n={n}")
    assert len(pagecache._LOCAL) == pagecache._LOCAL_LIMIT
    assert set(pagecache._SERVED) <= set(pagecache._LOCAL)
    pagecache._SERVED["page:gone"] = time.monotonic()  # served by one thread as another dropped it
    pagecache.keep_local_copies()
    assert set(pagecache._SERVED) <= set(pagecache._LOCAL)
