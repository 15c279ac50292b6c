"""First freshness versions for many topics at once (empowerment.cache.ResilientRedisCache.add_get_many):
after the cache is emptied a page meets every topic it shows in one round trip, keeps a version another
writer added first, and with Redis stopped answers 0 (nothing is cached then) instead of failing. Keys are
not held to memcached's rules, which Redis does not have."""

import warnings

from empowerment.cache import ResilientRedisCache


def test_first_versions_are_added_at_once_and_an_earlier_writers_version_is_kept(private_redis):
    cache = ResilientRedisCache(private_redis.url, {})
    cache.add("freshness:money", 41, None)
    got = cache.add_get_many({"freshness:money": 7, "freshness:fund:3": 9}, None)
    assert got == {"freshness:money": 41, "freshness:fund:3": 9}
    assert cache.get("freshness:fund:3") == 9  # read back as Django's cache reads integers
    assert cache.incr("freshness:fund:3") == 10  # and touched as freshness.touch does
    client = cache._cache.get_client()
    assert client.ttl(cache.make_key("freshness:fund:3")) == -1  # kept until touched, never expiring

    private_redis.stop()
    assert cache.add_get_many({"freshness:pages": 5}, None) == {"freshness:pages": 0}


def test_freshness_reads_the_same_first_versions_twice_after_the_cache_is_emptied(private_redis, settings):
    from django.core.cache import cache

    from empowerment import freshness

    settings.CACHES = {
        "default": {"BACKEND": "empowerment.cache.ResilientRedisCache", "LOCATION": private_redis.url}
    }
    first = freshness.current(["money", "pages", "fund:1"])
    assert all(value > 0 for value in first.values())
    assert freshness.current(["fund:1", "money", "pages"]) == first
    freshness.touch("fund:1")
    assert freshness.current(["fund:1"])["fund:1"] == first["fund:1"] + 1
    cache.clear()
    again = freshness.current(["money", "pages", "fund:1"])
    assert again != first and freshness.current(["money", "pages", "fund:1"]) == again


def test_a_key_memcached_would_refuse_is_kept_without_a_warning(private_redis):
    cache = ResilientRedisCache(private_redis.url, {})
    key = "page: /projects/?q=" + "长" * 300  # spaces and more than 250 characters
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cache.set(key, "kept", None)
        assert cache.get(key) == "kept"
        assert cache.get_many([key, "other"]) == {key: "kept"}


def test_a_count_and_a_read_are_made_in_one_round_trip_and_a_dead_cache_limits_nothing(private_redis):
    cache = ResilientRedisCache(private_redis.url, {})
    cache.set("api:answer:en:x", ("stamp", 1.0, '"etag"', None, b"{}"), 60)
    count, found = cache.count_and_get_many("api:rate:1.2.3.4:7", 61, ["api:answer:en:x", "freshness:pages"])
    assert count == 1 and found == {"api:answer:en:x": ("stamp", 1.0, '"etag"', None, b"{}")}
    count, found = cache.count_and_get_many("api:rate:1.2.3.4:7", 61, [])
    assert count == 2 and found == {}
    assert cache.get("api:rate:1.2.3.4:7") == 2  # the count as incr() keeps it
    client = cache._cache.get_client()
    assert 0 < client.ttl(cache.make_key("api:rate:1.2.3.4:7")) <= 61  # the window's, set at the first count

    private_redis.stop()
    assert cache.count_and_get_many("api:rate:1.2.3.4:7", 61, ["api:answer:en:x"]) == (0, {})
